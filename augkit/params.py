"""Sampled transforms as values, the ranges they come from, and the sampling.

This module and :mod:`augkit.streams` are the only places in augkit that
draw random numbers for augmentation: a stream decides where the numbers
come from (the default mode's ``(seed, epoch, parameter, index)`` scheme, or
Keras's ``RandomState`` in Keras's order) and this module turns them into
parameters. It never touches pixels.

* :class:`TransformParams` is one sampled transform, a frozen value that
  converts to and from Keras's dict and replays a sample exactly.
* :class:`ParamRanges` holds the validated random ranges of an
  ``ImageDataGenerator`` (what its constructor arguments mean) and says what
  the documentation promises each parameter ranges over
  (:meth:`ParamRanges.documented_range`); :data:`ARGUMENT_OF` names the
  argument each parameter comes from.
* :func:`keyed_uniforms` is the default mode's counter-based draw: one
  uniform per parameter *slot*, each table entry from its own stream keyed by
  ``(seed, epoch, parameter)``, one row per sample ``index``. Enabling,
  adding, removing or moving one option never changes another option's
  draws. :func:`sample_from_uniforms` turns such uniforms into parameters,
  which lets an iterator make each sample depend only on
  ``(seed, epoch, index)``; :func:`sample` makes one-off draws with the same
  scheme, from a counter seed it takes from a ``numpy.random.Generator``.
* :func:`sample_legacy` draws from a ``numpy.random.RandomState`` in exactly
  the order of Keras's ``get_random_transform``, so a Keras ``seed`` gives
  Keras's own numbers.

The parameters are listed once, in the spec table
(:data:`augkit.spec.AUGMENTATIONS`): the keys, slots, fields, checks, printed
forms, documented ranges and draws here are all derived from it.
"""

import functools
import math
import operator
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np

from augkit.keyed import (MOST_SLOTS, N_SLOTS, PARAMETER_TAG, SLOTS, draw_plan,  # noqa: F401 - re-exported
                          few_keyed_rows, keyed_uniforms)
from augkit.spec import AUGMENTATIONS, argument_of, keys_of
from augkit.spec_crop import check_one_crop, cropped_rows_cols
from augkit.validators import LARGEST_RANGE, finite_float  # noqa: F401 - LARGEST_RANGE: documented here

_KEYS = keys_of(AUGMENTATIONS)
#: The keys of Keras's transform dict (and the fields of :class:`TransformParams`), in Keras's order.
KERAS_KEYS = tuple(key.name for key in _KEYS)

_COUNTER_SEED_RANGE = 2**63  # a one-off draw (sample) takes one counter seed below this per call

#: The ``ImageDataGenerator`` argument each sampled parameter comes from.
ARGUMENT_OF = argument_of(AUGMENTATIONS)
# The parameter an argument names (its first key: ``zoom_range`` means ``zx``).
_PARAMETER_OF = {entry.argument: entry.keys[0].name for entry in AUGMENTATIONS}
_NUMERIC_FIELDS = tuple(key.name for key in _KEYS if key.kind != "bool")
_OPTIONAL_FIELDS = tuple(key.name for key in _KEYS if key.kind == "optional")
_FLOAT_FIELDS = tuple(key.name for key in _KEYS if key.kind == "float")
_NONZERO_FIELDS = {key.name: key.nonzero for key in _KEYS if key.nonzero}


def _getter(names):
    """A function giving the tuple of ``names``' attributes (one C call: this runs for every sample)."""
    get = operator.attrgetter(*names) if names else (lambda obj: ())
    return get if len(names) > 1 else (lambda obj: (get(obj),) if names else ())


