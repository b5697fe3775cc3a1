"""The file layer (issue 15): one walker, one "is an image" rule, one decode per file, rules as data.

* each file is opened once per sample: ``flow_from_directory`` (1 per sample,
  in every mode) and ``flow_pairs_from_directory`` (image + mask = 2);
* the walker, ``list_images``, ``find_classes`` and ``flow_from_dataframe``
  agree on what an image is, and only :mod:`augkit.files` lists folders,
  only :mod:`augkit.decode` opens images;
* the colour-mode rules are a table (:class:`augkit.decode.DecodeRule`);
* ``augkit.image_io.MAX_IMAGE_PIXELS`` still sets the pixel limit;
* ``img_to_array``, ``array_to_img`` and ``save_img`` take Keras's positional
  order, checked against Keras 3's own positional calls.
"""

import ast
import builtins
import inspect
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import augkit
import augkit.decode
import augkit.image_io
from augkit import ImageDataGenerator, datasets
from augkit.decode import BATCH, KERAS, LOAD_IMG, MASK, ImageFileError, convert_mode, decode_file
from augkit.files import find_classes, is_image_name, list_images, walk_image_files
from augkit.image_io import array_to_img, img_to_array, load_img, save_img
from augkit.masks import load_mask

PACKAGE = Path(augkit.__file__).parent


@pytest.fixture
def opened(monkeypatch):
    """The paths passed to ``os.open`` and ``open`` (from any thread) while the test runs."""
    paths, lock = [], threading.Lock()
    real_os_open, real_open = os.open, builtins.open

    def record(path):
        if isinstance(path, (str, os.PathLike)):
            with lock:
                paths.append(os.path.realpath(os.fspath(path)))

    def os_open(path, *args, **kwargs):
        record(path)
        return real_os_open(path, *args, **kwargs)

    def open_(file, *args, **kwargs):
        record(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", open_)
    return paths


def _counts(paths, files):
    wanted = {os.path.realpath(f) for f in files}
    counts = {}
    for path in paths:
        if path in wanted:
            counts[path] = counts.get(path, 0) + 1
    return counts


# --- one open per file per sample ---------------------------------------------------------

@pytest.mark.parametrize("compat", [None, "keras_preprocessing", "tf_keras"])
def test_flow_from_directory_opens_each_file_once_per_sample(opened, compat, capsys):
    gen = ImageDataGenerator(rotation_range=20, compat=compat)
    it = gen.flow_from_directory(datasets.faces_dir() / "train", target_size=(25, 25),
                                 color_mode="grayscale", batch_size=8, shuffle=False)
    opened.clear()
    batch_x, _ = next(it)
    files = it.filepaths[:8]
    assert batch_x.shape == (8, 25, 25, 1)
    assert _counts(opened, files) == {os.path.realpath(f): 1 for f in files}  # 8 opens for 8 faces
    assert len([p for p in opened if p.endswith(".png")]) == 8


def test_flow_pairs_from_directory_opens_image_and_mask_once_each(opened, capsys):
    folder = datasets.shapes_dir()
    it = ImageDataGenerator(rotation_range=20).flow_pairs_from_directory(
        folder / "images", folder / "masks", target_size=(64, 96), batch_size=8, shuffle=False)
    opened.clear()
    images, masks = next(it)
    files = it.filepaths[:8] + it.mask_filepaths[:8]
    assert images.shape[0] == masks.shape[0] == 8
    assert _counts(opened, files) == {os.path.realpath(f): 1 for f in files}  # 2 per sample
    assert len([p for p in opened if p.endswith(".png")]) == 16


@pytest.mark.parametrize("load", [
    lambda path: load_img(path),
    lambda path: load_img(path, color_mode="grayscale", target_size=(5, 4), keep_aspect_ratio=True),
    lambda path: load_mask(path, target_size=(5, 4)),
], ids=["load_img", "load_img_resized", "load_mask"])
def test_single_file_readers_open_the_file_once(opened, load):
    path = datasets.shapes_dir() / "masks" / "all" / "shape_000.png"
    load(path)
    assert _counts(opened, [path]) == {os.path.realpath(path): 1}


def test_a_mask_of_another_size_is_refused_before_its_pixels_are_decoded(tmp_path, monkeypatch):
    Image.new("L", (4, 3)).save(tmp_path / "mask.png")
    decoded = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda img: decoded.append(img) or real_load(img))

    def must_be_3_by_5(rows_cols):
        if rows_cols != (3, 5):
            raise ImageFileError(tmp_path / "mask.png", f"{rows_cols}")

    with pytest.raises(ImageFileError, match=r"\(3, 4\)"):
        decode_file(tmp_path / "mask.png", "grayscale", rule=MASK, check_size=must_be_3_by_5)
    assert decoded == []


