"""The batch loop's shortcut for samples that are one scikit-image warp (augkit.iterators.direct, issue 19).

It must give the long way's pixels bit for bit, be taken where it may, and never where something else
than the warp would change the sample.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from augkit import ImageDataGenerator, kernels, skimage_warp
from augkit.iterators import direct
from augkit.iterators.batches import BatchIterator

STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")


def _batch(options, x, *, long_way=False, monkeypatch=None, **flow):
    if long_way:
        monkeypatch.setattr(direct, "plan", lambda *args: None)
    gen = ImageDataGenerator(**options)
    return next(gen.flow(x, batch_size=len(x), shuffle=False, seed=3, **flow))


def _count_direct(monkeypatch):
    """The indices of the samples the shortcut writes (the long way also ends in warp_into: not counted)."""
    written = []
    original_plan = direct.plan

    def plan(*args):
        shortcut = original_plan(*args)
        if shortcut is None:
            return None
        samples, write = shortcut

        def counted(i, image, out):
            written.append(i)  # list.append is atomic: safe from several workers
            write(i, image, out)
        return samples, counted

    monkeypatch.setattr(direct, "plan", plan)
    return written


CASES = {
    "standard": dict(STANDARD),
    "bicubic-reflect": dict(STANDARD, interpolation_order=3, fill_mode="reflect"),
    "constant-cval": dict(STANDARD, fill_mode="constant", cval=-7.25),
    "wrap-vertical-flip": dict(STANDARD, fill_mode="wrap", vertical_flip=True),
    "float64-channels-first": dict(STANDARD, dtype="float64", data_format="channels_first"),
    "some-intensity": dict(STANDARD, brightness_range=(0.5, 1.5), channel_shift_range=10.0),
    "erasing-half": dict(STANDARD, random_erasing=0.5),
    "flips-only": dict(horizontal_flip=True, vertical_flip=True),
}


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_the_shortcut_gives_the_long_ways_pixels_bit_for_bit(case, channels, workers, monkeypatch):
    options = CASES[case]
    first = options.get("data_format") == "channels_first"
    shape = (channels, 11, 9) if first else (11, 9, channels)
    x = np.random.default_rng(channels).random((12,) + shape, dtype=np.float32) * 255
    x[2, 0, 0] = np.nan  # a NaN stays where the warp puts it, the same way both ways
    x.flags.writeable = False  # read-only input: copied for the compiled warp, never written
    batch = _batch(options, x, workers=workers)
    expected = _batch(options, x, long_way=True, monkeypatch=monkeypatch, workers=workers)
    assert batch.dtype == expected.dtype and batch.shape == expected.shape
    assert np.array_equal(batch, expected, equal_nan=True)


def test_geometry_only_samples_take_the_shortcut_and_the_others_do_not(monkeypatch):
    written = _count_direct(monkeypatch)
    x = np.random.default_rng(0).random((16, 10, 10, 3), dtype=np.float32) * 255
    gen = ImageDataGenerator(**STANDARD, random_erasing=0.5)
    it = gen.flow(x, batch_size=16, shuffle=False, seed=5)
    next(it)
    expected = sum(it.transform_params(i).erase_top is None for i in range(16))
    assert 0 < expected < 16  # the erased samples take the long way
    assert len(written) == expected
    written.clear()
    next(ImageDataGenerator(**STANDARD, brightness_range=(0.8, 1.2)).flow(x, batch_size=16, seed=5))
    assert written == []  # every sample draws a brightness


def test_geometry_only_batches_take_the_shortcut_for_every_warped_sample(monkeypatch):
    written = _count_direct(monkeypatch)
    x = np.random.default_rng(0).random((16, 10, 10, 3), dtype=np.float32) * 255
    next(ImageDataGenerator(**STANDARD).flow(x, batch_size=16, seed=5, workers=2))
    assert len(written) == 16


@pytest.mark.parametrize("options", [
    dict(STANDARD, interpolation_order=0),
    dict(STANDARD, interpolation_order=2),
    dict(STANDARD, compat="keras_preprocessing"),
    dict(STANDARD, compat="tf_keras"),
    dict(STANDARD, crop_size=(6, 6)),
    dict(STANDARD, samplewise_center=True),
    dict(STANDARD, rescale=1 / 255),
    dict(STANDARD, dtype="float64"),  # float32 images into a float64 batch: cast first, the long way
    dict(horizontal_flip=True, vertical_flip=True),  # flips and the identity are copies, not warps
], ids=["order0", "order2", "keras_preprocessing", "tf_keras", "crop_size", "samplewise", "rescale",
        "cast", "flips-only"])
def test_what_is_not_only_scikit_images_warp_takes_the_long_way(options, monkeypatch):
    written = _count_direct(monkeypatch)
    x = np.random.default_rng(0).random((8, 10, 10, 3), dtype=np.float32) * 255
    next(ImageDataGenerator(**options).flow(x, batch_size=8, seed=5))
    assert written == []


def test_opencv_backend_and_masks_take_the_long_way(monkeypatch):
    written = _count_direct(monkeypatch)
    x = np.random.default_rng(0).random((8, 10, 10, 3), dtype=np.float32) * 255
    masks = np.random.default_rng(1).integers(0, 3, (8, 10, 10, 1)).astype(np.uint8)
    next(ImageDataGenerator(**STANDARD).flow_pairs(x, masks, batch_size=8, seed=5))
    pytest.importorskip("cv2")
    next(ImageDataGenerator(**STANDARD, backend="opencv").flow(x, batch_size=8, seed=5))
    assert written == []


def test_an_overridden_apply_transform_is_still_called(monkeypatch):
    written = _count_direct(monkeypatch)

    class Negative(ImageDataGenerator):
        def apply_transform(self, x, transform_parameters):
            return -super().apply_transform(x, transform_parameters)

    x = np.random.default_rng(0).random((4, 10, 10, 3), dtype=np.float32) * 255
    batch = next(Negative(**STANDARD).flow(x, batch_size=4, seed=5))
    assert written == [] and (batch <= 0).all()


_ENTRY = st.sampled_from([0.0, 1.0, -1.0, 4.0, 5.0, 0.5, -0.0, np.nan])


@given(st.lists(st.tuples(_ENTRY, _ENTRY, _ENTRY, _ENTRY, _ENTRY, _ENTRY), min_size=1, max_size=6),
       st.sampled_from([(5, 6), (6, 5), (1, 1), (2, 7)]))
def test_copies_pixels_of_a_stack_is_copies_pixels_of_each(rows, rows_cols):
    stack = np.array([[[a, b, c], [d, e, f], [0, 0, 1]] for a, b, c, d, e, f in rows])
    got = direct._copies_pixels(stack, rows_cols)
    assert got.tolist() == [kernels.copies_pixels(matrix, rows_cols) for matrix in stack]


def test_the_written_matrix_is_the_one_warp_affine_hands_scikit_image(monkeypatch):
    x = np.random.default_rng(0).random((6, 9, 9, 3), dtype=np.float32) * 255
    handed = {"long": [], "short": []}
    original = skimage_warp.warp_into

    def spy(image, matrix_xy, out, **kwargs):
        handed[way].append(matrix_xy)
        return original(image, matrix_xy, out, **kwargs)

    monkeypatch.setattr(skimage_warp, "warp_into", spy)
    way = "short"
    _batch(STANDARD, x, workers=1)  # every sample warped: every one takes the shortcut
    way = "long"
    _batch(STANDARD, x, long_way=True, monkeypatch=monkeypatch, workers=1)
    assert len(handed["short"]) == len(handed["long"]) == 6
    for mine, theirs in zip(handed["short"], handed["long"], strict=True):
        assert mine.dtype == theirs.dtype == np.float32 and np.array_equal(mine, theirs)


def test_flows_x_is_read_row_by_row_without_asking_the_source(monkeypatch):
    from augkit.iterators.sources import ArraySource

    asked = []
    original = ArraySource.sample
    monkeypatch.setattr(ArraySource, "sample", lambda self, index: asked.append(index) or original(self, index))
    x = np.random.default_rng(0).random((8, 10, 10, 3), dtype=np.float32) * 255
    batch = next(ImageDataGenerator(**STANDARD).flow(x, batch_size=8, shuffle=False, seed=5))
    assert asked == []  # every sample warped: read from x directly
    next(ImageDataGenerator(horizontal_flip=True).flow(x, batch_size=8, shuffle=False, seed=5))
    assert sorted(asked) == list(range(8))  # flips and the identity: the long way asks the source
    assert batch.shape == x.shape
