"""MixUp and CutMix in the file iterators: ``flow_from_directory``, ``flow_from_dataframe`` and
``flow_pairs_from_directory`` take ``mix=`` and ``mix_alpha=`` with ``flow``'s contract (issue 18).

Sample ``i`` of the small folders made here is the file ``c{i:02d}/s.png`` of
class ``i``: a grey image of level ``10 * i`` (plus, when textured, a fixed
ramp so that augmentation shows), so a pixel tells which samples it mixes.
"""

import os

import numpy as np
import pytest
from PIL import Image

from augkit import ImageDataGenerator
from helpers import require
from test_mixing_stage import by_index  # {index: (image, label)} over one epoch

N, ROWS, COLS = 11, 6, 8
RAMP = (np.arange(ROWS * COLS).reshape(ROWS, COLS) % 7).astype(np.uint8)  # shows a rotation or a flip


def level(i, textured):
    return np.full((ROWS, COLS), 10 * i, np.uint8) + (RAMP if textured else 0)


def class_tree(root, textured=False):
    """``root/c00/s.png`` ... ``root/c10/s.png``: one grey file per class, file ``i`` of class ``i``."""
    for i in range(N):
        (root / f"c{i:02d}").mkdir(parents=True)
        Image.fromarray(level(i, textured)).save(root / f"c{i:02d}" / "s.png")
    return root


def pair_tree(root):
    """``root/images/s{i}.png`` of level ``10 * i`` and ``root/masks/s{i}.png`` of label ``i``."""
    for folder in ("images", "masks"):
        (root / folder).mkdir(parents=True)
    for i in range(N):
        Image.fromarray(level(i, False)).save(root / "images" / f"s{i:02d}.png")
        Image.fromarray(np.full((ROWS, COLS), i, np.uint8)).save(root / "masks" / f"s{i:02d}.png")
    return root / "images", root / "masks"


def from_directory(root, gen=None, **kwargs):
    kwargs = {"target_size": (ROWS, COLS), "color_mode": "grayscale", **kwargs}
    return (gen or ImageDataGenerator()).flow_from_directory(root, **kwargs)


# --- the contract: reproducible per (seed, epoch, index) --------------------------------------

@pytest.mark.parametrize("mix", ["mixup", "cutmix"])
def test_batch_size_and_workers_do_not_change_a_mixed_file_sample(tmp_path, mix, capsys):
    root = class_tree(tmp_path, textured=True)
    gen = ImageDataGenerator(rotation_range=20, horizontal_flip=True)
    one = by_index(from_directory(root, gen, batch_size=3, seed=5, workers=1, mix=mix))
    other = by_index(from_directory(root, gen, batch_size=11, seed=5, workers=3, mix=mix))
    assert sorted(one) == sorted(other) == list(range(N))
    for index in range(N):
        np.testing.assert_array_equal(one[index][0], other[index][0])
        np.testing.assert_array_equal(one[index][1], other[index][1])
    assert sum(not np.array_equal(one[i][1], np.eye(N)[i]) for i in range(N)) >= N // 2  # they are mixed


@pytest.mark.parametrize("mix", ["mixup", "cutmix"])
def test_a_folder_mixes_as_flow_mixes_the_same_pixels_epoch_after_epoch(tmp_path, mix, capsys):
    root = class_tree(tmp_path, textured=True)
    gen = ImageDataGenerator(rotation_range=30, zoom_range=0.2, horizontal_flip=True)
    files = from_directory(root, gen, batch_size=4, seed=7, mix=mix)
    x = np.stack([level(i, True)[..., None] for i in range(N)])  # uint8, as the files decode
    arrays = gen.flow(x, np.eye(N, dtype=np.float32), batch_size=4, seed=7, mix=mix)
    for _ in range(2 * len(files)):  # two epochs, the second reshuffled and redrawn
        (file_x, file_y), (array_x, array_y) = next(files), next(arrays)
        np.testing.assert_array_equal(files.index_array, arrays.index_array)
        np.testing.assert_array_equal(file_x, array_x)
        np.testing.assert_array_equal(file_y, array_y)
    assert files.epoch == arrays.epoch == 1


