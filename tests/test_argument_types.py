"""Every argument of the spec table tells a wrong type from a wrong value (issue 18).

A value of the wrong *type* (a str, None where None is not allowed, a bool,
a dict, a list where only a number is taken, a str or a bool inside a pair)
raises TypeError; a value of the right type that is wrong (a pair of three,
an empty list, a negative or non-finite number) raises ValueError. Both name
the argument, the value (or the offending item) and what is accepted, in the
constructor, in ``ParamRanges`` and when assigned on a generator, which then
stays as it was.
"""

import math
import re

import pytest

from augkit import ImageDataGenerator
from augkit.params import ParamRanges
from augkit.spec import AUGMENTATIONS

NUMBER, SHIFT, PAIR, FLAG, SIZE, ERASING, RESIZED = "number", "shift", "pair", "flag", "size", "erasing", "resized"

#: argument: (its kind, a valid value, what its messages say is accepted, None allowed).
EXPECTED = {
    "rotation_range": (NUMBER, 10, r"a real number >= 0 \(degrees\)", False),
    "height_shift_range": (SHIFT, 0.1, r"a float, an int or a non-empty list of numbers", False),
    "width_shift_range": (SHIFT, 0.1, r"a float, an int or a non-empty list of numbers", False),
    "shear_range": (NUMBER, 10, r"a real number >= 0 \(degrees\)", False),
    "zoom_range": (PAIR, (0.9, 1.1), r"a float z .* or a pair of positive floats", False),
    "horizontal_flip": (FLAG, True, r"True or False", False),
    "vertical_flip": (FLAG, True, r"True or False", False),
    "channel_shift_range": (NUMBER, 10, r"a real number >= 0 \(intensity units\)", False),
    "brightness_range": (PAIR, (0.5, 1.5), r"None or a pair of factors", True),
    "contrast_range": (PAIR, (0.8, 1.2), r"None or a pair \(low, high\)", True),
    "saturation_range": (PAIR, (0.8, 1.2), r"None or a pair \(low, high\)", True),
    "hue_range": (NUMBER, 10, r"a real number >= 0 \(degrees\)", False),
    "grayscale_probability": (NUMBER, 0.5, r"a probability from 0 to 1", False),
    "sharpness_range": (PAIR, (0.8, 1.2), r"None or a pair \(low, high\)", True),
    "blur_sigma_range": (PAIR, (0.5, 1.0), r"None or a pair \(low, high\)", True),
    "posterization_bits": (PAIR, (2, 4), r"None or a pair of integers", True),
    "solarization_range": (PAIR, (0.5, 1.0), r"None or a pair \(low, high\)", True),
    "auto_contrast": (FLAG, True, r"True or False", False),
    "equalization": (FLAG, True, r"True or False", False),
    "noise_std_range": (PAIR, (0.0, 0.05), r"None or a pair \(low, high\)", True),
    "crop_size": (SIZE, (4, 4), r"a positive int or a \(height, width\) pair of positive ints", True),
    "random_erasing": (ERASING, 0.5, r"a probability p from 0 to 1, or a dict", True),
    "random_resized_crop": (RESIZED, (4, 4), r"a positive int or a \(height, width\) pair .*a dict", True),
    "randaugment": (PAIR, (2, 0.5), r"None or a pair \(num_ops, magnitude\)", True),
}


def test_every_entry_of_the_table_is_expected_here():
    assert list(EXPECTED) == [entry.argument for entry in AUGMENTATIONS]


def wrong_types(argument):
    """``(value, offending part)`` pairs of the wrong type for ``argument``."""
    kind, valid, _, none_allowed = EXPECTED[argument]
    cases = [("big", "big"), ("0.5", "0.5")]
    if not none_allowed:
        cases.append((None, None))
    if kind == FLAG:
        return cases + [(1, 1), (0.0, 0.0), ((True,), (True,))]
    cases.append((True, True))
    if kind not in (ERASING, RESIZED):
        cases.append(({"low": 1}, {"low": 1}))
    if kind in (NUMBER, ERASING):
        cases += [([valid], [valid]), ((valid, valid), (valid, valid))]
    if kind == SHIFT:
        cases += [([0.1, "a"], "a"), ([True], True), ([[1, 2]], [1, 2])]
    if kind in (PAIR, SIZE, RESIZED):
        cases += [((valid[0], "a"), "a"), ((True, valid[1]), True), ((valid[0], None), None)]
    return cases


def wrong_values(argument):
    """Values of the right type that ``argument`` refuses."""
    kind, valid, _, _ = EXPECTED[argument]
    if kind in (PAIR, SIZE, RESIZED):
        return [tuple(valid) + (valid[1],), (valid[0],), [], (valid[0], math.nan)]
    if kind == SHIFT:
        return [[], -0.1, math.nan, [0.1, math.inf]]
    if kind == FLAG:
        return []
    return [-1, math.nan]


TYPE_CASES = [(argument, value, part) for argument in EXPECTED for value, part in wrong_types(argument)]
VALUE_CASES = [(argument, value) for argument in EXPECTED for value in wrong_values(argument)]


def check_message(error, argument, shown):
    text = str(error.value)
    assert text.startswith(argument), text
    assert repr(shown) in text, text
    assert re.search(EXPECTED[argument][2], text), text


@pytest.mark.parametrize("argument, value, part", TYPE_CASES, ids=[f"{a}={v!r}" for a, v, _ in TYPE_CASES])
def test_a_wrong_type_is_a_type_error_naming_argument_value_and_what_is_accepted(argument, value, part):
    with pytest.raises(TypeError) as error:
        ImageDataGenerator(**{argument: value})
    check_message(error, argument, part)
    with pytest.raises(TypeError, match=re.escape(str(error.value))):
        ParamRanges(**{argument: value})


@pytest.mark.parametrize("argument, value", VALUE_CASES, ids=[f"{a}={v!r}" for a, v in VALUE_CASES])
def test_a_wrong_value_of_the_right_type_is_a_value_error(argument, value):
    with pytest.raises(ValueError, match=f"^{argument}") as error:
        ImageDataGenerator(**{argument: value})
    assert not isinstance(error.value, TypeError)


@pytest.mark.parametrize("argument, value, part", TYPE_CASES[::3], ids=[f"{a}={v!r}" for a, v, _ in TYPE_CASES[::3]])
def test_an_assigned_wrong_type_is_refused_alike_and_changes_nothing(argument, value, part):
    gen = ImageDataGenerator(**{argument: EXPECTED[argument][1]})
    before = (repr(gen), gen.ranges)
    with pytest.raises(TypeError) as error:
        setattr(gen, argument, value)
    check_message(error, argument, part)
    assert (repr(gen), gen.ranges) == before


@pytest.mark.parametrize("argument", EXPECTED)
def test_the_valid_value_and_none_where_allowed_are_taken(argument):
    kind, valid, _, none_allowed = EXPECTED[argument]
    ImageDataGenerator(**{argument: valid})
    if none_allowed:
        assert not next(e for e in AUGMENTATIONS if e.argument == argument).is_on(
            getattr(ImageDataGenerator(**{argument: None}).ranges, argument))


def test_zoom_range_big_is_the_reported_case():
    with pytest.raises(TypeError, match=r"^zoom_range='big' must be a float z \(factors in \[1 - z, 1 \+ z\]\) or a "
                                        r"pair of positive floats \(low, high\); got a str$"):
        ImageDataGenerator(zoom_range="big")
