"""The batch loop's one-pass matrices and its shortcuts give exactly the per-sample results (issue 19)."""

import numpy as np
import pytest

from augkit import ImageDataGenerator, geometry
from augkit.iterators.batches import BatchIterator
from augkit.conventions import CONVENTIONS, transform_matrices, transform_matrix
from augkit.params import TransformParams
from augkit.pipeline import Augmenter

STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")


def _bitwise_equal(a, b):
    return np.array_equal(a, b) and np.array_equal(np.signbit(a), np.signbit(b))


def _random_params(rng, count):
    return [TransformParams(theta=float(rng.uniform(-400, 400)), tx=float(rng.normal() * 30),
                            ty=float(rng.normal() * 30), shear=float(rng.uniform(-80, 80)),
                            zx=float(rng.uniform(0.2, 3)), zy=float(rng.uniform(0.2, 3)),
                            flip_horizontal=bool(rng.random() < 0.5), flip_vertical=bool(rng.random() < 0.3))
            for _ in range(count)]


@pytest.mark.parametrize("compat", list(CONVENTIONS))
@pytest.mark.parametrize("shape", [(7, 5), (64, 64), (256, 300), (1, 9)])
def test_transform_matrices_equal_transform_matrix_bit_for_bit(compat, shape):
    rng = np.random.default_rng(len(shape) + shape[0])
    params = _random_params(rng, 200) + [TransformParams(), TransformParams(flip_vertical=True),
                                         TransformParams(theta=90.0), TransformParams(tx=1.0, zy=2.0)]
    stack = transform_matrices(params, shape, CONVENTIONS[compat])
    assert stack.shape == (len(params), 3, 3)
    for matrix, sample in zip(stack, params):
        assert _bitwise_equal(matrix, transform_matrix(sample, shape, CONVENTIONS[compat])), sample


def test_transform_matrices_of_neutral_and_flip_only_samples():
    stack = transform_matrices([TransformParams(), TransformParams(flip_horizontal=True)], (2, 4))
    assert stack.tolist() == [np.eye(3).tolist(), [[1, 0, 0], [0, -1, 3], [0, 0, 1]]]
    assert transform_matrices([], (2, 4)).shape == (0, 3, 3)


def test_affine_stack_and_swap_axes_stack_equal_their_single_forms():
    rng = np.random.default_rng(3)
    theta, shear = rng.uniform(-180, 180, 50).tolist(), rng.uniform(-60, 60, 50).tolist()
    shift, zoom = rng.normal(0, 9, (2, 50)).tolist(), rng.uniform(0.5, 2, (2, 50)).tolist()
    stack = geometry.affine_stack((3.5, 7.25), theta, shift, shear, zoom)
    swapped = geometry.swap_axes_stack(stack)
    for i in range(50):
        single = geometry.affine((3.5, 7.25), rotation_deg=theta[i], translation_px=(shift[0][i], shift[1][i]),
                                 shear_deg=shear[i], scale_factors=(zoom[0][i], zoom[1][i]))
        assert _bitwise_equal(stack[i], single)
        assert _bitwise_equal(swapped[i], geometry.swap_axes(single))


def _first_batch(options, x, monkeypatch=None):
    if monkeypatch is not None:  # every sample through Augmenter.apply, one by one, as before the batch path
        monkeypatch.setattr(BatchIterator, "_batch_matrices", lambda self, params, without_masks: None)
    return next(ImageDataGenerator(**options).flow(x, batch_size=len(x), shuffle=False, seed=4, workers=1))


@pytest.mark.parametrize("options", [
    dict(STANDARD),
    dict(STANDARD, dtype="float64", data_format="channels_first"),
    dict(STANDARD, interpolation_order=3, fill_mode="reflect", channel_shift_range=20.0, brightness_range=(0.5, 1.5)),
    dict(STANDARD, crop_size=(6, 5), random_erasing=0.5),
    dict(STANDARD, compat="keras_preprocessing"),
    dict(STANDARD, compat="tf_keras"),
], ids=["standard", "float64-channels-first", "bicubic-intensity", "crop-erasing", "keras_preprocessing", "tf_keras"])
def test_flow_batches_equal_apply_sample_by_sample(options, monkeypatch):
    rng = np.random.default_rng(0)
    shape = (3, 9, 8) if options.get("data_format") == "channels_first" else (9, 8, 3)
    x = rng.random((6,) + shape, dtype=np.float32) * 255
    batch = _first_batch(options, x)
    expected = _first_batch(options, x, monkeypatch)
    assert batch.dtype == expected.dtype
    assert np.array_equal(batch, expected)
    if "compat" not in options:  # and each sample is apply() of its replayable parameters
        gen = ImageDataGenerator(**options)
        it = gen.flow(x, batch_size=len(x), shuffle=False, seed=4)
        for i, image in enumerate(x):
            assert np.array_equal(batch[i], gen.augmenter.apply(it.transform_params(i), image).astype(gen.dtype))


def test_flow_without_masks_goes_through_the_batch_path(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the batch loop called Augmenter.apply")

    monkeypatch.setattr(Augmenter, "apply", refuse)
    x = np.random.default_rng(1).random((4, 8, 8, 3), dtype=np.float32)
    batch = next(ImageDataGenerator(**STANDARD).flow(x, batch_size=4, seed=0, workers=2))
    assert batch.shape == (4, 8, 8, 3)


def test_the_batch_path_still_refuses_a_bad_image_by_name():
    x = np.zeros((2, 3, 8, 7), dtype=np.float32)  # 7 channels last, 3 first: looks like channels_first
    gen = ImageDataGenerator(rotation_range=10)
    with pytest.warns(UserWarning, match="7 channels"):
        it = gen.flow(x, batch_size=2, seed=0)
    with pytest.raises(ValueError, match="looks like a channels_first image"):
        next(it)
