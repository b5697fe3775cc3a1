"""``flow_from_directory`` and ``flow_from_dataframe``: file order, labels, subsets, loading, bad input."""

import os
import sys

import numpy as np
import pytest
from PIL import Image

from augkit import ImageDataGenerator
from augkit.datasets import faces_dir
from augkit.image_io import ImageFileError
from helpers import require

STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                zoom_range=0.2, horizontal_flip=True)


def write_png(path, value=0, size=(6, 5), mode="RGB"):
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(abs(hash(path.name)) % 2**32)
    channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    pixels = (rng.random((size[0], size[1], channels)) * 255).astype(np.uint8)
    pixels[0, 0] = value
    Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels).save(path)
    return path


def make_tree(root, layout):
    """``layout``: relative file names; PNGs are written, other suffixes get text."""
    for index, name in enumerate(layout):
        path = root / name
        if name.lower().endswith(".png"):
            write_png(path, value=index)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("not an image")
    return root


NESTED = ["dog/b.png", "dog/a.png", "dog/z/c.png", "dog/a b/d.png", "dog/a-1/e.png", "dog/a/f.png",
          "dog/a/q/g.png",
          "dog/notes.txt", "cat/x.PNG", "cat/y.png", "cat/sub/deeper/w.png", "cat/sub/v.png"]


def flow_dir(root, **kwargs):
    kwargs.setdefault("target_size", (6, 5))
    return ImageDataGenerator(**kwargs.pop("gen", {})).flow_from_directory(root, **kwargs)


# --- the faces tree ------------------------------------------------------------------

def test_faces_tree_attributes(capsys):
    it = flow_dir(faces_dir() / "train", target_size=(25, 25), color_mode="grayscale", shuffle=False)
    assert "Found 160 images belonging to 2 classes." in capsys.readouterr().out
    assert it.class_indices == {"face": 0, "nonface": 1}
    assert it.samples == it.n == 160 and it.num_classes == 2
    assert it.filenames[0] == os.path.join("face", "face_000.png")
    assert it.classes.dtype == np.int32 and it.classes.tolist() == [0] * 80 + [1] * 80
    assert it.labels is it.classes
    assert it.filepaths[0] == os.path.join(str(faces_dir() / "train"), it.filenames[0])
    bx, by = next(it)
    assert bx.shape == (32, 25, 25, 1) and bx.dtype == np.float32
    np.testing.assert_array_equal(bx[0, :, :, 0], np.asarray(Image.open(it.filepaths[0]), np.float32))


@pytest.mark.parametrize("class_mode, expected", [
    ("categorical", [[1, 0], [0, 1]]),
    ("binary", [0, 1]),
    ("sparse", [0, 1]),
])
def test_class_modes_give_kerass_label_forms(class_mode, expected):
    it = flow_dir(faces_dir() / "train", target_size=(25, 25), class_mode=class_mode, batch_size=160,
                  shuffle=False)
    _, by = next(it)
    assert by.dtype == np.float32
    np.testing.assert_array_equal(by[[0, -1]], expected)


def test_input_and_none_class_modes():
    it = flow_dir(faces_dir() / "validation", target_size=(25, 25), class_mode="input", batch_size=4)
    bx, by = next(it)
    np.testing.assert_array_equal(bx, by)
    assert by is not bx
    it = flow_dir(faces_dir() / "validation", target_size=(25, 25), class_mode=None, batch_size=4)
    assert isinstance(next(it), np.ndarray)


# --- Keras's file order -------------------------------------------------------------------

def test_filenames_follow_kerass_walk_order(tmp_path):
    it = flow_dir(make_tree(tmp_path, NESTED), shuffle=False)
    assert it.class_indices == {"cat": 0, "dog": 1}
    expected = ["cat/x.PNG", "cat/y.png", "cat/sub/v.png", "cat/sub/deeper/w.png",
                "dog/a.png", "dog/b.png", "dog/a/f.png", "dog/a b/d.png", "dog/a-1/e.png", "dog/a/q/g.png",
                "dog/z/c.png"]  # folders sorted by path string: "a b" and "a-1" before "a/q"
    assert it.filenames == [name.replace("/", os.sep) for name in expected]
    assert it.classes.tolist() == [0] * 4 + [1] * 7


