"""The default mode's draws are keyed by parameter: editing the spec table changes no other parameter (issue 15).

Each test edits :data:`augkit.spec.AUGMENTATIONS` in a fresh interpreter
(an import hook changes the table as ``augkit.spec`` is loaded, so
``TransformParams``, ``ParamRanges`` and the slots are built from the edited
table), draws with every entry switched on, and compares each parameter the
real table also has with what the real table draws: an iterator's epochs,
``flow``'s ``transform_params``, ``sample_params`` and successive
``random_params`` calls. The compat modes follow Keras's order instead, so
only an entry added last and drawing nothing while off keeps their draws
(``test_spec_table.py``).
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import augkit
from augkit import ImageDataGenerator
from augkit.spec import AUGMENTATIONS

SHAPE = (12, 17)

EDITED = textwrap.dedent('''
    import json, sys

    from spec_edits import edit_spec_table

    EDIT = sys.argv[1]

    def toy_entry(spec):
        """A constant offset uniform in [-r, r] (two slots, to move every column after it by two)."""
        from augkit.validators import non_negative
        return spec.Augmentation(
            argument="offset_range", default=0.0, slots=("offset", "offset_spare"),
            validate=lambda value, name: non_negative(value, name, "intensity units"),
            keys=(spec.Key("offset", "optional", None, "intensity units",
                           lambda p: None if p.offset is None else f"offset={p.offset:+.2f}"),),
            draw=lambda r, u, rows_cols: (-r + 2 * r * u[0] if r else None,),
            draw_legacy=lambda r, state, rows_cols: (float(state.uniform(-r, r)) if r else None,),
            kernel=lambda image, offset, convention: image + offset,
            control=spec.ControlSpec("float", 0.0, 0.1, 0, 0.5, 0.01, unit="intensity units"),
            option=spec.CliOption("number", "offset", metavar="R", low=0, high=1e6, unit="intensity units"))

    def edited(spec):
        table = spec.AUGMENTATIONS
        if EDIT == "add_first":
            return (toy_entry(spec),) + table
        if EDIT == "add_in_the_middle":
            return table[:3] + (toy_entry(spec),) + table[3:]
        if EDIT == "remove_the_first":
            return table[1:]
        if EDIT == "remove_zoom":
            return tuple(entry for entry in table if entry.argument != "zoom_range")
        if EDIT == "reverse":
            return table[::-1]
        if EDIT == "remove_randaugment":
            return tuple(entry for entry in table if entry.argument != "randaugment")
        if EDIT == "without_the_colour_entries":  # the table before augkit.spec_colour
            return tuple(entry for entry in table if entry.in_compat)
        raise ValueError(EDIT)

    edit_spec_table(edited)

    from augkit.spec import AUGMENTATIONS
    from augkit.params import SLOTS
    from keyed_draws import draws

    print(json.dumps({"table": [entry.argument for entry in AUGMENTATIONS], "slots": list(SLOTS),
                      "draws": draws(AUGMENTATIONS)}))
''')

DRAWS = textwrap.dedent('''
    import dataclasses

    import numpy as np

    from augkit import ImageDataGenerator

    SHAPE = (12, 17)

    # Each sets the output's size, so no generator takes both: each is drawn with all the rest on.
    EXCLUSIVE = ("crop_size", "random_resized_crop")

    def draws(table):
        """Every draw of the default mode, with every entry of ``table`` switched on, as dicts of every field."""
        first, second = (draws_without(table, left_off) for left_off in EXCLUSIVE[::-1])
        return {name: [{key: value if value is not None else b[key] for key, value in a.items()}
                       for a, b in zip(first[name], second[name], strict=True)] for name in first}

    def draws_without(table, left_off):
        gen = ImageDataGenerator(**{entry.argument: entry.control.start for entry in table
                                    if entry.argument != left_off})
        stream = gen.stream(5)
        it = gen.flow(np.zeros((6,) + SHAPE + (3,), np.float32), seed=5)
        rng = np.random.default_rng(4)
        drawn = {
            "epoch 0": stream.params(np.arange(6), 0, 6, gen.ranges, SHAPE),
            "epoch 1 in another order": stream.params([5, 2, 0, 4, 1, 3], 1, 6, gen.ranges, SHAPE),
            "flow, epoch 2": [it.transform_params(index, 2) for index in range(6)],
            "sample_params": gen.sample_params(SHAPE, 5, seed=3),
            "random_params": [gen.random_params(SHAPE + (3,), seed=rng) for _ in range(6)],
        }
        return {name: [dataclasses.asdict(p) for p in params] for name, params in drawn.items()}
''')


@pytest.fixture(scope="module")
def helper_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keyed")
    (folder / "keyed_draws.py").write_text(DRAWS, encoding="utf-8")
    return folder


def draws_with_the_real_table(folder):
    namespace = {}
    exec(compile(DRAWS, str(folder / "keyed_draws.py"), "exec"), namespace)  # the same code, this interpreter
    return namespace["draws"](AUGMENTATIONS)


def draws_with_an_edited_table(edit, folder):
    here = str(Path(augkit.__file__).parents[1])  # this augkit, whatever the working folder
    path = os.pathsep.join([here, str(folder), str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": path}
    result = subprocess.run([sys.executable, "-c", EDITED, edit], capture_output=True, text=True, env=env,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


REAL = [entry.argument for entry in AUGMENTATIONS]
EDITS = {
    "add_first": ["offset_range"] + REAL,
    "add_in_the_middle": REAL[:3] + ["offset_range"] + REAL[3:],
    "remove_the_first": REAL[1:],
    "remove_zoom": [argument for argument in REAL if argument != "zoom_range"],
    "reverse": REAL[::-1],
    "without_the_colour_entries": [entry.argument for entry in AUGMENTATIONS if entry.in_compat],
    "remove_randaugment": [argument for argument in REAL if argument != "randaugment"],
}
# The parameters each edit removes from the table.
REMOVED = {"remove_zoom": {"zx", "zy"}, "remove_the_first": {"theta"},
           "remove_randaugment": {key.name for entry in AUGMENTATIONS if entry.argument == "randaugment"
                                  for key in entry.keys},
           "without_the_colour_entries": {key.name for entry in AUGMENTATIONS if not entry.in_compat
                                          for key in entry.keys}}


@pytest.mark.parametrize("edit", EDITS)
def test_editing_the_table_changes_no_other_parameters_draws(edit, helper_folder):
    report = draws_with_an_edited_table(edit, helper_folder)
    assert report["table"] == EDITS[edit]
    assert report["slots"] != list(augkit.params.SLOTS)  # the columns did move
    expected = draws_with_the_real_table(helper_folder)
    assert expected.keys() == report["draws"].keys()
    for name, samples in expected.items():
        got = report["draws"][name]
        common = set(samples[0]) & set(got[0])
        assert common == set(samples[0]) - REMOVED.get(edit, set())
        for index, (want, have) in enumerate(zip(samples, got, strict=True)):
            assert {key: have[key] for key in common} == {key: want[key] for key in common}, (name, index)
        if edit.startswith("add"):  # the new parameter is drawn, and on
            assert all(sample["offset"] is not None for sample in got)


def test_the_draws_compared_are_not_trivial():
    """Every parameter is on and varies in each kind of draw compared above (so equality means something)."""
    namespace = {}
    exec(DRAWS, namespace)
    drawn = namespace["draws"](AUGMENTATIONS)
    switches = {key.name for entry in AUGMENTATIONS if not entry.slots for key in entry.keys}  # always on: no draw
    on = {entry.argument: entry.validate(entry.control.start, entry.argument) for entry in AUGMENTATIONS}
    fixed = {key.name for entry in AUGMENTATIONS for key in entry.keys  # documented as one value (a crop's size)
             if (key.documented(on[entry.argument], SHAPE) or (0, 1))[0]
             == (key.documented(on[entry.argument], SHAPE) or (0, 1))[1]}
    unused = {key.name for entry in AUGMENTATIONS for key in entry.keys  # RandAugment's positions past num_ops
              if entry.is_on(on[entry.argument])
              and key.documented(on[entry.argument], SHAPE) is None and key.kind != "bool"}
    assert unused == {f"ra_{part}_{i}" for part in ("op", "value", "extra") for i in (3, 4)}
    unused |= {"ra_extra_1", "ra_extra_2"}  # drawn only when the op is solarization (tests/test_randaugment.py)
    for name, samples in drawn.items():
        for key in set(samples[0]) - fixed - switches - unused:
            assert len({json.dumps(sample[key]) for sample in samples}) > 1, (name, key)
    assert all(entry.is_on(on[entry.argument]) for entry in AUGMENTATIONS)
    assert np.isfinite([drawn["epoch 0"][0]["theta"], drawn["sample_params"][0]["brightness"]]).all()
