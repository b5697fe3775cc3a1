"""``flow`` and the iterator machinery: batches, epochs, reproducible draws, subsets, save_to_dir, errors."""

import os
import re

import numpy as np
import pytest

from augkit import ImageDataGenerator, TransformParams
from augkit.iterators import BatchIndexError
from frequency_checks import KERAS_HASH_RANGE, check_saved_files

STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                zoom_range=0.2, horizontal_flip=True)


def images(n=10, rows=8, cols=9, channels=3, dtype=np.float32):
    return (np.random.default_rng(1).random((n, rows, cols, channels)) * 255).astype(dtype)


def served(iterator, batches):
    """The indices a run of ``next()`` serves, read back from ``y = arange``."""
    return np.concatenate([next(iterator)[1] for _ in range(batches)])


# --- batches -------------------------------------------------------------------

def test_batches_are_float32_with_the_images_shape_and_a_short_last_batch():
    it = ImageDataGenerator(**STANDARD).flow(images(10), np.arange(10), batch_size=4)
    assert len(it) == 3
    shapes = [it[i][0].shape for i in range(3)]
    assert shapes == [(4, 8, 9, 3), (4, 8, 9, 3), (2, 8, 9, 3)]
    assert it[0][0].dtype == np.float32


def test_without_augmentation_a_batch_is_the_data_as_float32_and_x_is_not_copied():
    x = images(6, dtype=np.uint8)
    it = ImageDataGenerator().flow(x, batch_size=6, shuffle=False)
    assert it.x is x  # no copy of the input
    batch = next(it)
    assert batch.dtype == np.float32
    np.testing.assert_array_equal(batch, x.astype(np.float32))


def test_outputs_follow_keras_for_y_sample_weight_and_extra_inputs():
    x, y, w = images(5), np.arange(5) * 10, np.linspace(0, 1, 5)
    extra, other = np.arange(5)[:, None] * 2, np.arange(5) + 100
    gen = ImageDataGenerator()
    assert isinstance(gen.flow(x, shuffle=False).next(), np.ndarray)
    bx, by = gen.flow(x, y, shuffle=False, batch_size=2).next()
    np.testing.assert_array_equal(by, [0, 10])
    bx, by, bw = gen.flow(x, y, sample_weight=w, shuffle=False, batch_size=2).next()
    np.testing.assert_array_equal(bw, w[:2])
    inputs, by = gen.flow((x, extra), y, shuffle=False, batch_size=2).next()
    assert isinstance(inputs, list) and len(inputs) == 2
    np.testing.assert_array_equal(inputs[1], extra[:2])
    inputs = gen.flow((x, [extra, other]), shuffle=False, batch_size=3).next()
    assert len(inputs) == 3 and inputs[2].tolist() == [100, 101, 102]
    inputs = gen.flow((x, extra, other), shuffle=False, batch_size=3).next()
    assert len(inputs) == 3 and inputs[2].tolist() == [100, 101, 102]


def test_labels_travel_with_their_images_when_shuffled():
    x = images(12)
    it = ImageDataGenerator().flow(x, np.arange(12), batch_size=5, seed=3)
    for _ in range(5):
        bx, by = next(it)
        np.testing.assert_array_equal(bx, x[by])


def test_channels_first_generators_give_channels_first_batches():
    x = images(4).transpose(0, 3, 1, 2)
    gen = ImageDataGenerator(**STANDARD, data_format="channels_first")
    assert gen.flow(x, batch_size=4, seed=0).next().shape == (4, 3, 8, 9)


def test_standardize_runs_after_the_transform():
    x = images(3)
    batch = ImageDataGenerator(rescale=1 / 255.0).flow(x, shuffle=False).next()
    np.testing.assert_allclose(batch, x / 255.0, rtol=1e-6)
    centred = ImageDataGenerator(samplewise_center=True).flow(x, shuffle=False).next()
    np.testing.assert_allclose(centred.mean(axis=(1, 2, 3)), 0, atol=1e-3)


# --- epochs and indices, as in Keras ---------------------------------------------

def test_next_iterates_forever_and_every_epoch_serves_each_sample_once():
    it = ImageDataGenerator().flow(images(10), np.arange(10), batch_size=4, seed=0)
    epochs = [served(it, 3) for _ in range(4)]  # 3 batches of 4, 4, 2 per epoch
    for order in epochs:
        assert sorted(order) == list(range(10))
    assert len({tuple(order) for order in epochs}) > 1  # reshuffled
    assert it.epoch == 3 and it.total_batches_seen == 12


