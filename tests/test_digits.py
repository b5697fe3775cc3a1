"""augkit.digits: digits drawn offline from matplotlib's own fonts."""

from pathlib import Path

import matplotlib
import numpy as np
import pytest

from augkit.digits import DIGIT_FONTS, render_digits


def test_every_font_is_a_file_that_matplotlib_ships():
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    assert all((folder / font).is_file() for font in DIGIT_FONTS)


def test_shape_dtype_range_and_labels_font_by_font():
    images, labels = render_digits(20, fonts=DIGIT_FONTS[:3])
    assert images.shape == (30, 20, 20, 1) and images.dtype == np.float32
    assert images.min() == 0.0 and 0.9 < images.max() <= 1.0
    assert labels.dtype == np.int64 and labels.tolist() == list(range(10)) * 3


def test_the_same_arguments_give_the_same_pixels():
    first, _ = render_digits(16, fonts=DIGIT_FONTS)
    second, _ = render_digits(16, fonts=DIGIT_FONTS)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("font", DIGIT_FONTS)
def test_every_digit_is_upright_centred_and_as_tall_as_asked(font):
    size, height = 28, 0.7
    images, _ = render_digits(size, fonts=[font], height=height)
    for digit, image in enumerate(images[..., 0]):
        rows, cols = np.nonzero(image > 0.02)
        assert rows.max() - rows.min() + 1 == pytest.approx(round(height * size), abs=1), digit
        assert (rows.min() + rows.max()) / 2 == pytest.approx((size - 1) / 2, abs=1), digit
        assert (cols.min() + cols.max()) / 2 == pytest.approx((size - 1) / 2, abs=1), digit
        assert image[0].max() == image[-1].max() == image[:, 0].max() == image[:, -1].max() == 0, digit


def test_the_ten_digits_of_a_font_all_differ():
    images, _ = render_digits(16)
    flat = images.reshape(10, -1)
    distances = np.abs(flat[:, None] - flat[None]).sum(axis=-1)
    assert (distances[~np.eye(10, dtype=bool)] > 5).all()


def test_fonts_differ_from_one_another():
    images, _ = render_digits(16, fonts=DIGIT_FONTS)
    per_font = images.reshape(len(DIGIT_FONTS), -1)
    assert len({row.tobytes() for row in per_font}) == len(DIGIT_FONTS)


def test_a_single_font_name_is_accepted_as_a_string():
    np.testing.assert_array_equal(render_digits(12, fonts="DejaVuSerif.ttf")[0],
                                  render_digits(12, fonts=["DejaVuSerif.ttf"])[0])


@pytest.mark.parametrize("size", [7, 12.0, True, "28", None])
def test_a_bad_size_is_refused_naming_it(size):
    with pytest.raises(ValueError, match=r"size must be an int of at least 8 \(pixels\); got " + repr(size)):
        render_digits(size)


@pytest.mark.parametrize("height", [0, -0.5, 1.5, "0.7", True, float("nan")])
def test_a_bad_height_is_refused_naming_it(height):
    with pytest.raises(ValueError, match=r"height must be a number in \(0, 1\]"):
        render_digits(12, height=height)


@pytest.mark.parametrize("fonts", [["Arial.ttf"], [], ["DejaVuSans.ttf", "DejaVuSans"]])
def test_an_unknown_font_is_refused_listing_the_accepted_ones(fonts):
    with pytest.raises(ValueError, match=r"fonts must be a non-empty sequence of entries of "
                                         r"augkit\.digits\.DIGIT_FONTS \['DejaVuSans\.ttf'"):
        render_digits(12, fonts=fonts)
