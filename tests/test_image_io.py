"""augkit.image_io on real files of every mode, written with Pillow into tmp_path."""

import os
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augkit.image_io import (
    IMAGE_EXTENSIONS,
    INTERPOLATIONS,
    ImageFileError,
    array_to_img,
    img_to_array,
    list_images,
    load_img,
    save_img,
)
from helpers import require

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
# Pillow's RGB -> L: L = (299 R + 587 G + 114 B) / 1000, rounded
GREY_OF = {RED: 76, GREEN: 150, BLUE: 29}


def _pixels(img):
    return np.asarray(img).tolist()


def _file_mode(path):
    with Image.open(path) as img:
        return img.mode


def _write(path, pil_image, **save_args):
    pil_image.save(path, **save_args)
    return path


@pytest.fixture
def rgb_png(tmp_path):
    """2 rows x 3 cols: red green blue / black grey white."""
    x = np.array([[RED, GREEN, BLUE], [(0, 0, 0), (128, 128, 128), (255, 255, 255)]], np.uint8)
    return _write(tmp_path / "rgb.png", Image.fromarray(x))


# --- loading each file mode in each color_mode ------------------------------


def test_rgb_png_loads_exactly_in_every_mode(rgb_png):
    rgb = load_img(rgb_png)
    assert (rgb.mode, rgb.size) == ("RGB", (3, 2))
    assert _pixels(rgb)[0] == [list(RED), list(GREEN), list(BLUE)]
    rgba = load_img(rgb_png, color_mode="rgba")
    assert rgba.mode == "RGBA"
    assert np.asarray(rgba)[..., 3].tolist() == [[255] * 3] * 2
    grey = load_img(rgb_png, color_mode="grayscale")
    assert grey.mode == "L"
    assert _pixels(grey) == [[GREY_OF[RED], GREY_OF[GREEN], GREY_OF[BLUE]], [0, 128, 255]]


def test_rgba_png_alpha_kept_for_rgba_and_dropped_otherwise(tmp_path):
    x = np.array([[(255, 0, 0, 0), (0, 255, 0, 128), (0, 0, 255, 255)]], np.uint8)
    path = _write(tmp_path / "rgba.png", Image.fromarray(x))
    assert _pixels(load_img(path, color_mode="rgba")) == x.tolist()
    assert _pixels(load_img(path)) == [[list(RED), list(GREEN), list(BLUE)]]
    assert _pixels(load_img(path, color_mode="grayscale")) == [[76, 150, 29]]


def test_grey_png_is_replicated_into_rgb(tmp_path):
    path = _write(tmp_path / "grey.png", Image.fromarray(np.array([[0, 7, 255]], np.uint8)))
    assert _pixels(load_img(path, color_mode="grayscale")) == [[0, 7, 255]]
    assert _pixels(load_img(path)) == [[[0, 0, 0], [7, 7, 7], [255, 255, 255]]]
    assert _pixels(load_img(path, color_mode="rgba")) == [
        [[0, 0, 0, 255], [7, 7, 7, 255], [255, 255, 255, 255]]
    ]


def _palette_image(transparent_index=None):
    """2x2 palette image with indices [[0, 1], [2, 0]] into red, green, blue."""
    img = Image.frombytes("P", (2, 2), bytes([0, 1, 2, 0]))
    img.putpalette(list(RED + GREEN + BLUE) + [0, 0, 0] * 253)
    if transparent_index is not None:
        img.info["transparency"] = transparent_index
    return img


def test_palette_png_uses_its_palette(tmp_path):
    path = _write(tmp_path / "palette.png", _palette_image())
    assert _file_mode(path) == "P"
    assert _pixels(load_img(path)) == [[list(RED), list(GREEN)], [list(BLUE), list(RED)]]
    assert _pixels(load_img(path, color_mode="grayscale")) == [[76, 150], [29, 76]]


