"""Sampled transforms as values, the ranges they come from, and the sampling.

This module is the only place in augkit that draws random numbers for
augmentation. It never touches pixels.

* :class:`TransformParams` is one sampled transform, a frozen value that
  converts to and from Keras's dict and replays a sample exactly.
* :class:`ParamRanges` holds the validated random ranges of an
  ``ImageDataGenerator`` (what its constructor arguments mean) and says what
  the documentation promises each parameter ranges over
  (:meth:`ParamRanges.documented_range`); :data:`ARGUMENT_OF` names the
  argument each parameter comes from.
* :func:`sample` draws from a ``numpy.random.Generator`` with one uniform per
  parameter *slot*, so enabling one option never changes another option's
  draw; :func:`sample_from_uniforms` turns such uniforms into parameters, which
  lets an iterator make each sample depend only on ``(seed, epoch, index)``.
* :func:`sample_legacy` draws from a ``numpy.random.RandomState`` in exactly
  the order of Keras's ``get_random_transform``, so a Keras ``seed`` gives
  Keras's own numbers.
"""

import math
import numbers
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np

KERAS_KEYS = ("theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal",
              "flip_vertical", "channel_shift_intensity", "brightness")

# One uniform in [0, 1) per slot, in this order, for every sample.
SLOTS = ("theta", "tx", "tx_sign", "ty", "ty_sign", "shear", "zx", "zy",
         "flip_horizontal", "flip_vertical", "channel_shift_intensity", "brightness")
N_SLOTS = len(SLOTS)

#: The ``ImageDataGenerator`` argument each sampled parameter comes from.
ARGUMENT_OF = {
    "theta": "rotation_range", "tx": "height_shift_range", "ty": "width_shift_range",
    "shear": "shear_range", "zx": "zoom_range", "zy": "zoom_range",
    "flip_horizontal": "horizontal_flip", "flip_vertical": "vertical_flip",
    "channel_shift_intensity": "channel_shift_range", "brightness": "brightness_range",
}
# The parameter an argument names (``zoom_range`` means ``zx``).
_PARAMETER_OF = {"rotation_range": "theta", "height_shift_range": "tx", "width_shift_range": "ty",
                 "shear_range": "shear", "zoom_range": "zx", "horizontal_flip": "flip_horizontal",
                 "vertical_flip": "flip_vertical", "channel_shift_range": "channel_shift_intensity",
                 "brightness_range": "brightness"}


