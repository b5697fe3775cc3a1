"""A batch's parameters drawn a column at a time: the row-by-row draws' TransformParams, built in fewer steps.

:func:`augkit.params.sample_from_uniforms` hands batches of four samples or
more here (issue 19: the batch thread draws them while every worker waits).
Each entry whose draw takes columns (``Augmentation.draws_columns``) draws
all the samples in one call; the others draw row by row. Each sample's
object is then the neutral values with the columns of the entries that are
on written over them, and the check ``TransformParams`` runs on every object
(finite floats, non-zero zooms) runs once per column instead. A column that
fails it sends the batch through ``TransformParams``' own check, which
raises as it always did. ``tests/test_column_draws.py`` compares every field
of every sample with the row-by-row draws.
"""

import itertools
import math

import numpy as np

from augkit.params import (_FLOAT_FIELDS, _NEW, _NONZERO_FIELDS, _OPTIONAL_FIELDS, KERAS_KEYS, TransformParams,
                           _params_of)
from augkit.spec_crop import cropped_rows_cols

__all__ = ["params_from_columns"]

_SETS = object.__setattr__  # TransformParams is frozen
_FLOATS, _OPTIONALS = frozenset(_FLOAT_FIELDS), frozenset(_OPTIONAL_FIELDS)


def params_from_columns(ranges, u, rows_cols):
    """``_params_from_uniforms`` of each row of ``u`` (``(n, N_SLOTS)`` uniforms), as one list."""
    plan, count = ranges.draw_plan, len(u)
    cropped = cropped_rows_cols(ranges, rows_cols) if plan.crops else rows_cols
    keys, columns, rows = [], [], None
    for entry, value, slots, first, width, for_crop in plan.active:
        size = cropped if for_crop else rows_cols
        if entry.draws_columns(value):
            drawn = [np.broadcast_to(column, (count,)).tolist() for column in entry.draw(value, u[:, slots].T, size)]
        else:
            rows = u.tolist() if rows is None else rows
            drawn = list(zip(*(entry.draw(value, row[slots], size) for row in rows), strict=True))
        keys.extend(KERAS_KEYS[first:first + width])
        columns.extend(drawn)
    if not columns_pass(keys, columns):  # TransformParams' own check, object by object, raises
        full = dict(zip(KERAS_KEYS, (itertools.repeat(value, count) for value in plan.fields)))
        full.update(zip(keys, columns))
        return [_params_of(values) for values in zip(*full.values())]
    neutral = dict(zip(KERAS_KEYS, plan.fields))
    samples = []
    for row in zip(*columns) if columns else itertools.repeat((), count):
        fields = neutral.copy()
        fields.update(zip(keys, row))
        params = _NEW(TransformParams)
        _SETS(params, "__dict__", fields)
        samples.append(params)
    return samples


def columns_pass(keys, columns):
    """Whether every value passes ``TransformParams``' check: a finite float (or None where optional) in every
    float and optional field, no zero where zero is refused. False also for what it cannot read."""
    try:
        for key, column in zip(keys, columns, strict=True):
            if key in _OPTIONALS:
                column = [value for value in column if value is not None]
            if (key in _FLOATS or key in _OPTIONALS) and not math.isfinite(sum(column)):
                if not all(math.isfinite(value) for value in column):  # a sum may overflow: each one decides
                    return False
            if key in _NONZERO_FIELDS and not all(column):
                return False
    except TypeError:
        return False
    return True
