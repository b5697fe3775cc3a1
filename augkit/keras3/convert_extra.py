"""augkit's entries beyond Keras's ``ImageDataGenerator`` (issue 18) as Keras 3 layers.

:func:`extra_layers` is called by :func:`augkit.keras3.convert.plan`: it
returns the layers for the colour and tone entries (:mod:`augkit.spec_colour`),
``randaugment`` (:mod:`augkit.spec_policy`), ``crop_size`` and
``random_erasing`` (:mod:`augkit.spec_crop`), in the order augkit applies
them (after brightness, before ``Rescaling``), and one row each.

Facts measured on Keras 3.15.1 (JAX) that the mapping relies on (draws:
``tests/test_keras3_extra.py``; kernels: ``tests/test_parity_colour*.py`` and
``tests/test_ops_keras_parity.py``):

* ``RandomContrast((a, b))`` draws a factor uniform in ``[1 - a, 1 + b]``
  (``a`` may be negative); a single float ``f`` draws ``[1, 1 + f]``, it never
  lowers contrast. ``(1 - low, high - 1)`` reproduces ``contrast_range``.
* ``RandomSaturation`` clips its result to ``value_range`` but computes in
  0-1 units: right on 0-1 images only.
* ``RandomHue(f)``: at most ``f / 2`` turns, so ``hue_range`` degrees is ``h / 180``.
* ``RandomSharpness`` smooths with a zero border (augkit keeps the outer ring).
* ``RandomGaussianBlur``: one sigma per axis per *batch*, drawn independently
  per axis; applied with probability the mean of ``factor`` (``(1, 1)``:
  always); 3 taps unless told; zero padding.
* ``RandomPosterization((a, b))`` keeps ``a .. b - 1`` bits (an exclusive top).
* ``Solarization(threshold_factor=(a, b))``: thresholds uniform in
  ``[a, 255 b]`` levels: only a zero lower end is scaled right.
* ``GaussianNoise(stddev)``: one std in pixel units, refused above 1, no clip.
* ``RandomCrop``: one corner per *batch*; a side without room is centre-cropped.
* ``RandomErasing((p, p))`` erases with probability ``p``; its box has side
  fractions ``sqrt(U(scale))`` each (no aspect ratio); ``fill_value=None`` is
  ``N(0, 1)`` times the range, clipped.
* ``RandAugment(num_ops=n, factor=m)`` reads ``m`` as ``(0, m)`` and draws its
  sub-layers' values as ``randaugment=(n, m)`` does, but one list of ``n``
  indices per *batch* from 11 operations (3 geometric, each 1/11 measured over
  5,000 batches), and an operation drawn twice reuses one value.
"""

import math

from augkit.keras3.convert import LayerSpec, Row

__all__ = ["MIX_NOTE", "NO_DATA_FORMAT", "extra_layers"]

#: Layers whose constructor takes no ``data_format``.
NO_DATA_FORMAT = frozenset({"RandomBrightness", "RandomContrast", "Solarization", "AutoContrast", "GaussianNoise",
                            "Rescaling"})

#: The note on ``flow(..., mix=...)``, a flow argument that no generator setting records.
MIX_NOTE = ("flow(..., mix='mixup'|'cutmix', mix_alpha=a) is a flow argument, not a generator setting: use "
            "keras.layers.MixUp(alpha=a) or keras.layers.CutMix(factor=(a, a)) on batches of images and one-hot "
            "labels (in a tf.data map or the model); Keras's MixUp also blends segmentation masks and can pair "
            "a sample with itself")


def contrast_factor(low, high):
    """``contrast_range`` to ``RandomContrast``'s ``(lower, upper)``: factors ``[1 - lower, 1 + upper]``."""
    return (1.0 - low, high - 1.0)


def saturation_factor(multiplier):
    """A saturation multiplier ``m`` to ``RandomSaturation``'s ``f`` (multiplier ``f / (1 - f)``)."""
    return multiplier / (1.0 + multiplier)


def hue_factor(degrees):
    """``hue_range`` degrees to ``RandomHue``'s factor (at most ``factor / 2`` turns)."""
    return degrees / 180.0


def sharpness_factor(factor):
    """augkit's sharpness factor (1 unchanged) to ``RandomSharpness``'s (0.5 unchanged)."""
    return factor / 2.0


