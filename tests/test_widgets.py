"""augkit.widgets: the logic as plain functions, and the widgets smoke-tested in this kernel."""

import base64
import html
from io import BytesIO

import ipywidgets
import numpy as np
import pytest
from PIL import Image

from augkit import ImageDataGenerator, datasets, widgets
from augkit.plotting import to_display
from augkit.spec import AUGMENTATIONS


def small_cat():
    return datasets.sample_image("chelsea")[::5, ::5]  # 60x91


def same_generator(a, b):
    return (a.ranges == b.ranges and a.fill_mode == b.fill_mode and a.cval == b.cval and a.compat == b.compat
            and a.interpolation_order == b.interpolation_order)


def decode(data):
    return np.asarray(Image.open(BytesIO(data)))


# --- controls_to_kwargs / generator_code ------------------------------------------

def test_controls_at_their_defaults_give_no_arguments():
    values = {name: spec.default for name, spec in widgets.CONTROLS.items()}
    values["brightness_range"] = (1.0, 1.0)  # what the range slider holds when off
    assert widgets.controls_to_kwargs(values) == {}
    assert widgets.generator_code({}) == "ImageDataGenerator()"


def test_controls_to_kwargs_keeps_changes_in_keras_order_and_rounds_slider_noise():
    values = {"horizontal_flip": True, "rotation_range": 30.000000000000004, "fill_mode": "reflect",
              "zoom_range": 0.15000000000000002, "compat": "tf_keras", "interpolation_order": 0,
              "brightness_range": (0.5, 1.5), "vertical_flip": False, "cval": 0.0}
    assert widgets.controls_to_kwargs(values) == {
        "rotation_range": 30.0, "brightness_range": (0.5, 1.5), "zoom_range": 0.15, "fill_mode": "reflect",
        "horizontal_flip": True, "interpolation_order": 0, "compat": "tf_keras"}
    assert list(widgets.controls_to_kwargs(values)) == [
        "rotation_range", "brightness_range", "zoom_range", "fill_mode", "horizontal_flip",
        "interpolation_order", "compat"]


def test_controls_to_kwargs_passes_on_arguments_without_controls():
    assert widgets.controls_to_kwargs({"rescale": 1 / 255, "rotation_range": 0}) == {"rescale": 1 / 255}


@pytest.mark.parametrize("kwargs", [
    {},
    {"rotation_range": 12.5, "horizontal_flip": True},
    {"width_shift_range": 0.1, "height_shift_range": 7, "zoom_range": 0.3, "fill_mode": "constant",
     "cval": 0.25, "brightness_range": (0.5, 1.5), "compat": "keras_preprocessing"},
    {"channel_shift_range": 30.0, "shear_range": 10.0, "vertical_flip": True, "interpolation_order": 3,
     "zoom_range": (0.8, 1.25), "width_shift_range": [3, 5]},
])
def test_generated_code_evaluates_to_an_equal_generator(kwargs):
    code = widgets.generator_code(kwargs)
    built = eval(code, {"ImageDataGenerator": ImageDataGenerator})  # noqa: S307 - the point of the test
    assert same_generator(built, ImageDataGenerator(**kwargs))


def test_generated_code_is_one_argument_per_line():
    code = widgets.generator_code({"rotation_range": 30, "brightness_range": (0.8, 1.2)})
    assert code == "ImageDataGenerator(\n    rotation_range=30,\n    brightness_range=(0.8, 1.2),\n)"


# --- render_grid ---------------------------------------------------------------------

