"""The command line: ``python -m augkit grid ...`` and ``python -m augkit params ...``.

``grid`` writes a PNG of augmented samples of one image, each titled with its
sampled parameters; ``params`` prints sampled parameters as a table. Both take
``ImageDataGenerator``'s arguments as options (``--rotation-range 40``). All
the work is done by :mod:`augkit.plotting` and the generator; this module only
parses, checks files and reports. Bad input prints one line
``augkit: error: ...`` and exits with status 2, without a traceback.

Examples
--------
::

    python -m augkit grid cat.jpg --rotation-range 40 --zoom-range 0.2 -o grid.png
    python -m augkit params --shape 300 451 --width-shift-range 0.2 -n 5 --seed 1
"""

import argparse
import sys
from pathlib import Path


#: Exit status for bad input (argparse's own convention).
EXIT_USAGE = 2


class CommandLineError(Exception):
    """Bad input, reported as one line and exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line, not the usage block plus a line."""

    def error(self, message):
        raise CommandLineError(f"{message} (see '{self.prog} --help')")


def _add_generator_options(parser):
    group = parser.add_argument_group("augmentation (ImageDataGenerator arguments; all off by default)")
    group.add_argument("--rotation-range", type=float, default=0.0, metavar="DEG",
                       help="degrees: angle uniform in [-DEG, DEG]")
    group.add_argument("--width-shift-range", type=_shift, default=0.0, metavar="W",
                       help="horizontal shift: a float below 1 is a fraction of the width (uniform in "
                            "[-W, W] times the width), a float of 1 or more is pixels; an int N "
                            "(written without a point) draws whole pixels from range(N) with a random sign")
    group.add_argument("--height-shift-range", type=_shift, default=0.0, metavar="H",
                       help="vertical shift: as --width-shift-range, in fractions of the height or pixels")
    group.add_argument("--shear-range", type=float, default=0.0, metavar="DEG",
                       help="degrees: shear angle uniform in [-DEG, DEG]")
    group.add_argument("--zoom-range", type=float, nargs="+", default=[0.0], metavar="Z",
                       help="zoom factor (unitless): one value Z gives factors uniform in [1-Z, 1+Z], two "
                            "values LOW HIGH are used as given; above 1 shows more of the scene (smaller)")
    group.add_argument("--channel-shift-range", type=float, default=0.0, metavar="R",
                       help="intensity units of the image (0-255 for 8-bit files): one offset uniform in "
                            "[-R, R] added to every channel")
    group.add_argument("--brightness-range", type=float, nargs=2, default=None, metavar=("LOW", "HIGH"),
                       help="brightness factor (unitless) uniform in [LOW, HIGH]; 1 = unchanged")
    group.add_argument("--horizontal-flip", action="store_true",
                       help="mirror left-right with probability 1/2")
    group.add_argument("--vertical-flip", action="store_true", help="mirror top-bottom with probability 1/2")
    group.add_argument("--fill-mode", default="nearest", metavar="MODE",
                       help="how pixels from outside the picture are filled: nearest (default), "
                            "constant, reflect or wrap")
    group.add_argument("--cval", type=float, default=0.0, metavar="VALUE",
                       help="intensity units: the fill value for --fill-mode constant (default 0)")
    group.add_argument("--interpolation-order", type=int, default=1, metavar="ORDER",
                       help="spline order 0-5: 0 nearest neighbour, 1 bilinear (default), 3 bicubic")
    group.add_argument("--compat", default=None, metavar="MODE",
                       help="reproduce a Keras implementation exactly: keras_preprocessing "
                            "(keras-preprocessing 1.1.2) or tf_keras (Keras >= 2.6, Keras 3); "
                            "default: what the documentation says")
    sampling = parser.add_argument_group("sampling")
    sampling.add_argument("-n", "--samples", type=int, default=9, metavar="N",
                          help="number of samples (count, default 9)")
    sampling.add_argument("--seed", type=int, default=0, help="random seed (integer, default 0)")


