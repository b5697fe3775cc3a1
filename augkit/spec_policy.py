"""The RandAugment entry of the parameter spec table: a policy that draws which operations each image gets.

``ImageDataGenerator(randaugment=(num_ops, magnitude))`` draws, **per
image**, ``num_ops`` operations (with replacement, each equally likely) from
the intensity operations of Keras 3.15.1's ``keras.layers.RandAugment`` list
and applies them in the order drawn, each with its own value drawn as Keras's
sub-layer draws it for ``factor=magnitude``:

=====================  ==========================================  ===============================
operation              value drawn (m = magnitude, u uniform)      Keras 3 sub-layer at factor m
=====================  ==========================================  ===============================
brightness             add ``m u`` of the value range               RandomBrightness((0, m))
color_degeneration     blend ``m u`` of the way to gray             RandomColorDegeneration((0, m))
contrast               contrast factor ``1 + m u``                  RandomContrast((0, m))
sharpness              sharpness factor ``2 m u`` (1 = unchanged)   RandomSharpness((0, m))
posterization          bits kept, integer in 1 .. max(1, 8m) - 1    RandomPosterization(max(1,
                       (1 when 8m < 2)                              int(8 m)))
solarization           threshold ``m u``, addition ``m u'``         Solarization((0, m), (0, m))
                       (fractions of the range)
auto_contrast          (none)                                       AutoContrast()
equalization           (none)                                       Equalization()
=====================  ==========================================  ===============================

``magnitude`` is Keras's ``factor`` (0 to 1; torchvision's ``magnitude`` is
a bin out of ``num_magnitude_bins``, with other maps). Keras's list also has
shear, translation and rotation: augkit's policy leaves geometry to
``rotation_range``, ``width_shift_range``... (drawn per image, masks
following), so the policy is intensity only and masks are never touched.
Each image draws its own operations (Keras's layer draws one list per batch)
from the entry's own keyed stream (:attr:`augkit.spec.Augmentation.stream_key`),
so switching it on changes no other parameter's draws. The compat modes
refuse it by name.
"""

import numpy as np

from augkit import colour, tone
from augkit.spec import Augmentation, CliOption, ControlSpec, Key
from augkit.spec_colour import _off
from augkit.validators import is_number, items

__all__ = ["MAX_OPS", "OPS", "POLICY_AUGMENTATIONS", "describe_op", "policy_values"]

#: The most operations one image gets (torchvision and Keras default to 2).
MAX_OPS = 4
#: The operations drawn, in Keras's order (its ``_AUGMENT_LAYERS`` without the three geometric ones).
OPS = ("brightness", "color_degeneration", "contrast", "sharpness", "posterization", "solarization",
       "auto_contrast", "equalization")
#: Keras 3.15.1's whole list, for comparison (``RandAugment._AUGMENT_LAYERS``).
KERAS_OPS = ("random_shear", "random_translation", "random_rotation", "random_brightness",
             "random_color_degeneration", "random_contrast", "random_sharpness", "random_posterization",
             "solarization", "auto_contrast", "equalization")


def _validate(value, name):
    """None, or ``(num_ops, magnitude)`` with ``num_ops`` a whole number 1..MAX_OPS and magnitude in [0, 1]."""
    if value is None:
        return None
    accepted = (f"None or a pair (num_ops, magnitude) like (2, 0.5): num_ops an integer from 1 to {MAX_OPS}, "
                f"magnitude from 0 to 1 (Keras's factor)")
    num_ops, magnitude = items(value, name, accepted, length=2)
    for part, number in (("num_ops", num_ops), ("magnitude", magnitude)):
        if not is_number(number):
            raise TypeError(f"{name}: {part}={number!r} is a {type(number).__name__}, not a number; {name} must be "
                            f"{accepted}")
    if not (np.isfinite(num_ops) and float(num_ops).is_integer() and 1 <= num_ops <= MAX_OPS):
        raise ValueError(f"{name}: num_ops={num_ops!r} must be an integer from 1 to {MAX_OPS}")
    if not (np.isfinite(magnitude) and 0 <= magnitude <= 1):
        raise ValueError(f"{name}: magnitude={magnitude!r} must be a number from 0 to 1 (Keras's factor)")
    return (int(num_ops), float(magnitude))


def _posterize_bits(m, u):
    upper = max(1, int(8 * m))  # Keras: RandomPosterization(factor=max(1, int(8 * factor)))
    if upper == 1:
        return 1.0
    return float(1 + min(int(u * (upper - 1)), upper - 2))  # randint(1, upper): upper excluded


def _op_values(op, m, u_a, u_b):
    """The ``(value, extra)`` of operation ``op`` (an index of :data:`OPS`) at magnitude ``m``."""
    name = OPS[op]
    if name in ("brightness", "color_degeneration"):
        return (m * u_a, None)
    if name == "contrast":
        return (1 + m * u_a, None)
    if name == "sharpness":
        return (2 * m * u_a, None)
    if name == "posterization":
        return (_posterize_bits(m, u_a), None)
    if name == "solarization":
        return (m * u_a, m * u_b)
    return (None, None)


