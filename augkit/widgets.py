"""Interactive explorers for Jupyter: controls wired to the generator and a live grid.

Wiring only. The logic is in plain functions tested without a browser:

* :func:`controls_to_kwargs` turns control values into ``ImageDataGenerator``
  arguments (dropping the ones left at Keras's defaults);
* :func:`generator_code` writes those arguments as copy-paste-ready code;
* :func:`render_grid` samples ``n`` transforms with a fixed ``seed`` (keyword-only,
  as in every augkit sampling helper), warps them
  on a two-thread pool and composes a uint8 grid in numpy;
* :func:`encode_image` turns the grid into the JPEG bytes (Pillow) of an
  ``ipywidgets.Image``.

The widgets (:func:`explore`, :func:`playground`) call those on every change.
A redraw takes well under 100 ms for a 3x3 grid of 256x256 samples because
nothing goes through matplotlib: pictures for the notebook text are made with
:mod:`augkit.plotting`.

The explorers work on a preview of the image, at most ``max_side`` pixels on
its longer side (256 by default), so shifts given in pixels refer to the
preview; the status line says its size.
"""

import io
import math
import numbers
import time
from concurrent.futures import ThreadPoolExecutor

import ipywidgets
import numpy as np
import skimage.transform
from PIL import Image

from augkit.generator import ARGUMENTS, ImageDataGenerator
from augkit.limits import MAX_GRID_PICTURES, check_count, check_seed
from augkit.plotting import apply_transform, display_range, to_display
from augkit.spec import AUGMENTATIONS, ControlSpec

__all__ = ["CONTROLS", "ControlSpec", "GridExplorer", "controls_to_kwargs", "encode_image", "explore",
           "generator_code", "playground", "preview", "render_grid"]


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


def controls_of(table):
    """``{argument: ControlSpec}``: each entry's control of ``table`` and the other controls, in Keras's order."""
    controls = {**{entry.argument: entry.control for entry in table}, **_OTHER_CONTROLS}
    order = list(ARGUMENTS) + [entry.argument for entry in table]
    return {name: controls[name] for name in sorted(controls, key=order.index)}


#: Every argument the playground shows, in Keras's order.
CONTROLS = controls_of(AUGMENTATIONS)