_FLOATS, _NONZEROS, _OPTIONALS = _getter(_FLOAT_FIELDS), _getter(tuple(_NONZERO_FIELDS)), _getter(_OPTIONAL_FIELDS)
_BOOL_FIELDS = tuple(key.name for key in _KEYS if key.kind == "bool")
_NEW = object.__new__
_FIELD_TYPE = {"float": float, "optional": float | None, "bool": bool}
_BEYOND_KERAS = {key.name: key.neutral for entry in AUGMENTATIONS if not entry.in_compat  # refused by compat
                 for key in entry.keys}


def _fields(fields):
    """Decorate a class into a frozen dataclass whose fields are ``(name, type, default)`` from the table."""
    def decorate(cls):
        cls.__annotations__ = {name: kind for name, kind, _ in fields}
        for name, _, default in fields:
            setattr(cls, name, default)
        return dataclass(frozen=True)(cls)
    return decorate


@_fields([(key.name, _FIELD_TYPE[key.kind], key.neutral) for key in _KEYS])
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
    contrast, saturation, hue, grayscale, ... : the colour and tone entries (:mod:`augkit.spec_colour`)

    Examples
    --------
    >>> p = TransformParams(theta=-12.34, zx=1.08)
    >>> print(p)
    θ=-12.3°, zx=1.08
    >>> TransformParams.from_dict(p.to_dict()) == p
    True
    """

    def __post_init__(self):
        # Refuse what would silently spoil pixels: NaN or inf anywhere, and a
        # zero zoom (every output pixel read from one point; no inverse map).
        # Fast path (this runs for every sampled transform): one sum of the
        # floats is finite only if each is; anything else gets the full check.
        try:
            if (math.isfinite(sum(_FLOATS(self))) and all(_NONZEROS(self))
                    and math.isfinite(sum([value for value in _OPTIONALS(self) if value is not None]))):
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
        for name, reason in _NONZERO_FIELDS.items():
            if getattr(self, name) == 0:
                raise ValueError(f"TransformParams({name}={getattr(self, name)!r}): {reason}")

    def to_dict(self):
        """Keras's transform dict (keys as in ``get_random_transform``); the keys of the entries beyond
        Keras's arguments (``contrast``, ``hue``, ...) only when not neutral, so Keras's settings give Keras's dict."""
        return {key: value for key, value in asdict(self).items()
                if key not in _BEYOND_KERAS or value != _BEYOND_KERAS[key]}

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
        for key in _BOOL_FIELDS:
            if key in values:
                values[key] = bool(values[key])
        for key in _NUMERIC_FIELDS:
            if key in values:
                values[key] = finite_float(values[key], f"transform_parameters[{key!r}]")
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
        parts = (key.text(self) for key in _KEYS)
        return ", ".join(part for part in parts if part) or "identity"


def _params_of(values):
    """The samplers' constructor: every field's value in field order, checked as ``__init__`` checks them.

    The same object as ``TransformParams(*values)`` in half the time (no
    per-field ``object.__setattr__`` of a frozen dataclass): it runs for every drawn sample.
    """
    params = _NEW(TransformParams)
    vars(params).update(zip(KERAS_KEYS, values, strict=True))
    params.__post_init__()
    return params


#: The transform that changes nothing (every parameter neutral).
NEUTRAL = TransformParams()


@_fields([(entry.argument, object, entry.default) for entry in AUGMENTATIONS])
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

    def __post_init__(self):
        for entry in AUGMENTATIONS:  # validated in the table's order, each named in its errors
            object.__setattr__(self, entry.argument, entry.validate(getattr(self, entry.argument), entry.argument))
        check_one_crop(self)  # crop_size and random_resized_crop both set the output's size

    @functools.cached_property
    def draw_plan(self):
        """The entries that are on and where their draws go (:func:`augkit.keyed.draw_plan`), worked out once."""
        return draw_plan(self)

    def __getstate__(self):
        return {name: value for name, value in self.__dict__.items() if name != "draw_plan"}  # a cache

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
        key = _KEY_NAMED[name]
        return key.documented(getattr(self, ARGUMENT_OF[name]), tuple(shape[:2]))


_KEY_NAMED = {key.name: key for key in _KEYS}


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


