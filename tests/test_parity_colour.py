"""augkit's colour and tone kernels against Keras 3.15.1's layers, given the same drawn parameters.

Each Keras layer is handed a transformation dict built here (its
``transform_images``), so only the deterministic part is compared. Where the
definitions differ on purpose, the difference is measured with numbers
(and recorded in the kernel's docstring and in notebook 24).
"""

import numpy as np
import pytest

from augkit import colour, tone
from augkit.datasets import sample_image

keras = pytest.importorskip("keras")
layers = keras.layers

pytestmark = pytest.mark.parity


@pytest.fixture(scope="module")
def photo():
    """chelsea at a quarter size: 75 x 113 x 3, float32 0-255."""
    return sample_image("chelsea")[::4, ::4].astype(np.float32)


def run(layer, image, transformation):
    return np.asarray(layer.transform_images(image[None], transformation))[0]


def factors(*values):
    return np.asarray(values, dtype=np.float32)


@pytest.mark.parametrize("factor", [0.0, 0.4, 1.0, 1.7])
def test_contrast_matches_random_contrast(photo, factor):
    layer = layers.RandomContrast(0.5)
    theirs = run(layer, photo, {"contrast_factor": factors(factor).reshape(1, 1, 1, 1)})
    np.testing.assert_allclose(colour.adjust_contrast(photo, factor), theirs, atol=2e-3)


@pytest.mark.parametrize("factor", [0.0, 0.5, 1.0, 3.0])
def test_saturation_matches_random_saturation_on_0_1_images(photo, factor):
    image = photo / 255
    layer = layers.RandomSaturation(0.5, value_range=(0, 1))
    theirs = run(layer, image, {"factor": factors(factor)})
    np.testing.assert_allclose(colour.adjust_saturation(image, factor, value_range=(0, 1)), theirs, atol=1e-5)


def test_saturation_differs_on_0_255_images_where_keras_leaves_the_range(photo):
    """Keras clips the saturation to value_range (0-255), not to 0-1: channels go negative."""
    theirs = run(layers.RandomSaturation(0.5), photo, {"factor": factors(9.0)})
    ours = colour.adjust_saturation(photo, 9.0)
    assert theirs.min() < -1000  # measured -1724 on a random 0-255 image
    assert ours.min() >= 0 and ours.max() <= 255
    # At factors that keep the saturation below 1 they agree on 0-255 images too.
    np.testing.assert_allclose(colour.adjust_saturation(photo, 0.5),
                               run(layers.RandomSaturation(0.5), photo, {"factor": factors(0.5)}), atol=2e-3)


@pytest.mark.parametrize("turns", [-0.5, -0.1, 0.0, 0.25, 0.5])
@pytest.mark.parametrize("scale", [1.0, 255.0])
def test_hue_matches_random_hue(photo, turns, scale):
    image = photo / 255 * scale
    layer = layers.RandomHue(0.5, value_range=(0, scale))
    theirs = run(layer, image, {"factor": factors(turns)})
    ours = colour.adjust_hue(image, 360 * turns, value_range=(0, scale))
    np.testing.assert_allclose(ours, theirs, atol=2e-5 * scale)


def test_grayscale_matches_random_grayscale(photo):
    theirs = run(layers.RandomGrayscale(1.0), photo, np.ones((1, 1, 1, 1), bool))
    np.testing.assert_allclose(colour.to_grayscale(photo), theirs, atol=2e-3)


@pytest.mark.parametrize("amount", [0.0, 0.3, 1.0])
def test_blend_with_grayscale_matches_random_color_degeneration(photo, amount):
    layer = layers.RandomColorDegeneration(0.5)
    theirs = run(layer, photo, {"factor": factors(amount).reshape(1, 1, 1, 1)})
    np.testing.assert_allclose(colour.blend_with_grayscale(photo, amount), theirs, atol=2e-3)


@pytest.mark.parametrize("sigma_rows, sigma_cols", [(1.0, 1.0), (0.3, 0.9), (1e-6, 0.5)])
@pytest.mark.parametrize("kernel_size", [3, 5])
def test_blur_matches_random_gaussian_blur_with_zero_padding(photo, sigma_rows, sigma_cols, kernel_size):
    layer = layers.RandomGaussianBlur(1.0, kernel_size=kernel_size)
    # Keras's blur_factor is (sigma along the columns, sigma down the rows).
    theirs = run(layer, photo, {"should_apply_blur": np.ones(1, bool), "blur_factor": factors(sigma_cols, sigma_rows)})
    ours = tone.gaussian_blur(photo, (sigma_rows, sigma_cols), kernel_size=kernel_size, mode="constant")
    np.testing.assert_allclose(ours, theirs, atol=5e-3)


def test_blur_zero_padding_darkens_the_border_and_nearest_does_not():
    flat = np.full((16, 16, 3), 200.0, np.float32)
    keras_like = tone.gaussian_blur(flat, 1.0, kernel_size=3, mode="constant")
    assert keras_like[0, 0, 0] == pytest.approx(200 * (1 - 0.2741) ** 2, rel=1e-3)  # corner: 105.5
    np.testing.assert_allclose(tone.gaussian_blur(flat, 1.0), flat, atol=1e-3)


@pytest.mark.parametrize("keras_factor", [0.0, 0.25, 0.5, 1.0])
def test_sharpness_matches_random_sharpness_with_zero_border(photo, keras_factor):
    layer = layers.RandomSharpness(0.5)
    theirs = run(layer, photo, {"factor": factors(keras_factor)})
    ours = tone.sharpen(photo, 2 * keras_factor, border="zero")
    np.testing.assert_allclose(ours, theirs, atol=3e-3)
    kept = tone.sharpen(photo, 2 * keras_factor)  # PIL's border: the outer ring unchanged
    np.testing.assert_array_equal(kept[0], photo[0])
    np.testing.assert_allclose(kept[1:-1, 1:-1], theirs[1:-1, 1:-1], atol=3e-3)


