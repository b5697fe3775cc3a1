"""The resized crop folded into the geometry (issue 18): one resampling, masks gathered once, paths equal.

``augkit.crop_fold``: with a geometry that resamples, output pixel (r, c)
of the crop's size reads geometry @ box of the input, computed here by
hand with ``scipy.ndimage.map_coordinates``; without geometry the two-step
path is kept bit for bit; the warp stack takes ``output_shape``.
"""

import numpy as np
import pytest
import scipy.ndimage

from augkit import ImageDataGenerator, backends, kernels, skimage_warp
from augkit.conventions import get_convention
from augkit.ops.crop import Box, resized_crop, resized_crop_mask
from augkit.params import TransformParams

ROWS, COLS = 40, 48
BOX = dict(resized_crop_top=6.0, resized_crop_left=9.0, resized_crop_height=22.0, resized_crop_width=26.0)
GEOMETRY = dict(theta=17.0, tx=1.5, ty=-2.25, shear=4.0, zx=0.9, zy=1.1)


def smooth_image(channels=3):
    r, c = np.meshgrid(np.arange(ROWS), np.arange(COLS), indexing="ij")
    planes = [np.sin(r / 7.0 + k) * np.cos(c / 9.0 - k) for k in range(channels)]
    return (0.5 + 0.4 * np.stack(planes, axis=-1)).astype(np.float32)


