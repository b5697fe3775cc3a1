"""OpenCV's ``warpAffine`` as augkit's warp: the kernel of ``backend="opencv"``.

The same 3x3 ``(row, col)`` inverse map as :func:`augkit.kernels.warp_affine`,
handed to ``cv2.warpAffine`` with ``WARP_INVERSE_MAP`` and the axes swapped
to OpenCV's ``(x, y)``. scikit-image stays the reference; this module maps
each option onto OpenCV and goes back to the reference wherever OpenCV
would give another picture.

========================  ===========================  ==================================
augkit                    OpenCV                       against scikit-image (measured)
========================  ===========================  ==================================
``fill_mode="constant"``  ``BORDER_CONSTANT``, ``cval``  same rule
``fill_mode="nearest"``   ``BORDER_REPLICATE``          same rule
``fill_mode="reflect"``   ``BORDER_REFLECT`` (dcba|abcd) same rule (not ``REFLECT_101``)
``fill_mode="wrap"``      ``BORDER_WRAP``               same rule (periodic)
order 1 (bilinear)        ``INTER_LINEAR``              max 0.01 on 0-255 data (float32
                                                        rounding); see *channels* below
order 0 (nearest)         not used: the masks' gather   equal on drawn matrices; on
                          (``warp_nearest``)            hand-set decimal ones 1.2-1.7 %
                                                        (OpenCV's nearest: 3.8-8.9 %)
order 3 (bicubic)         not used: falls back          OpenCV's cubic (Keys, a = -0.75)
                                                        is another kernel: 20 % of the
                                                        pixels differ, by up to 13/255
orders 2, 4, 5            not used: falls back          OpenCV has no B-splines
========================  ===========================  ==================================

Measured with OpenCV 5.0 on the standard configuration (rotation 40,
shifts 0.2, shear 0.2, zoom 0.2, flips) at 256 x 256 x 3, every fill mode;
tests/test_backends.py checks these tolerances.

Where OpenCV is not used (the work goes to :func:`augkit.kernels.warp_affine`):

* **order 0.** OpenCV's nearest neighbour rounds a coordinate that falls
  exactly between two pixels *to even* (columns 0, 2, 2, 4, 4 for a
  half-pixel shift) where scikit-image rounds it up, and hand-set factors
  such as a zoom of 1.05 put many coordinates on such ties. Order 0 goes to
  :func:`augkit.kernels.warp_nearest`, the numpy gather that warps masks
  (float64 coordinates, ties rounded up), so an image and its mask read the
  same pixel; any dtype and channel count; about 5 times OpenCV's time (0.52
  vs 0.11 ms at 256 x 256 x 3), 20 times faster than scikit-image's order 0.
  scikit-image computes a float32 image's coordinates in float32, so on
  hand-set decimal matrices (a zoom of 1.05, entries 0.95 and 0.2) 1.2-1.7 %
  of the pixels round a near-tie the other way; OpenCV's own nearest
  differed there on 3.8-8.9 %.
* **channels other than 1, 3 and 4** are warped in groups of 4, 3 and 1:
  OpenCV's float bilinear is exact for those counts but uses 1/32-pixel
  fixed-point weights for 2, 5 or more channels (errors up to 4/255).
* **dtypes other than uint8 and float32**: OpenCV's float64 bilinear also
  uses fixed-point weights (errors up to 3/255), and it has no float16.
  Also images with a side of 32767 pixels or more (OpenCV's limit), and
  the orders above.
  A uint8 image then goes through a float32 copy, rounded back.

Non-finite values: *contained*, but OpenCV's bilinear reads all four
neighbours even where one has weight 0 (as scipy does), so a NaN also
reaches the output pixels next to where it lands.
"""

import importlib

import numpy as np

from augkit import geometry, kernels

__all__ = ["OPENCV_ORDERS", "load_cv2", "uses_opencv", "warp_affine"]

#: Interpolation orders OpenCV does itself (0 is an exact numpy gather, the others scikit-image's warp).
OPENCV_ORDERS = (1,)
_BORDERS = {"constant": "BORDER_CONSTANT", "nearest": "BORDER_REPLICATE", "reflect": "BORDER_REFLECT",
            "wrap": "BORDER_WRAP"}
_DTYPES = (np.dtype(np.uint8), np.dtype(np.float32))
_LARGEST_SIDE = 32766  # cv::remap needs coordinates that fit a signed 16-bit int
_cv2 = None


def load_cv2():
    """The ``cv2`` module, or a ModuleNotFoundError that names the ``fast`` extra."""
    global _cv2
    if _cv2 is None:
        try:
            _cv2 = importlib.import_module("cv2")
        except ImportError as error:
            raise ModuleNotFoundError(
                "backend='opencv' needs OpenCV, which is not installed: install augkit's 'fast' extra "
                "(pip install 'augkit[fast]', or opencv-python-headless), or use backend='skimage'",
                name="cv2") from error
    return _cv2


