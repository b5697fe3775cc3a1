"""Filter and tone kernels: Gaussian blur and noise, and RandAugment's sharpness, posterisation,
solarisation, auto-contrast and equalisation.

Deterministic, like :mod:`augkit.colour` (whose ``value_range`` rule they
share: the range is an argument, default ``(0, 255)``, and an image with
values outside it is refused by name). Posterisation, solarisation and
equalisation think in 8-bit levels: they map ``value_range`` onto 0-255
first, as Keras 3 does, so a 0-1 image given ``value_range=(0, 1)`` and the
same image times 255 given ``(0, 255)`` come out the same (up to the scale).

Examples
--------
>>> posterize(np.array([[[255.0, 100.0, 7.0]]]), 1)   # keep 1 bit: 0 or 128
array([[[128.,   0.,   0.]]])
"""

import numpy as np
import scipy.ndimage

from augkit.colour import check_value_range, within

__all__ = ["add_noise", "auto_contrast", "equalize", "gaussian_blur", "gaussian_kernel", "noise",
           "posterize", "sharpen", "solarize"]

_SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], dtype=np.float64) / 13.0  # PIL's and Keras's


def _as_bytes(image, value_range):
    low, high = value_range
    return (image - low) * (255.0 / (high - low))


def _from_bytes(levels, value_range, dtype):
    low, high = value_range
    return (levels * ((high - low) / 255.0) + low).astype(dtype, copy=False)


def gaussian_kernel(size, sigma):
    """The normalised 1-D Gaussian weights of ``size`` taps (odd) for ``sigma`` pixels.

    Examples
    --------
    >>> gaussian_kernel(3, 1.0).round(4)
    array([0.2741, 0.4519, 0.2741])
    """
    taps = np.arange(size) - (size - 1) / 2
    weights = np.exp(-0.5 * (taps / sigma) ** 2)
    return weights / weights.sum()