def test_palette_png_with_transparency(tmp_path):
    path = _write(tmp_path / "palette_t.png", _palette_image(transparent_index=1))
    rgba = np.asarray(load_img(path, color_mode="rgba"))
    assert rgba[..., 3].tolist() == [[255, 0], [255, 255]]
    assert _pixels(load_img(path)) == [[list(RED), list(GREEN)], [list(BLUE), list(RED)]]


def test_grey_alpha_png(tmp_path):
    img = Image.merge("LA", [Image.new("L", (2, 1), 100), Image.new("L", (2, 1), 50)])
    path = _write(tmp_path / "la.png", img)
    assert _file_mode(path) == "LA"
    assert _pixels(load_img(path)) == [[[100, 100, 100]] * 2]
    assert _pixels(load_img(path, color_mode="rgba")) == [[[100, 100, 100, 50]] * 2]
    assert _pixels(load_img(path, color_mode="grayscale")) == [[100, 100]]


def test_sixteen_bit_png_is_scaled_not_clamped(tmp_path):
    values = np.array([[0, 257, 128 * 257, 65535, 1000]], np.uint16)
    path = _write(tmp_path / "sixteen.png", Image.fromarray(values))
    assert _file_mode(path) == "I;16"
    expected = [0, 1, 128, 255, 4]  # round(1000 / 257) = 4
    grey = load_img(path, color_mode="grayscale")
    assert grey.mode == "L" and _pixels(grey) == [expected]
    assert _pixels(load_img(path)) == [[[v] * 3 for v in expected]]


@pytest.mark.parity
def test_keras_preprocessing_clamps_sixteen_bit_png(tmp_path):
    """The behaviour the load_img docstring warns about."""
    from keras_preprocessing.image import utils as kp_utils

    values = np.array([[1000, 30000]], np.uint16)
    path = _write(tmp_path / "sixteen.png", Image.fromarray(values))
    assert _pixels(kp_utils.load_img(str(path))) == [[[255] * 3] * 2]
    assert _pixels(load_img(path)) == [[[4] * 3, [117] * 3]]


def test_thirty_two_bit_integer_tiff_is_scaled_and_clipped(tmp_path):
    values = np.array([[0, 257, 65535, 70000, -5]], np.int32)
    path = _write(tmp_path / "int32.tif", Image.fromarray(values))
    assert _file_mode(path) == "I"
    assert _pixels(load_img(path, color_mode="grayscale")) == [[0, 1, 255, 255, 0]]


def test_cmyk_jpeg_is_converted_to_rgb(tmp_path):
    path = _write(tmp_path / "cmyk.jpg", Image.new("CMYK", (8, 8), (0, 255, 255, 0)), quality=100)
    assert _file_mode(path) == "CMYK"
    rgb = np.asarray(load_img(path), dtype=int)
    assert rgb.shape == (8, 8, 3)
    np.testing.assert_allclose(rgb, np.broadcast_to(RED, (8, 8, 3)), atol=3)


def test_one_bit_png(tmp_path):
    img = Image.frombytes("L", (3, 1), bytes([0, 255, 0])).convert("1")
    path = _write(tmp_path / "bits.png", img)
    assert _file_mode(path) == "1"
    assert _pixels(load_img(path, color_mode="grayscale")) == [[0, 255, 0]]
    assert _pixels(load_img(path)) == [[[0] * 3, [255] * 3, [0] * 3]]


def test_loaded_image_is_fully_decoded_and_detached_from_the_file(rgb_png):
    img = load_img(rgb_png)
    rgb_png.unlink()
    assert img.getpixel((0, 0)) == RED


def test_str_and_path_arguments_are_equivalent(rgb_png):
    assert _pixels(load_img(str(rgb_png))) == _pixels(load_img(rgb_png))


class _CustomPath:
    def __init__(self, path):
        self.path = path

    def __fspath__(self):
        return str(self.path)


