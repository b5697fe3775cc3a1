"""scikit-image's affine warp without its Python wrapper, checked against it before first use.

``skimage.transform.warp``, given a 3x3 matrix and order 1 or 3, checks
and converts its arguments, runs its compiled ``_warp_fast`` once per
channel and stacks the channels with ``np.dstack``. For one 64 x 64 RGB
image that wrapper is a tenth of the time (the stacking alone a fifth of
it for float32: it copies every pixel again). :func:`warp` calls
``_warp_fast`` itself and writes each channel straight into one output array.

``_warp_fast`` is private to scikit-image, so it is trusted only after a
self-check on first use (:func:`direct_agrees`): orders 1 and 3,
every mode, float32 and float64, the input's output shape and another,
bit for bit equal to
``skimage.transform.warp``. If the import fails, the call raises or a
single pixel differs (another scikit-image release), :func:`warp` uses the
public function: the same pixels, only slower. ``tests/test_skimage_warp.py``
checks both paths and that the pinned scikit-image takes the direct one.

Examples
--------
>>> image = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
>>> shift = np.array([[1.0, 0, 1], [0, 1, 0], [0, 0, 1]])  # (x, y) order: read one column right
>>> warp(image, shift, order=1, mode="edge", cval=0.0)[..., 0]
array([[ 1.,  2.,  3.,  3.],
       [ 5.,  6.,  7.,  7.],
       [ 9., 10., 11., 11.]], dtype=float32)
"""

import functools

import numpy as np
import skimage.transform

try:  # private; see direct_agrees
    from skimage.transform._warps_cy import _warp_fast
except ImportError:  # pragma: no cover - another scikit-image layout: the public warp is used
    _warp_fast = None

__all__ = ["DIRECT_DTYPES", "DIRECT_ORDERS", "direct_agrees", "public_warp", "warp", "warp_into"]

#: The dtypes ``_warp_fast`` is compiled for (its fused type's names).
_COMPILED_FOR = {np.dtype(np.float32): "float32_t", np.dtype(np.float64): "float64_t"}
#: The dtypes the direct call takes.
DIRECT_DTYPES = tuple(_COMPILED_FOR)
#: The orders skimage.transform.warp sends to _warp_fast for a 3x3 matrix (order 0 goes to scipy's
#: map_coordinates, which rounds exact half-pixel ties otherwise: tests/test_backends.py has such ties).
DIRECT_ORDERS = (1, 3)
_MODES = ("constant", "edge", "symmetric", "reflect", "wrap")


def public_warp(image, matrix_xy, *, order, mode, cval, output_shape=None):
    """``skimage.transform.warp`` with the settings augkit uses (values kept, never clipped).

    ``output_shape`` is the output's ``(rows, cols)`` (None: the input's).
    """
    return skimage.transform.warp(image, matrix_xy, order=order, mode=mode, cval=cval, output_shape=output_shape,
                                  preserve_range=True, clip=False)


def warp_into(image, matrix_xy, out, *, order, mode, cval, output_shape=None, plane=None):
    """The direct call: each channel of ``image`` warped by ``_warp_fast`` into ``out[..., channel]``.

    ``image`` is ``(rows, cols, channels)``, writable. The kernel reads a
    C-contiguous channel and copies one that is not into new memory,
    allocated and freed holding the GIL (at 512 x 512, glibc returned those
    megabytes to the system and faulted them back in for every image). Given
    ``plane``, a C-contiguous ``(rows, cols)`` array of ``image``'s dtype, each
    channel is copied there instead, just before its warp (so it is still in
    the cache when the kernel reads it). ``matrix_xy`` must already have
    ``image``'s dtype (what the public warp hands its kernel); ``out`` is any
    array of the output's shape (a batch's slot, say). Only for what
    :func:`direct_agrees` covers: :data:`DIRECT_DTYPES`, :data:`DIRECT_ORDERS`;
    :func:`warp` checks, this does not.
    """
    kernel = _warp_fast[_COMPILED_FOR[image.dtype]]
    for channel in range(image.shape[2]):
        source = image[..., channel]
        if plane is not None and not source.flags.c_contiguous:
            np.copyto(plane, source)
            source = plane
        out[..., channel] = kernel(source, matrix_xy, output_shape, order, mode, cval)


def _direct(image, matrix_xy, order, mode, cval, output_shape=None):
    output_shape = None if output_shape is None else tuple(output_shape)
    rows_cols = image.shape[:2] if output_shape is None else output_shape
    out = np.empty((*rows_cols, image.shape[2]), dtype=image.dtype)
    warp_into(image, matrix_xy.astype(image.dtype), out, order=order, mode=mode, cval=cval,
              output_shape=output_shape)
    return out


@functools.cache
def direct_agrees():
    """Whether the direct call gives exactly the public warp's pixels here (checked once per process)."""
    if _warp_fast is None:
        return False
    rng = np.random.default_rng(0)
    matrices = (np.array([[0.93, 0.21, 0.7], [-0.34, 1.12, -1.45], [0.0, 0.0, 1.0]]),
                np.array([[1.0, 0.0, 0.5], [0.0, 1.0, -1.5], [0.0, 0.0, 1.0]]))  # half-pixel shifts: ties
    try:
        for dtype in _COMPILED_FOR:
            image = (rng.random((5, 7, 2)) * 255).astype(dtype)
            for matrix in matrices:
                for order in DIRECT_ORDERS:
                    for mode in _MODES:
                        for shape in (None, (4, 9)):  # the input's, and another output size
                            if not np.array_equal(_direct(image, matrix, order, mode, 3.5, shape),
                                                  public_warp(image, matrix, order=order, mode=mode, cval=3.5,
                                                              output_shape=shape)):
                                return False
    except Exception:  # noqa: BLE001 - any failure of a private call means: use the public one
        return False
    return True


def warp(image, matrix_xy, *, order, mode, cval, output_shape=None):
    """Warp a ``(rows, cols, channels)`` image through the ``(x, y)`` inverse map ``matrix_xy``.

    The same pixels as :func:`public_warp` (``skimage.transform.warp`` with
    ``preserve_range=True, clip=False``); faster for float32 and float64
    images with order 1 or 3, once :func:`direct_agrees`.

    Parameters
    ----------
    image : ndarray, shape (rows, cols, channels)
        Writable (scikit-image's compiled loop cannot read read-only
        buffers); not modified.
    matrix_xy : ndarray, shape (3, 3)
        Inverse map in scikit-image's ``(x, y)`` = ``(col, row)`` order.
    order : int
        1 or 3 take the direct call; any other goes to the public warp.
    mode : {"constant", "edge", "symmetric", "reflect", "wrap"}
        scikit-image's names.
    cval : float
    output_shape : (int, int), optional
        The output's ``(rows, cols)``; None keeps the input's.

    Returns
    -------
    ndarray
        A new C-ordered array of ``image``'s dtype, ``output_shape`` rows
        and columns (``image``'s by default) and ``image``'s channels.
    """
    if image.ndim == 3 and image.dtype in _COMPILED_FOR and order in DIRECT_ORDERS and direct_agrees():
        return _direct(image, matrix_xy, order, mode, cval, output_shape)
    return public_warp(image, matrix_xy, order=order, mode=mode, cval=cval, output_shape=output_shape)