def test_shuffle_false_serves_in_order():
    it = ImageDataGenerator().flow(images(5), np.arange(5), batch_size=2, shuffle=False)
    assert served(it, 6).tolist() == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]


def test_index_array_batch_index_and_total_batches_seen_like_keras():
    it = ImageDataGenerator().flow(images(5), np.arange(5), batch_size=2, shuffle=False)
    assert it.index_array is None and it.batch_index == 0 and it.total_batches_seen == 0
    next(it)
    assert it.index_array.tolist() == [0, 1, 2, 3, 4] and it.batch_index == 1
    next(it), next(it)
    assert it.batch_index == 0 and it.total_batches_seen == 3
    it[1]
    assert it.total_batches_seen == 4


def test_getitem_is_stable_within_an_epoch_and_on_epoch_end_reshuffles():
    it = ImageDataGenerator(**STANDARD).flow(images(9), np.arange(9), batch_size=3, seed=5)
    first = it[1]
    again = it[1]
    np.testing.assert_array_equal(first[0], again[0])
    it.on_epoch_end()
    assert it.epoch == 1
    later = [it[i][1] for i in range(3)]
    assert sorted(np.concatenate(later)) == list(range(9))


def test_reset_replays_the_epoch_from_its_first_batch():
    it = ImageDataGenerator(**STANDARD).flow(images(9), np.arange(9), batch_size=3, seed=5)
    first = next(it)
    next(it)
    it.reset()
    replay = next(it)
    np.testing.assert_array_equal(first[0], replay[0])
    np.testing.assert_array_equal(first[1], replay[1])


def test_batch_index_out_of_range_is_an_index_error_and_a_value_error():
    it = ImageDataGenerator().flow(images(5), batch_size=2)
    with pytest.raises(IndexError, match="batch 3"):
        it[3]
    with pytest.raises(ValueError):
        it[-1]
    assert issubclass(BatchIndexError, IndexError)
    with pytest.raises(TypeError):
        it["0"]


# --- reproducible samples (default mode) ----------------------------------------------

def _by_index(iterator, batches):
    """{sample index: image} over ``batches`` calls of next()."""
    found = {}
    for _ in range(batches):
        bx, by = next(iterator)
        found.update(zip(by.tolist(), bx))
    return found


@pytest.mark.parametrize("batch_size, workers, shuffle", [(1, 1, False), (4, 2, True), (10, 3, True)])
def test_a_samples_transform_depends_only_on_seed_epoch_and_index(batch_size, workers, shuffle):
    x = images(10)
    reference = _by_index(ImageDataGenerator(**STANDARD).flow(
        x, np.arange(10), batch_size=3, shuffle=False, seed=11, workers=1), 4)
    other = ImageDataGenerator(**STANDARD).flow(
        x, np.arange(10), batch_size=batch_size, shuffle=shuffle, seed=11, workers=workers)
    found = _by_index(other, len(other))
    for index in range(10):
        np.testing.assert_array_equal(found[index], reference[index])


def test_transform_params_replays_any_sample():
    x = images(7)
    gen = ImageDataGenerator(**STANDARD, brightness_range=(0.5, 1.5))
    it = gen.flow(x, np.arange(7), batch_size=3, seed=2)
    for _ in range(6):  # two epochs
        bx, by = next(it)
        for image, index in zip(bx, by):
            params = it.transform_params(index, epoch=it.epoch)  # the epoch of the last batch
            assert isinstance(params, TransformParams)
            np.testing.assert_array_equal(image, gen.apply_transform(x[index], params))
    assert it.transform_params(0, epoch=0) != it.transform_params(0, epoch=1)


