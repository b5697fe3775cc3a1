"""The random crop and random erasing entries of the parameter spec table (beyond Keras's ``ImageDataGenerator``).

Two ``ImageDataGenerator`` keyword arguments, each drawn per sample from its
own slots in the default mode (keyed by its name, as every entry) and applied
by :class:`augkit.pipeline.Augmenter` after the warp and the intensity
kernels, to the image **and its mask alike**:

* ``crop_size=(height, width)`` (an int ``n`` means ``(n, n)``; 0 or None is
  off): a ``height x width`` window, its top-left corner uniform over every
  position that fits (:func:`augkit.ops.crop.random_crop_box`, as
  ``keras.layers.RandomCrop`` draws it). The mask is sliced with the same
  box, never interpolated. **Every output then has the crop's size**: an
  image, a mask, and every batch of ``flow*`` is ``(n, height, width,
  channels)``, whatever size the inputs have (each must be at least the
  crop; a smaller one is refused, where Keras would resize it).
* ``random_erasing=p`` or ``random_erasing=dict(probability=p, scale=(0.02,
  0.33), ratio=(0.3, 3.3), fill=0.0, mask_fill=None, noise_range=None)``
  (torchvision's defaults; 0 or None is off): with probability ``p`` one box
  whose area is a fraction uniform in ``scale`` of the image's and whose
  height/width ratio is log-uniform in ``ratio`` (the Random Erasing paper,
  :func:`augkit.ops.erasing.erasing_box`) is painted with ``fill``: a number,
  one number per channel, or ``"noise"``, uniform over ``noise_range``; its
  default None is the generator's ``value_range=`` (0-255 unless set), the
  one setting the colour kernels read too, and an explicit ``(low, high)``
  takes precedence over it. The
  mask keeps its labels under the box (``mask_fill=None``: the object is
  still there, hidden) or gets ``mask_fill`` there (an ignore label a loss
  can skip, 255 for VOC-style masks).

Each sample's box is in its parameters (``crop_top``, ``crop_left``,
``crop_height``, ``crop_width``; ``erase_top``, ``erase_left``,
``erase_height``, ``erase_width``, ``erase_seed``: pixels, None when off or
not erased; the erasing box is drawn for the crop's size, as it is applied
after the crop), so ``apply_transform(x, params)`` replays it; the fill is
the generator's setting. In the compat modes both arguments are refused by name
(``in_compat=False``): Keras's ``ImageDataGenerator`` has neither, and its
own random draws stay Keras's.
"""

import dataclasses
import math
import numbers

from augkit.ops.crop import ATTEMPTS, check_crop_size
from augkit.ops.erasing import check_erasing_fill, check_erasing_ratio
from augkit.spec import Augmentation, CliOption, ControlSpec, Key
from augkit.validators import finite_floats, is_number

__all__ = ["CROP_AUGMENTATIONS", "DRAWN_FOR_THE_CROP", "ErasingSettings", "ResizedCropSettings", "box_of",
           "check_one_crop", "crop_and_erase", "crop_output_shape", "cropped_rows_cols", "output_size"]

#: The arguments applied after the crop, so drawn for the crop's size (whatever their place in the table).
DRAWN_FOR_THE_CROP = frozenset({"random_erasing"})


@dataclasses.dataclass(frozen=True)
class ErasingSettings:
    """``random_erasing`` as validated: torchvision's ``RandomErasing`` settings, and what the mask gets.

    ``noise_range`` None (the default): the noise fill is uniform over the
    generator's ``value_range``; a ``(low, high)`` given here takes precedence.
    """

    probability: float
    scale: tuple = (0.02, 0.33)
    ratio: tuple = (0.3, 3.3)
    fill: object = 0.0
    mask_fill: object = None
    noise_range: tuple = None  # None: the generator's value_range


@dataclasses.dataclass(frozen=True)
class ResizedCropSettings:
    """``random_resized_crop`` as validated: the output ``size`` and torchvision's ``scale`` and ``ratio``."""

    size: tuple
    scale: tuple = (0.08, 1.0)
    ratio: tuple = (3 / 4, 4 / 3)


