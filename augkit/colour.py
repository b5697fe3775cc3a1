"""Colour kernels: contrast, saturation, hue, grayscale, colour jitter.

Deterministic: each function is handed its drawn parameter (a factor, an
angle) and applies it; the sampling lives in :mod:`augkit.spec_colour`.
Images are ``(rows, cols, channels)`` arrays; colour operations need three
channels (RGB), contrast and grayscale take any count.

**Value range.** Every kernel takes ``value_range=(0, 255)`` (the range of
Keras 3's layers) and refuses an image with values outside it, naming
``value_range``: a 0-1 image passed with the default would otherwise be
clipped, posterised or solarised as if it were nearly black. Pass
``value_range=(0, 1)`` for such images.

Each kernel states where it agrees with the Keras 3.15.1 layer of the same
name (given the same drawn parameter) and where it does not; the tests
measure both.

Examples
--------
>>> image = np.array([[[200.0, 100.0, 0.0]]])
>>> adjust_hue(image, 120.0)          # red-orange turned a third of the way round
array([[[  0., 200., 100.]]])
>>> adjust_hue(image / 255, 120.0, value_range=(0, 1)) * 255
array([[[  0., 200., 100.]]])
"""

import math

import numpy as np

__all__ = ["GRAY_WEIGHTS", "adjust_contrast", "adjust_hue", "adjust_saturation", "blend_with_grayscale",
           "check_value_range", "color_jitter", "hsv_to_rgb", "rgb_to_hsv", "to_grayscale"]

#: ITU-R BT.601 luma weights, as Keras 3's ``rgb_to_grayscale`` (and ``tf.image``) use them.
GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)


def check_value_range(value_range, name="value_range"):
    """``value_range`` as two finite floats ``(low, high)`` with ``low < high``; else a clear error.

    Examples
    --------
    >>> check_value_range([0, 1])
    (0.0, 1.0)
    >>> check_value_range((255, 0))
    Traceback (most recent call last):
    ...
    ValueError: value_range=(255, 0) must be (low, high) with low < high, e.g. (0, 255) or (0, 1)
    """
    try:
        low, high = (float(v) for v in value_range)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value_range!r} must be a pair of numbers (low, high), e.g. (0, 255) "
                         f"or (0, 1)") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{name}={value_range!r} must be (low, high) with low < high, e.g. (0, 255) or (0, 1)")
    return low, high


def within(image, value_range, name="value_range"):
    """``image`` as a float array, after checking its values lie in ``value_range``.

    Raises ValueError naming ``value_range`` (and what to pass instead) when
    a value is outside, NaN included.

    Examples
    --------
    >>> within(np.array([0.0, 300.0]), (0, 255))
    Traceback (most recent call last):
    ...
    ValueError: the image holds values from 0 to 300, outside value_range=(0.0, 255.0); pass the range the image is in (0-255 for 8-bit pictures, (0, 1) after rescale=1/255)
    """
    low, high = check_value_range(value_range, name)
    array = np.asarray(image)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    lo, hi = float(array.min()), float(array.max())
    if not (low <= lo and hi <= high):  # False for NaN too
        raise ValueError(f"the image holds values from {lo:g} to {hi:g}, outside {name}={(low, high)}; pass "
                         f"the range the image is in (0-255 for 8-bit pictures, (0, 1) after rescale=1/255)")
    return array


def _to_unit(image, value_range):
    low, high = value_range
    return (image - low) / (high - low)


def _from_unit(image, value_range, dtype):
    low, high = value_range
    return (image * (high - low) + low).astype(dtype, copy=False)


def _rgb(image, operation):
    if image.ndim != 3 or image.shape[-1] != 3:
        raise ValueError(f"{operation} needs an RGB image of shape (rows, cols, 3); got shape {image.shape}")


