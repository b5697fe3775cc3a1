"""The RandAugment policy entry (``randaugment=(num_ops, magnitude)``, :mod:`augkit.spec_policy`).

What the policy draws (each operation equally likely, chi-square on 12,000
draws), the values it draws against Keras 3.15.1's ``RandAugment`` layer
(two-sample KS, p > 1e-6, 12,000 draws each), its outputs against Keras's
sub-layers given the same drawn values, the (seed, epoch, index) rule, masks
left alone, and bad input refused by name.
"""

import numpy as np
import pytest
from scipy import stats

from augkit import ImageDataGenerator
from augkit.params import TransformParams
from augkit.spec_policy import MAX_OPS, OPS, apply_op, policy_values

keras = pytest.importorskip("keras")

N = 12_000
ALPHA = 1e-6
SHAPE = (12, 17)
FIELDS = ("op", "value", "extra")


def drawn(value, n=N, seed=7):
    """``(n * num_ops, 3)`` rows of (op, value, extra) drawn by the default stream (epoch 0)."""
    gen = ImageDataGenerator(randaugment=value)
    params = gen.stream(seed).params(np.arange(n), 0, n, gen.ranges, SHAPE)
    rows = [[getattr(p, f"ra_{part}_{i}") for part in FIELDS] for p in params for i in range(1, value[0] + 1)]
    return np.array([[np.nan if v is None else v for v in row] for row in rows])


def keras_draws(magnitude, n=N):
    layer = keras.layers.RandAugment(value_range=(0, 255), num_ops=2, factor=magnitude, seed=1)
    return layer.get_random_transformation(np.zeros((n, 2, 2, 3), np.float32))


def of_op(rows, name, column=1):
    return rows[rows[:, 0] == OPS.index(name), column]


def test_each_operation_is_equally_likely_and_positions_past_num_ops_stay_off():
    rows = drawn((2, 0.5))
    counts = np.bincount(rows[:, 0].astype(int), minlength=len(OPS))
    assert len(rows) == 2 * N and stats.chisquare(counts).pvalue > ALPHA
    assert counts.min() > 0.9 * 2 * N / len(OPS)
    gen = ImageDataGenerator(randaugment=(2, 0.5))
    for p in gen.sample_params(SHAPE, 50, seed=1):
        assert p.ra_op_1 is not None and p.ra_op_2 is not None
        assert all(getattr(p, f"ra_{part}_{i}") is None for part in FIELDS for i in range(3, MAX_OPS + 1))


@pytest.mark.parametrize("magnitude", [0.5, 0.9])
def test_values_draw_as_keras_rand_augment_draws_them(magnitude):
    ours, theirs = drawn((2, magnitude)), keras_draws(magnitude)["transforms"]

    def keras(name, key, scale=1.0):
        return np.asarray(theirs[name][key], dtype=float).ravel() * scale

    def same(a, b):
        return stats.ks_2samp(a, b).pvalue > ALPHA

    assert same(of_op(ours, "brightness") * 255, keras("random_brightness", "rgb_delta"))
    assert same(of_op(ours, "color_degeneration"), keras("random_color_degeneration", "factor"))
    assert same(of_op(ours, "contrast"), keras("random_contrast", "contrast_factor"))
    assert same(of_op(ours, "sharpness"), keras("random_sharpness", "factor", 2.0))
    assert same(of_op(ours, "solarization") * 255, keras("solarization", "thresholds"))
    assert same(of_op(ours, "solarization", 2) * 255, keras("solarization", "additions"))
    keras_bits = 8 - keras("random_posterization", "shift_factor")
    assert set(of_op(ours, "posterization")) == set(keras_bits)
    assert same(of_op(ours, "posterization"), keras_bits)
    assert np.isnan(of_op(ours, "equalization")).all() and theirs["equalization"] is None


