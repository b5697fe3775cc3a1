"""The parameter spec table: one contract over every entry, and what adding an entry takes.

Every entry of :data:`augkit.spec.AUGMENTATIONS` must: give the input back
at its neutral value, give the same output for the same parameters, round-trip
through Keras's dict, refuse negative and NaN ranges, have a widget control
and a command-line option, and sample inside its documented range. The last
test appends a toy entry to the table in a fresh interpreter and shows every
consumer (validation, sampling, printing, kernels, units, controls, the CLI)
picking it up with no other edit.
"""

import json
import math
import os
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import numpy as np
import pytest

import augkit
from augkit import ImageDataGenerator
from augkit.__main__ import build_parser
from augkit.params import ARGUMENT_OF, KERAS_KEYS, SLOTS, ParamRanges, TransformParams
from augkit.plotting import _UNITS
from augkit.spec import AUGMENTATIONS
from augkit.widgets import CONTROLS

ENTRIES = {entry.argument: entry for entry in AUGMENTATIONS}
KEYS = [(entry, key) for entry in AUGMENTATIONS for key in entry.keys]
COMPATS = [None, "keras_preprocessing", "tf_keras"]
SHAPE = (12, 17)


def image():
    return np.random.default_rng(0).random(SHAPE + (3,)).astype(np.float32)


#: Every (argument, compat) pair a generator accepts: the compat modes refuse the entries beyond Keras's
#: arguments (``in_compat=False``), checked by test_the_compat_modes_refuse_the_entries_beyond_keras_by_name.
ACCEPTED = [(argument, compat) for argument in ENTRIES for compat in COMPATS
            if compat is None or ENTRIES[argument].in_compat]
REFUSED = [(argument, compat) for argument in ENTRIES for compat in COMPATS if (argument, compat) not in ACCEPTED]


def switched_on(entry, compat=None):
    """A generator with only ``entry`` on, at its control's starting value (the pairs of ``ACCEPTED``)."""
    return ImageDataGenerator(compat=compat, **{entry.argument: entry.control.start})


@pytest.mark.parametrize("argument, compat", REFUSED)
def test_the_compat_modes_refuse_the_entries_beyond_keras_by_name(argument, compat):
    with pytest.raises(ValueError, match=f"^{argument} is not an argument of Keras's ImageDataGenerator: "
                                         f"compat='{compat}'"):
        switched_on(ENTRIES[argument], compat)


@pytest.mark.parametrize("compat", COMPATS)
@pytest.mark.parametrize("entry, key", KEYS, ids=[key.name for _, key in KEYS])
def test_the_neutral_value_gives_the_input_back(entry, key, compat):
    x = image()
    out = ImageDataGenerator(compat=compat).apply_transform(x, TransformParams(**{key.name: key.neutral}))
    np.testing.assert_allclose(out, x, atol=1e-6)
    assert TransformParams(**{key.name: key.neutral}) == TransformParams()


@pytest.mark.parametrize("argument, compat", ACCEPTED)
def test_the_same_parameters_give_the_same_output_and_round_trip(argument, compat):
    gen = switched_on(ENTRIES[argument], compat)
    x = image()
    for params in gen.sample_params(SHAPE, 4, seed=1):
        assert TransformParams.from_dict(params.to_dict()) == params
        assert TransformParams.from_dict(json.loads(json.dumps(params.to_dict()))) == params
        np.testing.assert_array_equal(gen.apply_transform(x, params), gen.apply_transform(x, params.to_dict()))
    assert gen.sample_params(SHAPE, 4, seed=1) == gen.sample_params(SHAPE, 4, seed=1)


@pytest.mark.parametrize("argument", ENTRIES)
def test_an_entry_that_is_off_draws_its_neutral_value_whatever_its_uniforms(argument):
    """One-off draws skip the streams of entries that are off (augkit.params.keyed_uniforms): safe only so."""
    entry = ENTRIES[argument]
    off = getattr(ParamRanges(), argument)
    assert not entry.is_on(off)
    for u in (0.0, 0.5, 0.999999):
        assert entry.draw(off, (u,) * len(entry.slots), SHAPE) == tuple(key.neutral for key in entry.keys)


@pytest.mark.parametrize("argument", ENTRIES)
def test_the_entry_changes_something_when_on(argument):
    gen = switched_on(ENTRIES[argument])
    samples = gen.sample_params(SHAPE, 20, seed=2)
    assert any(p != TransformParams() for p in samples)
    assert ENTRIES[argument].is_on(getattr(gen.ranges, argument)) and argument in repr(gen)
    assert not ENTRIES[argument].is_on(getattr(ParamRanges(), argument)) and argument not in repr(ImageDataGenerator())


def bad_values(entry):
    if entry.control.kind == "range":
        return [(-1.0, 1.0), (math.nan, 1.0)]
    if entry.control.kind == "choice":  # randaugment's (num_ops, magnitude): a number is the wrong type
        return [(2, -1.0), (2, math.nan)]
    return [-1.0, math.nan]