def test_any_pathlike_is_accepted(rgb_png, tmp_path):
    assert load_img(_CustomPath(rgb_png)).size == (3, 2)
    save_img(_CustomPath(tmp_path / "out.png"), np.zeros((1, 1, 3)))
    assert list_images(_CustomPath(tmp_path)) == [tmp_path / "out.png", rgb_png]


@pytest.mark.parametrize("path", [123, None, b"bytes.png"])
def test_non_path_arguments_raise_type_error(path):
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        load_img(path)


# --- resizing ---------------------------------------------------------------


def _ramp_png(tmp_path, rows=4, cols=8):
    x = np.arange(rows * cols, dtype=np.uint8).reshape(rows, cols)
    return _write(tmp_path / "ramp.png", Image.fromarray(x)), x


def test_target_size_is_rows_then_cols(tmp_path):
    path, _ = _ramp_png(tmp_path)
    img = load_img(path, target_size=(2, 5))
    assert img.size == (5, 2)
    assert img_to_array(img).shape == (2, 5, 3)


def test_nearest_upsampling_repeats_pixels(tmp_path):
    path = _write(tmp_path / "two.png", Image.fromarray(np.array([[1, 2], [3, 4]], np.uint8)))
    img = load_img(path, color_mode="grayscale", target_size=(4, 4))
    assert _pixels(img) == [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]


@pytest.mark.parametrize("interpolation", sorted(INTERPOLATIONS))
def test_every_interpolation_matches_pillow(tmp_path, interpolation):
    path, x = _ramp_png(tmp_path)
    img = load_img(path, color_mode="grayscale", target_size=(3, 5), interpolation=interpolation)
    expected = Image.fromarray(x).resize((5, 3), INTERPOLATIONS[interpolation])
    assert _pixels(img) == _pixels(expected)


def test_same_size_is_not_resampled(tmp_path):
    path, x = _ramp_png(tmp_path)
    img = load_img(path, color_mode="grayscale", target_size=(4, 8), interpolation="bicubic")
    assert _pixels(img) == x.tolist()


def test_keep_aspect_ratio_crops_the_centre(tmp_path):
    path, x = _ramp_png(tmp_path)  # 4 rows x 8 cols -> centre 4x4 crop is cols 2..5
    img = load_img(path, color_mode="grayscale", target_size=(2, 2), keep_aspect_ratio=True)
    # nearest samples the crop at rows 1, 3 and cols 2 + (1, 3)
    assert _pixels(img) == [[x[1, 3], x[1, 5]], [x[3, 3], x[3, 5]]]
    assert _pixels(img) == [[11, 13], [27, 29]]


def test_keep_aspect_ratio_crops_rows_of_a_tall_image(tmp_path):
    x = np.arange(8, dtype=np.uint8).reshape(8, 1).repeat(2, axis=1)  # 8 rows x 2 cols
    path = _write(tmp_path / "tall.png", Image.fromarray(x))
    img = load_img(path, color_mode="grayscale", target_size=(2, 2), keep_aspect_ratio=True)
    assert _pixels(img) == [[3, 3], [4, 4]]  # the centre 2x2 block: rows 3 and 4


def test_keep_aspect_ratio_without_target_size_changes_nothing(tmp_path):
    path, x = _ramp_png(tmp_path)
    assert _pixels(load_img(path, color_mode="grayscale", keep_aspect_ratio=True)) == x.tolist()


# --- bad arguments ----------------------------------------------------------


def test_unknown_color_mode(rgb_png):
    with pytest.raises(ValueError, match=r"color_mode='RGB' .*'rgb', 'rgba', 'grayscale'"):
        load_img(rgb_png, color_mode="RGB")


def test_unknown_interpolation_even_without_resizing(rgb_png):
    with pytest.raises(ValueError, match=r"interpolation='cubic' .*'bicubic'"):
        load_img(rgb_png, interpolation="cubic")


