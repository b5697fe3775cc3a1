"""The colour and tone entries of the parameter spec table (beyond Keras's ``ImageDataGenerator``).

Each entry is an ``ImageDataGenerator`` keyword argument, validated, drawn
in the default mode from its own counter stream keyed by its argument's name
(:attr:`augkit.spec.Augmentation.stream_key`: these entries change no other
parameter's draws, and none changes theirs), applied by a kernel of
:mod:`augkit.colour` or :mod:`augkit.tone` after the warp, in this order
(RandAugment's list and Keras 3's ``RandomColorJitter`` order: brightness,
which is ``brightness_range``, then contrast, saturation, hue):

========================  =====================================  ========================================
argument                  draw (per image)                       Keras 3 layer (same distribution when)
========================  =====================================  ========================================
contrast_range (lo, hi)   factor uniform in [lo, hi]             RandomContrast(factor=(1 - lo, hi - 1))
saturation_range (lo,hi)  f uniform in [lo/(1+lo), hi/(1+hi)],   RandomSaturation(factor=(lo/(1+lo),
                          multiplier f / (1 - f)                 hi/(1+hi)))
hue_range h               degrees uniform in [-h, h]             RandomHue(factor=h / 180)
grayscale_probability p   gray with probability p                RandomGrayscale(factor=p)
sharpness_range (lo, hi)  factor uniform (1 = unchanged)         RandomSharpness(factor=(lo/2, hi/2))
blur_sigma_range (lo,hi)  sigma (pixels) uniform, both axes      RandomGaussianBlur(sigma=(lo, hi)) marginals
posterization_bits        bits uniform in lo..hi (inclusive)     RandomPosterization(factor=(lo, hi + 1))
solarization_range        threshold uniform (fraction)           Solarization(threshold_factor=(0, hi)) if lo=0
auto_contrast             always (bool)                          AutoContrast()
equalization              always (bool)                          Equalization()
noise_std_range (lo, hi)  std uniform (fraction of the range)    GaussianNoise(stddev=std * width): values
========================  =====================================  ========================================

The kernels need the image's value range: the augmenter passes its
``value_range`` (``ImageDataGenerator(value_range=(0, 255))``, the default,
as Keras 3's layers). In the compat modes these arguments are refused by
name: Keras's ``ImageDataGenerator`` has none of them, and those modes draw
exactly Keras's numbers (an entry that is off draws nothing there).
"""

from augkit.spec import Augmentation, CliOption, ControlSpec, Key
from augkit.validators import finite_float, finite_floats, flag, non_negative

__all__ = ["COLOUR_AUGMENTATIONS"]

SEED_SPAN = 2**32  # noise seeds are integers from 0 to 2**32 - 1


def _pair(bounds, unit, example):
    """A validator of None or a pair ``(low, high)`` with ``bounds[0] <= low <= high <= bounds[1]``."""
    lowest, highest = bounds

    def validate(value, name):
        if value is None:
            return None
        low, high = finite_floats(value, name, f"None or a pair (low, high) like {example} ({unit})", length=2)
        if not lowest <= low <= high <= highest:
            raise ValueError(f"{name}={value!r} must be (low, high) with {lowest:g} <= low <= high <= "
                             f"{highest:g} ({unit})")
        return (low, high)
    return validate


def _bits(value, name):
    """None or ``(low, high)`` whole numbers of bits (``2.0`` is 2: a slider or the CLI gives floats)."""
    if value is None:
        return None
    accepted = "None or a pair of integers (low, high) like (4, 8)"
    low, high = finite_floats(value, name, accepted, length=2)
    if not (low.is_integer() and high.is_integer()):
        raise ValueError(f"{name}={value!r} must be {accepted}: whole numbers of bits")
    low, high = int(low), int(high)
    if not 1 <= low <= high <= 8:
        raise ValueError(f"{name}={value!r} must be (low, high) with 1 <= low <= high <= 8 (bits kept per channel)")
    return (low, high)


def _probability(value, name):
    value = finite_float(value, name, "a probability from 0 to 1")
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a probability from 0 to 1; got {value!r}")
    return value


def _degrees(value, name):
    value = non_negative(value, name, "degrees")
    if value > 180:
        raise ValueError(f"{name}={value!r} must be from 0 to 180 degrees (180 reaches every hue)")
    return value


def _uniform_or_none(pair, uniforms, rows_cols):
    return (pair[0] + (pair[1] - pair[0]) * uniforms[0] if pair is not None else None,)


def _saturation_draw(pair, uniforms, rows_cols):
    if pair is None:
        return (None,)
    low, high = (m / (1 + m) for m in pair)  # Keras's factor f, with multiplier f / (1 - f)
    f = low + (high - low) * uniforms[0]
    return (f / (1 - f),)


