"""Photometric kernels: channel shift and brightness, on the image's own value range.

Like every kernel of :mod:`augkit.kernels` (which re-exports these), they
are handed their parameter, return a new array and never write to their
input; non-finite values are *refused* with a
:class:`~augkit.finite.NonFiniteError`. :func:`value_range` is the scale
both clip to, and the one :mod:`augkit.plotting` displays images on.

Examples
--------
>>> image = np.array([[[0.2], [0.6]]], dtype=np.float32)
>>> channel_shift(image, 0.1)[..., 0]
array([[0.3, 0.6]], dtype=float32)
"""

import math

import numpy as np
from PIL import Image, ImageEnhance

from augkit.conventions import DOCUMENTED
from augkit.finite import NonFiniteError

__all__ = ["brightness", "channel_shift", "check_finite_scalar", "refuse_non_finite", "value_range"]


def refuse_non_finite(image, operation, reason):
    """Raise a :class:`~augkit.finite.NonFiniteError` about ``image`` for ``operation``."""
    raise NonFiniteError(operation, reason, "image", image)


def check_finite_scalar(value, name):
    """Raise ValueError naming ``name`` unless ``value`` is a finite number."""
    if not math.isfinite(value):
        raise ValueError(f"{name}={value!r} must be a finite number")


def channel_shift(image, intensity):
    """Add ``intensity`` to every channel, clipped to the image's own min and max.

    Keras's rule: one offset for all channels, so the colours do not change
    relative to each other, only the whole image is lighter or darker.
    Returns a new array.

    Non-finite values: *refused* (:class:`NonFiniteError`). The clip range is
    the image's own min and max: one NaN makes it NaN and Keras returns an
    all-NaN image; one inf makes the clip one-sided for every pixel.

    Examples
    --------
    >>> image = np.array([[[0.0, 10.0, 20.0]]], dtype=np.float32)
    >>> channel_shift(image, 5)
    array([[[ 5., 15., 20.]]], dtype=float32)
    >>> channel_shift(image, -15)
    array([[[0., 0., 5.]]], dtype=float32)
    """
    check_finite_scalar(intensity, "intensity")
    low, high = image.min(), image.max()
    if not (np.isfinite(low) and np.isfinite(high)):
        refuse_non_finite(image, "channel_shift", "it clips every pixel to the image's min and max")
    return np.clip(image + np.asarray(intensity, dtype=image.dtype), low, high)


def value_range(image):
    """The range brightness is clipped to: 0-1 for floats in 0-1, else 0-255.

    Data outside 0-255 keeps its own min and max (it is never rescaled).

    Examples
    --------
    >>> value_range(np.array([0.2, 0.9]))
    (0.0, 1.0)
    >>> value_range(np.array([0.2, 90.0]))
    (0.0, 255.0)
    >>> value_range(np.array([-3.0, 300.0]))
    (-3.0, 300.0)
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

    Examples
    --------
    >>> dark = np.array([[[0.2, 0.4, 0.8]]])
    >>> brightness(dark, 1.5)   # floats in 0-1 stay in 0-1
    array([[[0.3, 0.6, 1. ]]])
    >>> brightness(dark * 255, 0.5)   # never min-max rescaled
    array([[[ 25.5,  51. , 102. ]]])
    """
    check_finite_scalar(factor, "factor")
    if convention.brightness == "clip_to_range":
        lo, hi = value_range(image)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            refuse_non_finite(image, "brightness", "its clip range comes from the image's min and max")
        return np.clip(image * np.asarray(factor, dtype=image.dtype), lo, hi)
    return _pil_brightness(image, factor, rescale=convention.brightness == "pil_rescaled")


def _pil_brightness(image, factor, rescale):
    x = np.asarray(image, dtype=np.float32)
    lo, hi = float(x.min()), float(x.max())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        refuse_non_finite(image, "brightness", "PIL's brightness works on uint8 pixels scaled by the "
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
