"""random_resized_crop as an entry of the spec table (issue 18): boxes, sizes, masks, refusals, speed.

The table-wide contract (neutral values, round trips, documented ranges,
controls, CLI options, compat refusals, batches equal to their samples,
masks stay labels) runs over this entry in ``tests/test_spec_table.py``.
"""


import numpy as np
import pytest
import scipy.ndimage
import scipy.stats

from augkit import ImageDataGenerator
from augkit.ops.crop import Box, resized_crop, resized_crop_mask
from augkit.params import TransformParams
from augkit.spec_crop import ResizedCropSettings
from test_ops_crop_erasing import N_DRAWS, torchvision_get_params

ROWS, COLS = 30, 40


def ramp(n=1, channels=3):
    r, c, k = np.meshgrid(np.arange(ROWS), np.arange(COLS), np.arange(channels), indexing="ij")
    image = (1000 * k + 100 * r + c).astype(np.float32)
    return np.stack([image + 10000 * i for i in range(n)])


def test_the_entry_draws_torchvision_boxes():
    """KS on 10,000 boxes drawn through the generator (the keyed stream) against torchvision's get_params."""
    gen = ImageDataGenerator(random_resized_crop=dict(size=8))
    ours = np.array([[p.resized_crop_top, p.resized_crop_left, p.resized_crop_height, p.resized_crop_width]
                     for p in gen.sample_params((ROWS, COLS), N_DRAWS, seed=0)])
    rng = np.random.default_rng(1)
    theirs = np.array([torchvision_get_params(ROWS, COLS, (0.08, 1.0), (3 / 4, 4 / 3), rng)
                       for _ in range(N_DRAWS)])
    for column in range(4):  # top, left, height, width
        assert scipy.stats.ks_2samp(ours[:, column], theirs[:, column]).pvalue > 1e-3, column


@pytest.mark.parametrize("value, settings", [
    (24, ResizedCropSettings((24, 24))),
    ((24.0, 32), ResizedCropSettings((24, 32))),
    (dict(size=(24, 32), scale=(0.5, 1), ratio=(1, 2)), ResizedCropSettings((24, 32), (0.5, 1.0), (1.0, 2.0))),
    (0, None), (None, None),
])
def test_the_argument_reads_as_torchvision_and_keras_cv_users_write_it(value, settings):
    assert ImageDataGenerator(random_resized_crop=value).ranges.random_resized_crop == settings


def test_every_batch_has_the_requested_size_in_either_data_format_and_masks_stay_labels():
    x = ramp(5)
    masks = (x[..., 0] % 251).astype(np.uint8)
    gen = ImageDataGenerator(random_resized_crop=(16, 12), rotation_range=10, horizontal_flip=True)
    it = gen.flow_pairs(x, masks, batch_size=3, seed=1)
    for images, labels in (next(it), next(it)):
        assert images.shape[1:] == (16, 12, 3) and labels.shape[1:] == (16, 12) and labels.dtype == np.uint8
        assert set(np.unique(labels)) <= set(np.unique(masks)) | {0}  # nearest neighbour: no new label
    first = ImageDataGenerator(random_resized_crop=(16, 12), data_format="channels_first")
    assert next(first.flow(np.moveaxis(x, -1, 1), batch_size=5, seed=0)).shape == (5, 3, 16, 12)
    assert gen.random_transform(x[0], seed=3).shape == (16, 12, 3)


def test_a_sample_is_its_box_resized_and_its_mask_box_resized_by_nearest_neighbour():
    x = ramp()[0]
    mask = (np.arange(ROWS * COLS) % 7).reshape(ROWS, COLS).astype(np.uint8)
    gen = ImageDataGenerator(random_resized_crop=(20, 20))
    params = TransformParams(resized_crop_top=3.0, resized_crop_left=5.0, resized_crop_height=10.0,
                             resized_crop_width=8.0)
    image, resized = gen.augmenter.apply(params, x, mask)
    np.testing.assert_allclose(image, resized_crop(x, Box(3, 5, 10, 8), (20, 20)))
    np.testing.assert_array_equal(resized, resized_crop_mask(mask, Box(3, 5, 10, 8), (20, 20)))
    rows, cols = np.arange(20) // 2, (2 * np.arange(20) + 1) // 5  # floor((i + 0.5) * box / 20)
    np.testing.assert_array_equal(resized, mask[3:13, 5:13][rows][:, cols])


def test_resized_crop_is_a_bilinear_resize_with_pixel_centres_aligned():
    """The same pixels as scipy's zoom in grid mode (torchvision's align_corners=False, antialias=False)."""
    image = np.random.default_rng(0).random((9, 11, 2)).astype(np.float64)
    box, size = Box(2, 1, 6, 8), (15, 5)
    expected = np.stack([scipy.ndimage.zoom(image[2:8, 1:9, k], (15 / 6, 5 / 8), order=1, mode="nearest",
                                            grid_mode=True) for k in range(2)], axis=-1)
    np.testing.assert_allclose(resized_crop(image, box, size), expected, atol=1e-12)
    uint8 = (image * 255).astype(np.uint8)
    assert resized_crop(uint8, box, size).dtype == np.uint8


@pytest.mark.parametrize("kwargs, message", [
    (dict(crop_size=8, random_resized_crop=8), r"crop_size=\(8, 8\) and random_resized_crop=\(8, 8\) both set"),
    (dict(random_resized_crop=(0, 5)), r"random_resized_crop=\(0, 5\) must be a positive int"),
    (dict(random_resized_crop=dict(size=8, scale=(0.5, 2))), r"random_resized_crop\['scale'\]=\(0.5, 2\)"),
    (dict(random_resized_crop=dict(size=8, ratio=(2, 1))), r"random_resized_crop\['ratio'\]=\(2, 1\) must be"),
    (dict(random_resized_crop=dict(scale=(0.5, 1))), r"random_resized_crop has unknown keys \[\] or no 'size'"),
    (dict(random_resized_crop=dict(size=8, antialias=True)), r"unknown keys \['antialias'\]"),
    (dict(random_resized_crop=8, compat="tf_keras"), r"random_resized_crop is not an argument of Keras's"),
])
def test_bad_settings_and_combinations_are_refused_by_name(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ImageDataGenerator(**kwargs)


def test_other_parameters_draw_the_same_with_and_without_the_resized_crop():
    plain = ImageDataGenerator(rotation_range=30, zoom_range=0.2, horizontal_flip=True)
    cropped = ImageDataGenerator(rotation_range=30, zoom_range=0.2, horizontal_flip=True, random_resized_crop=8)
    for a, b in zip(plain.sample_params((ROWS, COLS), 50, seed=2), cropped.sample_params((ROWS, COLS), 50, seed=2)):
        assert (a.theta, a.zx, a.zy, a.flip_horizontal) == (b.theta, b.zx, b.zy, b.flip_horizontal)
        assert b.resized_crop_top is not None


def test_erasing_is_drawn_for_the_output_size():
    gen = ImageDataGenerator(random_resized_crop=(6, 5), random_erasing=dict(probability=1.0, scale=(0.2, 0.3)))
    for p in gen.sample_params((ROWS, COLS), 200, seed=4):
        assert p.erase_top + p.erase_height <= 6 and p.erase_left + p.erase_width <= 5