@pytest.mark.parametrize(
    "target_size", [(0, 4), (4, -1), (4,), (1, 2, 3), (2.0, 3), (True, 3), "ab", 5, (None, 3)]
)
def test_bad_target_size(rgb_png, target_size):
    with pytest.raises(ValueError, match=r"target_size=.*two positive integers \(rows, cols\)"):
        load_img(rgb_png, target_size=target_size)


def test_numpy_integers_are_a_valid_target_size(rgb_png):
    assert load_img(rgb_png, target_size=np.array([4, 6])).size == (6, 4)


@pytest.mark.parametrize("function", [img_to_array, array_to_img])
def test_unknown_data_format(function):
    with pytest.raises(ValueError, match=r"data_format='channels_middle' .*'channels_last'"):
        function(np.zeros((2, 2, 3)), data_format="channels_middle")


# --- bad files --------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.png"
    with pytest.raises(FileNotFoundError, match="No such image file") as info:
        load_img(path)
    assert info.value.filename == str(path)
    assert "nowhere.png" in str(info.value)


def _assert_image_file_error(path, words):
    with pytest.raises(ImageFileError, match=words) as info:
        load_img(path)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(info.value)
    assert info.value.path == Path(path)
    return info.value


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.png"
    path.touch()
    _assert_image_file_error(path, r"empty \(0 bytes\)")


def test_folder_instead_of_file(tmp_path):
    folder = tmp_path / "folder.png"
    folder.mkdir()
    _assert_image_file_error(folder, "folder, not a file")