def posterization_factor(low, high):
    """Bits kept ``low .. high`` (inclusive) to ``RandomPosterization``'s exclusive ``(low, high + 1)``."""
    return (low, high + 1)


def _ranged_rows(ranges, value_range):
    """``(argument, layer name, kwargs, status, note)`` for the colour and tone entries that are on."""
    width = value_range[1] - value_range[0]
    keep = {"value_range": tuple(value_range)}
    out = []
    if ranges.contrast_range is not None:
        out.append(("contrast_range", "RandomContrast", {"factor": contrast_factor(*ranges.contrast_range), **keep},
                    "same", "factor uniform in [low, high] (a float factor f would draw only [1, 1 + f])"))
    if ranges.saturation_range is not None:
        unit = tuple(value_range) == (0.0, 1.0)
        out.append(("saturation_range", "RandomSaturation",
                    {"factor": tuple(saturation_factor(m) for m in ranges.saturation_range), **keep},
                    "same" if unit else "approximate",
                    "the same multipliers" + ("" if unit else "; Keras computes in 0-1 units and clips to "
                                              "value_range: on 0-255 images channels leave the range (measured "
                                              "-1724); rescale to (0, 1) first")))
    if ranges.hue_range:
        out.append(("hue_range", "RandomHue", {"factor": hue_factor(ranges.hue_range), **keep}, "same",
                    "hue turned uniform in [-h, h] degrees"))
    if ranges.grayscale_probability:
        out.append(("grayscale_probability", "RandomGrayscale", {"factor": ranges.grayscale_probability}, "same",
                    "luma in every channel with probability p"))
    if ranges.sharpness_range is not None:
        out.append(("sharpness_range", "RandomSharpness",
                    {"factor": tuple(sharpness_factor(f) for f in ranges.sharpness_range), **keep}, "approximate",
                    "the same factors; Keras smooths with a zero border, so the outer ring of pixels changes "
                    "(augkit keeps it, as PIL)"))
    if ranges.blur_sigma_range is not None:
        low, high = ranges.blur_sigma_range
        out.append(("blur_sigma_range", "RandomGaussianBlur",
                    {"factor": (1.0, 1.0), "kernel_size": 2 * math.ceil(3 * high) + 1, "sigma": (low, high), **keep},
                    "approximate", "one sigma per axis per batch, the two axes independent (augkit: one sigma per "
                    "image for both); zero padding darkens the border (augkit reads the nearest pixel)"))
    if ranges.posterization_bits is not None:
        out.append(("posterization_bits", "RandomPosterization",
                    {"factor": posterization_factor(*ranges.posterization_bits), **keep}, "same",
                    "bits uniform in low..high (Keras's top is exclusive: high + 1 passed)"))
    if ranges.solarization_range is not None:
        low, high = ranges.solarization_range
        out.append(("solarization_range", "Solarization", {"threshold_factor": (0.0, high), **keep},
                    "same" if low == 0 else "approximate",
                    "threshold uniform in [0, high] of the range" if low == 0 else
                    f"Keras does not scale the lower end (thresholds uniform in [{low:g}, {255 * high:g}] levels "
                    f"for threshold_factor=({low:g}, {high:g})): mapped to (0, {high:g}), thresholds from 0"))
    if ranges.auto_contrast:
        out.append(("auto_contrast", "AutoContrast", dict(keep), "same", "each channel's min-max stretched"))
    if ranges.equalization:
        out.append(("equalization", "Equalization", dict(keep), "same", "each channel equalised, 256 bins; in a Sequential after another layer "
                    "Keras 3.15.1 raises 'part of a cycle' on the first call: call it on its own"))
    if ranges.noise_std_range is not None:
        low, high = ranges.noise_std_range
        stddev = (low + high) / 2 * width
        if high * width > 1:
            out.append(("noise_std_range", None, None, "none",
                        f"keras.layers.GaussianNoise(stddev) refuses a stddev above 1 (here up to {high * width:g} "
                        "pixel units): rescale to (0, 1) first; it draws one fixed std and never clips"))
        else:
            out.append(("noise_std_range", "GaussianNoise", {"stddev": stddev}, "approximate",
                        "one fixed std (the middle of the range) in pixel units, not clipped to the value range; "
                        "a regularisation layer (no segmentation masks)"))
    return out


def randaugment_factor(magnitude):
    """augkit's RandAugment ``magnitude`` to ``RandAugment``'s ``factor``: the same number (read as ``(0, m)``)."""
    return magnitude