def test_sharpness_matches_pil_inside_the_border(photo):
    from PIL import Image, ImageEnhance

    pixels = photo.astype(np.uint8)
    pil = np.asarray(ImageEnhance.Sharpness(Image.fromarray(pixels)).enhance(1.8), dtype=np.float32)
    ours = tone.sharpen(pixels.astype(np.float32), 1.8)
    assert np.abs(ours - pil).max() <= 1.5  # PIL rounds its smoothed copy and its result to uint8


@pytest.mark.parametrize("bits", [1, 3, 7, 8])
@pytest.mark.parametrize("scale", [1.0, 255.0])
def test_posterize_matches_random_posterization(photo, bits, scale):
    image = photo / 255 * scale
    layer = layers.RandomPosterization(4, value_range=(0, scale))
    theirs = run(layer, image, {"shift_factor": np.asarray([8 - bits], np.uint8)})
    np.testing.assert_allclose(tone.posterize(image, bits, value_range=(0, scale)), theirs, atol=1e-4 * scale)


@pytest.mark.parametrize("threshold, addition", [(0.0, 0.0), (0.5, 0.0), (0.3, 0.2), (1.0, 0.1)])
def test_solarize_matches_solarization(photo, threshold, addition):
    layer = layers.Solarization(value_range=(0, 255))
    transformation = {"thresholds": factors(255 * threshold).reshape(1, 1, 1, 1),
                      "additions": factors(255 * addition).reshape(1, 1, 1, 1)}
    theirs = run(layer, photo, transformation)
    np.testing.assert_allclose(tone.solarize(photo, threshold, addition=addition), theirs, atol=2e-3)


def test_auto_contrast_matches_and_keeps_a_constant_channel(photo):
    image = photo * 0.5 + 40
    image[..., 2] = 90.0
    theirs = run(layers.AutoContrast(), image, None)
    ours = tone.auto_contrast(image)
    np.testing.assert_allclose(ours, theirs, atol=2e-3)
    np.testing.assert_array_equal(ours[..., 2], image[..., 2])
    assert ours[..., 0].min() == 0 and ours[..., 0].max() == pytest.approx(255)


@pytest.mark.parametrize("bins", [256, 64])
def test_equalize_matches_equalization(photo, bins):
    theirs = run(layers.Equalization(bins=bins), photo, None)
    np.testing.assert_allclose(tone.equalize(photo, bins=bins), theirs, atol=1e-3)


def test_color_jitter_matches_its_layers_in_keras_order(photo):
    """RandomColorJitter = brightness (added) -> contrast -> saturation -> hue, each layer's kernel."""
    image = photo / 255
    vr = (0, 1)
    x = image[None]
    x = np.asarray(layers.RandomBrightness(0.5, value_range=vr).transform_images(
        x, {"rgb_delta": factors(0.1).reshape(1, 1, 1, 1)}))
    x = np.asarray(layers.RandomContrast(0.5, value_range=vr).transform_images(
        x, {"contrast_factor": factors(1.3).reshape(1, 1, 1, 1)}))
    x = np.asarray(layers.RandomSaturation(0.5, value_range=vr).transform_images(x, {"factor": factors(0.6)}))
    x = np.asarray(layers.RandomHue(0.5, value_range=vr).transform_images(x, {"factor": factors(0.1)}))
    ours = colour.color_jitter(image, brightness=0.1, contrast=1.3, saturation=0.6, hue=36.0, value_range=vr)
    np.testing.assert_allclose(ours, x[0], atol=1e-5)


@pytest.mark.parametrize("kernel, args", [
    (colour.adjust_contrast, (1.2,)), (colour.adjust_saturation, (1.2,)), (colour.adjust_hue, (30,)),
    (tone.posterize, (3,)), (tone.solarize, (0.5,)), (tone.equalize, ()), (tone.gaussian_blur, (1.0,)),
])
def test_values_outside_value_range_are_refused_by_name(photo, kernel, args):
    with pytest.raises(ValueError, match=r"outside value_range=\(0.0, 1.0\); pass the range"):
        kernel(photo, *args, value_range=(0, 1))
    with pytest.raises(ValueError, match="value_range=.*low < high"):
        kernel(photo, *args, value_range=(1, 0))


def test_a_0_1_image_with_the_default_range_is_the_classic_trap(photo):
    """Accepted (0-1 lies inside 0-255) but posterised and solarised as if nearly black."""
    image = photo / 255
    assert tone.posterize(image, 4).max() == 0  # every value floors to level 0
    np.testing.assert_allclose(tone.posterize(image, 4, value_range=(0, 1)) * 255,
                               tone.posterize(photo, 4), atol=1e-3)
    assert np.array_equal(tone.solarize(image, 0.5), image)  # nothing reaches 127.5


def test_kernels_never_write_to_their_input(photo):
    frozen = photo.copy()
    frozen.setflags(write=False)
    for out in (colour.adjust_contrast(frozen, 1.5), colour.adjust_hue(frozen, 10), tone.sharpen(frozen, 2.0),
                tone.equalize(frozen), tone.gaussian_blur(frozen, 0.0), colour.color_jitter(frozen)):
        assert out.shape == photo.shape and not np.shares_memory(out, frozen)
    np.testing.assert_array_equal(frozen, photo)
