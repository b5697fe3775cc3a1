"""``augkit.keras3``: ImageDataGenerator settings as Keras 3 layers, measured against the generator.

Every mapped layer's draws are compared with the generator's over 40,000
draws per quantity (two-sample KS statistic below 0.02 for every row the
report calls "same"), in the default and both compat modes; planted wrong
units, signs and axes in the converter must fail that comparison. The
image tests pin directions and units on pixels, and the docstring tests pin
where Keras 3.15.1's docstrings and behaviour disagree (numbers in
``notebooks/22_keras3_layers.ipynb``).
"""

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from augkit import ImageDataGenerator
from augkit.keras3 import convert, layers_code, migration_report, to_keras_layers
from augkit.keras3.measure import compare
from helpers import require

N = 40_000
SIZE = (40, 60)  # not square: an axis mix-up changes the numbers
EVERYTHING = dict(rotation_range=30, width_shift_range=0.1, height_shift_range=0.2, shear_range=15,
                  zoom_range=(0.7, 1.2), horizontal_flip=True, vertical_flip=True, channel_shift_range=20,
                  brightness_range=(0.6, 1.3), rescale=1 / 255, fill_mode="constant", cval=3.0)
COMPATS = [None, "keras_preprocessing", "tf_keras"]
# The report's "same" rows and the quantities that measure them.
MEASURED_BY = {"rotation_range": ("rotation_ccw_deg",), "height_shift_range": ("shift_down_px", "shift_right_px"),
               "width_shift_range": ("shift_down_px", "shift_right_px"), "zoom_range": ("zoom_rows", "zoom_cols"),
               "horizontal_flip": ("flip_lr",), "vertical_flip": ("flip_ud",)}


@pytest.fixture(scope="module")
def keras():
    return require("keras", "the Keras 3 layer tests need keras with the jax backend",
                   on_ci_hint="CI must run the Keras tests: install the test extra")


def measured(gen, seed=1):
    return compare(gen, to_keras_layers(gen, image_size=SIZE, seed=seed), SIZE, n=N)


def test_importing_augkit_keras3_does_not_import_keras():
    code = ("import sys, augkit.keras3, augkit.keras_adapter, augkit\n"
            "from augkit import ImageDataGenerator\n"
            "print(augkit.keras3.layers_code(ImageDataGenerator(rotation_range=9)).count('RandomRotation'))\n"
            "assert 'keras' not in sys.modules, 'keras imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_keras_adapter_is_the_same_function():
    import augkit
    from augkit import keras_adapter
    from augkit.keras3 import as_keras_dataset

    assert keras_adapter.as_keras_dataset is as_keras_dataset is augkit.as_keras_dataset


@pytest.mark.parametrize("compat", COMPATS)
def test_every_same_row_draws_the_generators_distribution(keras, compat):
    gen = ImageDataGenerator(**EVERYTHING, compat=compat)
    report = migration_report(gen, image_size=SIZE)
    statistics = measured(gen)
    same = [row.argument for row in report if row.status == "same" and row.argument in MEASURED_BY]
    assert set(same) == set(MEASURED_BY)  # every convertible draw is reported "same" here
    for argument in same:
        for quantity in MEASURED_BY[argument]:
            assert statistics[quantity] < 0.02, (argument, quantity, statistics[quantity])
    # the approximate rows are close too, but not claimed
    assert {row.argument: row.status for row in report}["shear_range"] == "approximate"
    assert statistics["shear"] < 0.03 and statistics["brightness"] < 0.02 and statistics["channel_shift"] < 0.02


@pytest.mark.parametrize("planted, quantity", [
    (("rotation_factor", lambda degrees: degrees / 180.0), "rotation_ccw_deg"),           # unit: half turns
    (("rotation_factor", lambda degrees: np.radians(degrees)), "rotation_ccw_deg"),       # unit: radians
    (("zoom_factor", lambda zoom: 1.0 - zoom), "zoom_rows"),                              # sign
    (("zoom_factor", lambda zoom: 1.0 / zoom - 1.0), "zoom_cols"),                         # 1/z convention
    (("shift_factor", lambda pixels, size: pixels / 60), "shift_down_px"),                # wrong axis's size
    (("shear_factor", lambda degrees: degrees / 90), "shear"),                            # unit
])
def test_a_planted_wrong_conversion_fails_the_distribution_test(keras, monkeypatch, planted, quantity):
    name, wrong = planted
    monkeypatch.setattr(convert, name, wrong)
    gen = ImageDataGenerator(rotation_range=30, height_shift_range=0.2, shear_range=15, zoom_range=(0.7, 1.2))
    assert measured(gen)[quantity] > 0.1


def test_a_converter_ignoring_tf_keras_swapped_shifts_fails(keras, monkeypatch):
    gen = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.3, compat="tf_keras")
    statistics = measured(gen)
    assert max(statistics.values()) < 0.02
    monkeypatch.setattr(gen, "convention", dataclasses.replace(gen.convention, tx_axis="rows"), raising=False)
    wrong_model = to_keras_layers(gen, image_size=SIZE, seed=1)
    monkeypatch.undo()
    statistics = compare(gen, wrong_model, SIZE, n=N)
    assert statistics["shift_down_px"] > 0.2 and statistics["shift_right_px"] > 0.2


