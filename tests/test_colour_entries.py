"""The colour and tone entries (augkit.spec_colour) inside the generator: keyed draws, options, refusals.

* Keyed streams: with the default mode's draws keyed by parameter, the
  colour entries change no draw of Keras's arguments (the numbers below were
  printed by main before these entries existed, 323a0c7), and their own
  draws do not depend on which other entries are on.
* Options: ``value_range`` and every colour argument can be assigned after
  construction, checked as the constructor checks them, and reach the
  augmenter; the compat modes refuse an entry that is on, by name, at
  construction and on assignment (of the entry or of ``compat``), leaving
  the generator unchanged.
"""

import dataclasses

import numpy as np
import pytest

from augkit import ImageDataGenerator
from augkit.spec import AUGMENTATIONS
from augkit.spec_colour import COLOUR_AUGMENTATIONS

SHAPE = (12, 17)
KERAS_ENTRIES = [entry for entry in AUGMENTATIONS if entry.in_compat]
EVERYTHING = {entry.argument: entry.control.start for entry in AUGMENTATIONS  # crop_size sets the output's size:
              if entry.argument != "random_resized_crop"}  # the two are refused together
KERAS_ONLY = {entry.argument: entry.control.start for entry in KERAS_ENTRIES}
COLOUR_ONLY = {entry.argument: entry.control.start for entry in COLOUR_AUGMENTATIONS}
KERAS_KEYS = [key.name for entry in KERAS_ENTRIES for key in entry.keys]
COLOUR_KEYS = [key.name for entry in COLOUR_AUGMENTATIONS for key in entry.keys]

# Printed by main at 323a0c7 (before the colour entries) for KERAS_ONLY: sample_params(SHAPE, 2, seed=3).
BEFORE = [
    {"theta": 7.660507394552724, "tx": 1.546780140937292, "ty": -0.3486089058040198, "shear": 8.408186245537578,
     "zx": 0.9144263786782741, "zy": 0.8832444319362003, "flip_horizontal": True, "flip_vertical": True,
     "channel_shift_intensity": 0.11905140090786998, "brightness": 0.8328187739414941},
    {"theta": 19.35447608180943, "tx": -0.6415226308737388, "ty": -2.111897246971049, "shear": 8.143306175666165,
     "zx": 1.161423601234113, "zy": 1.089858622570656, "flip_horizontal": True, "flip_vertical": True,
     "channel_shift_intensity": 0.14969579361183888, "brightness": 0.6772821345642651},
]
BEFORE_STREAM_THETA = [8.502657047856367, -16.86897264021755]  # stream(5).params([0, 4], epoch 1, n=6)


def fields(params, keys):
    return [{key: getattr(p, key) for key in keys} for p in params]


@pytest.mark.parametrize("colour", [False, True], ids=["colour off", "colour on"])
def test_keras_arguments_draw_what_they_drew_before_the_colour_entries(colour):
    gen = ImageDataGenerator(**(EVERYTHING if colour else KERAS_ONLY))
    assert fields(gen.sample_params(SHAPE, 2, seed=3), KERAS_KEYS) == BEFORE
    stream_params = gen.stream(5).params([0, 4], 1, 6, gen.ranges, SHAPE)
    assert [p.theta for p in stream_params] == BEFORE_STREAM_THETA
    if colour:  # and the colour parameters were drawn, not left neutral
        assert all(p.contrast is not None and p.hue is not None for p in stream_params)


def test_colour_draws_do_not_depend_on_the_other_entries():
    alone, together = ImageDataGenerator(**COLOUR_ONLY), ImageDataGenerator(**EVERYTHING)
    for draw in (lambda gen: gen.sample_params(SHAPE, 6, seed=11),
                 lambda gen: gen.stream(2).params([5, 1, 3], 4, 9, gen.ranges, SHAPE),
                 lambda gen: [gen.flow(np.zeros((4,) + SHAPE + (3,)), seed=8).transform_params(i, 1) for i in range(4)]):
        assert fields(draw(alone), COLOUR_KEYS) == fields(draw(together), COLOUR_KEYS)


def test_each_colour_entry_draws_from_its_own_key():
    """Switching one colour entry on or off leaves every other colour entry's draws as they were."""
    reference = fields(ImageDataGenerator(**COLOUR_ONLY).sample_params(SHAPE, 5, seed=1), COLOUR_KEYS)
    for entry in COLOUR_AUGMENTATIONS:
        without = {**COLOUR_ONLY, entry.argument: entry.default}
        drawn = fields(ImageDataGenerator(**without).sample_params(SHAPE, 5, seed=1), COLOUR_KEYS)
        others = [key for key in COLOUR_KEYS if key not in {k.name for k in entry.keys}]
        assert [{k: d[k] for k in others} for d in drawn] == [{k: r[k] for k in others} for r in reference]