# --- one "is an image" rule, one place that lists folders -----------------------------------

NAMES = ["a.PNG", "b.jpeg", "c.Tiff", "d.ppm", "e.BMP", "f.jpg", "notes.txt", "g.png.bak", "h.gif",
         "i.tif"]
IMAGES = ["a.PNG", "b.jpeg", "c.Tiff", "d.ppm", "e.BMP", "f.jpg", "i.tif"]


def test_the_suffix_rule():
    assert [name for name in NAMES if is_image_name(name)] == IMAGES
    assert is_image_name(Path("x") / "y.JPEG")


def test_every_finder_agrees_on_what_an_image_is(tmp_path, capsys):
    for name in NAMES:
        (tmp_path / name).write_bytes(b"not decoded while listing")
    assert [p.name for p in list_images(tmp_path)] == sorted(IMAGES)
    assert [name for _, name in walk_image_files(str(tmp_path))] == sorted(IMAGES)
    assert find_classes(tmp_path, class_mode=None) == []  # loose images, read unlabelled
    it = ImageDataGenerator().flow_from_directory(tmp_path, class_mode=None, target_size=(2, 2))
    assert it.filenames == sorted(IMAGES)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"filename": NAMES})
    with pytest.warns(UserWarning, match="ignoring 3 row"):
        it = ImageDataGenerator().flow_from_dataframe(frame, tmp_path, class_mode=None, target_size=(2, 2))
    assert it.filenames == IMAGES


def _calls(module_path):
    """``(owner, attribute)`` of every ``x.attr(...)`` call in a module's code (docstrings excluded)."""
    tree = ast.parse(module_path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value.id if isinstance(node.func.value, ast.Name) else None
            yield owner, node.func.attr


def test_only_files_lists_folders_and_only_decode_opens_images():
    listing = {"walk", "iterdir", "scandir", "listdir", "glob", "rglob"}
    for module in sorted(PACKAGE.glob("*.py")):
        calls = set(_calls(module))
        if module.name not in ("files.py", "walking.py"):  # the file layer: walking.py holds its walker
            assert not {attr for _, attr in calls} & listing, module.name
        if module.name != "decode.py":
            assert ("Image", "open") not in calls, module.name


# --- colour modes as data ----------------------------------------------------------------

def _decoded(tmp_path, img):
    path = tmp_path / "f.png"
    img.save(path)
    return lambda rule, mode: convert_mode(augkit.decode.read_image(path), mode, rule)


def test_the_decode_rules_table(tmp_path):
    sixteen = _decoded(tmp_path, Image.fromarray(np.array([[0, 257, 65535]], dtype=np.uint16)))
    assert np.asarray(sixteen(LOAD_IMG, "grayscale")).tolist() == [[0, 1, 255]]  # scaled by 1/257
    assert sixteen(KERAS, "grayscale").mode.startswith("I")  # Keras keeps 16-bit grey
    assert sixteen(MASK, "grayscale").mode.startswith("I")  # labels are never rescaled
    palette = Image.new("P", (2, 1))
    palette.putpalette([0, 0, 0, 200, 10, 10] + [0] * 762)
    palette.putpixel((1, 0), 1)
    indexed = _decoded(tmp_path, palette)
    assert np.asarray(indexed(MASK, "grayscale")).tolist() == [[0, 1]]  # palette indices kept
    assert indexed(LOAD_IMG, "grayscale").mode == "L"
    assert np.asarray(indexed(LOAD_IMG, "grayscale")).tolist() != [[0, 1]]  # the grey of the colours
    assert BATCH.jpeg_draft and not (LOAD_IMG.jpeg_draft or KERAS.jpeg_draft or MASK.jpeg_draft)
    with pytest.raises(ValueError, match="color_mode='cmyk' is not supported"):
        convert_mode(palette, "cmyk")


# --- the pixel limit ---------------------------------------------------------------------

def test_image_io_max_image_pixels_sets_the_limit_everywhere(tmp_path, monkeypatch, capsys):
    (tmp_path / "all").mkdir()
    Image.new("RGB", (10, 10)).save(tmp_path / "all" / "a.png")
    pillow_limit = Image.MAX_IMAGE_PIXELS
    it = ImageDataGenerator().flow_from_directory(tmp_path, class_mode=None, target_size=(4, 4))
    monkeypatch.setattr(augkit.image_io, "MAX_IMAGE_PIXELS", 99)
    assert augkit.decode.MAX_IMAGE_PIXELS == 99
    assert "MAX_IMAGE_PIXELS" in dir(augkit.image_io)
    with pytest.raises(ImageFileError, match="more than augkit.image_io.MAX_IMAGE_PIXELS = 99"):
        next(it)
    augkit.image_io.MAX_IMAGE_PIXELS = 100
    assert next(it).shape == (1, 4, 4, 3)
    assert Image.MAX_IMAGE_PIXELS == pillow_limit  # Pillow's global is never touched


# --- Keras's positional order --------------------------------------------------------------

def test_keras_order_with_keywords_still_accepted(tmp_path):
    rgb = np.arange(18, dtype=np.float32).reshape(3, 2, 3)  # (channels, rows, cols)
    assert _pixels(array_to_img(rgb, "channels_first", False)) == _pixels(
        array_to_img(rgb, scale=False, data_format="channels_first"))
    img = array_to_img(rgb, "channels_first", False)
    assert img_to_array(img, "channels_first", "uint8").tolist() == rgb.astype(np.uint8).tolist()
    assert img_to_array(img, None, None).dtype == np.float32  # Keras 3's defaults
    save_img(tmp_path / "a.png", rgb, "channels_first", "png", False)
    assert _file_pixels(tmp_path / "a.png") == _pixels(img)
    with pytest.raises(ValueError, match="dtype='uint8' is not supported"):
        array_to_img(rgb, None, True, "uint8")


def test_save_img_passes_keyword_options_to_pillow_as_keras_does(tmp_path):
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3)).astype(np.uint8)
    save_img(tmp_path / "small.jpg", noise, scale=False, quality=5)
    save_img(tmp_path / "large.jpg", noise, scale=False, quality=95)
    assert (tmp_path / "small.jpg").stat().st_size < (tmp_path / "large.jpg").stat().st_size