_NEUTRAL_RANGE = (1.0, 1.0)
# A dropdown cannot hold None as a value (None means "nothing selected"): it holds this.
_NONE = "None"
_GAP = 4  # pixels between the cells of a grid
JPEG_QUALITY = 92  # of the grid sent to the browser
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
        slider gives a pair, ``(1.0, 1.0)`` meaning off; a dropdown gives
        ``"None"`` for None).

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
    """
    kwargs = {}
    order = list(CONTROLS) + [name for name in values if name not in CONTROLS]
    for name in order:
        if name not in values:
            continue
        value = _plain(values[name])
        if name in CONTROLS:
            value = _clean(value)
        if value == _NONE and name in CONTROLS and None in CONTROLS[name].options:
            value = None
        if name in CONTROLS and CONTROLS[name].kind == "range" and value == _NEUTRAL_RANGE:
            continue
        if not _is_default(name, value):
            kwargs[name] = value
    return kwargs


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
    pixels = np.asarray(grid)
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"grid must be an RGB uint8 image of shape (rows, cols, 3); got {pixels.dtype} "
                         f"{pixels.shape}")
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


# The wiring


def _scale_of(image):
    low, high = display_range(image)
    return high - low


def _check_start(name, value, spec, factor):
    """Refuse a starting value the control cannot show (a slider would clamp it silently)."""
    if spec.kind == "float":
        low, high = spec.low * factor, spec.high * factor
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
            raise ValueError(f"{name}={value!r}: its slider takes one number from {low:g} to {high:g} "
                             f"({spec.unit}); for other values use ImageDataGenerator directly")
    elif spec.kind == "range":
        if value is not None and not (len(value) == 2 and spec.low <= min(value) <= max(value) <= spec.high):
            raise ValueError(f"{name}={value!r}: its slider takes a pair from {spec.low:g} to {spec.high:g}")
    elif spec.kind == "bool" and not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} must be True or False")
    elif spec.kind == "choice" and value not in spec.options:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(repr, spec.options))}")


def _make_control(name, value, scale):
    spec = CONTROLS[name]
    _check_start(name, value, spec, scale if spec.relative else 1.0)
    common = dict(description=name, tooltip=spec.unit, style={"description_width": "140px"},
                  layout=ipywidgets.Layout(width="360px"), continuous_update=False)
    factor = scale if spec.relative else 1.0
    if spec.kind == "float":
        return ipywidgets.FloatSlider(value=value, min=spec.low * factor, max=spec.high * factor,
                                      step=spec.step * factor, readout_format=".3g", **common)
    if spec.kind == "range":
        return ipywidgets.FloatRangeSlider(value=value or _NEUTRAL_RANGE, min=spec.low, max=spec.high,
                                           step=spec.step, **common)
    common.pop("continuous_update")
    if spec.kind == "bool":
        return ipywidgets.Checkbox(value=value, indent=False, **common)
    options = [(_option_label(o), _NONE if o is None else o) for o in spec.options]
    return ipywidgets.Dropdown(options=options, value=_NONE if value is None else value, **common)


def _option_label(option):
    if option is None:
        return "None (documented)"
    return str(option)


class GridExplorer(ipywidgets.VBox):
    """Controls, a live 3x3 grid of samples, a "new seed" button and the code.

    Made by :func:`explore` and :func:`playground`. Attributes for scripts
    and tests: ``controls`` (name to widget), ``image`` (the
    ``ipywidgets.Image``), ``code`` (the ``Textarea``), ``seed``,
    ``new_seed_button``, ``status``, ``samples`` (each cell's sampled
    parameters) and ``last_redraw_seconds`` (the last redraw, from the
    change to the PNG handed over; the parameter list is written after).
    """

    def __init__(self, image, names, values, fixed=None, *, n=9, seed=0, ncols=None, max_side=256):
        self.source = preview(image, max_side)
        self.value_range = display_range(self.source)
        self.fixed = dict(fixed or {})
        ImageDataGenerator(**self.fixed)  # invalid fixed arguments fail here, at once
        n = check_count(n, "n", MAX_GRID_PICTURES, "pictures in one grid")
        if ncols is not None:
            ncols = check_count(ncols, "ncols", MAX_GRID_PICTURES, "columns of the grid")
        self.seed, self.n = check_seed(seed, legacy=False), n
        self.ncols = ncols if ncols is not None else max(1, math.ceil(math.sqrt(n)))
        self.last_redraw_seconds = None
        scale = _scale_of(self.source)
        self.controls = {name: _make_control(name, values[name], scale) for name in names}
        self.image = ipywidgets.Image(format="jpeg", layout=ipywidgets.Layout(max_width="100%"))
        self.code = ipywidgets.Textarea(layout=ipywidgets.Layout(width="360px"))
        self.new_seed_button = ipywidgets.Button(description="new seed", icon="refresh",
                                                 tooltip="draw different samples with the same settings")
        self.status = ipywidgets.HTML()
        self.samples = ipywidgets.HTML()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.new_seed_button.on_click(self._on_new_seed)
        left = ipywidgets.VBox([*self.controls.values(), self.new_seed_button, self.code],
                               layout=ipywidgets.Layout(min_width="370px"))
        super().__init__([ipywidgets.HBox([left, ipywidgets.VBox([self.image, self.status, self.samples])])])
        self.redraw()

    def __repr__(self):
        # The text a saved notebook shows where the widget was (Jupyter cuts it at 110 characters).
        what = "playground" if len(self.controls) > 1 else f"explorer of {next(iter(self.controls))}"
        return f"augkit {what} (seed {self.seed}): run the cell in Jupyter to use the controls"

    def generator_kwargs(self):
        """The ``ImageDataGenerator`` arguments the controls describe."""
        values = dict(self.fixed)
        values.update({name: control.value for name, control in self.controls.items()})
        return controls_to_kwargs(values)

    def redraw(self):
        """Render the grid for the current values and hand the PNG to the frontend."""
        started = time.perf_counter()
        kwargs = self.generator_kwargs()
        self.code.value = "from augkit import ImageDataGenerator\n\ndatagen = " + generator_code(kwargs)
        self.code.rows = self.code.value.count("\n") + 2
        try:
            grid = render_grid(self.source, kwargs, self.n, self.ncols, seed=self.seed,
                               value_range=self.value_range)
        except (ValueError, TypeError) as err:  # e.g. a combination the generator rejects
            self.status.value = f"<span style='color:#b00'>cannot draw: {_escape(err)}</span>"
            return
        self.image.value = encode_image(grid)
        self.last_redraw_seconds = time.perf_counter() - started
        self.samples.value = _sample_list(self.source, kwargs, self.n, self.ncols, seed=self.seed)
        rows, cols = self.source.shape[:2]
        self.status.value = (f"seed {self.seed} · preview {rows}×{cols} px · "
                             f"redrawn in {1000 * self.last_redraw_seconds:.0f} ms")

    def _on_change(self, change):
        self.redraw()

    def _on_new_seed(self, button=None):
        self.seed += 1
        self.redraw()


def _sample_list(source, kwargs, n, ncols, *, seed):
    """The sampled parameters of each cell, as small HTML lines (row, column: parameters)."""
    params = ImageDataGenerator(**kwargs).sample_params(source.shape[:2], n, seed)
    lines = [f"({i // ncols + 1}, {i % ncols + 1}) {_escape(p)}" for i, p in enumerate(params)]
    return "<div style='font-size:11px; line-height:1.3; font-family:monospace'>" + "<br>".join(lines) + "</div>"


def _escape(err):
    return str(err).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _check_names(names):
    unknown = [name for name in names if name not in CONTROLS]
    if unknown:
        raise ValueError(f"{unknown[0]!r} has no control; use one of {', '.join(CONTROLS)}")


def explore(image, parameter, value=None, *, n=9, seed=0, max_side=256, **fixed):
    """One control for one ``ImageDataGenerator`` argument, and a grid of samples.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    parameter : str
        An argument name, e.g. ``"rotation_range"``, ``"fill_mode"``,
        ``"horizontal_flip"`` (see :data:`CONTROLS`).
    value : optional
        Where the control starts; by default a value that shows the effect
        (``CONTROLS[parameter].start``). It must suit the control: a float
        for sliders (``zoom_range=0.2``, not a pair), a pair for
        ``brightness_range``.
    n : int
        Number of samples (9 makes a 3x3 grid).
    seed : int
        Fixed, so only the control changes the picture; "new seed" adds 1.
    max_side : int
        The longer side of the preview the samples are made from.
    **fixed
        Other ``ImageDataGenerator`` arguments, held fixed (for instance
        ``explore(img, "fill_mode", rotation_range=40)``). The grid shows the
        random augmentation (what ``random_transform`` does); ``standardize``
        options such as ``rescale`` or ``preprocessing_function`` are kept in
        the generated code but not applied to the pictures.

    Returns
    -------
    GridExplorer
        Display it as the last line of a cell.
    """
    _check_names([parameter])
    if value is None:
        value = CONTROLS[parameter].start
        if CONTROLS[parameter].relative:
            value = value * _scale_of(preview(image, max_side))
    return GridExplorer(image, [parameter], {parameter: value}, fixed, n=n, seed=seed, max_side=max_side)


def playground(image, *, n=9, seed=0, max_side=256, **initial):
    """Controls for every geometric and intensity argument, the grid, and the code.

    The text area always holds the exact ``ImageDataGenerator(...)`` call for
    the current settings (only the arguments that differ from the defaults),
    ready to copy into a training script.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    n, seed, max_side
        As for :func:`explore`.
    **initial
        Starting values, e.g. ``playground(img, rotation_range=20)``.

    Returns
    -------
    GridExplorer
    """
    _check_names(initial)
    ImageDataGenerator(**initial)
    values = {name: spec.default for name, spec in CONTROLS.items()}
    values.update(initial)
    return GridExplorer(image, list(CONTROLS), values, n=n, seed=seed, max_side=max_side)
