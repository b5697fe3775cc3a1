"""A batch's parameters drawn column by column (``Augmentation.draws_columns``) equal row-by-row draws exactly.

``sample_from_uniforms`` draws batches of four or more samples with one call per entry that takes columns;
every value must be the one the row-by-row draw gives: same float bit for bit, same Python type.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augkit import column_draws
from augkit.params import (KERAS_KEYS, N_SLOTS, SLOTS, ParamRanges, TransformParams, _params_from_uniforms,
                           sample_from_uniforms)
from augkit.spec import AUGMENTATIONS

_NON_NEGATIVE = st.floats(0, 360) | st.sampled_from([0.0, 1e-300, 90.0, 360.0])
_SHIFT = (st.floats(0.001, 3.0).map(float) | st.integers(1, 40) | st.lists(st.floats(0.0, 0.9), min_size=1,
                                                                             max_size=4))
_PAIR = st.tuples(st.floats(0.1, 3.0), st.floats(0.1, 3.0)).map(sorted).map(tuple)

RANGES = st.fixed_dictionaries({}, optional={
    "rotation_range": _NON_NEGATIVE, "shear_range": _NON_NEGATIVE,
    "width_shift_range": _SHIFT, "height_shift_range": _SHIFT,
    "zoom_range": st.floats(0.0, 0.9) | _PAIR,
    "horizontal_flip": st.booleans(), "vertical_flip": st.booleans(),
    "channel_shift_range": st.floats(0.0, 255.0), "brightness_range": _PAIR,
    "saturation_range": _PAIR,  # an entry that draws row by row, between the others
    "random_erasing": st.floats(0.0, 1.0),
})
# Uniforms with the ends and the halves, where the comparisons and the signs turn.
UNIFORM = st.floats(0.0, 1.0, exclude_max=True) | st.sampled_from([0.0, 0.5, np.nextafter(0.5, 0), 0.25])


def _exactly(params):
    """Every field as its repr: a float bit for bit (-0.0 too), a bool as a bool, None as None."""
    return [(key, type(getattr(params, key)).__name__, repr(getattr(params, key))) for key in KERAS_KEYS]


@settings(max_examples=150, deadline=None)
@given(RANGES, st.integers(4, 9), st.data(), st.sampled_from([(8, 8), (40, 60), (1, 300)]))
def test_columns_give_the_row_by_row_values_exactly(options, count, data, rows_cols):
    ranges = ParamRanges(**options)
    u = np.array(data.draw(st.lists(st.lists(UNIFORM, min_size=N_SLOTS, max_size=N_SLOTS),
                                    min_size=count, max_size=count)))
    batch = sample_from_uniforms(ranges, u, rows_cols)
    one_by_one = [_params_from_uniforms(ranges, row, rows_cols) for row in u.tolist()]
    assert [_exactly(p) for p in batch] == [_exactly(p) for p in one_by_one]


def test_the_geometry_entries_and_the_flips_take_columns():
    takes = {entry.argument for entry in AUGMENTATIONS if entry.draws_columns(0.5)}
    assert {"rotation_range", "shear_range", "zoom_range", "horizontal_flip", "vertical_flip",
            "width_shift_range", "height_shift_range", "channel_shift_range", "brightness_range"} <= takes
    shift = next(entry for entry in AUGMENTATIONS if entry.argument == "width_shift_range")
    assert not shift.draws_columns(7) and not shift.draws_columns((0.1, 0.2))  # picks from values: row by row


@pytest.mark.parametrize("keys, columns, passes", [
    (["theta", "zx"], [[1.0, -2.5], [0.5, 2.0]], True),
    (["theta"], [[1e308, 1e308]], True),  # the sum overflows; each value is finite
    (["theta"], [[1.0, math.inf]], False),
    (["tx"], [[math.nan, 0.0]], False),
    (["zx"], [[1.0, 0.0]], False),  # a zero zoom is refused
    (["brightness"], [[None, 1.2]], True),  # optional: None is off
    (["brightness"], [[None, math.inf]], False),
    (["flip_horizontal"], [[True, False]], True),
    (["theta"], [["30", 1.0]], False),  # what it cannot read: TransformParams decides (and raises)
])
def test_columns_pass_is_transform_params_check_a_column_at_a_time(keys, columns, passes):
    assert column_draws.columns_pass(keys, columns) is passes
    rows = [dict(zip(keys, row)) for row in zip(*columns)]
    accepted = []
    for row in rows:
        try:
            TransformParams(**row)
            accepted.append(True)
        except (TypeError, ValueError):
            accepted.append(False)
    assert all(accepted) is passes


def test_a_column_that_fails_goes_through_transform_params_own_check(monkeypatch):
    ranges = ParamRanges(rotation_range=30, zoom_range=0.2)
    u = np.random.default_rng(0).random((6, N_SLOTS))
    expected = [_exactly(_params_from_uniforms(ranges, row, (8, 8))) for row in u.tolist()]
    real = column_draws.columns_pass
    monkeypatch.setattr(column_draws, "columns_pass", lambda keys, columns: False)  # the fallback's path
    assert [_exactly(p) for p in sample_from_uniforms(ranges, u, (8, 8))] == expected
    monkeypatch.setattr(column_draws, "columns_pass", real)
    u[3, SLOTS.index("theta")] = np.inf  # a uniform no stream gives: the draw is inf
    with pytest.raises(ValueError, match=r"TransformParams\(theta=inf\): theta must be finite"):
        sample_from_uniforms(ranges, u, (8, 8))
