"""crop_size and random_erasing as entries of the spec table (issue 18): pixels, masks, shapes, frequencies, refusals.

The table-wide contract (neutral values, round trips, documented ranges,
controls, CLI options, batches equal to their samples) runs over these
entries in ``tests/test_spec_table.py``; here: what is particular to them.
"""

import numpy as np
import pytest
from scipy import stats

from augkit import ImageDataGenerator
from augkit.params import TransformParams
from augkit.spec_crop import ErasingSettings
from frequency_checks import ALPHA, check_independent, check_uniform

ROWS, COLS = 9, 13


def ramp(n=1, channels=3):
    """Images whose pixel (r, c) of channel k holds 1000 k + 100 r + c (every position tells where it came from)."""
    r, c, k = np.meshgrid(np.arange(ROWS), np.arange(COLS), np.arange(channels), indexing="ij")
    image = (1000 * k + 100 * r + c).astype(np.float32)
    return np.stack([image + 10000 * i for i in range(n)])


def test_the_crop_cuts_the_image_and_the_mask_with_one_box_without_interpolating():
    x = ramp(4)
    masks = (x[..., 0] % 251).astype(np.uint8)  # labels that tell the position too
    gen = ImageDataGenerator(crop_size=(4, 6))
    it = gen.flow_pairs(x, masks, batch_size=4, shuffle=False, seed=1)
    images, cropped = next(it)
    assert images.shape == (4, 4, 6, 3) and cropped.shape == (4, 4, 6) and cropped.dtype == np.uint8
    tops = set()
    for i in range(4):
        p = it.transform_params(i)
        top, left = int(p.crop_top), int(p.crop_left)
        tops.add((top, left))
        np.testing.assert_array_equal(images[i], x[i, top:top + 4, left:left + 6])
        np.testing.assert_array_equal(cropped[i], masks[i, top:top + 4, left:left + 6])
    assert len(tops) > 1  # one window per image, not one per batch (Keras 3 draws one per batch)


def test_flow_returns_batches_of_the_crop_size_in_either_data_format():
    x = ramp(3)
    assert next(ImageDataGenerator(crop_size=5).flow(x, batch_size=3, seed=0)).shape == (3, 5, 5, 3)
    first = ImageDataGenerator(crop_size=(4, 6), data_format="channels_first")
    batch = next(first.flow(np.moveaxis(x, -1, 1), batch_size=3, shuffle=False, seed=0))
    assert batch.shape == (3, 3, 4, 6)
    assert ImageDataGenerator(crop_size=(4, 6)).random_transform(x[0], seed=3).shape == (4, 6, 3)


def test_a_crop_after_the_warp_crops_the_warped_image():
    x = ramp()[0]
    gen = ImageDataGenerator(crop_size=(5, 7))
    params = TransformParams(flip_horizontal=True, crop_top=2.0, crop_left=3.0, crop_height=5.0, crop_width=7.0)
    np.testing.assert_array_equal(gen.apply_transform(x, params), x[:, ::-1][2:7, 3:10])


def test_a_crop_larger_than_the_image_is_refused_naming_crop_size():
    with pytest.raises(ValueError, match=r"crop_size=\(20, 4\) is larger than the image \(9, 13\)"):
        next(ImageDataGenerator(crop_size=(20, 4)).flow(ramp(2), batch_size=2))


def test_erasing_paints_the_box_and_masks_keep_labels_or_get_the_ignore_label():
    x = ramp(6)
    masks = np.ones((6, ROWS, COLS), dtype=np.uint8)
    for mask_fill, expected in ((None, 1), (255, 255)):
        gen = ImageDataGenerator(random_erasing=dict(probability=1.0, fill=(7, 8, 9), mask_fill=mask_fill))
        it = gen.flow_pairs(x, masks, batch_size=6, shuffle=False, seed=2)
        images, erased = next(it)
        for i in range(6):
            p = it.transform_params(i)
            box = (slice(int(p.erase_top), int(p.erase_top + p.erase_height)),
                   slice(int(p.erase_left), int(p.erase_left + p.erase_width)))
            inside = np.zeros((ROWS, COLS), bool)
            inside[box] = True
            assert inside.any() and not inside.all()
            assert (images[i][inside] == [7, 8, 9]).all()
            np.testing.assert_array_equal(images[i][~inside], x[i][~inside])
            assert (erased[i][inside] == expected).all() and (erased[i][~inside] == 1).all()


