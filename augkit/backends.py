"""Which library warps: ``backend="skimage"`` (the reference) or ``"opencv"`` (faster).

scikit-image is the default and the reference for every picture augkit
draws. ``backend="opencv"`` hands the warp to OpenCV's ``warpAffine``
(:mod:`augkit.opencv_backend` says what it maps onto what, where it
differs and where it falls back), in the default mode only: the compat
modes reproduce Keras's pixels with scipy's resampler, which OpenCV does not.

With the OpenCV backend the generator may also make **uint8 batches from
uint8 images** (``dtype="uint8"``), warped without a float copy. The steps
that need floats are then refused by name: :func:`check_dtype` and
:func:`check_uint8_options` are the facade's checks, run when it is
constructed and again when an option is assigned afterwards.

Examples
--------
>>> from augkit.conventions import get_convention
>>> check_backend("skimage", get_convention(None))
'skimage'
>>> check_backend("opencv", get_convention("tf_keras"))
Traceback (most recent call last):
...
ValueError: backend='opencv' works only with compat=None: compat='tf_keras' reproduces Keras's pixels with scipy.ndimage's resampler, which OpenCV's warpAffine cannot reproduce (its nearest neighbour rounds ties to even, its cubic is another kernel, it has no B-splines); use backend='skimage' with compat='tf_keras', or compat=None
"""

import numpy as np

from augkit import kernels
from augkit import opencv_backend as opencv
from augkit.spec import AUGMENTATIONS

__all__ = ["BACKENDS", "FLOAT_ONLY_OPTIONS", "check_backend", "check_dtype", "check_uint8_options", "float_steps",
           "warp"]

BACKENDS = ("skimage", "opencv")
#: The generator options that need float pixels, refused with ``dtype="uint8"``.
FLOAT_ONLY_OPTIONS = ("featurewise_center", "samplewise_center", "featurewise_std_normalization",
                      "samplewise_std_normalization", "zca_whitening", "rescale", "preprocessing_function")


def check_backend(backend, convention):
    """``backend`` if it is usable with ``convention``; else an error saying why and what to do."""
    if not isinstance(backend, str):
        raise TypeError(f"backend={backend!r} must be a str, one of {', '.join(map(repr, BACKENDS))}")
    if backend not in BACKENDS:
        raise ValueError(f"backend={backend!r} is not supported; use one of {', '.join(map(repr, BACKENDS))}")
    if backend == "opencv":
        if convention.resampler != "skimage":
            raise ValueError(
                f"backend='opencv' works only with compat=None: {convention.argument} reproduces Keras's "
                "pixels with scipy.ndimage's resampler, which OpenCV's warpAffine cannot reproduce (its "
                "nearest neighbour rounds ties to even, its cubic is another kernel, it has no B-splines); "
                f"use backend='skimage' with {convention.argument}, or compat=None")
        opencv.load_cv2()
    return backend


def check_dtype(dtype, backend):
    """The generator's ``dtype``: a float type, or uint8 with the OpenCV backend.

    >>> check_dtype("uint8", "opencv")
    dtype('uint8')
    >>> check_dtype("uint8", "skimage")
    Traceback (most recent call last):
    ...
    ValueError: dtype='uint8' needs backend='opencv' (scikit-image warps in floats, so uint8 batches would cost a float copy and a rounding per image); use backend='opencv' or a float dtype such as 'float32'
    """
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype={dtype!r} is not a numpy dtype; use 'float32', 'float64' or "
                        "(with backend='opencv') 'uint8'") from None
    if resolved == np.uint8:
        if backend != "opencv":
            raise ValueError(f"dtype='uint8' needs backend='opencv' (scikit-image warps in floats, so uint8 "
                             f"batches would cost a float copy and a rounding per image); use backend='opencv' "
                             "or a float dtype such as 'float32'")
        return resolved
    if not np.issubdtype(resolved, np.floating):
        raise ValueError(f"dtype={dtype!r} must be a floating-point type such as 'float32', or 'uint8' with "
                         "backend='opencv'")
    return resolved


def float_steps(options=(), ranges=None):
    """The names of the steps that need float pixels among ``options`` and ``ranges``.

    ``options`` maps generator options to values (:data:`FLOAT_ONLY_OPTIONS`
    are read; one that is None, False or 0 is off). Of ``ranges``
    (:class:`~augkit.params.ParamRanges`), every entry of the spec table
    that has an intensity kernel (``channel_shift_range``,
    ``brightness_range``, and any entry added later) counts when it is on.

    >>> from augkit.params import ParamRanges
    >>> float_steps({"rescale": None, "samplewise_center": True}, ParamRanges(channel_shift_range=5.0))
    ['samplewise_center', 'channel_shift_range']
    """
    options = dict(options)
    used = [name for name in FLOAT_ONLY_OPTIONS if options.get(name) not in (None, False, 0)]
    if ranges is not None:
        used += [entry.argument for entry in AUGMENTATIONS
                 if entry.kernel is not None and entry.is_on(getattr(ranges, entry.argument))]
    return used


def check_uint8_options(options=(), ranges=None, cval=None):
    """Refuse, by name, an option that needs floats when ``dtype="uint8"``.

    What the generator checks when it is constructed with ``dtype="uint8"``,
    when ``dtype="uint8"`` is assigned, and when one of these options is
    assigned to a uint8 generator (None leaves a part unchecked).

    Parameters
    ----------
    options : dict
        Generator options and their values (:data:`FLOAT_ONLY_OPTIONS` are read).
    ranges : augkit.params.ParamRanges or None
        The validated random ranges: an entry of the spec table with an
        intensity kernel is refused when it is on (see :func:`float_steps`).
    cval : float or None
        The fill value, which must be a whole number from 0 to 255.

    Examples
    --------
    >>> from augkit.params import ParamRanges
    >>> check_uint8_options({"rescale": 1 / 255}, ParamRanges(brightness_range=(0.5, 1.5)), 0.0)
    Traceback (most recent call last):
    ...
    ValueError: dtype='uint8' cannot be used with rescale, brightness_range: those steps need float pixels. Use dtype='float32', or apply them to the uint8 batches yourself (e.g. on the GPU)
    """
    used = float_steps(options, ranges)
    if used:
        it = "that step needs" if len(used) == 1 else "those steps need"
        raise ValueError(f"dtype='uint8' cannot be used with {', '.join(used)}: {it} float pixels. Use "
                         f"dtype='float32', or apply {'it' if len(used) == 1 else 'them'} to the uint8 batches "
                         "yourself (e.g. on the GPU)")
    if cval is not None and not (0 <= cval <= 255 and float(cval).is_integer()):
        raise ValueError(f"cval={cval!r} must be a whole number from 0 to 255 with dtype='uint8'")


def warp(backend, image, matrix, *, order, fill_mode, cval, convention, output_shape=None):
    """The warp of ``backend``: :func:`augkit.kernels.warp_affine` or :func:`augkit.opencv_backend.warp_affine`.

    ``output_shape`` (rows, cols) sizes the output (None: the input's), as in both.
    """
    if backend == "opencv":
        return opencv.warp_affine(image, matrix, order=order, fill_mode=fill_mode, cval=cval,
                                  output_shape=output_shape)
    return kernels.warp_affine(image, matrix, order=order, fill_mode=fill_mode, cval=cval, convention=convention,
                               output_shape=output_shape)