def test_non_image_file(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    error = _assert_image_file_error(path, "does not recognise it as an image")
    assert error.__cause__ is not None


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".bmp"])
def test_truncated_file(tmp_path, suffix):
    x = np.random.default_rng(0).integers(0, 256, size=(40, 40, 3), dtype=np.uint8)
    whole = _write(tmp_path / f"whole{suffix}", Image.fromarray(x))
    data = whole.read_bytes()
    path = tmp_path / f"truncated{suffix}"
    path.write_bytes(data[: len(data) // 2])
    error = _assert_image_file_error(path, "truncated or corrupt")
    assert error.__cause__ is not None


def test_file_cut_inside_its_header(tmp_path):
    whole = _write(tmp_path / "whole.jpg", Image.new("RGB", (4, 4)))
    path = tmp_path / "header.jpg"
    path.write_bytes(whole.read_bytes()[:10])
    _assert_image_file_error(path, "truncated or corrupt")


# --- img_to_array -----------------------------------------------------------


def test_img_to_array_layouts_and_dtypes():
    img = Image.fromarray(np.array([[(1, 2, 3), (4, 5, 6)]], np.uint8))  # 1 row, 2 cols
    x = img_to_array(img)
    assert x.shape == (1, 2, 3) and x.dtype == np.float32
    assert x.tolist() == [[[1, 2, 3], [4, 5, 6]]]
    first = img_to_array(img, data_format="channels_first")
    assert first.shape == (3, 1, 2) and first[:, 0, 1].tolist() == [4, 5, 6]
    assert img_to_array(img, dtype="uint8").dtype == np.uint8


def test_img_to_array_gives_grey_a_channel_axis():
    grey = Image.fromarray(np.array([[9, 8]], np.uint8))
    assert img_to_array(grey).shape == (1, 2, 1)
    assert img_to_array(grey, data_format="channels_first").shape == (1, 1, 2)
    assert img_to_array(Image.new("RGBA", (2, 1))).shape == (1, 2, 4)


def test_img_to_array_rejects_other_ranks():
    with pytest.raises(ValueError, match=r"rank 2 or 3, got an array of shape \(2, 2, 2, 2\)"):
        img_to_array(np.zeros((2, 2, 2, 2)))


@pytest.mark.parity
@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA"])
def test_img_to_array_matches_keras_preprocessing(mode):
    from keras_preprocessing.image import utils as kp_utils

    img = Image.new(mode, (3, 2), 200 if mode == "L" else (1, 2, 3, 4)[: len(mode)])
    for data_format in ("channels_last", "channels_first"):
        ours = img_to_array(img, data_format=data_format)
        theirs = kp_utils.img_to_array(img, data_format=data_format)
        assert ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)


# --- array_to_img -----------------------------------------------------------


def test_array_to_img_scales_min_to_0_and_max_to_255():
    x = np.array([[[-1.0], [0.0], [1.0]]])
    assert _pixels(array_to_img(x)) == [[0, 127, 255]]  # 127.5 truncated, as Keras does


def test_array_to_img_without_scaling_truncates_and_clips():
    x = np.array([[[-3.0, 12.9, 255.0], [300.0, 0.5, 254.99]]])
    assert _pixels(array_to_img(x, scale=False)) == [[[0, 12, 255], [255, 0, 254]]]


def test_array_to_img_constant_image_becomes_black():
    assert _pixels(array_to_img(np.full((1, 2, 3), 0.7))) == [[[0, 0, 0], [0, 0, 0]]]


def test_array_to_img_modes_by_channel_count():
    assert array_to_img(np.zeros((2, 3, 1))).mode == "L"
    assert array_to_img(np.zeros((2, 3, 3))).mode == "RGB"
    assert array_to_img(np.zeros((2, 3, 4))).mode == "RGBA"
    assert array_to_img(np.zeros((2, 3, 4))).size == (3, 2)


def test_array_to_img_large_single_channel_gives_32_bit_integers_as_keras():
    img = array_to_img(np.array([[[0], [1000]]]), scale=False)
    assert img.mode == "I" and _pixels(img) == [[0, 1000]]


def test_array_to_img_channels_first():
    x = np.zeros((3, 1, 2), np.uint8)
    x[:, 0, 1] = (10, 20, 30)
    assert _pixels(array_to_img(x, scale=False, data_format="channels_first")) == [
        [[0, 0, 0], [10, 20, 30]]
    ]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
def test_array_to_img_never_modifies_its_input(dtype):
    x = np.array([[[10, 20, 30], [40, 50, 60]]], dtype=dtype)
    before = x.copy()
    array_to_img(x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("shape", [(2, 3), (1, 2, 3, 3), (4,)])
def test_array_to_img_wrong_rank(shape):
    with pytest.raises(ValueError, match=r"3-D array .*got shape " + re.escape(str(shape))):
        array_to_img(np.zeros(shape))


@pytest.mark.parametrize("channels", [2, 5])
def test_array_to_img_wrong_channel_count(channels):
    with pytest.raises(ValueError, match=f"1, 3 or 4 channels .*got {channels}"):
        array_to_img(np.zeros((2, 2, channels)))


def test_array_to_img_rejects_non_finite_and_empty():
    with pytest.raises(ValueError, match="NaN or infinite"):
        array_to_img(np.array([[[np.nan]]]))
    with pytest.raises(ValueError, match="empty array"):
        array_to_img(np.zeros((0, 2, 3)))


@pytest.mark.parity
def test_array_to_img_matches_keras_preprocessing_in_range():
    from keras_preprocessing.image import utils as kp_utils

    x = np.random.default_rng(0).uniform(-2, 7, size=(5, 6, 3))
    for scale in (True, False):
        values = x if scale else (x + 2) * 28  # within 0-255, where Keras does not wrap
        assert _pixels(array_to_img(values, scale=scale)) == _pixels(
            kp_utils.array_to_img(values, scale=scale)
        )


# --- save_img ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "color_mode"), [((3, 4, 3), "rgb"), ((3, 4, 4), "rgba"), ((3, 4, 1), "grayscale")]
)
def test_png_round_trip_is_exact(tmp_path, shape, color_mode):
    x = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    path = tmp_path / "round.png"
    save_img(path, x, scale=False)
    loaded = img_to_array(load_img(path, color_mode=color_mode), dtype="uint8")
    np.testing.assert_array_equal(loaded, x)


def test_save_img_scales_floats_like_array_to_img(tmp_path):
    path = tmp_path / "scaled.png"
    save_img(str(path), np.array([[[0.0], [0.25], [1.0]]]))
    assert _pixels(load_img(path, color_mode="grayscale")) == [[0, 63, 255]]


def test_save_img_refuses_to_overwrite(tmp_path, rgb_png):
    before = rgb_png.read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=True") as info:
        save_img(rgb_png, np.zeros((2, 2, 3)))
    assert info.value.filename == str(rgb_png)
    assert str(rgb_png) in str(info.value)
    assert rgb_png.read_bytes() == before


def test_save_img_overwrites_when_asked(rgb_png):
    save_img(rgb_png, np.full((1, 1, 3), 9, np.uint8), scale=False, overwrite=True)
    assert _pixels(load_img(rgb_png)) == [[[9, 9, 9]]]


def test_save_img_missing_folder(tmp_path):
    path = tmp_path / "missing" / "x.png"
    with pytest.raises(FileNotFoundError, match="folder .*missing' does not exist"):
        save_img(path, np.zeros((2, 2, 3)))


@pytest.mark.parametrize(
    ("suffix", "pillow_format"),
    [(".png", "PNG"), (".JPG", "JPEG"), (".jpeg", "JPEG"), (".bmp", "BMP"), (".tif", "TIFF")],
)
def test_save_img_infers_the_format_from_the_suffix(tmp_path, suffix, pillow_format):
    path = tmp_path / f"pic{suffix}"
    save_img(path, np.zeros((2, 2, 3)))
    with Image.open(path) as img:
        assert img.format == pillow_format


def test_save_img_file_format_overrides_the_suffix(tmp_path):
    path = tmp_path / "picture.data"
    save_img(path, np.zeros((2, 2, 3)), file_format="jpg")
    with Image.open(path) as img:
        assert img.format == "JPEG"


def test_save_img_unknown_suffix_or_format(tmp_path):
    with pytest.raises(ValueError, match=r"suffix '.data' of .*picture.data.*file_format"):
        save_img(tmp_path / "picture.data", np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"file_format='heic' .*not a format Pillow can write"):
        save_img(tmp_path / "picture.png", np.zeros((2, 2, 3)), file_format="heic")
    assert list(tmp_path.iterdir()) == []


def test_save_img_rgba_as_jpeg_drops_alpha(tmp_path):
    path = tmp_path / "alpha.jpg"
    save_img(path, np.full((2, 2, 4), 200, np.uint8), scale=False)
    with Image.open(path) as img:
        assert img.mode == "RGB"


def test_save_img_bad_array_creates_no_file(tmp_path):
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        save_img(tmp_path / "bad.png", np.zeros((2, 2, 2)))
    assert list(tmp_path.iterdir()) == []


def test_save_img_unwritable_mode_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"mode 'I' image as PNG to .*big.png"):
        save_img(tmp_path / "big.png", np.array([[[0], [1000]]]), scale=False)
    assert list(tmp_path.iterdir()) == []


