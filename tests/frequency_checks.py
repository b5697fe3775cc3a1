"""Checkers of how often sampled values occur, not only which values occur.

Each ``check_*`` function takes samples and returns a list of problems, empty
when the samples look as documented. The same checker serves the real
frequency test (``tests/test_sampler_frequencies.py``: no problems) and the
planted-bug test (``tests/test_planted_bugs.py``: the problem is reported),
so a checker that cannot fail is caught by the second.

Every statistical test rejects at :data:`ALPHA`. The samples come from fixed
seeds, so each verdict is the same on every run; ``ALPHA`` is tiny so that
changing a seed or the draw order almost surely keeps the tests green, while
20,000 draws still detect the planted bugs by a wide margin (their p-values
underflow to 0).
"""

import os
import re
from collections import Counter

import numpy as np
from PIL import Image
from scipy import stats

#: False-positive rate of each statistical test.
ALPHA = 1e-6

#: Keras's random part of ``save_to_dir`` names: ``np.random.randint(1e4)``.
KERAS_HASH_RANGE = 10**4

SAVED_NAME = re.compile(r"^(?P<prefix>.*)_(?P<index>\d+)_(?P<hash>\d+)\.(?P<format>\w+)$")


def check_uniform(values, low, high, name="values"):
    """Continuous uniform in ``[low, high]``: every value inside, and a one-sample KS test."""
    values = np.asarray(values, dtype=float)
    problems = []
    if values.min() < low or values.max() > high:
        problems.append(f"{name}: values outside [{low:g}, {high:g}], from {values.min():g} to {values.max():g}")
    p = stats.kstest(values, "uniform", args=(low, high - low)).pvalue
    if p < ALPHA:
        problems.append(f"{name}: not uniform in [{low:g}, {high:g}] (KS p={p:.2g})")
    return problems


def check_independent(a, b, names=("a", "b")):
    """``a`` and ``b`` independent: chi-square test of their contingency table.

    Continuous values are cut at their quintiles, discrete ones (at most 20
    distinct values) kept as they are.
    """
    codes = [_categories(values) for values in (a, b)]
    table = np.zeros((codes[0].max() + 1, codes[1].max() + 1))
    np.add.at(table, (codes[0], codes[1]), 1)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return []  # one of them is constant: nothing to depend on
    p = stats.chi2_contingency(table, correction=False).pvalue
    return [f"{names[0]} and {names[1]} are not independent (chi-square p={p:.2g})"] if p < ALPHA else []


def _categories(values):
    values = np.asarray(values, dtype=float)
    distinct = np.unique(values)
    if len(distinct) <= 20:
        return np.searchsorted(distinct, values)
    edges = np.quantile(values, [0.2, 0.4, 0.6, 0.8])
    return np.searchsorted(edges, values)


def check_uniform_pair(a, b, low, high, names=("zx", "zy")):
    """Two independent uniforms in ``[low, high]`` (zoom's ``zx`` and ``zy``)."""
    return (check_uniform(a, low, high, names[0]) + check_uniform(b, low, high, names[1])
            + check_independent(a, b, names))


def check_probability(flags, p=0.5, name="flag"):
    """True with probability ``p``: an exact two-sided binomial test."""
    flags = np.asarray(flags, dtype=bool)
    result = stats.binomtest(int(flags.sum()), len(flags), p)
    if result.pvalue < ALPHA:
        return [f"{name} is True {flags.mean():.3f} of the time, not {p:g} (binomial p={result.pvalue:.2g})"]
    return []


def check_flips(horizontal, vertical):
    """Each flip with probability 1/2, independently of the other."""
    return (check_probability(horizontal, 0.5, "flip_horizontal")
            + check_probability(vertical, 0.5, "flip_vertical")
            + check_independent(horizontal, vertical, ("flip_horizontal", "flip_vertical")))