def gaussian_blur(image, sigma, *, kernel_size=None, mode="nearest", value_range=(0, 255)):
    """Blur with a Gaussian of ``sigma`` pixels, ``(rows, cols)`` or one number for both.

    Parameters
    ----------
    image : ndarray (rows, cols, channels)
    sigma : float or (float, float)
        Standard deviation in pixels, down the rows and across the columns
        (0 leaves that axis alone).
    kernel_size : int, optional
        Odd number of taps; by default ``2 * ceil(3 * sigma) + 1`` (99.7% of
        the weight). Keras 3's ``RandomGaussianBlur`` uses 3 unless told,
        which truncates any sigma above about 0.8.
    mode : {"nearest", "reflect", "constant"}
        What the kernel reads beyond the border. ``"constant"`` reads 0, as
        Keras 3 does (``padding="SAME"``): borders get darker.
    value_range : (low, high)

    Notes
    -----
    Keras's ``sigma`` pair is ``(cols, rows)`` (x first); it equals
    ``gaussian_blur(image, (sigma_rows, sigma_cols), kernel_size=k,
    mode="constant")`` given Keras's drawn ``blur_factor``.

    Examples
    --------
    >>> image = np.zeros((1, 5, 1)); image[0, 2] = 100.0
    >>> gaussian_blur(image, (0, 1), kernel_size=3)[0, :, 0].round(2)
    array([ 0.  , 27.41, 45.19, 27.41,  0.  ])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    sigmas = (float(sigma), float(sigma)) if np.ndim(sigma) == 0 else tuple(float(s) for s in sigma)
    if len(sigmas) != 2 or min(sigmas) < 0:
        raise ValueError(f"sigma={sigma!r} must be one non-negative number or a (rows, cols) pair")
    if kernel_size is not None and (int(kernel_size) != kernel_size or kernel_size < 1 or kernel_size % 2 == 0):
        raise ValueError(f"kernel_size={kernel_size!r} must be a positive odd integer (3, 5, ...)")
    if mode not in ("nearest", "reflect", "constant"):
        raise ValueError(f"mode={mode!r} must be one of 'nearest', 'reflect', 'constant'")
    out = image
    for axis, s in enumerate(sigmas):
        if s > 0:
            size = kernel_size if kernel_size is not None else 2 * int(np.ceil(3 * s)) + 1
            weights = gaussian_kernel(int(size), s).astype(image.dtype)
            out = scipy.ndimage.correlate1d(out, weights, axis=axis, mode=mode, cval=0.0)
    return np.clip(out, low, high) if out is not image else image.copy()


def noise(shape, std, seed, dtype=np.float32):
    """Gaussian noise of standard deviation ``std`` drawn from ``numpy.random.default_rng(seed)``.

    The noise of a sample is a function of its drawn ``(std, seed)``, so a
    sample replays exactly.

    Examples
    --------
    >>> noise((1, 3), 10.0, seed=0).round(2)
    array([[ 1.26, -1.32,  6.4 ]], dtype=float32)
    """
    return (np.random.default_rng(int(seed)).standard_normal(shape) * std).astype(dtype)


def add_noise(image, std, seed, *, value_range=(0, 255)):
    """``image`` plus :func:`noise` whose ``std`` is a fraction of the range width, clipped to it.

    Keras 3's ``GaussianNoise`` layer (a regulariser, training only) takes
    its ``stddev`` in pixel units and never clips: ``stddev=0.1`` is
    invisible on a 0-255 image. Here ``std=0.1`` is 10% of the range either
    way.

    Examples
    --------
    >>> image = np.full((2, 2, 1), 100.0)
    >>> add_noise(image, 0.0, seed=1)[..., 0]
    array([[100., 100.],
           [100., 100.]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    return np.clip(image + noise(image.shape, std * (high - low), seed, image.dtype), low, high)


def sharpen(image, factor, *, border="keep", value_range=(0, 255)):
    """Blend with a 3x3 smoothed copy: 0 smoothed, 1 unchanged, 2 sharper (PIL's ``Sharpness``).

    ``out = smoothed + factor * (image - smoothed)``, clipped. Keras 3's
    ``RandomSharpness`` draws ``f`` in 0-1 and uses ``factor = 2 f`` (its 0.5
    is "no change"). Keras pads with zeros (``border="zero"``), which darkens
    (factor < 1) or brightens (> 1) the outer ring; PIL and the default
    ``border="keep"`` leave the outer ring as it is.

    Examples
    --------
    >>> image = np.zeros((3, 3, 1)); image[1, 1] = 130.0
    >>> sharpen(image, 0.0)[..., 0]          # the centre smoothed; the ring kept
    array([[ 0.,  0.,  0.],
           [ 0., 50.,  0.],
           [ 0.,  0.,  0.]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    if border not in ("keep", "zero"):
        raise ValueError(f"border={border!r} must be 'keep' (PIL) or 'zero' (Keras 3)")
    smoothed = np.stack([scipy.ndimage.correlate(image[..., c], _SMOOTH.astype(image.dtype), mode="constant")
                         for c in range(image.shape[-1])], axis=-1)
    if border == "keep":
        inner = smoothed[1:-1, 1:-1].copy()
        smoothed = image.copy()
        smoothed[1:-1, 1:-1] = inner
    return np.clip(smoothed + np.asarray(factor, image.dtype) * (image - smoothed), low, high)


def posterize(image, bits, *, value_range=(0, 255)):
    """Keep the ``bits`` highest bits of each 8-bit level (1 to 8; 8 = unchanged).

    The image is mapped to 0-255 and truncated to whole levels first (as
    Keras 3's ``RandomPosterization`` does, so 8 bits still floors).

    Examples
    --------
    >>> posterize(np.array([[[0.0, 0.5, 1.0]]]), 2, value_range=(0, 1)) * 255   # 127.5 floors to 127
    array([[[  0.,  64., 192.]]])
    """
    if isinstance(bits, bool) or int(bits) != bits or not 1 <= bits <= 8:
        raise ValueError(f"bits={bits!r} must be an integer from 1 to 8")
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    levels = _as_bytes(image, (low, high)).astype(np.uint8)
    shift = np.uint8(8 - int(bits))
    return _from_bytes(((levels >> shift) << shift).astype(image.dtype), (low, high), image.dtype)


def solarize(image, threshold, *, addition=0.0, value_range=(0, 255)):
    """Invert every level at or above ``threshold`` (fractions of the range, 0 inverts all).

    ``addition`` (a fraction too) is added and clipped first. In 8-bit levels
    ``y = min(x + 255 a, 255); y if y < 255 t else 255 - y``: Keras 3's
    ``Solarization`` given its drawn ``thresholds = 255 t`` and ``additions =
    255 a``. (Keras draws them from ``uniform(low, 255 * high)``: the lower
    end of its ``threshold_factor`` is *not* scaled by 255.)

    Examples
    --------
    >>> solarize(np.array([[[10.0, 200.0, 255.0]]]), 0.5)
    array([[[10., 55.,  0.]]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    levels = np.clip(_as_bytes(image, (low, high)) + 255.0 * addition, 0, 255)
    return _from_bytes(np.where(levels < 255.0 * threshold, levels, 255.0 - levels), (low, high), image.dtype)


def auto_contrast(image, *, value_range=(0, 255)):
    """Stretch each channel's own min-max onto the whole ``value_range``.

    A constant channel is left unchanged (Keras 3's ``AutoContrast`` divides
    by zero there and puts the input back where the result is NaN).

    Examples
    --------
    >>> auto_contrast(np.array([[[50.0, 7.0]], [[100.0, 7.0]]]))[..., 0]
    array([[  0.],
           [255.]])
    """
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    lo, hi = image.min(axis=(0, 1), keepdims=True), image.max(axis=(0, 1), keepdims=True)
    spread = np.where(hi > lo, hi - lo, 1)
    stretched = (image - lo) / spread * (high - low) + low
    return np.where(hi > lo, np.clip(stretched, low, high), image).astype(image.dtype, copy=False)


def equalize(image, *, bins=256, value_range=(0, 255)):
    """Histogram equalisation of each channel over ``bins`` levels (Keras 3's ``Equalization``).

    Level ``i`` maps to ``round(255 (cdf(i) - cdf_min) / (n - cdf_min))``,
    a channel with fewer than two occupied bins is unchanged. (PIL's
    ``ImageOps.equalize`` spreads the levels differently.)

    Examples
    --------
    >>> equalize(np.array([[[0.0], [10.0], [10.0], [20.0]]]))[0, :, 0]
    array([  0., 170., 170., 255.])
    """
    if isinstance(bins, bool) or int(bins) != bins or bins < 2:
        raise ValueError(f"bins={bins!r} must be an integer of at least 2")
    low, high = check_value_range(value_range)
    image = within(image, (low, high))
    levels = _as_bytes(image, (low, high))
    out = np.empty_like(levels)
    for c in range(image.shape[-1]):
        channel = levels[..., c]
        index = np.clip((channel * (bins - 1) / 255.0).astype(np.int64), 0, bins - 1)
        hist = np.bincount(index.ravel(), minlength=bins)
        if np.count_nonzero(hist) <= 1:
            out[..., c] = channel
            continue
        cdf = np.cumsum(hist)
        cdf_min = cdf[np.argmax(cdf > 0)]
        table = np.clip(np.round((cdf - cdf_min) * 255.0 / (cdf[-1] - cdf_min)), 0, 255)
        out[..., c] = table[index]
    return _from_bytes(out, (low, high), image.dtype)