@dataclass(frozen=True)
class TransformParams:
    """One sampled transform, with Keras's names and units.

    Attributes
    ----------
    theta : float
        Rotation in degrees. Which way a positive angle turns the picture
        depends on the convention (counter-clockwise by default).
    tx : float
        Shift in pixels drawn from ``height_shift_range`` (scaled by the
        number of rows). It moves rows, except under ``compat="tf_keras"``.
    ty : float
        Shift in pixels drawn from ``width_shift_range`` (scaled by columns).
    shear : float
        Shear angle in degrees.
    zx, zy : float
        Zoom factors of the sampling grid: above 1 shows *more* of the scene
        (the picture shrinks), below 1 magnifies.
    flip_horizontal, flip_vertical : bool
        Mirror left-right / top-bottom.
    channel_shift_intensity : float or None
        Offset added to every channel, None when channel shift is off.
    brightness : float or None
        Brightness factor, None when brightness is off.

    Examples
    --------
    >>> p = TransformParams(theta=-12.34, zx=1.08)
    >>> print(p)
    θ=-12.3°, zx=1.08
    >>> TransformParams.from_dict(p.to_dict()) == p
    True
    """

    theta: float = 0.0
    tx: float = 0.0
    ty: float = 0.0
    shear: float = 0.0
    zx: float = 1.0
    zy: float = 1.0
    flip_horizontal: bool = False
    flip_vertical: bool = False
    channel_shift_intensity: float | None = None
    brightness: float | None = None

    def __post_init__(self):
        # Refuse what would silently spoil pixels: NaN or inf anywhere, and a
        # zero zoom (every output pixel read from one point; no inverse map).
        # Fast path (this runs for every sampled transform): one sum of the
        # floats is finite only if each is; anything else gets the full check.
        try:
            if (math.isfinite(self.theta + self.tx + self.ty + self.shear + self.zx + self.zy)
                    and self.zx and self.zy
                    and (self.channel_shift_intensity is None or math.isfinite(self.channel_shift_intensity))
                    and (self.brightness is None or math.isfinite(self.brightness))):
                return
        except TypeError:
            pass
        for name in _NUMERIC_FIELDS:
            value = getattr(self, name)
            if value is None and name in _OPTIONAL_FIELDS:
                continue
            try:
                finite = math.isfinite(value)
            except TypeError:
                raise TypeError(f"TransformParams({name}={value!r}): {name} must be a real number"
                                f"{' or None' if name in _OPTIONAL_FIELDS else ''}") from None
            if not finite:
                raise ValueError(f"TransformParams({name}={value!r}): {name} must be finite; "
                                 "NaN and inf are refused")
        for name in ("zx", "zy"):
            if getattr(self, name) == 0:
                raise ValueError(f"TransformParams({name}={getattr(self, name)!r}): a zoom factor of 0 "
                                 "reads every output pixel "
                                 "from one point; use a non-zero factor (1 = no zoom)")

    def to_dict(self):
        """Keras's transform dict (keys as in ``get_random_transform``)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, transform_parameters):
        """Build from a Keras dict; missing keys take their neutral value.

        Raises
        ------
        ValueError
            If the dict has a key Keras does not use.
        """
        unknown = sorted(set(transform_parameters) - set(KERAS_KEYS))
        if unknown:
            raise ValueError(
                f"transform_parameters has unknown keys {unknown}; the keys are {list(KERAS_KEYS)}")
        values = {k: v for k, v in transform_parameters.items() if v is not None}
        for key in ("flip_horizontal", "flip_vertical"):
            if key in values:
                values[key] = bool(values[key])
        for key in ("theta", "tx", "ty", "shear", "zx", "zy", "channel_shift_intensity", "brightness"):
            if key in values:
                values[key] = _finite_float(values[key], f"transform_parameters[{key!r}]")
        return cls(**values)

    @classmethod
    def of(cls, transform_parameters):
        """``transform_parameters`` as a :class:`TransformParams`: as is, or from Keras's dict."""
        if isinstance(transform_parameters, cls):
            return transform_parameters
        if not isinstance(transform_parameters, Mapping):
            raise TypeError(f"transform_parameters must be a dict (keys {', '.join(KERAS_KEYS)}) or a "
                            f"TransformParams; got {type(transform_parameters).__name__} {transform_parameters!r}")
        return cls.from_dict(transform_parameters)

    def __str__(self):
        parts = []
        if self.theta:
            parts.append(f"θ={self.theta:.1f}°")
        if self.tx:
            parts.append(f"tx={self.tx:+.1f}px")
        if self.ty:
            parts.append(f"ty={self.ty:+.1f}px")
        if self.shear:
            parts.append(f"shear={self.shear:.1f}°")
        if self.zx != 1 or self.zy != 1:
            parts.append(f"zx={self.zx:.2f}" + (f", zy={self.zy:.2f}" if self.zy != 1 else ""))
        if self.flip_horizontal:
            parts.append("h-flip")
        if self.flip_vertical:
            parts.append("v-flip")
        if self.channel_shift_intensity is not None:
            parts.append(f"shift={self.channel_shift_intensity:+.1f}")
        if self.brightness is not None:
            parts.append(f"brightness×{self.brightness:.2f}")
        return ", ".join(parts) or "identity"


