"""Pure, deterministic operations on one image: matrices, one warp, intensity.

Nothing here draws random numbers. Images are ``(rows, cols, channels)``
arrays. Every matrix is a 3x3 homogeneous **inverse map** in ``(row, col)``
coordinates: it takes a pixel of the output to the point of the input it is
read from, as ``scipy.ndimage.affine_transform`` expects. Angles are degrees.

The geometric part of an augmentation is one matrix (:func:`transform_matrix`)
and one call of :func:`warp_affine`; flips are folded into the matrix.

Examples
--------
A 90 degree turn about the centre of a 3x3 image is ``np.rot90``:

>>> import numpy as np
>>> image = np.arange(9, dtype=np.float32).reshape(3, 3, 1)
>>> m = transform_matrix(TransformParams(theta=90), image.shape[:2])
>>> np.allclose(warp_affine(image, m)[..., 0], np.rot90(image[..., 0]), atol=1e-5)
True
"""

import math

import numpy as np
import scipy.ndimage
import skimage.transform
from PIL import Image, ImageEnhance

from augkit.conventions import DOCUMENTED
from augkit.params import TransformParams

FILL_MODES = ("constant", "nearest", "reflect", "wrap")

# Keras's fill_mode names are scipy.ndimage's; these are skimage's names for
# the same rules, except "wrap": skimage's is periodic, scipy's legacy one is not.
_SKIMAGE_MODES = {"constant": "constant", "nearest": "edge", "reflect": "symmetric", "wrap": "wrap"}
# skimage's warp has a fast path for orders 0, 1 and 3 (3 is its local bicubic,
# not a B-spline). Other orders go to scipy's B-splines with these modes, which
# mean what the skimage ones above mean (what skimage itself would call).
_SKIMAGE_ORDERS = (0, 1, 3)
_SCIPY_MODES_DOCUMENTED = {"constant": "grid-constant", "nearest": "nearest", "reflect": "reflect",
                           "wrap": "grid-wrap"}

# Matrix builders, in Keras's own coordinates (a, b); see augkit.conventions.


def rotation_matrix(theta_deg):
    """Rotation by ``theta_deg`` degrees, Keras's ``[[cos, -sin], [sin, cos]]``."""
    theta = np.deg2rad(theta_deg)
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def shift_matrix(shift_a, shift_b):
    """Translation of the sampling point by ``(shift_a, shift_b)`` pixels."""
    return np.array([[1.0, 0.0, shift_a], [0.0, 1.0, shift_b], [0.0, 0.0, 1.0]])


def shear_matrix(shear_deg):
    """Keras's shear by ``shear_deg`` degrees: ``[[1, -sin], [0, cos]]``."""
    shear = np.deg2rad(shear_deg)
    return np.array([[1.0, -np.sin(shear), 0.0], [0.0, np.cos(shear), 0.0], [0.0, 0.0, 1.0]])


def zoom_matrix(zoom_a, zoom_b):
    """Scale the sampling grid by ``(zoom_a, zoom_b)``.

    This is an inverse map: a factor above 1 reads a *larger* part of the
    input into the same output, so the picture gets smaller.
    """
    return np.diag([float(zoom_a), float(zoom_b), 1.0])


def offset_centre(matrix, centre_a, centre_b):
    """Conjugate ``matrix`` so that it acts about ``(centre_a, centre_b)``."""
    to_centre = shift_matrix(centre_a, centre_b)
    from_centre = shift_matrix(-centre_a, -centre_b)
    return to_centre @ matrix @ from_centre


def swap_axes(matrix):
    """The same map with its two coordinates exchanged (``P M P``)."""
    return matrix[[1, 0, 2]][:, [1, 0, 2]]


def flip_matrix(flip_rows, flip_cols, shape):
    """Mirror the output's rows (vertical flip) and/or columns (horizontal).

    Composed on the right of an inverse map (``M @ F``), it flips the result of
    ``M``, which is what Keras does after its warp.
    """
    rows, cols = shape
    f = np.eye(3)
    if flip_rows:
        f[0, 0], f[0, 2] = -1.0, rows - 1.0
    if flip_cols:
        f[1, 1], f[1, 2] = -1.0, cols - 1.0
    return f


