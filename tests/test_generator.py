"""The ImageDataGenerator facade: argument checking, sampling, applying."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from augkit import ImageDataGenerator, TransformParams
from augkit.params import KERAS_KEYS, ParamRanges, sample

STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                zoom_range=0.2, horizontal_flip=True)


def photo(rows=12, cols=17, channels=3, dtype=np.float32):
    return (np.random.default_rng(0).random((rows, cols, channels)) * 255).astype(dtype)


def draws(gen, key, n=4000, shape=(40, 60, 3)):
    params = sample(gen.ranges, shape[:2], n=n, rng=np.random.default_rng(0))
    return np.array([getattr(p, key) for p in params], dtype=float)


# --- what each parameter draws ------------------------------------------------

def test_rotation_range_is_symmetric_degrees():
    theta = draws(ImageDataGenerator(rotation_range=90), "theta")
    assert -90 <= theta.min() < -85 and 85 < theta.max() <= 90
    assert (theta < 0).mean() == pytest.approx(0.5, abs=0.03)


def test_float_shift_is_a_fraction_of_the_size():
    gen = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.25)
    ty, tx = draws(gen, "ty"), draws(gen, "tx")
    assert np.abs(ty).max() <= 6 and np.abs(ty).max() > 5.9  # 0.1 of 60 columns
    assert np.abs(tx).max() <= 10 and np.abs(tx).max() > 9.9  # 0.25 of 40 rows


def test_float_shift_of_one_or_more_is_pixels():
    assert np.abs(draws(ImageDataGenerator(width_shift_range=3.0), "ty")).max() <= 3


def test_int_shift_is_an_integer_from_range_with_a_sign():
    values = set(draws(ImageDataGenerator(width_shift_range=3), "ty"))
    assert values == {-2.0, -1.0, 0.0, 1.0, 2.0}


def test_list_shift_is_a_choice_with_a_sign():
    assert set(draws(ImageDataGenerator(height_shift_range=[5]), "tx")) == {-5.0, 5.0}
    assert set(draws(ImageDataGenerator(height_shift_range=[0.5]), "tx")) == {-20.0, 20.0}  # fraction of 40 rows


def test_zoom_float_gives_independent_factors_around_one():
    gen = ImageDataGenerator(zoom_range=0.3)
    zx, zy = draws(gen, "zx"), draws(gen, "zy")
    assert 0.7 <= zx.min() < 0.71 and 1.29 < zx.max() <= 1.3
    assert abs(np.corrcoef(zx, zy)[0, 1]) < 0.05
    assert gen.zoom_range == [0.7, 1.3]


def test_flips_happen_half_of_the_time():
    flips = draws(ImageDataGenerator(horizontal_flip=True), "flip_horizontal")
    assert flips.mean() == pytest.approx(0.5, abs=0.03)
    assert draws(ImageDataGenerator(), "flip_horizontal").sum() == 0


def test_disabled_options_are_neutral_and_none():
    params = ImageDataGenerator().get_random_transform((5, 6, 3), seed=0)
    assert params == dict(theta=0.0, tx=0.0, ty=0.0, shear=0.0, zx=1.0, zy=1.0, flip_horizontal=False,
                          flip_vertical=False, channel_shift_intensity=None, brightness=None)


def test_enabling_one_option_does_not_change_another_draw():
    plain = ImageDataGenerator(rotation_range=30)
    more = ImageDataGenerator(rotation_range=30, brightness_range=(0.5, 1.5), channel_shift_range=10,
                              width_shift_range=0.1, vertical_flip=True)
    for seed in range(5):
        assert plain.random_params((8, 8, 3), seed=seed).theta == more.random_params((8, 8, 3), seed=seed).theta


def test_seeds_reproduce_and_generators_are_accepted():
    gen = ImageDataGenerator(**STANDARD)
    assert gen.get_random_transform((9, 9, 3), seed=4) == gen.get_random_transform((9, 9, 3), seed=4)
    a = gen.random_params((9, 9, 3), seed=np.random.default_rng(4))
    assert a == gen.random_params((9, 9, 3), seed=4)
    image = photo()
    np.testing.assert_array_equal(gen.random_transform(image, seed=3), gen.random_transform(image, seed=3))


def test_unseeded_draws_differ():
    gen = ImageDataGenerator(rotation_range=40)
    assert len({gen.random_params((5, 5, 3)).theta for _ in range(5)}) == 5


# --- sampling many -------------------------------------------------------------

SAMPLED = dict(rotation_range=40, width_shift_range=0.2, zoom_range=0.2, horizontal_flip=True)


@pytest.mark.parametrize("compat", [None, "keras_preprocessing", "tf_keras"])
def test_sample_params_is_reproducible_in_every_convention(compat):
    gen = ImageDataGenerator(**SAMPLED, compat=compat)
    first = gen.sample_params((30, 40, 3), 5, seed=3)
    assert first == gen.sample_params((30, 40), 5, seed=3)
    assert len(set(first)) == 5
    assert first != gen.sample_params((30, 40, 3), 5, seed=4)


def test_sample_params_matches_the_generator_own_draws():
    gen = ImageDataGenerator(**SAMPLED)
    # the default mode: one counter seed per call, samples 0 .. n-1 of its epoch 0 (the first m of n are m)
    drawn = gen.sample_params((30, 40, 3), 3, seed=7)
    assert drawn == sample(gen.ranges, (30, 40), n=3, rng=7)
    assert drawn[:1] == [gen.random_params((30, 40, 3), seed=7)] == gen.sample_params((30, 40), 1, seed=7)
    it = gen.flow(np.zeros((3, 30, 40, 3), np.float32), seed=int(np.random.default_rng(7).integers(2**63)))
    assert drawn == [it.transform_params(index) for index in range(3)]  # what flow does to samples 0, 1, 2
    legacy = ImageDataGenerator(**SAMPLED, compat="keras_preprocessing")
    expected = [legacy.random_params((30, 40, 3), seed=7)] + [legacy.random_params((30, 40, 3))]
    assert legacy.sample_params((30, 40, 3), 2, seed=7) == expected


def test_sample_params_reads_the_shape_in_the_data_format():
    last = ImageDataGenerator(**SAMPLED)
    first = ImageDataGenerator(**SAMPLED, data_format="channels_first")
    assert first.sample_params((3, 30, 40), 3, seed=1) == last.sample_params((30, 40, 3), 3, seed=1)
    assert first.sample_params((30, 40), 3, seed=1) == last.sample_params((30, 40), 3, seed=1)


def test_sample_params_rejects_bad_counts_shapes_and_seeds():
    with pytest.raises(ValueError, match="n=0"):
        ImageDataGenerator().sample_params((4, 4), 0)
    with pytest.raises(ValueError, match="img_shape"):
        ImageDataGenerator().sample_params((2, 4, 4, 3), 1)
    with pytest.raises(TypeError, match="seed"):
        ImageDataGenerator().sample_params((4, 4), 1, seed="zero")


# --- applying -----------------------------------------------------------------

def test_uint8_input_returns_the_generator_dtype_and_values():
    image = photo(dtype=np.uint8)
    out = ImageDataGenerator(dtype="float32").apply_transform(image, {})
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, image.astype(np.float32))
    assert ImageDataGenerator(dtype="float64").random_transform(image).dtype == np.float64


@given(seed=st.integers(0, 2**32 - 1), compat=st.sampled_from([None, "keras_preprocessing", "tf_keras"]),
       fill_mode=st.sampled_from(["constant", "nearest", "reflect", "wrap"]))
def test_input_never_modified_shape_kept(seed, compat, fill_mode):
    image = photo()
    before = image.copy()
    gen = ImageDataGenerator(**STANDARD, channel_shift_range=20, brightness_range=(0.5, 1.5),
                             fill_mode=fill_mode, compat=compat)
    out = gen.random_transform(image, seed=seed)
    np.testing.assert_array_equal(image, before)
    assert out.shape == image.shape and out.dtype == np.float32


def test_apply_transform_accepts_params_objects_and_partial_dicts():
    gen = ImageDataGenerator()
    image = photo()
    np.testing.assert_array_equal(gen.apply_transform(image, TransformParams(flip_vertical=True)), image[::-1])
    np.testing.assert_array_equal(gen.apply_transform(image, {"flip_horizontal": 1}), image[:, ::-1])


def test_channels_first_matches_channels_last():
    image = photo()
    last = ImageDataGenerator().apply_transform(image, {"theta": 20, "ty": 2})
    first = ImageDataGenerator(data_format="channels_first").apply_transform(
        np.moveaxis(image, -1, 0), {"theta": 20, "ty": 2})
    np.testing.assert_allclose(np.moveaxis(first, 0, -1), last, atol=1e-4)


def test_one_channel_and_four_channel_images():
    gen = ImageDataGenerator(**STANDARD, brightness_range=(0.5, 1.5))
    for channels in (1, 4):
        assert gen.random_transform(photo(channels=channels), seed=1).shape == (12, 17, channels)


# --- the value object -------------------------------------------------------

def test_params_round_trip_through_the_keras_dict():
    params = ImageDataGenerator(**STANDARD, brightness_range=(0.8, 1.2)).random_params((9, 9, 3), seed=0)
    as_dict = params.to_dict()
    assert tuple(as_dict) == KERAS_KEYS[:10]  # Keras's dict; the keys beyond Keras's only when used
    assert TransformParams.from_dict(as_dict) == params


def test_params_print_readably():
    text = str(TransformParams(theta=-12.34, tx=2, zx=1.08, zy=0.9, flip_horizontal=True))
    assert text == "θ=-12.3°, tx=+2.0px, zx=1.08, zy=0.90, h-flip"
    assert str(TransformParams()) == "identity"


# --- bad input ----------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, words", [
    (dict(rotation_range=-5), ValueError, ["rotation_range", "-5", ">= 0"]),
    (dict(rotation_range="40"), TypeError, ["rotation_range", "'40'"]),
    (dict(rotation_range=float("nan")), ValueError, ["rotation_range", "finite"]),
    (dict(shear_range=float("inf")), ValueError, ["shear_range", "finite"]),
    (dict(width_shift_range=-0.1), ValueError, ["width_shift_range", "-0.1"]),
    (dict(height_shift_range=[[1, 2]]), TypeError, ["height_shift_range", "[1, 2]", "list of numbers"]),
    (dict(width_shift_range=[]), ValueError, ["width_shift_range"]),
    (dict(width_shift_range=True), TypeError, ["width_shift_range", "True"]),
    (dict(zoom_range=1.5), ValueError, ["zoom_range", "1.5", "non-positive"]),
    (dict(zoom_range=(0, 1.2)), ValueError, ["zoom_range", "positive"]),
    (dict(zoom_range=(0.5, 1, 2)), ValueError, ["zoom_range", "pair"]),
    (dict(brightness_range=0.5), TypeError, ["brightness_range", "0.5", "pair"]),
    (dict(brightness_range=(0.5, float("nan"))), ValueError, ["brightness_range", "finite"]),
    (dict(channel_shift_range=-1), ValueError, ["channel_shift_range"]),
    (dict(fill_mode="mirror"), ValueError, ["fill_mode", "'mirror'", "'nearest'"]),
    (dict(data_format="NHWC"), ValueError, ["data_format", "'NHWC'", "'channels_last'"]),
    (dict(compat="keras2"), ValueError, ["compat", "'keras2'", "'tf_keras'"]),
    (dict(interpolation_order=6), ValueError, ["interpolation_order", "6", "0"]),
    (dict(interpolation_order=1.5), TypeError, ["interpolation_order", "1.5"]),
    (dict(cval=float("nan")), ValueError, ["cval", "nan"]),
    (dict(dtype="int32"), ValueError, ["dtype", "int32", "floating"]),
    (dict(validation_split=1.0), ValueError, ["validation_split", "1.0"]),
    (dict(horizontal_flip="yes"), TypeError, ["horizontal_flip", "'yes'"]),
])
def test_bad_arguments_name_the_argument_value_and_what_is_accepted(kwargs, error, words):
    with pytest.raises(error) as info:
        ImageDataGenerator(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_bad_images_and_shapes():
    gen = ImageDataGenerator(rotation_range=10)
    with pytest.raises(ValueError, match=r"x must be one image of rank 3.*\(2, 5, 5, 3\)"):
        gen.random_transform(np.zeros((2, 5, 5, 3)))
    with pytest.raises(ValueError, match="img_shape"):
        gen.get_random_transform((5, 5))
    with pytest.raises(TypeError, match="dtype"):
        gen.random_transform(np.array([[["a"]]]))
    with pytest.raises(ValueError, match=r"\(3, 20, 30\).*looks like a channels_first image"):
        gen.random_transform(np.zeros((3, 20, 30)))
    with pytest.raises(ValueError, match=r"looks like a channels_last image"):
        ImageDataGenerator(data_format="channels_first").apply_transform(np.zeros((20, 30, 3)), {})
    with pytest.raises(ValueError, match="unknown keys.*'angle'"):
        gen.apply_transform(photo(), {"angle": 3})
    with pytest.raises(TypeError, match="seed"):
        gen.random_params((5, 5, 3), seed="zero")
    with pytest.raises(TypeError, match="seed.*int"):
        ImageDataGenerator(compat="tf_keras").random_params((5, 5, 3), seed=np.random.default_rng(0))


def test_param_ranges_reject_uniforms_of_the_wrong_shape():
    from augkit.params import sample_from_uniforms
    with pytest.raises(ValueError, match="uniforms must have shape"):
        sample_from_uniforms(ParamRanges(), np.zeros((3, 4)), (5, 5))


def test_a_preprocessing_function_that_changes_the_shape_is_named():
    def crop(image):
        return image[:8, :8]
    gen = ImageDataGenerator(preprocessing_function=crop)
    with pytest.raises(ValueError, match=r"preprocessing_function crop returned shape \(8, 8, 3\).*\(12, 17, 3\)"):
        gen.standardize(photo())


def test_transform_matrix_of_neutral_params_is_the_identity():
    np.testing.assert_array_equal(ImageDataGenerator().transform_matrix({}, (4, 6, 3)), np.eye(3))
    flip = ImageDataGenerator().transform_matrix(TransformParams(flip_horizontal=True), (4, 6, 3))
    np.testing.assert_array_equal(flip, [[1, 0, 0], [0, -1, 5], [0, 0, 1]])
