"""Random erasing (cutout): a box from uniforms, its fill, and the kernels that paint it.

augkit follows the Random Erasing paper (Zhong et al. 2017) as torchvision's
``RandomErasing`` implements it: with probability ``p`` an image gets one
box whose **area** is a fraction drawn uniformly from ``scale`` of the image's
area and whose aspect ratio **height / width** is drawn log-uniformly from
``ratio``; up to 10 attempts, then nothing is erased. (The paper and
torchvision write the erasing ratio as height/width; the resized crop of
:mod:`augkit.ops.crop` uses width/height, as torchvision does there.)

Fill choices (:func:`fill_values`): a number, one number per channel, or
``"noise"``, values uniform over the image's ``value_range`` (the paper's
"random values"). Masks: :func:`erase_mask` leaves a mask unchanged (as
``keras.layers.RandomErasing`` does: the objects are still there, only
hidden), or, given ``ignore_label``, marks the erased pixels with it so a
loss can skip them.

``keras.layers.RandomErasing`` (3.15.1) defines its box differently
(:func:`keras_box_mask` reproduces it, ``tests/test_ops_erasing.py``
measures it): ``scale`` is documented as an *aspect ratio* range but two
numbers ``s_w, s_h`` are drawn from it and the box spans ``sqrt(s_w)`` of
the width and ``sqrt(s_h)`` of the height; ``factor=1.0`` is documented as
"always applied" but is the range (0, 1) of a probability drawn per image,
so about half of the images are erased; ``fill_value=None`` draws
``N(0, 1) * value_range[1]`` clipped to ``value_range``: half of the pixels
become ``value_range[0]``.

Examples
--------
>>> image = np.zeros((3, 4, 1), dtype=np.float32)
>>> erase(image, Box(1, 1, 2, 2), 9.0)[..., 0]
array([[0., 0., 0., 0.],
       [0., 9., 9., 0.],
       [0., 9., 9., 0.]], dtype=float32)
"""

import math

import numpy as np

from augkit.ops.crop import ATTEMPTS, Box
from augkit.validators import finite_floats, is_number

__all__ = ["ERASING_SLOTS", "check_erasing_fill", "check_erasing_ratio", "erase", "erase_mask", "erasing_box",
           "fill_values", "keras_box_mask"]

#: Uniforms one erasing draw takes: apply?, an area and a log-ratio per attempt, top, left, the noise seed.
ERASING_SLOTS = 1 + 2 * ATTEMPTS + 3


def check_erasing_ratio(ratio, name="erasing_ratio"):
    """``ratio`` as ``(low, high)`` height/width ratios, ``0 < low <= high``.

    Examples
    --------
    >>> check_erasing_ratio((0.3, 3.3))
    (0.3, 3.3)
    """
    accepted = "a pair (low, high) with 0 < low <= high (height / width of the erased box)"
    low, high = finite_floats(ratio, name, accepted, length=2)
    if not 0 < low <= high:
        raise ValueError(f"{name}={ratio!r} must be {accepted}")
    return (low, high)


def check_erasing_fill(fill, name="erasing_fill"):
    """A finite number, a tuple of finite numbers (one per channel) or ``"noise"``.

    Examples
    --------
    >>> check_erasing_fill(0), check_erasing_fill((124, 116, 104)), check_erasing_fill("noise")
    (0.0, (124.0, 116.0, 104.0), 'noise')
    """
    accepted = ("a finite number, a tuple of finite numbers (one per channel) or 'noise' (values uniform over the "
                "image's value range)")
    if isinstance(fill, str) and fill != "noise":
        raise ValueError(f"{name}={fill!r} must be {accepted}")
    if isinstance(fill, str):
        return fill
    if is_number(fill):
        if not math.isfinite(fill):
            raise ValueError(f"{name}={fill!r} must be {accepted}")
        return float(fill)
    return finite_floats(fill, name, accepted)


def erasing_box(rows_cols, p, scale, ratio, uniforms):
    """The box to erase (torchvision's ``RandomErasing.get_params``), or None, from ``ERASING_SLOTS`` uniforms.

    ``uniforms[0] < p`` decides whether to erase. Attempt ``k`` takes the
    area ``rows * cols * (scale[0] + (scale[1] - scale[0]) * uniforms[1 + 2k])``
    and the ratio ``exp(log ratio[0] + (log ratio[1] - log ratio[0]) * uniforms[2 + 2k])``;
    ``height = round(sqrt(area * ratio))``, ``width = round(sqrt(area / ratio))``;
    the first box strictly smaller than the image in both sides is placed
    uniformly with ``uniforms[-3]`` (top) and ``uniforms[-2]`` (left).
    ``uniforms[-1]`` is left for the noise fill's seed.

    Examples
    --------
    >>> u = np.full(ERASING_SLOTS, 0.5)
    >>> erasing_box((10, 10), 1.0, (0.16, 0.16), (1.0, 1.0), u)
    Box(top=3, left=3, height=4, width=4)
    >>> erasing_box((10, 10), 0.4, (0.16, 0.16), (1.0, 1.0), u) is None   # 0.5 >= p: not erased
    True
    """
    if not uniforms[0] < p:
        return None
    rows, cols = rows_cols
    area = rows * cols
    log_low, log_high = math.log(ratio[0]), math.log(ratio[1])
    for attempt in range(ATTEMPTS):
        erase_area = area * (scale[0] + (scale[1] - scale[0]) * uniforms[1 + 2 * attempt])
        aspect = math.exp(log_low + (log_high - log_low) * uniforms[2 + 2 * attempt])
        height = int(round(math.sqrt(erase_area * aspect)))
        width = int(round(math.sqrt(erase_area / aspect)))
        if height < rows and width < cols:
            top = min(int(uniforms[-3] * (rows - height + 1)), rows - height)
            left = min(int(uniforms[-2] * (cols - width + 1)), cols - width)
            return Box(top, left, height, width)
    return None