def test_magnitude_maps_as_keras_measured_at_0_5():
    """Keras's factor 0.5 is (0, 0.5): brightness and contrast only go up, sharpness only smooths, 1-3 bits."""
    ours = drawn((2, 0.5), n=4000)
    assert 0 <= of_op(ours, "brightness").min() and of_op(ours, "brightness").max() <= 0.5
    assert 1 <= of_op(ours, "contrast").min() and of_op(ours, "contrast").max() <= 1.5
    assert of_op(ours, "sharpness").max() <= 1.0  # 1 = unchanged: RandAugment's sharpness never sharpens here
    assert set(of_op(ours, "posterization")) == {1.0, 2.0, 3.0}
    theirs = keras_draws(0.5, n=4000)["transforms"]
    assert set(8 - np.asarray(theirs["random_posterization"]["shift_factor"]).ravel()) == {1, 2, 3}
    assert float(np.max(theirs["random_contrast"]["contrast_factor"])) <= 1.5


def test_magnitude_zero_still_posterizes_to_one_bit_and_solarizes_everything_as_keras():
    ours = drawn((1, 0.0), n=2000)
    assert set(of_op(ours, "posterization")) == {1.0} and set(of_op(ours, "solarization")) == {0.0}
    theirs = keras_draws(0.0, n=200)["transforms"]
    assert set(8 - np.asarray(theirs["random_posterization"]["shift_factor"]).ravel()) == {1}
    assert float(np.max(theirs["solarization"]["thresholds"])) == 0.0


def test_keras_draws_one_list_of_operations_per_batch():
    """Keras's docstring: num_ops 'applied sequentially to each image'; its draw is one list for the batch."""
    assert np.asarray(keras_draws(0.5, n=64)["layer_idxes"]).shape == (2,)
    ops = {(p.ra_op_1, p.ra_op_2) for p in ImageDataGenerator(randaugment=(2, 0.5)).sample_params(SHAPE, 64, seed=1)}
    assert len(ops) > 20  # augkit: each image its own list


@pytest.mark.parametrize("name, layer, transformation", [
    ("brightness", lambda: keras.layers.RandomBrightness((0, 0.5)), {"rgb_delta": np.full((1, 1, 1, 1), 0.3 * 255)}),
    ("color_degeneration", lambda: keras.layers.RandomColorDegeneration((0, 0.5)),
     {"factor": np.full((1, 1, 1, 1), 0.3)}),
    ("contrast", lambda: keras.layers.RandomContrast((0, 0.5)), {"contrast_factor": np.full((1, 1, 1, 1), 1.3)}),
    ("posterization", lambda: keras.layers.RandomPosterization(4), {"shift_factor": np.array([6])}),
    ("solarization", lambda: keras.layers.Solarization((0, 0.5), (0, 0.5)),
     {"thresholds": np.full((1, 1, 1, 1), 0.3 * 255), "additions": np.full((1, 1, 1, 1), 0.2 * 255)}),
])
def test_each_operation_matches_the_keras_sub_layer_given_the_same_value(name, layer, transformation):
    image = np.random.default_rng(0).integers(0, 256, (6, 7, 3)).astype(np.float32)
    values = {"brightness": (0.3, None), "color_degeneration": (0.3, None), "contrast": (1.3, None),
              "posterization": (2.0, None), "solarization": (0.3, 0.2)}[name]
    ours = apply_op(image, OPS.index(name), *values, (0, 255))
    theirs = np.asarray(layer().transform_images(image[None], transformation))[0]
    np.testing.assert_allclose(ours, theirs, atol=2e-3)


def test_the_kernel_applies_the_drawn_operations_in_order():
    image = np.random.default_rng(1).random((6, 7, 3)).astype(np.float32)
    gen = ImageDataGenerator(randaugment=(3, 0.7), value_range=(0, 1))
    for p in gen.sample_params((6, 7), 6, seed=4):
        want = image
        for i in (1, 2, 3):
            want = apply_op(want, *(getattr(p, f"ra_{part}_{i}") for part in FIELDS), (0, 1))
        np.testing.assert_allclose(gen.apply_transform(image, p), want, atol=1e-6)
    assert str(TransformParams(ra_op_1=2.0, ra_value_1=1.25)) == "RA1: contrast×1.25"