def keras_matrix(params, shape, convention=DOCUMENTED):
    """Keras's affine matrix for ``params``, centred, in ``(row, col)`` coordinates.

    Equal to ``offset_centre(rotation @ shift @ shear @ zoom, centre)`` built
    from the functions above in Keras's coordinates ``(a, b)`` (see
    :mod:`augkit.conventions`), then expressed in ``(row, col)``; the product
    is written out in scalars because this runs once per image.

    Parameters
    ----------
    params : TransformParams
        ``theta`` and ``shear`` in degrees, ``tx``/``ty`` in pixels, zooms as
        factors. Flips are ignored here (see :func:`transform_matrix`).
    shape : tuple of int
        ``(rows, cols)`` of the image.
    convention : Convention
        Which of the three behaviours to build (:mod:`augkit.conventions`).

    Returns
    -------
    ndarray of shape (3, 3), or None
        None where Keras would not warp at all (every parameter neutral).
    """
    if (params.theta == 0 and params.tx == 0 and params.ty == 0 and params.shear == 0
            and params.zx == 1 and params.zy == 1):
        return None
    tx_first = convention.tx_axis == convention.first_axis
    shift_a, shift_b = (params.tx, params.ty) if tx_first else (params.ty, params.tx)
    theta, shear = math.radians(params.theta), math.radians(params.shear)
    cos, sin = math.cos(theta), math.sin(theta)
    shear_sin, shear_cos = math.sin(shear), math.cos(shear)
    # rotation @ shear @ zoom (linear part) and rotation @ shift (translation)
    aa, ab = cos * params.zx, (-cos * shear_sin - sin * shear_cos) * params.zy
    ba, bb = sin * params.zx, (-sin * shear_sin + cos * shear_cos) * params.zy
    ta, tb = cos * shift_a - sin * shift_b, sin * shift_a + cos * shift_b
    rows, cols = shape
    size_a, size_b = (rows, cols) if convention.first_axis == "rows" else (cols, rows)
    if convention.centre_sizes_swapped:
        size_a, size_b = size_b, size_a
    oa, ob = size_a / 2 + convention.centre_offset, size_b / 2 + convention.centre_offset
    ta, tb = ta + oa - (aa * oa + ab * ob), tb + ob - (ba * oa + bb * ob)
    if convention.first_axis == "rows":
        return np.array([[aa, ab, ta], [ba, bb, tb], [0.0, 0.0, 1.0]])
    return np.array([[bb, ba, tb], [ab, aa, ta], [0.0, 0.0, 1.0]])


def transform_matrix(params, shape, convention=DOCUMENTED):
    """The whole geometric part of ``params`` (flips included) as one matrix.

    Returns the ``(row, col)`` inverse map, or None when it is the identity.
    """
    matrix = keras_matrix(params, shape, convention)
    if not (params.flip_horizontal or params.flip_vertical):
        return matrix
    flips = flip_matrix(params.flip_vertical, params.flip_horizontal, shape)
    return flips if matrix is None else matrix @ flips


def warp_affine(image, matrix, *, order=1, fill_mode="nearest", cval=0.0, convention=DOCUMENTED):
    """Resample ``image`` through the inverse map ``matrix`` in one pass.

    Parameters
    ----------
    image : ndarray, shape (rows, cols, channels)
        Float image; it is not modified.
    matrix : ndarray of shape (3, 3) or None
        Inverse map in ``(row, col)`` coordinates; None means the identity.
    order : int
        Interpolation order: 0 nearest neighbour, 1 bilinear; 2 to 5 are
        scipy's B-splines, except order 3 in the default convention, which is
        scikit-image's bicubic (a local 4 x 4 cubic: it overshoots less than
        the B-spline Keras uses).
    fill_mode : {"constant", "nearest", "reflect", "wrap"}
        Keras's names: ``nearest`` repeats the edge pixel, ``reflect`` mirrors
        about the edge (``abcd|dcba``), ``wrap`` tiles the picture periodically
        (or, with a Keras convention, as scipy's legacy ``wrap``),
        ``constant`` fills with ``cval``.
    cval : float
        Fill value for ``constant``.
    convention : Convention
        Selects skimage (default) or scipy where Keras's exact pixels need it.

    Returns
    -------
    ndarray
        A new array of the same shape and float dtype.
    """
    if matrix is None:
        return image.copy()
    flips = _as_flip(matrix, image.shape[:2])
    if flips is not None:
        return np.ascontiguousarray(image[flips])
    if convention.resampler == "scipy" or order not in _SKIMAGE_ORDERS:
        mode = fill_mode if convention.resampler == "scipy" else _SCIPY_MODES_DOCUMENTED[fill_mode]
        out = np.empty_like(image)
        for channel in range(image.shape[2]):
            scipy.ndimage.affine_transform(image[..., channel], matrix[:2, :2], matrix[:2, 2],
                                           output=out[..., channel], order=order, mode=mode, cval=cval)
        return out
    return skimage.transform.warp(image, swap_axes(matrix), order=order,
                                  mode=_SKIMAGE_MODES[fill_mode], cval=cval,
                                  preserve_range=True, clip=False)