def test_render_grid_tiles_the_samples_in_order():
    image = small_cat()
    kwargs = {"rotation_range": 40, "horizontal_flip": True}
    grid = widgets.render_grid(image, kwargs, seed=5, n=9, ncols=3)
    rows, cols = image.shape[:2]
    gap = 4
    assert grid.dtype == np.uint8 and grid.shape == (3 * rows + 2 * gap, 3 * cols + 2 * gap, 3)
    gen = ImageDataGenerator(**kwargs)
    params = gen.sample_params(image.shape, 9, 5)
    for index in (0, 4, 8):
        r, c = divmod(index, 3)
        cell = grid[r * (rows + gap):r * (rows + gap) + rows, c * (cols + gap):c * (cols + gap) + cols]
        expected = np.rint(to_display(gen.apply_transform(image, params[index]), (0, 255)) * 255)
        assert np.abs(cell.astype(int) - expected).max() <= 1
    assert (grid[rows:rows + gap] == 255).all()  # white gaps


def test_render_grid_is_fixed_by_its_seed_and_changes_with_the_controls():
    image = small_cat()
    a = widgets.render_grid(image, {"rotation_range": 30}, seed=1)
    assert np.array_equal(a, widgets.render_grid(image, {"rotation_range": 30}, seed=1))
    assert not np.array_equal(a, widgets.render_grid(image, {"rotation_range": 30}, seed=2))
    assert not np.array_equal(a, widgets.render_grid(image, {"rotation_range": 60}, seed=1))


@pytest.mark.parametrize("image", [
    np.random.default_rng(0).random((20, 30)),  # grey float
    (np.random.default_rng(0).random((20, 30, 1)) * 255).astype(np.uint8),  # grey uint8, channel axis
    np.random.default_rng(0).random((20, 30, 3)).astype(np.float32),
])
def test_render_grid_handles_grey_and_float_images(image):
    grid = widgets.render_grid(image, {"zoom_range": 0.2}, n=4, ncols=2)
    assert grid.shape == (44, 64, 3)
    assert grid[:20, :30].std() > 10  # a picture, not a flat or black square


def test_render_grid_keeps_the_original_scale_so_brightness_shows():
    image = np.full((10, 10, 3), 200, dtype=np.uint8)
    grid = widgets.render_grid(image, {"brightness_range": (0.5, 0.5)}, n=1)
    assert grid.max() == 100


def test_render_grid_reports_invalid_arguments():
    with pytest.raises(ValueError, match="fill_mode='bogus'"):
        widgets.render_grid(small_cat(), {"fill_mode": "bogus"})


@pytest.mark.parametrize("shape", [(1, 1, 3), (1, 7, 3), (5, 1, 3), (33, 47, 3), (300, 200, 3)])
def test_encode_image_is_a_faithful_jpeg(shape):
    grid = widgets.render_grid(small_cat(), {"rotation_range": 20}, n=4, ncols=2)
    grid = np.resize(grid, shape).astype(np.uint8)
    data = widgets.encode_image(grid)
    assert data.startswith(b"\xff\xd8")  # JPEG
    with Image.open(BytesIO(data)) as img:
        assert img.mode == "RGB" and img.size == (shape[1], shape[0])
    assert np.abs(decode(data).astype(int) - grid).mean() < 6


def test_encode_image_is_small_and_accepts_views():
    grid = widgets.render_grid(small_cat(), {"rotation_range": 20}, n=4, ncols=2)
    data = widgets.encode_image(grid[:, ::-1])  # a non-contiguous view
    assert np.abs(decode(data).astype(int) - grid[:, ::-1]).mean() < 3
    assert len(data) < 0.3 * grid.nbytes
    with pytest.raises(ValueError, match=r"\(rows, cols, 3\)"):
        widgets.encode_image(grid[..., 0])


def test_preview_shrinks_to_max_side_and_keeps_dtype():
    cat = datasets.sample_image("chelsea")
    small = widgets.preview(cat, 100)
    assert small.shape == (67, 100, 3) and small.dtype == np.uint8
    assert abs(float(small.mean()) - float(cat.mean())) < 2
    grey = widgets.preview(np.zeros((10, 12)), 256)
    assert grey.shape == (10, 12, 1)


# --- the widgets, in this kernel -----------------------------------------------------