def test_classes_argument_chooses_and_orders_the_classes(tmp_path):
    it = flow_dir(make_tree(tmp_path, NESTED), classes=["dog", "cat"], shuffle=False)
    assert it.class_indices == {"dog": 0, "cat": 1}
    assert it.filenames[0].startswith("dog")


@pytest.mark.parametrize("subset, expected", [
    ("validation", ["cat/x.PNG", "dog/a.png", "dog/b.png"]),
    ("training", ["cat/y.png", "cat/sub/v.png", "cat/sub/deeper/w.png",
                  "dog/a/f.png", "dog/a b/d.png", "dog/a-1/e.png", "dog/a/q/g.png", "dog/z/c.png"]),
])
def test_validation_split_takes_the_first_files_of_each_class(tmp_path, subset, expected):
    it = flow_dir(make_tree(tmp_path, NESTED), gen=dict(validation_split=0.34), subset=subset,
                  shuffle=False)
    assert it.filenames == [name.replace("/", os.sep) for name in expected]


def test_faces_subsets_never_overlap_and_cover_everything():
    gen = ImageDataGenerator(validation_split=0.2)
    parts = [gen.flow_from_directory(faces_dir() / "train", target_size=(25, 25), subset=subset)
             for subset in ("training", "validation")]
    assert [p.samples for p in parts] == [128, 32]
    assert not set(parts[0].filenames) & set(parts[1].filenames)
    assert len(set(parts[0].filenames) | set(parts[1].filenames)) == 160


# --- links ------------------------------------------------------------------------------

def test_follow_links_and_symlink_loops(tmp_path):
    root = make_tree(tmp_path / "data", ["cat/a.png"])
    make_tree(tmp_path / "elsewhere", ["b.png"])
    os.symlink(tmp_path / "elsewhere", root / "cat" / "linked")
    os.symlink(root / "cat", root / "cat" / "loop")  # a loop back to the class folder
    assert flow_dir(root).filenames == [os.path.join("cat", "a.png")]
    followed = flow_dir(root, follow_links=True).filenames
    assert followed == [os.path.join("cat", "a.png"), os.path.join("cat", "linked", "b.png")]


def test_broken_links_are_skipped_with_a_warning_naming_them(tmp_path):
    root = make_tree(tmp_path, ["cat/a.png"])
    os.symlink(tmp_path / "gone.png", root / "cat" / "broken.png")
    with pytest.warns(UserWarning, match="broken.png"):
        it = flow_dir(root)
    assert it.samples == 1


def test_non_ascii_paths(tmp_path):
    root = make_tree(tmp_path / "사진", ["고양이/하나.png", "개/둘.png"])
    it = flow_dir(root, shuffle=False)
    assert it.class_indices == {"개": 0, "고양이": 1}
    assert next(it)[0].shape == (2, 6, 5, 3)


# --- loading ------------------------------------------------------------------------

@pytest.mark.parametrize("color_mode, channels", [("grayscale", 1), ("rgb", 3), ("rgba", 4)])
def test_color_modes_give_their_channel_counts(tmp_path, color_mode, channels):
    root = make_tree(tmp_path, ["a/x.png"])
    bx, _ = next(flow_dir(root, color_mode=color_mode, target_size=(3, 4)))
    assert bx.shape == (1, 3, 4, channels)


def test_sixteen_bit_and_palette_images_convert(tmp_path):
    (tmp_path / "a").mkdir()
    Image.fromarray(np.full((4, 4), 65535, dtype=np.uint16)).save(tmp_path / "a" / "deep.png")
    palette = Image.new("P", (4, 4), color=1)
    palette.putpalette([0, 0, 0, 10, 20, 30] + [0] * 762)
    palette.save(tmp_path / "a" / "palette.png")
    it = flow_dir(tmp_path, color_mode="grayscale", target_size=(4, 4), shuffle=False)
    assert next(it)[0][0].max() == 255  # 16-bit white is 255, not 65535
    rgb = flow_dir(tmp_path, target_size=(4, 4), shuffle=False, batch_size=2)
    assert next(rgb)[0][1, 0, 0].tolist() == [10, 20, 30]