def _hue_draw(degrees, uniforms, rows_cols):
    return (degrees * (2 * uniforms[0] - 1) if degrees else None,)


def _bits_draw(pair, uniforms, rows_cols):
    if pair is None:
        return (None,)
    count = pair[1] - pair[0] + 1
    return (float(pair[0] + min(int(uniforms[0] * count), count - 1)),)


def _noise_draw(pair, uniforms, rows_cols):
    if pair is None:
        return (None, None)
    return (pair[0] + (pair[1] - pair[0]) * uniforms[0], float(min(int(uniforms[1] * SEED_SPAN), SEED_SPAN - 1)))


def _refused(argument):
    def draw_legacy(value, state, rows_cols):
        raise ValueError(f"{argument} is not an argument of Keras's ImageDataGenerator: the compat modes draw "
                         f"only Keras's own parameters (use compat=None for {argument})")
    return draw_legacy


def _off(argument, neutral):
    """The legacy draw of an entry: its neutral values when off, a refusal when on."""
    refuse = _refused(argument)

    def draw_legacy(value, state, rows_cols):
        if value in (None, 0, 0.0, False):
            return neutral
        return refuse(value, state, rows_cols)
    return draw_legacy


def _kernel(module_name, function, **fixed):
    def kernel(image, value, convention, value_range=(0, 255)):
        import importlib

        module = importlib.import_module(f"augkit.{module_name}")
        if value is True:
            return getattr(module, function)(image, value_range=value_range, **fixed)
        if isinstance(value, tuple):
            return getattr(module, function)(image, *value, value_range=value_range, **fixed)
        return getattr(module, function)(image, value, value_range=value_range, **fixed)
    return kernel


def _text(name, form):
    return lambda p: None if getattr(p, name) in (None, False) else form.format(getattr(p, name))


def _documented(pair, rows_cols):
    return tuple(pair) if pair is not None else None


def _ranged(argument, key, unit, bounds, example, kernel, control, option_help, header, form, draw=None):
    """An entry with one optional float drawn from a validated ``(low, high)`` pair."""
    return Augmentation(
        argument=argument, default=None, validate=_pair(bounds, unit, example), slots=(key,),
        keys=(Key(key, "optional", None, unit, _text(key, form), _documented, header=header),),
        draw=draw or _uniform_or_none, draw_legacy=_off(argument, (None,)), kernel=kernel, value_range=True,
        in_compat=False,
        control=control,
        option=CliOption("number", option_help, metavar=("LOW", "HIGH"), low=bounds[0], high=bounds[1], unit=unit,
                         values=2, default=None))


def _switch(argument, key, kernel, help_text, shown):
    """An always-on operation: True applies it to every image (no random draw)."""
    return Augmentation(
        argument=argument, default=False, validate=flag, slots=(),
        keys=(Key(key, "bool", False, "", lambda p: shown if getattr(p, key) else None, header=shown),),
        draw=lambda on, uniforms, rows_cols: (on,), draw_legacy=_off(argument, (False,)), kernel=kernel,
        value_range=True, in_compat=False, control=ControlSpec("bool", False, True, unit=help_text),
        option=CliOption("flag", help_text))