def policy_values(value, uniforms):
    """The entry's fields from its validated ``value`` and ``3 * MAX_OPS`` uniforms (op, value, extra per op)."""
    fields = []
    for i in range(MAX_OPS):
        if value is None or i >= value[0]:
            fields.extend((None, None, None))
            continue
        u_op, u_a, u_b = uniforms[3 * i:3 * i + 3]
        op = min(int(u_op * len(OPS)), len(OPS) - 1)
        fields.extend((float(op),) + _op_values(op, value[1], u_a, u_b))
    return tuple(fields)


def describe_op(op, value, extra):
    """One drawn operation in words (``str(params)``): ``'contrast×1.23'``."""
    name = OPS[int(op)]
    if value is None:
        return name
    if name == "posterization":
        return f"posterize {value:.0f} bits"
    if name == "solarization":
        return f"solarize≥{value:.2f}+{extra:.2f}"
    return f"{name}×{value:.2f}" if name in ("contrast", "sharpness") else f"{name} {value:.2f}"


def apply_op(image, op, value, extra, value_range):
    """Operation ``op`` (an index of :data:`OPS`) with its drawn values on one image in ``value_range``."""
    low, high = value_range
    name = OPS[int(op)]
    if name == "brightness":  # Keras 3's RandomBrightness adds (it does not multiply, as Keras 2's did)
        return np.clip(image + np.asarray(value * (high - low), image.dtype), low, high)
    if name == "color_degeneration":
        return colour.blend_with_grayscale(image, value, value_range=value_range)
    if name == "contrast":
        return colour.adjust_contrast(image, value, value_range=value_range)
    if name == "sharpness":
        return tone.sharpen(image, value, value_range=value_range)
    if name == "posterization":
        return tone.posterize(image, int(value), value_range=value_range)
    if name == "solarization":
        return tone.solarize(image, value, addition=extra, value_range=value_range)
    if name == "auto_contrast":
        return tone.auto_contrast(image, value_range=value_range)
    return tone.equalize(image, value_range=value_range)


def _kernel(image, values, convention, value_range=(0, 255)):
    for i in range(MAX_OPS):
        op, value, extra = values[3 * i:3 * i + 3]
        if op is not None:
            image = apply_op(image, op, value, extra, value_range).astype(image.dtype, copy=False)
    return image


def _op_text(i):
    def text(p):
        fields = [getattr(p, f"ra_{part}_{i}") for part in ("op", "value", "extra")]
        return None if fields[0] is None else f"RA{i}: {describe_op(*fields)}"
    return text


def _documented(i, part):
    def documented(value, rows_cols):
        if value is None or i > value[0]:
            return None
        m = value[1]
        if part == "op":
            return (0.0, float(len(OPS) - 1))
        if part == "value":  # the widest of the ops' ranges: sharpness 0..2m, contrast 1..1+m, bits 1..7
            return (0.0, max(1.0 + m, 2.0 * m, _posterize_bits(m, 0.999999)))
        return (0.0, m)
    return documented


def _keys():
    units = {"op": "operation (index of OPS)", "value": "operation's value", "extra": "fraction of the range"}
    keys = []
    for i in range(1, MAX_OPS + 1):
        for part in ("op", "value", "extra"):
            keys.append(Key(f"ra_{part}_{i}", "optional", None, units[part],
                            _op_text(i) if part == "op" else (lambda p: None), _documented(i, part),
                            header=f"RA{i} {part}"))
    return tuple(keys)


#: The policy entry (appended after the colour and crop entries of the table).
POLICY_AUGMENTATIONS = (
    Augmentation(
        argument="randaugment", default=None, validate=_validate,
        slots=tuple(f"ra_{part}_{i}" for i in range(1, MAX_OPS + 1) for part in ("op", "value", "extra")),
        keys=_keys(), draw=lambda value, uniforms, rows_cols: policy_values(value, uniforms),
        draw_legacy=_off("randaugment", (None,) * (3 * MAX_OPS)), kernel=_kernel, value_range=True,
        in_compat=False, public=lambda value: value,
        control=ControlSpec("choice", None, (2, 0.5), options=(None, (1, 0.3), (2, 0.5), (2, 0.9), (3, 0.5),
                                                                (4, 1.0)),
                            unit="RandAugment (num_ops, magnitude): ops per image from Keras's intensity list"),
        option=CliOption("number", f"RandAugment: NUM_OPS (1-{MAX_OPS}) operations per image from Keras 3's "
                         "intensity list, at MAGNITUDE (0-1, Keras's factor)", metavar=("NUM_OPS", "MAGNITUDE"),
                         low=0, high=MAX_OPS, unit="num_ops or magnitude", values=2, default=None)),
)
