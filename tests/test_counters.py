"""augkit.counters: the counter-based uniforms behind the default mode's draws.

Pinned numbers make the draws the same on every machine (they depend on
integer arithmetic only); the statistical checks are at p < 1e-6.
"""

import numpy as np
import pytest
from scipy import stats

from augkit.counters import counter_hash, extend_hash, keyed_rows, uniform_list, uniforms


def test_pinned_values_on_every_machine():
    assert counter_hash(0) == 627405149472732430
    assert counter_hash(1, 2) == 14206353533579446342
    assert uniforms(counter_hash(0, 0, 3, 0), (2,)).tolist() == [0.3134915382937764, 0.9794599826778162]


def test_splitmix64_reference_values():
    # SplitMix64 seeded with 0: its first outputs are published (e.g. in Vigna's reference code's tests)
    first = [int(u * 2**53) for u in uniform_list(0, 3)]
    assert first == [0xE220A8397B1DCDAF >> 11, 0x6E789E6AA1B965F4 >> 11, 0x06C45D188009454F >> 11]


def test_counters_that_differ_anywhere_give_different_hashes():
    tuples = [(1, 2), (1, 2, 0), (2, 1), (2**64 + 1,), (1, 2**64 + 2), (0,), (0, 0), ()]
    hashes = [counter_hash(*t) for t in tuples]
    assert len(set(hashes)) == len(tuples)
    assert all(0 <= h < 2**64 for h in hashes)
    assert extend_hash(counter_hash(5, 0, 3), 2**70) == counter_hash(5, 0, 3, 2**70)


def test_negative_counters_are_refused():
    with pytest.raises(ValueError, match="counter -1 must be a non-negative int"):
        counter_hash(3, -1)


@pytest.mark.parametrize("count", [1, 5, 47, 48, 49, 1000])
def test_python_and_numpy_paths_give_the_same_bits(count):
    h = counter_hash(9, 1, 3, 42)
    assert uniforms(h, (count,)).tolist() == uniform_list(h, count)
    assert uniforms(h, (count, 1)).shape == (count, 1)


def test_keyed_rows_equal_each_keys_uniforms():
    prefix = counter_hash(5, 0, 3)
    layout = [(0, 1, 812806899), (2, 3, 77), (6, 2, 2**40)]
    rows = np.array(keyed_rows(prefix, layout, 4, 9))
    for start, count, key in layout:
        assert rows[:, start:start + count].tolist() == uniforms(extend_hash(prefix, key), (4, count)).tolist()
    assert (rows[:, [1, 5, 8]] == 0.5).all()


def test_rows_do_not_depend_on_how_many_follow():
    h = counter_hash(3, 0, 3, 11)
    assert (uniforms(h, (100, 3))[:7] == uniforms(h, (7, 3))).all()


def test_uniform_and_independent_across_neighbouring_counters():
    # 4,000 streams keyed by consecutive counters, first numbers of each: the worst case for a weak seeding
    first = np.array([uniforms(counter_hash(7, 0, 3, key), (2,)) for key in range(4000)])
    for column in first.T:
        assert stats.kstest(column, "uniform").pvalue > 1e-6
    assert abs(stats.pearsonr(first[:-1, 0], first[1:, 0]).statistic) < 0.08  # neighbouring keys
    assert abs(stats.pearsonr(first[:, 0], first[:, 1]).statistic) < 0.08  # within one stream
    seeds = np.array([uniforms(counter_hash(seed, 0, 3, 1), (1,))[0] for seed in range(4000)])
    assert stats.kstest(seeds, "uniform").pvalue > 1e-6
    long = uniforms(counter_hash(1, 0, 3, 1), (200_000,))
    assert stats.kstest(long, "uniform").pvalue > 1e-6
    assert abs(stats.pearsonr(long[:-1], long[1:]).statistic) < 0.02
