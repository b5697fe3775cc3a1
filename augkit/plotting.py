"""Pictures of augmentation: matplotlib grids and diagrams.

Every function takes ``ax=None`` or ``fig=None`` (a new figure is made when
None), returns the :class:`matplotlib.figure.Figure` and never calls
``plt.show()``. Parameters are decided elsewhere: a generator samples them
(:meth:`augkit.ImageDataGenerator.sample_params`) or the caller passes them;
the documented ranges come from :meth:`augkit.params.ParamRanges.documented_range`.

Images are ``(rows, cols)`` or ``(rows, cols, channels)`` arrays of any
numeric dtype. They are displayed on a fixed scale, never stretched per
image: 0-1 for floats in [0, 1], 0-255 for data in [0, 255], otherwise the
data's own min and max (see :func:`display_range`). Augmented samples are
shown on the scale of the original, so brightness changes stay visible.

Sampling functions take the number of samples ``n`` (positional or by
keyword) and ``seed`` by keyword only, as everywhere in augkit
(``sample_params(img_shape, n, seed)``, :func:`augkit.widgets.render_grid`,
:func:`augkit.params.sample`): ``show_augmented(image, gen, 9, seed=0)``.

Examples
--------
>>> import numpy as np
>>> from augkit import ImageDataGenerator
>>> image = np.zeros((24, 32, 3), dtype=np.uint8)
>>> fig = show_augmented(image, ImageDataGenerator(rotation_range=30), n=4, seed=0)
>>> len(fig.axes)
4
"""

import math
import numbers
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from augkit import kernels
from augkit.conventions import CONVENTIONS
from augkit.generator import ImageDataGenerator
from augkit.limits import MAX_GRID_PICTURES, check_count
from augkit.params import ARGUMENT_OF, TransformParams, parameter_name
from augkit.spec import AUGMENTATIONS, units_of

__all__ = [
    "apply_transform", "compare_conventions", "display_range", "plot_parameter_distribution",
    "show_augmented", "show_before_after", "show_grid", "show_warp_grid", "to_display",
]

_UNITS = units_of(AUGMENTATIONS)  # {parameter: unit}, from the parameter spec table
# Largest figure width in inches: wide grids shrink their cells instead of growing.
_MAX_WIDTH = 15.0
#: The most samples :func:`plot_parameter_distribution` draws.
MAX_HISTOGRAM_SAMPLES = 10**6


# Display scale


def display_range(image):
    """The fixed ``(low, high)`` an image is displayed on.

    0-1 for floats within [0, 1], 0-255 for any data within [0, 255] (uint8
    included), otherwise the data's own min and max. NaN and inf are left
    out (an image with one NaN pixel is still shown on its finite values'
    range; :func:`to_display` draws NaN black and inf white or black).

    Examples
    --------
    >>> import numpy as np
    >>> display_range(np.array([[0.2, 0.9]]))
    (0.0, 1.0)
    >>> display_range(np.array([[3, 200]], dtype=np.uint8))
    (0.0, 255.0)
    """
    array = np.asarray(image)
    if array.dtype == bool:
        return 0.0, 1.0
    if array.size == 0:
        return 0.0, 1.0
    if np.issubdtype(array.dtype, np.floating) and not (np.isfinite(array.min()) and np.isfinite(array.max())):
        array = array[np.isfinite(array)]  # only when needed: one pass over the image
        if array.size == 0:
            return 0.0, 1.0
    low, high = kernels.value_range(array)
    return (low, high) if high > low else (low, low + 1.0)