def test_enabling_brightness_does_not_change_the_geometry_and_masks_stay_aligned():
    x = images(6)
    plain = ImageDataGenerator(**STANDARD).flow(x, seed=9)
    bright = ImageDataGenerator(**STANDARD, brightness_range=(0.5, 1.5)).flow(x, seed=9)
    for index in range(6):
        a, b = plain.transform_params(index, 1), bright.transform_params(index, 1)
        assert a.to_dict() | {"brightness": None} == b.to_dict() | {"brightness": None}
    mask = (images(6, channels=1) > 128).astype(np.float32)
    image_it = ImageDataGenerator(**STANDARD).flow(x, seed=4, batch_size=3)
    mask_it = ImageDataGenerator(**STANDARD, interpolation_order=0).flow(mask, seed=4, batch_size=3)
    for _ in range(4):
        next(image_it), next(mask_it)
        np.testing.assert_array_equal(image_it.index_array, mask_it.index_array)


def test_without_a_seed_one_is_drawn_and_kept():
    gen = ImageDataGenerator(**STANDARD)
    a, b = gen.flow(images(4)), gen.flow(images(4))
    assert isinstance(a.seed, int) and a.seed != b.seed
    same = gen.flow(images(4), seed=a.seed)
    assert same.transform_params(2) == a.transform_params(2)


def test_transform_params_checks_its_arguments_and_mode():
    it = ImageDataGenerator(**STANDARD).flow(images(4))
    with pytest.raises(IndexError, match="out of range"):
        it.transform_params(4)
    with pytest.raises(ValueError):
        it.transform_params(0, epoch=-1)
    compat = ImageDataGenerator(**STANDARD, compat="tf_keras").flow(images(4), seed=0)
    with pytest.raises(ValueError, match="default mode"):
        compat.transform_params(0)


def test_worker_errors_reach_the_caller():
    def broken(image):
        raise RuntimeError("bad preprocessing")

    it = ImageDataGenerator(preprocessing_function=broken).flow(images(4), batch_size=4, workers=2)
    with pytest.raises(RuntimeError, match="bad preprocessing"):
        next(it)
    it.close()


# --- validation_split and subset -----------------------------------------------------------

def test_flow_subsets_split_like_keras_and_never_overlap():
    x, y = images(10), np.tile([0, 1], 5)
    gen = ImageDataGenerator(validation_split=0.3)
    validation = gen.flow(x, y, subset="validation", shuffle=False)
    training = gen.flow(x, y, subset="training", shuffle=False)
    assert validation.n == 3 and training.n == 7
    np.testing.assert_array_equal(validation.x, x[:3])
    np.testing.assert_array_equal(training.x, x[3:])
    np.testing.assert_array_equal(training.next()[1], y[3:])
    weighted = gen.flow(x, y, sample_weight=np.arange(10.0), subset="training", shuffle=False)
    np.testing.assert_array_equal(weighted.next()[2], np.arange(3.0, 10.0))  # Keras gives 0..6


def test_flow_split_must_keep_every_class_unless_told_otherwise():
    x, y = images(10), np.repeat([0, 1], 5)  # sorted by label
    gen = ImageDataGenerator(validation_split=0.5)
    with pytest.raises(ValueError, match="different classes.*shuffle"):
        gen.flow(x, y, subset="training")
    assert gen.flow(x, y, subset="training", ignore_class_split=True).n == 5


def test_subset_errors_are_named():
    gen = ImageDataGenerator(validation_split=0.2)
    with pytest.raises(ValueError, match="subset='test'"):
        gen.flow(images(10), subset="test")
    with pytest.raises(ValueError, match="validation_split > 0"):
        ImageDataGenerator().flow(images(10), subset="validation")
    with pytest.raises(ValueError, match="empty"):
        gen.flow(images(2), subset="validation")


# --- bad input -------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, message", [
    (dict(x=np.zeros((8, 9, 3))), ValueError, "rank 4.*x\\[np.newaxis\\]"),
    (dict(x=np.zeros((0, 8, 9, 3))), ValueError, "no images"),
    (dict(x=np.zeros((4, 8, 9, 3)), y=np.arange(3)), ValueError, "same length.*4 images.*3 labels"),
    (dict(x=np.zeros((4, 8, 9, 3)), sample_weight=np.ones(5)), ValueError, "sample_weight"),
    (dict(x=(np.zeros((4, 8, 9, 3)), np.ones(3))), ValueError, "extra array 1 has 3"),
    (dict(x=(np.zeros((4, 8, 9, 3)),)), ValueError, "\\(images, extra\\)"),
    (dict(x=[np.zeros((8, 9, 3))] * 3), ValueError, "np.stack"),
    (dict(x=np.full((2, 3, 3, 1), "a")), TypeError, "numbers"),
    (dict(x=np.zeros((4, 8, 9, 3)), batch_size=0), ValueError, "batch_size"),
    (dict(x=np.zeros((4, 8, 9, 3)), seed=-1), ValueError, "seed"),
    (dict(x=np.zeros((4, 8, 9, 3)), seed=1.5), TypeError, "seed"),
    (dict(x=np.zeros((4, 8, 9, 3)), workers=0), ValueError, "workers"),
    (dict(x=np.zeros((4, 8, 9, 3)), shuffle="yes"), TypeError, "shuffle"),
])
def test_bad_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        ImageDataGenerator().flow(**kwargs)


