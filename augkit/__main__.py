"""The command line: ``python -m augkit grid ...`` and ``python -m augkit params ...``.

``grid`` writes a PNG of augmented samples of one image, each titled with its
sampled parameters; ``params`` prints sampled parameters as a table. Both take
``ImageDataGenerator``'s arguments as options (``--rotation-range 40``). All
the work is done by :mod:`augkit.plotting` and the generator; this module only
parses, checks files and reports. Bad input prints one line
``augkit: error: ...`` naming the option, the value and what is accepted, and
exits with status 2, without a traceback; every number is bounded. The grid
is written whole or not at all: a failed or interrupted run leaves no file,
and with ``--overwrite`` the previous file intact.

Examples
--------
::

    python -m augkit grid cat.jpg --rotation-range 40 --zoom-range 0.2 -o grid.png
    python -m augkit params --shape 300 451 --width-shift-range 0.2 -n 5 --seed 1
"""

import argparse
import io
import math
import os
import stat
import sys
from pathlib import Path

from augkit.cli_types import as_options, integer_in as _integer, number_in as _number, one_of as _one_of
from augkit.cli_types import shift_range as _shift
from augkit.conventions import get_convention
from augkit.spec import AUGMENTATIONS, keys_of


#: Exit status for bad input (argparse's own convention).
EXIT_USAGE = 2

#: Exit status after Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: Upper bounds of the options (the lower ones are in ``_add_generator_options``).
MAX_GRID_SAMPLES = 100
MAX_TABLE_SAMPLES = 100_000
MIN_DPI = 20  # below about 12, matplotlib's font engine fails on the small titles
MAX_DPI = 1000
MAX_SIDE = 65_536  # pixels, for --shape
MAX_GRID_PIXELS = 40_000_000  # of the PNG written
MAX_SAMPLE_BYTES = 2 * 1024**3  # the augmented samples of a grid, held in memory
MAX_SEED = 2**63 - 1
DTYPES = ("float32", "float64", "uint8")  # of the images augmented (--dtype)


class CommandLineError(Exception):
    """Bad input, reported as one line and exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line, not the usage block plus a line."""

    def error(self, message):
        raise CommandLineError(f"{message} (see '{self.prog} --help')")


def _add_generator_options(parser, max_samples):
    from augkit.backends import BACKENDS
    from augkit.conventions import CONVENTIONS
    from augkit.kernels import FILL_MODES

    group = parser.add_argument_group("augmentation (ImageDataGenerator arguments; all off by default)")
    for entry in _augmentations_in_keras_order():
        _add_option(group, entry.argument, entry.option)
    group.add_argument("--fill-mode", type=_one_of(FILL_MODES), default="nearest", metavar="MODE",
                       help="how pixels from outside the picture are filled: nearest (default), "
                            "constant, reflect or wrap")
    group.add_argument("--cval", type=_number(-1e6, 1e6, "intensity units"), default=0.0, metavar="VALUE",
                       help="intensity units: the fill value for --fill-mode constant (default 0)")
    group.add_argument("--interpolation-order", type=_integer(0, 5, "spline order"), default=1, metavar="ORDER",
                       help="spline order 0-5: 0 nearest neighbour, 1 bilinear (default), 3 bicubic")
    group.add_argument("--compat", type=_one_of([name for name in CONVENTIONS if name is not None]), default=None,
                       metavar="MODE",
                       help="reproduce a Keras implementation exactly: keras_preprocessing "
                            "(keras-preprocessing 1.1.2, tf.keras <= 2.8) or tf_keras (Keras >= 2.9 / Keras 3); "
                            "default: what the documentation says")
    group.add_argument("--backend", type=_one_of(BACKENDS), default="skimage", metavar="NAME",
                       help="which library warps: skimage (default, the reference) or opencv (faster; needs "
                            "augkit[fast]; not with --compat)")
    group.add_argument("--dtype", type=_one_of(DTYPES), default="float32", metavar="TYPE",
                       help="the pixels' type: float32 (default), float64, or uint8 (with --backend opencv, "
                            "without the steps that need floats: brightness, channel shift, colour)")
    sampling = parser.add_argument_group("sampling")
    sampling.add_argument("-n", "--samples", type=_integer(1, max_samples, "samples"), default=9, metavar="N",
                          help=f"number of samples (count 1-{max_samples}, default 9)")
    sampling.add_argument("--seed", type=_integer(0, MAX_SEED, "seed"), default=0,
                          help=f"random seed (integer 0 to 2**63-1, default 0; at most 2**32-1 with --compat)")


def _augmentations_in_keras_order():
    """The spec table's entries, in the order of ``ImageDataGenerator``'s arguments."""
    from augkit.generator import keras_position

    return sorted(AUGMENTATIONS, key=lambda entry: keras_position(entry.argument))


