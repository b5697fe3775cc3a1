"""The default mode's draws, keyed by parameter: one uniform per slot of the spec table, per sample.

Each entry ``p`` of :data:`augkit.spec.AUGMENTATIONS` draws its slots from its
own counter-based stream, ``counter_hash(seed, epoch, PARAMETER_TAG,
p.stream_key)`` (:mod:`augkit.counters`), so adding, removing or moving an
entry never changes another's numbers. :func:`keyed_uniforms` lays them out as
an ``(n, N_SLOTS)`` array in :data:`SLOTS` order (an epoch of an iterator);
:func:`few_keyed_rows` computes the same numbers in plain Python for the few
samples of a one-off draw. :mod:`augkit.params` turns them into parameters.
"""

from typing import NamedTuple

import numpy as np

from augkit.counters import counter_hash, extend_hash, keyed_rows
from augkit.counters import uniforms as counter_uniforms
from augkit.spec import AUGMENTATIONS, slots_of
from augkit.spec_crop import DRAWN_FOR_THE_CROP

__all__ = ["DrawPlan", "MOST_SLOTS", "N_SLOTS", "PARAMETER_TAG", "SLOTS", "SLOT_SLICES", "draw_plan", "few_keyed_rows",
           "keyed_uniforms"]

#: One uniform in [0, 1) per slot, in this order, for every sample (each entry's ``slots``, in table order).
SLOTS = slots_of(AUGMENTATIONS)
N_SLOTS = len(SLOTS)
#: The third seed word of every default-mode parameter draw (the shuffle uses 1, save_to_dir names 2).
PARAMETER_TAG = 3


def _slot_slices(table):
    """Each entry with the slice of a row of uniforms that holds its slots."""
    ends = np.cumsum([len(entry.slots) for entry in table]).tolist()
    return tuple((entry, slice(end - len(entry.slots), end)) for entry, end in zip(table, ends))


SLOT_SLICES = _slot_slices(AUGMENTATIONS)
#: The most slots one entry has (the largest block :func:`keyed_uniforms` draws at once).
MOST_SLOTS = max(len(entry.slots) for entry in AUGMENTATIONS)
#: Every entry's (first column, columns, stream key): what ``DrawPlan.layout`` holds for the entries that are on.
_EVERY_COLUMN = tuple((columns.start, columns.stop - columns.start, entry.stream_key)
                      for entry, columns in SLOT_SLICES if entry.slots)


def keyed_uniforms(seed, epoch, n, ranges=None):
    """The default mode's ``(n, N_SLOTS)`` float64 uniforms in [0, 1) of epoch ``epoch``, keyed by parameter.

    The columns of each spec-table entry ``p`` (its slots) are
    ``uniforms(counter_hash(seed, epoch, PARAMETER_TAG, p.stream_key), (n, len(p.slots)))``
    (:mod:`augkit.counters`);
    row ``i`` is sample ``i``'s. A sample's numbers depend only on ``(seed,
    epoch, parameter, index)``: not on ``n``, on the other entries or on the
    entry's position (``stream_key`` comes from its argument's name).
    With ``ranges``, only the entries switched on there are drawn; the others'
    columns hold 0.5, which an entry that is off never reads.

    Examples
    --------
    >>> import zlib
    >>> from augkit.counters import counter_hash, uniforms
    >>> u = keyed_uniforms(5, 0, 3)
    >>> rotation = uniforms(counter_hash(5, 0, PARAMETER_TAG, zlib.crc32(b"rotation_range")), (3,))
    >>> bool((u[:, SLOTS.index("theta")] == rotation).all()), u.shape == (3, N_SLOTS)
    (True, True)
    >>> bool((keyed_uniforms(5, 0, 2) == u[:2]).all())  # row i does not depend on n
    True
    """
    uniforms = np.full((n, N_SLOTS), 0.5)
    prefix = counter_hash(seed, epoch, PARAMETER_TAG)  # hashed once, extended by each entry's key
    for start, count, stream_key in _EVERY_COLUMN if ranges is None else ranges.draw_plan.layout:
        key = extend_hash(prefix, stream_key)  # counter_hash(seed, epoch, 3, key)
        uniforms[:, start:start + count] = counter_uniforms(key, (n, count))
    return uniforms


def few_keyed_rows(seed, epoch, n, ranges):
    """:func:`keyed_uniforms` as ``n`` lists of floats (plain Python, for a few samples)."""
    return keyed_rows(counter_hash(seed, epoch, PARAMETER_TAG), ranges.draw_plan.layout, n, N_SLOTS)


class DrawPlan(NamedTuple):
    """What sampling needs from one set of ranges, worked out once (``ParamRanges.draw_plan``).

    ``fields``: every ``TransformParams`` field's value with the entries that
    are on left neutral (those that are off give it whatever their uniforms);
    ``active``: for each entry that is on, ``(entry, value, slots, first
    field, number of fields, drawn for the crop's size)``; ``layout``: its
    ``(first column, columns, stream key)`` for :func:`few_keyed_rows`;
    ``crops``: whether an entry is drawn for the crop's size.
    """

    fields: tuple
    active: tuple
    layout: tuple
    crops: bool


def draw_plan(ranges):
    """The :class:`DrawPlan` of ``ranges`` (a ``ParamRanges``): the table walked once, not per sample."""
    fields, active, layout, first = [], [], [], 0
    for entry, columns in SLOT_SLICES:
        value, count = getattr(ranges, entry.argument), len(entry.keys)
        if entry.is_on(value):
            active.append((entry, value, columns, first, count, entry.argument in DRAWN_FOR_THE_CROP))
            layout.append((columns.start, columns.stop - columns.start, entry.stream_key))
            fields.extend(key.neutral for key in entry.keys)
        else:
            fields.extend(entry.draw(value, [0.5] * len(entry.slots), (8, 8)))  # off: neutral whatever it draws
        first += count
    return DrawPlan(tuple(fields), tuple(active), tuple(layout), any(item[5] for item in active))