def labels():
    r, c = np.meshgrid(np.arange(ROWS), np.arange(COLS), indexing="ij")
    return ((r // 5) * 10 + c // 6).astype(np.uint8)


def hand_coordinates(matrix, box, size):
    """Where output pixel (r, c) reads in the input: the box's pixel centres, then the geometry, written out."""
    top, left, height, width = box
    r, c = np.meshgrid(np.arange(size[0]), np.arange(size[1]), indexing="ij")
    box_rows = top + (r + 0.5) * height / size[0] - 0.5
    box_cols = left + (c + 0.5) * width / size[1] - 0.5
    rows = matrix[0, 0] * box_rows + matrix[0, 1] * box_cols + matrix[0, 2]
    cols = matrix[1, 0] * box_rows + matrix[1, 1] * box_cols + matrix[1, 2]
    return rows, cols


def box_of(params):
    return Box(*(int(getattr(params, f"resized_crop_{part}")) for part in ("top", "left", "height", "width")))


@pytest.mark.parametrize("size", [(16, 16), (30, 20)])
def test_with_geometry_the_image_is_one_warp_and_the_mask_one_gather(size):
    gen = ImageDataGenerator(random_resized_crop=size, rotation_range=30, fill_mode="nearest")
    params = TransformParams(**GEOMETRY, **BOX)
    image, mask = smooth_image(), labels()
    out, out_mask = gen.augmenter.apply(params, image, mask)
    rows, cols = hand_coordinates(gen.augmenter.matrix(params, (ROWS, COLS)), box_of(params), size)
    expected = np.stack([scipy.ndimage.map_coordinates(image[..., k].astype(np.float64), [rows, cols], order=1,
                                                       mode="nearest") for k in range(3)], axis=-1)
    assert out.shape == (*size, 3) and out_mask.shape == size
    np.testing.assert_allclose(out, expected, atol=1e-5)
    near_rows, near_cols = np.floor(rows + 0.5).astype(int), np.floor(cols + 0.5).astype(int)
    inside = (near_rows >= 0) & (near_rows < ROWS) & (near_cols >= 0) & (near_cols < COLS)
    assert inside.mean() > 0.8  # most of the box, and some of the fill after the rotation
    gathered = np.where(inside, mask[np.clip(near_rows, 0, ROWS - 1), np.clip(near_cols, 0, COLS - 1)], 0)
    np.testing.assert_array_equal(out_mask, gathered)  # labels copied exactly; the mask's fill (0) outside


def test_the_fold_blurs_less_than_two_warps():
    """High-frequency energy (mean squared Laplacian) of textured samples: one warp keeps more of it."""
    rng = np.random.default_rng(0)
    image = scipy.ndimage.gaussian_filter(rng.random((64, 64, 3)), (0.7, 0.7, 0)).astype(np.float32)
    gen = ImageDataGenerator(rotation_range=20, zoom_range=0.15, random_resized_crop=dict(size=32, scale=(0.3, 1)))

    def energy(x):
        lap = 4 * x[1:-1, 1:-1] - x[:-2, 1:-1] - x[2:, 1:-1] - x[1:-1, :-2] - x[1:-1, 2:]
        return float(np.mean(lap ** 2))

    ratios = []
    for params in gen.sample_params(image.shape, 12, seed=3):
        folded = gen.augmenter.apply(params, image)
        warped = kernels.warp_affine(image, gen.augmenter.matrix(params, (64, 64)))
        two_warps = resized_crop(warped, box_of(params), (32, 32))
        assert np.abs(folded - two_warps).max() > 0.01  # a different picture, not rounding
        ratios.append(energy(folded) / energy(two_warps))
    assert min(ratios) > 1.1 and np.mean(ratios) > 1.4, ratios


@pytest.mark.parametrize("geometry", [{}, dict(flip_horizontal=True), dict(flip_horizontal=True, flip_vertical=True)],
                         ids=["identity", "flip", "both flips"])
def test_without_geometry_outputs_are_the_two_step_path_bit_for_bit(geometry):
    """No interpolation before the crop (identity, flips): the box is sliced and resized as before."""
    gen = ImageDataGenerator(random_resized_crop=(20, 16), brightness_range=(0.5, 1.5), contrast_range=(0.5, 1.5),
                             random_erasing=dict(probability=1.0, fill="noise"))
    image, mask = smooth_image() * 255, labels()
    params = TransformParams(**geometry, **BOX, brightness=1.2, contrast=0.7)
    out, out_mask = gen.augmenter.apply(params, image, mask)
    uncropped = gen.augmenter.apply(TransformParams(**geometry, brightness=1.2, contrast=0.7), image, mask)
    np.testing.assert_array_equal(out, resized_crop(uncropped[0], box_of(params), (20, 16)))
    np.testing.assert_array_equal(out_mask, resized_crop_mask(uncropped[1], box_of(params), (20, 16)))


def test_the_intensity_kernels_run_on_the_input_before_the_folded_warp():
    gen = ImageDataGenerator(random_resized_crop=(16, 16), brightness_range=(0.5, 1.5))
    image = smooth_image() * 255
    params = TransformParams(**GEOMETRY, **BOX, brightness=1.3)
    brightened = gen.augmenter.apply(TransformParams(brightness=1.3), image)
    rows, cols = hand_coordinates(gen.augmenter.matrix(params, (ROWS, COLS)), box_of(params), (16, 16))
    expected = np.stack([scipy.ndimage.map_coordinates(brightened[..., k].astype(np.float64), [rows, cols],
                                                       order=1, mode="nearest") for k in range(3)], axis=-1)
    np.testing.assert_allclose(gen.augmenter.apply(params, image), expected, atol=2e-3)


@pytest.mark.parametrize("backend", ["skimage", "opencv"])
def test_batches_equal_their_samples_with_and_without_masks(backend):
    x = np.stack([smooth_image() * 255 + i for i in range(5)])
    masks = np.stack([labels()] * 5)
    gen = ImageDataGenerator(rotation_range=25, zoom_range=0.2, horizontal_flip=True, brightness_range=(0.8, 1.2),
                             random_resized_crop=dict(size=(18, 14), scale=(0.2, 1)), fill_mode="reflect",
                             random_erasing=0.5, backend=backend)
    flow = gen.flow(x, batch_size=5, shuffle=False, seed=4)
    batch = next(flow)
    images, batch_masks = next(gen.flow_pairs(x, masks, batch_size=5, shuffle=False, seed=4))
    params = [flow.transform_params(i) for i in range(5)]
    assert sum(p.resized_crop_top is not None and p.theta != 0 for p in params) == 5
    for i, p in enumerate(params):
        one, one_mask = gen.augmenter.apply(p, x[i], masks[i])
        np.testing.assert_array_equal(batch[i], one)
        np.testing.assert_array_equal(images[i], one)
        np.testing.assert_array_equal(batch_masks[i], one_mask)
        np.testing.assert_array_equal(gen.augmenter.apply_mask(p, masks[i]), one_mask)


@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
def test_the_compat_modes_refuse_the_resized_crop(compat):
    with pytest.raises(ValueError, match="random_resized_crop is not an argument of Keras's"):
        ImageDataGenerator(random_resized_crop=8, rotation_range=10, compat=compat)


# The warp stack's output_shape: output pixel (r, c) reads matrix @ (r, c, 1) whatever the sizes, so a smaller
# output is the top-left part of the full one and a larger one extends it.

MATRIX = np.array([[0.95, 0.2, 1.3], [-0.25, 1.05, -0.7], [0.0, 0.0, 1.0]])


@pytest.mark.parametrize("order", [0, 1, 2, 3])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "reflect", "wrap"])
@pytest.mark.parametrize("compat", [None, "keras_preprocessing"])
def test_warp_affine_output_shape_is_the_same_map_on_another_grid(order, fill_mode, compat):
    image = smooth_image() * 255
    options = dict(order=order, fill_mode=fill_mode, cval=7.0, convention=get_convention(compat))
    full = kernels.warp_affine(image, MATRIX, **options)
    small = kernels.warp_affine(image, MATRIX, output_shape=(25, 31), **options)
    large = kernels.warp_affine(image, MATRIX, output_shape=(ROWS + 5, COLS + 3), **options)
    assert small.shape == (25, 31, 3) and large.shape == (ROWS + 5, COLS + 3, 3) and small.dtype == image.dtype
    np.testing.assert_allclose(small, full[:25, :31], atol=1e-4)
    np.testing.assert_allclose(large[:ROWS, :COLS], full, atol=1e-4)


