"""Masks, one at a time: fill values, the nearest-neighbour warp, loading, overlays, detection.

The pieces :mod:`augkit.segmentation`'s iterators and ``ImageDataGenerator.fit``
use. A mask is ``(rows, cols)`` or ``(rows, cols, k)``: one channel of labels,
or ``k`` one-hot channels (one per class).
"""

import numpy as np

from augkit import kernels
from augkit.decode import COLOR_MODES, MASK, decode_file

__all__ = ["MAX_MASK_LABELS", "label_mask_warning", "load_mask", "looks_like_label_mask", "mask_fill",
           "mask_overlay", "warp_mask"]

#: At most this many distinct whole values make data "look like a label mask" to ``fit``.
MAX_MASK_LABELS = 32

# Label 1, 2, ... get these colours in overlays (matplotlib's tab10, as RGB in 0-1).
_PALETTE = np.array([
    (0.122, 0.467, 0.706), (1.000, 0.498, 0.055), (0.173, 0.627, 0.173), (0.839, 0.153, 0.157),
    (0.580, 0.404, 0.741), (0.549, 0.337, 0.294), (0.890, 0.467, 0.761), (0.498, 0.498, 0.498),
    (0.737, 0.741, 0.133), (0.090, 0.745, 0.812)])


def mask_fill(mask_shape, mask_cval, one_hot=True):
    """The fill value of a mask of ``mask_shape``, ``(rows, cols)`` or ``(rows, cols, k)``.

    ``mask_cval`` is a label, or a sequence of ``k`` values used as given.
    With ``k > 1`` channels a label means the one-hot vector of that class if
    ``one_hot`` (one channel per class), else that value in every channel
    (colour-coded masks: 0 is black).

    Examples
    --------
    >>> mask_fill((4, 4, 3), 0), mask_fill((4, 4, 3), 0, one_hot=False), mask_fill((4, 4), 5)
    (array([1., 0., 0.]), 0, 5)
    """
    channels = mask_shape[2] if len(mask_shape) == 3 else 1
    if np.ndim(mask_cval) == 1:
        return np.asarray(mask_cval)
    if channels == 1 or not one_hot:
        return mask_cval
    if isinstance(mask_cval, bool) or not float(mask_cval).is_integer() or not 0 <= mask_cval < channels:
        raise ValueError(f"mask_cval={mask_cval!r}: a one-hot mask with {channels} channels is filled "
                         f"with the one-hot vector of a class, so mask_cval must be a class index "
                         f"from 0 to {channels - 1} (or give all {channels} channel values)")
    fill = np.zeros(channels)
    fill[int(mask_cval)] = 1
    return fill


def warp_mask(mask, matrix, fill_mode="constant", cval=0, one_hot=True):
    """One ``(rows, cols[, k])`` mask through ``matrix`` by nearest neighbour, filled as :func:`mask_fill` says.

    Returns a new array (``mask`` may be read-only). Non-finite values in a
    float mask: contained, each lands where its pixel is copied to (see
    :func:`augkit.kernels.warp_nearest`).
    """
    return kernels.warp_nearest(mask, matrix, fill_mode=fill_mode, cval=mask_fill(mask.shape, cval, one_hot))


def load_mask(path, color_mode="grayscale", target_size=None, keep_aspect_ratio=False,
              data_format="channels_last"):
    """Read a mask file without inventing values: shape ``(rows, cols, channels)``, the file's dtype.

    Palette images (VOC-style masks) give their palette *indices* in
    ``"grayscale"`` (the labels), not the grey of their colours; 16-bit grey
    stays 16-bit (the rule :data:`augkit.decode.MASK`). Resizing to
    ``target_size`` is nearest neighbour, which keeps the labels. The file
    is opened once.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ImageFileError
        Naming the file, for everything :func:`augkit.image_io.load_img`
        refuses: not a regular file (FIFO, device, folder), empty, not an
        image, more pixels than :data:`augkit.image_io.MAX_IMAGE_PIXELS`,
        truncated or corrupt.
    ValueError
        If ``color_mode`` is not one of "grayscale", "rgb", "rgba".
    """
    if color_mode not in COLOR_MODES:
        raise ValueError(f"color_mode={color_mode!r} is not supported; use one of "
                         f"{', '.join(map(repr, COLOR_MODES))}")
    pixels, _ = decode_file(path, color_mode, target_size, "nearest", keep_aspect_ratio, data_format, MASK)
    return pixels


# --- plotting -------------------------------------------------------------------