def uses_opencv(shape, dtype, order, output_shape=None):
    """Whether OpenCV does the warp for an image of ``shape`` and ``dtype`` at ``order`` (to ``output_shape``).

    Examples
    --------
    >>> uses_opencv((64, 64, 3), np.float32, 1), uses_opencv((64, 64, 3), np.float32, 3)
    (True, False)
    >>> uses_opencv((64, 64, 3), np.float64, 1)
    False
    """
    sides = tuple(shape[:2]) + (() if output_shape is None else tuple(output_shape))
    return order in OPENCV_ORDERS and np.dtype(dtype) in _DTYPES and max(sides) <= _LARGEST_SIDE


def warp_affine(image, matrix, *, order=1, fill_mode="nearest", cval=0.0, output_shape=None):
    """Resample ``image`` through the inverse map ``matrix``, by OpenCV where it agrees.

    Parameters and result as :func:`augkit.kernels.warp_affine` (default
    convention, ``output_shape`` included: OpenCV's ``dsize``), except that
    the dtype is kept: uint8 images give uint8 images, warped without a float
    copy (OpenCV rounds to nearest and saturates). The module docstring lists what OpenCV does and where it
    falls back.

    Examples
    --------
    >>> image = np.arange(12, dtype=np.uint8).reshape(3, 4, 1)
    >>> warp_affine(image, geometry.translation(0, 1))[..., 0]
    array([[ 1,  2,  3,  3],
           [ 5,  6,  7,  7],
           [ 9, 10, 11, 11]], dtype=uint8)
    >>> half = geometry.translation(0, 0.5)   # ties: scikit-image's rule, exactly
    >>> warp_affine(image, half, order=0, fill_mode="constant", cval=99)[0, :, 0]
    array([ 1,  2,  3, 99], dtype=uint8)
    >>> warp_affine(image, half)[0, :, 0]   # bilinear, rounded to uint8 (0.5 -> 0, 1.5 -> 2)
    array([0, 2, 2, 3], dtype=uint8)
    """
    same_shape = output_shape is None or tuple(output_shape) == image.shape[:2]
    if matrix is None and same_shape:
        return image.copy()
    matrix = np.eye(3) if matrix is None else np.asarray(matrix, dtype=np.float64)
    if matrix.shape != (3, 3) or not np.isfinite(matrix).all():
        raise ValueError(f"matrix must be a finite 3x3 inverse map (or None); got {matrix!r}")
    mirrors = kernels.flip_slices(matrix, image.shape[:2]) if same_shape else None
    if mirrors is not None:
        return image[mirrors].copy()  # flips and the identity: an exact copy
    output_shape = image.shape[:2] if same_shape else tuple(output_shape)
    if order == 0:  # exact: OpenCV rounds ties to even (see the module docstring)
        return kernels.warp_nearest(image, matrix, fill_mode=fill_mode,
                                    cval=np.asarray(cval).astype(image.dtype), output_shape=output_shape)
    if not uses_opencv(image.shape, image.dtype, order, output_shape):
        return _fallback(image, matrix, order, fill_mode, cval, output_shape)
    return _warp_groups(load_cv2(), np.ascontiguousarray(image), matrix, order, fill_mode, cval, output_shape)


def _warp_groups(cv2, image, matrix, order, fill_mode, cval, output_shape):
    """``cv2.warpAffine`` over channel groups of 1, 3 or 4 (OpenCV's exact bilinear counts)."""
    rows, cols = output_shape
    channels = image.shape[2]
    options = dict(dsize=(cols, rows), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                   borderMode=getattr(cv2, _BORDERS[fill_mode]), borderValue=(float(cval),) * 4)
    forward = geometry.swap_axes(matrix)[:2]
    if channels in (1, 3, 4):
        return cv2.warpAffine(image, forward, **options).reshape(rows, cols, channels)
    out = np.empty((rows, cols, channels), dtype=image.dtype)
    for start, stop in _channel_groups(channels):
        group = np.ascontiguousarray(image[..., start:stop])
        out[..., start:stop] = cv2.warpAffine(group, forward, **options).reshape(rows, cols, stop - start)
    return out


def _channel_groups(channels):
    """``(start, stop)`` of groups of 4, then 3 or single channels.

    >>> _channel_groups(2), _channel_groups(6)
    ([(0, 1), (1, 2)], [(0, 4), (4, 5), (5, 6)])
    """
    sizes = [4] * (channels // 4)
    rest = channels % 4
    sizes += [3] if rest == 3 else [1] * rest
    stops = np.cumsum(sizes).tolist()
    return list(zip([0] + stops[:-1], stops))


def _fallback(image, matrix, order, fill_mode, cval, output_shape=None):
    """scikit-image's warp (the default convention); a uint8 image through a float32 copy, rounded back."""
    if image.dtype != np.uint8:
        return kernels.warp_affine(image, matrix, order=order, fill_mode=fill_mode, cval=cval,
                                   output_shape=output_shape)
    warped = kernels.warp_affine(image.astype(np.float32), matrix, order=order, fill_mode=fill_mode, cval=cval,
                                 output_shape=output_shape)
    return np.clip(np.rint(warped), 0, 255).astype(np.uint8)