def test_identity_and_flips_to_another_size_are_warps_not_copies():
    image = smooth_image()
    np.testing.assert_array_equal(kernels.warp_affine(image, None, output_shape=(5, 6)), image[:5, :6])
    np.testing.assert_array_equal(kernels.warp_nearest(labels(), None, output_shape=(5, 6)), labels()[:5, :6])
    flip = np.array([[1.0, 0, 0], [0, -1.0, COLS - 1.0], [0, 0, 1]])
    np.testing.assert_array_equal(kernels.warp_nearest(labels(), flip, output_shape=(3, 4)), labels()[:3, ::-1][:, :4])
    assert kernels.copies_pixels(flip, (ROWS, COLS)) and not kernels.copies_pixels(MATRIX, (ROWS, COLS))


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "reflect", "wrap"])
def test_warp_nearest_output_shape(fill_mode):
    mask = labels()
    full = kernels.warp_nearest(mask, MATRIX, fill_mode=fill_mode, cval=99)
    small = kernels.warp_nearest(mask, MATRIX, fill_mode=fill_mode, cval=99, output_shape=(11, 45))
    large = kernels.warp_nearest(mask[..., None], MATRIX, fill_mode=fill_mode, cval=99, output_shape=(50, 50))
    assert small.dtype == mask.dtype and large.shape == (50, 50, 1)
    np.testing.assert_array_equal(small, full[:11, :45])
    np.testing.assert_array_equal(large[:ROWS, :COLS, 0], full)


@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("channels", [2, 4])
def test_the_opencv_backend_takes_output_shape(dtype, order, channels):
    """cv2.warpAffine's dsize: scikit-image's pixels on the other grid, within the backend's tolerances."""
    image = (smooth_image(channels) * 255).astype(dtype)
    convention = get_convention(None)
    # Entries off any decimal grid: with MATRIX's (0.95, 0.2, 1.3) many coordinates fall exactly on half
    # pixels, where OpenCV's nearest neighbour rounds otherwise (at any output size).
    turn = np.array([[np.cos(0.3), np.sin(0.3) / 1.1, 1.37], [-np.sin(0.3), np.cos(0.3) * 1.07, -0.71], [0, 0, 1]])
    reference = kernels.warp_affine(image.astype(np.float32), turn, order=order, fill_mode="reflect",
                                    output_shape=(17, 53))
    small = backends.warp("opencv", image, turn, order=order, fill_mode="reflect", cval=0, convention=convention,
                          output_shape=(17, 53))
    assert small.shape == (17, 53, channels) and small.dtype == dtype
    if order == 0:  # a near-tie may round the other way (opencv_backend's docstring)
        assert np.mean(small != reference.astype(dtype)) < 0.01
    else:
        np.testing.assert_allclose(small, reference, atol=0.51 if dtype == np.uint8 else 0.02)


@pytest.mark.parametrize("order", [1, 3])
def test_the_direct_skimage_call_takes_output_shape(order):
    assert skimage_warp.direct_agrees()
    image = smooth_image(2)
    matrix = MATRIX[[1, 0, 2]][:, [1, 0, 2]]
    for mode in ("constant", "edge", "symmetric", "wrap"):
        np.testing.assert_array_equal(
            skimage_warp.warp(image, matrix, order=order, mode=mode, cval=2.0, output_shape=(9, 60)),
            skimage_warp.public_warp(image, matrix, order=order, mode=mode, cval=2.0, output_shape=(9, 60)))