def test_explore_redraws_when_its_control_changes():
    explorer = widgets.explore(small_cat(), "rotation_range")
    assert isinstance(explorer, ipywidgets.Widget)
    assert list(explorer.controls) == ["rotation_range"]
    slider = explorer.controls["rotation_range"]
    assert isinstance(slider, ipywidgets.FloatSlider) and slider.value == 30
    before = explorer.image.value
    assert decode(before).shape[2] == 3
    slider.value = 90
    assert explorer.image.value != before
    assert explorer.last_redraw_seconds > 0
    assert "rotation_range=90.0" in explorer.code.value


def test_explore_new_seed_button_changes_the_samples_not_the_settings():
    explorer = widgets.explore(small_cat(), "zoom_range", 0.4, seed=3)
    before, code = explorer.image.value, explorer.code.value
    explorer.new_seed_button.click()
    assert explorer.seed == 4 and explorer.image.value != before and explorer.code.value == code


@pytest.mark.parametrize("parameter, kind, new_value", [
    ("horizontal_flip", ipywidgets.Checkbox, False),
    ("fill_mode", ipywidgets.Dropdown, "wrap"),
    ("brightness_range", ipywidgets.FloatRangeSlider, (0.2, 0.4)),
    ("channel_shift_range", ipywidgets.FloatSlider, 100.0),
])
def test_explore_uses_a_fitting_control(parameter, kind, new_value):
    fixed = {"rotation_range": 40} if parameter == "fill_mode" else {}
    explorer = widgets.explore(small_cat(), parameter, **fixed)
    control = explorer.controls[parameter]
    assert isinstance(control, kind)
    before = explorer.image.value
    control.value = new_value
    assert explorer.image.value != before


def test_relative_controls_follow_the_image_value_range():
    floats = widgets.explore(small_cat() / 255.0, "channel_shift_range")
    assert floats.controls["channel_shift_range"].max == pytest.approx(0.5)
    assert widgets.explore(small_cat(), "channel_shift_range").controls["channel_shift_range"].max == 127.5


def test_explore_rejects_unknown_parameters_and_bad_fixed_arguments():
    with pytest.raises(ValueError, match="'rotation' has no control"):
        widgets.explore(small_cat(), "rotation")
    with pytest.raises(ValueError, match="fill_mode"):
        widgets.explore(small_cat(), "rotation_range", fill_mode="bogus")


def test_playground_has_every_control_and_exports_code_that_rebuilds_the_generator():
    pg = widgets.playground(small_cat(), rotation_range=20)
    assert list(pg.controls) == list(widgets.CONTROLS)
    pg.controls["zoom_range"].value = 0.25
    pg.controls["horizontal_flip"].value = True
    pg.controls["fill_mode"].value = "reflect"
    pg.controls["brightness_range"].value = (0.7, 1.3)
    pg.controls["compat"].value = "tf_keras"
    code = pg.code.value
    assert code.startswith("from augkit import ImageDataGenerator\n\ndatagen = ImageDataGenerator(\n")
    namespace = {}
    exec(code, namespace)  # noqa: S102 - the exported code must run as pasted
    expected = ImageDataGenerator(rotation_range=20, zoom_range=0.25, horizontal_flip=True, fill_mode="reflect",
                                  brightness_range=(0.7, 1.3), compat="tf_keras")
    assert same_generator(namespace["datagen"], expected)


def test_a_rejected_setting_is_reported_and_the_last_picture_kept(monkeypatch):
    pg = widgets.playground(small_cat())
    before = pg.image.value

    def reject(*args, **kwargs):
        raise ValueError("zoom_range=<bad> is not allowed")

    monkeypatch.setattr(widgets, "render_grid", reject)
    pg.controls["rotation_range"].value = 10
    assert pg.image.value == before
    assert "cannot draw: zoom_range=&lt;bad&gt; is not allowed" in pg.status.value