_ERASING_HELP = ("a probability p from 0 to 1, or a dict with keys probability, scale, ratio, fill, mask_fill, "
                 "noise_range (torchvision's RandomErasing: scale (0.02, 0.33) of the area, ratio (0.3, 3.3) "
                 "height/width, fill 0)")


def _probability(value, name):
    if not is_number(value):
        raise TypeError(f"{name}={value!r} must be {_ERASING_HELP}")
    if not (math.isfinite(value) and 0 <= value <= 1):
        raise ValueError(f"{name}={value!r}: the probability must be a number from 0 to 1 ({_ERASING_HELP})")
    return float(value)


def _validate_erasing(value, name):
    """None (off), or :class:`ErasingSettings` from a probability, a dict or settings."""
    if value is None:
        return None
    if isinstance(value, ErasingSettings):
        value = dataclasses.asdict(value)
    if not isinstance(value, dict):
        probability = _probability(value, name)
        return ErasingSettings(probability) if probability else None
    fields = [field.name for field in dataclasses.fields(ErasingSettings)]
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ValueError(f"{name} has unknown keys {unknown}; use {', '.join(fields)}")
    settings = ErasingSettings(**{"probability": 0.5, **value})
    from augkit.ops.crop import check_scale  # the same (low, high] checks as the kernels

    scale = check_scale(settings.scale, f"{name}['scale']")
    ratio = check_erasing_ratio(settings.ratio, f"{name}['ratio']")
    fill = check_erasing_fill(settings.fill, f"{name}['fill']")
    mask_fill = settings.mask_fill
    if mask_fill is not None and (isinstance(mask_fill, bool) or not isinstance(mask_fill, numbers.Integral)):
        raise TypeError(f"{name}['mask_fill']={mask_fill!r} must be None (masks keep their labels) or an int label "
                        ">= 0 for the erased pixels (an ignore label such as 255)")
    if mask_fill is not None and mask_fill < 0:
        raise ValueError(f"{name}['mask_fill']={mask_fill!r} must be None (masks keep their labels) or a "
                         "label >= 0 for the erased pixels (an ignore label such as 255)")
    noise_range = _noise_range(settings.noise_range, f"{name}['noise_range']")
    probability = _probability(settings.probability, f"{name}['probability']")
    if not probability:
        return None
    return ErasingSettings(probability, scale, ratio, fill, mask_fill, noise_range)


def _noise_range(value, name):
    """None (the generator's ``value_range``) or ``(low, high)`` finite floats with low < high."""
    if value is None:
        return None
    accepted = "None (the generator's value_range) or a pair (low, high) with low < high"
    low, high = finite_floats(value, name, accepted, length=2)
    if not low < high:
        raise ValueError(f"{name}={value!r} must be {accepted}")
    return (low, high)


_CROP_ACCEPTED = "a positive int or a (height, width) pair of positive ints (pixels), or None or 0 (off)"
_RESIZED_CROP_ACCEPTED = ("a positive int or a (height, width) pair of positive ints (pixels), a dict with keys size, "
                          "scale, ratio, or None or 0 (off)")


def _validate_crop(value, name, accepted=_CROP_ACCEPTED):
    """None (off), or ``(height, width)`` in pixels; whole floats (a slider's 24.0) are taken as ints."""
    if value is None or (is_number(value) and value == 0):
        return None

    def whole(v):
        if not is_number(v) or isinstance(v, numbers.Integral):
            return v  # check_crop_size says what is wrong with a str, a bool...
        if not (math.isfinite(v) and float(v).is_integer()):
            raise ValueError(f"{name}={value!r} must be {accepted}; {v!r} is not a whole number of pixels")
        return int(v)
    value = type(value)(whole(v) for v in value) if isinstance(value, (tuple, list)) else whole(value)
    return check_crop_size(value, name, accepted)