@pytest.mark.parametrize("argument", [e.argument for e in AUGMENTATIONS if e.control.kind != "bool"])
def test_validation_refuses_negative_and_nan_ranges(argument):
    for value in bad_values(ENTRIES[argument]):
        with pytest.raises(ValueError, match=argument):
            ParamRanges(**{argument: value})
        with pytest.raises(ValueError, match=argument):
            ImageDataGenerator(**{argument: value})


@pytest.mark.parametrize("argument", [e.argument for e in AUGMENTATIONS if e.control.kind == "bool"])
def test_flags_refuse_anything_but_a_bool(argument):
    with pytest.raises(TypeError, match=argument):
        ImageDataGenerator(**{argument: "yes"})


def option_strings(command):
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    return {s for action in subparsers.choices[command]._actions for s in action.option_strings}


@pytest.mark.parametrize("argument", ENTRIES)
def test_every_argument_has_a_control_an_option_units_and_a_property(argument):
    entry = ENTRIES[argument]
    assert CONTROLS[argument] is entry.control
    flag = "--" + argument.replace("_", "-")
    assert flag in option_strings("grid") and flag in option_strings("params")
    for key in entry.keys:
        assert ARGUMENT_OF[key.name] == argument
        assert key.kind == "bool" or _UNITS[key.name] == key.unit
    gen = switched_on(entry)
    assert getattr(gen, argument) == entry.public(getattr(gen.ranges, argument))


@pytest.mark.parametrize("argument, compat", ACCEPTED)
def test_samples_lie_in_the_documented_range(argument, compat):
    entry = ENTRIES[argument]
    gen = switched_on(entry, compat)
    samples = gen.sample_params(SHAPE, 200, seed=3)
    for key in entry.keys:
        documented = gen.ranges.documented_range(key.name, SHAPE)
        values = [getattr(p, key.name) for p in samples]
        if key.kind == "bool":  # a coin, or an always-on switch (no slots)
            assert documented is None and set(values) == ({False, True} if entry.slots else {True})
            continue
        if documented is None:  # a RandAugment position past num_ops: never drawn
            assert set(values) == {None}, key.name
            continue
        low, high = documented
        values = [v for v in values if v is not None]  # a policy's op without a value (equalization) has None
        assert values and all(low - 1e-9 <= v <= high + 1e-9 for v in values), (key.name, documented)


def test_the_table_is_the_only_list_of_parameters_and_slots():
    assert KERAS_KEYS == tuple(key.name for _, key in KEYS)
    assert SLOTS == tuple(slot for entry in AUGMENTATIONS for slot in entry.slots)
    assert len(set(SLOTS)) == len(SLOTS)  # each entry names its own slots
    # each entry's default-mode draws are keyed by its argument's name, never by its position
    stream_keys = [entry.stream_key for entry in AUGMENTATIONS]
    assert stream_keys == [zlib.crc32(entry.argument.encode("ascii")) for entry in AUGMENTATIONS]
    assert len(set(stream_keys)) == len(stream_keys) and all(0 < key < 2**32 for key in stream_keys)
    assert tuple(ARGUMENT_OF) == KERAS_KEYS
    assert [f.name for f in __import__("dataclasses").fields(ParamRanges)] == list(ENTRIES)


# Adding a parameter: one table entry (and its kernel), nothing else.

TOY = textwrap.dedent('''
    import json

    from spec_edits import edit_spec_table

    def toy_entry(spec):
        """A constant offset uniform in [-r, r] added to every pixel (its own kernel, no clipping)."""
        from augkit.validators import non_negative
        return spec.Augmentation(
            argument="offset_range", default=0.0, slots=("offset",),
            validate=lambda value, name: non_negative(value, name, "intensity units"),
            keys=(spec.Key("offset", "optional", None, "intensity units",
                           lambda p: None if p.offset is None else f"offset={p.offset:+.2f}",
                           lambda r, rows_cols: (-r, r) if r else None, header="offset"),),
            draw=lambda r, u, rows_cols: (-r + 2 * r * u[0] if r else None,),
            draw_legacy=lambda r, state, rows_cols: (float(state.uniform(-r, r)) if r else None,),
            kernel=lambda image, offset, convention: image + offset,
            control=spec.ControlSpec("float", 0.0, 0.1, 0, 0.5, 0.01, unit="intensity units: offset in [-r, r]"),
            option=spec.CliOption("number", "intensity units: one offset uniform in [-R, R]", metavar="R",
                                  low=0, high=1e6, unit="intensity units"))

    edit_spec_table(lambda spec: spec.AUGMENTATIONS + (toy_entry(spec),))

    import contextlib, io
    import numpy as np
    from augkit import ImageDataGenerator, params, plotting, widgets
    from augkit.__main__ import main

    report = {"keys": params.KERAS_KEYS[-1], "slots": params.SLOTS[-1], "n_slots": params.N_SLOTS,
              "argument_of": params.ARGUMENT_OF["offset"], "name": params.parameter_name("offset_range"),
              "unit": plotting._UNITS["offset"], "control": list(widgets.CONTROLS)[-1],
              "kwargs": widgets.controls_to_kwargs({"offset_range": 0.1, "rotation_range": 0.0})}
    try:
        ImageDataGenerator(offset_range=-1)
    except ValueError as error:
        report["refused"] = str(error)
    gen = ImageDataGenerator(offset_range=0.1)
    report["repr"] = repr(gen)
    report["property"] = gen.offset_range
    report["documented"] = gen.ranges.documented_range("offset_range")
    for compat in (None, "tf_keras"):
        drawn = ImageDataGenerator(offset_range=0.1, compat=compat).sample_params((8, 8), 100, seed=0)
        report[f"drawn_{compat}"] = [min(p.offset for p in drawn), max(p.offset for p in drawn)]
    legacy = ImageDataGenerator(rotation_range=30, compat="tf_keras").sample_params((8, 8), 3, seed=0)
    report["legacy_theta"] = [p.theta for p in legacy]
    p = params.TransformParams(theta=10.0, offset=0.25)
    report["str"] = str(p)
    report["round_trip"] = params.TransformParams.from_dict(p.to_dict()) == p
    x = np.full((4, 5, 1), 0.5, np.float32)
    report["applied"] = float(ImageDataGenerator().apply_transform(x, {"offset": 0.25}).mean())
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        report["cli_ok"] = main(["params", "-n", "2", "--offset-range", "0.5", "--csv"])
        report["cli_bad"] = main(["params", "--offset-range", "-1"])
    report["cli_out"], report["cli_err"] = out.getvalue(), err.getvalue()
    print(json.dumps(report))
''')