def test_noise_fill_is_uniform_over_noise_range_and_replays():
    gen = ImageDataGenerator(random_erasing=dict(probability=1.0, scale=(0.3, 0.3), ratio=(1, 1), fill="noise",
                                                 noise_range=(0, 1)))
    x = np.full((1, 40, 40, 3), 5.0, np.float32)
    it = gen.flow(x, batch_size=1, seed=0)
    out = next(it)[0]
    noise = out[out != 5.0]
    assert noise.size == 22 * 22 * 3 and 0 <= noise.min() and noise.max() < 1
    assert stats.kstest(noise, "uniform").pvalue > ALPHA
    np.testing.assert_array_equal(out, gen.apply_transform(x[0], it.transform_params(0)))


def _erased_noise(**generator_options):
    """The erased values of one noisy box (a 40 x 40 image of 0.5, the box 22 x 22 x 3)."""
    gen = ImageDataGenerator(**generator_options)
    out = gen.apply_transform(np.full((40, 40, 3), 0.5, np.float32),
                              gen.sample_params((40, 40, 3), 1, seed=0)[0])
    return out[out != 0.5]


@pytest.mark.parametrize("value_range", [(0, 1), (-1, 1), (0, 255)])
def test_noise_fill_follows_the_generators_value_range_by_default(value_range):
    """One setting governs both: the colour kernels' value_range= and the erasing noise (noise_range=None)."""
    erasing = dict(probability=1.0, scale=(0.3, 0.3), ratio=(1, 1), fill="noise")
    assert ImageDataGenerator(random_erasing=erasing).ranges.random_erasing.noise_range is None
    noise = _erased_noise(value_range=value_range, random_erasing=erasing)
    low, high = value_range
    assert noise.size == 22 * 22 * 3 and low <= noise.min() and noise.max() < high
    assert stats.kstest((noise - low) / (high - low), "uniform").pvalue > ALPHA


def test_an_explicit_noise_range_takes_precedence_over_value_range():
    erasing = dict(probability=1.0, scale=(0.3, 0.3), ratio=(1, 1), fill="noise", noise_range=(0.25, 0.75))
    noise = _erased_noise(value_range=(0, 1), random_erasing=erasing)
    assert 0.25 <= noise.min() and noise.max() < 0.75 and noise.max() > 0.7
    assert ImageDataGenerator(random_erasing=erasing).ranges.random_erasing == ErasingSettings(
        1.0, (0.3, 0.3), (1.0, 1.0), "noise", None, (0.25, 0.75))


@pytest.mark.parametrize("noise_range, error", [((1, 1), ValueError), ((0, float("inf")), ValueError),
                                                ("0-1", TypeError), ((0, 1, 2), ValueError), ((True, 2), TypeError)])
def test_a_bad_noise_range_is_refused_by_name(noise_range, error):
    with pytest.raises(error, match=r"random_erasing\['noise_range'\]=.* must be None \(the generator's "
                                    r"value_range\) or a pair \(low, high\) with low < high"):
        ImageDataGenerator(random_erasing=dict(probability=1.0, fill="noise", noise_range=noise_range))


def test_erasing_is_drawn_for_the_size_of_the_crop():
    gen = ImageDataGenerator(crop_size=(4, 5), random_erasing=dict(probability=1.0, scale=(0.2, 0.3)))
    for p in gen.sample_params((ROWS, COLS), 200, seed=4):
        assert p.erase_top + p.erase_height <= 4 and p.erase_left + p.erase_width <= 5


@pytest.mark.parametrize("value, error, message", [
    ((0, 5), ValueError, r"crop_size=\(0, 5\) must be a positive int or a \(height, width\) pair"),
    (2.5, ValueError, r"crop_size=2.5 must be a positive int"),
    ("big", TypeError, r"crop_size='big' must be a positive int"),
])
def test_bad_crop_sizes_are_refused_by_name(value, error, message):
    with pytest.raises(error, match=message):
        ImageDataGenerator(crop_size=value)


