"""Random crop and random resized crop: boxes from uniforms, and the kernels that cut them.

A crop is a :class:`Box` ``(top, left, height, width)`` in pixels. The
samplers turn uniforms in [0, 1) into a box (so the default mode's
``(seed, epoch, index)`` stream can feed them); the kernels cut the box out
of an image **and of its mask in the same way**: a crop is slicing, so a mask
is never interpolated, and a resized crop resizes a mask by a
nearest-neighbour gather (labels stay labels).

* :func:`random_crop_box`: a ``height x width`` window, its top-left corner
  uniform over every position that fits, as ``keras.layers.RandomCrop`` draws
  it (``int(uniform(0, rows - height + 1))``).
* :func:`random_resized_crop_box`: torchvision's ``RandomResizedCrop``
  (``scale`` is the fraction of the *area*, ``ratio`` the width/height
  ratio drawn log-uniformly; up to 10 attempts, then a centre crop). Keras
  3.15.1 has no such layer.

Keras's ``RandomCrop`` differs in three ways (measured in
``tests/test_ops_crop.py``): one window for the whole batch; when the image
is *not larger* in both sides (equal height, say) it takes the centre crop,
without randomness; and a smaller image is resized (masks interpolated too).
augkit draws one window per image, stays random along a side with room, and
refuses a crop larger than the image.

Examples
--------
>>> image = np.arange(16, dtype=np.float32).reshape(4, 4, 1)
>>> box = random_crop_box((4, 4), (2, 3), 0.99, 0.0)
>>> box
Box(top=2, left=0, height=2, width=3)
>>> crop(image, box)[..., 0]
array([[ 8.,  9., 10.],
       [12., 13., 14.]], dtype=float32)
"""

import math
from typing import NamedTuple

import numpy as np
import skimage.transform

from augkit.validators import finite_floats, items

__all__ = ["ATTEMPTS", "Box", "RESIZED_CROP_SLOTS", "check_crop_size", "check_ratio", "check_scale", "crop",
           "random_crop_box", "random_resized_crop_box", "resize_image", "resize_mask", "resized_crop",
           "resized_crop_mask", "resized_crop_matrix"]

#: torchvision's number of tries before the centre-crop fallback.
ATTEMPTS = 10
#: Uniforms one resized-crop box takes: an area and a log-ratio per attempt, then the top and the left.
RESIZED_CROP_SLOTS = 2 * ATTEMPTS + 2


class Box(NamedTuple):
    """A crop window in pixels: rows ``top:top + height``, columns ``left:left + width``."""

    top: int
    left: int
    height: int
    width: int


def check_crop_size(size, name="crop_size", accepted=None):
    """``size`` as ``(height, width)`` of positive ints; an int ``n`` means ``(n, n)``.

    TypeError for anything but an int or a pair of ints (a str, a float, a
    bool), ValueError for a wrong count or a size below 1; ``accepted`` replaces
    what the messages say is accepted (an argument that takes more forms).

    Examples
    --------
    >>> check_crop_size(24), check_crop_size((24, 32))
    ((24, 24), (24, 32))
    """
    accepted = accepted or "a positive int or a (height, width) pair of positive ints (pixels)"
    pair = (size, size) if _is_int(size) else items(size, name, accepted, length=2)
    wrong = [v for v in pair if not _is_int(v)]
    if wrong:
        raise TypeError(f"{name}={size!r} must be {accepted}; {wrong[0]!r} is a {type(wrong[0]).__name__}, not an int")
    if not all(v > 0 for v in pair):
        raise ValueError(f"{name}={size!r} must be {accepted}")
    return (int(pair[0]), int(pair[1]))


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_pair(value, name, low, what):
    accepted = f"a pair (low, high) of finite numbers with {low} < low <= high ({what})"
    pair = finite_floats(value, name, accepted, length=2)
    if not low < pair[0] <= pair[1]:
        raise ValueError(f"{name}={value!r} must be {accepted}")
    return pair


def check_scale(scale, name="crop_scale"):
    """``scale`` as ``(low, high)``, fractions of the image's area with ``0 < low <= high <= 1``.

    Examples
    --------
    >>> check_scale((0.08, 1.0))
    (0.08, 1.0)
    """
    low, high = _check_pair(scale, name, 0, "fractions of the image's area")
    if high > 1:
        raise ValueError(f"{name}={scale!r}: a crop cannot cover more than the whole image; use high <= 1")
    return (low, high)


def check_ratio(ratio, name="crop_ratio"):
    """``ratio`` as ``(low, high)``, width/height ratios with ``0 < low <= high``.

    Examples
    --------
    >>> check_ratio((3 / 4, 4 / 3))
    (0.75, 1.3333333333333333)
    """
    return _check_pair(ratio, name, 0, "width / height of the crop")


def _index(u, count):
    """``floor(u * count)`` kept below ``count`` (u in [0, 1))."""
    return min(int(u * count), count - 1)