def test_factor_on_the_wrong_axis_fails(keras, monkeypatch):
    real_plan = convert.plan

    def swapped(*args, **kwargs):
        layers, rows = real_plan(*args, **kwargs)
        for spec in layers:
            if spec.name == "RandomTranslation":
                spec.kwargs["height_factor"], spec.kwargs["width_factor"] = (spec.kwargs["width_factor"],
                                                                              spec.kwargs["height_factor"])
        return layers, rows

    monkeypatch.setattr(convert, "plan", swapped)
    assert measured(ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.3))["shift_down_px"] > 0.3


# Directions and units on pixels


NEAREST = {"fill_mode": "nearest"}  # the layers' default is "reflect"


def smooth_image(shape=(12, 16)):
    rows, cols = np.mgrid[:shape[0], :shape[1]]
    return (np.sin(rows / 3.0) + np.cos(cols / 4.0) + rows * cols / 50.0)[..., None].astype(np.float32)


@pytest.mark.parametrize("layer, params", [
    (lambda L: L.RandomRotation((convert.rotation_factor(90),) * 2, **NEAREST), {"theta": 90}),
    (lambda L: L.RandomRotation((convert.rotation_factor(-25),) * 2, **NEAREST), {"theta": -25}),
    # the picture moves down 3 rows and left 2 columns: the inverse map reads tx=-3, ty=+2
    (lambda L: L.RandomTranslation((convert.shift_factor(3, 12),) * 2, (convert.shift_factor(-2, 16),) * 2,
                                   **NEAREST), {"tx": -3, "ty": 2}),
    (lambda L: L.RandomZoom((convert.zoom_factor(1.25),) * 2, (convert.zoom_factor(0.8),) * 2, **NEAREST),
     {"zy": 1.25, "zx": 0.8}),
])
def test_a_fixed_layer_equals_the_default_generator_on_pixels(keras, layer, params):
    image = smooth_image()
    gen = ImageDataGenerator(fill_mode="nearest")
    out = np.asarray(layer(keras.layers)(image[None], training=True))[0]
    np.testing.assert_allclose(out, gen.apply_transform(image, params), atol=2e-5)


def test_shear_turns_about_the_top_left_corner(keras):
    image = smooth_image()
    layer = keras.layers.RandomShear(x_factor=(0.3, 0.3), fill_mode="nearest", seed=0)
    out = np.asarray(layer(np.repeat(image[None], 4, 0), training=True))
    np.testing.assert_allclose(out[:, 0], np.repeat(image[None, 0], 4, 0), atol=1e-6)  # the top row never moves
    assert np.abs(out[:, -1] - image[-1]).max() > 0.5  # the bottom row moves 0.3 * 11 = 3.3 px
    centre = ImageDataGenerator(fill_mode="nearest").apply_transform(image, {"shear": 17.5})  # sin = 0.3
    assert np.abs(centre[0] - image[0]).max() > 0.2  # ImageDataGenerator's shear moves it (about the centre)


