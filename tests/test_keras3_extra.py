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
from augkit.spec import AUGMENTATIONS
from augkit.spec_policy import OPS
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
                      random_erasing=0.5, solarization_range=(0.2, 0.6), randaugment=(2, 0.5))
    status = {row.argument: row.status for row in migration_report(ImageDataGenerator(**everything))}
    assert status == {"contrast_range": "same", "saturation_range": "approximate", "hue_range": "same",
                      "grayscale_probability": "same", "sharpness_range": "approximate",
                      "blur_sigma_range": "approximate", "posterization_bits": "same",
                      "solarization_range": "approximate", "auto_contrast": "same", "equalization": "same",
                      "noise_std_range": "none", "crop_size": "approximate", "random_erasing": "approximate",
                      "randaugment": "approximate"}
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
                             random_erasing=dict(probability=0.5, fill=[1, 2, 3]), randaugment=(2, 0.5), rescale=0.5,
                             **extra)
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


# randaugment=(num_ops, magnitude) as keras.layers.RandAugment (one op list per batch: "approximate")


def randaugment_draws(layer):
    """``layer.get_random_transformation`` on ``N`` blank pixels: one shape for every call (JAX compiles once)."""
    return layer.get_random_transformation(np.zeros((N, 1, 1, 3), np.float32), training=True)


def randaugment_statistics(gen, seed=1):
    """KS of the contrast and sharpness values (augkit's units) drawn by ``gen`` and by its converted layer."""
    from scipy import stats

    params = gen.sample_params(SIZE, N, seed=0)
    num_ops = gen.ranges.randaugment[0]
    drawn = [(getattr(p, f"ra_op_{i}"), getattr(p, f"ra_value_{i}")) for p in params for i in range(1, num_ops + 1)]
    layer, = to_keras_layers(gen, seed=seed).layers
    transforms = randaugment_draws(layer)["transforms"]
    theirs = {"contrast": np.asarray(transforms["random_contrast"]["contrast_factor"], dtype=float).ravel(),
              "sharpness": 2.0 * np.asarray(transforms["random_sharpness"]["factor"], dtype=float).ravel()}
    return {name: stats.ks_2samp([v for op, v in drawn if op == OPS.index(name)], values).statistic
            for name, values in theirs.items()}


def test_randaugment_row_builds_the_layer_it_names(keras):
    gen = ImageDataGenerator(randaugment=(3, 0.7), value_range=(0, 1), contrast_range=(0.8, 1.2), crop_size=(6, 8))
    row = {row.argument: row for row in migration_report(gen)}["randaugment"]
    assert (row.status, row.layer) == ("approximate", "keras.layers.RandAugment(value_range=(0, 1), num_ops=3, "
                                                      "factor=0.7)")
    assert "one list of num_ops operations per batch" in row.difference and "0.62 of the batches" in row.difference
    assert "0.256 of the batches" in row.difference and "turned 0 to 252 degrees" in row.difference
    namespace = {}
    exec(layers_code(gen, seed=5), namespace)
    built = namespace["augmentation"].layers
    assert [type(layer).__name__ for layer in built] == ["RandomContrast", "RandAugment", "RandomCrop"]  # as augkit
    config = built[1].get_config()
    assert (config["value_range"], config["num_ops"], config["factor"], config["seed"]) == ((0, 1), 3, (0, 0.7), 6)
    drawn = randaugment_draws(built[1])
    assert np.asarray(drawn["layer_idxes"]).shape == (3,)  # one list for the whole batch
    assert np.asarray(drawn["transforms"]["random_contrast"]["contrast_factor"]).size == N  # one value per image
    assert len(built[1]._AUGMENT_LAYERS) == convert_extra._KERAS_OPS  # 11, of which shear, translation, rotation
    assert built[1]._AUGMENT_LAYERS[:convert_extra._KERAS_GEOMETRIC] == ["random_shear", "random_translation",
                                                                          "random_rotation"]


def test_randaugment_keras_warps_the_share_of_batches_the_row_states(keras):
    gen = ImageDataGenerator(randaugment=(2, 0.5))
    layer, = to_keras_layers(gen, seed=2).layers
    lists = np.array([np.asarray(randaugment_draws(layer)["layer_idxes"]) for _ in range(250)])
    warped = (lists < convert_extra._KERAS_GEOMETRIC).any(axis=1).mean()
    assert warped == pytest.approx(1 - (8 / 11) ** 2, abs=0.07) and "0.47 of the batches" in str(migration_report(gen))
    intensity = np.bincount(lists[lists >= 3] - 3, minlength=len(OPS))  # the 8 augkit draws, each 1/8 on both sides
    from scipy import stats

    assert stats.chisquare(intensity).pvalue > 1e-6 and (lists[:, 0] == lists[:, 1]).mean() < 0.15


def test_randaugment_values_draw_as_the_generator_and_a_wrong_factor_fails(keras, monkeypatch):
    gen = ImageDataGenerator(randaugment=(4, 0.6))
    statistics = randaugment_statistics(gen)
    assert max(statistics.values()) < 0.02, statistics
    monkeypatch.setattr(convert_extra, "randaugment_factor", lambda magnitude: magnitude / 2)  # torchvision-like
    assert min(randaugment_statistics(gen).values()) > 0.1


def test_randaugment_is_left_out_of_the_per_image_comparison(keras):
    gen = ImageDataGenerator(randaugment=(2, 0.5), contrast_range=(0.8, 1.2), value_range=(0, 1))
    statistics = compare(gen, to_keras_layers(gen, seed=0), SIZE, n=2000)
    assert set(statistics) == {"contrast"} and statistics["contrast"] < 0.05


def test_playground_keras3_code_shows_the_randaugment_layer():
    from augkit import widgets

    pg = widgets.playground(np.zeros((40, 60, 3), np.uint8), randaugment=(2, 0.5))
    assert "keras.layers.RandAugment(value_range=(0.0, 255.0), num_ops=2, factor=0.5)," in pg.keras3_code()


@pytest.mark.parametrize("entry", AUGMENTATIONS, ids=lambda entry: entry.argument)
def test_every_argument_that_is_on_has_a_row(entry):
    # A generator with one entry on: its argument is in the report (a layer, an approximation or "none" with
    # what to do instead), never silently dropped (random_resized_crop had no row).
    report = migration_report(ImageDataGenerator(**{entry.argument: entry.control.start}))
    assert [row.argument for row in report if row.argument == entry.argument], str(report)