def _shift(text):
    """Keras's shift types: ``"10"`` is an int (whole pixels), ``"0.2"`` a float."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid shift {text!r}: give a number such as 0.2 or 10") from None


EXAMPLES = """\
examples:
  python -m augkit grid cat.jpg --rotation-range 40 --zoom-range 0.2 --horizontal-flip -o grid.png
  python -m augkit params --shape 300 451 --width-shift-range 0.2 -n 5 --seed 1
  python -m augkit grid --help     (every augmentation option, with its unit)"""


def build_parser():
    """The ``argparse`` parser of ``python -m augkit``."""
    from augkit import __version__

    parser = _Parser(prog="augkit", description="Look at image augmentation from the command line: "
                     "Keras's ImageDataGenerator arguments, scikit-image warps.",
                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"augkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    grid = commands.add_parser("grid", help="write a PNG grid of augmented samples of an image",
                               description="Write a grid of augmented samples of IMAGE, each titled with "
                                           "its sampled parameters.")
    grid.add_argument("image", metavar="IMAGE", help="the image file to augment (PNG, JPEG, ...)")
    grid.add_argument("-o", "--output", required=True, metavar="OUT.png", help="the PNG file to write")
    grid.add_argument("--overwrite", action="store_true", help="replace OUT.png if it exists")
    grid.add_argument("--ncols", type=int, default=None, metavar="COLS",
                      help="columns of the grid (count; default about the square root of N)")
    grid.add_argument("--dpi", type=int, default=100, help="resolution of the PNG (dots per inch, default 100)")
    _add_generator_options(grid)
    params = commands.add_parser("params", help="print sampled transform parameters as a table",
                                 description="Print the parameters ImageDataGenerator samples, one row per "
                                             "sample: theta and shear in degrees, tx and ty in pixels, "
                                             "zx and zy factors.")
    shape = params.add_mutually_exclusive_group()
    shape.add_argument("--image", metavar="IMAGE", help="take the image size (pixels) from this file")
    shape.add_argument("--shape", type=int, nargs=2, default=(256, 256), metavar=("ROWS", "COLS"),
                       help="image size in pixels that shift fractions are scaled by (default 256 256)")
    params.add_argument("--csv", action="store_true", help="comma-separated values instead of a table")
    _add_generator_options(params)
    return parser


def _generator(args):
    from augkit.generator import ImageDataGenerator

    zoom = args.zoom_range[0] if len(args.zoom_range) == 1 else args.zoom_range
    if len(args.zoom_range) > 2:
        raise CommandLineError(f"--zoom-range takes one value Z or two values LOW HIGH; got {len(args.zoom_range)}")
    return ImageDataGenerator(
        rotation_range=args.rotation_range, width_shift_range=args.width_shift_range,
        height_shift_range=args.height_shift_range, shear_range=args.shear_range, zoom_range=zoom,
        channel_shift_range=args.channel_shift_range, brightness_range=args.brightness_range,
        horizontal_flip=args.horizontal_flip, vertical_flip=args.vertical_flip, fill_mode=args.fill_mode,
        cval=args.cval, interpolation_order=args.interpolation_order, compat=args.compat)


def _load(path):
    from augkit.image_io import img_to_array, load_img

    return img_to_array(load_img(path))


def _check_output(path, overwrite):
    output = Path(path)
    if output.suffix.lower() != ".png":
        raise CommandLineError(f"output file '{output}' must end in .png")
    if output.is_dir():
        raise CommandLineError(f"output '{output}' is a folder; give a file name ending in .png")
    if output.exists() and not overwrite:
        raise CommandLineError(f"output file '{output}' already exists; pass --overwrite to replace it")
    if not output.parent.is_dir():
        raise CommandLineError(f"cannot write '{output}': folder '{output.parent}' does not exist")
    return output


def run_grid(args):
    """``augkit grid``: write the PNG; returns the path written."""
    output = _check_output(args.output, args.overwrite)
    if args.samples < 1:
        raise CommandLineError(f"-n/--samples must be at least 1; got {args.samples}")
    generator = _generator(args)
    image = _load(args.image)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from augkit.plotting import show_augmented

    fig = show_augmented(image, generator, n=args.samples, seed=args.seed, ncols=args.ncols)
    try:
        with open(output, "wb" if args.overwrite else "xb") as file:
            fig.savefig(file, format="png", dpi=args.dpi)
    finally:
        plt.close(fig)
    print(f"wrote {output} ({args.samples} samples, seed {args.seed}, {generator!r})")
    return output


COLUMNS = ("theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical",
           "channel_shift_intensity", "brightness")
HEADERS = ("θ (deg)", "tx (px)", "ty (px)", "shear (deg)", "zx", "zy", "h-flip", "v-flip",
           "channel shift", "brightness")


def _cell(value):
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.3f}"


def format_table(params, csv=False):
    """Sampled parameters as text: an aligned table, or CSV with Keras's keys."""
    if csv:
        lines = [",".join(("sample",) + COLUMNS)]
        lines += [",".join([str(i)] + ["" if getattr(p, c) is None else str(getattr(p, c)) for c in COLUMNS])
                  for i, p in enumerate(params)]
        return "\n".join(lines)
    rows = [("#",) + HEADERS] + [(str(i),) + tuple(_cell(getattr(p, c)) for c in COLUMNS)
                                 for i, p in enumerate(params)]
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return "\n".join("  ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in rows)


def run_params(args):
    """``augkit params``: print the table; returns it."""
    if args.samples < 1:
        raise CommandLineError(f"-n/--samples must be at least 1; got {args.samples}")
    if args.image is not None:
        rows_cols = _load(args.image).shape[:2]
    else:
        if min(args.shape) < 1:
            raise CommandLineError(f"--shape must be two positive sizes in pixels; got {args.shape[0]} {args.shape[1]}")
        rows_cols = tuple(args.shape)
    generator = _generator(args)
    table = format_table(generator.sample_params(rows_cols, args.samples, args.seed), csv=args.csv)
    print(table)
    return table


def _one_line(err):
    if isinstance(err, OSError) and err.strerror and err.filename:
        return f"{err.strerror}: '{err.filename}'"
    return " ".join(str(err).split())


def main(argv=None):
    """Run the command line; returns the exit status (0, or 2 for bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        (run_grid if args.command == "grid" else run_params)(args)
    except (CommandLineError, ValueError, TypeError, OSError) as err:
        print(f"augkit: error: {_one_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    sys.exit(main())
