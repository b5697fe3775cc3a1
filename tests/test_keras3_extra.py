"""``augkit.keras3`` for augkit's entries beyond Keras's arguments (issue 18): measured draws and statuses.

Every new row the report calls "same" with a random draw is compared with
the generator over 20,000 draws (two-sample KS below 0.02, the layer's
``get_random_transformation`` vectorised); planted wrong units and ranges
in :mod:`augkit.keras3.convert_extra` must fail it.
"""

import numpy as np
import pytest

from augkit import ImageDataGenerator
from augkit.keras3 import convert_extra, layers_code, migration_report, to_keras_layers
from augkit.keras3.measure import compare
from test_keras3 import keras  # noqa: F401 - the fixture (skip here, fail on CI without keras)

N = 20_000
SIZE = (10, 10)
COLOUR = dict(contrast_range=(0.7, 1.4), saturation_range=(0.5, 2.0), hue_range=40, grayscale_probability=0.3,
              sharpness_range=(0.4, 1.6), posterization_bits=(2, 6), solarization_range=(0.0, 0.6),
              auto_contrast=True, equalization=True)
MEASURED_BY = {"contrast_range": "contrast", "saturation_range": "saturation", "hue_range": "hue_deg",
               "grayscale_probability": "grayscale", "posterization_bits": "posterize_bits",
               "solarization_range": "solarize_threshold"}


def measured(gen, seed=1):
    return compare(gen, to_keras_layers(gen, image_size=SIZE, seed=seed), SIZE, n=N)


@pytest.fixture(scope="module")
def colour_statistics(keras):
    gen = ImageDataGenerator(**COLOUR, value_range=(0, 1))
    return {row.argument: row.status for row in migration_report(gen)}, measured(gen)


def test_every_new_same_row_draws_the_generators_distribution(colour_statistics):
    status, statistics = colour_statistics
    same = {argument for argument, kind in status.items() if kind == "same"}
    assert same == set(MEASURED_BY) | {"auto_contrast", "equalization"}  # the last two draw nothing
    for argument, quantity in MEASURED_BY.items():
        assert statistics[quantity] < 0.02, (argument, quantity, statistics[quantity])
    assert statistics["sharpness"] < 0.02  # approximate for its border, not for its draw


def test_approximate_rows_differ_as_measured(keras):
    statistics = measured(ImageDataGenerator(solarization_range=(0.3, 0.6), random_erasing=0.5))
    assert statistics["solarize_threshold"] > 0.2  # thresholds from 0, not from 0.3
    assert statistics["erased_share"] > 0.03  # sqrt(U(scale)) sides, no aspect ratio


def test_keras_erasing_box_is_smaller_on_average(keras):
    from augkit.keras3.measure import generator_draws, layer_draws

    gen = ImageDataGenerator(random_erasing=1.0)
    ours = generator_draws(gen, SIZE, N)["erased_share"]
    theirs = layer_draws(to_keras_layers(gen, seed=0), SIZE, N)["erased_share"]
    assert ours.mean() == pytest.approx(0.174, abs=0.004) and theirs.mean() == pytest.approx(0.159, abs=0.004)
    assert (ours > 0).all() and (theirs > 0).all()  # probability 1 erases every image on both sides


@pytest.mark.parametrize("name, wrong, quantity", [
    ("contrast_factor", lambda low, high: (low, high), "contrast"),                     # factors, not offsets
    ("hue_factor", lambda degrees: degrees / 360.0, "hue_deg"),                          # turns, not half turns
    ("posterization_factor", lambda low, high: (low, high), "posterize_bits"),           # exclusive top
    ("saturation_factor", lambda multiplier: multiplier / 2.0, "saturation"),            # not Keras's f
])
def test_a_planted_wrong_conversion_fails(keras, monkeypatch, name, wrong, quantity):
    monkeypatch.setattr(convert_extra, name, wrong)
    gen = ImageDataGenerator(**COLOUR, value_range=(0, 1))
    assert measured(gen)[quantity] > 0.1


