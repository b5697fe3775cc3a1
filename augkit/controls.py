"""The playground's logic, without ipywidgets: controls, arguments, code and the rendered grid.

Plain functions, tested without a browser; :mod:`augkit.widgets` wires them
to ipywidgets (and re-exports them):

* :data:`CONTROLS` - one :class:`~augkit.spec.ControlSpec` per argument, from
  the parameter spec table plus the arguments that are not random ranges;
* :func:`controls_to_kwargs` turns control values into ``ImageDataGenerator``
  arguments (dropping the ones left at Keras's defaults);
* :func:`generator_code` writes those arguments as copy-paste-ready code;
* :func:`render_grid` samples ``n`` transforms with a fixed ``seed`` (keyword-only,
  as in every augkit sampling helper), warps them on a two-thread pool and
  composes a uint8 grid in numpy, without matplotlib;
* :func:`encode_image` turns the grid into JPEG bytes (Pillow), and
  :func:`snapshot_jpeg` into the small JPEG a saved notebook keeps;
* :func:`control_tooltip` writes each control's tooltip from its
  :class:`~augkit.spec.ControlSpec` and the spec table's keys (unit, range,
  what the value means, Keras's default).
"""

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import skimage.transform
from PIL import Image

from augkit.generator import ARGUMENTS, ImageDataGenerator
from augkit.limits import MAX_GRID_PICTURES, check_count
from augkit.plotting import apply_transform, display_range, to_display
from augkit.spec import AUGMENTATIONS, ControlSpec

__all__ = ["CONTROLS", "JPEG_QUALITY", "NEUTRAL_RANGE", "NONE_LABEL", "SNAPSHOT_MAX_BYTES",
           "compose_grid", "control_tooltip", "controls_of", "controls_to_kwargs", "encode_image",
           "generator_code", "off_range", "preview", "render_grid", "settings_text", "snapshot_jpeg"]


# The controls of the arguments that are not random ranges (those come from the spec table).
_OTHER_CONTROLS = {
    "fill_mode": ControlSpec("choice", "nearest", "constant",
                             options=("nearest", "constant", "reflect", "wrap"),
                             unit="how pixels outside the picture are invented"),
    "cval": ControlSpec("float", 0.0, 0.0, 0, 1, 0.01, relative=True,
                        unit="intensity units: the fill value of fill_mode='constant'"),
    "interpolation_order": ControlSpec("choice", 1, 0, options=(0, 1, 3),
                                       unit="0 nearest, 1 bilinear, 3 bicubic"),
    "compat": ControlSpec("choice", None, "keras_preprocessing",
                          options=(None, "keras_preprocessing", "tf_keras"),
                          unit="None: documented; or Keras's own behaviours"),
}

# Controls of arguments that Keras's ImageDataGenerator lacks (their tooltips say "augkit's default").
_AUGKIT_ONLY = ("compat",) + tuple(entry.argument for entry in AUGMENTATIONS if not entry.in_compat)
# What each choice of a dropdown does (its tooltip lists them).
_CHOICES = {
    "fill_mode": {"nearest": "repeat the edge pixel", "constant": "fill with cval",
                  "reflect": "mirror the picture at its edge", "wrap": "tile the picture"},
    "interpolation_order": {0: "nearest neighbour, blocky (what masks need)", 1: "bilinear",
                            3: "bicubic, smoother and slower"},
    "compat": {None: "what the documentation says (augkit's default)",
               "keras_preprocessing": "exactly keras-preprocessing 1.1.2 (tf.keras <= 2.8)",
               "tf_keras": "exactly Keras >= 2.9 / Keras 3 (keras.src.legacy)"},
}


def controls_of(table):
    """``{argument: ControlSpec}``: each entry's control of ``table`` and the other controls, in Keras's order."""
    controls = {**{entry.argument: entry.control for entry in table}, **_OTHER_CONTROLS}
    order = list(ARGUMENTS) + [entry.argument for entry in table]
    return {name: controls[name] for name in sorted(controls, key=order.index)}


#: Every argument the playground shows, in Keras's order.
CONTROLS = controls_of(AUGMENTATIONS)
_KEYS = {entry.argument: entry.keys for entry in AUGMENTATIONS}

