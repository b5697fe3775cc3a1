"""Options assigned after construction reach the augmenter and the normalizer (issue 15).

Keras users set attributes after construction (``gen.rotation_range = 10``);
Keras's generator reads them for every sample. augkit's facade holds its
options in its augmenter and normalizer: an assignment is checked as the
constructor checks it and must change what the generator (and its
iterators) do exactly as constructing with that value would.
"""

import numpy as np
import pytest
from references import reference_generator

from augkit import ImageDataGenerator

IMAGE = np.arange(8 * 10 * 3, dtype=np.float32).reshape(8, 10, 3)
BATCH = np.stack([IMAGE + k for k in range(4)])


def same_transform(gen, made, image=IMAGE, seed=3):
    np.testing.assert_array_equal(gen.random_transform(image, seed=seed), made.random_transform(image, seed=seed))


@pytest.mark.parametrize("name, value", [
    ("rotation_range", 10), ("width_shift_range", 0.3), ("height_shift_range", 2), ("shear_range", 15),
    ("zoom_range", 0.25), ("channel_shift_range", 20.0), ("brightness_range", (0.5, 1.5)),
    ("horizontal_flip", True), ("vertical_flip", True),
])
def test_an_assigned_range_acts_as_if_given_to_the_constructor(name, value):
    gen = ImageDataGenerator()
    setattr(gen, name, value)
    made = ImageDataGenerator(**{name: value})
    assert getattr(gen, name) == getattr(made, name)
    assert gen.augmenter.ranges == made.ranges and gen.ranges is gen.augmenter.ranges
    assert gen.sample_params((8, 10, 3), 5, seed=1) == made.sample_params((8, 10, 3), 5, seed=1)
    same_transform(gen, made)


def test_an_iterator_made_before_uses_an_assigned_range_from_its_next_batch():
    gen = ImageDataGenerator(rotation_range=5)
    it = gen.flow(BATCH, batch_size=2, shuffle=False, seed=0)
    first = next(it)
    gen.rotation_range = 60
    expected = ImageDataGenerator(rotation_range=60).flow(BATCH, batch_size=2, shuffle=False, seed=0)
    np.testing.assert_array_equal(first, ImageDataGenerator(rotation_range=5).flow(
        BATCH, batch_size=2, shuffle=False, seed=0)[0])
    np.testing.assert_array_equal(next(it), expected[1])


@pytest.mark.parametrize("name, value, error, words", [
    ("rotation_range", -5, ValueError, "rotation_range.*-5"),
    ("zoom_range", "big", TypeError, "zoom_range='big' must be a float"),
    ("fill_mode", "mirror", ValueError, "fill_mode='mirror'"),
    ("interpolation_order", 1.0, TypeError, r"interpolation_order=1\.0"),
    ("cval", float("nan"), ValueError, "cval=nan"),
    ("dtype", "int32", ValueError, "dtype='int32'"),
    ("data_format", "channels_middle", ValueError, "data_format='channels_middle'"),
    ("compat", "keras2", ValueError, "compat='keras2'"),
])
def test_a_wrong_assignment_is_refused_and_changes_nothing(name, value, error, words):
    gen = ImageDataGenerator(rotation_range=20)
    before = (repr(gen), gen.ranges, gen.augmenter, gen.normalizer)
    with pytest.raises(error, match=words):
        setattr(gen, name, value)
    assert (repr(gen), gen.ranges, gen.augmenter, gen.normalizer) == before


def test_assigned_warp_options_reach_the_augmenter():
    gen = ImageDataGenerator(rotation_range=40)
    gen.fill_mode, gen.cval, gen.interpolation_order = "constant", 5, 0
    assert (gen.augmenter.fill_mode, gen.augmenter.cval, gen.augmenter.interpolation_order) == ("constant", 5.0, 0)
    same_transform(gen, ImageDataGenerator(rotation_range=40, fill_mode="constant", cval=5, interpolation_order=0))