#: The colour and tone entries, in the order they are applied (after brightness).
COLOUR_AUGMENTATIONS = (
    _ranged("contrast_range", "contrast", "factor", (0, 1e3), "(0.8, 1.2)", _kernel("colour", "adjust_contrast"),
            ControlSpec("range", None, (0.6, 1.4), 0, 3, 0.05, unit="factor uniform in [low, high]; 1 = unchanged"),
            "contrast factor uniform in [LOW, HIGH] (1 = unchanged, 0 = each channel its mean)",
            "contrast", "contrast×{:.2f}"),
    _ranged("saturation_range", "saturation", "factor", (0, 1e3), "(0.5, 2.0)",
            _kernel("colour", "adjust_saturation"),
            ControlSpec("range", None, (0.5, 2.0), 0, 4, 0.05,
                        unit="saturation multiplier (1 = unchanged, 0 = gray), Keras 3's draw"),
            "saturation multiplier from LOW to HIGH (1 = unchanged, 0 = gray), drawn as Keras 3 draws it",
            "saturation", "saturation×{:.2f}", draw=_saturation_draw),
    Augmentation(
        argument="hue_range", default=0.0, validate=_degrees, slots=("hue",),
        keys=(Key("hue", "optional", None, "degrees", _text("hue", "hue{:+.1f}°"),
                  lambda h, rows_cols: (-h, h) if h else None, header="hue (deg)"),),
        draw=_hue_draw, draw_legacy=_off("hue_range", (None,)), kernel=_kernel("colour", "adjust_hue"),
        value_range=True, in_compat=False,
        control=ControlSpec("float", 0.0, 30, 0, 180, 1, unit="degrees: hue turned uniform in [-h, h]"),
        option=CliOption("number", "degrees (0-180): hue turned by an angle uniform in [-DEG, DEG]",
                         metavar="DEG", low=0, high=180, unit="degrees")),
    Augmentation(
        argument="grayscale_probability", default=0.0, validate=_probability, slots=("grayscale",),
        keys=(Key("grayscale", "bool", False, "", lambda p: "gray" if p.grayscale else None, header="gray"),),
        draw=lambda p, uniforms, rows_cols: (bool(uniforms[0] < p),),
        draw_legacy=_off("grayscale_probability", (False,)), kernel=_kernel("colour", "to_grayscale"),
        value_range=True, in_compat=False,
        control=ControlSpec("float", 0.0, 0.5, 0, 1, 0.05, unit="probability of turning the image gray"),
        option=CliOption("number", "probability (0-1) of turning an image gray (luma in every channel)",
                         metavar="P", low=0, high=1, unit="probability")),
    _ranged("sharpness_range", "sharpness", "factor", (0, 1e3), "(0.5, 2.0)", _kernel("tone", "sharpen"),
            ControlSpec("range", None, (0.0, 2.0), 0, 4, 0.05, unit="0 smoothed, 1 unchanged, 2 sharper"),
            "sharpness factor uniform in [LOW, HIGH] (0 smoothed, 1 unchanged, 2 sharper)",
            "sharpness", "sharpness×{:.2f}"),
    _ranged("blur_sigma_range", "blur_sigma", "pixels", (0, 1e3), "(0.1, 2.0)", _kernel("tone", "gaussian_blur"),
            ControlSpec("range", None, (0.5, 2.0), 0, 5, 0.1, unit="pixels: Gaussian sigma uniform in [low, high]",
                        off=(0.0, 0.0)),
            "Gaussian blur sigma in pixels uniform in [LOW, HIGH]", "blur σ (px)", "blur σ={:.2f}px"),
    Augmentation(
        argument="posterization_bits", default=None, validate=_bits, slots=("posterize_bits",),
        keys=(Key("posterize_bits", "optional", None, "bits", _text("posterize_bits", "{:.0f} bits"),
                  _documented, header="bits"),),
        draw=_bits_draw, draw_legacy=_off("posterization_bits", (None,)),
        kernel=_kernel("tone", "posterize"), value_range=True, in_compat=False,
        control=ControlSpec("range", None, (2, 6), 1, 8, 1, unit="bits kept per channel, an integer in [low, high]",
                            off=(8, 8)),
        option=CliOption("number", "bits kept per channel: an integer uniform in LOW..HIGH (1-8, 8 = unchanged)",
                         metavar=("LOW", "HIGH"), low=1, high=8, unit="bits", values=2, default=None)),
    _ranged("solarization_range", "solarize_threshold", "fraction of the range", (0, 1), "(0.5, 1.0)",
            _kernel("tone", "solarize"),
            ControlSpec("range", None, (0.5, 1.0), 0, 1, 0.05,
                        unit="threshold (fraction of the range): levels at or above it are inverted"),
            "solarisation threshold, a fraction (0-1) of the value range uniform in [LOW, HIGH]; levels at or "
            "above it are inverted", "solarize at", "solarize≥{:.2f}"),
    _switch("auto_contrast", "auto_contrast", _kernel("tone", "auto_contrast"),
            "stretch each channel's min-max onto the value range", "autocontrast"),
    _switch("equalization", "equalize", _kernel("tone", "equalize"),
            "histogram-equalise each channel (256 levels)", "equalize"),
    Augmentation(
        argument="noise_std_range", default=None, validate=_pair((0, 1), "fraction of the range", "(0.0, 0.05)"),
        slots=("noise_std", "noise_seed"),
        keys=(Key("noise_std", "optional", None, "fraction of the range", _text("noise_std", "noise σ={:.3f}"),
                  _documented, header="noise σ"),
              Key("noise_seed", "optional", None, "seed", lambda p: None,
                  lambda pair, rows_cols: (0.0, SEED_SPAN - 1.0) if pair is not None else None,
                  header="noise seed")),
        draw=_noise_draw, draw_legacy=_off("noise_std_range", (None, None)), kernel=_kernel("tone", "add_noise"),
        value_range=True, in_compat=False,
        control=ControlSpec("range", None, (0.0, 0.05), 0, 1, 0.01,
                            unit="noise std as a fraction of the value range, uniform in [low, high]", off=(0.0, 0.0)),
        option=CliOption("number", "Gaussian noise std, a fraction (0-1) of the value range, uniform in "
                         "[LOW, HIGH]", metavar=("LOW", "HIGH"), low=0, high=1, unit="fraction of the range",
                         values=2, default=None)),
)