@pytest.mark.parametrize("value, error, message", [
    (1.5, ValueError, r"random_erasing=1.5: the probability must be a number from 0 to 1"),
    ("yes", TypeError, r"random_erasing='yes' must be a probability p from 0 to 1, or a dict"),
    (dict(probability=1, size=3), ValueError, r"random_erasing has unknown keys \['size'\]"),
    (dict(scale=(0.5, 0.1)), ValueError, r"random_erasing\['scale'\]=\(0.5, 0.1\) must be a pair"),
    (dict(ratio=(0, 1)), ValueError, r"random_erasing\['ratio'\]=\(0, 1\) must be a pair"),
    (dict(fill="mean"), ValueError, r"random_erasing\['fill'\]='mean' must be a finite number"),
    (dict(mask_fill=-1), ValueError, r"random_erasing\['mask_fill'\]=-1 must be None"),
])
def test_bad_erasing_settings_are_refused_by_name(value, error, message):
    with pytest.raises(error, match=message):
        ImageDataGenerator(random_erasing=value)


def test_a_probability_is_torchvisions_defaults_and_zero_is_off():
    assert ImageDataGenerator(random_erasing=0.5).random_erasing == ErasingSettings(0.5)
    assert ImageDataGenerator(random_erasing=0).random_erasing is None
    assert ImageDataGenerator(crop_size=0).crop_size is None


@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
@pytest.mark.parametrize("argument, value", [("crop_size", 4), ("random_erasing", 0.5)])
def test_the_compat_modes_refuse_them_by_name_also_when_assigned(compat, argument, value):
    message = f"^{argument} is not an argument of Keras's ImageDataGenerator: compat='{compat}'"
    with pytest.raises(ValueError, match=message):
        ImageDataGenerator(compat=compat, **{argument: value})
    gen = ImageDataGenerator(compat=compat)
    with pytest.raises(ValueError, match=message):
        setattr(gen, argument, value)


def test_turning_them_on_leaves_the_other_draws_unchanged():
    plain = ImageDataGenerator(rotation_range=30, horizontal_flip=True)
    more = ImageDataGenerator(rotation_range=30, horizontal_flip=True, crop_size=5, random_erasing=0.5)
    for a, b in zip(plain.sample_params((ROWS, COLS), 20, seed=6), more.sample_params((ROWS, COLS), 20, seed=6)):
        assert (a.theta, a.flip_horizontal) == (b.theta, b.flip_horizontal)


# Frequencies: 20,000 draws from a fixed seed.

N = 20_000


@pytest.fixture(scope="module")
def crops():
    params = ImageDataGenerator(crop_size=(4, 6)).sample_params((ROWS, COLS), N, seed=2024)
    return np.array([(p.crop_top, p.crop_left) for p in params])


def test_every_crop_position_is_equally_likely_and_top_and_left_are_independent(crops):
    tops, lefts = crops[:, 0].astype(int), crops[:, 1].astype(int)
    assert set(tops) == set(range(ROWS - 4 + 1)) and set(lefts) == set(range(COLS - 6 + 1))
    for values, count in ((tops, ROWS - 4 + 1), (lefts, COLS - 6 + 1)):
        assert stats.chisquare(np.bincount(values, minlength=count)).pvalue > ALPHA
    assert check_independent(tops, lefts, ("crop_top", "crop_left")) == []


@pytest.fixture(scope="module")
def erasings():
    gen = ImageDataGenerator(random_erasing=dict(probability=0.3, scale=(0.02, 0.2), ratio=(0.3, 3.3)))
    return gen.sample_params((200, 200), N, seed=2025)


def test_erasing_happens_with_its_probability(erasings):
    erased = sum(p.erase_top is not None for p in erasings)
    assert stats.binomtest(erased, N, 0.3).pvalue > ALPHA


def test_erased_area_is_uniform_in_scale_and_the_ratio_log_uniform(erasings):
    boxes = np.array([(p.erase_height, p.erase_width) for p in erasings if p.erase_top is not None])
    area = boxes[:, 0] * boxes[:, 1] / 200**2
    assert check_uniform(np.clip(area, 0.02, 0.2), 0.02, 0.2, "erased area fraction") == []
    log_ratio = np.log(boxes[:, 0] / boxes[:, 1])
    assert check_uniform(np.clip(log_ratio, np.log(0.3), np.log(3.3)), np.log(0.3), np.log(3.3),
                         "log height/width") == []
