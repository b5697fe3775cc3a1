"""The frequency checkers catch one-line bugs in the samplers (issue 15).

Each test plants one bug with ``monkeypatch`` - by bending the uniforms that
``augkit.params.sample_from_uniforms`` turns into parameters, by editing the
transforms it returns, or by wrapping Keras's legacy sampler or
``save_to_dir``'s writer - draws through the public
``ImageDataGenerator.sample_params`` or ``flow``, and asserts that the
checker used by the real test (``test_sampler_frequencies.py``,
``test_iterators.py``) reports it. Without the plant the same checker finds
nothing: that is the real test.

=====================================================  ===========================
planted bug                                            caught by
=====================================================  ===========================
int shift sign negative 10% of the time, not 50%       check_choice_with_sign
non-uniform choice from a list shift range             check_choice_with_sign
save_to_dir names keyed by batch position              check_saved_files
rotation drawn from [0, r] instead of [-r, r]          check_uniform
zy drawn equal to zx                                   check_uniform_pair
horizontal flip with probability 0.25                  check_flips
brightness_range ignored (brightness in [0, 1))        check_uniform
shear drawn from the rotation's uniform                check_independent
compat mode: int shift sign negative 10% of the time   check_choice_with_sign
=====================================================  ===========================
"""

import dataclasses

import re

import numpy as np
import pytest

import augkit.iterators
import augkit.params
import augkit.streams
from augkit import ImageDataGenerator
from augkit.params import SLOTS
from frequency_checks import (
    check_choice_with_sign,
    check_flips,
    check_independent,
    check_saved_files,
    check_uniform,
    check_uniform_pair,
)
from test_iterators import distinct_images, save_one_shuffled_epoch
from test_sampler_frequencies import CONFIGS, SEED, SHAPE, N, as_arrays


def slot(name):
    return SLOTS.index(name)


def plant_in_uniforms(monkeypatch, bend=None, edit=None):
    """Make the default sampler bend its uniforms (in place) and/or edit each transform."""
    real = augkit.params.sample_from_uniforms

    def planted(ranges, uniforms, shape):
        u = np.array(uniforms, dtype=float)
        if bend is not None:
            bend(u)
        params = real(ranges, u, shape)
        return params if edit is None else [edit(p, row) for p, row in zip(params, u)]

    monkeypatch.setattr(augkit.params, "sample_from_uniforms", planted)


def draw(config, compat=None):
    gen = ImageDataGenerator(compat=compat, **CONFIGS[config])
    return as_arrays(gen.sample_params(SHAPE, N, seed=SEED))


def test_a_10_90_sign_bias_of_int_shifts_is_caught(monkeypatch):
    def negative_one_time_in_ten(u):
        u[:, slot("ty_sign")] = np.where(u[:, slot("ty_sign")] < 0.1, 0.0, 0.9)

    plant_in_uniforms(monkeypatch, negative_one_time_in_ten)
    problems = check_choice_with_sign(draw("all")["ty"], range(7), "ty")
    assert any("sign of ty" in problem for problem in problems), problems


def test_a_non_uniform_choice_from_a_list_is_caught(monkeypatch):
    def favour_the_first_value(u):
        u[:, slot("ty")] **= 2

    plant_in_uniforms(monkeypatch, favour_the_first_value)
    problems = check_choice_with_sign(draw("pixels_and_fractions")["ty"], [5.0, 12.5], "ty")
    assert any("not a uniform choice" in problem for problem in problems), problems


def test_rotation_drawn_from_zero_to_r_is_caught(monkeypatch):
    def only_positive(u):
        u[:, slot("theta")] = 0.5 + u[:, slot("theta")] / 2

    plant_in_uniforms(monkeypatch, only_positive)
    problems = check_uniform(draw("all")["theta"], -30, 30, "theta")
    assert any("not uniform" in problem for problem in problems), problems


def test_zx_equal_to_zy_is_caught(monkeypatch):
    def same_zoom(u):
        u[:, slot("zy")] = u[:, slot("zx")]

    plant_in_uniforms(monkeypatch, same_zoom)
    samples = draw("all")
    problems = check_uniform_pair(samples["zx"], samples["zy"], 0.8, 1.2)
    assert problems == [problems[0]] and "zx and zy are not independent" in problems[0], problems


def test_a_flip_probability_of_a_quarter_is_caught(monkeypatch):
    def flip_less_often(u):
        u[:, slot("flip_horizontal")] *= 2

    plant_in_uniforms(monkeypatch, flip_less_often)
    samples = draw("all")
    problems = check_flips(samples["flip_horizontal"], samples["flip_vertical"])
    assert len(problems) == 1 and re.search(r"flip_horizontal is True 0\.2\d", problems[0]), problems


def test_an_ignored_brightness_range_is_caught(monkeypatch):
    def brightness_in_unit_interval(params, u):
        return dataclasses.replace(params, brightness=u[slot("brightness")])

    plant_in_uniforms(monkeypatch, edit=brightness_in_unit_interval)
    problems = check_uniform(draw("all")["brightness"], 0.5, 1.5, "brightness")
    assert any("outside [0.5, 1.5]" in problem for problem in problems), problems


def test_two_parameters_sharing_one_uniform_are_caught(monkeypatch):
    def shear_from_the_rotation_slot(u):
        u[:, slot("shear")] = u[:, slot("theta")]

    plant_in_uniforms(monkeypatch, shear_from_the_rotation_slot)
    samples = draw("all")
    assert check_uniform(samples["shear"], -10, 10, "shear") == []  # each alone still looks right
    assert check_independent(samples["theta"], samples["shear"], ("theta", "shear")) != []


def test_a_sign_bias_in_the_compat_sampler_is_caught(monkeypatch):
    real = augkit.streams.sample_legacy

    def planted(ranges, state, shape):
        params = real(ranges, state, shape)
        if params.ty < 0 and state.random() < 0.8:  # 4 of 5 negative shifts turn positive
            params = dataclasses.replace(params, ty=-params.ty)
        return params

    monkeypatch.setattr(augkit.streams, "sample_legacy", planted)
    problems = check_choice_with_sign(draw("all", "keras_preprocessing")["ty"], range(7), "ty")
    assert any("sign of ty" in problem for problem in problems), problems


# --- save_to_dir names keyed by batch position ------------------------------------------

@pytest.mark.parametrize("compat", [None, "keras_preprocessing"])
def test_save_to_dir_names_keyed_by_batch_position_are_caught(tmp_path, monkeypatch, compat):
    real = augkit.iterators.BatchIterator._save

    def by_position(self, batch_x, index_array, epoch):
        return real(self, batch_x, np.arange(len(index_array)), epoch)

    monkeypatch.setattr(augkit.iterators.BatchIterator, "_save", by_position)
    x = distinct_images()
    save_one_shuffled_epoch(tmp_path, x, compat)
    problems = check_saved_files(tmp_path, x, "s", "png", epoch_indices=range(len(x)))
    assert any("does not hold x[" in problem for problem in problems), problems
    assert any("an epoch saved indices" in problem for problem in problems), problems