def mask_overlay(image, mask, alpha=0.5, colors=None):
    """``image`` with each labelled region of ``mask`` tinted in a colour, for ``imshow``.

    Parameters
    ----------
    image : array_like, shape (rows, cols), (rows, cols, 1), (rows, cols, 3) or (rows, cols, 4)
        Any range: floats in 0-1 are shown as they are, 0-255 data divided by
        255, anything else stretched from its min to its max.
    mask : array_like, shape (rows, cols), (rows, cols, 1) or (rows, cols, k)
        Labels, or ``k`` one-hot channels (their argmax is the label).
    alpha : float
        Opacity of the tint, 0 (invisible) to 1 (solid colour).
    colors : dict or sequence, optional
        Colour per label, as RGB in 0-1 (``{1: (1, 0, 0)}`` or a list indexed
        by label); None for a label leaves it untinted. By default label 0
        (background) is untinted and labels 1, 2, ... get matplotlib's
        ``tab10`` colours in order.

    Returns
    -------
    ndarray of float, shape (rows, cols, 3), values in 0-1

    Examples
    --------
    >>> overlay = mask_overlay(np.zeros((2, 2)), np.array([[0, 1], [2, 0]]), alpha=1.0,
    ...                        colors={1: (1, 0, 0), 2: (0, 0, 1)})
    >>> overlay[0, 1].tolist(), overlay[1, 0].tolist(), overlay[0, 0].tolist()
    ([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0])
    """
    rgb = _display_rgb(np.asarray(image))
    labels = np.asarray(mask)
    if labels.ndim == 3:
        labels = labels[..., 0] if labels.shape[-1] == 1 else labels.argmax(axis=-1)
    if labels.shape != rgb.shape[:2]:
        raise ValueError(f"mask {np.shape(mask)} does not fit image {np.shape(image)}: rows and columns differ")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha={alpha!r} must be between 0 and 1")
    out = rgb.copy()
    for label in np.unique(labels):
        colour = _colour_of(label, colors)
        if colour is None:
            continue
        region = labels == label
        out[region] = (1 - alpha) * rgb[region] + alpha * np.asarray(colour, dtype=float)
    return out


def _colour_of(label, colors):
    if colors is None:
        if label == 0:
            return None
        return _PALETTE[(int(label) - 1) % len(_PALETTE)]
    if isinstance(colors, dict):
        return colors.get(label.item() if hasattr(label, "item") else label)
    index = int(label)
    return colors[index] if 0 <= index < len(colors) else None


def _display_rgb(image):
    if image.ndim == 3 and image.shape[-1] == 4:
        image = image[..., :3]
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim == 2:
        image = np.repeat(image[..., np.newaxis], 3, axis=-1)
    if image.ndim != 3 or image.shape[-1] != 3:
        raise ValueError(f"image must be (rows, cols) or (rows, cols, 1, 3 or 4 channels); got {image.shape}")
    lo, hi = kernels.value_range(image)
    image = image.astype(float)
    if hi == lo:
        return np.zeros_like(image)
    return np.clip((image - lo) / (hi - lo), 0, 1)


# --- the fit warning ---------------------------------------------------------

def looks_like_label_mask(x, max_labels=MAX_MASK_LABELS):
    """The distinct values of ``x`` if it looks like label masks, else None.

    Label masks hold a few (at most ``max_labels``) distinct non-negative
    whole numbers; photographs hold many values, or fractions. Large arrays
    are judged on an evenly spaced sample of 200,000 values first.

    Examples
    --------
    >>> looks_like_label_mask(np.array([[0, 1], [2, 1]]))
    [0, 1, 2]
    >>> looks_like_label_mask(np.linspace(0, 1, 100)) is None
    True
    """
    values = np.asarray(x)
    if values.size == 0 or not (np.issubdtype(values.dtype, np.number) or values.dtype == bool):
        return None
    flat = values.reshape(-1).astype(np.float64) if values.dtype == bool else values.reshape(-1)
    step = max(1, flat.size // 200_000)
    if step > 1 and _label_values(flat[::step], max_labels) is None:
        return None
    return _label_values(flat, max_labels)


def _label_values(values, max_labels):
    distinct = np.unique(values)
    if (len(distinct) > max_labels or not np.all(np.isfinite(distinct)) or distinct[0] < 0
            or not np.array_equal(distinct, np.round(distinct))):
        return None
    return [int(v) for v in distinct]


def label_mask_warning(x, options):
    """The warning text for ``fit(x)`` with the normalisation ``options`` set, or None.

    ``options`` maps option names to their values; those that are set are
    named. No text when none is set or ``x`` does not look like label masks.
    """
    chosen = {name: value for name, value in options.items() if value}
    if not chosen:
        return None
    labels = looks_like_label_mask(x)
    if labels is None:
        return None
    named = ", ".join(f"{name}={value!r}" for name, value in chosen.items())
    return (f"fit() got data that looks like label masks ({len(labels)} distinct whole values: "
            f"{labels[:10]}{' ...' if len(labels) > 10 else ''}) and {named} "
            f"{'is' if len(chosen) == 1 else 'are'} set: standardize would turn "
            "these labels into non-label floats. Give the mask generator only the geometric options "
            "(and interpolation_order=0), or use flow_pairs / flow_pairs_from_directory, which "
            "normalise the images only")