def _validate_resized_crop(value, name):
    """None (off), or :class:`ResizedCropSettings` from a size, a dict or settings."""
    if isinstance(value, ResizedCropSettings):
        value = dataclasses.asdict(value)
    if not isinstance(value, dict):
        size = _validate_crop(value, name, _RESIZED_CROP_ACCEPTED)
        return None if size is None else ResizedCropSettings(size)
    fields = [field.name for field in dataclasses.fields(ResizedCropSettings)]
    unknown = sorted(set(value) - set(fields))
    if unknown or "size" not in value:
        raise ValueError(f"{name} has unknown keys {unknown} or no 'size'; use a size (height, width) or a dict "
                         f"with keys {', '.join(fields)} (size required)")
    from augkit.ops.crop import check_ratio, check_scale

    size = check_crop_size(value["size"], f"{name}['size']")
    scale = check_scale(value.get("scale", (0.08, 1.0)), f"{name}['scale']")
    ratio = check_ratio(value.get("ratio", (3 / 4, 4 / 3)), f"{name}['ratio']")
    return ResizedCropSettings(size, scale, ratio)


def check_one_crop(ranges):
    """Refuse ``crop_size`` with ``random_resized_crop`` by name (both would set the output's size)."""
    if getattr(ranges, "crop_size", None) is not None and getattr(ranges, "random_resized_crop", None) is not None:
        raise ValueError(f"crop_size={ranges.crop_size!r} and random_resized_crop="
                         f"{ranges.random_resized_crop.size!r} both set the output's size: use one of them "
                         "(crop_size cuts a fixed-size window; random_resized_crop cuts a random box and resizes "
                         "it)")


# Draws: uniforms to a box (the default mode); the compat modes refuse the arguments and draw nothing.


def _crop_draw(size, uniforms, rows_cols):
    if size is None:
        return (None, None, None, None)
    from augkit.ops.crop import random_crop_box

    box = random_crop_box(rows_cols, size, uniforms[0], uniforms[1])
    return tuple(float(v) for v in box)


def _resized_crop_draw(settings, uniforms, rows_cols):
    if settings is None:
        return (None, None, None, None)
    from augkit.ops.crop import random_resized_crop_box

    return tuple(float(v) for v in random_resized_crop_box(rows_cols, settings.scale, settings.ratio, uniforms))


def _erasing_draw(settings, uniforms, rows_cols):
    if settings is None:
        return (None,) * 5
    from augkit.ops.erasing import erasing_box

    box = erasing_box(rows_cols, settings.probability, settings.scale, settings.ratio, uniforms)
    if box is None:
        return (None,) * 5
    return tuple(float(v) for v in box) + (float(uniforms[-1]),)


def _no_legacy_draw(count):
    def draw(value, state, rows_cols):  # refused in the compat modes: Keras's stream is left alone
        return (None,) * count
    return draw


def _documented_crop(part):
    def documented(size, rows_cols):
        if size is None:
            return None
        if part < 2:
            room = rows_cols[part] - size[part]
            return (0.0, float(room))
        return (float(size[part - 2]),) * 2
    return documented


def _documented_erasing(part):
    def documented(settings, rows_cols):
        if settings is None:
            return None
        if part == 4:
            return (0.0, 1.0)
        if part < 2:
            return (0.0, float(rows_cols[part] - 1))
        return (0.0, float(rows_cols[part - 2] - 1))
    return documented


def _documented_resized_crop(part):
    def documented(settings, rows_cols):
        if settings is None:
            return None
        if part < 2:
            return (0.0, float(rows_cols[part] - 1))
        return (1.0, float(rows_cols[part - 2]))
    return documented


#: A box's four keys after its prefix: (part, unit, axis).
_BOX_PARTS = (("top", "pixels (rows)", "rows"), ("left", "pixels (columns)", "cols"),
              ("height", "pixels (rows)", "rows"), ("width", "pixels (columns)", "cols"))


