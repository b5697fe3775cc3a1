"""The augmenter (augkit.pipeline): one matrix per sample for image and mask; iterators never call the facade."""

import pickle

import numpy as np
import pytest

import augkit.conventions
from augkit import ImageDataGenerator, TransformParams, kernels
from augkit.datasets import shapes_dir
from augkit.params import NEUTRAL
from augkit.pipeline import Augmenter

GEOMETRY = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=20,
                zoom_range=0.3, horizontal_flip=True, vertical_flip=True)
PARAMS = TransformParams(theta=23.0, tx=1.7, ty=-2.3, shear=7.0, zx=0.9, zy=1.15, flip_horizontal=True)
ROWS, COLS = 12, 17
FACADE_METHODS = ("apply_transform", "standardize", "transform_matrix", "random_transform", "random_params",
                  "get_random_transform", "sample_params", "stream", "fit")


def photo(rows=ROWS, cols=COLS, channels=3, seed=0):
    return np.random.default_rng(seed).random((rows, cols, channels)).astype(np.float32)


def index_mask(rows=ROWS, cols=COLS):
    """Each pixel holds its own flat index: warped, it tells where each output pixel came from."""
    return np.arange(rows * cols, dtype=np.int32).reshape(rows, cols)


@pytest.fixture
def count_matrices(monkeypatch):
    calls = []
    real = augkit.conventions.transform_matrix

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(augkit.conventions, "transform_matrix", counting)
    return calls


# --- the contract -------------------------------------------------------------------

def test_the_facade_makes_one_augmenter_from_its_options():
    gen = ImageDataGenerator(fill_mode="reflect", cval=2.0, interpolation_order=3, dtype="float64",
                             compat="tf_keras", **GEOMETRY)
    augmenter = gen.augmenter
    assert isinstance(augmenter, Augmenter)
    assert (augmenter.fill_mode, augmenter.cval, augmenter.interpolation_order) == ("reflect", 2.0, 3)
    assert augmenter.dtype == np.float64 and augmenter.data_format == "channels_last"
    assert augmenter.ranges is gen.ranges and augmenter.convention is gen.convention
    gen.fill_mode = "constant"  # Keras's attribute names on the facade write through to the augmenter
    assert augmenter.fill_mode == "constant" and gen.fill_mode == "constant"
    assert pickle.loads(pickle.dumps(augmenter)).fill_mode == "constant"


@pytest.mark.parametrize("compat", [None, "keras_preprocessing", "tf_keras"])
def test_apply_transform_is_the_augmenters_apply(compat):
    gen = ImageDataGenerator(compat=compat, channel_shift_range=0.2, brightness_range=(0.5, 1.5), **GEOMETRY)
    image = photo()
    params = gen.sample_params(image.shape, 3, seed=1)
    for sample in params:
        np.testing.assert_array_equal(gen.augmenter.apply(sample, image), gen.apply_transform(image, sample))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_same_params_give_the_same_output(data_format):
    augmenter = ImageDataGenerator(data_format=data_format, **GEOMETRY).augmenter
    image, mask = photo(), index_mask()
    if data_format == "channels_first":
        image = np.moveaxis(image, -1, 0)
    first = augmenter.apply(PARAMS, image, mask, mask_cval=-1)
    second = augmenter.apply(PARAMS.to_dict(), image.copy(), mask.copy(), mask_cval=-1)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert first[0].shape == image.shape and first[1].shape == mask.shape


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("params", [PARAMS, TransformParams(theta=90.0), TransformParams(flip_vertical=True),
                                    TransformParams(tx=3.0, ty=-2.0, zx=0.8, zy=0.8)],
                         ids=["affine", "rotation", "flip", "shift_zoom"])
