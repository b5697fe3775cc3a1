"""Crops, erasing, MixUp and CutMix measured against Keras 3's layers (JAX, CPU; issue 18).

Deterministic parts: Keras's own drawn parameters handed to augkit's kernels
give Keras's output. Samplers: the same distributions (KS, 10,000 draws).
Docstring versus behaviour: each difference asserted with its number.
"""

import numpy as np
import pytest
import scipy.special
import scipy.stats

from helpers import require

from augkit.mixing import cutmix, cutmix_corners, mixup
from augkit.ops.crop import Box, crop, random_crop_box
from augkit.ops.erasing import erase, keras_box_mask

pytestmark = [pytest.mark.parity, pytest.mark.slow,  # JAX compiles each layer first (~10 s on 2 cores)
              pytest.mark.filterwarnings("ignore:.*Explicitly requested dtype int64:UserWarning")]
keras = require("keras", "Keras 3 (the lab extra) cannot be imported")
N = 10_000


def box_of(inside):
    """The Box of a rectangular bool mask."""
    rows, cols = np.nonzero(inside)
    return Box(int(rows.min()), int(cols.min()), int(np.ptp(rows)) + 1, int(np.ptp(cols)) + 1)


def test_random_crop_kernel_matches_keras_given_its_corner():
    images = np.random.default_rng(0).random((2, 9, 12, 3)).astype(np.float32)
    layer = keras.layers.RandomCrop(5, 7, seed=1)
    for corner in [(0, 0), (4, 5), (2, 3)]:
        theirs = np.asarray(layer.transform_images(images, corner, training=True))
        ours = np.stack([crop(image, Box(*corner, 5, 7)) for image in images])
        assert (ours == theirs).all()
        masks = (images[..., :1] * 4).astype(np.float32).round()
        assert (np.asarray(layer.transform_segmentation_masks(masks, corner)) ==
                np.stack([crop(mask, Box(*corner, 5, 7)) for mask in masks])).all()


