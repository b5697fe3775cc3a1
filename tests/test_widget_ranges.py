"""Range controls (issue 18): each has its own "off" pair, and the control, its code and its label agree.

A two-handled slider at (1, 1) used to be read as "off" for every range
argument: right for a factor (brightness, contrast, saturation, sharpness:
1 changes nothing), wrong for a blur's sigma of 1 pixel, a noise of 100 %
of the range or 1 bit of posterization, which changed the picture's meaning
but were dropped from the exported code.
"""

import numpy as np
import pytest

from augkit import ImageDataGenerator, datasets, widgets
from augkit.controls import control_tooltip, controls_to_kwargs, off_range

RANGES = [name for name, spec in widgets.CONTROLS.items() if spec.kind == "range"]
#: Range arguments whose (1, 1) is a real setting, not their neutral value.
ONE_IS_ON = {"blur_sigma_range": (0.0, 0.0), "noise_std_range": (0.0, 0.0), "posterization_bits": (8, 8)}


def small_cat():
    return datasets.sample_image("chelsea")[::5, ::5]  # 60x91


def test_every_range_control_has_an_off_pair_that_changes_nothing():
    assert set(ONE_IS_ON) < set(RANGES) and "brightness_range" in RANGES and "contrast_range" in RANGES
    image = small_cat().astype(np.float32)
    for name in RANGES:
        off = off_range(name)
        assert off == ONE_IS_ON.get(name, (1.0, 1.0)), name
        assert controls_to_kwargs({name: off}) == {}, name
        if name == "solarization_range":  # a threshold of 1 would still invert pure white: off is (1, 1) anyway
            continue
        gen = ImageDataGenerator(**{name: off})
        params = gen.sample_params(image.shape, 1, seed=0)[0]
        np.testing.assert_allclose(gen.apply_transform(image, params), image, atol=1e-3, err_msg=name)


@pytest.mark.parametrize("name", sorted(ONE_IS_ON))
def test_one_one_is_exported_where_it_is_a_setting(name):
    assert controls_to_kwargs({name: (1.0, 1.0)}) == {name: (1.0, 1.0)}
    assert controls_to_kwargs({name: (1, 1)}) == {name: (1, 1)}


@pytest.mark.parametrize("name", RANGES)
def test_the_slider_its_picture_its_code_and_its_label_agree_at_one_one(name):
    off = off_range(name)
    pg = widgets.playground(small_cat(), n=1)
    assert tuple(pg.controls[name].value) == off  # a None argument starts the slider at its off pair
    assert name not in pg.generator_kwargs() and f"{name}=" not in pg.code.value
    assert f"both at {off[0]:g} means off" in control_tooltip(name)
    at_one = pg.copy(**{name: (1, 1)})
    assert tuple(at_one.controls[name].value) == (1, 1)
    if name in ONE_IS_ON:
        assert at_one.generator_kwargs() == {name: (1, 1)}
        assert f"{name}=(1, 1)" in at_one.code.value or f"{name}=(1.0, 1.0)" in at_one.code.value
        assert at_one.image.value != pg.image.value  # the picture changes, and the code says so
        assert ImageDataGenerator(**at_one.generator_kwargs()).ranges != ImageDataGenerator().ranges
    else:
        assert at_one.generator_kwargs() == {} and at_one.code.value == pg.code.value
        if name != "solarization_range":
            assert at_one.image.value == pg.image.value  # off: the same picture, no argument
    explorer = widgets.explore(small_cat(), name, (1, 1), n=1)
    assert explorer.generator_kwargs() == at_one.generator_kwargs()


def test_the_keras3_code_of_a_blur_at_sigma_one_has_the_blur():
    from helpers import require

    require("keras", "the Keras 3 code is written by augkit.keras3")
    pg = widgets.playground(small_cat(), n=1)
    at_one = pg.copy(blur_sigma_range=(1, 1))
    assert "GaussianBlur" in at_one.keras3_code() and "GaussianBlur" not in pg.keras3_code()