def _pixels(img):
    return np.asarray(img).tolist()


def _file_pixels(path):
    with Image.open(path) as img:
        return _pixels(img)


def _positional_names(function):
    return [p.name for p in inspect.signature(function).parameters.values()
            if p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD]


@pytest.mark.parity
@pytest.mark.parametrize("name", ["img_to_array", "array_to_img", "save_img", "load_img"])
def test_positional_parameters_are_keras_3s(name):
    image_utils = pytest.importorskip("keras.src.utils.image_utils")
    assert _positional_names(getattr(augkit.image_io, name)) == _positional_names(getattr(image_utils, name))


@pytest.mark.parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("scale", [True, False])
def test_keras_3_positional_calls_give_keras_3s_results(tmp_path, data_format, scale):
    image_utils = pytest.importorskip("keras.src.utils.image_utils")
    rgb = np.random.default_rng(1).uniform(0, 255, (3, 4, 5)).astype(np.float32)
    x = rgb if data_format == "channels_first" else rgb.transpose(1, 2, 0)
    ours, theirs = array_to_img(x, data_format, scale), image_utils.array_to_img(x, data_format, scale)
    assert (ours.mode, _pixels(ours)) == (theirs.mode, _pixels(theirs))
    ours64 = array_to_img(x, data_format, scale, "float64")
    theirs64 = image_utils.array_to_img(x, data_format, scale, "float64")
    assert _pixels(ours64) == _pixels(theirs64)
    for dtype in ("uint8", "float32"):
        mine, keras = img_to_array(ours, data_format, dtype), image_utils.img_to_array(theirs, data_format, dtype)
        assert (mine.dtype, mine.shape, mine.tolist()) == (keras.dtype, keras.shape, keras.tolist())
    save_img(tmp_path / "ours.png", x, data_format, "png", scale)
    image_utils.save_img(tmp_path / "theirs.png", x, data_format, "png", scale)
    assert _file_pixels(tmp_path / "ours.png") == _file_pixels(tmp_path / "theirs.png")
