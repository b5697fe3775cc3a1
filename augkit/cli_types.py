"""The argparse types of ``python -m augkit``: bounded numbers, choices and Keras's shift ranges.

Each returns the parsed value or raises ``argparse.ArgumentTypeError`` with
a message naming the value and what is accepted (argparse adds the option):
:mod:`augkit.__main__` turns it into one line ``augkit: error: ...``.

Examples
--------
>>> integer_in(1, 5, "columns")("3")
3
>>> integer_in(1, 5, "columns")("9")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: '9' is not an integer from 1 to 5 (columns)
>>> shift_range("10"), shift_range("0.2")
(10, 0.2)
"""

import argparse
import math
import re

__all__ = ["MAX_SHIFT", "as_options", "integer_in", "number_in", "one_of", "shift_range", "shown"]


def integer_in(low, high, unit):
    """An argparse type: an int in ``[low, high]``; the error names the range and the unit."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{shown(text)} is not an integer from {low} to {high} ({unit})")
        return value
    return parse


def number_in(low, high, unit):
    """An argparse type: a finite float in ``[low, high]`` (NaN and infinities refused)."""
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # False for NaN
            raise argparse.ArgumentTypeError(f"{shown(text)} is not a number from {low:g} to {high:g} ({unit})")
        return value
    return parse


def one_of(accepted):
    def parse(text):
        if text not in accepted:
            raise argparse.ArgumentTypeError(f"{shown(text)} is not one of {', '.join(accepted)}")
        return text
    return parse


def shown(text):
    """``text`` quoted for a message, shortened if absurdly long."""
    return repr(text) if len(text) <= 40 else repr(text[:20] + "..." + text[-10:])


MAX_SHIFT = 100_000  # pixels (or a fraction below 1)


def shift_range(text):
    """Keras's shift types: ``"10"`` is an int (whole pixels), ``"0.2"`` a float."""
    try:
        value = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid shift {shown(text)}: give a number such as 0.2 "
                                             f"or 10, from 0 to {MAX_SHIFT} (pixels)") from None
    if not 0 <= value <= MAX_SHIFT:  # False for NaN
        raise argparse.ArgumentTypeError(f"invalid shift {shown(text)}: give a number from 0 to {MAX_SHIFT} "
                                         "(a fraction below 1, or pixels)")
    return value


def as_options(message, names):
    """A message of ``ImageDataGenerator`` in the command line's words: its arguments ``names`` as options.

    ``name='value'`` becomes ``--name value``, ``name=None`` ``without --name``
    (``leave out --name`` after "use"), and a bare name with an underscore
    (``brightness_range``) ``--brightness-range``; one-word names alone
    (``dtype``, ``backend``) are left, as they may be ordinary words.

    >>> as_options("dtype='uint8' cannot be used with brightness_range: use dtype='float32'",
    ...            ["dtype", "brightness_range"])
    '--dtype uint8 cannot be used with --brightness-range: use --dtype float32'
    >>> as_options("backend='opencv' works only with compat=None; use compat=None", ["backend", "compat"])
    '--backend opencv works only without --compat; leave out --compat'
    """
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])({alternatives})(?:=('[^']*'|[^\s,;:()]+))?(?![\w-])")

    def option(match):
        name, value = match.groups()
        flag = "--" + name.replace("_", "-")
        if value is None:
            return flag if "_" in name else name
        if value == "None":  # the option left out: worded by what comes before (below)
            return f"\0{flag}"
        return f"{flag} {value.strip(chr(39))}"

    text = pattern.sub(option, message)
    for before, after in (("with \0", "without "), ("use \0", "leave out "), ("\0", "no ")):
        text = text.replace(before, after)
    return text

