"""Measure converted layers against their generator: the same quantities, drawn by both.

Both sides are expressed in one set of named quantities, each with a
meaning on screen, so that a wrong unit, sign or axis anywhere in the
conversion shows up as a different distribution:

``rotation_ccw_deg``
    degrees, positive counter-clockwise on screen;
``shift_down_px``, ``shift_right_px``
    how far the picture moves;
``zoom_rows``, ``zoom_cols``
    inverse-map factors along each axis (above 1 the picture shrinks);
``shear``
    the shear factor along the axis the convention shears;
``flip_lr``, ``flip_ud``
    booleans;
``channel_shift``
    the offset added, in intensity units;
``brightness``
    the multiplicative factor; a layer's additive offset ``d`` (a fraction
    of the value range) is read as the factor with the same effect on a
    mid-grey pixel, ``1 + 2 d``;
``contrast`` ... ``erased_share``
    augkit's own entries in augkit's units (:data:`EXTRA`). Blur sigmas,
    crop corners and RandAugment's operations are drawn once per batch by
    Keras: not compared per image.

:func:`generator_draws` reads them from ``ImageDataGenerator.sample_params``
(the generator's own stream, in its convention); :func:`layer_draws` from
each layer's ``get_random_transformation`` on a batch of ``n`` blank images
(vectorised: one call per layer). :func:`compare` gives the two-sample
Kolmogorov-Smirnov statistic of each. keras is imported only by the caller
(these functions take a built model).
"""

import numpy as np

__all__ = ["QUANTITIES", "compare", "generator_draws", "layer_draws"]

QUANTITIES = ("rotation_ccw_deg", "shift_down_px", "shift_right_px", "zoom_rows", "zoom_cols", "shear",
              "flip_lr", "flip_ud", "channel_shift", "brightness", "contrast", "saturation", "hue_deg", "grayscale",
              "sharpness", "posterize_bits", "solarize_threshold", "erased_share")
#: augkit's own entries: ``{quantity: (argument, parameter)}`` (augkit's units: factors, degrees, bits,
#: a fraction of the range; ``erased_share`` is the fraction of the image erased, 0 when not).
EXTRA = {"contrast": ("contrast_range", "contrast"), "saturation": ("saturation_range", "saturation"),
         "hue_deg": ("hue_range", "hue"), "grayscale": ("grayscale_probability", "grayscale"),
         "sharpness": ("sharpness_range", "sharpness"), "posterize_bits": ("posterization_bits", "posterize_bits"),
         "solarize_threshold": ("solarization_range", "solarize_threshold")}


def generator_draws(gen, image_size, n, seed=0):
    """``{quantity: array of n}`` for every augmentation ``gen`` has switched on."""
    params = gen.sample_params(tuple(image_size), n, seed=seed)
    field = {name: np.array([getattr(p, name) for p in params], dtype=object)
             for name in ("theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical",
                          "channel_shift_intensity", "brightness")}
    ranges, convention = gen.ranges, gen.convention
    ccw = 1.0 if convention.first_axis == "cols" else -1.0  # keras-preprocessing turns clockwise
    rows_shift, cols_shift = ("tx", "ty") if convention.tx_axis == "rows" else ("ty", "tx")
    zoom_rows, zoom_cols = ("zy", "zx") if convention.first_axis == "cols" else ("zx", "zy")
    drawn = {}
    if ranges.rotation_range:
        drawn["rotation_ccw_deg"] = ccw * field["theta"].astype(float)
    if ranges.height_shift_range or ranges.width_shift_range:  # the inverse map reads +t: the picture moves -t
        drawn["shift_down_px"] = -field[rows_shift].astype(float)
        drawn["shift_right_px"] = -field[cols_shift].astype(float)
    if ranges.shear_range:
        drawn["shear"] = -np.sin(np.radians(field["shear"].astype(float)))
    if tuple(ranges.zoom_range) != (1, 1):
        drawn["zoom_rows"], drawn["zoom_cols"] = field[zoom_rows].astype(float), field[zoom_cols].astype(float)
    if ranges.horizontal_flip:
        drawn["flip_lr"] = field["flip_horizontal"].astype(bool)
    if ranges.vertical_flip:
        drawn["flip_ud"] = field["flip_vertical"].astype(bool)
    if ranges.channel_shift_range:
        drawn["channel_shift"] = field["channel_shift_intensity"].astype(float)
    if ranges.brightness_range is not None:
        drawn["brightness"] = field["brightness"].astype(float)
    for quantity, (argument, name) in EXTRA.items():
        if getattr(ranges, argument, None) not in (None, 0, 0.0, False):
            drawn[quantity] = np.array([getattr(p, name) for p in params], dtype=float)
    if getattr(ranges, "random_erasing", None) is not None:
        drawn["erased_share"] = np.array([0.0 if p.erase_height is None else p.erase_height * p.erase_width
                                          for p in params]) / (image_size[0] * image_size[1])
    return drawn