def test_mixup_mixes_one_hot_labels_by_the_weight_that_mixes_the_pixels(tmp_path, capsys):
    images, labels = next(from_directory(class_tree(tmp_path), batch_size=N, shuffle=False, seed=0, mix="mixup"))
    assert images.shape == (N, ROWS, COLS, 1) and images.dtype == np.float32 and labels.dtype == np.float32
    for i in range(N):
        lam = labels[i, i]
        partner = [j for j in np.flatnonzero(labels[i]) if j != i]
        assert len(partner) == 1 and labels[i].sum() == pytest.approx(1)
        np.testing.assert_allclose(images[i], 10 * (lam * i + (1 - lam) * partner[0]), rtol=1e-5, atol=1e-4)


def test_cutmix_weighs_one_hot_labels_by_the_pixels_each_file_keeps(tmp_path, capsys):
    images, labels = next(from_directory(class_tree(tmp_path), batch_size=N, shuffle=False, seed=1, mix="cutmix",
                                         mix_alpha=0.5))
    for i in range(N):
        kept = (images[i, ..., 0] == 10 * i).mean()
        partner = [j for j in np.flatnonzero(labels[i]) if j != i]
        assert len(partner) == 1 and labels[i, i] == pytest.approx(kept)
        assert set(np.unique(images[i]).tolist()) <= {10.0 * i, 10.0 * partner[0]}


def test_cutmix_pastes_the_partners_box_in_image_and_mask_file_alike(tmp_path, capsys):
    image_dir, mask_dir = pair_tree(tmp_path)
    gen = ImageDataGenerator(rotation_range=15)
    it = gen.flow_pairs_from_directory(image_dir, mask_dir, target_size=(ROWS, COLS), color_mode="grayscale",
                                       batch_size=5, shuffle=False, seed=2, mask_fill_mode="nearest", mix="cutmix")
    images, masks = next(it)
    assert images.shape == masks.shape == (5, ROWS, COLS, 1) and masks.dtype == np.float32
    np.testing.assert_array_equal(images, 10 * masks)  # the same box in both
    assert sum(len(np.unique(mask)) == 2 for mask in masks) >= 3  # boxes were pasted
    with pytest.raises(ValueError, match="mix='mixup' cannot mix masks.*use mix='cutmix'"):
        gen.flow_pairs_from_directory(image_dir, mask_dir, target_size=(ROWS, COLS), mix="mixup")


# --- flow_from_dataframe: categorical, raw and multi_output soft labels ------------------------

@pytest.fixture
def frame(tmp_path):
    pd = require("pandas", "flow_from_dataframe needs pandas")
    class_tree(tmp_path)
    soft = np.linspace(0, 1, N)
    return pd.DataFrame({"filename": [f"c{i:02d}/s.png" for i in range(N)], "class": [f"c{i:02d}" for i in range(N)],
                         "p": soft, "q": 1 - soft, "pair": [[s, 1 - s] for s in soft],
                         "third": [[s, 0.0, 1 - s] for s in soft]})


def from_frame(frame, tmp_path, **kwargs):
    kwargs = {"target_size": (ROWS, COLS), "color_mode": "grayscale", "batch_size": N, "shuffle": False,
              "seed": 3, **kwargs}
    return ImageDataGenerator().flow_from_dataframe(frame, str(tmp_path), **kwargs)