def test_random_crop_corner_has_keras_distribution():
    layer = keras.layers.RandomCrop(5, 7, seed=2)
    image = np.zeros((1, 9, 12, 1), dtype=np.float32)
    theirs = np.array([layer.get_random_transformation(image, training=True) for _ in range(N // 5)], dtype=float)
    u = np.random.default_rng(3).random((N, 2))
    ours = np.array([random_crop_box((9, 12), (5, 7), a, b)[:2] for a, b in u], dtype=float)
    assert set(theirs[:, 0]) == set(ours[:, 0]) == set(range(5))
    for column in range(2):
        assert scipy.stats.ks_2samp(ours[:, column], theirs[:, column]).pvalue > 1e-3


def test_keras_random_crop_is_not_random_when_one_side_has_no_room():
    """Docstring: 'randomly choose a location'. With the height equal, Keras takes the centre crop every time."""
    image = np.arange(8 * 12, dtype=np.float32).reshape(1, 8, 12, 1)
    corners = {keras.layers.RandomCrop(8, 8, seed=seed).get_random_transformation(image, training=True)
               for seed in range(20)}
    assert corners == {(0, 2)}
    ours = {random_crop_box((8, 12), (8, 8), 0.5, u)[1] for u in np.linspace(0, 0.99, 20)}
    assert ours == {0, 1, 2, 3, 4}


def test_keras_random_crop_resizes_and_interpolates_masks_smaller_than_the_crop():
    mask = np.array([[0, 0, 0, 3]], dtype=np.float32).reshape(1, 1, 4, 1).repeat(4, axis=1)
    out = np.asarray(keras.layers.RandomCrop(6, 6, seed=0)(mask, training=True))
    assert out.shape == (1, 6, 6, 1) and len(np.unique(out)) > 2  # invented labels between 0 and 3
    with pytest.raises(ValueError, match="larger than the image"):
        random_crop_box((4, 4), (6, 6), 0.5, 0.5)


def keras_erasing(images, **options):
    layer = keras.layers.RandomErasing(seed=5, **options)
    transformation = layer.get_random_transformation(images, training=True)
    return layer, transformation, np.asarray(layer.transform_images(images, transformation, training=True))


def test_erase_kernel_matches_keras_given_its_box_and_fill():
    images = np.random.default_rng(1).uniform(0, 255, (64, 10, 12, 3)).astype(np.float32)
    _, transformation, theirs = keras_erasing(images, factor=(1.0, 1.0), fill_value=40.0)
    inside = np.asarray(transformation["batch_masks"])[..., 0]
    checked = 0
    for image, mask, out in zip(images, inside, theirs):
        if mask.any():
            assert (erase(image, box_of(mask), 40.0) == out).all()
            checked += 1
    assert checked > 50


def test_keras_erasing_per_channel_fill_fails_under_jax():
    """Docstring: fill_value may be 'a list of three numbers'. Under JAX that raises in full_like."""
    with pytest.raises(TypeError, match="full_like requires ndarray or scalar"):
        keras_erasing(np.zeros((2, 4, 4, 3), np.float32), factor=(1.0, 1.0), fill_value=[10.0, 20.0, 30.0])
    assert (erase(np.zeros((4, 4, 3)), Box(0, 0, 2, 2), [10, 20, 30])[0, 0] == [10, 20, 30]).all()


def test_keras_erasing_box_is_sqrt_of_two_draws_from_scale_not_an_aspect_ratio():
    """Docstring: scale is 'the aspect ratio range of the erased patch'. Code: side fractions sqrt(U(scale))."""
    images = np.zeros((N, 10, 10, 1), dtype=np.float32)
    _, transformation, _ = keras_erasing(images, factor=(1.0, 1.0), scale=(0.02, 0.33), fill_value=1.0)
    inside = np.asarray(transformation["batch_masks"])[..., 0]
    theirs = inside.sum(axis=(1, 2))
    u = np.random.default_rng(6).random((N, 4))
    sides = np.sqrt(0.02 + 0.31 * u[:, :2]) * 10
    ours = np.array([keras_box_mask((10, 10), a * (10 - w), a * (10 - w) + w, b * (10 - h), b * (10 - h) + h).sum()
                     for (w, h), a, b in zip(sides, u[:, 2], u[:, 3])])
    assert scipy.stats.ks_2samp(ours, theirs).pvalue > 1e-3
    # the mean erased share is E[sqrt(s_w)] E[sqrt(s_h)] (~0.147 of the area), not a uniform in scale
    assert abs(theirs.mean() / 100 - ((0.33**1.5 - 0.02**1.5) / 1.5 / 0.31) ** 2) < 0.01


def test_keras_erasing_default_factor_erases_about_half_the_images_and_fills_half_with_zero():
    """Docstring: 'factor=1.0 means erasing is always applied' and fill_value=None samples 'from a normal
    distribution'. Code: a probability uniform in (0, 1) per image (about 1/2 erased) and
    N(0, 1) * 255 clipped to [0, 255] (half of the pixels 0, 15.9 % at 255)."""
    images = np.full((N // 2, 8, 8, 3), 100.0, dtype=np.float32)
    layer, _, out = keras_erasing(images)
    assert layer.factor == (0, 1.0)
    assert abs((out != images).any(axis=(1, 2, 3)).mean() - 0.5) < 0.03
    values = out[out != images]
    assert abs((values == 0).mean() - 0.5) < 0.01
    assert abs((values == 255).mean() - 2 * scipy.stats.norm.sf(1) / 2) < 0.01


def keras_mixing(layer, images, labels):
    transformation = layer.get_random_transformation({"images": images, "labels": labels}, training=True)
    out = layer.transform_images(images, transformation, training=True)
    return transformation, np.asarray(out), np.asarray(layer.transform_labels(labels, transformation))


def test_mixup_kernel_matches_keras_given_its_weights_and_partners():
    rng = np.random.default_rng(2)
    images, labels = rng.random((16, 4, 5, 3)).astype(np.float32), np.eye(4, dtype=np.float32)[rng.integers(0, 4, 16)]
    transformation, theirs, their_labels = keras_mixing(keras.layers.MixUp(alpha=0.4, seed=3), images, labels)
    order = np.asarray(transformation["permutation_order"])
    ours, our_labels = mixup(images, labels, images[order], labels[order], np.asarray(transformation["mix_weight"]))
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    np.testing.assert_allclose(our_labels, their_labels, atol=1e-6)


@pytest.mark.parametrize("alpha", [0.2, 1.0])
def test_mixup_weight_has_keras_distribution(alpha):
    layer = keras.layers.MixUp(alpha=alpha, seed=4)
    theirs = np.asarray(layer.get_random_transformation(np.zeros((N, 1, 1, 1), np.float32))["mix_weight"])
    ours = scipy.special.betaincinv(alpha, alpha, np.random.default_rng(5).random(N))
    assert scipy.stats.ks_2samp(ours, theirs).pvalue > 1e-3


def test_keras_mixup_mixes_masks_and_pairs_samples_with_themselves():
    """Keras's MixUp blends segmentation masks into non-labels (augkit refuses), and its in-batch
    shuffle leaves about one sample per batch mixed with itself (augkit's partner is always another)."""
    rng = np.random.default_rng(6)
    masks = np.stack([np.full((4, 4, 1), k, np.float32) for k in range(8)])
    out = keras.layers.MixUp(alpha=0.2, seed=0)({"images": rng.random((8, 4, 4, 1)).astype(np.float32),
                                                 "segmentation_masks": masks}, training=True)
    assert not np.isin(np.asarray(out["segmentation_masks"]), np.arange(8)).all()
    layer = keras.layers.MixUp(seed=1)
    fixed = [int((np.asarray(layer.get_random_transformation(np.zeros((32, 1, 1, 1)))["permutation_order"])
                  == np.arange(32)).sum()) for _ in range(60)]
    assert abs(np.mean(fixed) - 1.0) < 0.45  # Poisson(1) fixed points: mean 1, sd 0.13 over 60 batches


def test_cutmix_kernel_matches_keras_images_and_masks_and_differs_in_label_weight_by_the_rounding():
    rng = np.random.default_rng(7)
    images, labels = rng.random((64, 10, 10, 1)).astype(np.float32), np.eye(3, dtype=np.float32)[rng.integers(0, 3, 64)]
    layer = keras.layers.CutMix(factor=(1.0, 1.0), seed=8)
    transformation, theirs, their_labels = keras_mixing(layer, images, labels)
    order = np.asarray(transformation["permutation_order"])
    inside = np.asarray(transformation["batch_masks"])[..., 0]
    boxes = np.array([[b.top, b.top + b.height, b.left, b.left + b.width] if m.any() else [0, 0, 0, 0]
                      for m in inside for b in [box_of(m) if m.any() else None]], dtype=float)
    ours, our_labels = cutmix(images, labels, images[order], labels[order], boxes)
    assert (ours == theirs).all()
    masks = images.round()
    assert (np.asarray(layer.transform_segmentation_masks(masks, transformation)) ==
            cutmix(images, None, images[order], None, boxes, masks, masks[order])[2]).all()
    # Keras weighs labels by the float box (lam itself), augkit by the pixels pasted: up to 0.1 apart at 10x10
    their_weight = np.asarray(transformation["mix_weight"]).ravel()
    np.testing.assert_allclose(their_weight, 1 - inside.mean(axis=(1, 2)), atol=0.2)
    assert 0.02 < np.abs(their_weight - (1 - inside.mean(axis=(1, 2)))).max() < 0.2
    np.testing.assert_allclose(our_labels, (1 - inside.mean(axis=(1, 2)))[:, None] * labels
                               + inside.mean(axis=(1, 2))[:, None] * labels[order], atol=1e-6)


def test_cutmix_weight_and_box_have_keras_distribution_for_a_fixed_alpha():
    """Keras's factor is a range for Beta's alpha (+1e-6), drawn once per batch; docstring: the range of the
    'mixing weight'. With factor=(a, a) it is augkit's Beta(a, a)."""
    layer = keras.layers.CutMix(factor=(1.0, 1.0), seed=9)
    transformation = layer.get_random_transformation(np.zeros((N, 8, 8, 1), np.float32), training=True)
    theirs = np.asarray(transformation["mix_weight"]).ravel()
    u = np.random.default_rng(10).random((N, 3))
    lam = scipy.special.betaincinv(1.0, 1.0, u[:, 0])
    assert scipy.stats.ks_2samp(lam, theirs).pvalue > 1e-3
    y0, y1, x0, x1 = cutmix_corners((8, 8), lam, u[:, 1], u[:, 2])
    ours = np.array([keras_box_mask((8, 8), *corners).sum() for corners in zip(x0, x1, y0, y1)])
    assert scipy.stats.ks_2samp(ours, np.asarray(transformation["batch_masks"]).sum(axis=(1, 2, 3))).pvalue > 1e-3