#: Keras 3.15.1's ``RandAugment`` draws from 11 operations, 3 of them geometric (augkit: the other 8).
_KERAS_OPS, _KERAS_GEOMETRIC = 11, 3


def _policy_rows(ranges, value_range):
    """The ``RandAugment`` row for ``randaugment=(num_ops, magnitude)``, its differences measured."""
    if ranges.randaugment is None:
        return []
    num_ops, magnitude = ranges.randaugment
    geometric = 1 - ((_KERAS_OPS - _KERAS_GEOMETRIC) / _KERAS_OPS) ** num_ops
    repeated = 1 - math.perm(_KERAS_OPS, num_ops) / _KERAS_OPS ** num_ops
    note = ("each operation's value drawn as augkit draws it (factor m read as (0, m)), but one list of num_ops "
            "operations per batch, the same for every image of it (augkit: each image its own, 25.2 different "
            "lists in a batch of 32 at num_ops=2)"
            f"; 11 operations, each 1/11, with shear, translation and rotation: {geometric:.2f} of the batches "
            f"warped (measured 0.47 of 5,000 at num_ops=2), turned 0 to {360 * magnitude:g} degrees "
            f"counter-clockwise, shifted 0 to {magnitude:g} of the size down and right, sheared ±{magnitude:g} "
            "on both axes, reflect-filled, masks moved too (augkit: 8 intensity operations, each 1/8, masks "
            "untouched)"
            f"; an operation drawn twice applies one value twice ({repeated:.3f} of the batches, measured 0.093 "
            "at num_ops=2; augkit draws a value per position)"
            "; sharpness smooths with a zero border, so the outer ring of pixels changes (augkit keeps it)")
    return [("randaugment", "RandAugment", {"value_range": tuple(value_range), "num_ops": num_ops,
                                            "factor": randaugment_factor(magnitude)}, "approximate", note)]


def _crop_rows(ranges, image_size, value_range):
    out = []
    if ranges.crop_size is not None:
        height, width = ranges.crop_size
        out.append(("crop_size", "RandomCrop", {"height": height, "width": width}, "approximate",
                    "corner uniform over the positions that fit, but one corner per batch (every image of a batch "
                    "cropped alike); a side without room is centre-cropped; smaller images are resized, and "
                    "predict() centre-crops"))
    settings = ranges.random_erasing
    if settings is not None:
        fill = settings.fill
        kwargs = {"factor": (settings.probability,) * 2, "scale": tuple(settings.scale)}
        note = ("erased with probability p, but Keras's box has side fractions sqrt(U(scale)) each, no aspect "
                "ratio (scale (0.02, 0.33), 10x10 images: mean erased share 0.159 of the area, augkit's 0.174)")
        if isinstance(fill, str):
            kwargs["fill_value"] = None
            note += "; 'noise' becomes N(0, 1) times the range, clipped (half the pixels at the low end)"
        else:
            values = [float(v) for v in (fill if hasattr(fill, "__len__") else [fill])]
            kwargs["fill_value"] = sum(values) / len(values)
            if len(values) > 1:
                note += "; one fill for every channel (a per-channel fill raises under JAX): their mean"
        if settings.mask_fill is not None:
            note += "; masks keep their labels (no mask_fill)"
        out.append(("random_erasing", "RandomErasing", {**kwargs, "value_range": tuple(value_range)},
                    "approximate", note))
    return out


def extra_layers(gen, image_size, value_range, seed, first_index):
    """The layers and rows for ``gen``'s entries beyond Keras's arguments.

    Layer ``i`` of this list gets ``seed + first_index + i`` (when ``seed``
    is given and the layer draws); an entry without a layer gets a ``none``
    row and no layer.
    """
    layers, rows = [], []
    for argument, name, kwargs, status, note in (_ranged_rows(gen.ranges, value_range)
                                                 + _policy_rows(gen.ranges, value_range)
                                                 + _crop_rows(gen.ranges, image_size, value_range)):
        if name is None:
            rows.append(Row(argument, "-", status, note))
            continue
        if seed is not None and name not in ("AutoContrast", "Equalization"):
            kwargs["seed"] = seed + first_index + len(layers)
        spec = LayerSpec(name, kwargs)
        layers.append(spec)
        rows.append(Row(argument, spec.code(), status, note))
    return layers, rows
