"""Counter-based random numbers: uniforms that depend only on a tuple of counters, in microseconds.

The default mode's draws depend only on counters such as ``(seed, epoch,
tag, parameter key)``. ``numpy.random.default_rng([seed, epoch, tag, key])``
would give such numbers, but hashing the entropy through a ``SeedSequence``
costs about 20 µs, paid once per parameter on every one-off draw
(``random_params``, ``random_transform``): ten times the rest of the
sampling. Here the counters are hashed with SplitMix64 (the generator of
Java's ``SplittableRandom`` and the mixing function behind numpy's own
``SeedSequence``), and the stream of a hash ``h`` is SplitMix64's sequence
started at ``h``: number ``j`` is ``mix(h + (j + 1) * 0x9E3779B97F4A7C15)``,
its top 53 bits a float in [0, 1). SplitMix64 passes BigCrush; every
number is computed from its counters alone, like Philox's or Threefry's.

* :func:`counter_hash` folds each counter in word by word (64 bits each),
  then its number of words, so ``(1, 2)``, ``(1, 2, 0)`` and ``(2**64 + 1,)``
  all differ; :func:`extend_hash` continues a hash, so a shared prefix is
  hashed once.
* :func:`uniforms` gives the first numbers of a stream as an array, computed
  in plain Python for a few and in numpy for many, with the same bits.

The randomness of a draw still enters through the caller's seed or
``numpy.random.Generator`` (:func:`augkit.params.sample` takes one counter
seed from it); this module only spreads it over parameters and samples.

Examples
--------
>>> a = uniforms(counter_hash(5, 0, 3, 7), (2, 3))
>>> a.shape, bool((a == uniforms(counter_hash(5, 0, 3, 7), (2, 3))).all())
((2, 3), True)
>>> bool((uniforms(counter_hash(5, 0, 3, 7), (1, 3)) == a[:1]).all())  # row i does not depend on the rows after
True
>>> counter_hash(1, 2) != counter_hash(1, 2, 0) != counter_hash(2**64 + 1)
True
>>> extend_hash(counter_hash(5, 0, 3), 7) == counter_hash(5, 0, 3, 7)
True
"""

import math

import numpy as np

__all__ = ["counter_hash", "extend_hash", "keyed_rows", "uniform_list", "uniforms"]

_MASK64 = 2**64 - 1
_GOLDEN = 0x9E3779B97F4A7C15  # SplitMix64's increment: 2**64 / golden ratio
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_TO_UNIT = 2.0**-53
#: Below this many numbers plain Python is faster than numpy's fixed cost per call.
_PYTHON_BELOW = 48


def _mix64(z):
    """SplitMix64: the 64-bit value following ``z`` (an int below 2**64), finalised."""
    z = (z + _GOLDEN) & _MASK64
    z = ((z ^ (z >> 30)) * _M1) & _MASK64
    z = ((z ^ (z >> 27)) * _M2) & _MASK64
    return z ^ (z >> 31)


def counter_hash(*counters):
    """A 64-bit hash of non-negative ints of any size, folded left to right (:func:`extend_hash`)."""
    return extend_hash(0, *counters)


def extend_hash(h, *counters):
    """``counter_hash`` of a tuple extended by ``counters``, from the tuple's hash ``h``.

    ``extend_hash(counter_hash(a, b), c) == counter_hash(a, b, c)``.
    """
    for value in counters:
        if 0 <= value <= _MASK64:  # one word (the common case): mix it in, then its count of words, 1
            h = _mix64(_mix64(h ^ value) ^ 1)
            continue
        if value < 0:
            raise ValueError(f"counter {value} must be a non-negative int")
        words = 0
        while True:
            h = _mix64(h ^ (value & _MASK64))
            value >>= 64
            words += 1
            if not value:
                break
        h = _mix64(h ^ words)
    return h


def uniform_list(h, count):
    """:func:`uniforms` as a list of ``count`` Python floats, computed without numpy (for a few)."""
    values = [0.0] * count
    z = h
    for j in range(count):
        z = (z + _GOLDEN) & _MASK64
        x = ((z ^ (z >> 30)) * _M1) & _MASK64
        x = ((x ^ (x >> 27)) * _M2) & _MASK64
        values[j] = ((x ^ (x >> 31)) >> 11) * _TO_UNIT
    return values


def uniforms(h, shape):
    """The first ``prod(shape)`` numbers of the stream of hash ``h``, floats in [0, 1), in C order.

    Row ``i`` of an ``(n, k)`` result is numbers ``i*k .. i*k + k - 1``: it
    does not depend on ``n``.
    """
    count = math.prod(shape)
    if count < _PYTHON_BELOW:
        return np.array(uniform_list(h, count), dtype=np.float64).reshape(shape)
    z = np.arange(1, count + 1, dtype=np.uint64)
    z *= np.uint64(_GOLDEN)  # arrays wrap modulo 2**64 silently, as SplitMix64 needs
    z += np.uint64(h)
    z ^= z >> np.uint64(30)
    z *= np.uint64(_M1)
    z ^= z >> np.uint64(27)
    z *= np.uint64(_M2)
    z ^= z >> np.uint64(31)
    z >>= np.uint64(11)
    out = z.astype(np.float64)
    out *= _TO_UNIT
    return out.reshape(shape)


def keyed_rows(prefix, layout, n, width, fill=0.5):
    """``n`` rows of ``width`` floats: for each ``(start, count, key)`` of ``layout``, columns
    ``start .. start + count - 1`` hold the stream of ``extend_hash(prefix, key)``, row by row.

    The same numbers as ``uniforms(extend_hash(prefix, key), (n, count))``,
    in one plain-Python loop (the one-off draws of a few samples, where
    numpy's cost per call would dominate); other columns hold ``fill``.
    """
    rows = [[fill] * width for _ in range(n)]
    golden, mask, m1, m2, unit = _GOLDEN, _MASK64, _M1, _M2, _TO_UNIT  # locals: this runs for every one-off draw
    for start, count, key in layout:
        z = ((prefix ^ key) + golden) & mask  # extend_hash(prefix, key) for a one-word key, inlined: mix, xor 1, mix
        z = ((z ^ (z >> 30)) * m1) & mask
        z = ((z ^ (z >> 27)) * m2) & mask
        z = ((z ^ (z >> 31) ^ 1) + golden) & mask
        z = ((z ^ (z >> 30)) * m1) & mask
        z = ((z ^ (z >> 27)) * m2) & mask
        z ^= z >> 31
        columns = range(start, start + count)
        for row in rows:
            for column in columns:
                z = (z + golden) & mask
                x = ((z ^ (z >> 30)) * m1) & mask
                x = ((x ^ (x >> 27)) * m2) & mask
                row[column] = ((x ^ (x >> 31)) >> 11) * unit
    return rows