def test_the_status_line_names_the_preview_size():
    pg = widgets.playground(datasets.sample_image("chelsea"))
    assert pg.source.shape == (170, 256, 3)
    assert "preview 170×256 px" in pg.status.value


def test_the_sampled_parameters_of_each_cell_are_listed():
    explorer = widgets.explore(small_cat(), "rotation_range", n=4)
    assert explorer.ncols == 2
    params = ImageDataGenerator(rotation_range=30).sample_params(explorer.source.shape, 4, 0)
    assert f"(2, 2) {params[3]}" in explorer.samples.value
    explorer.controls["rotation_range"].value = 10
    assert "θ=" in explorer.samples.value and f"(2, 2) {params[3]}" not in explorer.samples.value


def test_preview_without_a_limit_keeps_the_image():
    cat = datasets.sample_image("chelsea")
    assert widgets.preview(cat, None) is cat


def test_the_saved_notebook_text_says_what_the_widget_shows():
    tail = "(interactive in Jupyter; elsewhere a static picture of this grid)"
    assert repr(widgets.explore(small_cat(), "shear_range")) == f"augkit explorer of shear_range: shear_range=20.0; seed 0 {tail}"
    explorer = widgets.explore(small_cat(), "fill_mode", "nearest", rotation_range=40)
    assert repr(explorer) == f"augkit explorer of fill_mode: fill_mode='nearest', rotation_range=40; seed 0 {tail}"
    text = widgets.playground(small_cat(), seed=2, rotation_range=20)._repr_mimebundle_()["text/plain"]
    assert text == f"augkit playground: rotation_range=20.0; seed 2 {tail}"
    assert repr(widgets.playground(small_cat())) == f"augkit playground: no arguments; seed 0 {tail}"


def snapshot_of(widget):
    bundle = widget._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.model_id
    data = base64.b64decode(bundle["image/jpeg"], validate=True)
    assert data.startswith(b"\xff\xd8")
    return data


@pytest.mark.parametrize("make", [
    lambda image: widgets.explore(image, "rotation_range", 90),
    lambda image: widgets.explore(image, "fill_mode", rotation_range=40, width_shift_range=0.3),
    lambda image: widgets.playground(image, rotation_range=20, horizontal_flip=True),
])
@pytest.mark.parametrize("photo", ["chelsea", "camera", "astronaut"])
def test_a_displayed_widget_leaves_a_small_picture_of_the_grid_it_shows(make, photo):
    widget = make(datasets.sample_image(photo))
    data = snapshot_of(widget)
    assert len(data) <= widgets.SNAPSHOT_MAX_BYTES < 40_000  # about 20 kB once base64 in the notebook
    shown = decode(widget.image.value)
    with Image.open(BytesIO(data)) as picture:
        assert max(picture.size) >= 240 and picture.size[0] / picture.size[1] == pytest.approx(
            shown.shape[1] / shown.shape[0], rel=0.02)
        thumbnail = Image.fromarray(shown).resize(picture.size, Image.Resampling.LANCZOS)
        assert np.abs(np.asarray(picture).astype(int) - np.asarray(thumbnail)).mean() < 12  # other seed: 30-70


def test_the_picture_and_its_text_follow_the_grid_shown_when_displayed():
    explorer = widgets.explore(small_cat(), "rotation_range", 10)
    first = snapshot_of(explorer)
    explorer.controls["rotation_range"].value = 170
    assert snapshot_of(explorer) != first and "rotation_range=170.0" in repr(explorer)


def test_a_rejected_setting_keeps_the_picture_and_the_text_of_the_last_grid(monkeypatch):
    pg = widgets.playground(small_cat(), rotation_range=20)
    before = snapshot_of(pg)
    monkeypatch.setattr(widgets, "render_grid", lambda *args, **kwargs: (_ for _ in ()).throw(ValueError("no")))
    pg.controls["zoom_range"].value = 0.5
    assert snapshot_of(pg) == before and repr(pg).startswith("augkit playground: rotation_range=20.0;")


