"""MixUp and CutMix (issue 18): exact values, label formats, masks, and the batch-level contract."""

import numpy as np
import pytest
import scipy.stats

from augkit.mixing import (
    Mixing, check_alpha, check_mixable_labels, cutmix, cutmix_corners, draw_mixing, mix_batch, mixup)


def one_hot(ids, classes=3):
    return np.eye(classes, dtype=np.float32)[ids]


def test_mixup_mixes_images_and_labels_by_the_same_weight():
    x = np.stack([np.full((2, 2, 1), 10.0), np.full((2, 2, 1), 20.0)])
    y = one_hot([0, 1])
    mixed_x, mixed_y = mixup(x, y, x[::-1], y[::-1], [0.9, 0.3])
    assert mixed_x[:, 0, 0, 0].tolist() == pytest.approx([11.0, 13.0])
    np.testing.assert_allclose(mixed_y, [[0.9, 0.1, 0], [0.7, 0.3, 0]], rtol=1e-6)
    assert mixed_x.dtype == np.float32 and mixed_y.dtype == np.float32


def test_soft_labels_stay_distributions():
    smooth = np.array([[0.9, 0.05, 0.05], [0.05, 0.05, 0.9]])
    _, mixed = mixup(np.zeros((2, 1, 1, 1)), smooth, np.zeros((2, 1, 1, 1)), smooth[::-1], [0.6, 0.2])
    assert mixed.sum(axis=1) == pytest.approx([1.0, 1.0])


@pytest.mark.parametrize("labels, error, message", [
    (np.array([0, 2, 1]), TypeError, "integer class ids cannot be mixed.*to_categorical"),
    (np.array([[0, 2], [1, 1]]), TypeError, "integer class ids cannot be mixed"),  # integers, not one-hot
    (np.array([[1, 1], [1, 0]]), TypeError, "integer class ids cannot be mixed"),  # two 1s in a row
    (np.array([[1], [0]]), TypeError, "integer class ids cannot be mixed"),  # one column
    (np.array([0.0, 2.0, 1.0]), ValueError, r"shape \(3,\): sparse or binary labels"),
    (np.array([[1.0], [0.0]]), ValueError, "two columns for a binary task"),
    (np.array([[3.0, -1.0]]), ValueError, "not logits"),
    (None, ValueError, "y is None"),
])
def test_labels_it_cannot_mix_are_refused_with_what_to_pass(labels, error, message):
    with pytest.raises(error, match=message):
        check_mixable_labels(labels)


@pytest.mark.parametrize("dtype", [np.int64, np.uint8, bool])
def test_one_hot_rows_stored_as_integers_are_mixed_as_float32(dtype):
    ids = np.array([0, 2, 1])
    x, partner_x = np.zeros((3, 2, 2, 1)), np.ones((3, 2, 2, 1))
    as_floats = mixup(x, np.eye(3)[ids], partner_x, np.eye(3)[ids[::-1]], [0.7, 0.5, 0.2])[1]
    as_ints = mixup(x, np.eye(3, dtype=dtype)[ids], partner_x, np.eye(3, dtype=dtype)[ids[::-1]], [0.7, 0.5, 0.2])[1]
    assert as_ints.dtype == np.float32 and np.array_equal(as_ints, as_floats.astype(np.float32))
    assert check_mixable_labels(np.zeros((0, 3), dtype=dtype)).shape == (0, 3)


@pytest.mark.parametrize("alpha", [0, -1, float("inf"), "1", True])
def test_alpha_is_checked_by_name(alpha):
    with pytest.raises(ValueError, match="mixup_alpha=.* must be a finite number > 0"):
        check_alpha(alpha)