def test_image_and_mask_get_the_same_matrix(data_format, params):
    """A mask of flat indices, warped alongside, names the source pixel of every image pixel."""
    gen = ImageDataGenerator(interpolation_order=0, fill_mode="constant", cval=-1.0, data_format=data_format)
    source = np.arange(ROWS * COLS, dtype=np.float32).reshape(ROWS, COLS, 1)
    image = np.moveaxis(source, -1, 0) if data_format == "channels_first" else source
    out, where = gen.augmenter.apply(params, image, index_mask(), mask_cval=-1)
    out = out.reshape(ROWS, COLS)
    inside = where >= 0
    assert inside.mean() > 0.5
    # order 0 reads the nearest pixel, as the mask's gather does: the same source pixel
    assert (out[inside] == where[inside]).mean() > 0.99
    assert np.all(out[~inside] == -1)
    matrix = gen.transform_matrix(params, image.shape)
    np.testing.assert_array_equal(where, kernels.warp_nearest(index_mask(), matrix, cval=-1))


def test_the_matrix_is_built_once_per_paired_sample(count_matrices):
    gen = ImageDataGenerator(**GEOMETRY)
    augmenter = gen.augmenter
    augmenter.apply(PARAMS, photo(), index_mask())
    assert len(count_matrices) == 1
    x = np.stack([photo(seed=s) for s in range(6)])
    masks = np.stack([index_mask()] * 6)
    it = gen.flow_pairs(x, masks, batch_size=4, shuffle=False, seed=0, workers=1)
    count_matrices.clear()
    images, mask_batch = next(it)
    assert len(images) == len(mask_batch) == 4
    assert len(count_matrices) == 4  # one per sample: before, the mask's matrix was built a second time


def test_neutral_params_return_new_arrays():
    augmenter = ImageDataGenerator(**GEOMETRY).augmenter
    image = photo()
    mask = index_mask().astype(np.uint8)
    image.flags.writeable = mask.flags.writeable = False
    out, out_mask = augmenter.apply(NEUTRAL, image, mask)
    np.testing.assert_array_equal(out, image)
    np.testing.assert_array_equal(out_mask, mask)
    assert not np.shares_memory(out, image) and not np.shares_memory(out_mask, mask)
    assert out.flags.writeable and out_mask.flags.writeable
    assert augmenter.apply({}, image.astype(np.uint8)).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.int64, np.float32, bool])
def test_masks_keep_their_dtype_and_labels(dtype):
    augmenter = ImageDataGenerator(**GEOMETRY).augmenter
    labels = np.random.default_rng(3).integers(0, 2 if dtype is bool else 5, (ROWS, COLS)).astype(dtype)
    out, mask = augmenter.apply(PARAMS, photo(), labels, mask_fill_mode="constant", mask_cval=0)
    assert out.dtype == np.float32 and mask.dtype == labels.dtype
    assert set(np.unique(mask).tolist()) <= set(np.unique(labels).tolist()) | {0}


def test_one_hot_masks_stay_one_hot_and_intensity_never_touches_a_mask():
    gen = ImageDataGenerator(channel_shift_range=50.0, brightness_range=(0.2, 0.3), data_format="channels_first")
    one_hot = np.eye(3, dtype=np.uint8)[np.random.default_rng(1).integers(0, 3, (ROWS, COLS))]
    mask = np.moveaxis(one_hot, -1, 0)  # (k, rows, cols): channels as data_format says
    params = TransformParams(theta=30.0, channel_shift_intensity=40.0, brightness=0.25)
    _, out = gen.augmenter.apply(params, np.moveaxis(photo(), -1, 0), mask, mask_cval=[1, 0, 0])
    assert out.shape == mask.shape and out.dtype == np.uint8
    assert np.all(out.sum(axis=0) == 1)
    np.testing.assert_array_equal(out, gen.augmenter.apply_mask(params, mask, mask_cval=[1, 0, 0]))


def test_make_params_delegates_to_the_stream():
    gen = ImageDataGenerator(**GEOMETRY)
    it = gen.flow(np.stack([photo(seed=s) for s in range(5)]), batch_size=2, seed=4)
    drawn = gen.augmenter.make_params((ROWS, COLS, 3), gen.stream(4), [3, 1], 2, 5)
    assert drawn == gen.stream(4).params([3, 1], 2, 5, gen.ranges, (ROWS, COLS))
    assert drawn == [it.transform_params(3, epoch=2), it.transform_params(1, epoch=2)]


