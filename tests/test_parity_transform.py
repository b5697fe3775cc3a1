"""augkit's compat modes against the real keras-preprocessing 1.1.2 and Keras 3.

Same random parameters for the same ``seed=`` and the same pixels, on real
non-square photographs, for every fill mode and interpolation orders 0, 1, 3.
"""

import numpy as np
import pytest
from references import FLAVOURS, reference_generator

from augkit import ImageDataGenerator
from augkit.datasets import sample_image

pytestmark = pytest.mark.parity

CONFIGS = {
    "rotation": dict(rotation_range=40),
    "width_shift": dict(width_shift_range=0.2),
    "height_shift": dict(height_shift_range=0.2),
    "shift_pixels": dict(width_shift_range=7.5, height_shift_range=3.0),
    "shift_int": dict(width_shift_range=5, height_shift_range=4),
    "shift_list": dict(width_shift_range=[3, 5], height_shift_range=[0.1, 0.2]),
    "shear": dict(shear_range=20),
    "zoom": dict(zoom_range=0.3),
    "zoom_pair": dict(zoom_range=(0.7, 1.4)),
    "flips": dict(horizontal_flip=True, vertical_flip=True),
    "channel_shift": dict(channel_shift_range=30, rotation_range=10),
    "brightness": dict(brightness_range=(0.5, 1.5)),
    "standard": dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,
                     shear_range=0.2, zoom_range=0.2, horizontal_flip=True),
}


@pytest.fixture(scope="module")
def photo():
    """chelsea at a quarter size: 75 x 113, non-square, float32 0-255."""
    return sample_image("chelsea")[::4, ::4].astype(np.float32)


def _assert_same_params(ours, theirs):
    assert set(ours) == set(theirs)
    for key, value in theirs.items():
        if value is None:
            assert ours[key] is None, key
        else:
            assert ours[key] == pytest.approx(float(value), abs=1e-12), key


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("config", list(CONFIGS), ids=str)
def test_same_random_parameters_for_the_same_seed(flavour, config, photo):
    keras = reference_generator(flavour)(**CONFIGS[config])
    ours = ImageDataGenerator(**CONFIGS[config], compat=flavour)
    for seed in range(5):
        _assert_same_params(ours.get_random_transform(photo.shape, seed=seed),
                            keras.get_random_transform(photo.shape, seed=seed))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unseeded_draws_continue_the_seeded_stream_like_keras(flavour, photo):
    keras = reference_generator(flavour)(rotation_range=30, zoom_range=0.1)
    ours = ImageDataGenerator(rotation_range=30, zoom_range=0.1, compat=flavour)
    keras.get_random_transform(photo.shape, seed=11)  # seeds numpy's global state
    ours.get_random_transform(photo.shape, seed=11)
    for _ in range(3):
        _assert_same_params(ours.get_random_transform(photo.shape), keras.get_random_transform(photo.shape))


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("fill_mode", ["nearest", "reflect", "constant", "wrap"])
@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("config", ["standard", "shift_pixels", "flips", "channel_shift", "brightness"])
def test_same_pixels(flavour, fill_mode, order, config, photo):
    args = dict(CONFIGS[config], fill_mode=fill_mode, interpolation_order=order, cval=7.0)
    keras = reference_generator(flavour)(**args)
    ours = ImageDataGenerator(**args, compat=flavour)
    for seed in range(2):
        expected = keras.random_transform(photo.copy(), seed=seed)
        np.testing.assert_allclose(ours.random_transform(photo, seed=seed), expected, rtol=0, atol=1e-4)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", ["coffee", "astronaut"])
def test_same_pixels_on_other_photos_and_unit_range(flavour, name):
    photo = sample_image(name)[::5, ::5].astype(np.float32) / 255
    args = dict(CONFIGS["standard"], brightness_range=(0.7, 1.3))
    keras = reference_generator(flavour)(**args)
    ours = ImageDataGenerator(**args, compat=flavour)
    for seed in range(2):
        np.testing.assert_allclose(ours.random_transform(photo, seed=seed),
                                   keras.random_transform(photo.copy(), seed=seed), rtol=0, atol=1e-4)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_channels_first_and_apply_transform_dicts(flavour, photo):
    chw = np.ascontiguousarray(np.moveaxis(photo, -1, 0))
    keras = reference_generator(flavour)(data_format="channels_first")
    ours = ImageDataGenerator(data_format="channels_first", compat=flavour)
    params = dict(theta=12.5, tx=3.0, ty=-4.5, shear=8.0, zx=0.9, zy=1.1, flip_horizontal=True)
    np.testing.assert_allclose(ours.apply_transform(chw, params), keras.apply_transform(chw.copy(), params),
                               rtol=0, atol=1e-4)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_fit_with_augmentation_and_standardize_match_keras(flavour, photo):
    import warnings
    images = np.stack([photo[:24, :32], photo[30:54, 40:72], photo[-24:, -32:]])
    args = dict(featurewise_center=True, featurewise_std_normalization=True, rotation_range=30,
                zoom_range=0.2, horizontal_flip=True, rescale=1 / 255)
    keras = reference_generator(flavour)(**args)
    ours = ImageDataGenerator(**args, compat=flavour)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Keras's featurewise_center override notice
        keras.fit(images, augment=True, rounds=2, seed=3)
    ours.fit(images, augment=True, rounds=2, seed=3)
    np.testing.assert_allclose(ours.mean, keras.mean, rtol=1e-4)
    np.testing.assert_allclose(ours.std, keras.std, rtol=1e-4)
    sample = keras.random_transform(images[0].copy(), seed=5)
    np.testing.assert_allclose(ours.standardize(ours.random_transform(images[0], seed=5)),
                               keras.standardize(sample), rtol=1e-4, atol=1e-5)