def test_default_fill_mode_is_reflect_where_two_docstrings_say_constant(keras):
    L = keras.layers
    for layer in (L.RandomRotation(0.1), L.RandomTranslation(0.1, 0.1), L.RandomZoom(0.1), L.RandomShear(0.1)):
        assert layer.fill_mode == "reflect"
    for cls in (L.RandomTranslation, L.RandomShear):
        assert 'Defaults to `"constant"`' in " ".join(cls.__doc__.split())
    assert ImageDataGenerator().fill_mode == "nearest"


def test_shear_float_factor_is_symmetric_where_the_docstring_says_zero_to_f(keras):
    layer = keras.layers.RandomShear(x_factor=0.2, seed=0)
    drawn = np.asarray(layer.get_random_transformation(np.zeros((N, 4, 4, 1)), training=True)["shear_factor"])
    assert "interpreted as `(0, x_factor)`" in " ".join(keras.layers.RandomShear.__doc__.split())
    assert drawn[:, 0].min() < -0.19 and drawn[:, 0].max() > 0.19
    assert abs((drawn[:, 0] < 0).mean() - 0.5) < 0.01


def test_zoom_in_is_larger_than_the_docstring_says(keras):
    square = np.zeros((1, 41, 41, 1), np.float32)
    square[0, 10:31, 10:31] = 1  # side 21
    sides = {}
    for factor in (-0.3, -0.2, 0.2, 0.3):
        layer = keras.layers.RandomZoom((factor, factor), (factor, factor), fill_mode="constant")
        sides[factor] = float(np.asarray(layer(square, training=True))[0, 20, :, 0].sum())
    # docstring: (-0.3, -0.2) "zoomed in by [+20%, +30%]"; measured: 1/0.7 and 1/0.8 times the size
    assert sides[-0.3] / 21 == pytest.approx(1 / 0.7, abs=0.03) and sides[-0.2] / 21 == pytest.approx(1.25, abs=0.03)
    assert sides[0.3] / 21 == pytest.approx(1 / 1.3, abs=0.03) and sides[0.2] / 21 == pytest.approx(1 / 1.2, abs=0.03)


def test_horizontal_and_vertical_flips_both_axes_together(keras):
    layer = keras.layers.RandomFlip("horizontal_and_vertical", seed=0)
    x = np.arange(4, dtype=np.float32).reshape(1, 2, 2, 1)
    outs = {tuple(o.ravel()) for o in np.asarray(layer(np.repeat(x, 400, 0), training=True))}
    assert outs == {(0, 1, 2, 3), (3, 2, 1, 0)}  # never one axis alone: not two independent flags
    model = to_keras_layers(ImageDataGenerator(horizontal_flip=True, vertical_flip=True), seed=0)
    outs = {tuple(o.ravel()) for o in np.asarray(model(np.repeat(x, 400, 0), training=True))}
    assert len(outs) == 4


def test_random_brightness_docstring_example(keras):
    layer = keras.layers.RandomBrightness(factor=(0.1, 0.1))
    image = np.array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]])
    out = np.asarray(layer(image, training=True))
    # docstring: "will output floats", then shows 26.5 ... ("int64 ... round down"); measured: int32, +25
    assert out.dtype == np.int32 and out[0, 0].tolist() == [26, 27, 28]