def test_a_planted_wrong_sharpness_unit_fails(keras, monkeypatch):
    monkeypatch.setattr(convert_extra, "sharpness_factor", lambda factor: factor)
    assert measured(ImageDataGenerator(sharpness_range=(0.4, 1.6)))["sharpness"] > 0.1


def test_report_statuses_for_every_new_argument():
    everything = dict(COLOUR, blur_sigma_range=(0.5, 1.0), noise_std_range=(0.0, 0.02), crop_size=(6, 8),
                      random_erasing=0.5, solarization_range=(0.2, 0.6))
    status = {row.argument: row.status for row in migration_report(ImageDataGenerator(**everything))}
    assert status == {"contrast_range": "same", "saturation_range": "approximate", "hue_range": "same",
                      "grayscale_probability": "same", "sharpness_range": "approximate",
                      "blur_sigma_range": "approximate", "posterization_bits": "same",
                      "solarization_range": "approximate", "auto_contrast": "same", "equalization": "same",
                      "noise_std_range": "none", "crop_size": "approximate", "random_erasing": "approximate"}
    unit = migration_report(ImageDataGenerator(**everything, value_range=(0, 1)))
    status = {row.argument: row for row in unit}
    assert status["saturation_range"].status == "same" and status["noise_std_range"].status == "approximate"
    assert "GaussianNoise(stddev=0.01" in status["noise_std_range"].layer
    assert "RandomPosterization(factor=(2, 7)" in layers_code(ImageDataGenerator(posterization_bits=(2, 6)))
    assert "RandomContrast(factor=(0.3, 0.4)" in layers_code(ImageDataGenerator(contrast_range=(0.7, 1.4)))


def test_mixup_and_cutmix_are_in_the_notes_not_in_the_table():
    report = migration_report(ImageDataGenerator(rotation_range=10))
    assert len(report.notes) == 1 and "keras.layers.MixUp" in report.notes[0] and "CutMix" in report.notes[0]
    assert "MixUp" in report.markdown() and "MixUp" not in str(report)


@pytest.mark.parametrize("extra", [dict(value_range=(0, 1)), dict(data_format="channels_first")])
def test_layers_code_runs_and_builds_the_same_layers(keras, extra):
    gen = ImageDataGenerator(**COLOUR, blur_sigma_range=(0.5, 1.0), noise_std_range=(0.0, 0.02), crop_size=(6, 8),
                             random_erasing=dict(probability=0.5, fill=[1, 2, 3]), rescale=0.5, **extra)
    namespace = {}
    exec(layers_code(gen, seed=3), namespace)
    built, direct = namespace["augmentation"], to_keras_layers(gen, seed=3)
    assert [type(layer).__name__ for layer in built.layers] == [type(layer).__name__ for layer in direct.layers]
    strip = lambda config: {k: v for k, v in config.items() if k != "name"}  # noqa: E731
    assert [strip(layer.get_config()) for layer in built.layers] == [strip(layer.get_config())
                                                                     for layer in direct.layers]


def test_the_model_runs_and_equalization_after_a_layer_breaks_keras_sequential(keras):
    x = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype(np.float32)
    out = np.asarray(to_keras_layers(ImageDataGenerator(auto_contrast=True))(x, training=True))
    assert out.shape == x.shape and out.min() == 0 and out.max() == 255
    with pytest.raises(ValueError, match="part of a cycle"):  # Keras 3.15.1, said in the report's row
        to_keras_layers(ImageDataGenerator(auto_contrast=True, equalization=True))(x, training=True)
    gen = ImageDataGenerator(**dict(COLOUR, equalization=False), crop_size=(6, 8), random_erasing=0.5)
    assert np.asarray(to_keras_layers(gen, seed=0)(x, training=True)).shape == (2, 6, 8, 3)