def fill_values(fill, box, channels, value_range, noise_u=0.0):
    """What the erased box holds: an array broadcastable to ``(height, width, channels)``.

    Parameters
    ----------
    fill : float, tuple of floats or "noise"
        Checked by :func:`check_erasing_fill`. A tuple needs one number per channel.
    box : Box
    channels : int
    value_range : (float, float)
        The image's ``(low, high)`` (0-1 or 0-255): noise is uniform over it.
    noise_u : float in [0, 1)
        The uniform that seeds the noise (``default_rng(int(noise_u * 2**63))``),
        so the noise is a function of the sample's draws.

    Examples
    --------
    >>> fill_values((1, 2, 3), Box(0, 0, 2, 2), 3, (0, 255)).tolist()
    [1.0, 2.0, 3.0]
    >>> noise = fill_values("noise", Box(0, 0, 2, 2), 3, (0, 1), noise_u=0.25)
    >>> noise.shape, bool(((0 <= noise) & (noise < 1)).all())
    ((2, 2, 3), True)
    """
    if isinstance(fill, str):
        low, high = value_range
        rng = np.random.default_rng(int(noise_u * 2**63))
        return low + (high - low) * rng.random((box.height, box.width, channels))
    values = np.atleast_1d(np.asarray(fill, dtype=float))
    if values.size not in (1, channels):
        raise ValueError(f"erasing_fill={fill!r} has {values.size} values; the image has {channels} channels: "
                         "give one number or one per channel")
    return values


def erase(image, box, fill):
    """``image`` (rows, cols, channels) with ``box`` painted with ``fill``, as a new array (dtype kept).

    ``fill`` is anything broadcastable to ``(height, width, channels)``; None
    for ``box`` returns an unchanged copy.

    Examples
    --------
    >>> erase(np.ones((2, 2, 2), dtype=np.float32), Box(0, 1, 2, 1), [5, 7])[:, :, 1]
    array([[1., 7.],
           [1., 7.]], dtype=float32)
    """
    out = np.array(image, copy=True)
    if box is not None:
        top, left, height, width = box
        out[top:top + height, left:left + width] = np.asarray(fill, dtype=float)
    return out


def erase_mask(mask, box, ignore_label=None):
    """The mask of an erased image: unchanged (``ignore_label=None``), or the box set to ``ignore_label``.

    Leaving the mask unchanged (Keras's choice) teaches the model that the
    object is still there behind the box; an ignore label (255 for VOC-style
    masks) lets the loss skip the hidden pixels instead.

    Examples
    --------
    >>> mask = np.array([[1, 1], [2, 2]], dtype=np.uint8)
    >>> erase_mask(mask, Box(0, 0, 1, 1), ignore_label=255)
    array([[255,   1],
           [  2,   2]], dtype=uint8)
    >>> bool((erase_mask(mask, Box(0, 0, 1, 1)) == mask).all())
    True
    """
    out = np.array(mask, copy=True)
    if box is not None and ignore_label is not None:
        if not np.can_cast(np.min_scalar_type(ignore_label), out.dtype) and not np.issubdtype(out.dtype, np.floating):
            raise ValueError(f"ignore_label={ignore_label!r} does not fit the mask's dtype {out.dtype}")
        top, left, height, width = box
        out[top:top + height, left:left + width] = ignore_label
    return out


def keras_box_mask(rows_cols, x0, x1, y0, y1):
    """The pixels ``keras.layers.RandomErasing`` and ``CutMix`` treat as inside a box with float corners.

    Keras keeps the box's corners as floats and takes the pixels whose
    integer coordinates satisfy ``x0 <= col < x1`` and ``y0 <= row < y1``
    (``x`` along the width). Returns a bool ``(rows, cols)`` array.

    Examples
    --------
    >>> keras_box_mask((3, 4), 0.5, 2.5, 0.0, 1.0).astype(int)
    array([[0, 1, 1, 0],
           [0, 0, 0, 0],
           [0, 0, 0, 0]])
    """
    rows, cols = rows_cols
    grid_row, grid_col = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (grid_col >= x0) & (grid_col < x1) & (grid_row >= y0) & (grid_row < y1)