def _add_option(group, argument, option):
    """The command-line option of one entry of the spec table (``rotation_range``: ``--rotation-range``)."""
    flag = "--" + argument.replace("_", "-")
    if option.kind == "flag":
        group.add_argument(flag, action="store_true", help=option.help)
        return
    parse = _shift if option.kind == "shift" else _number(option.low, option.high, option.unit)
    nargs = {1: None, 2: 2, "1-2": "+"}[option.values]
    group.add_argument(flag, type=parse, nargs=nargs, default=option.default, metavar=option.metavar,
                       help=option.help)


def _option_value(argument, option, value):
    """The generator's argument from an option's parsed value (one value or a pair for ``"1-2"``)."""
    if option.values != "1-2":
        return value
    if len(value) > 2:
        raise CommandLineError(f"--{argument.replace('_', '-')} takes one value {option.metavar} or two values "
                               f"LOW HIGH; got {len(value)}")
    return value[0] if len(value) == 1 else value


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
    grid.add_argument("--ncols", type=_integer(1, MAX_GRID_SAMPLES, "columns"), default=None, metavar="COLS",
                      help="columns of the grid (count; default about the square root of N)")
    grid.add_argument("--dpi", type=_integer(MIN_DPI, MAX_DPI, "dots per inch"), default=100,
                      help=f"resolution of the PNG (dots per inch, {MIN_DPI}-{MAX_DPI}, default 100)")
    _add_generator_options(grid, MAX_GRID_SAMPLES)
    params = commands.add_parser("params", help="print sampled transform parameters as a table",
                                 description="Print the parameters ImageDataGenerator samples, one row per "
                                             "sample: theta and shear in degrees, tx and ty in pixels, "
                                             "zx and zy factors.")
    shape = params.add_mutually_exclusive_group()
    shape.add_argument("--image", metavar="IMAGE", help="take the image size (pixels) from this file")
    shape.add_argument("--shape", type=_integer(1, MAX_SIDE, "pixels"), nargs=2, default=(256, 256),
                       metavar=("ROWS", "COLS"),
                       help=f"image size in pixels (1-{MAX_SIDE}) that shift fractions are scaled by "
                            "(default 256 256)")
    params.add_argument("--csv", action="store_true", help="comma-separated values instead of a table")
    _add_generator_options(params, MAX_TABLE_SAMPLES)
    return parser


#: ImageDataGenerator arguments that are options of the command line, besides the spec table's.
_OTHER_ARGUMENTS = ("fill_mode", "cval", "interpolation_order", "compat", "backend", "dtype")


def _generator(args):
    from augkit.generator import ImageDataGenerator
    from augkit.streams import largest_seed

    entries = _augmentations_in_keras_order()
    kwargs = {entry.argument: _option_value(entry.argument, entry.option, getattr(args, entry.argument))
              for entry in entries}
    largest = largest_seed(get_convention(args.compat))
    if largest is not None and args.seed > largest:
        raise CommandLineError(f"argument --seed: {args.seed} is not an integer from 0 to {largest} "
                               f"(with --compat {args.compat}, Keras's RandomState takes 32-bit seeds)")
    kwargs.update({name: getattr(args, name) for name in _OTHER_ARGUMENTS})
    try:
        return ImageDataGenerator(**kwargs)
    except (ValueError, TypeError) as err:  # a combination the generator refuses: name the option too
        message = _one_line(err)
        option = next((name for name in kwargs if message.startswith(name)), None)
        if option is None:
            raise
        raise CommandLineError(f"argument --{option.replace('_', '-')}: {as_options(message, kwargs)}") from err
    except ModuleNotFoundError as err:  # backend='opencv' without OpenCV: the message names augkit[fast]
        if err.name != "cv2":
            raise
        raise CommandLineError(f"argument --backend: {as_options(_one_line(err), kwargs)}") from err


def _load(path, option, dtype="float32"):
    """The image at ``path`` as an array of ``dtype``; ``option`` names the argument in errors."""
    from augkit.image_io import img_to_array, load_img

    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        mode = None  # missing or unreadable: load_img says which
    if mode is not None and not stat.S_ISDIR(mode) and not stat.S_ISREG(mode):
        raise CommandLineError(f"{option} '{path}' is not a regular file (a pipe, device or socket); "
                               "give an image file such as cat.png")
    return img_to_array(load_img(path), dtype=dtype)


def _check_output(path, overwrite):
    output = Path(path)
    if output.suffix.lower() != ".png":
        raise CommandLineError(f"argument -o/--output: output file '{output}' must end in .png "
                               "(the only format written)")
    if output.is_dir():
        raise CommandLineError(f"argument -o/--output: '{output}' is a folder; give a file name ending in .png")
    if os.path.lexists(output) and not overwrite:
        raise CommandLineError(f"output file '{output}' already exists; pass --overwrite to replace it")
    if os.path.lexists(output) and not output.is_file():
        raise CommandLineError(f"argument -o/--output: '{output}' exists and is not a regular file; "
                               "augkit replaces only files it could have written")
    folder = output.parent
    if not folder.is_dir():
        problem = f"'{folder}' is not a folder" if folder.exists() else f"folder '{folder}' does not exist"
        raise CommandLineError(f"argument -o/--output: cannot write '{output}': {problem}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CommandLineError(f"argument -o/--output: cannot write '{output}': no permission to write in "
                               f"folder '{folder}'")
    return output