def random_crop_box(rows_cols, size, u_top, u_left):
    """The ``size`` window whose corner uniforms are ``u_top`` and ``u_left``.

    Parameters
    ----------
    rows_cols : (int, int)
        The image's rows and columns.
    size : (int, int)
        The crop's ``(height, width)``; each no larger than the image.
    u_top, u_left : float in [0, 1)
        ``top = floor(u_top * (rows - height + 1))``, so every top from 0 to
        ``rows - height`` has probability ``1 / (rows - height + 1)``; the
        same for ``left``.

    Returns
    -------
    Box

    Examples
    --------
    >>> random_crop_box((5, 5), (5, 2), 0.7, 0.5)   # no room in height: top is 0
    Box(top=0, left=2, height=5, width=2)
    """
    rows, cols = rows_cols
    height, width = size
    if height > rows or width > cols:
        raise ValueError(f"crop_size={tuple(size)} is larger than the image ({rows}, {cols}); augkit does not "
                         "resize (keras.layers.RandomCrop would resize the image and interpolate its mask): "
                         "resize first or choose a smaller crop")
    return Box(_index(u_top, rows - height + 1), _index(u_left, cols - width + 1), height, width)


def random_resized_crop_box(rows_cols, scale, ratio, uniforms):
    """torchvision's ``RandomResizedCrop.get_params``, from ``RESIZED_CROP_SLOTS`` uniforms.

    Attempt ``k`` (of ``ATTEMPTS``) takes the area fraction
    ``scale[0] + (scale[1] - scale[0]) * uniforms[2k]`` and the aspect ratio
    ``exp(log ratio[0] + (log ratio[1] - log ratio[0]) * uniforms[2k + 1])``,
    then ``width = round(sqrt(area * aspect))``, ``height = round(sqrt(area / aspect))``;
    the first attempt that fits is placed uniformly with the last two
    uniforms. When none fits, the centre crop of the whole image with the
    aspect ratio clamped into ``ratio``.

    Parameters
    ----------
    rows_cols : (int, int)
    scale : (float, float)
        Fractions of the image's *area* (torchvision's default (0.08, 1)).
    ratio : (float, float)
        Width / height (torchvision's default (3/4, 4/3)), drawn log-uniformly.
    uniforms : sequence of RESIZED_CROP_SLOTS floats in [0, 1)

    Returns
    -------
    Box

    Examples
    --------
    >>> u = np.full(RESIZED_CROP_SLOTS, 0.5)
    >>> random_resized_crop_box((100, 100), (0.25, 0.25), (1.0, 1.0), u)
    Box(top=25, left=25, height=50, width=50)
    >>> random_resized_crop_box((10, 100), (1.0, 1.0), (1.0, 1.0), u)  # never fits: centre fallback
    Box(top=0, left=45, height=10, width=10)
    """
    rows, cols = rows_cols
    area = rows * cols
    log_low, log_high = math.log(ratio[0]), math.log(ratio[1])
    for attempt in range(ATTEMPTS):
        target_area = area * (scale[0] + (scale[1] - scale[0]) * uniforms[2 * attempt])
        aspect = math.exp(log_low + (log_high - log_low) * uniforms[2 * attempt + 1])
        width = int(round(math.sqrt(target_area * aspect)))
        height = int(round(math.sqrt(target_area / aspect)))
        if 0 < width <= cols and 0 < height <= rows:
            return Box(_index(uniforms[-2], rows - height + 1), _index(uniforms[-1], cols - width + 1),
                       height, width)
    in_ratio = cols / rows
    if in_ratio < min(ratio):
        width, height = cols, int(round(cols / min(ratio)))
    elif in_ratio > max(ratio):
        height, width = rows, int(round(rows * max(ratio)))
    else:
        height, width = rows, cols
    return Box((rows - height) // 2, (cols - width) // 2, height, width)


def crop(array, box):
    """Rows ``top:top + height`` and columns ``left:left + width`` of an image or a mask, as a new array.

    ``array`` is ``(rows, cols)`` or ``(rows, cols, channels)``; the dtype is
    kept and nothing is interpolated, so an image and its mask cropped with
    the same box stay aligned pixel for pixel.

    Examples
    --------
    >>> mask = np.array([[0, 1, 2], [3, 4, 5]], dtype=np.uint8)
    >>> crop(mask, Box(1, 1, 1, 2))
    array([[4, 5]], dtype=uint8)
    """
    array = np.asarray(array)
    top, left, height, width = box
    if top < 0 or left < 0 or top + height > array.shape[0] or left + width > array.shape[1]:
        raise ValueError(f"box {tuple(box)} does not lie inside an array of {array.shape[:2]} (rows, cols)")
    return array[top:top + height, left:left + width].copy()


def resize_image(image, size, *, order=1):
    """``image`` (rows, cols, channels) resized to ``size`` = (height, width) by skimage, dtype kept for floats.

    Bilinear by default, with skimage's anti-aliasing when shrinking (as
    torchvision's ``antialias=True``); edges replicated.

    Examples
    --------
    >>> image = np.array([[0, 2], [4, 6]], dtype=np.float32)[..., None]
    >>> resize_image(image, (1, 1))[..., 0]
    array([[3.]], dtype=float32)
    """
    image = np.asarray(image)
    dtype = image.dtype if np.issubdtype(image.dtype, np.floating) else np.float32
    out = skimage.transform.resize(image.astype(dtype, copy=False), (*size, *image.shape[2:]), order=order,
                                   mode="edge", preserve_range=True)
    return out.astype(dtype, copy=False)


def resize_mask(mask, size):
    """A mask resized to ``size`` by nearest neighbour (pixel centres): labels only, dtype kept.

    Output row ``r`` reads row ``floor((r + 0.5) * rows / height)`` (the
    "nearest-exact" rule); the same for columns. Works for ``(rows, cols)``
    and ``(rows, cols, k)``.

    Examples
    --------
    >>> resize_mask(np.array([[1, 2], [3, 4]], dtype=np.uint8), (4, 4))
    array([[1, 1, 2, 2],
           [1, 1, 2, 2],
           [3, 3, 4, 4],
           [3, 3, 4, 4]], dtype=uint8)
    """
    mask = np.asarray(mask)
    rows = np.minimum(((np.arange(size[0]) + 0.5) * mask.shape[0] / size[0]).astype(np.intp), mask.shape[0] - 1)
    cols = np.minimum(((np.arange(size[1]) + 0.5) * mask.shape[1] / size[1]).astype(np.intp), mask.shape[1] - 1)
    return mask[rows[:, None], cols[None, :]]


def resized_crop_matrix(box, size):
    """The ``(row, col)`` inverse map from a ``size`` output to ``box``'s pixels, pixel centres aligned.

    Output row ``r`` reads box row ``(r + 0.5) * height / size[0] - 0.5``
    (``align_corners=False``, the rule of torchvision's and PIL's resize);
    the same for columns. Add ``(top, left)`` for the image's pixels.

    Examples
    --------
    >>> resized_crop_matrix(Box(0, 0, 2, 4), (4, 4))
    array([[ 0.5 ,  0.  , -0.25],
           [ 0.  ,  1.  ,  0.  ],
           [ 0.  ,  0.  ,  1.  ]])
    """
    step_rows, step_cols = box[2] / size[0], box[3] / size[1]
    return np.array([[step_rows, 0.0, 0.5 * step_rows - 0.5], [0.0, step_cols, 0.5 * step_cols - 0.5],
                     [0.0, 0.0, 1.0]])


def resized_crop(image, box, size, *, order=1):
    """``box`` of ``image`` (rows, cols, channels) resized to ``size`` by one affine warp, without anti-aliasing.

    The box is sliced, then warped through :func:`resized_crop_matrix` to
    ``size`` (skimage's ``warp`` with ``output_shape``; edges of the box
    replicated): the same pixels as torchvision's
    ``resized_crop(..., antialias=False)``, in a few milliseconds where
    :func:`resize_image` (anti-aliased) takes tens. Shrinking a box by more
    than two can alias (fine stripes may moire); growing it never does.
    Float dtypes are kept; an integer image is rounded and clipped back to
    its dtype.

    Examples
    --------
    >>> image = np.array([[0, 4], [8, 12]], dtype=np.float32)[..., None]
    >>> resized_crop(image, Box(0, 0, 2, 2), (4, 4))[..., 0]
    array([[ 0.,  1.,  3.,  4.],
           [ 2.,  3.,  5.,  6.],
           [ 6.,  7.,  9., 10.],
           [ 8.,  9., 11., 12.]], dtype=float32)
    """
    image = np.asarray(image)
    part = crop(image, box)
    work = part if np.issubdtype(part.dtype, np.floating) else part.astype(np.float32)
    work = work.reshape(*part.shape[:2], -1)  # any trailing axes as channels
    out = skimage.transform.warp(work, resized_crop_matrix(box, size)[[1, 0, 2]][:, [1, 0, 2]],
                                 output_shape=(*size, work.shape[2]), order=order, mode="edge",
                                 preserve_range=True, clip=False).reshape(*size, *part.shape[2:])
    if np.issubdtype(image.dtype, np.floating):
        return out.astype(image.dtype, copy=False)
    info = np.iinfo(image.dtype) if np.issubdtype(image.dtype, np.integer) else None
    out = np.rint(out) if info is None else np.clip(np.rint(out), info.min, info.max)
    return out.astype(image.dtype)


def resized_crop_mask(mask, box, size):
    """``box`` of a mask resized to ``size`` by nearest neighbour (:func:`resize_mask`): labels kept, dtype kept.

    Examples
    --------
    >>> resized_crop_mask(np.array([[1, 2, 9], [3, 4, 9]], dtype=np.uint8), Box(0, 0, 2, 2), (4, 2))
    array([[1, 2],
           [1, 2],
           [3, 4],
           [3, 4]], dtype=uint8)
    """
    return resize_mask(crop(mask, box), size)
