"""Pixel kernels: one warp through a matrix, the label warp for masks, intensity.

Nothing here draws random numbers or builds matrices: a kernel is handed its
parameters (a matrix from :mod:`augkit.geometry`, an offset, a factor) and
applies them. Images are ``(rows, cols, channels)`` arrays; matrices are
3x3 inverse maps in ``(row, col)`` coordinates.

The photometric kernels (channel shift, brightness) live in
:mod:`augkit.photometric` and are importable from here.

Every kernel returns a new array and never writes to its input, so
read-only inputs (JAX arrays seen through ``np.asarray``, ``np.load(...,
mmap_mode="r")``, ``np.broadcast_to``) work. Non-finite values are either
*contained* or *refused* with a :class:`~augkit.finite.NonFiniteError`
(see :mod:`augkit.finite`); each kernel's docstring says which.

Examples
--------
A 90 degree turn about the centre of a 3x3 image is ``np.rot90``:

>>> image = np.arange(9, dtype=np.float32).reshape(3, 3, 1)
>>> turned = warp_affine(image, geometry.affine((1, 1), rotation_deg=90))
>>> turned[..., 0].round(3) + 0.0   # bilinear, exact up to float rounding
array([[2., 5., 8.],
       [1., 4., 7.],
       [0., 3., 6.]], dtype=float32)
"""

import math

import numpy as np
import scipy.ndimage
from augkit import geometry, skimage_warp
from augkit.conventions import DOCUMENTED
from augkit.photometric import brightness, channel_shift, refuse_non_finite, value_range

FILL_MODES = ("constant", "nearest", "reflect", "wrap")

#: Keras's fill_mode names are scipy.ndimage's; these are skimage's names for
#: the same rules, except "wrap": skimage's is periodic, scipy's legacy one is not.
SKIMAGE_MODES = {"constant": "constant", "nearest": "edge", "reflect": "symmetric", "wrap": "wrap"}
# skimage's warp has a fast path for orders 0, 1 and 3 (3 is its local bicubic,
# not a B-spline). Other orders go to scipy's B-splines with these modes, which
# mean what the skimage ones above mean (what skimage itself would call).
_SKIMAGE_ORDERS = (0, 1, 3)
_SCIPY_MODES_DOCUMENTED = {"constant": "grid-constant", "nearest": "nearest", "reflect": "reflect",
                           "wrap": "grid-wrap"}

def _check_matrix(matrix):
    # One Python sum of nine floats (a NaN or inf anywhere makes it non-finite):
    # a third of the cost of np.isfinite(matrix).all() on a 3x3 array.
    if matrix.shape != (3, 3) or not math.isfinite(sum(matrix.ravel().tolist())):
        if matrix.shape == (3, 3) and np.isfinite(matrix).all():
            return  # finite entries whose sum overflowed
        raise ValueError(f"matrix must be a finite 3x3 inverse map (or None); got {matrix!r}")