def _box_keys(prefix, label, header, documented):
    """The keys ``{prefix}_top``, ``_left``, ``_height``, ``_width`` of a box drawn per sample.

    The first prints the whole box (``crop 8x8@(3,5)``); ``documented(part)``
    gives each key's documented range; ``header`` starts the CLI table's column names.
    """
    names = tuple(f"{prefix}_{part}" for part, _, _ in _BOX_PARTS)

    def shown(p):
        top, left, height, width = (getattr(p, name) for name in names)
        return None if top is None else f"{label} {height:.0f}x{width:.0f}@({top:.0f},{left:.0f})"

    return tuple(Key(name, "optional", None, unit, shown if index == 0 else (lambda p: None), documented(index),
                     axis=axis, header=f"{header} {part}")
                 for index, (name, (part, unit, axis)) in enumerate(zip(names, _BOX_PARTS)))


#: The crop and erasing entries; :mod:`augkit.spec` appends them to ``AUGMENTATIONS``.
CROP_AUGMENTATIONS = (
    Augmentation(
        argument="crop_size", default=None, validate=_validate_crop, slots=("crop_top", "crop_left"),
        keys=_box_keys("crop", "crop", "crop", _documented_crop),
        draw=_crop_draw, draw_legacy=_no_legacy_draw(4), in_compat=False,
        is_on=lambda size: size is not None,
        control=ControlSpec("float", 0, 8, 0, 256, 1,
                            unit="pixels: a square window, its corner uniform over the positions that fit; "
                                 "every output has this size (0 is off)"),
        option=CliOption("number", "pixels: a random window of SIZE x SIZE (or ROWS COLS); every output has "
                         "this size", metavar="SIZE", low=0, high=1e5, unit="pixels", values="1-2",
                         default=[0.0])),
    Augmentation(
        argument="random_erasing", default=None, validate=_validate_erasing,
        slots=("erase_apply",) + tuple(f"erase_{kind}_{k}" for k in range(ATTEMPTS) for kind in ("area", "ratio"))
        + ("erase_top", "erase_left", "erase_seed"),
        keys=_box_keys("erase", "erase", "erase", _documented_erasing)
        + (Key("erase_seed", "optional", None, "uniform", lambda p: None, _documented_erasing(4), axis="",
               header="erase seed"),),
        draw=_erasing_draw, draw_legacy=_no_legacy_draw(5), in_compat=False,
        is_on=lambda settings: settings is not None,
        control=ControlSpec("float", 0.0, 1.0, 0, 1, 0.05,
                            unit="probability of erasing one box (2-33 % of the area, height/width 0.3-3.3, "
                                 "filled with 0)"),
        option=CliOption("number", "probability (0-1) of erasing one box (torchvision's defaults: 2-33 %% of "
                         "the area, height/width 0.3-3.3, filled with 0)", metavar="P", low=0, high=1,
                         unit="probability", default=0.0)),
    Augmentation(
        argument="random_resized_crop", default=None, validate=_validate_resized_crop,
        slots=tuple(f"resized_crop_{kind}_{k}" for k in range(ATTEMPTS) for kind in ("area", "ratio"))
        + ("resized_crop_top", "resized_crop_left"),
        keys=_box_keys("resized_crop", "resized crop", "rrc", _documented_resized_crop),
        draw=_resized_crop_draw, draw_legacy=_no_legacy_draw(4), in_compat=False,
        is_on=lambda settings: settings is not None,
        control=ControlSpec("float", 0, 8, 0, 256, 1,
                            unit="pixels: the output's side; a box of 8-100 % of the area, width/height 3/4-4/3 "
                                 "(torchvision's RandomResizedCrop), resized to it (0 is off)"),
        option=CliOption("number", "pixels: a random box of 8-100 %% of the area, width/height 3/4-4/3, resized "
                         "to SIZE x SIZE (or ROWS COLS)", metavar="SIZE", low=0, high=1e5, unit="pixels",
                         values="1-2", default=[0.0])),
)