#: What each colour layer's ``get_random_transformation`` draws, in augkit's units.
_COLOUR_READERS = {
    "RandomContrast": ("contrast", lambda t: np.asarray(t["contrast_factor"], dtype=float)),
    "RandomSaturation": ("saturation", lambda t: np.asarray(t["factor"], dtype=float)),  # already f / (1 - f)
    "RandomHue": ("hue_deg", lambda t: 360.0 * np.asarray(t["factor"], dtype=float)),
    "RandomGrayscale": ("grayscale", lambda t: np.asarray(t, dtype=float)),
    "RandomSharpness": ("sharpness", lambda t: 2.0 * np.asarray(t["factor"], dtype=float)),
    "RandomPosterization": ("posterize_bits", lambda t: 8.0 - np.asarray(t["shift_factor"], dtype=float)),
    "Solarization": ("solarize_threshold", lambda t: np.asarray(t["thresholds"], dtype=float) / 255.0),
}
#: Layers with no per-image draw to compare: one draw per batch (blur, crop), none, or not a preprocessing layer.
_NOT_PER_IMAGE = {"Rescaling", "RandomGaussianBlur", "RandomCrop", "AutoContrast", "Equalization", "GaussianNoise",
                  "Identity", "RandAugment"}


def layer_draws(model, image_size, n):
    """``{quantity: array of n}`` drawn by the layers of ``model`` (a ``keras.Sequential``).

    Each layer's ``get_random_transformation`` is called once on ``n`` blank
    ``(rows, cols, 1)`` images with ``training=True``, from its own seed
    generator (as ``fit`` would).
    """
    blank = np.zeros((n, *image_size, 1), dtype=np.float32)
    drawn = {}
    for layer in model.layers:
        kind = type(layer).__name__
        if kind in _NOT_PER_IMAGE:
            continue
        if kind in _COLOUR_READERS:
            quantity, read = _COLOUR_READERS[kind]
            drawn[quantity] = read(layer.get_random_transformation(np.zeros((n, 1, 1, 3), np.float32),
                                                                   training=True)).reshape(n)
            continue
        drawn_here = layer.get_random_transformation(blank, training=True)
        if kind == "RandomRotation":
            drawn["rotation_ccw_deg"] = np.asarray(drawn_here["angle"], dtype=float)
        elif kind == "RandomTranslation":
            moves = np.asarray(drawn_here["translations"], dtype=float)
            drawn["shift_right_px"], drawn["shift_down_px"] = moves[:, 0], moves[:, 1]
        elif kind == "RandomZoom":
            drawn["zoom_rows"] = np.asarray(drawn_here["height_zoom"], dtype=float)[:, 0]
            drawn["zoom_cols"] = np.asarray(drawn_here["width_zoom"], dtype=float)[:, 0]
        elif kind == "RandomShear":
            factors = np.asarray(drawn_here["shear_factor"], dtype=float)
            drawn["shear"] = factors[:, 0] if layer.x_factor != (0.0, 0.0) else factors[:, 1]
        elif kind == "RandomFlip":
            flips = np.asarray(drawn_here["flips"]).reshape(n).astype(bool)
            for mode, quantity in (("horizontal", "flip_lr"), ("vertical", "flip_ud")):
                if mode in layer.mode:
                    drawn[quantity] = flips
        elif kind == "RandomBrightness":
            offsets = np.asarray(drawn_here["rgb_delta"], dtype=float).reshape(n)
            if layer.name.startswith("channel_shift"):
                drawn["channel_shift"] = offsets
            else:
                width = layer.value_range[1] - layer.value_range[0]
                drawn["brightness"] = 1.0 + 2.0 * offsets / width  # x*b = x + offset at mid-grey
        elif kind == "RandomErasing":
            erased = np.asarray(drawn_here["batch_masks"])[..., 0].mean(axis=(1, 2))
            drawn["erased_share"] = np.where(np.asarray(drawn_here["apply_erasing"]), erased, 0.0)
        else:
            raise ValueError(f"layer_draws does not know how to read {kind}'s draws")
    return drawn


def ks_statistic(a, b):
    """The two-sample Kolmogorov-Smirnov statistic (largest gap between the two empirical CDFs)."""
    a, b = np.sort(np.asarray(a, dtype=float)), np.sort(np.asarray(b, dtype=float))
    grid = np.concatenate([a, b])
    return float(np.abs(np.searchsorted(a, grid, side="right") / a.size
                        - np.searchsorted(b, grid, side="right") / b.size).max())


def compare(gen, model, image_size, n=40_000, seed=0):
    """``{quantity: KS statistic}`` between ``gen``'s draws and ``model``'s, over ``n`` draws each.

    A quantity drawn by only one side scores 1.0.
    """
    ours, theirs = generator_draws(gen, image_size, n, seed), layer_draws(model, image_size, n)
    return {q: (ks_statistic(ours[q], theirs[q]) if q in ours and q in theirs else 1.0)
            for q in QUANTITIES if q in ours or q in theirs}