def test_adding_an_entry_to_the_table_reaches_every_consumer():
    here = str(Path(augkit.__file__).parents[1])  # this augkit, whatever the working folder
    path = os.pathsep.join([here, str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": path}
    result = subprocess.run([sys.executable, "-c", TOY], capture_output=True, text=True, env=env, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert (report["keys"], report["slots"], report["n_slots"]) == ("offset", "offset", len(SLOTS) + 1)
    assert (report["argument_of"], report["name"], report["unit"]) == ("offset_range", "offset", "intensity units")
    assert report["control"] == "offset_range" and report["kwargs"] == {"offset_range": 0.1}
    assert report["refused"] == "offset_range must be >= 0 (intensity units); got -1"
    assert report["repr"] == "ImageDataGenerator(offset_range=0.1, fill_mode='nearest')"
    assert report["property"] == 0.1 and report["documented"] == [-0.1, 0.1]
    for compat in ("None", "tf_keras"):
        low, high = report[f"drawn_{compat}"]
        assert -0.1 <= low < -0.05 and 0.05 < high <= 0.1
    # The new entry draws last and only when on: Keras's stream is unchanged for every old configuration.
    legacy = ImageDataGenerator(rotation_range=30, compat="tf_keras").sample_params((8, 8), 3, seed=0)
    assert report["legacy_theta"] == [p.theta for p in legacy]
    assert report["str"] == "θ=10.0°, offset=+0.25" and report["round_trip"]
    assert report["applied"] == pytest.approx(0.75)
    assert report["cli_ok"] == 0 and report["cli_out"].splitlines()[0].endswith(",brightness,offset")
    assert report["cli_bad"] == 2
    assert report["cli_err"] == ("augkit: error: argument --offset-range: '-1' is not a number from 0 to 1e+06 "
                                 "(intensity units) (see 'augkit params --help')\n")


@pytest.mark.parametrize("argument", ENTRIES)
def test_a_batch_equals_its_samples_transformed_one_by_one(argument):
    """Every entry, through flow, gives what apply_transform gives each sample with its own parameters."""
    x = np.random.default_rng(1).random((5,) + SHAPE + (3,)).astype(np.float32)
    gen = switched_on(ENTRIES[argument])
    it = gen.flow(x, batch_size=5, shuffle=False, seed=3)
    batch = next(it)
    params = [it.transform_params(i, epoch=0) for i in range(5)]
    assert any(p != TransformParams() for p in params), "the entry must act on at least one sample"
    for i in range(5):
        np.testing.assert_array_equal(batch[i], gen.apply_transform(x[i], params[i]))


@pytest.mark.parametrize("argument", ENTRIES)
def test_masks_stay_labels_under_every_entry(argument):
    """Masks are warped by the geometric part only, keep their dtype and hold only their labels (or the fill)."""
    x = np.random.default_rng(2).random((4,) + SHAPE + (3,)).astype(np.float32)
    masks = np.random.default_rng(3).integers(1, 5, (4,) + SHAPE).astype(np.uint8)
    gen = switched_on(ENTRIES[argument])
    images, warped = next(gen.flow_pairs(x, masks, batch_size=4, shuffle=False, seed=5))
    assert warped.dtype == np.uint8 and warped.shape == images.shape[:3]  # crop_size: both cropped alike
    assert set(np.unique(warped).tolist()) <= set(range(1, 5)) | {0}  # 0 is the mask fill
    np.testing.assert_array_equal(images, next(gen.flow(x, batch_size=4, shuffle=False, seed=5)))