def test_draws_depend_only_on_seed_epoch_and_index():
    x = np.zeros((8,) + SHAPE + (3,), np.float32)
    gen = ImageDataGenerator(randaugment=(2, 0.5))
    first, again = gen.flow(x, seed=3), gen.flow(x, seed=3, batch_size=3)
    assert [first.transform_params(i, 1) for i in range(8)] == [again.transform_params(i, 1) for i in range(8)]
    assert [first.transform_params(i, 0) for i in range(8)] != [first.transform_params(i, 1) for i in range(8)]
    stream = gen.stream(3)
    forward = stream.params(np.arange(8), 2, 8, gen.ranges, SHAPE)
    shuffled = stream.params(np.array([5, 1, 7, 0]), 2, 8, gen.ranges, SHAPE)
    assert shuffled == [forward[i] for i in (5, 1, 7, 0)]
    assert gen.flow(x, seed=4).transform_params(0, 1) != first.transform_params(0, 1)


def test_switching_the_policy_on_changes_no_other_draw():
    on = ImageDataGenerator(rotation_range=20, brightness_range=(0.5, 1.5), randaugment=(2, 0.5))
    off = ImageDataGenerator(rotation_range=20, brightness_range=(0.5, 1.5))
    for a, b in zip(on.sample_params(SHAPE, 20, seed=2), off.sample_params(SHAPE, 20, seed=2), strict=True):
        assert (a.theta, a.brightness) == (b.theta, b.brightness) and a.ra_op_1 is not None


def test_masks_are_left_untouched():
    x = np.random.default_rng(2).random((4,) + SHAPE + (3,)).astype(np.float32) * 255
    masks = np.random.default_rng(3).integers(0, 5, (4,) + SHAPE).astype(np.uint8)
    gen = ImageDataGenerator(randaugment=(4, 1.0))
    images, out = next(gen.flow_pairs(x, masks, batch_size=4, shuffle=False, seed=5))
    np.testing.assert_array_equal(out, masks)
    assert not np.allclose(images, x)


@pytest.mark.parametrize("value, error, message", [
    ((0, 0.5), ValueError, "num_ops=0 must be an integer from 1 to 4"),
    ((5, 0.5), ValueError, "num_ops=5 must be an integer from 1 to 4"),
    ((2.5, 0.5), ValueError, "num_ops=2.5"),
    ((True, 0.5), TypeError, "num_ops=True is a bool, not a number"),
    ((2, 1.5), ValueError, "magnitude=1.5 must be a number from 0 to 1"),
    ((2, float("nan")), ValueError, "magnitude=nan"),
    ((2, 0.5, 1), ValueError, "must be None or a pair \\(num_ops, magnitude\\).*3 items"),
    (2, TypeError, "must be None or a pair \\(num_ops, magnitude\\)"),
    ({"num_ops": 2, "magnitude": 0.5}, TypeError, "must be None or a pair"),
    ("2, 0.5", TypeError, "must be None or a pair"),
])
def test_bad_input_is_refused_by_name(value, error, message):
    with pytest.raises(error, match="^randaugment.*" + message):
        ImageDataGenerator(randaugment=value)


@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
def test_the_compat_modes_refuse_the_policy_by_name(compat):
    with pytest.raises(ValueError, match="^randaugment is not an argument of Keras's ImageDataGenerator"):
        ImageDataGenerator(randaugment=(2, 0.5), compat=compat)


def test_an_image_outside_value_range_is_refused():
    gen = ImageDataGenerator(randaugment=(2, 0.5), value_range=(0, 1))
    with pytest.raises(ValueError, match="value_range"):
        gen.random_transform(np.full((4, 4, 3), 200.0, np.float32), seed=0)


def test_policy_values_off_are_all_none():
    assert policy_values(None, [0.3] * (3 * MAX_OPS)) == (None,) * (3 * MAX_OPS)