def warp_affine(image, matrix, *, order=1, fill_mode="nearest", cval=0.0, convention=DOCUMENTED,
                output_shape=None):
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
    output_shape : (int, int), optional
        The output's ``(rows, cols)``: output pixel ``(r, c)`` reads
        ``matrix @ (r, c, 1)`` of ``image`` whatever the sizes (a resized
        crop folded into the geometry, :mod:`augkit.crop_fold`). None keeps
        the input's.

    Returns
    -------
    ndarray
        A new array of the same shape (``output_shape`` rows and columns
        when given) and float dtype, never a view of
        ``image`` (also for the identity and for flips). ``image`` may be
        read-only; it is then copied once for scikit-image's compiled warp,
        which cannot read read-only buffers.

    Notes
    -----
    Non-finite values: *contained* for orders 0 and 1 and for scikit-image's
    order 3 (the default convention): a NaN or inf reaches only the output
    pixels whose interpolation neighbourhood reads it (the nearest pixel,
    the 2 x 2 neighbours, the 4 x 4 neighbours). scipy's order 1 (the Keras
    conventions) reads all four neighbours even when one has weight 0, so an
    exact integer shift can spread a NaN to a neighbour; skimage's does not.
    Flips and the identity copy pixels, so a NaN stays a single NaN.
    *Refused* (:class:`NonFiniteError`) for scipy's B-splines (orders 2 to 5,
    and 3 under a Keras convention): their prefilter runs along whole rows
    and columns, so one NaN turns nearly the whole image into NaN.

    Examples
    --------
    Reading one column further right moves the picture left; ``nearest``
    repeats the edge, ``wrap`` tiles:

    >>> image = np.arange(8, dtype=np.float32).reshape(2, 4, 1)
    >>> warp_affine(image, geometry.translation(0, 1))[..., 0]
    array([[1., 2., 3., 3.],
           [5., 6., 7., 7.]], dtype=float32)
    >>> warp_affine(image, geometry.translation(0, 1), fill_mode="wrap")[..., 0]
    array([[1., 2., 3., 0.],
           [5., 6., 7., 4.]], dtype=float32)

    >>> warp_affine(image, geometry.translation(0, 2), fill_mode="constant", cval=-1)[0, :, 0]
    array([ 2.,  3., -1., -1.], dtype=float32)

    A flip is an exact copy:

    >>> np.array_equal(warp_affine(image, geometry.flip((2, 4), horizontal=True)), image[:, ::-1])
    True
    """
    same_shape = output_shape is None or tuple(output_shape) == image.shape[:2]
    if matrix is None and same_shape:
        return image.copy()
    matrix = np.eye(3) if matrix is None else np.asarray(matrix)
    _check_matrix(matrix)
    flips = flip_slices(matrix, image.shape[:2]) if same_shape else None
    if flips is not None:
        # .copy(), not ascontiguousarray: a flip along a length-1 axis (or the
        # identity given as a matrix) is a contiguous view of ``image`` itself.
        return image[flips].copy()
    output_shape = None if same_shape else tuple(output_shape)
    if convention.resampler == "scipy" or order not in _SKIMAGE_ORDERS:
        if order >= 2 and not np.isfinite(image).all():
            refuse_non_finite(image, f"warp_affine with order={order} (a B-spline)",
                               "its prefilter would spread one NaN over nearly the whole image; "
                               "orders 0 and 1 keep it local")
        mode = fill_mode if convention.resampler == "scipy" else _SCIPY_MODES_DOCUMENTED[fill_mode]
        out = np.empty_like(image) if output_shape is None else np.empty((*output_shape, image.shape[2]),
                                                                          dtype=image.dtype)
        for channel in range(image.shape[2]):
            scipy.ndimage.affine_transform(image[..., channel], matrix[:2, :2], matrix[:2, 2],
                                           output=out[..., channel], order=order, mode=mode, cval=cval)
        return out
    if not image.flags.writeable:  # skimage's Cython warp needs a writable buffer
        image = image.copy()
    return skimage_warp.warp(image, geometry.swap_axes(matrix), order=order, mode=SKIMAGE_MODES[fill_mode],
                             cval=cval, output_shape=output_shape)


def warp_nearest(mask, matrix, *, fill_mode="constant", cval=0, output_shape=None):
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
        Inverse map in ``(row, col)`` coordinates (:mod:`augkit.geometry`);
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
    output_shape : (int, int), optional
        The output's ``(rows, cols)`` (see :func:`warp_affine`); None keeps the mask's.

    Returns
    -------
    ndarray
        A new array of the same shape (``output_shape`` rows and columns
        when given) and dtype as ``mask``, never a view of it; ``mask`` may
        be read-only.

    Notes
    -----
    Non-finite values (in a float mask): *contained*. Each output pixel
    copies one input pixel, so a NaN or inf appears exactly where that
    pixel lands (once or, with ``nearest``/``reflect``/``wrap`` at the
    edges, wherever it is repeated).

    Examples
    --------
    >>> mask = np.array([[0, 1, 1], [0, 2, 2], [0, 0, 3]], dtype=np.uint8)
    >>> warp_nearest(mask, geometry.affine((1, 1), rotation_deg=90))
    array([[1, 2, 3],
           [1, 2, 0],
           [0, 0, 0]], dtype=uint8)
    >>> warp_nearest(mask, geometry.translation(0, 1), cval=9)   # read one column to the right
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
    rows, cols = mask.shape[:2]
    out_rows, out_cols = (rows, cols) if output_shape is None else tuple(output_shape)
    same_shape = (out_rows, out_cols) == (rows, cols)
    if matrix is None and same_shape:
        return mask.copy()
    matrix = np.eye(3) if matrix is None else np.asarray(matrix)
    _check_matrix(matrix)
    flips = flip_slices(matrix, (rows, cols)) if same_shape else None
    if flips is not None:
        return mask[flips].copy()  # a copy even where the flip is a view of ``mask`` itself
    # Source coordinates as whole floats (floor(x + 0.5): order 0's rounding),
    # computed in place: fresh (rows, cols) temporaries cost more than the maths.
    # The sums run in the order scipy and skimage use, (linear part + offset)
    # and only then + 0.5, so that exact ties (a coordinate of -0.5 plus a
    # term far below its rounding error) round the same way as the order-0 warp.
    row_index = np.arange(out_rows, dtype=np.float64)[:, np.newaxis]
    col_index = np.arange(out_cols, dtype=np.float64)[np.newaxis, :]
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
    out = packed[src_rows.astype(np.intp)].view(mask.dtype).reshape((out_rows, out_cols, *mask.shape[2:]))
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


def copies_pixels(matrix, shape):
    """Whether ``matrix`` (or None) only copies pixels of an image of ``shape``: the identity or flips.

    Such a warp interpolates nothing (:func:`warp_affine` copies); any other resamples.

    >>> copies_pixels(geometry.flip((4, 5), horizontal=True), (4, 5)), copies_pixels(geometry.rotation(1), (4, 5))
    (True, False)
    """
    return matrix is None or flip_slices(np.asarray(matrix), tuple(shape)[:2]) is not None


def flip_slices(matrix, shape):
    """Index slices when ``matrix`` only mirrors axes (or is the identity) for an image of ``shape``, else None.

    Every warp copies such an image (``image[slices].copy()``) instead of resampling it.

    >>> flip_slices(geometry.flip((2, 5), horizontal=True), (2, 5))
    (slice(None, None, None), slice(None, None, -1))
    """
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


__all__ = ["FILL_MODES", "SKIMAGE_MODES", "brightness", "channel_shift", "copies_pixels", "flip_slices", "value_range",
           "warp_affine", "warp_nearest"]