def test_unusual_channel_counts_warn_like_keras():
    with pytest.warns(UserWarning, match="5 channels"):
        ImageDataGenerator().flow(np.zeros((2, 4, 4, 5)))


# --- save_to_dir --------------------------------------------------------------------

NAME = re.compile(r"^(?P<prefix>.*)_(?P<index>\d+)_(?P<hash>\d+)\.(?P<format>\w+)$")


@pytest.mark.parametrize("as_path", [False, True])
def test_save_to_dir_writes_one_file_per_image_named_like_keras(tmp_path, as_path):
    folder = tmp_path / "aug"
    folder.mkdir()
    it = ImageDataGenerator(**STANDARD).flow(images(5), np.arange(5), batch_size=3, seed=0,
                                             save_to_dir=folder if as_path else str(folder),
                                             save_prefix="cat", save_format="jpeg")
    _, by = next(it)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 3
    parsed = [NAME.match(name) for name in names]
    assert all(m and m["prefix"] == "cat" and m["format"] == "jpeg" for m in parsed)
    assert sorted(int(m["index"]) for m in parsed) == sorted(by.tolist())
    assert all(0 <= int(m["hash"]) < KERAS_HASH_RANGE for m in parsed)  # Keras: np.random.randint(1e4)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aug"]  # nothing else created


def saved_hashes(folder):
    """``{(index, hash), ...}`` of the files in ``folder``."""
    return {(int(m["index"]), int(m["hash"])) for m in map(NAME.match, os.listdir(folder))}


def save_epochs(folder, epochs=1, batch_size=5, seed=0, shuffle=True):
    """``saved_hashes`` after ``epochs`` epochs of 5 images (default mode)."""
    it = ImageDataGenerator(**STANDARD).flow(images(5), batch_size=batch_size, seed=seed, shuffle=shuffle,
                                             save_to_dir=folder)
    for _ in range(epochs * len(it)):
        next(it)
    return saved_hashes(folder)


def test_save_to_dir_hashes_depend_only_on_seed_epoch_and_index(tmp_path):
    folders = [tmp_path / name for name in ("whole", "pairs", "unshuffled", "seed_1", "two_epochs")]
    for folder in folders:
        folder.mkdir()
    whole = save_epochs(folders[0])
    assert sorted(index for index, _ in whole) == [0, 1, 2, 3, 4]
    assert all(0 <= number < KERAS_HASH_RANGE for _, number in whole)
    assert len({number for _, number in whole}) == 5  # drawn, not a constant or the index
    assert save_epochs(folders[1], batch_size=2) == whole  # batches do not matter
    assert save_epochs(folders[2], shuffle=False) == whole  # nor the order
    other_seed = save_epochs(folders[3], seed=1)
    assert {i for i, _ in other_seed} == {i for i, _ in whole} and other_seed.isdisjoint(whole)
    two_epochs = save_epochs(folders[4], epochs=2)
    assert whole < two_epochs and len(two_epochs) == 10  # epoch 1 draws new numbers for every index


def distinct_images(n=7, rows=4, cols=5):
    """n different uint8-valued images, each holding 0 and 255 (saving them does not rescale)."""
    x = np.random.default_rng(0).integers(0, 256, (n, rows, cols, 3)).astype(np.float32)
    x[:, 0, 0, 0], x[:, 0, 0, 1] = 0, 255
    return x


def save_one_shuffled_epoch(folder, x, compat=None):
    """The indices an identity generator's shuffled epoch serves, saving each image in ``folder``."""
    it = ImageDataGenerator(compat=compat).flow(x, np.arange(len(x)), batch_size=3, shuffle=True, seed=5,
                                                save_to_dir=folder, save_prefix="s", save_format="png")
    return np.concatenate([next(it)[1] for _ in range(len(it))])