def test_large_jpegs_take_the_draft_path_and_keep_the_shape(tmp_path):
    (tmp_path / "a").mkdir()
    ramp = np.tile(np.linspace(0, 255, 64, dtype=np.uint8)[None, :, None], (48, 1, 3))
    Image.fromarray(ramp).save(tmp_path / "a" / "big.jpg", quality=95)
    bx, _ = next(flow_dir(tmp_path, target_size=(12, 16), interpolation="bilinear"))
    assert bx.shape == (1, 12, 16, 3)
    assert np.all(np.diff(bx[0, 6, :, 0]) >= -3)  # still a left-to-right ramp


def test_keep_aspect_ratio_crops_the_centre(tmp_path):
    (tmp_path / "a").mkdir()
    pixels = np.zeros((4, 12), dtype=np.uint8)
    pixels[:, 4:8] = 255  # a white centre square between black sides
    Image.fromarray(pixels).save(tmp_path / "a" / "wide.png")
    bx, _ = next(flow_dir(tmp_path, target_size=(4, 4), color_mode="grayscale", keep_aspect_ratio=True))
    assert bx.min() == 255


@pytest.mark.parametrize("content, problem", [(b"", "empty"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "")])
def test_unreadable_images_raise_naming_the_file(tmp_path, content, problem):
    root = make_tree(tmp_path, ["a/good.png"])
    (root / "a" / "zbad.png").write_bytes(content)
    it = flow_dir(root, shuffle=False, batch_size=2, workers=2)
    with pytest.raises(ImageFileError, match=f"zbad.png.*{problem}"):
        next(it)


def test_truncated_image_raises_naming_the_file(tmp_path):
    root = make_tree(tmp_path, ["a/good.png"])
    data = (root / "a" / "good.png").read_bytes()
    (root / "a" / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageFileError, match="cut.png.*truncated"):
        next(flow_dir(root, shuffle=False, batch_size=2))


def test_augmentation_and_save_to_dir_on_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    it = flow_dir(faces_dir() / "train", target_size=(25, 25), batch_size=5, seed=0, gen=STANDARD,
                  save_to_dir=out, save_prefix="face")
    bx, _ = next(it)
    assert len(list(out.glob("face_*_*.png"))) == 5
    index = int(it.index_array[0])
    expected = it.image_data_generator.apply_transform(
        np.asarray(Image.open(it.filepaths[index]).convert("RGB"), np.float32),
        it.transform_params(index))
    np.testing.assert_array_equal(bx[0], expected)


# --- bad trees and arguments ------------------------------------------------------------

def test_tree_errors_are_named(tmp_path):
    with pytest.raises(FileNotFoundError):
        flow_dir(tmp_path / "missing")
    write_png(tmp_path / "loose.png")
    with pytest.raises(NotADirectoryError):
        flow_dir(tmp_path / "loose.png")
    with pytest.raises(ValueError, match="no subfolders.*class_mode=None"):
        flow_dir(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no class subfolders and no images"):
        flow_dir(empty)
    (empty / "cat").mkdir()
    with pytest.raises(ValueError, match="found no images"), pytest.warns(UserWarning, match="no images"):
        flow_dir(empty)


def test_class_mode_none_reads_images_at_the_top_level(tmp_path):
    make_tree(tmp_path, ["b.png", "a.png", "notes.txt"])
    it = flow_dir(tmp_path, class_mode=None, shuffle=False)
    assert it.filenames == ["a.png", "b.png"] and it.class_indices == {}
    assert next(it).shape == (2, 6, 5, 3)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(classes=["cat", "bird"]), ValueError, "\\['bird'\\] are not subfolders"),
    (dict(classes="cat"), TypeError, "list of folder names"),
    (dict(class_mode="binary", classes=["cat"]), ValueError, "exactly 2 classes"),
    (dict(class_mode="raw"), ValueError, "class_mode='raw'"),
    (dict(color_mode="rgbx"), ValueError, "color_mode"),
    (dict(target_size=(6,)), ValueError, "target_size"),
    (dict(target_size=None), ValueError, "target_size"),
    (dict(interpolation="cubic"), ValueError, "interpolation"),
    (dict(subset="train"), ValueError, "subset='train'"),
])
def test_bad_arguments_are_named(tmp_path, kwargs, error, message):
    make_tree(tmp_path, ["cat/a.png", "dog/b.png"])
    with pytest.raises(error, match=message):
        flow_dir(tmp_path, **kwargs)