def test_save_img_never_modifies_its_input(tmp_path):
    x = np.array([[[0.5, 0.25, 1.0]]], np.float32)
    before = x.copy()
    save_img(tmp_path / "x.png", x)
    np.testing.assert_array_equal(x, before)


# --- list_images ------------------------------------------------------------


def test_image_extensions():
    assert set(IMAGE_EXTENSIONS) == {".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".tif", ".tiff"}


def test_list_images_sorted_case_insensitive_whitelist(tmp_path):
    names = ["b.PNG", "a.jpg", "c.JpEg", "d.bmp", "e.ppm", "f.TIF", "g.tiff", "B.png"]
    ignored = ["notes.txt", "anim.gif", "pic.webp", "png", "archive.png.zip"]
    for name in names + ignored:
        (tmp_path / name).write_bytes(b"")
    found = list_images(tmp_path)
    assert [p.name for p in found] == sorted(names)
    assert all(isinstance(p, Path) and p.parent == tmp_path for p in found)


def test_list_images_does_not_descend_into_subfolders(tmp_path):
    (tmp_path / "top.png").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.png").write_bytes(b"")
    (tmp_path / "folder.png").mkdir()
    assert list_images(str(tmp_path)) == [tmp_path / "top.png"]


def test_list_images_follow_links(tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "real.png").write_bytes(b"")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "own.png").write_bytes(b"")
    os.symlink(target / "real.png", folder / "linked.png")
    os.symlink(target / "gone.png", folder / "broken.png")
    os.symlink(target, folder / "linked_folder.png")
    assert list_images(folder) == [folder / "own.png"]
    assert list_images(folder, follow_links=True) == [folder / "linked.png", folder / "own.png"]