def test_training_false_and_predict_pass_through_but_a_direct_call_augments(keras):
    model = to_keras_layers(ImageDataGenerator(rotation_range=30, horizontal_flip=True, brightness_range=(0.5, 1.5)),
                            seed=0)
    x = np.random.default_rng(0).uniform(0, 255, (4, 12, 16, 1)).astype(np.float32)
    assert np.array_equal(np.asarray(model(x, training=False)), x)
    assert np.abs(np.asarray(model(x)) - x).max() > 10  # training defaults to True when called directly
    wrapped = keras.Sequential([keras.Input((12, 16, 1)), model])
    assert np.array_equal(wrapped.predict(x, verbose=0), x)


def test_segmentation_masks_are_warped_nearest_and_left_by_brightness(keras):
    gen = ImageDataGenerator(rotation_range=30, zoom_range=0.2, horizontal_flip=True, brightness_range=(0.5, 1.5))
    model = to_keras_layers(gen, seed=0)
    x = np.random.default_rng(0).uniform(0, 255, (4, 12, 16, 1)).astype(np.float32)
    mask = np.zeros((4, 12, 16, 1), np.float32)
    mask[:, 4:12, 5:11] = 2
    out = model({"images": x, "segmentation_masks": mask}, training=True)
    assert set(np.unique(np.asarray(out["segmentation_masks"]))) == {0.0, 2.0}
    with pytest.raises(TypeError):  # Rescaling is not an image-preprocessing layer: no dict inputs
        to_keras_layers(ImageDataGenerator(rotation_range=30, rescale=0.5))({"images": x, "segmentation_masks": mask})


@pytest.mark.parametrize("compat", COMPATS)
def test_layers_code_runs_and_builds_the_same_layers(keras, compat):
    gen = ImageDataGenerator(**EVERYTHING, zca_whitening=False, compat=compat)
    namespace = {}
    exec(layers_code(gen, image_size=SIZE, seed=3), namespace)
    built, direct = namespace["augmentation"], to_keras_layers(gen, image_size=SIZE, seed=3)
    assert [type(layer).__name__ for layer in built.layers] == [type(layer).__name__ for layer in direct.layers]
    strip = lambda config: {k: v for k, v in config.items() if k != "name"}  # noqa: E731
    assert [strip(layer.get_config()) for layer in built.layers] == [strip(layer.get_config())
                                                                     for layer in direct.layers]


# The report and its refusals (no keras needed)


def test_report_statuses_for_every_kind_of_argument():
    gen = ImageDataGenerator(rotation_range=20, width_shift_range=4, zoom_range=(0.5, 3.0), interpolation_order=3,
                             fill_mode="wrap", featurewise_center=True, zca_whitening=True,
                             preprocessing_function=np.sqrt, validation_split=0.2, compat="keras_preprocessing")
    status = {row.argument: row.status for row in migration_report(gen, image_size=(32, 32))}
    assert status == {"rotation_range": "same", "width_shift_range": "approximate", "zoom_range": "approximate",
                      "fill_mode": "approximate", "interpolation_order": "approximate",
                      "featurewise_center": "none", "zca_whitening": "none", "preprocessing_function": "none",
                      "validation_split": "none"}
    text = str(migration_report(gen, image_size=(32, 32)))
    assert "RandomTranslation(height_factor=0.0, width_factor=0.09375" in text  # int 4: at most 3 px of 32
    assert migration_report(ImageDataGenerator(rotation_range=720))[0].status == "approximate"


def test_pixel_shifts_and_tf_keras_shifts_need_the_image_size():
    with pytest.raises(ValueError, match=r"width_shift_range=5\.0 needs image_size=\(rows, cols\)"):
        layers_code(ImageDataGenerator(width_shift_range=5.0))
    with pytest.raises(ValueError, match="height_shift_range=0.1 needs image_size.*tf_keras"):
        layers_code(ImageDataGenerator(height_shift_range=0.1, compat="tf_keras"))
    with pytest.raises(ValueError, match="image_size"):
        layers_code(ImageDataGenerator(), image_size=(0, 3))
    assert "height_factor=0.1" in layers_code(ImageDataGenerator(height_shift_range=0.1))
