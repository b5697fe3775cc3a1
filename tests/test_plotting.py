"""augkit.plotting: figures returned (never shown), right pixels, right ranges, right lines."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from augkit import ImageDataGenerator, TransformParams, datasets, plotting

STANDARD = dict(rotation_range=40, width_shift_range=0.2, zoom_range=0.2, horizontal_flip=True)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def no_show(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("plotting must not call plt.show()")

    monkeypatch.setattr(plt, "show", fail)


def cat():
    return datasets.sample_image("chelsea")[::6, ::6]  # 50x76, non-square


def shown(ax):
    """The array an Axes displays."""
    return np.asarray(ax.get_images()[0].get_array())


# --- display scale -------------------------------------------------------------

@pytest.mark.parametrize("image, expected", [
    (np.array([[0.0, 0.5]], dtype=np.float32), (0.0, 1.0)),
    (np.array([[0, 255]], dtype=np.uint8), (0.0, 255.0)),
    (np.array([[3.0, 100.0]]), (0.0, 255.0)),
    (np.array([[-1.0, 1.0]]), (-1.0, 1.0)),
    (np.zeros((2, 2)), (0.0, 1.0)),
    (np.full((2, 2), 300.0), (300.0, 301.0)),
])
def test_display_range(image, expected):
    assert plotting.display_range(image) == expected


@pytest.mark.parametrize("dtype, scale", [(np.uint8, 255), (np.float32, 255), (np.float64, 1)])
def test_to_display_is_the_same_picture_whatever_the_dtype(dtype, scale):
    base = np.random.default_rng(0).integers(0, 256, (4, 5, 3)) / 255
    picture = plotting.to_display((base * scale).astype(dtype))
    assert picture.dtype == np.float32 and picture.shape == (4, 5, 3)
    np.testing.assert_allclose(picture, base, atol=1e-6)


def test_to_display_drops_a_single_channel_and_rejects_two():
    assert plotting.to_display(np.zeros((4, 5, 1))).shape == (4, 5)
    with pytest.raises(ValueError, match=r"\(4, 5, 2\)"):
        plotting.to_display(np.zeros((4, 5, 2)))


# --- show_grid -----------------------------------------------------------------

@pytest.mark.parametrize("image", [
    np.random.default_rng(0).integers(0, 256, (10, 14, 3), dtype=np.uint8),  # colour uint8
    np.random.default_rng(0).random((10, 14, 3)).astype(np.float32),  # colour float 0-1
    np.random.default_rng(0).integers(0, 256, (10, 14)).astype(np.uint8),  # grey 2-D
    np.random.default_rng(0).random((10, 14, 1)) * 255,  # grey float 0-255, channel axis
])
def test_show_grid_displays_every_kind_of_image_on_its_fixed_scale(image, no_show):
    fig = plotting.show_grid([image, image], titles=["a", "b"])
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    np.testing.assert_allclose(shown(ax), plotting.to_display(image), atol=1e-6)
    if image.ndim == 2 or image.shape[2] == 1:
        assert ax.get_images()[0].get_cmap().name == "gray"
    assert ax.get_images()[0].get_clim() == (0, 1)
    assert [a.get_title() for a in fig.axes] == ["a", "b"]


def test_show_grid_layout_hides_spare_axes_and_checks_titles():
    images = [np.zeros((4, 4))] * 5
    fig = plotting.show_grid(images, ncols=3)
    assert len(fig.axes) == 6
    assert [ax.axison for ax in fig.axes] == [True] * 5 + [False]
    with pytest.raises(ValueError, match="2 titles for 5 images"):
        plotting.show_grid(images, titles=["a", "b"])
    with pytest.raises(ValueError, match="empty"):
        plotting.show_grid([])
    with pytest.raises(ValueError, match="ncols=0"):
        plotting.show_grid(images, ncols=0)


def test_large_grids_stay_within_the_page_and_wrap_titles():
    titles = ["θ=-12.3°, tx=+5.0px, ty=-7.5px, shear=3.1°, zx=1.08, zy=0.95, h-flip"] * 64
    fig = plotting.show_grid([np.zeros((8, 8))] * 64, titles=titles)
    assert fig.get_figwidth() <= 15.0
    assert len(fig.axes) == 64 and fig.axes[0].get_title().count("\n") >= 2
    assert fig.axes[0].title.get_fontsize() <= 8


def test_draws_into_a_given_figure():
    fig = plt.figure()
    assert plotting.show_grid([np.zeros((4, 4))] * 2, fig=fig) is fig
    assert plotting.show_grid([np.zeros((4, 4))], fig=fig) is fig
    assert len(fig.axes) == 1  # cleared, not stacked


# --- show_augmented / show_before_after --------------------------------------------

def test_show_augmented_shows_the_samples_titled_with_their_parameters(no_show):
    image = cat()
    gen = ImageDataGenerator(**STANDARD)
    fig = plotting.show_augmented(image, gen, n=4, seed=1)
    params = gen.sample_params(image.shape, 4, seed=1)
    assert len(fig.axes) == 4
    for ax, p in zip(fig.axes, params):
        assert ax.get_title().replace("\n", " ") == str(p)
        expected = plotting.to_display(gen.apply_transform(image, p), (0, 255))
        np.testing.assert_allclose(shown(ax), expected, atol=1e-6)
    assert "θ=" in fig.axes[0].get_title()
    assert "rotation_range=40" in fig._suptitle.get_text()


def test_show_augmented_keeps_the_original_scale_so_brightness_shows():
    image = np.full((6, 6, 3), 0.5, dtype=np.float32)
    fig = plotting.show_augmented(image, ImageDataGenerator(brightness_range=(0.2, 0.3)), n=2)
    assert shown(fig.axes[0]).max() < 0.2  # darker, not stretched back to white


def test_show_before_after_accepts_a_dict_or_params_and_a_generator():
    image = cat()
    fig = plotting.show_before_after(image, {"theta": 90})
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.axes[1].get_title() == "after: θ=90.0°"
    np.testing.assert_allclose(shown(fig.axes[0]), plotting.to_display(image))
    gen = ImageDataGenerator(fill_mode="constant", cval=0.0)
    fig = plotting.show_before_after(image, TransformParams(tx=20), gen)
    assert shown(fig.axes[1])[-20:].max() == 0  # tx=20 reads 20 rows lower: the bottom is filled
    with pytest.raises(ValueError, match="unknown keys"):
        plotting.show_before_after(image, {"angle": 3})


# --- show_warp_grid ------------------------------------------------------------

def line_points(ax):
    return [np.column_stack([line.get_ydata(), line.get_xdata()]) for line in ax.get_lines()]


def test_warp_grid_identity_leaves_the_lines_in_place():
    image = cat()
    fig = plotting.show_warp_grid(image, {})
    before, after = fig.axes
    lines_before, lines_after = line_points(before), line_points(after)
    for a, b in zip(lines_before[:-1] + lines_before[-1:], lines_after[:-2] + lines_after[-1:]):
        np.testing.assert_allclose(a, b, atol=1e-9)  # grid lines and centre marker


def test_warp_grid_moves_lines_with_the_content():
    """Under a pure shift of 10 rows, every grid point moves 10 rows down."""
    image = cat()
    fig = plotting.show_warp_grid(image, TransformParams(tx=-10), spacing=10)
    before, after = fig.axes
    lines_before, lines_after = line_points(before), line_points(after)
    assert len(lines_after) == len(lines_before) + 1 >= 10  # plus the moved border
    gen = ImageDataGenerator()
    matrix = gen.transform_matrix(TransformParams(tx=-10), image.shape)
    shift = -matrix[0, 2]  # the inverse map reads row r - shift
    for a, b in zip(lines_before[:-1], lines_after[:-2]):  # grid lines (the last artists are markers)
        np.testing.assert_allclose(b - a, [[shift, 0]] * len(a), atol=1e-9)


def test_warp_grid_carries_the_image_centre_to_where_the_warp_puts_it():
    image = cat()
    rows, cols = image.shape[:2]
    params = TransformParams(theta=90)
    fig = plotting.show_warp_grid(image, params)
    centre = line_points(fig.axes[1])[-1][0]
    np.testing.assert_allclose(centre, [(rows - 1) / 2, (cols - 1) / 2], atol=1e-9)  # the true centre stays
    kp = ImageDataGenerator(compat="keras_preprocessing")
    moved = line_points(plotting.show_warp_grid(image, params, kp).axes[1])[-1][0]
    assert not np.allclose(moved, [(rows - 1) / 2, (cols - 1) / 2])  # keras-preprocessing's off-centre pivot


# --- distributions -------------------------------------------------------------

def test_parameter_distribution_histogram_counts_every_sample_inside_the_documented_band(no_show):
    gen = ImageDataGenerator(rotation_range=30)
    fig = plotting.plot_parameter_distribution(gen, "rotation_range", n=500, seed=0)
    ax = fig.axes[0]
    bars = [p for p in ax.containers[0] if p.get_height() > 0]
    assert sum(p.get_height() for p in bars) == 500
    assert all(-30 <= p.get_x() and p.get_x() + p.get_width() <= 30 + 1e-9 for p in bars)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "documented range [-30, 30]" in legend
    assert ax.get_xlabel() == "theta (degrees)"


def test_parameter_distribution_discrete_shifts_get_one_bar_per_value():
    gen = ImageDataGenerator(width_shift_range=[10, 20])
    ax = plotting.plot_parameter_distribution(gen, "ty", n=400, seed=0).axes[0]
    centres = sorted(round(p.get_x() + p.get_width() / 2) for p in ax.containers[0] if p.get_height() > 0)
    assert centres == [-20, -10, 10, 20]


def test_parameter_distribution_flips_and_switched_off_parameters():
    ax = plotting.plot_parameter_distribution(ImageDataGenerator(horizontal_flip=True), "horizontal_flip",
                                              n=1000).axes[0]
    heights = [p.get_height() for p in ax.containers[0]]
    assert sum(heights) == pytest.approx(1) and heights[1] == pytest.approx(0.5, abs=0.05)
    ax = plotting.plot_parameter_distribution(ImageDataGenerator(), "brightness", n=10).axes[0]
    assert "off" in ax.texts[0].get_text()


def test_parameter_distribution_draws_into_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    out = plotting.plot_parameter_distribution(ImageDataGenerator(zoom_range=0.2), "zy", n=50, ax=axes[1])
    assert out is fig and axes[1].has_data() and not axes[0].has_data()


# --- compare_conventions -------------------------------------------------------

def test_compare_conventions_applies_one_sample_under_each_convention(no_show):
    image = cat()
    fig = plotting.compare_conventions(image, seed=2, rotation_range=40, width_shift_range=0.2)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["original", "compat=None (documented)", "compat='keras_preprocessing'", "compat='tf_keras'"]
    params = ImageDataGenerator(rotation_range=40, width_shift_range=0.2).sample_params(image.shape, 1, 2)[0]
    assert str(params) in fig._suptitle.get_text()
    pictures = [shown(ax) for ax in fig.axes]
    for compat, picture in zip((None, "keras_preprocessing", "tf_keras"), pictures[1:]):
        expected = ImageDataGenerator(compat=compat).apply_transform(image, params)
        np.testing.assert_allclose(picture, plotting.to_display(expected, (0, 255)), atol=1e-6)
    assert not np.allclose(pictures[1], pictures[2]) and not np.allclose(pictures[1], pictures[3])


def test_compare_conventions_takes_given_params_and_refuses_compat():
    image = cat()
    fig = plotting.compare_conventions(image, params={"theta": 10})
    assert "θ=10.0°" in fig._suptitle.get_text()
    with pytest.raises(TypeError, match="compat"):
        plotting.compare_conventions(image, compat="tf_keras")


def test_the_backend_is_not_interactive():
    assert matplotlib.get_backend().lower() == "agg"


def test_channels_first_generators_get_the_same_pictures():
    image = cat()
    last = ImageDataGenerator(**STANDARD)
    first = ImageDataGenerator(**STANDARD, data_format="channels_first")
    assert first.sample_params(image.shape[:2], 3, 1) == last.sample_params(image.shape[:2], 3, 1)
    a = plotting.show_augmented(image, last, n=2, seed=1)
    b = plotting.show_augmented(image, first, n=2, seed=1)
    np.testing.assert_array_equal(shown(a.axes[1]), shown(b.axes[1]))
    params = TransformParams(theta=30, tx=5)
    lines = [line_points(plotting.show_warp_grid(image, params, gen).axes[1]) for gen in (last, first)]
    for p, q in zip(*lines):
        np.testing.assert_allclose(p, q)
