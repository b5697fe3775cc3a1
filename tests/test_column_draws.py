"""A batch's parameters drawn column by column (``Augmentation.draws_columns``) equal row-by-row draws exactly.

``sample_from_uniforms`` draws batches of four or more samples with one call per entry that takes columns;
every value must be the one the row-by-row draw gives: same float bit for bit, same Python type.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from augkit.params import KERAS_KEYS, N_SLOTS, ParamRanges, _params_from_uniforms, sample_from_uniforms
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