def test_an_assigned_dtype_reaches_the_augmenter_the_normalizer_and_new_iterators():
    gen = ImageDataGenerator(rotation_range=30, featurewise_center=True)
    gen.fit(BATCH)
    old_iterator = gen.flow(BATCH, batch_size=2, seed=0)
    gen.dtype = "float64"
    made = ImageDataGenerator(rotation_range=30, featurewise_center=True, dtype="float64")
    made.fit(BATCH)
    assert gen.dtype == gen.augmenter.dtype == gen.normalizer.dtype == np.float64
    assert gen.random_transform(IMAGE, seed=2).dtype == np.float64
    same_transform(gen, made)
    np.testing.assert_array_equal(gen.mean, made.mean.astype(np.float32))  # fitted statistics are kept
    batch = next(gen.flow(BATCH, batch_size=2, seed=0))
    assert batch.dtype == np.float64
    np.testing.assert_allclose(batch, next(made.flow(BATCH, batch_size=2, seed=0)), rtol=1e-6)
    assert next(old_iterator).dtype == np.float32  # made before: keeps its dtype, as Keras's iterators do


def test_an_assigned_data_format_reaches_the_augmenter_and_the_normalizer():
    gen = ImageDataGenerator(rotation_range=30, samplewise_center=True)
    gen.data_format = "channels_first"
    made = ImageDataGenerator(rotation_range=30, samplewise_center=True, data_format="channels_first")
    assert (gen.channel_axis, gen.row_axis, gen.col_axis) == (1, 2, 3)
    assert gen.augmenter.data_format == gen.normalizer.data_format == "channels_first"
    image = np.moveaxis(IMAGE, -1, 0)
    same_transform(gen, made, image)
    np.testing.assert_array_equal(next(gen.flow(np.moveaxis(BATCH, -1, 1), batch_size=2, seed=0)),
                                  next(made.flow(np.moveaxis(BATCH, -1, 1), batch_size=2, seed=0)))


@pytest.mark.parametrize("flavour", ["keras_preprocessing", "tf_keras"])
def test_an_assigned_compat_gives_that_behaviour(flavour):
    gen = ImageDataGenerator(rotation_range=30, width_shift_range=0.2, brightness_range=(0.5, 1.5))
    gen.compat = flavour
    made = ImageDataGenerator(rotation_range=30, width_shift_range=0.2, brightness_range=(0.5, 1.5),
                              compat=flavour)
    assert gen.convention is made.convention and repr(gen) == repr(made)
    assert gen.normalizer.keras_statistics == flavour
    assert gen.sample_params((8, 10, 3), 4, seed=5) == made.sample_params((8, 10, 3), 4, seed=5)
    same_transform(gen, made)
    gen.convention = ImageDataGenerator().convention  # a Convention works too
    assert gen.compat is None and repr(gen) == repr(ImageDataGenerator(
        rotation_range=30, width_shift_range=0.2, brightness_range=(0.5, 1.5)))


@pytest.mark.parity
@pytest.mark.parametrize("flavour", ["keras_preprocessing", "tf_keras"])
def test_ranges_assigned_as_keras_users_do_give_keras_samples(flavour):
    keras = reference_generator(flavour)()
    ours = ImageDataGenerator(compat=flavour)
    for gen in (keras, ours):
        gen.rotation_range, gen.shear_range, gen.horizontal_flip = 40, 10, True
    for seed in range(3):
        theirs = keras.get_random_transform(IMAGE.shape, seed=seed)
        mine = ours.get_random_transform(IMAGE.shape, seed=seed)
        assert {key: mine[key] for key in ("theta", "shear", "flip_horizontal")} == pytest.approx(
            {key: float(theirs[key]) for key in ("theta", "shear", "flip_horizontal")})
        np.testing.assert_allclose(ours.random_transform(IMAGE, seed=seed),
                                   keras.random_transform(IMAGE.copy(), seed=seed), atol=1e-4)
