"""The compat modes' iterators give Keras's own batches, files, labels and saved names."""

import os

import numpy as np
import pytest

from augkit import ImageDataGenerator
from tests.references import FLAVOURS, reference_generator
from tests.test_iterators_files import NESTED, make_tree
from helpers import require

pytestmark = pytest.mark.parity

AUGMENT = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=20,
               zoom_range=0.2, horizontal_flip=True, vertical_flip=True, channel_shift_range=10.0,
               brightness_range=(0.8, 1.2))


def pair(flavour, **kwargs):
    return ImageDataGenerator(compat=flavour, **kwargs), reference_generator(flavour)(**kwargs)


def assert_same_batch(ours, theirs):
    if isinstance(theirs, (tuple, list)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same_batch(a, b)
    else:
        np.testing.assert_array_equal(ours, theirs)
        assert np.asarray(ours).dtype == np.asarray(theirs).dtype


@pytest.fixture(scope="module")
def arrays():
    rng = np.random.default_rng(0)
    return rng.uniform(0, 255, (11, 9, 7, 3)).astype(np.float32), np.arange(11), rng.random(11)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
def test_flow_next_batches_equal_kerass(flavour, arrays, dtype):
    x, y, w = arrays
    ours, theirs = pair(flavour, **AUGMENT)
    a = ours.flow(x.astype(dtype), y, sample_weight=w, batch_size=4, seed=7)
    b = theirs.flow(x.astype(dtype), y, sample_weight=w, batch_size=4, seed=7)
    for _ in range(7):  # more than two epochs
        assert_same_batch(next(a), next(b))
        assert (a.batch_index, a.total_batches_seen) == (b.batch_index, b.total_batches_seen)
    np.testing.assert_array_equal(a.index_array, b.index_array)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_flow_getitem_and_on_epoch_end_equal_kerass(flavour, arrays):
    x, y, _ = arrays
    ours, theirs = pair(flavour, **AUGMENT)
    a, b = ours.flow(x, y, batch_size=3, seed=1), theirs.flow(x, y, batch_size=3, seed=1)
    for index in (2, 0, 3):
        assert_same_batch(a[index], b[index])
    a.on_epoch_end(), b.on_epoch_end()
    assert_same_batch(a[1], b[1])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_flow_extra_inputs_channels_first_and_subsets_equal_kerass(flavour, arrays):
    x, y, _ = arrays
    extra = np.arange(11) * 3
    ours, theirs = pair(flavour, **AUGMENT, validation_split=0.3)
    for subset in ("training", "validation"):
        a = ours.flow((x, extra), y % 2, batch_size=5, seed=3, subset=subset)
        b = theirs.flow((x, extra), y % 2, batch_size=5, seed=3, subset=subset)
        assert_same_batch(next(a), next(b))
    no_brightness = {k: v for k, v in AUGMENT.items() if k != "brightness_range"}  # Keras's fails channels_first
    ours, theirs = pair(flavour, **no_brightness, data_format="channels_first")
    first = x.transpose(0, 3, 1, 2)
    assert_same_batch(next(ours.flow(first, batch_size=4, seed=2)),
                      next(theirs.flow(first, batch_size=4, seed=2)))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_saved_file_names_equal_kerass(flavour, arrays, tmp_path):
    x, y, _ = arrays
    ours, theirs = pair(flavour, **AUGMENT)
    for name, gen in (("ours", ours), ("theirs", theirs)):
        (tmp_path / name).mkdir()
        it = gen.flow(x, y, batch_size=4, seed=5, save_to_dir=str(tmp_path / name), save_prefix="p")
        next(it), next(it)
    assert sorted(os.listdir(tmp_path / "ours")) == sorted(os.listdir(tmp_path / "theirs"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return make_tree(tmp_path_factory.mktemp("tree"), NESTED)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("subset", [None, "training", "validation"])
def test_directory_files_and_classes_equal_kerass(flavour, tree, subset, capsys):
    ours, theirs = pair(flavour, validation_split=0.34)
    a = ours.flow_from_directory(tree, target_size=(6, 5), subset=subset)
    b = theirs.flow_from_directory(str(tree), target_size=(6, 5), subset=subset)
    assert a.filenames == b.filenames
    assert a.filepaths == b.filepaths
    np.testing.assert_array_equal(a.classes, b.classes)
    assert a.classes.dtype == b.classes.dtype
    assert (a.class_indices, a.samples, a.num_classes) == (b.class_indices, b.samples, b.num_classes)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == out[1]  # the same "Found ..." line


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("color_mode, class_mode, interpolation", [
    ("rgb", "categorical", "nearest"), ("grayscale", "sparse", "bilinear"), ("rgba", "input", "bicubic"),
    ("rgb", None, "lanczos")])
def test_directory_batches_equal_kerass(flavour, tree, color_mode, class_mode, interpolation, capsys):
    ours, theirs = pair(flavour, **AUGMENT)
    kwargs = dict(target_size=(5, 4), color_mode=color_mode, class_mode=class_mode, batch_size=4, seed=3,
                  interpolation=interpolation)
    a = ours.flow_from_directory(tree, **kwargs)
    b = theirs.flow_from_directory(str(tree), **kwargs)
    for _ in range(4):
        assert_same_batch(next(a), next(b))
    assert_same_batch(a[1], b[1])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_dataframe_iterators_equal_kerass(flavour, tree, capsys):
    pd = require("pandas", "flow_from_dataframe needs pandas")
    names = [os.path.join("dog", "a.png"), os.path.join("cat", "y.png"), os.path.join("dog", "b.png"),
             os.path.join("cat", "x.PNG"), os.path.join("dog", "z", "c.png")]
    frame = pd.DataFrame({"filename": names, "class": ["dog", "cat", "dog", "cat", "dog"],
                          "score": [0.5, 1.5, 2.5, 3.5, 4.5], "weight": [1.0, 2.0, 1.0, 2.0, 1.0]})
    ours, theirs = pair(flavour, **AUGMENT, validation_split=0.4)
    for kwargs in (dict(weight_col="weight"), dict(class_mode="raw", y_col="score"),
                   dict(class_mode="binary", subset="training"), dict(class_mode="sparse", subset="validation")):
        common = dict(target_size=(5, 4), batch_size=2, seed=4, **kwargs)
        a = ours.flow_from_dataframe(frame, str(tree), **common)
        b = theirs.flow_from_dataframe(frame, str(tree), **common)
        assert a.filenames == b.filenames and a.filepaths == b.filepaths
        if hasattr(b, "class_indices"):  # Keras sets none for raw labels; augkit gives {}
            assert a.class_indices == b.class_indices
        for _ in range(3):
            assert_same_batch(next(a), next(b))


def test_directory_keep_aspect_ratio_and_subset_batches_equal_keras_3(tree, capsys):
    ours, theirs = pair("tf_keras", **AUGMENT, validation_split=0.34)
    for kwargs in (dict(keep_aspect_ratio=True, target_size=(3, 5)),
                   dict(subset="training", target_size=(6, 5)), dict(subset="validation", target_size=(6, 5))):
        a = ours.flow_from_directory(tree, batch_size=3, seed=9, **kwargs)
        b = theirs.flow_from_directory(str(tree), batch_size=3, seed=9, **kwargs)
        for _ in range(3):
            assert_same_batch(next(a), next(b))