@pytest.mark.parametrize("mix", ["mixup", "cutmix"])
def test_a_dataframe_mixes_categorical_raw_and_multi_output_labels_by_one_weight(frame, tmp_path, mix, capsys):
    _, categorical = next(from_frame(frame, tmp_path, mix=mix))
    _, raw = next(from_frame(frame, tmp_path, class_mode="raw", y_col=["p", "q"], mix=mix))
    _, (pair, third) = next(from_frame(frame, tmp_path, class_mode="multi_output", y_col=["pair", "third"], mix=mix))
    soft = np.linspace(0, 1, N)
    own = categorical[np.arange(N), np.arange(N)]  # each sample's own weight
    partner = np.array([[j for j in np.flatnonzero(row) if j != i][0] for i, row in enumerate(categorical)])
    expected_p = own * soft + (1 - own) * soft[partner]
    np.testing.assert_allclose(raw, np.stack([expected_p, 1 - expected_p], axis=1), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(pair, raw, rtol=1e-6)
    np.testing.assert_allclose(third, np.stack([expected_p, np.zeros(N), 1 - expected_p], axis=1), rtol=1e-6,
                               atol=1e-6)
    assert raw.dtype == pair.dtype == np.float64


@pytest.mark.parametrize("mix", ["mixup", "cutmix"])
def test_one_hot_lists_of_integers_are_mixed_as_floats(frame, tmp_path, mix, capsys):
    hot = [[1, 0] if i % 2 else [0, 1] for i in range(N)]
    frame = frame.assign(hot=hot, hot_f=[[float(v) for v in row] for row in hot])
    _, (ints, _) = next(from_frame(frame, tmp_path, class_mode="multi_output", y_col=["hot", "pair"], mix=mix))
    _, (floats, _) = next(from_frame(frame, tmp_path, class_mode="multi_output", y_col=["hot_f", "pair"], mix=mix))
    assert ints.dtype == np.float32 and np.allclose(ints, floats, atol=1e-6)
    assert ((ints > 0) & (ints < 1)).any()  # mixed, not cut back to integers


# --- save_to_dir: as flow, the augmented images before mixing -----------------------------------

def saved(folder):
    return {name: np.asarray(Image.open(os.path.join(folder, name))) for name in sorted(os.listdir(folder))}


@pytest.mark.parametrize("source", ["flow", "flow_from_directory"])
def test_save_to_dir_writes_the_images_before_mixing_as_flow_does(tmp_path, source, capsys):
    root = class_tree(tmp_path / "data", textured=True)
    gen = ImageDataGenerator(rotation_range=30, horizontal_flip=True)
    x = np.stack([level(i, True)[..., None] for i in range(N)])
    folders = {}
    for mix in (None, "cutmix"):
        folders[mix] = tmp_path / f"saved_{mix}"
        folders[mix].mkdir()
        kwargs = dict(batch_size=4, seed=4, save_to_dir=str(folders[mix]), mix=mix)
        it = (gen.flow(x, np.eye(N, dtype=np.float32), **kwargs) if source == "flow"
              else from_directory(root, gen, **kwargs))
        next(it)
    plain, mixed = saved(folders[None]), saved(folders["cutmix"])
    assert len(plain) == 4 and plain.keys() == mixed.keys()
    for name in plain:
        np.testing.assert_array_equal(plain[name], mixed[name])  # the same files: written before mixing


# --- refusals, by name, with what is accepted -----------------------------------------------------

@pytest.mark.parametrize("class_mode, what", [
    ("binary", "one 0/1 number per sample"),
    ("sparse", "one class id per sample"),
    ("input", "the target is the image itself"),
    (None, "no labels to mix"),
])
@pytest.mark.parametrize("mix", ["mixup", "cutmix"])
def test_class_modes_without_mixable_labels_are_refused_by_name(tmp_path, class_mode, what, mix, capsys):
    root = class_tree(tmp_path)
    if class_mode == "binary":  # binary needs two classes
        root = tmp_path / "two"
        for i in range(2):
            (root / f"c{i}").mkdir(parents=True)
            Image.fromarray(level(i, False)).save(root / f"c{i}" / "s.png")
    with pytest.raises(ValueError, match=rf"mix='{mix}' cannot mix the labels of class_mode={class_mode!r} "
                                         rf"\({what}.*use class_mode='categorical' \(one-hot"):
        from_directory(root, class_mode=class_mode, mix=mix)


def test_categorical_labels_of_one_class_are_refused(tmp_path, capsys):
    (tmp_path / "only").mkdir()
    Image.fromarray(level(1, False)).save(tmp_path / "only" / "s.png")
    Image.fromarray(level(2, False)).save(tmp_path / "only" / "t.png")
    with pytest.raises(ValueError, match=r"mix='mixup' cannot mix class_mode='categorical' labels of 1 class"):
        from_directory(tmp_path, mix="mixup")


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(class_mode="raw", y_col="p"), ValueError,
     r"mix='mixup': the target of class_mode='raw' has shape \(11,\): sparse or binary labels"),
    (dict(class_mode="raw", y_col="pair"), ValueError,
     r"mix='mixup' cannot mix the target of class_mode='raw': it holds Python objects, shape \(11,\).*"
     r"class_mode='categorical'"),
    (dict(class_mode="multi_output", y_col=["pair", "p"]), ValueError,
     r"the target of output 1 of class_mode='multi_output' has shape \(11,\)"),
    (dict(class_mode="sparse"), ValueError, r"cannot mix the labels of class_mode='sparse'"),
])
def test_dataframe_labels_that_are_no_distributions_are_refused(frame, tmp_path, kwargs, error, message, capsys):
    with pytest.raises(error, match=message):
        from_frame(frame, tmp_path, mix="mixup", **kwargs)