def test_snapshot_jpeg_steps_down_until_it_fits():
    noise = np.random.default_rng(0).integers(0, 256, (776, 776, 3), dtype=np.uint8)
    for budget in (15_000, 4_000):
        data = widgets.snapshot_jpeg(noise, max_bytes=budget)
        with Image.open(BytesIO(data)) as picture:
            assert max(picture.size) < 360  # noise does not fit at the first size
    assert len(widgets.snapshot_jpeg(noise)) <= 15_000
    with pytest.raises(ValueError, match=r"\(rows, cols, 3\)"):
        widgets.snapshot_jpeg(noise[..., 0])


def test_the_compat_dropdown_holds_none_as_a_string():
    pg = widgets.playground(small_cat())
    dropdown = pg.controls["compat"]
    assert dropdown.value == "None" and dropdown.label == "None (documented)"
    assert [label for label, _ in dropdown.options] == ["None (documented)", "keras_preprocessing", "tf_keras"]
    assert "compat" not in pg.generator_kwargs()
    dropdown.value = "tf_keras"
    assert pg.generator_kwargs()["compat"] == "tf_keras"
    dropdown.value = "None"
    assert "compat" not in pg.generator_kwargs()
    assert widgets.controls_to_kwargs({"compat": "None", "fill_mode": "None"}) == {"fill_mode": "None"}


def test_playground_starts_from_a_given_compat():
    pg = widgets.playground(small_cat(), compat="keras_preprocessing")
    assert pg.controls["compat"].value == "keras_preprocessing"
    assert pg.generator_kwargs() == {"compat": "keras_preprocessing"}


def test_the_code_box_fits_its_code():
    pg = widgets.playground(small_cat(), rotation_range=10)
    assert pg.code.rows == pg.code.value.count("\n") + 2


def test_numpy_values_and_named_functions_are_written_as_code():
    def to_grey(x):
        return x.mean(axis=-1, keepdims=True).repeat(3, axis=-1)

    kwargs = widgets.controls_to_kwargs({"rotation_range": np.float64(12.5), "width_shift_range": np.array([3, 5]),
                                         "zoom_range": np.float32(0.0), "preprocessing_function": to_grey})
    assert kwargs == {"rotation_range": 12.5, "width_shift_range": (3, 5), "preprocessing_function": to_grey}
    code = widgets.generator_code(kwargs)
    assert "preprocessing_function=to_grey," in code and "np." not in code
    built = eval(code, {"ImageDataGenerator": ImageDataGenerator, "to_grey": to_grey})  # noqa: S307
    assert same_generator(built, ImageDataGenerator(**kwargs)) and built.preprocessing_function is to_grey


def test_explore_holds_numpy_fixed_arguments():
    explorer = widgets.explore(small_cat(), "fill_mode", width_shift_range=np.array([0.1, 0.2]))
    assert "width_shift_range=(0.1, 0.2)," in explorer.code.value


KERNEL_SMOKE = """
from IPython.display import display
from augkit import datasets
from augkit.widgets import explore, playground

explorer = explore(datasets.sample_image("chelsea"), "rotation_range")
display(explorer)
before = explorer.image.value
explorer.controls["rotation_range"].value = 80
pg = playground(datasets.sample_image("camera"))
pg_before = pg.image.value
pg.controls["zoom_range"].value = 0.4
print("comm open:", explorer.comm is not None and explorer.image.comm is not None)
print("explorer redrawn:", explorer.image.value != before, len(explorer.image.value) > 10_000)
print("playground redrawn:", pg.image.value != pg_before, "zoom_range=0.4" in pg.code.value)
"""


