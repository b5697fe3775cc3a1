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


def is_number(value):
    """Whether ``value`` is a real number: an int or a float (numpy's too), never a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def finite_float(value, name, accepted="a real number"):
    """``value`` as a float; TypeError if it is not a real number, ValueError if NaN or inf."""
    if not is_number(value):
        raise TypeError(f"{name} must be {accepted}; got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return value


def items(value, name, accepted, length=None):
    """The items of a tuple, list or 1-D array ``value`` (``length`` of them, or at least one).

    TypeError for anything else (a str, a dict, a number, None), ValueError
    for a wrong number of items; both name the argument, the value and
    ``accepted``.
    """
    if not isinstance(value, (tuple, list, np.ndarray)):
        raise TypeError(f"{name}={value!r} must be {accepted}; got a {type(value).__name__}")
    count = len(value) if not isinstance(value, np.ndarray) or value.ndim == 1 else None
    if count is None or count == 0 or (length is not None and count != length):
        held = f"an array of shape {value.shape}" if count is None else f"{count} items"
        raise ValueError(f"{name}={value!r} must be {accepted}; it has {held}")
    return tuple(value)


def finite_floats(value, name, accepted, length=None):
    """The items of ``value`` (as :func:`items`) as floats: TypeError unless each is a real number, ValueError
    unless each is finite.

    >>> finite_floats([1, 2.5], "brightness_range", "a pair of numbers", length=2)
    (1.0, 2.5)
    """
    values = items(value, name, accepted, length)
    for item in values:
        if not is_number(item):
            raise TypeError(f"{name}={value!r} must be {accepted}; its item {item!r} is a {type(item).__name__}, "
                            "not a number")
    if not all(math.isfinite(item) for item in values):
        raise ValueError(f"{name}={value!r} must be {accepted}, each finite")
    return tuple(float(item) for item in values)


def non_negative(value, name, unit, shown=None):
    """A finite float from 0 to :data:`LARGEST_RANGE`; ``unit`` is named in the errors."""
    given = value
    value = finite_float(value, name, f"a real number >= 0 ({unit})")
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


SHIFT_ACCEPTED = "a float, an int or a non-empty list of numbers"


def shift_range(value, name):
    """A shift range: a float, an int, or a 1-D list of numbers (a tuple of floats)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(non_negative(value, name, "an int N draws from range(N) with a random sign"))
    if is_number(value):
        return non_negative(value, name, "a float <1 is a fraction of the size, >=1 pixels")
    if isinstance(value, bool):
        raise TypeError(f"{name} must be {SHIFT_ACCEPTED}; got {value!r}")
    values = finite_floats(value, name, SHIFT_ACCEPTED)
    _check_not_huge(max(abs(v) for v in values), name, "shifts in pixels, or fractions of the size below 1", value)
    return values


ZOOM_ACCEPTED = "a float z (factors in [1 - z, 1 + z]) or a pair of positive floats (low, high)"


def zoom_range(value, name="zoom_range"):
    """A float z (factors ``[1 - z, 1 + z]``) or a pair of positive factors, as a pair."""
    if is_number(value):
        z = non_negative(value, name, "a float z means factors in [1 - z, 1 + z]")
        if z >= 1:
            raise ValueError(f"{name}={value!r} gives factors in [{1 - z:g}, {1 + z:g}], which "
                             "includes a non-positive zoom; use a float below 1 or a pair of positive floats")
        return (1.0 - z, 1.0 + z)
    low, high = finite_floats(value, name, ZOOM_ACCEPTED, length=2)
    if low <= 0 or high <= 0:
        raise ValueError(f"{name}={value!r} must be a pair of positive factors")
    if not all(1 / LARGEST_RANGE <= v <= LARGEST_RANGE for v in (low, high)):
        raise ValueError(f"{name}={value!r} cannot be computed with: use factors from "
                         f"{1 / LARGEST_RANGE:.0e} to {LARGEST_RANGE:.0e} (Keras turns such zooms into "
                         "NaN pixels); see augkit.params.LARGEST_RANGE")
    return (low, high)


def brightness_range(value, name="brightness_range"):
    """None, or a pair of non-negative factors."""
    if value is None:
        return None
    pair = finite_floats(value, name, "None or a pair of factors like (0.8, 1.2)", length=2)
    low, high = (non_negative(v, name, "brightness factors", shown=value) for v in pair)
    return (low, high)
