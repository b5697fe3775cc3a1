"""How often each sampled value occurs, in every convention (issue 15).

``ImageDataGenerator.sample_params`` draws :data:`N` transforms from a fixed
seed in the default mode (a ``numpy.random.Generator``, one uniform per slot)
and in both compat modes (a ``RandomState`` in Keras's order), and each
parameter's distribution is tested against what ``ParamRanges`` documents:
KS tests for continuous uniforms, chi-square tests for discrete choices and
for independence, binomial tests for probabilities (``frequency_checks``).
``tests/test_planted_bugs.py`` shows that each checker reports a wrong
distribution.
"""

import functools

import numpy as np
import pytest

from augkit import ImageDataGenerator
from augkit.params import KERAS_KEYS
from frequency_checks import (
    check_choice_with_sign,
    check_flips,
    check_independent,
    check_uniform,
    check_uniform_pair,
)

N = 20_000
SEED = 2024
SHAPE = (40, 50)  # rows, cols: tx is scaled by 40, ty by 50
MODES = [None, "keras_preprocessing", "tf_keras"]

#: Every parameter switched on, each shift form once: a float fraction, float
#: pixels (1.0 is pixels, not the whole size), an int, a list of fractions and
#: a list of pixels with 0 among them.
CONFIGS = {
    "all": dict(rotation_range=30, height_shift_range=0.2, width_shift_range=7, shear_range=10,
                zoom_range=0.2, horizontal_flip=True, vertical_flip=True, channel_shift_range=20,
                brightness_range=(0.5, 1.5)),
    "pixels_and_fractions": dict(height_shift_range=2.5, width_shift_range=[0.1, 0.25], zoom_range=(0.5, 2.0)),
    "lists_of_pixels": dict(height_shift_range=[0, 2, 5], width_shift_range=1.0),
}


def as_arrays(params):
    """``{key: array of N values}`` from a list of TransformParams."""
    return {key: np.array([getattr(p, key) for p in params], dtype=float) for key in KERAS_KEYS
            if getattr(params[0], key) is not None}


@functools.lru_cache(maxsize=None)
def drawn(config, compat):
    """:data:`N` samples of ``CONFIGS[config]`` under ``compat`` (each drawn once per session)."""
    gen = ImageDataGenerator(compat=compat, **CONFIGS[config])
    return as_arrays(gen.sample_params(SHAPE, N, seed=SEED))


modes = pytest.mark.parametrize("compat", MODES)


@modes
def test_rotation_is_uniform_in_plus_minus_rotation_range(compat):
    assert check_uniform(drawn("all", compat)["theta"], -30, 30, "theta") == []


@modes
def test_shear_is_uniform_in_plus_minus_shear_range(compat):
    assert check_uniform(drawn("all", compat)["shear"], -10, 10, "shear") == []


@modes
def test_float_shifts_are_uniform_fractions_of_the_size_or_pixels(compat):
    assert check_uniform(drawn("all", compat)["tx"], -0.2 * 40, 0.2 * 40, "tx (0.2 of 40 rows)") == []
    assert check_uniform(drawn("pixels_and_fractions", compat)["tx"], -2.5, 2.5, "tx (2.5 pixels)") == []
    assert check_uniform(drawn("lists_of_pixels", compat)["ty"], -1, 1, "ty (1.0 pixel)") == []


@modes
def test_int_shift_is_a_uniform_value_of_range_n_with_a_fair_independent_sign(compat):
    assert check_choice_with_sign(drawn("all", compat)["ty"], range(7), "ty (int 7)") == []


@modes
def test_list_shifts_are_a_uniform_choice_of_the_list_with_a_fair_independent_sign(compat):
    fractions = drawn("pixels_and_fractions", compat)["ty"]
    assert check_choice_with_sign(fractions, [0.1 * 50, 0.25 * 50], "ty ([0.1, 0.25] of 50 cols)") == []
    assert check_choice_with_sign(drawn("lists_of_pixels", compat)["tx"], [0, 2, 5], "tx ([0, 2, 5])") == []


@modes
@pytest.mark.parametrize("config, low, high", [("all", 0.8, 1.2), ("pixels_and_fractions", 0.5, 2.0)])
def test_zoom_factors_are_two_independent_uniforms(compat, config, low, high):
    samples = drawn(config, compat)
    assert check_uniform_pair(samples["zx"], samples["zy"], low, high) == []


@modes
def test_flips_happen_half_of_the_time_independently(compat):
    samples = drawn("all", compat)
    assert check_flips(samples["flip_horizontal"], samples["flip_vertical"]) == []


@modes
def test_channel_shift_is_uniform_in_plus_minus_channel_shift_range(compat):
    assert check_uniform(drawn("all", compat)["channel_shift_intensity"], -20, 20, "channel shift") == []


@modes
def test_brightness_is_uniform_in_brightness_range(compat):
    assert check_uniform(drawn("all", compat)["brightness"], 0.5, 1.5, "brightness") == []


@modes
def test_every_two_parameters_are_independent(compat):
    samples = drawn("all", compat)
    keys = [key for key in KERAS_KEYS[:10] if key in samples]  # Keras's ten keys
    assert len(keys) == 10
    problems = [problem for i, a in enumerate(keys) for b in keys[i + 1:]
                for problem in check_independent(samples[a], samples[b], (a, b))]
    assert problems == []
