"""augkit.params: the samplers, what the documentation says each parameter ranges over, and its names.

How often each value occurs is tested in ``test_sampler_frequencies.py``.
"""

import numpy as np
import pytest

from augkit.params import (
    ARGUMENT_OF,
    KERAS_KEYS,
    N_BASE_SLOTS, N_SLOTS,
    SLOTS,
    ParamRanges,
    TransformParams,
    parameter_name,
    sample,
    sample_from_uniforms,
    sample_legacy,
)

RANGES = ParamRanges(rotation_range=40, width_shift_range=[0.1, 0.25], height_shift_range=7,
                     shear_range=5, zoom_range=(0.5, 2.0), channel_shift_range=30,
                     brightness_range=(0.8, 1.2), horizontal_flip=True, vertical_flip=True)
SHAPE = (40, 60)  # rows, cols


def uniforms(default, **slots):
    """One row of uniforms: ``default`` in every slot but those named."""
    row = np.full((1, N_SLOTS), default)
    for name, value in slots.items():
        row[0, SLOTS.index(name)] = value
    return row


def test_the_lowest_uniforms_give_the_low_end_of_every_range():
    (params,) = sample_from_uniforms(RANGES, uniforms(0.0, tx=0.99), SHAPE)
    assert params == TransformParams(theta=-40, tx=-6, ty=-0.1 * 60, shear=-5, zx=0.5, zy=0.5,
                                     flip_horizontal=True, flip_vertical=True,
                                     channel_shift_intensity=-30, brightness=0.8)


@pytest.mark.parametrize("u_value, u_sign, tx", [(0.0, 0.9, 0.0), (0.14, 0.9, 0.0), (0.15, 0.9, 1.0),
                                                 (0.99, 0.49, -6.0), (0.99, 0.5, 6.0)])
def test_an_int_shift_takes_a_value_of_range_n_and_a_sign_from_two_uniforms(u_value, u_sign, tx):
    (params,) = sample_from_uniforms(RANGES, uniforms(0.5, tx=u_value, tx_sign=u_sign), SHAPE)
    assert params.tx == tx


def test_the_middle_uniforms_give_the_middle_and_the_list_value_scaled_by_columns():
    (params,) = sample_from_uniforms(RANGES, uniforms(0.5), SHAPE)
    assert (params.theta, params.shear, params.channel_shift_intensity) == (0, 0, 0)
    assert (params.zx, params.zy, params.brightness) == (1.25, 1.25, 1.0)
    assert params.ty == 0.25 * 60 and not params.flip_horizontal and not params.flip_vertical


def test_sample_is_sample_from_uniforms_of_the_generator_draws():
    # Keras's arguments' slots; the colour and tone slots (off here) are not drawn, so they do not shift these.
    keras_slots = np.random.default_rng(3).random((4, N_BASE_SLOTS))
    expected = sample_from_uniforms(RANGES, np.hstack([keras_slots, np.zeros((4, N_SLOTS - N_BASE_SLOTS))]), SHAPE)
    assert sample(RANGES, SHAPE, n=4, rng=3) == expected
    assert sample(RANGES, SHAPE, rng=np.random.default_rng(3)) == expected[0]
    assert sample(RANGES, SHAPE, n=4, rng=4) != expected


def test_sample_legacy_continues_the_random_state():
    state = np.random.RandomState(5)
    first, second = sample_legacy(RANGES, state, SHAPE), sample_legacy(RANGES, state, SHAPE)
    assert first != second
    assert sample_legacy(RANGES, np.random.RandomState(5), SHAPE) == first


def legacy_draws(n, seed=0):
    state = np.random.RandomState(seed)
    return [sample_legacy(RANGES, state, SHAPE) for _ in range(n)]


@pytest.mark.parametrize("draw", [lambda n: sample(RANGES, SHAPE, n, rng=0), legacy_draws], ids=["default", "legacy"])
def test_samples_fill_the_documented_range_and_stay_inside_it(draw):
    drawn = draw(3000)
    for key in ("theta", "tx", "ty", "shear", "zx", "zy", "channel_shift_intensity", "brightness"):
        low, high = RANGES.documented_range(key, SHAPE)
        values = np.array([getattr(p, key) for p in drawn])
        assert low <= values.min() and values.max() <= high, key
        assert values.min() - low < 0.01 * (high - low) and high - values.max() < 0.01 * (high - low), key


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