def test_cutmix_pastes_the_box_in_images_and_masks_and_weighs_labels_by_pasted_pixels():
    x = np.zeros((1, 4, 4, 1), dtype=np.float32)
    partner = np.ones((1, 4, 4, 1), dtype=np.float32)
    mask = np.zeros((1, 4, 4), dtype=np.uint8)
    partner_mask = np.full((1, 4, 4), 5, dtype=np.uint8)
    boxes = np.array([[0.5, 2.5, 1.0, 3.0]])  # rows 1-2, cols 1-2
    out, labels, out_mask = cutmix(x, one_hot([0]), partner, one_hot([1]), boxes, mask, partner_mask)
    assert out[0, ..., 0].astype(int).tolist() == [[0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    assert (out_mask[0] == out[0, ..., 0] * 5).all() and out_mask.dtype == np.uint8
    assert labels.tolist() == [[0.75, 0.25, 0.0]]


def test_cutmix_box_sides_are_sqrt_of_one_minus_lambda_and_the_box_stays_inside():
    y0, y1, x0, x1 = cutmix_corners((20, 30), np.array([0.64, 0.0, 1.0]), np.array([1 - 1e-12, 0.5, 0.5]),
                                    np.array([0.0, 0.5, 0.5]))
    assert (y1 - y0).tolist() == pytest.approx([12.0, 20.0, 0.0])
    assert (x1 - x0).tolist() == pytest.approx([18.0, 30.0, 0.0])
    assert (y0 >= 0).all() and (y1 <= 20 + 1e-9).all() and (x1 <= 30 + 1e-9).all()


def test_mixup_refuses_masks_and_cutmix_accepts_them():
    draw = draw_mixing("cutmix", 1.0, seed=0, epoch=0, index_array=[0, 1], n=2, rows_cols=(4, 4))
    x, mask = np.zeros((2, 4, 4, 1)), np.zeros((2, 4, 4), dtype=np.uint8)
    with pytest.raises(ValueError, match="mix='mixup' cannot mix masks.*use mix='cutmix'"):
        mix_batch("mixup", Mixing(draw.partner, draw.lam), x, None, x, None, mask, mask)
    assert len(mix_batch("cutmix", draw, x, None, x, None, mask, mask)) == 3
    with pytest.raises(ValueError, match="mix='blend' must be one of"):
        draw_mixing("blend", 1.0, 0, 0, [0], 1)


def test_lambda_is_beta_alpha_alpha():
    for alpha in (0.2, 1.0, 4.0):
        lam = draw_mixing("mixup", alpha, seed=3, epoch=0, index_array=np.arange(10_000), n=10_000).lam
        assert scipy.stats.kstest(lam, scipy.stats.beta(alpha, alpha).cdf).pvalue > 1e-3


def test_partners_are_other_samples_uniformly():
    n = 5
    partner = draw_mixing("mixup", 1.0, seed=4, epoch=0, index_array=np.tile(np.arange(n), 4000), n=n).partner
    # sample index repeated: the same partner every time (a function of (seed, epoch, index))
    assert len({(i % n, p) for i, p in enumerate(partner)}) == n
    draws = np.array([draw_mixing("mixup", 1.0, seed=s, epoch=0, index_array=[2], n=n).partner[0]
                      for s in range(4000)])
    assert 2 not in draws
    assert scipy.stats.chisquare(np.bincount(draws, minlength=n)[[0, 1, 3, 4]]).pvalue > 1e-3


def test_batch_level_contract_mixing_depends_only_on_seed_epoch_and_index():
    """A sample's partner, weight and box are the same whatever batch it sits in."""
    n, rows_cols = 12, (8, 6)
    whole = draw_mixing("cutmix", 1.0, seed=7, epoch=2, index_array=np.arange(n), n=n, rows_cols=rows_cols)
    order = np.random.default_rng(0).permutation(n)
    for batch_size in (1, 5, 12):
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            draw = draw_mixing("cutmix", 1.0, seed=7, epoch=2, index_array=batch, n=n, rows_cols=rows_cols)
            assert (draw.partner == whole.partner[batch]).all()
            assert (draw.lam == whole.lam[batch]).all() and (draw.boxes == whole.boxes[batch]).all()
    other_epoch = draw_mixing("cutmix", 1.0, seed=7, epoch=3, index_array=np.arange(n), n=n, rows_cols=rows_cols)
    assert not (other_epoch.lam == whole.lam).any()