def output_size(ranges):
    """The ``(height, width)`` every output of ``ranges`` has (``crop_size`` or ``random_resized_crop``'s), or None."""
    size = getattr(ranges, "crop_size", None)
    resized = getattr(ranges, "random_resized_crop", None)
    return size if resized is None else resized.size


def cropped_rows_cols(ranges, rows_cols):
    """``(rows, cols)`` after ``ranges``' crop: :func:`output_size`, or ``rows_cols`` when it does not crop."""
    size = output_size(ranges)
    return tuple(rows_cols) if size is None else tuple(size)


def crop_output_shape(size, shape, channels_last=True):
    """``shape`` of one image or mask with its rows and columns replaced by the crop's ``size``.

    ``shape`` is ``(rows, cols)``, ``(rows, cols, k)`` or, not
    ``channels_last``, ``(k, rows, cols)``; ``size`` None leaves it.

    Examples
    --------
    >>> crop_output_shape((4, 6), (32, 48, 3)), crop_output_shape((4, 6), (3, 32, 48), channels_last=False)
    ((4, 6, 3), (3, 4, 6))
    """
    shape = tuple(shape)
    if size is None:
        return shape
    if len(shape) == 2 or channels_last:
        return tuple(size) + shape[2:]
    return shape[:1] + tuple(size)


def box_of(params, prefix):
    """The :class:`~augkit.ops.crop.Box` that one sample's ``{prefix}_top``, ``_left``, ``_height`` and
    ``_width`` keys hold (``prefix`` "crop", "resized_crop" or "erase"), or None when it has none.

    >>> from augkit.params import TransformParams
    >>> box_of(TransformParams(erase_top=1.0, erase_left=2.0, erase_height=3.0, erase_width=4.0), "erase")
    Box(top=1, left=2, height=3, width=4)
    >>> box_of(TransformParams(), "crop") is None
    True
    """
    top = getattr(params, f"{prefix}_top")
    if top is None:
        return None
    from augkit.ops.crop import Box

    return Box(int(top), *(int(getattr(params, f"{prefix}_{part}")) for part in ("left", "height", "width")))


def crop_and_erase(params, image, mask, settings, resized=None, order=1, *, folded=False, value_range=(0, 255)):
    """The crop (or resized crop), then the erasing of ``params``, on a channels-last ``image`` and its ``mask``.

    The resized crop warps the image's box to ``resized.size`` (the box's
    own size when ``resized`` is None) at interpolation ``order`` and
    resizes the mask's box by nearest neighbour (:mod:`augkit.ops.crop`);
    ``folded``: the warp has done it already (:mod:`augkit.crop_fold`), and
    only the erasing is left.
    The crop slices both with one box (labels never interpolated); the
    erasing paints the image's box with ``settings.fill`` (0 when
    ``settings`` is None) and leaves the mask, or writes
    ``settings.mask_fill`` there. Returns ``(image, mask)``.
    """
    if params.crop_top is None and params.resized_crop_top is None and params.erase_top is None:
        return image, mask  # the common case: no box (checked before the imports, which cost per call)
    from augkit.ops.crop import crop, resized_crop, resized_crop_mask
    from augkit.ops.erasing import erase, erase_mask, fill_values

    box = box_of(params, "crop")
    if box is not None:
        image = crop(image, box)
        mask = None if mask is None else crop(mask, box)
    box = None if folded else box_of(params, "resized_crop")
    if box is not None:
        size = box[2:] if resized is None else resized.size
        image = resized_crop(image, box, size, order=order)
        mask = None if mask is None else resized_crop_mask(mask, box, size)
    box = box_of(params, "erase")
    if box is not None:
        settings = settings or ErasingSettings(1.0)
        noise_range = value_range if settings.noise_range is None else settings.noise_range
        fill = fill_values(settings.fill, box, image.shape[-1], noise_range, params.erase_seed)
        image = erase(image, box, fill)
        mask = None if mask is None else erase_mask(mask, box, settings.mask_fill)
    return image, mask