@pytest.mark.parametrize("compat", [None, "keras_preprocessing", "tf_keras"])
def test_save_to_dir_names_carry_each_sample_index_in_x(tmp_path, compat):
    x = distinct_images()
    served = save_one_shuffled_epoch(tmp_path, x, compat)
    assert sorted(served) == list(range(7)) and list(served) != sorted(served)  # shuffled
    assert check_saved_files(tmp_path, x, "s", "png", epoch_indices=range(7)) == []


def test_save_to_dir_never_overwrites_a_file_from_an_earlier_run(tmp_path):
    def run():
        it = ImageDataGenerator(**STANDARD).flow(images(4), batch_size=4, seed=1, save_to_dir=tmp_path)
        next(it)

    run()
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    run()  # the same seed asks for the same names: it takes the next free ones
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert len(after) == 8
    assert all(after[name] == data for name, data in first.items())


def test_save_to_dir_handles_non_ascii_folders(tmp_path):
    folder = tmp_path / "증강 이미지"
    folder.mkdir()
    next(ImageDataGenerator().flow(images(2), save_to_dir=folder, save_prefix="얼굴"))
    assert len(list(folder.glob("얼굴_*.png"))) == 2


def test_save_to_dir_must_exist_and_nothing_is_created(tmp_path):
    with pytest.raises(FileNotFoundError, match="create it first"):
        ImageDataGenerator().flow(images(2), save_to_dir=tmp_path / "missing")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="save_format"):
        ImageDataGenerator().flow(images(2), save_to_dir=tmp_path, save_format="nope")
    with pytest.raises(TypeError, match="save_to_dir"):
        ImageDataGenerator().flow(images(2), save_to_dir=3)


def test_keras_modes_name_saved_files_with_kerass_random_numbers(tmp_path):
    gen = ImageDataGenerator(**STANDARD, compat="keras_preprocessing")
    next(gen.flow(images(3), batch_size=3, seed=0, save_to_dir=tmp_path))
    names = [p.name for p in tmp_path.iterdir()]
    assert len(names) == 3 and all(int(NAME.match(name)["hash"]) < 10**4 for name in names)


def test_concurrent_getitem_calls_give_the_sequential_batches():
    from concurrent.futures import ThreadPoolExecutor

    x = images(40)
    it = ImageDataGenerator(**STANDARD).flow(x, np.arange(40), batch_size=4, seed=8, workers=2)
    sequential = [it[i] for i in range(len(it))]
    with ThreadPoolExecutor(4) as pool:  # as Keras's PyDataset workers would call it
        concurrent = list(pool.map(it.__getitem__, range(len(it))))
    for (a, ya), (b, yb) in zip(sequential, concurrent):
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(a, b)


def test_repr_says_what_the_iterator_serves():
    it = ImageDataGenerator().flow(images(10), batch_size=4, seed=3)
    assert repr(it) == ("<NumpyArrayIterator: 10 samples of shape (8, 9, 3), 3 batches of 4, shuffle=True, "
                        "seed=3, epoch 0>")
    compat = ImageDataGenerator(compat="tf_keras").flow(images(10), batch_size=4, seed=3)
    assert repr(compat).endswith("compat='tf_keras'>")


def test_batches_still_referenced_are_never_overwritten():
    x = images(12)
    it = ImageDataGenerator(**STANDARD).flow(x, np.arange(12), batch_size=4, seed=1)
    kept = [next(it) for _ in range(3)]  # whole batches
    view = next(it)[0][1:3]  # only a view of one batch
    copies = [(bx.copy(), by.copy()) for bx, by in kept] + [view.copy()]
    for _ in range(12):
        next(it)
    for (bx, by), (cx, cy) in zip(kept, copies):
        np.testing.assert_array_equal(bx, cx)
        np.testing.assert_array_equal(by, cy)
    np.testing.assert_array_equal(view, copies[-1])


def test_a_dropped_batch_array_is_reused():
    it = ImageDataGenerator().flow(images(12), batch_size=4, shuffle=False)
    addresses = {next(it).__array_interface__["data"][0] for _ in range(9)}  # each dropped at once
    assert len(addresses) <= 2