def check_choice_with_sign(shifts, magnitudes, name="shift"):
    """An int or list shift: one of ``magnitudes``, uniformly, times an independent fair sign.

    ``magnitudes`` are the values in pixels (``range(N)`` for an int ``N``;
    the list, times the size for fractions). Checks that every shift is
    ``±`` one of them, a chi-square test of the whole distribution (``0``
    takes both signs' share), a binomial test of the sign of the non-zero
    shifts, a chi-square test of the magnitudes and the independence of the
    sign from the magnitude.
    """
    shifts = np.asarray(shifts, dtype=float)
    magnitudes = np.asarray(magnitudes, dtype=float)
    support = np.unique(np.concatenate([-magnitudes, magnitudes])) + 0.0  # no -0.0
    nearest = support[np.abs(shifts[:, None] - support[None, :]).argmin(axis=1)]
    if not np.allclose(shifts, nearest, rtol=1e-12, atol=1e-9):
        strays = sorted(set(shifts[~np.isclose(shifts, nearest, rtol=1e-12, atol=1e-9)].tolist()))[:5]
        return [f"{name} takes values that are not ± one of {magnitudes.tolist()}: {strays}"]
    problems = []
    pmf = Counter()
    for m in magnitudes:
        for sign in (-1, 1):
            pmf[sign * m + 0.0] += 0.5 / len(magnitudes)  # + 0.0: -0.0 and 0.0 are one cell
    observed = np.array([np.sum(nearest == value) for value in support])
    expected = np.array([pmf[value + 0.0] for value in support]) * len(shifts)
    p = stats.chisquare(observed, expected).pvalue
    if p < ALPHA:
        problems.append(f"{name}'s values are not equally likely ± choices of {magnitudes.tolist()}: "
                        f"counts {dict(zip(support.tolist(), observed.tolist()))} (chi-square p={p:.2g})")
    nonzero = nearest[nearest != 0]
    problems += check_probability(nonzero > 0, 0.5, f"the sign of {name} (positive)")
    distinct, multiplicity = np.unique(magnitudes, return_counts=True)
    counts = np.array([np.sum(np.abs(nearest) == m) for m in distinct])
    if len(distinct) > 1:
        p = stats.chisquare(counts, multiplicity / multiplicity.sum() * len(shifts)).pvalue
        if p < ALPHA:
            problems.append(f"{name}'s magnitude is not a uniform choice of {magnitudes.tolist()}: "
                            f"counts {dict(zip(distinct.tolist(), counts.tolist()))} (chi-square p={p:.2g})")
    problems += check_independent(np.abs(nonzero), nonzero > 0, (f"{name}'s magnitude", f"{name}'s sign"))
    return problems


def check_saved_files(folder, x, prefix, file_format, epoch_indices=None):
    """Files of ``save_to_dir`` named ``{prefix}_{index}_{hash}.{format}`` as Keras names them.

    ``index`` is the sample's index in ``x``, never its position in a batch:
    each file's pixels must equal ``x[index]`` (for an identity generator,
    with images holding 0 and 255 so that saving does not rescale them), and
    ``hash`` is in Keras's ``range(10**4)``. With ``epoch_indices`` (the
    indices one epoch visits), each of them must be saved exactly once.
    """
    problems = []
    names = sorted(os.listdir(folder))
    indices = []
    for name in names:
        match = SAVED_NAME.match(name)
        if not match or match["prefix"] != prefix or match["format"] != file_format:
            problems.append(f"{name} is not named {prefix}_{{index}}_{{hash}}.{file_format}")
            continue
        index, number = int(match["index"]), int(match["hash"])
        indices.append(index)
        if not 0 <= number < KERAS_HASH_RANGE:
            problems.append(f"{name}: its hash {number} is not in Keras's range(10**4)")
        if not 0 <= index < len(x):
            problems.append(f"{name}: index {index} is not an index of x ({len(x)} samples)")
            continue
        with Image.open(os.path.join(folder, name)) as image:
            pixels = np.asarray(image, dtype=float).reshape(x[index].shape)
        if not np.array_equal(pixels, x[index]):
            problems.append(f"{name} does not hold x[{index}]: its name is not the sample's index in x")
    if epoch_indices is not None and Counter(indices) != Counter(epoch_indices):
        problems.append(f"an epoch saved indices {sorted(indices)}, not each of {sorted(epoch_indices)} once")
    return problems