def test_raw_labels_outside_zero_one_are_refused(frame, tmp_path, capsys):
    frame["q"] = frame["q"] * 5
    with pytest.raises(ValueError, match=r"the target of class_mode='raw' holds values outside \[0, 1\]"):
        from_frame(frame, tmp_path, class_mode="raw", y_col=["p", "q"], mix="cutmix")


@pytest.mark.parametrize("method", ["flow_from_directory", "flow_from_dataframe", "flow_pairs_from_directory"])
@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
def test_compat_modes_and_bad_arguments_are_refused_before_any_folder_is_walked(tmp_path, method, compat, capsys):
    gen = ImageDataGenerator(compat=compat)
    missing = tmp_path / "nowhere"  # never walked: the arguments are refused first
    call = getattr(gen, method)
    first = None if method == "flow_from_dataframe" else missing
    args = (first, missing) if method == "flow_pairs_from_directory" else (first,)
    with pytest.raises(ValueError, match=rf"mix='mixup' is not an argument of Keras's {method}: "
                                         rf"compat='{compat}'.*use compat=None"):
        call(*args, mix="mixup")
    call = getattr(ImageDataGenerator(), method)
    with pytest.raises(ValueError, match=r"mix='blend' must be None, 'mixup' or 'cutmix'"):
        call(*args, mix="blend")
    with pytest.raises(ValueError, match=r"mix_alpha=0.3 is given but mix=None"):
        call(*args, mix_alpha=0.3)
    with pytest.raises(ValueError, match=r"mix_alpha=-1 must be a finite number > 0"):
        call(*args, mix="cutmix", mix_alpha=-1)
    assert "Found" not in capsys.readouterr().out


@pytest.mark.parametrize("method", ["flow_from_directory", "flow_from_dataframe", "flow_pairs_from_directory"])
def test_mix_is_keyword_only(method):
    import inspect

    parameters = inspect.signature(getattr(ImageDataGenerator, method)).parameters
    assert parameters["mix"].kind is parameters["mix_alpha"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["mix"].default is parameters["mix_alpha"].default is None


def test_flow_and_flow_pairs_check_mix_before_the_arrays(tmp_path):
    # As the file iterators do: the mix arguments are checked first, so a bad mix is what the error names
    # even when the arrays would be refused too (here x has rank 3).
    x = np.zeros((4, 6, 8), np.float32)
    with pytest.raises(ValueError, match=r"^mix='blend' must be None, 'mixup' or 'cutmix'"):
        ImageDataGenerator().flow(x, mix="blend")
    with pytest.raises(ValueError, match=r"^mix='blend' must be None, 'mixup' or 'cutmix'"):
        ImageDataGenerator().flow_pairs(x, x, mix="blend")
    with pytest.raises(ValueError, match="flow_pairs"):
        ImageDataGenerator(compat="tf_keras").flow_pairs(x, x, mix="cutmix")
