"""augkit.params: what the documentation says each sampled parameter ranges over, and its names."""

import pytest

from augkit.params import ARGUMENT_OF, KERAS_KEYS, ParamRanges, parameter_name


def test_documented_ranges():
    ranges = ParamRanges(rotation_range=40, width_shift_range=0.1, height_shift_range=12,
                         shear_range=5, zoom_range=(0.5, 2.0), channel_shift_range=30,
                         brightness_range=(0.8, 1.2))
    shape = (100, 300, 3)
    assert ranges.documented_range("theta", shape) == (-40, 40)
    assert ranges.documented_range("width_shift_range", shape) == pytest.approx((-30, 30))
    assert ranges.documented_range("tx", shape) == (-11, 11)  # int N: range(N)
    assert ranges.documented_range("shear", shape) == (-5, 5)
    assert ranges.documented_range("zy", shape) == (0.5, 2.0)
    assert ranges.documented_range("channel_shift_range", shape) == (-30, 30)
    assert ranges.documented_range("brightness", shape) == (0.8, 1.2)
    assert ranges.documented_range("horizontal_flip", shape) is None
    assert ParamRanges().documented_range("theta") is None
    assert ParamRanges(width_shift_range=[0.1, 0.2]).documented_range("ty", (10, 50)) == (-10, 10)
    with pytest.raises(ValueError, match="rotation"):
        ranges.documented_range("rotation")


def test_parameter_names_and_the_arguments_they_come_from():
    assert set(ARGUMENT_OF) == set(KERAS_KEYS)
    for key, argument in ARGUMENT_OF.items():
        assert parameter_name(key) == key
        assert ARGUMENT_OF[parameter_name(argument)] == argument
    assert parameter_name("zoom_range") == "zx"
    with pytest.raises(ValueError, match="rotation_range"):
        parameter_name("angle")
