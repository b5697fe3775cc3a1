"""Pure, deterministic operations on one image: matrices, one warp, intensity.

Nothing here draws random numbers. Images are ``(rows, cols, channels)``
arrays. Every matrix is a 3x3 homogeneous **inverse map** in ``(row, col)``
coordinates: it takes a pixel of the output to the point of the input it is
read from, as ``scipy.ndimage.affine_transform`` expects. Angles are degrees.

The geometric part of an augmentation is one matrix (:func:`transform_matrix`)
and one call of :func:`warp_affine`; flips are folded into the matrix.

Every function returns a new array and never writes to its input, so
read-only inputs (JAX arrays seen through ``np.asarray``, ``np.load(...,
mmap_mode="r")``, ``np.broadcast_to``) work. Non-finite values are either
*contained* (only the output pixels computed from a NaN or inf are non-finite)
or *refused* with a :class:`NonFiniteError` where one NaN would spoil the
whole image; each function's docstring says which.

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


class NonFiniteError(ValueError):
    """An operation that would spread one NaN or inf over a whole image refused its input.

    The message names the argument, says where its NaN and inf values are
    (:func:`describe_non_finite`), why the operation refuses them and what it
    accepts. ``operation`` and ``reason`` are kept so that a caller can
    re-raise it about its own argument (:meth:`about`).
    """

    def __init__(self, operation, reason, name, array, axis_names=None):
        self.operation, self.reason = operation, reason
        found = describe_non_finite(array, axis_names) or "non-finite values"
        super().__init__(f"{operation} refuses non-finite data: {name} has {found}; {reason}. "
                         "Only finite values are accepted: replace NaN and inf first "
                         "(e.g. np.nan_to_num, or crop to the valid pixels)")

    def about(self, name, array, axis_names=None):
        """The same refusal, said about ``array`` passed as argument ``name``."""
        return NonFiniteError(self.operation, self.reason, name, array, axis_names)


def describe_non_finite(array, axis_names=None):
    """Where ``array`` holds NaN or inf, in words; an empty string when it is all finite.

    Parameters
    ----------
    array : array_like
    axis_names : sequence of str, optional
        One name per axis; by default ``(row, col)``, ``(row, col, channel)``
        or ``(image, row, col, channel)`` by rank.

    Examples
    --------
    >>> image = np.zeros((4, 6, 3))
    >>> image[3, 5, 0] = np.nan
    >>> describe_non_finite(image)
    '1 NaN value at (row 3, col 5, channel 0)'
    >>> image[:2, 0, 1] = np.inf
    >>> describe_non_finite(image)
    '1 NaN value at (row 3, col 5, channel 0) and 2 infinite values (the first at (row 0, col 0, channel 1))'
    """
    values = np.asarray(array)
    if not np.issubdtype(values.dtype, np.inexact):
        return ""
    if axis_names is None:
        axis_names = {2: ("row", "col"), 3: ("row", "col", "channel"),
                      4: ("image", "row", "col", "channel")}.get(values.ndim, ())
    nan = np.isnan(values)
    parts = []
    for label, where in (("NaN", nan), ("infinite", np.isinf(values))):
        count = int(np.count_nonzero(where))
        if not count:
            continue
        first = np.argwhere(where)[0].tolist()
        if len(axis_names) == len(first):
            at = "(" + ", ".join(f"{name} {index}" for name, index in zip(axis_names, first)) + ")"
        else:
            at = str(tuple(first))
        plural = "s" if count > 1 else ""
        parts.append(f"{count} {label} value{plural} " + (f"at {at}" if count == 1 else f"(the first at {at})"))
    return " and ".join(parts)


def cast_image(x, dtype, *, name="x", copy=False):
    """``x`` as an array of the float ``dtype``; values beyond its range are refused.

    numpy turns a float64 value above float32's largest (about 3.4e38) into
    inf with only a RuntimeWarning; augkit refuses it instead, naming ``name``.
    ``copy=False`` returns ``x`` itself when it already has ``dtype``.

    Examples
    --------
    >>> cast_image([1.0, 2.0], np.float32)
    array([1., 2.], dtype=float32)
    >>> cast_image([1e300], np.float32)
    Traceback (most recent call last):
    ...
    ValueError: x holds values too large for float32 (largest magnitude 1e+300; float32 holds up to 3.4e+38): scale them down first, or construct the generator with dtype='float64'
    """
    try:
        with np.errstate(over="raise"):
            return np.array(x, dtype=dtype, copy=True if copy else None)
    except FloatingPointError:
        values = np.abs(np.asarray(x, dtype=np.float64))
        largest = float(values[np.isfinite(values)].max())
        kind = np.dtype(dtype).name
        raise ValueError(f"{name} holds values too large for {kind} (largest magnitude {largest:.3g}; "
                         f"{kind} holds up to {float(np.finfo(dtype).max):.2g}): scale them down first, "
                         "or construct the generator with dtype='float64'") from None


def _refuse_non_finite(image, operation, reason):
    raise NonFiniteError(operation, reason, "image", image)


def _check_finite_scalar(value, name):
    if not math.isfinite(value):
        raise ValueError(f"{name}={value!r} must be a finite number")


def _check_matrix(matrix):
    # One Python sum of nine floats (a NaN or inf anywhere makes it non-finite):
    # a third of the cost of np.isfinite(matrix).all() on a 3x3 array.
    if matrix.shape != (3, 3) or not math.isfinite(sum(matrix.ravel().tolist())):
        if matrix.shape == (3, 3) and np.isfinite(matrix).all():
            return  # finite entries whose sum overflowed
        raise ValueError(f"matrix must be a finite 3x3 inverse map (or None); got {matrix!r}")


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

    Returns the ``(row, col)`` inverse map: always a new 3x3 float array,
    the identity when nothing moves (``ImageDataGenerator.transform_matrix``
    gives the same). :func:`warp_affine` and :func:`warp_nearest` copy the
    pixels for the identity without resampling. (:func:`keras_matrix`, like
    Keras's own code, gives None there.)
    """
    matrix = keras_matrix(params, shape, convention)
    if matrix is None:
        matrix = np.eye(3)
    if not (params.flip_horizontal or params.flip_vertical):
        return matrix
    return matrix @ flip_matrix(params.flip_vertical, params.flip_horizontal, shape)


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
        A new array of the same shape and float dtype, never a view of
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
    """
    if matrix is None:
        return image.copy()
    matrix = np.asarray(matrix)
    _check_matrix(matrix)
    flips = _as_flip(matrix, image.shape[:2])
    if flips is not None:
        # .copy(), not ascontiguousarray: a flip along a length-1 axis (or the
        # identity given as a matrix) is a contiguous view of ``image`` itself.
        return image[flips].copy()
    if convention.resampler == "scipy" or order not in _SKIMAGE_ORDERS:
        if order >= 2 and not np.isfinite(image).all():
            _refuse_non_finite(image, f"warp_affine with order={order} (a B-spline)",
                               "its prefilter would spread one NaN over nearly the whole image; "
                               "orders 0 and 1 keep it local")
        mode = fill_mode if convention.resampler == "scipy" else _SCIPY_MODES_DOCUMENTED[fill_mode]
        out = np.empty_like(image)
        for channel in range(image.shape[2]):
            scipy.ndimage.affine_transform(image[..., channel], matrix[:2, :2], matrix[:2, 2],
                                           output=out[..., channel], order=order, mode=mode, cval=cval)
        return out
    if not image.flags.writeable:  # skimage's Cython warp needs a writable buffer
        image = image.copy()
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
        A new array of the same shape and dtype as ``mask``, never a view of
        it; ``mask`` may be read-only.

    Notes
    -----
    Non-finite values (in a float mask): *contained*. Each output pixel
    copies one input pixel, so a NaN or inf appears exactly where that
    pixel lands (once or, with ``nearest``/``reflect``/``wrap`` at the
    edges, wherever it is repeated).

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
    matrix = np.asarray(matrix)
    _check_matrix(matrix)
    rows, cols = mask.shape[:2]
    flips = _as_flip(matrix, (rows, cols))
    if flips is not None:
        return mask[flips].copy()  # a copy even where the flip is a view of ``mask`` itself
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
    Returns a new array.

    Non-finite values: *refused* (:class:`NonFiniteError`). The clip range is
    the image's own min and max: one NaN makes it NaN and Keras returns an
    all-NaN image; one inf makes the clip one-sided for every pixel.
    """
    _check_finite_scalar(intensity, "intensity")
    low, high = image.min(), image.max()
    if not (np.isfinite(low) and np.isfinite(high)):
        _refuse_non_finite(image, "channel_shift", "it clips every pixel to the image's min and max")
    return np.clip(image + np.asarray(intensity, dtype=image.dtype), low, high)


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
    Returns a new array.

    Non-finite values: *refused* (:class:`NonFiniteError`), in every
    convention. The range is chosen from the image's min and max (0-1,
    0-255 or the data's own; keras-preprocessing rescales by them), which one
    NaN turns into an all-NaN image and one inf into a wrong range for every
    pixel; PIL's uint8 quantisation cannot hold NaN at all.
    """
    _check_finite_scalar(factor, "factor")
    if convention.brightness == "clip_to_range":
        lo, hi = value_range(image)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            _refuse_non_finite(image, "brightness", "its clip range comes from the image's min and max")
        return np.clip(image * np.asarray(factor, dtype=image.dtype), lo, hi)
    return _pil_brightness(image, factor, rescale=convention.brightness == "pil_rescaled")


def _pil_brightness(image, factor, rescale):
    x = np.asarray(image, dtype=np.float32)
    lo, hi = float(x.min()), float(x.max())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        _refuse_non_finite(image, "brightness", "PIL's brightness works on uint8 pixels scaled by the "
                           "image's min and max")
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
    "FILL_MODES", "NonFiniteError", "TransformParams", "brightness", "cast_image", "channel_shift",
    "describe_non_finite", "flip_matrix",
    "keras_matrix", "offset_centre", "rotation_matrix", "shear_matrix", "shift_matrix",
    "swap_axes", "transform_matrix", "value_range", "warp_affine", "warp_nearest", "zoom_matrix",
]