def warp_nearest(mask, matrix, *, fill_mode="constant", cval=0):
    """Resample a label mask through ``matrix`` by nearest neighbour: a numpy gather.

    Each output pixel copies the input pixel nearest to where ``matrix`` reads
    it from (coordinates rounded half up, as ``warp_affine(order=0)`` does), so
    the result holds only values of ``mask`` and ``cval``: no label is ever
    invented, and the dtype is kept. It is several times faster than
    ``warp_affine(..., order=0)``, whose nearest-neighbour path in
    scikit-image goes through ``scipy.ndimage.map_coordinates``.

    Parameters
    ----------
    mask : ndarray, shape (rows, cols) or (rows, cols, k)
        Labels (any integer, bool or float dtype), or ``k`` one-hot channels;
        all channels of a pixel are gathered together. Not modified.
    matrix : ndarray of shape (3, 3) or None
        Inverse map in ``(row, col)`` coordinates (:func:`transform_matrix`);
        None means the identity.
    fill_mode : {"constant", "nearest", "reflect", "wrap"}
        What is read outside the input, with the default convention's meaning
        (see :func:`warp_affine`): ``constant`` writes ``cval``, ``nearest``
        repeats the edge, ``reflect`` mirrors about the edge (``abcd|dcba``),
        ``wrap`` tiles periodically.
    cval : scalar or sequence of k scalars
        Fill value for ``constant``: a label, or one value per channel (for a
        one-hot mask, the one-hot vector of the fill class). It must be
        representable in ``mask.dtype``.

    Returns
    -------
    ndarray
        A new array of the same shape and dtype as ``mask``.

    Examples
    --------
    >>> mask = np.array([[0, 1, 1], [0, 2, 2], [0, 0, 3]], dtype=np.uint8)
    >>> warp_nearest(mask, transform_matrix(TransformParams(theta=90), mask.shape))
    array([[1, 2, 3],
           [1, 2, 0],
           [0, 0, 0]], dtype=uint8)
    >>> warp_nearest(mask, transform_matrix(TransformParams(ty=1), mask.shape), cval=9)
    array([[1, 1, 9],
           [2, 2, 9],
           [0, 3, 9]], dtype=uint8)
    """
    mask = np.asarray(mask)
    if mask.ndim not in (2, 3):
        raise ValueError(f"mask must have shape (rows, cols) or (rows, cols, k); got {mask.shape}")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"fill_mode={fill_mode!r} is not supported; use one of "
                         f"{', '.join(map(repr, FILL_MODES))}")
    fill = _mask_fill_value(mask, cval) if fill_mode == "constant" else None
    if matrix is None:
        return mask.copy()
    rows, cols = mask.shape[:2]
    flips = _as_flip(matrix, (rows, cols))
    if flips is not None:
        return np.ascontiguousarray(mask[flips])
    # Source coordinates as whole floats (floor(x + 0.5): order 0's rounding),
    # computed in place: fresh (rows, cols) temporaries cost more than the maths.
    # The sums run in the order scipy and skimage use, (linear part + offset)
    # and only then + 0.5, so that exact ties (a coordinate of -0.5 plus a
    # term far below its rounding error) round the same way as the order-0 warp.
    row_index = np.arange(rows, dtype=np.float64)[:, np.newaxis]
    col_index = np.arange(cols, dtype=np.float64)[np.newaxis, :]
    src_rows = np.add(matrix[0, 0] * row_index, matrix[0, 1] * col_index)
    src_cols = np.add(matrix[1, 0] * row_index, matrix[1, 1] * col_index)
    for coordinate, offset in ((src_rows, matrix[0, 2]), (src_cols, matrix[1, 2])):
        coordinate += offset
        coordinate += 0.5
    outside = None
    if fill_mode == "constant":
        np.floor(src_rows, out=src_rows)
        np.floor(src_cols, out=src_cols)
        outside = (src_rows < 0) | (src_rows >= rows) | (src_cols < 0) | (src_cols >= cols)
    src_rows = _source_index(src_rows, rows, fill_mode)
    src_cols = _source_index(src_cols, cols, fill_mode)
    src_rows *= cols
    src_rows += src_cols
    # Gather whole pixels (all k channels at once) as opaque items: much faster
    # than fancy indexing along two axes.
    pixels = np.ascontiguousarray(mask).reshape(rows * cols, -1)
    packed = pixels.view(np.dtype((np.void, pixels.shape[1] * pixels.itemsize))).reshape(-1)
    out = packed[src_rows.astype(np.intp)].view(mask.dtype).reshape(mask.shape)
    if outside is not None and outside.any():
        out[outside] = fill
    return out


