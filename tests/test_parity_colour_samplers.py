"""The colour and tone entries draw what Keras 3.15.1's layers draw (two-sample KS, 10,000 draws each).

augkit's draws come from the spec table's ``draw`` on uniforms; Keras's from
the layer's ``get_random_transformation`` on a batch of 10,000 one-pixel
images (one draw per image). The docstring-vs-behaviour differences found on
the way are pinned with numbers.
"""

import numpy as np
import pytest
from scipy import stats

from augkit.spec_colour import COLOUR_AUGMENTATIONS

keras = pytest.importorskip("keras")
layers = keras.layers

pytestmark = pytest.mark.parity

N = 10_000
ALPHA = 1e-6
ENTRY = {entry.argument: entry for entry in COLOUR_AUGMENTATIONS}
BATCH = np.zeros((N, 1, 1, 3), np.float32)


def ours(argument, value, key=0, n=N):
    entry = ENTRY[argument]
    validated = entry.validate(value, argument)
    uniforms = np.random.default_rng(7).random((n, len(entry.slots)))
    return np.array([entry.draw(validated, row, (8, 8))[key] for row in uniforms], dtype=float)


def theirs(layer, key):
    return np.asarray(layer.get_random_transformation(BATCH)[key], dtype=float).ravel()


def same_distribution(a, b):
    return stats.ks_2samp(a, b).pvalue > ALPHA


def test_contrast_range_draws_as_random_contrast():
    assert same_distribution(ours("contrast_range", (0.8, 1.3)),
                             theirs(layers.RandomContrast((0.2, 0.3), seed=1), "contrast_factor"))


def test_random_contrast_with_one_float_only_raises_contrast():
    """Docstring: 'lower = upper', factor in [1 - f, 1 + f]. Measured: [1, 1 + f]."""
    drawn = theirs(layers.RandomContrast(0.2, seed=1), "contrast_factor")
    assert drawn.min() >= 1.0 and drawn.max() == pytest.approx(1.2, abs=1e-3)


def test_saturation_range_draws_as_random_saturation():
    assert same_distribution(ours("saturation_range", (0.5, 2.0)),
                             theirs(layers.RandomSaturation((1 / 3, 2 / 3), seed=1), "factor"))


def test_hue_range_draws_as_random_hue():
    keras_turns = theirs(layers.RandomHue(0.3, seed=1), "factor")
    assert np.abs(keras_turns).max() <= 0.15  # factor 0.3 is at most 0.15 turns: 54 degrees
    assert same_distribution(ours("hue_range", 54.0), 360 * keras_turns)


def test_grayscale_probability_draws_as_random_grayscale():
    keras_gray = np.asarray(layers.RandomGrayscale(0.3, seed=1).get_random_transformation(BATCH)).ravel()
    ours_gray = ours("grayscale_probability", 0.3)
    assert abs(keras_gray.mean() - 0.3) < 0.02 and abs(ours_gray.mean() - 0.3) < 0.02


def test_sharpness_range_draws_as_random_sharpness():
    assert same_distribution(ours("sharpness_range", (0.4, 1.6)),
                             2 * theirs(layers.RandomSharpness((0.2, 0.8), seed=1), "factor"))


def test_blur_sigma_is_uniform_and_keras_blurs_half_the_images_at_factor_1():
    """Keras: one sigma pair per *batch*, and P(blur) = mean of factor's range (0.5 for the default 1.0)."""
    layer = layers.RandomGaussianBlur(1.0, sigma=(0.2, 0.9), seed=1)
    drawn = layer.get_random_transformation(BATCH)
    assert np.asarray(drawn["blur_factor"]).shape == (2,)
    assert np.asarray(drawn["should_apply_blur"]).mean() == pytest.approx(0.5, abs=0.02)
    sigmas = np.concatenate([np.asarray(layer.get_random_transformation(BATCH[:1])["blur_factor"])
                             for _ in range(300)]) - 1e-6
    assert same_distribution(ours("blur_sigma_range", (0.2, 0.9)), sigmas)


def test_posterization_bits_draw_as_random_posterization_with_its_exclusive_top():
    """Keras draws randint(low, high): high is never drawn; RandomPosterization(4) keeps 1-3 bits."""
    keras_bits = 8 - theirs(layers.RandomPosterization((2, 6), seed=1), "shift_factor")
    assert set(keras_bits) == {2, 3, 4, 5}
    assert same_distribution(ours("posterization_bits", (2, 5)), keras_bits)
    assert set(8 - theirs(layers.RandomPosterization(4, seed=1), "shift_factor")) == {1, 2, 3}


def test_solarization_range_draws_as_solarization_from_zero():
    keras_thresholds = theirs(layers.Solarization(threshold_factor=(0, 0.6), seed=1), "thresholds") / 255
    assert same_distribution(ours("solarization_range", (0.0, 0.6)), keras_thresholds)


def test_solarization_does_not_scale_the_lower_end_of_its_factors():
    """threshold_factor=(0.5, 0.6) draws thresholds from uniform(0.5, 153), not (127.5, 153)."""
    drawn = theirs(layers.Solarization(threshold_factor=(0.5, 0.6), seed=1), "thresholds")
    assert drawn.min() < 2.0 and drawn.max() == pytest.approx(153, abs=0.1)


def test_noise_values_match_gaussian_noise_on_0_1_images():
    """GaussianNoise's stddev is in pixel units and refused above 1: it cannot noise a 0-255 image visibly."""
    from augkit import tone

    entry = ENTRY["noise_std_range"]
    std, seed = entry.draw((0.02, 0.02), np.array([0.5, 0.25]), (8, 8))
    ours_noise = tone.noise((100, 100, 1), std, seed).ravel()  # value range (0, 1): width 1
    keras_noise = np.asarray(layers.GaussianNoise(0.02, seed=1)(np.zeros((1, 100, 100, 1), np.float32),
                                                                training=True)).ravel()
    assert same_distribution(ours_noise, keras_noise)
    with pytest.raises(ValueError, match="between 0 and 1"):
        layers.GaussianNoise(0.02 * 255)