_NUMERIC_FIELDS = ("theta", "tx", "ty", "shear", "zx", "zy", "channel_shift_intensity", "brightness")
_OPTIONAL_FIELDS = ("channel_shift_intensity", "brightness")

#: The transform that changes nothing (every parameter neutral).
NEUTRAL = TransformParams()

#: The largest value a random range accepts (degrees, pixels, intensity units or
#: a factor); zoom factors must also be at least its inverse. Keras takes larger
#: values but cannot compute with them: numpy's ``uniform`` overflows from about
#: 9e307 (``OverflowError: Range exceeds valid bounds``), zoom and brightness
#: factors of 1e308 turn pixels into inf or NaN, and angles of 1e10 degrees and
#: more lose their fractional degrees to float64 rounding (Keras computes
#: garbage). A billion degrees, pixels or times is far beyond any useful value.
LARGEST_RANGE = 1e9


def _finite_float(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return value


def _non_negative(value, name, unit, shown=None):
    given = value
    value = _finite_float(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0 ({unit}); got {given!r}")
    _check_not_huge(value, name, unit, given if shown is None else shown)
    return value


def _check_not_huge(value, name, unit, shown):
    if abs(value) > LARGEST_RANGE:
        raise ValueError(f"{name}={shown!r} is too large to compute with: use at most {LARGEST_RANGE:.0e} "
                         f"({unit}); see augkit.params.LARGEST_RANGE")


def _shift_range(value, name):
    """Validate a shift range: a float, an int, or a 1-D list of numbers."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a float, an int or a list of numbers; got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(_non_negative(value, name, "an int N draws from range(N) with a random sign"))
    if isinstance(value, numbers.Real):
        return _non_negative(value, name, "a float <1 is a fraction of the size, >=1 pixels")
    try:
        values = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a float, an int or a list of numbers; got {value!r}") from None
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"{name} given as a sequence must be a non-empty 1-D list of finite numbers; "
                         f"got {value!r}")
    _check_not_huge(float(np.abs(values).max()), name, "shifts in pixels, or fractions of the size below 1",
                    value)
    return tuple(values.tolist())


def _zoom_range(value):
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        z = _non_negative(value, "zoom_range", "a float z means factors in [1 - z, 1 + z]")
        if z >= 1:
            raise ValueError(f"zoom_range={value!r} gives factors in [{1 - z:g}, {1 + z:g}], which "
                             "includes a non-positive zoom; use a float below 1 or a pair of positive floats")
        return (1.0 - z, 1.0 + z)
    if isinstance(value, (tuple, list, np.ndarray)) and len(value) == 2:
        low, high = (_finite_float(v, "zoom_range") for v in value)
        if low <= 0 or high <= 0:
            raise ValueError(f"zoom_range={value!r} must be a pair of positive factors")
        if not all(1 / LARGEST_RANGE <= v <= LARGEST_RANGE for v in (low, high)):
            raise ValueError(f"zoom_range={value!r} cannot be computed with: use factors from "
                             f"{1 / LARGEST_RANGE:.0e} to {LARGEST_RANGE:.0e} (Keras turns such zooms into "
                             "NaN pixels); see augkit.params.LARGEST_RANGE")
        return (low, high)
    raise ValueError(f"zoom_range must be a float or a pair of positive floats; got {value!r}")


def _brightness_range(value):
    if value is None:
        return None
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise ValueError(f"brightness_range must be None or a pair of factors like (0.8, 1.2); got {value!r}")
    low, high = (_non_negative(v, "brightness_range", "brightness factors", shown=value) for v in value)
    return (low, high)


@dataclass(frozen=True)
class ParamRanges:
    """The validated random ranges of an ``ImageDataGenerator``.

    Parameters
    ----------
    rotation_range : float
        Degrees; ``theta`` is uniform in ``[-rotation_range, rotation_range]``.
    width_shift_range, height_shift_range : float, int or sequence
        A float below 1 is a fraction of the width (height): the shift is
        uniform in ``[-f, f]`` times the size. A float of 1 or more is pixels,
        uniform in ``[-f, f]``. An int ``N`` draws an integer from ``range(N)``
        and a random sign. A sequence draws one of its values and a random
        sign (``[5]`` gives -5 or +5); values all below 1 are fractions.
    shear_range : float
        Degrees; ``shear`` uniform in ``[-shear_range, shear_range]``.
    zoom_range : float or pair
        A float ``z`` gives factors uniform in ``[1 - z, 1 + z]``; a pair is
        used as given. ``zx`` and ``zy`` are drawn independently.
    channel_shift_range : float
        Offset uniform in ``[-r, r]`` added to every channel.
    brightness_range : None or pair
        Brightness factor uniform in the pair.
    horizontal_flip, vertical_flip : bool
        Each flips with probability 1/2.

    Every range must be finite and at most :data:`LARGEST_RANGE` (1e9
    degrees, pixels, intensity units or times), and zoom factors at least
    1e-9: Keras accepts larger values but overflows (``rotation_range=1e308``)
    or computes meaningless angles and NaN pixels. Values Keras computes
    with, such as ``rotation_range=720`` or ``shear_range=400``, are kept.
    Stricter than Keras: a negative ``rotation_range``, ``shear_range`` or
    float ``zoom_range`` (Keras silently flips the interval) is refused.
    """

    rotation_range: float = 0.0
    width_shift_range: object = 0.0
    height_shift_range: object = 0.0
    shear_range: float = 0.0
    zoom_range: object = 0.0
    channel_shift_range: float = 0.0
    brightness_range: object = None
    horizontal_flip: bool = False
    vertical_flip: bool = False

    def __post_init__(self):
        checked = {
            "rotation_range": _non_negative(self.rotation_range, "rotation_range", "degrees"),
            "width_shift_range": _shift_range(self.width_shift_range, "width_shift_range"),
            "height_shift_range": _shift_range(self.height_shift_range, "height_shift_range"),
            "shear_range": _non_negative(self.shear_range, "shear_range", "degrees"),
            "zoom_range": _zoom_range(self.zoom_range),
            "channel_shift_range": _non_negative(self.channel_shift_range, "channel_shift_range",
                                                 "intensity units"),
            "brightness_range": _brightness_range(self.brightness_range),
        }
        for name in ("horizontal_flip", "vertical_flip"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False; got {getattr(self, name)!r}")
            checked[name] = bool(getattr(self, name))
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def documented_range(self, parameter, shape=(256, 256)):
        """What the documentation says a sampled parameter ranges over.

        Parameters
        ----------
        parameter : str
            A key of the transform dict (``theta``, ``tx``, ``ty``, ``shear``,
            ``zx``, ``zy``, ``channel_shift_intensity``, ``brightness``) or the
            argument it comes from (``rotation_range``, ...; ``zoom_range``
            means ``zx``); see :func:`parameter_name`.
        shape : tuple
            The image's ``(rows, cols, ...)``: shifts given as fractions are
            scaled by them.

        Returns
        -------
        tuple or None
            ``(low, high)``, or None when the parameter is switched off (or a
            flip, which has no range).

        Examples
        --------
        >>> ranges = ParamRanges(rotation_range=40, width_shift_range=0.1)
        >>> ranges.documented_range("rotation_range")
        (-40.0, 40.0)
        >>> ranges.documented_range("ty", (100, 300))
        (-30.0, 30.0)
        """
        name = parameter_name(parameter)
        rows, cols = shape[:2]
        if name == "theta":
            return (-self.rotation_range, self.rotation_range) if self.rotation_range else None
        if name == "shear":
            return (-self.shear_range, self.shear_range) if self.shear_range else None
        if name in ("tx", "ty"):
            spec, size = (self.height_shift_range, rows) if name == "tx" else (self.width_shift_range, cols)
            return _documented_shift(spec, size) if spec else None
        if name in ("zx", "zy"):
            return tuple(self.zoom_range) if tuple(self.zoom_range) != (1.0, 1.0) else None
        if name == "channel_shift_intensity":
            r = self.channel_shift_range
            return (-r, r) if r else None
        if name == "brightness":
            return tuple(self.brightness_range) if self.brightness_range is not None else None
        return None


def parameter_name(parameter):
    """The transform-dict key a parameter or ``ImageDataGenerator`` argument names.

    Examples
    --------
    >>> parameter_name("rotation_range"), parameter_name("ty")
    ('theta', 'ty')
    """
    if parameter in KERAS_KEYS:
        return parameter
    if parameter in _PARAMETER_OF:
        return _PARAMETER_OF[parameter]
    raise ValueError(f"parameter={parameter!r} is not known; use a key of the transform dict "
                     f"({', '.join(KERAS_KEYS)}) or an ImageDataGenerator argument "
                     f"({', '.join(_PARAMETER_OF)})")


def _documented_shift(spec, size):
    """The documented ``(low, high)`` shift in pixels along one axis (see :class:`ParamRanges`)."""
    if isinstance(spec, float):
        scale = size if spec < 1 else 1
        return (-spec * scale, spec * scale)
    if isinstance(spec, int):  # range(spec): 0 to spec - 1 pixels, with a random sign
        return (-float(spec - 1), float(spec - 1))
    values = np.asarray(spec, dtype=float)
    if values.max() < 1:
        values = values * size
    values = np.unique(np.concatenate([-values, values]))
    return (float(values.min()), float(values.max()))


def _shift_from_uniforms(spec, u_value, u_sign, size):
    """One shift in pixels from two uniforms (see :class:`ParamRanges`)."""
    if isinstance(spec, float):
        shift, largest = spec * (2.0 * u_value - 1.0), spec
    else:
        values = range(spec) if isinstance(spec, int) else spec
        shift = float(values[min(int(u_value * len(values)), len(values) - 1)])
        shift, largest = (-shift if u_sign < 0.5 else shift), (spec if isinstance(spec, int) else max(values))
    return shift * size if largest < 1 else shift


def _uniform(low, high, u):
    return low + (high - low) * u


def _params_from_uniforms(ranges, u, rows, cols):
    zoom_low, zoom_high = ranges.zoom_range
    neutral_zoom = zoom_low == 1 and zoom_high == 1
    channel, bright = ranges.channel_shift_range, ranges.brightness_range
    return TransformParams(
        theta=_uniform(-ranges.rotation_range, ranges.rotation_range, u[0]),
        tx=_shift_from_uniforms(ranges.height_shift_range, u[1], u[2], rows) if ranges.height_shift_range else 0.0,
        ty=_shift_from_uniforms(ranges.width_shift_range, u[3], u[4], cols) if ranges.width_shift_range else 0.0,
        shear=_uniform(-ranges.shear_range, ranges.shear_range, u[5]),
        zx=1.0 if neutral_zoom else _uniform(zoom_low, zoom_high, u[6]),
        zy=1.0 if neutral_zoom else _uniform(zoom_low, zoom_high, u[7]),
        flip_horizontal=ranges.horizontal_flip and u[8] < 0.5,
        flip_vertical=ranges.vertical_flip and u[9] < 0.5,
        channel_shift_intensity=_uniform(-channel, channel, u[10]) if channel else None,
        brightness=_uniform(bright[0], bright[1], u[11]) if bright is not None else None,
    )


def sample_from_uniforms(ranges, uniforms, shape):
    """Turn an ``(n, N_SLOTS)`` array of uniforms in [0, 1) into n transforms.

    Each slot of :data:`SLOTS` feeds one parameter, so a sample's rotation
    does not depend on whether brightness is enabled. ``shape`` is the image's
    ``(rows, cols)``.
    """
    u = np.asarray(uniforms, dtype=float)
    if u.ndim != 2 or u.shape[1] != N_SLOTS:
        raise ValueError(f"uniforms must have shape (n, {N_SLOTS}); got {u.shape}")
    rows, cols = shape[:2]
    return [_params_from_uniforms(ranges, row, rows, cols) for row in u.tolist()]


def sample(ranges, shape, n=None, *, rng=None):
    """Draw transforms from a ``numpy.random.Generator``.

    Parameters
    ----------
    ranges : ParamRanges
    shape : tuple
        The image's ``(rows, cols)``.
    n : int or None
        How many; None returns one :class:`TransformParams`, an int a list.
    rng : None, int or numpy.random.Generator, keyword-only
        Normalised with ``numpy.random.default_rng`` (SPEC 7); the same int
        gives the same draws. ``n`` before the randomness, which is named:
        the order of every augkit sampling helper.

    Examples
    --------
    >>> from augkit import ImageDataGenerator
    >>> ranges = ImageDataGenerator(rotation_range=30).ranges
    >>> sample(ranges, (8, 8), 3, rng=0) == sample(ranges, (8, 8), n=3, rng=0)
    True
    """
    if np.ndim(shape) != 1 or len(shape) != 2:
        raise TypeError(f"shape={shape!r} must be the image's (rows, cols); call "
                        "sample(ranges, shape, n=None, *, rng=None) - the rng or seed is keyword-only")
    rng = np.random.default_rng(rng)
    drawn = sample_from_uniforms(ranges, rng.random((1 if n is None else n, N_SLOTS)), shape)
    return drawn[0] if n is None else drawn


def _legacy_shift(state, spec, size):
    """One shift exactly as Keras draws it (``choice`` then sign, or ``uniform``)."""
    if isinstance(spec, float):
        shift = state.uniform(-spec, spec)
        largest = spec
    else:
        shift = state.choice(spec if isinstance(spec, int) else list(spec))
        shift *= state.choice([-1, 1])
        largest = spec if isinstance(spec, int) else max(spec)
    return shift * size if largest < 1 else shift


def sample_legacy(ranges, state, shape):
    """Draw one transform in Keras's order from a ``numpy.random.RandomState``.

    Reproduces ``get_random_transform`` of keras-preprocessing 1.1.2 and of
    Keras 3 (identical there): with ``RandomState(seed)`` it returns the
    parameters Keras returns for ``seed``.
    """
    rows, cols = shape[:2]
    theta = state.uniform(-ranges.rotation_range, ranges.rotation_range) if ranges.rotation_range else 0
    tx = _legacy_shift(state, ranges.height_shift_range, rows) if ranges.height_shift_range else 0
    ty = _legacy_shift(state, ranges.width_shift_range, cols) if ranges.width_shift_range else 0
    shear = state.uniform(-ranges.shear_range, ranges.shear_range) if ranges.shear_range else 0
    if ranges.zoom_range[0] == 1 and ranges.zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = state.uniform(ranges.zoom_range[0], ranges.zoom_range[1], 2)
    flip_horizontal = state.random() < 0.5 and ranges.horizontal_flip
    flip_vertical = state.random() < 0.5 and ranges.vertical_flip
    channel = None
    if ranges.channel_shift_range != 0:
        channel = state.uniform(-ranges.channel_shift_range, ranges.channel_shift_range)
    bright = None
    if ranges.brightness_range is not None:
        bright = state.uniform(ranges.brightness_range[0], ranges.brightness_range[1])
    return TransformParams(
        theta=float(theta), tx=float(tx), ty=float(ty), shear=float(shear), zx=float(zx), zy=float(zy),
        flip_horizontal=bool(flip_horizontal), flip_vertical=bool(flip_vertical),
        channel_shift_intensity=None if channel is None else float(channel),
        brightness=None if bright is None else float(bright),
    )