# --- flow_from_dataframe ---------------------------------------------------------------

@pytest.fixture(scope="module")
def pd():
    return require("pandas", "flow_from_dataframe needs pandas")


@pytest.fixture
def frame_tree(tmp_path, pd):
    make_tree(tmp_path, ["a.png", "b.png", "c.png", "d.png"])
    frame = pd.DataFrame({"filename": ["a.png", "b.png", "c.png", "d.png"],
                          "class": ["dog", "cat", "dog", ["cat", "dog"]],
                          "size": [1.0, 2.0, 3.0, 4.0], "weight": [1, 2, 3, 4]})
    return tmp_path, frame


def from_frame(directory, frame, **kwargs):
    kwargs.setdefault("target_size", (6, 5))
    kwargs.setdefault("shuffle", False)
    kwargs.setdefault("batch_size", 4)
    return ImageDataGenerator().flow_from_dataframe(frame, directory, **kwargs)


def test_dataframe_categorical_with_multi_labels_and_weights(frame_tree):
    root, frame = frame_tree
    it = from_frame(root, frame, weight_col="weight")
    assert it.class_indices == {"cat": 0, "dog": 1}
    bx, by, bw = next(it)
    np.testing.assert_array_equal(by, [[0, 1], [1, 0], [0, 1], [1, 1]])
    np.testing.assert_array_equal(bw, [1, 2, 3, 4])
    assert it.filenames == ["a.png", "b.png", "c.png", "d.png"]
    assert it.filepaths[0] == os.path.join(str(root), "a.png")


def test_dataframe_raw_multi_output_sparse_and_none(frame_tree):
    root, frame = frame_tree
    _, raw = next(from_frame(root, frame, y_col="size", class_mode="raw"))
    np.testing.assert_array_equal(raw, [1, 2, 3, 4])
    _, outputs = next(from_frame(root, frame, y_col=["size", "weight"], class_mode="multi_output"))
    assert [o.tolist() for o in outputs] == [[1, 2, 3, 4], [1, 2, 3, 4]]
    single = frame.iloc[:3]
    _, sparse = next(from_frame(root, single, class_mode="sparse"))
    np.testing.assert_array_equal(sparse, [1, 0, 1])
    assert isinstance(next(from_frame(root, frame, class_mode=None)), np.ndarray)


def test_dataframe_drops_missing_files_with_a_warning_naming_them(frame_tree, pd):
    root, frame = frame_tree
    frame = pd.concat([frame, pd.DataFrame({"filename": ["gone.png", "notes.txt"], "class": ["cat", "dog"],
                                            "size": [0.0, 0.0], "weight": [0, 0]})])
    with pytest.warns(UserWarning, match="2 row.*gone.png"):
        it = from_frame(root, frame)
    assert it.samples == 4


def test_dataframe_classes_filter_rows_and_split_is_over_the_frame(frame_tree):
    root, frame = frame_tree
    it = from_frame(root, frame, classes=["dog"])
    assert it.filenames == ["a.png", "c.png", "d.png"] and it.classes == [0, 0, [0]]
    gen = ImageDataGenerator(validation_split=0.5)
    validation = gen.flow_from_dataframe(frame, root, target_size=(6, 5), subset="validation")
    assert validation.filenames == ["a.png", "b.png"]


def test_dataframe_errors_are_named(frame_tree, monkeypatch):
    root, frame = frame_tree
    with pytest.raises(KeyError, match="no column 'path'"):
        from_frame(root, frame, x_col="path")
    with pytest.raises(TypeError, match="multi_output"):
        from_frame(root, frame, y_col="size", class_mode="multi_output")
    with pytest.raises(ValueError, match="exactly 2 classes"):
        from_frame(root, frame.assign(**{"class": ["a", "b", "c", "d"]}), class_mode="binary")
    with pytest.raises(TypeError, match="DataFrame"):
        from_frame(root, {"filename": ["a.png"]})
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        from_frame(root, frame)