def to_display(image, value_range=None):
    """An image as float32 in [0, 1], 2-D for grey, ready for ``imshow``.

    Parameters
    ----------
    image : array_like, shape (rows, cols) or (rows, cols, channels)
        One, three or four channels (a single channel is shown grey).
    value_range : pair of floats, optional
        The ``(low, high)`` mapped to black and white; by default
        :func:`display_range` of ``image``.

    Examples
    --------
    >>> import numpy as np
    >>> to_display(np.array([[0, 255]], dtype=np.uint8)).tolist()
    [[0.0, 1.0]]
    """
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(f"image must have shape (rows, cols), (rows, cols, 1), (rows, cols, 3) or "
                         f"(rows, cols, 4); got {array.shape}")
    low, high = display_range(array) if value_range is None else value_range
    scaled = (array.astype(np.float32) - np.float32(low)) / np.float32(high - low)
    np.clip(scaled, 0.0, 1.0, out=scaled)  # +inf -> 1 (white), -inf -> 0 (black)
    return np.nan_to_num(scaled, nan=0.0, copy=False)  # NaN -> black


def _imshow(ax, image, value_range=None):
    shown = to_display(image, value_range)
    ax.imshow(shown, cmap="gray" if shown.ndim == 2 else None, vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


# Image and shape helpers shared by the pictures and the widgets


def _as_image(image):
    array = np.asarray(image)
    return array[..., np.newaxis] if array.ndim == 2 else array


def _generator_shape(generator, image_shape):
    """A channels-last ``(rows, cols[, channels])`` shape in the generator's ``data_format``."""
    shape = tuple(image_shape) if len(image_shape) == 3 else tuple(image_shape) + (1,)
    return (shape[2],) + shape[:2] if generator.data_format == "channels_first" else shape


def apply_transform(generator, image, params):
    """``generator.apply_transform`` for a channels-last image, whatever its ``data_format``.

    The pictures here are all ``(rows, cols, channels)``; a ``channels_first``
    generator gets the image with the channel axis moved first and gives
    its result back channels-last.
    """
    if generator.data_format == "channels_first":
        return np.moveaxis(generator.apply_transform(np.moveaxis(image, -1, 0), params), 0, -1)
    return generator.apply_transform(image, params)


# Grids


def _grid_shape(n, ncols):
    if ncols is None:
        ncols = min(n, max(1, math.ceil(math.sqrt(n))), 8)
    if isinstance(ncols, bool) or not isinstance(ncols, numbers.Integral) or ncols < 1:
        raise ValueError(f"ncols={ncols!r} must be a positive int")
    ncols = min(int(ncols), n)
    return math.ceil(n / ncols), ncols


def _new_figure(fig, nrows, ncols, cell_aspect, titled):
    """A figure of ``nrows`` x ``ncols`` axes, at most ``_MAX_WIDTH`` inches wide."""
    if fig is None:
        cell = min(2.6, _MAX_WIDTH / ncols)
        height = nrows * (cell * cell_aspect + (0.55 if titled else 0.1))
        fig = plt.figure(figsize=(cell * ncols, max(height, 1.2)), layout="constrained")
    else:
        fig.clear()
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    return fig, axes


def _title_font(ncols):
    return 9 if ncols <= 4 else 8 if ncols <= 6 else 7


def _wrap(title, ncols):
    width = 30 if ncols <= 4 else 22 if ncols <= 6 else 16
    return "\n".join(textwrap.wrap(str(title), width, break_on_hyphens=False)[:4])


def show_grid(images, titles=None, ncols=None, *, value_range=None, suptitle=None, fig=None):
    """Show images in a grid of ``ncols`` columns.

    Parameters
    ----------
    images : sequence of arrays or an array of shape (n, rows, cols[, channels])
        Colour or grey, float or integer; each shown on a fixed scale.
    titles : sequence of str, optional
        One per image; long ones are wrapped.
    ncols : int, optional
        Columns; by default about the square root of the count (at most 8).
        Wide grids shrink their cells so the figure stays at most 15 inches
        wide.
    value_range : pair of floats, optional
        ``(low, high)`` shown as black and white for every image; by default
        :func:`display_range` of each image.
    suptitle : str, optional
    fig : matplotlib.figure.Figure, optional
        Drawn into (cleared first); a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = show_grid([np.zeros((8, 8)), np.ones((8, 8, 3))], titles=["grey", "colour"])
    >>> [ax.get_title() for ax in fig.axes]
    ['grey', 'colour']
    """
    images = list(images)
    if not images:
        raise ValueError("images is empty; give at least one image")
    if titles is not None:
        titles = list(titles)
        if len(titles) != len(images):
            raise ValueError(f"got {len(titles)} titles for {len(images)} images")
    nrows, ncols = _grid_shape(len(images), ncols)
    first = np.asarray(images[0])
    fig, axes = _new_figure(fig, nrows, ncols, first.shape[0] / first.shape[1], titles is not None)
    for index, ax in enumerate(axes):
        if index >= len(images):
            ax.set_axis_off()
            continue
        _imshow(ax, images[index], value_range)
        if titles is not None:
            ax.set_title(_wrap(titles[index], ncols), fontsize=_title_font(ncols))
    if suptitle:
        width_chars = int(fig.get_figwidth() * 11)
        fig.suptitle("\n".join(textwrap.wrap(suptitle, width_chars)), fontsize=10)
    return fig


def show_augmented(image, generator, n=9, *, seed=0, ncols=None, titles=True, fig=None):
    """``n`` augmented samples of one image, each titled with its parameters.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    generator : ImageDataGenerator
    n : int
        Number of samples.
    seed : int, keyword-only
        The same seed gives the same samples (see
        :meth:`augkit.ImageDataGenerator.sample_params`).
    ncols : int, optional
    titles : bool
        Title each sample with its sampled parameters, e.g.
        ``"θ=-12.3°, zx=1.08, zy=0.95"``.
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    n = check_count(n, "n", MAX_GRID_PICTURES, "pictures in one grid")
    source = _as_image(image)
    params = generator.sample_params(source.shape[:2], n, seed)
    samples = [apply_transform(generator, source, p) for p in params]
    return show_grid(samples, [str(p) for p in params] if titles else None, ncols,
                     value_range=display_range(source), fig=fig, suptitle=repr(generator))


def show_before_after(image, transform_parameters, generator=None, *, fig=None):
    """The image and the image transformed by given parameters, side by side.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    transform_parameters : dict or TransformParams
        Keras's keys (``theta``, ``tx``, ...); missing keys are neutral.
    generator : ImageDataGenerator, optional
        Supplies ``fill_mode``, ``cval``, interpolation and convention; a
        default one when None.
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = show_before_after(np.zeros((8, 12, 3)), {"theta": 90})
    >>> fig.axes[1].get_title()
    'after: θ=90.0°'
    """
    params = TransformParams.of(transform_parameters)
    generator = ImageDataGenerator() if generator is None else generator
    source = _as_image(image)
    after = apply_transform(generator, source, params)
    return show_grid([source, after], ["before", f"after: {params}"], ncols=2,
                     value_range=display_range(source), fig=fig)


# Warp diagram


def _forward(matrix, points):
    """Map ``(row, col)`` points of the input to where they land in the output."""
    homogeneous = np.column_stack([points, np.ones(len(points))])
    return (np.linalg.inv(matrix) @ homogeneous.T).T[:, :2]


def _grid_lines(rows, cols, spacing):
    """Regularly spaced horizontal and vertical lines over the image, as point arrays."""
    lines = []
    for r in np.arange(0, rows, spacing):
        lines.append(("h", np.column_stack([np.full(50, r), np.linspace(0, cols - 1, 50)])))
    for c in np.arange(0, cols, spacing):
        lines.append(("v", np.column_stack([np.linspace(0, rows - 1, 50), np.full(50, c)])))
    return lines


def _draw_lines(ax, lines, rows, cols):
    colours = {"h": "tab:orange", "v": "tab:cyan"}
    for kind, points in lines:
        ax.plot(points[:, 1], points[:, 0], color=colours[kind], linewidth=1)
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)


def show_warp_grid(image, transform_parameters, generator=None, *, spacing=None, fig=None):
    """How a regular coordinate grid moves under a transform.

    Left: the input with a regular grid (orange rows, cyan columns) and its
    centre. Right: the output with the same lines carried along by the
    transform, and the input's border (dashed), so you see what moved where
    and where ``fill_mode`` had to invent pixels.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    transform_parameters : dict or TransformParams
    generator : ImageDataGenerator, optional
        Supplies fill mode and convention (the centre and axes differ between
        conventions); a default one when None.
    spacing : float, optional
        Grid spacing in pixels; about an eighth of the smaller side by default.
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = show_warp_grid(np.zeros((40, 60, 3)), TransformParams(theta=30))
    >>> [ax.get_title() for ax in fig.axes]
    ['input, regular grid', 'output: θ=30.0°']
    """
    params = TransformParams.of(transform_parameters)
    generator = ImageDataGenerator() if generator is None else generator
    source = _as_image(image)
    rows, cols = source.shape[:2]
    spacing = max(2.0, min(rows, cols) / 8) if spacing is None else float(spacing)
    fig = show_grid([source, apply_transform(generator, source, params)],
                    ["input, regular grid", f"output: {params}"], ncols=2,
                    value_range=display_range(source), fig=fig)
    before, after = fig.axes
    lines = _grid_lines(rows, cols, spacing)
    _draw_lines(before, lines, rows, cols)
    centre = np.array([[(rows - 1) / 2, (cols - 1) / 2]])
    before.plot(centre[:, 1], centre[:, 0], "+", color="red", markersize=12, markeredgewidth=2)
    matrix = generator.transform_matrix(params, _generator_shape(generator, source.shape))
    _draw_lines(after, [(kind, _forward(matrix, points)) for kind, points in lines], rows, cols)
    border = np.array([[0, 0], [0, cols - 1], [rows - 1, cols - 1], [rows - 1, 0], [0, 0]], dtype=float)
    moved = _forward(matrix, border)
    after.plot(moved[:, 1], moved[:, 0], "--", color="white", linewidth=1.5)
    moved_centre = _forward(matrix, centre)
    after.plot(moved_centre[:, 1], moved_centre[:, 0], "+", color="red", markersize=12, markeredgewidth=2)
    return fig


# Distributions


def _sampled_values(generator, name, image_shape, n, seed):
    n = check_count(n, "n", MAX_HISTOGRAM_SAMPLES, "a histogram needs far fewer; 10**6 take seconds to sample")
    params = generator.sample_params(tuple(image_shape)[:2], n, seed)
    values = [getattr(p, name) for p in params]
    if name in ("channel_shift_intensity", "brightness") and values[0] is None:
        return np.zeros(0)
    return np.asarray(values, dtype=float)


def plot_parameter_distribution(generator, parameter, n=2000, *, seed=0, image_shape=(256, 256), ax=None):
    """Histogram of a parameter's sampled values, with the documented range shaded.

    This is how a notebook shows "the documentation says" next to "the code
    does": the shaded band is the generator's
    :meth:`~augkit.params.ParamRanges.documented_range`, the bars are what
    ``generator`` actually samples. Flips are shown as the fraction of
    samples flipped, against the documented 1/2.

    Parameters
    ----------
    generator : ImageDataGenerator
    parameter : str
        A key of the transform dict (``theta``, ...) or the argument it
        comes from (``rotation_range``, ...; ``zoom_range`` means ``zx``).
    n : int
        Number of samples.
    seed : int, keyword-only
    image_shape : tuple
        ``(rows, cols, ...)`` of the images the shifts are scaled by.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_parameter_distribution(ImageDataGenerator(rotation_range=30), "rotation_range", n=500)
    >>> fig.axes[0].get_xlabel()
    'theta (degrees)'
    """
    name = parameter_name(parameter)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    else:
        fig = ax.figure
    values = _sampled_values(generator, name, image_shape, n, seed)
    if name in ("flip_horizontal", "flip_vertical"):
        _draw_flip_bars(ax, values, getattr(generator.ranges, ARGUMENT_OF[name]))
    else:
        _draw_histogram(ax, generator, name, values, image_shape)
    ax.set_title(f"{name} ({ARGUMENT_OF[name]}), {len(values)} samples, {_convention_label(generator)}",
                 fontsize=9)
    return fig


def _convention_label(generator):
    return generator.convention.label


def _draw_flip_bars(ax, values, enabled):
    fraction = float(values.mean()) if len(values) else 0.0
    ax.bar(["not flipped", "flipped"], [1 - fraction, fraction], color="tab:blue")
    expected = 0.5 if enabled else 0.0
    ax.axhline(expected, color="tab:red", linestyle="--", label=f"documented: {expected:g} flipped")
    ax.set_ylim(0, 1)
    ax.set_ylabel("fraction of samples")
    ax.legend(loc="upper right", fontsize=8)


def _draw_histogram(ax, generator, name, values, image_shape):
    documented = generator.ranges.documented_range(name, image_shape)
    if len(values) == 0:
        ax.text(0.5, 0.5, f"{ARGUMENT_OF[name]} is off: nothing sampled", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_yticks([])
        return
    distinct, counts = np.unique(values, return_counts=True)
    if len(distinct) <= 30 < len(values):  # a few discrete values: one bar each
        gap = np.diff(distinct).min() if len(distinct) > 1 else 1.0
        ax.bar(distinct, counts, width=0.6 * gap, color="tab:blue", label="sampled by the code")
    else:
        ax.hist(values, bins=40, color="tab:blue", label="sampled by the code")
    if documented is not None:
        low, high = documented
        pad = 0.02 * (high - low) if high > low else 0.5
        ax.axvspan(low, high, color="tab:green", alpha=0.15, zorder=0,
                   label=f"documented range [{low:.4g}, {high:.4g}]")
        ax.axvline(low, color="tab:green")
        ax.axvline(high, color="tab:green")
        ax.set_xlim(min(low, values.min()) - pad, max(high, values.max()) + pad)
    ax.set_xlabel(f"{name} ({_UNITS[name]})")
    ax.set_ylabel("count")
    ax.legend(loc="upper right", fontsize=8)


# Conventions side by side


def compare_conventions(image, *, seed=0, params=None, fig=None, **generator_kwargs):
    """One transform under the three conventions, side by side.

    The parameters are sampled once (by the default generator with ``seed``,
    or given as ``params``) and applied under ``compat=None``,
    ``"keras_preprocessing"`` and ``"tf_keras"``, so every difference in the
    pictures comes from the convention alone: the centre of rotation, the
    sign of the angle, the axis ``width_shift_range`` moves, brightness. Use
    a non-square image: the tf_keras centre and shift bugs only show there.
    A red cross marks the true centre of the image.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    seed : int, keyword-only
    params : dict or TransformParams, optional
        Use these parameters instead of sampling.
    fig : matplotlib.figure.Figure, optional
    **generator_kwargs
        ``ImageDataGenerator`` arguments (``rotation_range=30``, ...).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = compare_conventions(np.zeros((30, 45, 3)), params={"theta": 20})
    >>> [ax.get_title() for ax in fig.axes][1:]
    ['compat=None (documented)', "compat='keras_preprocessing'", "compat='tf_keras'"]
    """
    if "compat" in generator_kwargs:
        raise TypeError("compare_conventions shows every compat mode; do not pass compat=")
    source = _as_image(image)
    generators = {compat: ImageDataGenerator(**generator_kwargs, compat=compat) for compat in CONVENTIONS}
    if params is None:
        params = generators[None].sample_params(source.shape[:2], 1, seed)[0]
    params = TransformParams.of(params)
    pictures = [source] + [gen.apply_transform(source, params) for gen in generators.values()]
    titles = ["original"] + [convention.label for convention in CONVENTIONS.values()]
    fig = show_grid(pictures, titles, ncols=4, value_range=display_range(source), fig=fig,
                    suptitle=f"the same parameters: {params}")
    rows, cols = source.shape[:2]
    for ax in fig.axes:
        ax.plot([(cols - 1) / 2], [(rows - 1) / 2], "+", color="red", markersize=10, markeredgewidth=2)
    return fig

