"""What every picture of :mod:`augkit.plotting` shares: the display scale, shapes and grids of axes.

Images are shown on a fixed scale, never stretched per image (see
:func:`display_range`); the widgets use the same scale. Grids shrink their
cells rather than grow past :data:`MAX_WIDTH` inches.
"""

import math
import numbers
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from augkit import kernels

__all__ = ["MAX_WIDTH", "apply_transform", "as_image", "display_range", "generator_shape", "grid_shape",
           "imshow", "new_figure", "show_grid", "title_font", "to_display", "wrap_title"]

#: Largest figure width in inches: wide grids shrink their cells instead of growing.
MAX_WIDTH = 15.0


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


def imshow(ax, image, value_range=None):
    shown = to_display(image, value_range)
    ax.imshow(shown, cmap="gray" if shown.ndim == 2 else None, vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


# Image and shape helpers shared by the pictures and the widgets


def as_image(image):
    array = np.asarray(image)
    return array[..., np.newaxis] if array.ndim == 2 else array


def generator_shape(generator, image_shape):
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


def grid_shape(n, ncols):
    if ncols is None:
        ncols = min(n, max(1, math.ceil(math.sqrt(n))), 8)
    if isinstance(ncols, bool) or not isinstance(ncols, numbers.Integral) or ncols < 1:
        raise ValueError(f"ncols={ncols!r} must be a positive int")
    ncols = min(int(ncols), n)
    return math.ceil(n / ncols), ncols


def new_figure(fig, nrows, ncols, cell_aspect, titled):
    """A figure of ``nrows`` x ``ncols`` axes, at most ``MAX_WIDTH`` inches wide."""
    if fig is None:
        cell = min(2.6, MAX_WIDTH / ncols)
        height = nrows * (cell * cell_aspect + (0.55 if titled else 0.1))
        fig = plt.figure(figsize=(cell * ncols, max(height, 1.2)), layout="constrained")
    else:
        fig.clear()
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    return fig, axes


def title_font(ncols):
    return 9 if ncols <= 4 else 8 if ncols <= 6 else 7


def wrap_title(title, ncols):
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
    nrows, ncols = grid_shape(len(images), ncols)
    first = np.asarray(images[0])
    fig, axes = new_figure(fig, nrows, ncols, first.shape[0] / first.shape[1], titles is not None)
    for index, ax in enumerate(axes):
        if index >= len(images):
            ax.set_axis_off()
            continue
        imshow(ax, images[index], value_range)
        if titles is not None:
            ax.set_title(wrap_title(titles[index], ncols), fontsize=title_font(ncols))
    if suptitle:
        width_chars = int(fig.get_figwidth() * 11)
        fig.suptitle("\n".join(textwrap.wrap(suptitle, width_chars)), fontsize=10)
    return fig