def test_keras_dict_has_keras_keys_unless_a_colour_entry_is_on():
    assert list(ImageDataGenerator(**KERAS_ONLY).get_random_transform((8, 8, 3), seed=0)) == KERAS_KEYS
    drawn = ImageDataGenerator(hue_range=20).get_random_transform((8, 8, 3), seed=0)
    assert list(drawn) == KERAS_KEYS + ["hue"] and -20 <= drawn["hue"] <= 20


@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
def test_compat_modes_refuse_colour_entries_by_name_everywhere(compat):
    with pytest.raises(ValueError, match="^contrast_range is not an argument of Keras's ImageDataGenerator"):
        ImageDataGenerator(compat=compat, contrast_range=(0.8, 1.2))
    gen = ImageDataGenerator(compat=compat, rotation_range=10)
    with pytest.raises(ValueError, match="^hue_range is not an argument of Keras's ImageDataGenerator.*compat=None"):
        gen.hue_range = 30
    assert gen.hue_range == 0.0  # unchanged
    gen.hue_range = 0  # off is fine
    colourful = ImageDataGenerator(saturation_range=(0.5, 1.5))
    augmenter = colourful.augmenter
    with pytest.raises(ValueError, match="^saturation_range is not an argument"):
        colourful.compat = compat
    assert colourful.compat is None and colourful.augmenter is augmenter  # nothing half-changed


def test_value_range_is_checked_assignable_and_reaches_the_augmenter():
    gen = ImageDataGenerator(contrast_range=(0.5, 0.5))
    assert gen.value_range == (0.0, 255.0)
    image = np.full((4, 4, 3), 0.25, np.float32)
    image[0, 0] = 0.75
    with pytest.raises(ValueError, match=r"outside value_range=\(0.0, 1.0\)"):
        ImageDataGenerator(contrast_range=(0.5, 0.5), value_range=(0, 1)).random_transform(image * 255, seed=0)
    gen.value_range = [0, 1]
    assert gen.value_range == (0.0, 1.0) and gen.augmenter.value_range == (0.0, 1.0)
    assert "value_range=(0.0, 1.0)" in repr(gen)
    out = gen.random_transform(image, seed=0)
    mean = image.mean(axis=(0, 1))
    np.testing.assert_allclose(out, mean + 0.5 * (image - mean), atol=1e-6)
    for bad in [(1, 0), "0-255", (0, np.inf)]:
        with pytest.raises(ValueError, match="^value_range="):
            gen.value_range = bad
    assert gen.value_range == (0.0, 1.0)
    gen.dtype = "float64"  # a new augmenter keeps value_range
    assert gen.augmenter.value_range == (0.0, 1.0)


def test_colour_arguments_assigned_after_construction_reach_the_augmenter():
    gen = ImageDataGenerator()
    for entry in COLOUR_AUGMENTATIONS:
        setattr(gen, entry.argument, entry.control.start)
    assert dataclasses.replace(gen.ranges) == ImageDataGenerator(**COLOUR_ONLY).ranges
    assert gen.sample_params(SHAPE, 3, seed=4) == ImageDataGenerator(**COLOUR_ONLY).sample_params(SHAPE, 3, seed=4)
    with pytest.raises(ValueError, match=r"^posterization_bits=\(0, 4\) must be"):
        gen.posterization_bits = (0, 4)
    with pytest.raises(ValueError, match="^grayscale_probability must be a probability"):
        gen.grayscale_probability = 1.5


def test_posterization_bits_take_whole_floats_as_a_slider_and_the_cli_give_them():
    assert ImageDataGenerator(posterization_bits=(2.0, 4.0)).posterization_bits == (2, 4)
    for bad, error in [((2.5, 4), ValueError), ((True, 4), TypeError), ((2, float("nan")), ValueError)]:
        with pytest.raises(error, match=r"^posterization_bits=.* must be None or a pair of integers"):
            ImageDataGenerator(posterization_bits=bad)


@pytest.mark.parametrize("entry", COLOUR_AUGMENTATIONS, ids=lambda entry: entry.argument)
def test_every_colour_control_draws_a_grid(entry):
    from augkit.datasets import sample_image
    from augkit.widgets import explore

    explorer = explore(sample_image("chelsea")[::6, ::6].astype(np.float32), entry.argument)
    assert explorer.status.value.startswith("seed 0"), explorer.status.value


def test_uint8_batches_with_opencv_refuse_the_colour_entries_by_name():
    pytest.importorskip("cv2")
    with pytest.raises(ValueError, match="hue_range"):
        ImageDataGenerator(backend="opencv", dtype="uint8", hue_range=20)
    gen = ImageDataGenerator(backend="opencv", hue_range=20)  # float images: the colour kernels run after its warp
    out = gen.apply_transform(np.full((6, 6, 3), (200.0, 100.0, 0.0), np.float32), {"hue": 120.0})
    np.testing.assert_allclose(out[0, 0], (0.0, 200.0, 100.0), atol=1e-3)
