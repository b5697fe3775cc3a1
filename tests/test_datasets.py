"""augkit.datasets and the bundled data/ trees (and the scripts that make them)."""

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import augkit.datasets
from augkit.datasets import SAMPLE_IMAGES, data_dir, faces_dir, sample_image, shapes_dir
from augkit.image_io import img_to_array, list_images, load_img

REPO = Path(__file__).resolve().parent.parent


def _script(name):
    """Import data/<name>.py as a module."""
    spec = importlib.util.spec_from_file_location(name, REPO / "data" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hashes(root):
    root = Path(root)
    return {
        file.relative_to(root).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(root.rglob("*.png"))
    }


# --- locating data/ ---------------------------------------------------------


def test_data_dir_is_the_repository_data_folder_in_an_editable_install():
    assert not (REPO / "augkit" / "data").exists()  # the checkout keeps data/ at the top
    assert data_dir() == REPO / "data"
    assert data_dir().is_absolute()
    assert faces_dir() == REPO / "data" / "faces"
    assert shapes_dir() == REPO / "data" / "shapes"


def test_data_inside_the_package_comes_first(monkeypatch, tmp_path):
    inside, beside = tmp_path / "site-packages" / "augkit" / "data", tmp_path / "data"
    inside.mkdir(parents=True)
    beside.mkdir()
    monkeypatch.setattr(augkit.datasets, "_DATA_CANDIDATES", (inside, beside))
    assert data_dir() == inside
    inside.rmdir()
    assert data_dir() == beside


def test_missing_data_dir_explains_where_it_looked(monkeypatch, tmp_path):
    inside, beside = tmp_path / "augkit" / "data", tmp_path / "data"
    monkeypatch.setattr(augkit.datasets, "_DATA_CANDIDATES", (inside, beside))
    for helper in (data_dir, faces_dir, shapes_dir):
        with pytest.raises(FileNotFoundError) as info:
            helper()
        message = str(info.value)
        assert str(inside) in message and str(beside) in message
        assert "make dist" in message and "make lab" in message


def test_missing_subfolder_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(augkit.datasets, "_DATA_CANDIDATES", (tmp_path,))
    with pytest.raises(FileNotFoundError, match="faces' is missing"):
        faces_dir()


# --- faces ------------------------------------------------------------------


def test_faces_tree_layout_and_counts():
    counts = {
        (split, label): len(list_images(faces_dir() / split / label))
        for split in ("train", "validation")
        for label in ("face", "nonface")
    }
    assert counts == {
        ("train", "face"): 80,
        ("train", "nonface"): 80,
        ("validation", "face"): 20,
        ("validation", "nonface"): 20,
    }
    assert sorted(p.name for p in faces_dir().iterdir() if p.is_dir()) == ["train", "validation"]
    names = [p.name for p in list_images(faces_dir() / "validation" / "face")]
    assert names[0] == "face_080.png" and names[-1] == "face_099.png"


def test_faces_are_the_lfw_subset_as_8_bit_grey():
    import skimage.data

    lfw = skimage.data.lfw_subset()
    for class_name, offset in (("face", 0), ("nonface", 100)):
        for index in (0, 79, 80, 99):
            split = "train" if index < 80 else "validation"
            path = faces_dir() / split / class_name / f"{class_name}_{index:03d}.png"
            img = load_img(path, color_mode="grayscale")
            assert img.size == (25, 25)
            x = img_to_array(img, dtype="uint8")[..., 0]
            np.testing.assert_array_equal(x, np.round(lfw[offset + index] * 255).astype(np.uint8))


# --- shapes -----------------------------------------------------------------


def test_shapes_pairs_share_names():
    images = list_images(shapes_dir() / "images" / "all")
    masks = list_images(shapes_dir() / "masks" / "all")
    assert len(images) == 30
    assert [p.name for p in images] == [p.name for p in masks]
    assert images[0].name == "shape_000.png"


def test_shapes_images_are_rgb_and_masks_are_labels():
    from PIL import Image

    labels_seen = set()
    for name in ("shape_000.png", "shape_007.png", "shape_029.png"):
        image = img_to_array(load_img(shapes_dir() / "images" / "all" / name), dtype="uint8")
        assert image.shape == (64, 96, 3)
        assert image.std() > 10  # a picture, not a flat colour
        with Image.open(shapes_dir() / "masks" / "all" / name) as mask_file:
            assert mask_file.mode == "L"
            mask = np.asarray(mask_file)
        assert mask.shape == (64, 96)
        assert set(np.unique(mask)) <= {0, 1, 2, 3}
        assert 0 in mask
        labels_seen |= set(np.unique(mask).tolist())
    assert labels_seen == {0, 1, 2, 3}


def test_every_shape_class_is_common():
    masks = np.stack(
        [img_to_array(load_img(p, color_mode="grayscale"), dtype="uint8")[..., 0]
         for p in list_images(shapes_dir() / "masks" / "all")]
    )
    images_with = {label: int((masks == label).any(axis=(1, 2)).sum()) for label in (1, 2, 3)}
    assert all(count >= 10 for count in images_with.values()), images_with


def test_shapes_are_painted_in_their_class_colours():
    image = img_to_array(load_img(shapes_dir() / "images" / "all" / "shape_007.png"))
    mask = img_to_array(load_img(shapes_dir() / "masks" / "all" / "shape_007.png",
                                 color_mode="grayscale"))[..., 0]
    dominant = {1: 0, 2: 1, 3: 2}  # circle reddish, square greenish, triangle bluish
    for label, channel in dominant.items():
        if (mask == label).any():
            mean_colour = image[mask == label].mean(axis=0)
            assert mean_colour.argmax() == channel


# --- the scripts are deterministic ------------------------------------------


@pytest.mark.parametrize(
    ("script", "function", "folder", "n_files"),
    [("make_faces", "write_faces", "faces", 200), ("make_shapes", "write_shapes", "shapes", 60)],
)
def test_scripts_rewrite_the_committed_files_byte_for_byte(
    tmp_path, script, function, folder, n_files
):
    write = getattr(_script(script), function)
    first = tmp_path / "first"
    written = write(first)
    assert len(written) == len(_hashes(first)) == n_files
    assert _hashes(first) == _hashes(data_dir() / folder)
    write(first)  # again, over the old files
    assert _hashes(first) == _hashes(data_dir() / folder)


def test_scripts_remove_stale_pngs(tmp_path):
    write_shapes = _script("make_shapes").write_shapes
    stale = tmp_path / "images" / "all" / "shape_999.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    write_shapes(tmp_path)
    assert not stale.exists()


# --- sample photographs -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("astronaut", (512, 512, 3)),
        ("chelsea", (300, 451, 3)),
        ("coffee", (400, 600, 3)),
        ("rocket", (427, 640, 3)),
        ("camera", (512, 512)),
    ],
)
def test_sample_images(name, shape):
    x = sample_image(name)
    assert x.shape == shape and x.dtype == np.uint8
    assert x.max() > 200 and x.min() < 50


def test_sample_image_names():
    assert SAMPLE_IMAGES == ("astronaut", "chelsea", "coffee", "rocket", "camera")


def test_sample_image_returns_a_new_array_each_time():
    first = sample_image("chelsea")
    first[:] = 0
    assert sample_image("chelsea").max() > 0


@pytest.mark.parametrize("name", ["lena", "Chelsea", "", None, 3])
def test_unknown_sample_image(name):
    with pytest.raises(ValueError, match=r"not a sample image; use one of astronaut, chelsea") as info:
        sample_image(name)
    assert repr(name) in str(info.value)


def test_sample_images_never_touch_the_network():
    """Run in a fresh interpreter where opening a socket fails and pooch must stay unimported."""
    code = (
        "import socket, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise RuntimeError('network access attempted')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from augkit.datasets import SAMPLE_IMAGES, sample_image\n"
        "for name in SAMPLE_IMAGES:\n"
        "    sample_image(name)\n"
        "import skimage.data\n"
        "skimage.data.lfw_subset()\n"
        "assert 'pooch' not in sys.modules, 'pooch was imported'\n"
        "print('offline ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offline ok"


# --- documentation ----------------------------------------------------------