def _check_sizes(args, image, fig):
    """Refuse a grid too big to hold or to write, naming the options to lower."""
    sample_bytes = args.samples * image.nbytes  # the samples, in the image's dtype
    if sample_bytes > MAX_SAMPLE_BYTES:
        raise CommandLineError(
            f"argument -n/--samples: {args.samples} samples of a {image.shape[0]}x{image.shape[1]} image need "
            f"{sample_bytes / 1e9:.1f} GB; the limit is {MAX_SAMPLE_BYTES / 1e9:.1f} GB: use fewer samples "
            "or a smaller image")
    if fig is None:
        return
    width_in, height_in = fig.get_size_inches()
    pixels = width_in * height_in * args.dpi**2
    if pixels > MAX_GRID_PIXELS:
        largest = max(1, int(math.sqrt(MAX_GRID_PIXELS / (width_in * height_in))))
        raise CommandLineError(
            f"argument --dpi: {args.dpi} makes a {width_in * args.dpi:.0f}x{height_in * args.dpi:.0f}-pixel "
            f"grid of {args.samples} samples; the limit is {MAX_GRID_PIXELS // 1_000_000} megapixels: "
            f"use --dpi {largest} or less, or fewer samples")


def run_grid(args):
    """``augkit grid``: write the PNG (whole or not at all); returns the path written."""
    output = _check_output(args.output, args.overwrite)
    generator = _generator(args)
    image = _load(args.image, "IMAGE", args.dtype)
    _check_sizes(args, image, None)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from augkit.image_io import write_file
    from augkit.plotting import show_augmented

    fig = show_augmented(image, generator, n=args.samples, seed=args.seed, ncols=args.ncols)
    try:
        _check_sizes(args, image, fig)
        encoded = io.BytesIO()
        fig.savefig(encoded, format="png", dpi=args.dpi)
    finally:
        plt.close(fig)
    write_file(output, encoded.getvalue(), overwrite=args.overwrite)
    print(f"wrote {output} ({args.samples} samples, seed {args.seed}, {generator!r})")
    return output


#: The columns of ``augkit params``: Keras's keys, from the parameter spec table.
COLUMNS = tuple(key.name for key in keys_of(AUGMENTATIONS))
HEADERS = tuple(key.header for key in keys_of(AUGMENTATIONS))


def _cell(value):
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.3f}"


def _columns(params):
    """Keras's keys, and the keys beyond Keras's arguments that some sample uses (else Keras's table exactly)."""
    shown = [k for k, (column, header, entry) in enumerate(zip(COLUMNS, HEADERS, _ENTRY_OF_COLUMN))
             if entry.in_compat or any(getattr(p, column) not in (None, False) for p in params)]
    return tuple(COLUMNS[k] for k in shown), tuple(HEADERS[k] for k in shown)


_ENTRY_OF_COLUMN = tuple(entry for entry in AUGMENTATIONS for key in entry.keys)


def format_table(params, csv=False):
    """Sampled parameters as text: an aligned table, or CSV with Keras's keys."""
    columns, headers = _columns(params)
    if csv:
        lines = [",".join(("sample",) + columns)]
        lines += [",".join([str(i)] + ["" if getattr(p, c) is None else str(getattr(p, c)) for c in columns])
                  for i, p in enumerate(params)]
        return "\n".join(lines)
    rows = [("#",) + headers] + [(str(i),) + tuple(_cell(getattr(p, c)) for c in columns)
                                 for i, p in enumerate(params)]
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return "\n".join("  ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in rows)


def run_params(args):
    """``augkit params``: print the table; returns it."""
    generator = _generator(args)
    if args.image is not None:
        rows_cols = _load(args.image, "argument --image:").shape[:2]
    else:
        rows_cols = tuple(args.shape)
    table = format_table(generator.sample_params(rows_cols, args.samples, args.seed), csv=args.csv)
    print(table)
    return table


def _one_line(err):
    if isinstance(err, OSError) and err.strerror and err.filename:
        return f"{err.strerror}: '{err.filename}'"
    return " ".join(str(err).split())


def main(argv=None):
    """Run the command line; returns the exit status (0, 2 for bad input, 130 after Ctrl-C)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        (run_grid if args.command == "grid" else run_params)(args)
    except (CommandLineError, ValueError, TypeError, OSError) as err:
        print(f"augkit: error: {_one_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print("augkit: error: out of memory; use fewer samples (-n), a lower --dpi or a smaller image",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("augkit: interrupted; no partial file was left", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