NEUTRAL_RANGE = (1.0, 1.0)  # a factor range's off pair (each range control has its own: off_range)
# A dropdown cannot hold None as a value (None means "nothing selected"): it holds this.
NONE_LABEL = "None"
_GAP = 4  # pixels between the cells of a grid
JPEG_QUALITY = 92  # of the grid sent to the browser
SNAPSHOT_MAX_BYTES = 15_000  # of the picture a saved notebook keeps of a widget
_SNAPSHOT_SIDES = (360, 300, 240, 180)  # pixels, the longer side: tried in turn ...
_SNAPSHOT_QUALITIES = (70, 55, 40)  # ... each at these JPEG qualities
_pool = None


def _thread_pool():
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="augkit-widgets")
    return _pool


# The logic: plain functions


def _clean(value):
    """Strip slider float noise (0.15000000000000002 -> 0.15); keep other values."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    return value


def controls_to_kwargs(values):
    """``ImageDataGenerator`` arguments from control values, defaults left out.

    Parameters
    ----------
    values : dict
        Argument name to control value (as the widgets hold them: a brightness
        slider gives a pair, its control's ``off`` pair meaning off, such as
        ``(1.0, 1.0)`` for a factor; a dropdown gives ``"None"`` for None).

    Returns
    -------
    dict
        Only the arguments that differ from Keras's defaults, in Keras's order,
        with slider noise (beyond 12 significant digits) rounded away.

    Examples
    --------
    >>> controls_to_kwargs({"rotation_range": 30.0, "zoom_range": 0.0, "fill_mode": "nearest"})
    {'rotation_range': 30.0}
    >>> controls_to_kwargs({"brightness_range": (0.8, 1.2000000000000002)})
    {'brightness_range': (0.8, 1.2)}
    >>> controls_to_kwargs({"brightness_range": (1.0, 1.0), "blur_sigma_range": (1.0, 1.0)})  # off; sigma 1
    {'blur_sigma_range': (1.0, 1.0)}
    """
    kwargs = {}
    order = list(CONTROLS) + [name for name in values if name not in CONTROLS]
    for name in order:
        if name not in values:
            continue
        value = _plain(values[name])
        if name in CONTROLS:
            value = _clean(value)
        if value == NONE_LABEL and name in CONTROLS and None in CONTROLS[name].options:
            value = None
        if name in CONTROLS and CONTROLS[name].kind == "range" and value == off_range(name):
            continue
        if not _is_default(name, value):
            kwargs[name] = value
    return kwargs


def off_range(name):
    """The pair at which the range control of argument ``name`` means "not given" (its ``ControlSpec.off``).

    >>> off_range("brightness_range"), off_range("blur_sigma_range"), off_range("posterization_bits")
    ((1.0, 1.0), (0.0, 0.0), (8, 8))
    """
    return tuple(CONTROLS[name].off)


def _plain(value):
    """Python values for numpy ones (a list or array becomes a tuple), so they compare and print plainly."""
    if isinstance(value, (list, np.ndarray)):
        return tuple(np.asarray(value).tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def _literal(value):
    """Source text for a value: its repr, or the name of a named function."""
    name = getattr(value, "__name__", None)
    if callable(value) and name is not None and name.isidentifier():
        return name
    return repr(_plain(value))


def _is_default(name, value):
    if name not in CONTROLS:
        return False
    default = CONTROLS[name].default
    if default is None or isinstance(default, bool):
        return value is default or (isinstance(value, np.bool_) and bool(value) is default)
    return value == default and not isinstance(value, bool)


def generator_code(kwargs):
    """The ``ImageDataGenerator(...)`` call for ``kwargs``, ready to paste.

    ``eval`` of the result (with ``ImageDataGenerator`` in scope) builds a
    generator equal to ``ImageDataGenerator(**kwargs)``: values are written
    with ``repr`` (numpy values as Python ones) and a named function, such
    as a ``preprocessing_function``, by its name, which must then be defined
    where the code is pasted. A lambda has no name and is written as its
    repr, which is not code.

    Examples
    --------
    >>> print(generator_code({}))
    ImageDataGenerator()
    >>> print(generator_code({"rotation_range": 30, "horizontal_flip": True}))
    ImageDataGenerator(
        rotation_range=30,
        horizontal_flip=True,
    )
    """
    if not kwargs:
        return "ImageDataGenerator()"
    lines = [f"    {name}={_literal(value)}," for name, value in kwargs.items()]
    return "ImageDataGenerator(\n" + "\n".join(lines) + "\n)"


def preview(image, max_side=256):
    """``image`` shrunk (anti-aliased) so its longer side is at most ``max_side``.

    Grey ``(rows, cols)`` images get a channel axis; the dtype is kept.
    Returns the image itself when it is small enough or ``max_side`` is None.
    """
    array = np.asarray(image)
    if array.ndim == 2:
        array = array[..., np.newaxis]
    if array.ndim != 3:
        raise ValueError(f"image must have shape (rows, cols) or (rows, cols, channels); got {array.shape}")
    rows, cols = array.shape[:2]
    if max_side is None or max(rows, cols) <= max_side:
        return array
    scale = max_side / max(rows, cols)
    shape = (max(1, round(rows * scale)), max(1, round(cols * scale)), array.shape[2])
    small = skimage.transform.resize(array, shape, order=1, anti_aliasing=True, preserve_range=True)
    if np.issubdtype(array.dtype, np.integer):
        small = np.rint(small)
    return small.astype(array.dtype)


def _to_rgb_bytes(image, value_range):
    shown = to_display(image, value_range)
    if shown.ndim == 2:
        shown = shown[..., np.newaxis]
    pixels = (shown[..., :3] * 255 + 0.5).astype(np.uint8)
    return np.repeat(pixels, 3, axis=2) if pixels.shape[2] == 1 else pixels


def compose_grid(images, ncols=3, gap=_GAP):
    """Tile equally shaped ``(rows, cols, 3)`` uint8 images into one, white gaps between."""
    rows, cols = images[0].shape[:2]
    nrows = -(-len(images) // ncols)
    grid = np.full((nrows * rows + (nrows - 1) * gap, ncols * cols + (ncols - 1) * gap, 3), 255, np.uint8)
    for index, image in enumerate(images):
        r, c = divmod(index, ncols)
        top, left = r * (rows + gap), c * (cols + gap)
        grid[top:top + rows, left:left + cols] = image
    return grid


def render_grid(image, generator_kwargs, n=9, ncols=3, *, seed=0, value_range=None):
    """The explorers' picture: ``n`` augmented samples tiled in a uint8 grid.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
        Any numeric dtype; used at its own size (see :func:`preview`).
    generator_kwargs : dict
        ``ImageDataGenerator`` arguments; invalid ones raise its
        ``ValueError`` / ``TypeError``.
    n, ncols : int
        How many samples, in how many columns.
    seed : int, keyword-only
        The samples are :meth:`augkit.ImageDataGenerator.sample_params`
        with this seed, so a grid changes only when a control (or the seed) does.
    value_range : pair of floats, optional
        Shown as black and white; by default the original image's
        :func:`augkit.plotting.display_range`, so brightness shows.

    Returns
    -------
    numpy.ndarray
        ``uint8`` of shape ``(nrows*rows + gaps, ncols*cols + gaps, 3)``.
    """
    n = check_count(n, "n", MAX_GRID_PICTURES, "pictures in one grid")
    ncols = check_count(ncols, "ncols", MAX_GRID_PICTURES, "columns of the grid")
    generator = ImageDataGenerator(**generator_kwargs)
    source = np.asarray(image)
    if source.ndim == 2:
        source = source[..., np.newaxis]
    value_range = display_range(source) if value_range is None else value_range
    params = generator.sample_params(source.shape[:2], n, seed)

    def augment(p):
        return _to_rgb_bytes(apply_transform(generator, source, p), value_range)

    return compose_grid(list(_thread_pool().map(augment, params)), ncols=min(ncols, n))


def _checked_grid(grid):
    pixels = np.asarray(grid)
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"grid must be an RGB uint8 image of shape (rows, cols, 3); got {pixels.dtype} "
                         f"{pixels.shape}")
    return pixels


def encode_image(grid, quality=JPEG_QUALITY):
    """JPEG bytes of an RGB uint8 grid, encoded by Pillow for the ``ipywidgets.Image``.

    JPEG rather than PNG: for a 776x776 grid of photos Pillow writes it in
    about 3 ms (its PNG encoder needs 40-70 ms) and the bytes sent to the
    browser are about six times fewer. At quality 92 the difference to the
    grid is invisible (a few grey levels).

    Examples
    --------
    >>> import numpy as np
    >>> from PIL import Image
    >>> from io import BytesIO
    >>> grid = np.full((16, 24, 3), 128, dtype=np.uint8)
    >>> int(np.abs(np.asarray(Image.open(BytesIO(encode_image(grid)))).astype(int) - 128).max()) <= 2
    True
    """
    pixels = _checked_grid(grid)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def snapshot_jpeg(grid, max_bytes=SNAPSHOT_MAX_BYTES):
    """Small JPEG bytes of an RGB uint8 grid: the static picture a saved notebook keeps of a widget.

    The grid is shrunk (Lanczos, aspect kept) so its longer side is at most
    360 pixels and encoded at quality 70; while the bytes exceed
    ``max_bytes``, the quality and then the size step down (to at worst 180
    pixels at quality 40). A 3x3 grid of the 256-pixel previews of the
    bundled photos takes 13-15 kB, about 20 kB once base64 in a notebook.

    Examples
    --------
    >>> import numpy as np
    >>> from PIL import Image
    >>> from io import BytesIO
    >>> data = snapshot_jpeg(np.zeros((520, 776, 3), np.uint8))
    >>> Image.open(BytesIO(data)).size, len(data) <= SNAPSHOT_MAX_BYTES
    ((360, 241), True)
    """
    pixels = Image.fromarray(np.ascontiguousarray(_checked_grid(grid)))
    for side in _SNAPSHOT_SIDES:
        picture = pixels.copy()
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
        for quality in _SNAPSHOT_QUALITIES:
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=quality, optimize=True)
            if buffer.tell() <= max_bytes:
                break
        else:
            continue
        break
    return buffer.getvalue()


def settings_text(kwargs):
    """The arguments as one line, ``name=value`` separated by commas (``"no arguments"`` for none).

    Examples
    --------
    >>> settings_text({"rotation_range": 90.0, "fill_mode": "constant"})
    "rotation_range=90.0, fill_mode='constant'"
    >>> settings_text({})
    'no arguments'
    """
    return ", ".join(f"{name}={_literal(value)}" for name, value in kwargs.items()) or "no arguments"


def control_tooltip(name, scale=1.0):
    """The tooltip of the control of argument ``name``: unit, range, what the value means, Keras's default.

    Written from the control's :class:`~augkit.spec.ControlSpec` and, for a
    random argument, the parameters the spec table samples from it.

    Parameters
    ----------
    name : str
        A key of :data:`CONTROLS`.
    scale : float
        The image's value range (1 or 255) that a ``relative`` slider's
        bounds are fractions of.

    Examples
    --------
    >>> print(control_tooltip("rotation_range"))
    rotation_range: degrees: angle uniform in [-r, r]. Samples theta [degrees].
    Slider from 0 to 180 in steps of 1; 0 (Keras's default) is off.
    >>> print(control_tooltip("horizontal_flip"))
    horizontal_flip: mirror left-right with probability 1/2. Samples flip_horizontal [True or False].
    Ticked: on; unticked (Keras's default): off.
    """
    spec = CONTROLS[name]
    beyond = f"Keras has no {name}" if name in _AUGKIT_ONLY else None
    whose = f"the default; {beyond}" if beyond else "Keras's default"
    parts = [f"{name}: {spec.unit}."]
    keys = _KEYS.get(name, ())
    if keys:
        parts.append("Samples " + ", ".join(f"{key.name} [{key.unit or 'True or False'}]" for key in keys) + ".")
    if spec.kind == "float":
        factor = scale if spec.relative else 1.0
        of_range = f" (of this image's 0-{scale:g} value range)" if spec.relative else ""
        parts.append(f"Slider from {spec.low * factor:g} to {spec.high * factor:g}{of_range} in steps of "
                     f"{spec.step * factor:.3g}; {spec.default:g} ({whose}) is "
                     f"{'off' if name in _KEYS else 'black'}.")
    elif spec.kind == "range":
        default = f"the default {spec.default!r}; {beyond}" if beyond else f"Keras's default {spec.default!r}"
        parts.append(f"Two handles from {spec.low:g} to {spec.high:g}; both at {spec.off[0]:g} means off "
                     f"({default}).")
    elif spec.kind == "bool":
        parts.append(f"Ticked: on; unticked ({whose}): off.")
    else:
        meanings = _CHOICES.get(name, {})
        choices = "; ".join(f"{option!r}: {meanings[option]}" if option in meanings else repr(option)
                            for option in spec.options)
        parts.append(f"Choices: {choices}. " + (f"The default ({beyond})" if beyond else "Keras's default")
                     + f": {spec.default!r}.")
    return " ".join(parts)