# --- the iterators never call back into the facade -------------------------------------

def refuse_facade_methods(monkeypatch, gen):
    for name in FACADE_METHODS:
        def refuse(*args, name=name, **kwargs):
            raise AssertionError(f"an iterator called ImageDataGenerator.{name} while building a batch")
        monkeypatch.setattr(gen, name, refuse, raising=False)


def flow_cases(gen):
    x = np.stack([photo(seed=s) for s in range(5)])
    masks = np.stack([index_mask()] * 5)
    return {
        "flow": lambda: gen.flow(x, np.arange(5), batch_size=3, seed=1, workers=2),
        "flow_pairs": lambda: gen.flow_pairs(x, masks, batch_size=3, seed=1, workers=2),
        "flow_from_directory": lambda: gen.flow_from_directory(
            shapes_dir(), target_size=(16, 16), batch_size=3, seed=1, workers=1),
    }


@pytest.mark.parametrize("case", ["flow", "flow_pairs", "flow_from_directory"])
@pytest.mark.parametrize("compat", [None, "tf_keras"])
def test_building_a_batch_calls_no_facade_method(monkeypatch, capsys, case, compat):
    options = dict(compat=compat, rescale=1 / 255, samplewise_center=True, channel_shift_range=0.1, **GEOMETRY)
    expected_gen, gen = ImageDataGenerator(**options), ImageDataGenerator(**options)
    expected = flow_cases(expected_gen)[case]()
    it = flow_cases(gen)[case]()
    refuse_facade_methods(monkeypatch, gen)
    for batch_number in range(3):
        got, want = (it[1], expected[1]) if batch_number == 2 else (next(it), next(expected))
        for a, b in zip(got if isinstance(got, tuple) else [got], want if isinstance(want, tuple) else [want]):
            np.testing.assert_array_equal(a, b)
    assert it.image_data_generator is gen  # kept for Keras's attribute, never called
    assert it.augmenter is gen.augmenter and it.normalizer is gen.normalizer


# --- subclass overrides (Keras users subclass ImageDataGenerator) ----------------------

class Overriding(ImageDataGenerator):
    def __init__(self, **options):
        super().__init__(**options)
        self.calls = []

    def apply_transform(self, x, transform_parameters):
        self.calls.append("apply_transform")
        return super().apply_transform(x, transform_parameters) + 1000.0

    def standardize(self, x):
        self.calls.append("standardize")
        return super().standardize(x) * -1.0


def test_overridden_apply_transform_and_standardize_are_honoured():
    x = np.stack([photo(seed=s) for s in range(4)])
    masks = np.stack([index_mask()] * 4)
    plain, custom = ImageDataGenerator(rescale=0.5, **GEOMETRY), Overriding(rescale=0.5, **GEOMETRY)
    expected = next(plain.flow(x, batch_size=4, shuffle=False, seed=2, workers=1))
    got = next(custom.flow(x, batch_size=4, shuffle=False, seed=2, workers=1))
    np.testing.assert_allclose(got, -(expected + 500.0), rtol=1e-6)
    assert custom.calls.count("apply_transform") == custom.calls.count("standardize") == 4
    images, mask_batch = next(custom.flow_pairs(x, masks, batch_size=4, shuffle=False, seed=2, workers=1))
    plain_images, plain_masks = next(plain.flow_pairs(x, masks, batch_size=4, shuffle=False, seed=2, workers=1))
    np.testing.assert_allclose(images, -(plain_images + 500.0), rtol=1e-6)
    np.testing.assert_array_equal(mask_batch, plain_masks)  # the mask still follows the augmenter's matrix


def test_an_iterator_without_overrides_holds_no_hooks():
    it = ImageDataGenerator(**GEOMETRY).flow(photo()[np.newaxis], seed=0)
    assert it._transform_hook is None and it._standardize_hook is None