def _params_from_uniforms(ranges, u, rows_cols):
    plan = ranges.draw_plan  # the entries that are on, found once per ranges
    values = list(plan.fields)
    cropped = cropped_rows_cols(ranges, rows_cols) if plan.crops else rows_cols  # erasing is drawn for the crop
    for entry, value, slots, first, count, for_crop in plan.active:
        values[first:first + count] = entry.draw(value, u[slots], cropped if for_crop else rows_cols)
    return _params_of(values)


def sample_from_uniforms(ranges, uniforms, shape):
    """Turn an ``(n, N_SLOTS)`` array of uniforms in [0, 1) into n transforms.

    Each slot of :data:`SLOTS` feeds one parameter, so a sample's rotation
    does not depend on whether brightness is enabled (:func:`keyed_uniforms`
    draws each entry's slots from its own stream). ``shape`` is the image's
    ``(rows, cols)``.
    """
    u = np.asarray(uniforms, dtype=float)
    if u.ndim != 2 or u.shape[1] != N_SLOTS:
        raise ValueError(f"uniforms must have shape (n, {N_SLOTS}); got {u.shape}")
    rows_cols = tuple(shape[:2])
    if len(u) < _FEW:
        return [_params_from_uniforms(ranges, row, rows_cols) for row in u.tolist()]
    from augkit.column_draws import params_from_columns  # it imports this module

    return params_from_columns(ranges, u, rows_cols)


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

    Notes
    -----
    Each call takes one counter seed ``c`` from the Generator
    (``integers(2**63)``) and returns samples ``0 .. n-1`` of epoch 0 of
    ``c`` (:func:`keyed_uniforms`), as an iterator with ``seed=c`` would: the
    first ``m`` of ``n`` are a call of ``m`` with the same int ``rng``, and no
    parameter's draws depend on the others. ``n`` calls of one take ``n``
    counter seeds: other draws than one call of ``n``, equally distributed.

    Examples
    --------
    >>> from augkit import ImageDataGenerator
    >>> ranges = ImageDataGenerator(rotation_range=30).ranges
    >>> sample(ranges, (8, 8), 3, rng=0) == sample(ranges, (8, 8), n=3, rng=0)
    True
    >>> sample(ranges, (8, 8), 3, rng=0)[:2] == sample(ranges, (8, 8), 2, rng=0)
    True
    """
    if not (type(shape) is tuple and len(shape) == 2) and (np.ndim(shape) != 1 or len(shape) != 2):
        raise TypeError(f"shape={shape!r} must be the image's (rows, cols); call "
                        "sample(ranges, shape, n=None, *, rng=None) - the rng or seed is keyword-only")
    counter_seed = int(np.random.default_rng(rng).integers(_COUNTER_SEED_RANGE))
    count = 1 if n is None else n
    if count <= _FEW:  # the same numbers as keyed_uniforms, without numpy's cost per call
        rows = few_keyed_rows(counter_seed, 0, count, ranges)
        drawn = [_params_from_uniforms(ranges, row, tuple(shape[:2])) for row in rows]
    else:
        drawn = sample_from_uniforms(ranges, keyed_uniforms(counter_seed, 0, count, ranges), shape)
    return drawn[0] if n is None else drawn


_FEW = 4  # one-off draws of up to this many samples are computed in plain Python


def sample_legacy(ranges, state, shape):
    """Draw one transform in Keras's order from a ``numpy.random.RandomState``.

    Reproduces ``get_random_transform`` of keras-preprocessing 1.1.2 and of
    Keras 3 (identical there): with ``RandomState(seed)`` it returns the
    parameters Keras returns for ``seed``.
    """
    rows_cols = tuple(shape[:2])
    values = []
    for entry in AUGMENTATIONS:  # Keras's order of draws
        values.extend(entry.draw_legacy(getattr(ranges, entry.argument), state, rows_cols))
    return _params_of(values)