def test_widgets_in_a_real_kernel():
    """Create, change a value programmatically, see the picture change: in an ipykernel, comms and all."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        lines = []

        def collect(message):
            if message["msg_type"] == "stream":
                lines.extend(message["content"]["text"].splitlines())
            elif message["msg_type"] == "error":
                lines.append("ERROR " + message["content"]["ename"] + ": " + message["content"]["evalue"])

        reply = client.execute_interactive(KERNEL_SMOKE, output_hook=collect, timeout=120)
        assert reply["content"]["status"] == "ok", lines
        assert lines == ["comm open: True", "explorer redrawn: True True", "playground redrawn: True True"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("parameter, value, message", [
    ("zoom_range", (0.8, 1.2), r"zoom_range=\(0.8, 1.2\): its slider takes one number from 0 to 0.9"),
    ("rotation_range", 500, "rotation_range=500: its slider takes one number from 0 to 180"),
    ("brightness_range", (0.5, 3.0), "takes a pair from 0 to 2"),
    ("horizontal_flip", "yes", "must be True or False"),
    ("fill_mode", "mirror", "'mirror' is not one of"),
])
def test_a_start_value_the_control_cannot_show_is_refused(parameter, value, message):
    with pytest.raises(ValueError, match=message):
        widgets.explore(small_cat(), parameter, value)
    with pytest.raises((ValueError, TypeError), match=parameter):  # the generator's or the control's message
        widgets.playground(small_cat(), **{parameter: value})


# --- tooltips ---------------------------------------------------------------------------

def test_every_control_has_a_tooltip_with_its_unit_range_and_default():
    pg = widgets.playground(small_cat())
    for name, control in pg.controls.items():
        spec = widgets.CONTROLS[name]
        tip = control.tooltip
        assert tip == widgets.control_tooltip(name, 255.0)
        assert tip.startswith(f"{name}: {spec.unit}.") and "default" in tip
    assert pg.controls["rotation_range"].tooltip == (
        "rotation_range: degrees: angle uniform in [-r, r]. Samples theta [degrees]. "
        "Slider from 0 to 180 in steps of 1; 0 (Keras's default) is off.")
    assert "Samples zx [factor], zy [factor]" in pg.controls["zoom_range"].tooltip
    assert "Samples ty [pixels (columns)]" in pg.controls["width_shift_range"].tooltip
    assert "'reflect': mirror the picture at its edge" in pg.controls["fill_mode"].tooltip
    assert "'tf_keras': exactly Keras >= 2.9 / Keras 3" in pg.controls["compat"].tooltip
    assert "The default (Keras has no compat): None" in pg.controls["compat"].tooltip
    # The arguments beyond Keras's never claim a Keras default (Keras has none of them).
    assert "0 (the default; Keras has no hue_range) is off" in pg.controls["hue_range"].tooltip
    assert "(the default None; Keras has no contrast_range)" in pg.controls["contrast_range"].tooltip
    assert "unticked (the default; Keras has no auto_contrast)" in pg.controls["auto_contrast"].tooltip
    for entry in AUGMENTATIONS:
        if entry.argument in pg.controls:
            assert ("Keras's default" in pg.controls[entry.argument].tooltip) == entry.in_compat, entry.argument
    assert "Samples flip_vertical [True or False]. Ticked: on" in pg.controls["vertical_flip"].tooltip


def test_relative_sliders_state_their_range_in_the_units_of_the_image():
    assert "Slider from 0 to 127.5 (of this image's 0-255 value range) in steps of 2.55" in (
        widgets.explore(small_cat(), "channel_shift_range").controls["channel_shift_range"].tooltip)
    assert "Slider from 0 to 0.5 (of this image's 0-1 value range) in steps of 0.01" in (
        widgets.explore(small_cat() / 255.0, "channel_shift_range").controls["channel_shift_range"].tooltip)


@pytest.mark.parametrize("name", ["fill_mode", "interpolation_order", "compat", "horizontal_flip", "vertical_flip"])
def test_dropdowns_and_checkboxes_show_their_tooltip_on_screen(name):
    """ipywidgets 8 shows a dropdown's or checkbox's ``tooltip`` only if its description is empty
    (a checkbox's title is otherwise its description): so the name is a label of its own, with the tooltip."""
    pg = widgets.playground(small_cat())
    control, row = pg.controls[name], pg.rows[name]
    assert isinstance(control, (ipywidgets.Dropdown, ipywidgets.Checkbox))
    assert control.description == "" and control.tooltip.startswith(f"{name}: ")
    label, shown = row.children
    assert shown is control and isinstance(label, ipywidgets.HTML)
    assert f'title="{html.escape(control.tooltip)}"' in label.value and f">{name}</div>" in label.value


def test_sliders_carry_their_name_and_tooltip_themselves():
    pg = widgets.playground(small_cat())
    for name in ("rotation_range", "brightness_range", "cval"):
        assert pg.rows[name] is pg.controls[name] and pg.controls[name].description == name


# --- the code box always agrees with the controls --------------------------------------

HEADER = "from augkit import ImageDataGenerator\n\ndatagen = "


def random_value(name, control, rng):
    spec = widgets.CONTROLS[name]
    if spec.kind == "float":  # a slider of whole steps (crop sizes) holds whole numbers, as a user can set
        value = float(rng.choice([control.min, control.max, rng.uniform(control.min, control.max)]))
        return float(round(value)) if float(spec.step).is_integer() else value
    if spec.kind == "range":  # a slider of whole steps (posterization_bits) holds whole numbers
        return tuple(sorted(rng.uniform(spec.low, spec.high, 2).round(0 if float(spec.step).is_integer() else 2)))
    if spec.kind == "bool":
        return not control.value
    options = [value for _, value in control.options]  # values may be tuples (randaugment's presets)
    return options[rng.integers(len(options))]


def test_after_any_changes_the_code_box_is_the_code_of_the_controls():
    rng = np.random.default_rng(0)
    pg = widgets.playground(small_cat(), n=1)
    names = list(pg.controls)
    beyond_keras = {entry.argument for entry in AUGMENTATIONS if not entry.in_compat}  # compat refuses them
    for _ in range(40):
        name = names[rng.integers(len(names))]
        value = random_value(name, pg.controls[name], rng)
        if ((name in beyond_keras and pg.controls["compat"].value not in (None, "None", "default"))
                or (name == "compat" and any(pg.controls[n].value for n in beyond_keras))):
            continue
        pg.controls[name].value = value
        values = {n: c.value for n, c in pg.controls.items()}
        assert pg.code.value == HEADER + widgets.generator_code(widgets.controls_to_kwargs(values))
        try:
            expected = ImageDataGenerator(**widgets.controls_to_kwargs(values))
        except ValueError as error:  # a colour control under a compat mode: refused by name, and shown
            assert "is not an argument of Keras's ImageDataGenerator" in str(error)
            assert "cannot draw" in pg.status.value and "compat=None" in pg.status.value
            continue
        namespace = {}
        exec(pg.code.value, namespace)  # noqa: S102
        assert same_generator(namespace["datagen"], expected)


def test_run_all_a_copy_driven_by_a_later_cell_leaves_the_shown_widget_and_the_printed_code_alike():
    """The playground notebook's order under "Run All": show, print the code, drive from code.

    Driving the displayed widget itself changes its box (ipywidgets syncs every change, checked in
    JupyterLab), so the code printed under it no longer matches: a later cell drives a copy.
    """
    pg = widgets.playground(small_cat(), rotation_range=20, horizontal_flip=True)
    shown = pg._repr_mimebundle_()
    printed = pg.code.value
    lesson = pg.copy()
    lesson.controls["zoom_range"].value = 0.5
    lesson.controls["fill_mode"].value = "constant"
    lesson.controls["horizontal_flip"].value = False
    assert pg.code.value == printed and pg.controls["zoom_range"].value == 0 and pg.controls["horizontal_flip"].value
    assert pg._repr_mimebundle_()["image/jpeg"] == shown["image/jpeg"]
    assert "rotation_range=20.0, horizontal_flip=True;" in shown["text/plain"]
    assert lesson.code.value == HEADER + widgets.generator_code(
        {"rotation_range": 20.0, "zoom_range": 0.5, "fill_mode": "constant"})
    # The copy starts where the original was: same settings, seed and picture.
    assert pg.copy().code.value == printed and pg.copy().image.value == pg.image.value


def test_copy_applies_changes_and_keeps_seed_fixed_arguments_and_preview():
    explorer = widgets.explore(datasets.sample_image("chelsea"), "fill_mode", rotation_range=40, seed=7, n=4)
    copy = explorer.copy(fill_mode="wrap")
    assert copy is not explorer and copy.seed == 7 and copy.n == 4 and copy.ncols == 2
    assert copy.source.shape == explorer.source.shape == (170, 256, 3)
    assert copy.generator_kwargs() == {"rotation_range": 40, "fill_mode": "wrap"}
    compat = widgets.playground(small_cat()).copy()
    assert compat.controls["compat"].value == "None" and "compat" not in compat.generator_kwargs()
    with pytest.raises(ValueError, match="'zoom_range' is not a control of this widget; its controls are fill_mode"):
        explorer.copy(zoom_range=0.2)


# The Keras 3 code box (issue 17)


def test_playground_keras3_code_runs_as_printed_and_builds_the_converters_layers():
    from helpers import require

    keras = require("keras", "the playground's Keras 3 code is executed with keras (jax backend)")
    from augkit.keras3 import to_keras_layers

    image = np.zeros((40, 60, 3), np.uint8)
    pg = widgets.playground(image, rotation_range=30, width_shift_range=0.1, zoom_range=0.2,
                            horizontal_flip=True, fill_mode="constant", cval=20)
    assert pg.code.value.startswith("from augkit import ImageDataGenerator")
    pg.code_style.value = "keras3"
    printed = pg.code.value
    assert printed == pg.keras3_code() and printed.startswith("import keras")
    namespace = {}
    exec(printed, namespace)
    built = namespace["augmentation"]
    direct = to_keras_layers(ImageDataGenerator(**pg.generator_kwargs()), image_size=(40, 60), value_range=(0, 255))
    strip = lambda config: {k: v for k, v in config.items() if k != "name"}  # noqa: E731
    assert [strip(layer.get_config()) for layer in built.layers] == [strip(layer.get_config())
                                                                     for layer in direct.layers]
    out = np.asarray(built(np.full((2, 40, 60, 3), 100.0, np.float32), training=True))
    assert out.shape == (2, 40, 60, 3)
    assert isinstance(built, keras.Sequential)

    pg.controls["rotation_range"].value = 10  # the box follows the controls in the chosen style
    assert pg.code.value == pg.keras3_code() and "factor=0.027777" in pg.code.value
    twin = pg.copy()
    assert twin.code_style.value == "keras3" and twin.code.value == pg.code.value
    pg.code_style.value = "augkit"
    assert pg.code.value.startswith("from augkit import ImageDataGenerator")


def test_playground_keras3_code_moves_the_axis_of_the_generators_compat():
    image = np.zeros((600, 300, 3), np.uint8)  # previewed at 256 x 128
    pg = widgets.playground(image, width_shift_range=0.2, compat="tf_keras")
    assert pg.source.shape[:2] == (256, 128) and pg.image_size == (600, 300)
    pg.code_style.value = "keras3"
    # Keras >= 2.9 moves the rows with width_shift_range, by a fraction of the width: 0.2 * 300 / 600 of the height
    assert "height_factor=0.1" in pg.code.value and "width_factor=0.0" in pg.code.value