def test_list_images_missing_or_not_a_folder(tmp_path, rgb_png):
    with pytest.raises(FileNotFoundError, match="No such folder") as info:
        list_images(tmp_path / "nope")
    assert info.value.filename == str(tmp_path / "nope")
    with pytest.raises(NotADirectoryError, match="rgb.png"):
        list_images(rgb_png)


# --- documentation ----------------------------------------------------------



# --- parity with Keras for 8-bit files ---------------------------------------


def _files_of_every_8_bit_mode(folder):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, size=(6, 10, 3), dtype=np.uint8)
    rgba = rng.integers(0, 256, size=(6, 10, 4), dtype=np.uint8)
    images = {
        "rgb.png": Image.fromarray(rgb),
        "rgba.png": Image.fromarray(rgba),
        "grey.png": Image.fromarray(rgb[..., 0]),
        "grey_alpha.png": Image.merge("LA", [Image.fromarray(rgba[..., 0]), Image.fromarray(rgba[..., 3])]),
        "palette.png": Image.fromarray(rgb).quantize(8),
        "bits.png": Image.fromarray(rgb[..., 0]).convert("1"),
        "cmyk.jpg": Image.fromarray(rgb).convert("CMYK"),
    }
    return [_write(folder / name, img) for name, img in images.items()]


@pytest.mark.parity
@pytest.mark.parametrize("color_mode", ["rgb", "rgba", "grayscale"])
def test_load_img_matches_keras_preprocessing_on_8_bit_files(tmp_path, color_mode):
    from keras_preprocessing.image import utils as kp_utils

    for path in _files_of_every_8_bit_mode(tmp_path):
        for size, interpolation in [(None, "nearest"), ((4, 7), "bilinear"), ((9, 3), "lanczos")]:
            ours = load_img(path, color_mode, size, interpolation)
            theirs = kp_utils.load_img(
                str(path), color_mode=color_mode, target_size=size, interpolation=interpolation
            )
            assert ours.mode == theirs.mode, path.name
            assert _pixels(ours) == _pixels(theirs), (path.name, size)


@pytest.mark.parity
@pytest.mark.parametrize("target_size", [(4, 4), (3, 9), (8, 2), (5, 7)])
@pytest.mark.parametrize("interpolation", ["nearest", "bicubic"])
def test_keep_aspect_ratio_matches_keras_3(tmp_path, target_size, interpolation):
    image_utils = require("keras.src.utils.image_utils", "Keras 3's load_img is the reference")
    path, _ = _ramp_png(tmp_path, rows=6, cols=11)
    ours = load_img(
        path, target_size=target_size, interpolation=interpolation, keep_aspect_ratio=True
    )
    theirs = image_utils.load_img(
        path, target_size=target_size, interpolation=interpolation, keep_aspect_ratio=True
    )
    assert _pixels(ours) == _pixels(theirs)