def _source_index(shifted, size, fill_mode):
    """Whole-float indices in ``[0, size)`` from ``coordinate + 0.5`` (modified in place).

    Like scipy (hence skimage's order 0), ``reflect`` mirrors the coordinate
    before rounding, so a tie exactly between two pixels rounds the mirrored
    way; the other modes commute with rounding.
    """
    if fill_mode == "reflect":  # abcd|dcba|abcd: period 2 * size, mirrored in its second half
        np.mod(shifted, 2 * size, out=shifted)
        mirrored = np.subtract(2 * size, shifted)
        shifted = np.where(shifted >= size, mirrored, shifted)
    np.floor(shifted, out=shifted)
    if fill_mode == "wrap":
        return np.mod(shifted, size, out=shifted)
    return np.clip(shifted, 0, size - 1, out=shifted)  # nearest (and reflect's exact ties at the far edge);
    # constant has been floored already and its outside pixels are filled afterwards


def _mask_fill_value(mask, cval):
    """``cval`` as a value of ``mask.dtype`` (one per channel), refusing lossy casts."""
    value = np.asarray(cval)
    channels = mask.shape[2] if mask.ndim == 3 else None
    if value.ndim > 1 or (value.ndim == 1 and value.shape[0] != channels):
        raise ValueError(f"cval={cval!r} must be one value or one per channel ({channels} channels) "
                         f"for a mask of shape {mask.shape}")
    if not (np.issubdtype(value.dtype, np.number) or value.dtype == bool):
        raise TypeError(f"cval={cval!r} must be a number")
    cast = value.astype(mask.dtype)
    if not np.array_equal(cast, value):
        raise ValueError(f"cval={cval!r} cannot be stored in the mask's dtype {mask.dtype} "
                         f"(it would become {cast.tolist()})")
    return cast


def _as_flip(matrix, shape):
    """Index slices when ``matrix`` only mirrors axes (an exact copy), else None."""
    if matrix[0, 1] != 0 or matrix[1, 0] != 0:
        return None
    slices = []
    for axis, size in enumerate(shape):
        scale, offset = matrix[axis, axis], matrix[axis, 2]
        if scale == 1 and offset == 0:
            slices.append(slice(None))
        elif scale == -1 and offset == size - 1:
            slices.append(slice(None, None, -1))
        else:
            return None
    return tuple(slices)


def channel_shift(image, intensity):
    """Add ``intensity`` to every channel, clipped to the image's own min and max.

    Keras's rule: one offset for all channels, so the colours do not change
    relative to each other, only the whole image is lighter or darker.
    """
    return np.clip(image + np.asarray(intensity, dtype=image.dtype), image.min(), image.max())


def value_range(image):
    """The range brightness is clipped to: 0-1 for floats in 0-1, else 0-255.

    Data outside 0-255 keeps its own min and max (it is never rescaled).
    """
    lo, hi = float(image.min()), float(image.max())
    if lo >= 0 and hi <= 1 and np.issubdtype(image.dtype, np.floating):
        return 0.0, 1.0
    if lo >= 0 and hi <= 255:
        return 0.0, 255.0
    return lo, hi


def brightness(image, factor, convention=DOCUMENTED):
    """Multiply brightness by ``factor`` (1 = unchanged, 0 = black).

    By default ``image * factor`` clipped to :func:`value_range`. The Keras
    conventions go through PIL exactly as Keras does, including the uint8
    quantisation and keras-preprocessing's per-image min-max rescale.
    """
    if convention.brightness == "clip_to_range":
        lo, hi = value_range(image)
        return np.clip(image * np.asarray(factor, dtype=image.dtype), lo, hi)
    return _pil_brightness(image, factor, rescale=convention.brightness == "pil_rescaled")


def _pil_brightness(image, factor, rescale):
    x = np.asarray(image, dtype=np.float32)
    lo, hi = float(x.min()), float(x.max())
    out_of_byte_range = lo < 0 or hi > 255
    if rescale or out_of_byte_range:
        x = x - lo
        if x.max() != 0:
            x /= x.max()
        x *= 255
    channels = x.shape[2]
    pixels = x.astype("uint8")
    img = Image.fromarray(pixels[..., 0] if channels == 1 else pixels)
    result = np.asarray(ImageEnhance.Brightness(img).enhance(factor), dtype=np.float32)
    result = result.reshape(image.shape[:2] + (channels,))
    if not rescale and out_of_byte_range:
        result = result / 255 * (hi - lo) + lo
    return result


__all__ = [
    "FILL_MODES", "TransformParams", "brightness", "channel_shift", "flip_matrix",
    "keras_matrix", "offset_centre", "rotation_matrix", "shear_matrix", "shift_matrix",
    "swap_axes", "transform_matrix", "value_range", "warp_affine", "warp_nearest", "zoom_matrix",
]