def adjust_contrast(image, factor, *, value_range=(0, 255)):
    """``(x - mean) * factor + mean`` per channel, clipped to ``value_range``.

    ``factor`` 1 leaves the image unchanged, 0 makes each channel its mean,
    above 1 spreads values away from it. Same as Keras 3's ``RandomContrast``
    given its drawn ``contrast_factor`` (exactly, up to float rounding).

    Examples
    --------
    >>> image = np.array([[[0.0], [100.0]], [[200.0], [100.0]]])
    >>> adjust_contrast(image, 0.5)[..., 0]
    array([[ 50., 100.],
           [150., 100.]])
    >>> adjust_contrast(image, 3.0)[..., 0]      # clipped to 0-255
    array([[  0., 100.],
           [255., 100.]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    mean = image.mean(axis=(0, 1), keepdims=True)
    return np.clip((image - mean) * np.asarray(factor, image.dtype) + mean, low, high)


def rgb_to_hsv(rgb):
    """Hue (turns, 0-1), saturation (0-1) and value (as ``rgb``) of an RGB array, last axis channels.

    The formulas of Keras 3's (and dm_pix's) ``rgb_to_hsv``; saturation
    and hue do not depend on the scale of ``rgb``.

    Examples
    --------
    >>> rgb_to_hsv(np.array([[[255.0, 0.0, 0.0], [0.0, 64.0, 128.0]]]))
    array([[[  0.        ,   1.        , 255.        ],
            [  0.58333333,   1.        , 128.        ]]])
    """
    red, green, blue = np.moveaxis(rgb, -1, 0)
    value = np.maximum(np.maximum(red, green), blue)
    spread = value - np.minimum(np.minimum(red, green), blue)
    saturation = np.where(value > 0, spread / np.where(value > 0, value, 1), 0.0)
    norm = 1.0 / (6.0 * np.where(spread > 0, spread, 1))
    hue = np.where(value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0)
    hue = np.where(value == red, norm * (green - blue), hue)
    hue = np.where(spread > 0, hue, 0.0)
    hue = hue + (hue < 0)
    return np.stack([hue, saturation, value], axis=-1).astype(rgb.dtype, copy=False)


def hsv_to_rgb(hsv):
    """The inverse of :func:`rgb_to_hsv` (hue taken modulo 1).

    Examples
    --------
    >>> hsv_to_rgb(np.array([[[0.5, 1.0, 2.0]]]))   # cyan at value 2
    array([[[0., 2., 2.]]])
    """
    hue, saturation, value = np.moveaxis(hsv, -1, 0)
    sixths = np.mod(hue, 1.0) * 6.0
    red = np.clip(np.abs(sixths - 3.0) - 1.0, 0.0, 1.0)
    green = np.clip(2.0 - np.abs(sixths - 2.0), 0.0, 1.0)
    blue = np.clip(2.0 - np.abs(sixths - 4.0), 0.0, 1.0)
    planes = [value * (1.0 - saturation + saturation * plane) for plane in (red, green, blue)]
    return np.stack(planes, axis=-1).astype(hsv.dtype, copy=False)


def adjust_saturation(image, factor, *, value_range=(0, 255)):
    """Multiply the HSV saturation by ``factor`` (1 unchanged, 0 gray), clipped to 0-1.

    The hue and the HSV value (the largest channel) are kept. Same as Keras
    3's ``RandomSaturation`` given its drawn ``factor`` **when
    value_range=(0, 1)**. With Keras's default ``value_range=(0, 255)``
    Keras clips the saturation to 0-255 instead of 0-1, so a factor above 1
    drives channels negative (measured: -1724 for factor 9 on a 0-255
    image); here the saturation stops at 1 and the output stays in range.

    Examples
    --------
    >>> image = np.array([[[200.0, 100.0, 100.0]]])
    >>> adjust_saturation(image, 0.0)      # gray at the value (the largest channel)
    array([[[200., 200., 200.]]])
    >>> adjust_saturation(image, 2.0)      # saturation 0.5 -> 1
    array([[[200.,   0.,   0.]]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    _rgb(image, "adjust_saturation")
    hsv = rgb_to_hsv(_to_unit(image, (low, high)))
    hsv[..., 1] = np.clip(hsv[..., 1] * factor, 0.0, 1.0)
    return _from_unit(np.clip(hsv_to_rgb(hsv), 0.0, 1.0), (low, high), image.dtype)


def adjust_hue(image, degrees, *, value_range=(0, 255)):
    """Turn every pixel's hue by ``degrees`` round the colour wheel (360 = unchanged).

    Same as Keras 3's ``RandomHue`` given its drawn ``factor``, which is
    this angle in turns: ``degrees = 360 * factor`` (Keras draws at most
    half a turn, 180 degrees, for ``factor=1``).

    Examples
    --------
    >>> image = np.array([[[255.0, 0.0, 0.0]]])
    >>> adjust_hue(image, 120.0)     # red -> green
    array([[[  0., 255.,   0.]]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    _rgb(image, "adjust_hue")
    hsv = rgb_to_hsv(_to_unit(image, (low, high)))
    hsv[..., 0] = np.mod(hsv[..., 0] + degrees / 360.0, 1.0)
    return _from_unit(np.clip(hsv_to_rgb(hsv), 0.0, 1.0), (low, high), image.dtype)


def to_grayscale(image, *, value_range=(0, 255)):
    """Luma ``0.2989 R + 0.5870 G + 0.1140 B`` in every channel (the shape is kept).

    Same as Keras 3's ``RandomGrayscale`` when it converts; a one-channel
    image is returned unchanged (a copy).

    Examples
    --------
    >>> to_grayscale(np.array([[[255.0, 0.0, 0.0]]]))
    array([[[76.2195, 76.2195, 76.2195]]])
    """
    image = within(image, value_range)
    if image.shape[-1] == 1:
        return image.copy()
    _rgb(image, "to_grayscale")
    luma = image @ np.asarray(GRAY_WEIGHTS, dtype=image.dtype)
    return np.repeat(luma[..., None], 3, axis=-1)


def blend_with_grayscale(image, amount, *, value_range=(0, 255)):
    """``image + amount * (gray - image)``: 0 unchanged, 1 gray (Keras 3's ``RandomColorDegeneration``).

    Unlike :func:`adjust_saturation` this mixes towards the *luma*, so the
    brightness of a saturated red drops.

    Examples
    --------
    >>> blend_with_grayscale(np.array([[[200.0, 100.0, 0.0]]]), 0.5)
    array([[[159.24, 109.24,  59.24]]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    gray = to_grayscale(image, value_range=(low, high))
    return np.clip(image + np.asarray(amount, image.dtype) * (gray - image), low, high)


def color_jitter(image, *, brightness=None, contrast=None, saturation=None, hue=None, value_range=(0, 255)):
    """Brightness, contrast, saturation, hue, in that order (Keras 3's ``RandomColorJitter``).

    Parameters
    ----------
    image : ndarray (rows, cols, 3)
    brightness : float, optional
        A shift added to every pixel, as a fraction of the range width
        (``0.1`` adds 25.5 to a 0-255 image), then clipped: Keras 3's
        ``RandomBrightness`` rule, which **adds** (``ImageDataGenerator``'s
        ``brightness_range`` multiplies).
    contrast : float, optional
        :func:`adjust_contrast`'s factor.
    saturation : float, optional
        :func:`adjust_saturation`'s factor.
    hue : float, optional
        :func:`adjust_hue`'s angle in degrees.
    value_range : (low, high)

    Examples
    --------
    >>> image = np.array([[[100.0, 50.0, 50.0], [50.0, 50.0, 50.0]]])
    >>> color_jitter(image, brightness=0.1, saturation=0.0)
    array([[[125.5, 125.5, 125.5],
            [ 75.5,  75.5,  75.5]]])
    """
    low, high = check_value_range(value_range)
    out = within(image, (low, high))
    if brightness is not None:
        out = np.clip(out + np.asarray(brightness * (high - low), out.dtype), low, high)
    if contrast is not None:
        out = adjust_contrast(out, contrast, value_range=(low, high))
    if saturation is not None:
        out = adjust_saturation(out, saturation, value_range=(low, high))
    if hue is not None:
        out = adjust_hue(out, hue, value_range=(low, high))
    return out if out is not image else out.copy()
