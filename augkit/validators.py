"""Validators of the random ranges: each takes ``(value, name)`` and returns the checked value.

Used by the parameter spec table (:mod:`augkit.spec`); a wrong type raises
TypeError, a wrong value ValueError, naming the argument, the value and what
is accepted.
"""

import math
import numbers

import numpy as np

#: The largest value a random range accepts (degrees, pixels, intensity units or
#: a factor); zoom factors must also be at least its inverse. Keras takes larger
#: values but cannot compute with them: numpy's ``uniform`` overflows from about
#: 9e307 (``OverflowError: Range exceeds valid bounds``), zoom and brightness
#: factors of 1e308 turn pixels into inf or NaN, and angles of 1e10 degrees and
#: more lose their fractional degrees to float64 rounding (Keras computes
#: garbage). A billion degrees, pixels or times is far beyond any useful value.
LARGEST_RANGE = 1e9


def finite_float(value, name):
    """``value`` as a float; TypeError if it is not a real number, ValueError if NaN or inf."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return value


def non_negative(value, name, unit, shown=None):
    """A finite float from 0 to :data:`LARGEST_RANGE`; ``unit`` is named in the errors."""
    given = value
    value = finite_float(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0 ({unit}); got {given!r}")
    _check_not_huge(value, name, unit, given if shown is None else shown)
    return value


def _check_not_huge(value, name, unit, shown):
    if abs(value) > LARGEST_RANGE:
        raise ValueError(f"{name}={shown!r} is too large to compute with: use at most {LARGEST_RANGE:.0e} "
                         f"({unit}); see augkit.params.LARGEST_RANGE")


def flag(value, name):
    """True or False (a numpy bool too), as a Python bool."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def shift_range(value, name):
    """A shift range: a float, an int, or a 1-D list of numbers (a tuple of floats)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a float, an int or a list of numbers; got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(non_negative(value, name, "an int N draws from range(N) with a random sign"))
    if isinstance(value, numbers.Real):
        return non_negative(value, name, "a float <1 is a fraction of the size, >=1 pixels")
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


def zoom_range(value, name="zoom_range"):
    """A float z (factors ``[1 - z, 1 + z]``) or a pair of positive factors, as a pair."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        z = non_negative(value, name, "a float z means factors in [1 - z, 1 + z]")
        if z >= 1:
            raise ValueError(f"{name}={value!r} gives factors in [{1 - z:g}, {1 + z:g}], which "
                             "includes a non-positive zoom; use a float below 1 or a pair of positive floats")
        return (1.0 - z, 1.0 + z)
    if isinstance(value, (tuple, list, np.ndarray)) and len(value) == 2:
        low, high = (finite_float(v, name) for v in value)
        if low <= 0 or high <= 0:
            raise ValueError(f"{name}={value!r} must be a pair of positive factors")
        if not all(1 / LARGEST_RANGE <= v <= LARGEST_RANGE for v in (low, high)):
            raise ValueError(f"{name}={value!r} cannot be computed with: use factors from "
                             f"{1 / LARGEST_RANGE:.0e} to {LARGEST_RANGE:.0e} (Keras turns such zooms into "
                             "NaN pixels); see augkit.params.LARGEST_RANGE")
        return (low, high)
    raise ValueError(f"{name} must be a float or a pair of positive floats; got {value!r}")


def brightness_range(value, name="brightness_range"):
    """None, or a pair of non-negative factors."""
    if value is None:
        return None
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise ValueError(f"{name} must be None or a pair of factors like (0.8, 1.2); got {value!r}")
    low, high = (non_negative(v, name, "brightness factors", shown=value) for v in value)
    return (low, high)
