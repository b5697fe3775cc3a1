"""MixUp and CutMix as the iterators' batch stage: flow(..., mix=..., mix_alpha=...) (issue 18).

The batch-level contract: a sample's partner, weight and box depend only on
``(seed, epoch, index)``, so neither the batch size nor the workers nor the
shuffle change the mixed sample.
"""

import numpy as np
import pytest

from augkit import ImageDataGenerator

N, ROWS, COLS, CLASSES = 11, 6, 8, 11


def data():
    """Image ``i`` is the constant ``i`` (a pixel tells which samples it mixes), its label one-hot ``i``."""
    x = np.stack([np.full((ROWS, COLS, 1), float(i)) for i in range(N)]).astype(np.float32)
    return x, np.eye(CLASSES, dtype=np.float32)


def by_index(it):
    """``{index: (image, label)}`` over epoch 0 of ``it``, whatever its batch size and shuffled order."""
    out = {}
    for b in range(len(it)):
        images, labels = it[b]
        for row, index in enumerate(it.index_array[b * it.batch_size:(b + 1) * it.batch_size]):
            out[int(index)] = (images[row], labels[row])
    return out


@pytest.mark.parametrize("mix", ["mixup", "cutmix"])
def test_batch_size_and_workers_do_not_change_a_samples_partner_weight_or_box(mix):
    x, y = data()
    gen = ImageDataGenerator(rotation_range=20, horizontal_flip=True)
    one = by_index(gen.flow(x, y, batch_size=3, seed=5, workers=1, mix=mix))
    other = by_index(gen.flow(x, y, batch_size=11, seed=5, workers=3, mix=mix))
    assert sorted(one) == sorted(other) == list(range(N))
    for index in range(N):
        np.testing.assert_array_equal(one[index][0], other[index][0])
        np.testing.assert_array_equal(one[index][1], other[index][1])


@pytest.mark.parametrize("mix", ["mixup", "cutmix"])
def test_integer_one_hot_labels_are_mixed_as_the_same_labels_in_float32(mix):
    x, y = data()
    gen = ImageDataGenerator(rotation_range=20)
    _, as_floats = next(gen.flow(x, y, batch_size=N, seed=5, mix=mix))
    _, as_ints = next(gen.flow(x, y.astype(np.int64), batch_size=N, seed=5, mix=mix))
    assert as_ints.dtype == np.float32 and np.array_equal(as_ints, as_floats)


def test_mixup_mixes_labels_by_the_weight_that_mixes_the_images():
    x, y = data()
    images, labels = next(ImageDataGenerator().flow(x, y, batch_size=N, shuffle=False, seed=0, mix="mixup"))
    assert images.dtype == np.float32 and labels.shape == (N, CLASSES)
    for i in range(N):
        lam = labels[i, i]
        partner = [j for j in np.flatnonzero(labels[i]) if j != i]
        assert len(partner) <= 1 and labels[i].sum() == pytest.approx(1)
        j = partner[0] if partner else i
        np.testing.assert_allclose(images[i], lam * i + (1 - lam) * j, rtol=1e-5, atol=1e-5)
        assert j != i or lam == pytest.approx(1, abs=1e-6)  # never mixed with itself


def test_cutmix_pastes_the_partners_box_in_image_and_mask_and_weighs_labels_by_pixels_kept():
    x, y = data()
    masks = np.stack([np.full((ROWS, COLS), i, np.uint8) for i in range(N)])
    images, (mixed_masks, labels) = next(ImageDataGenerator().flow_pairs(
        x, masks, y, batch_size=N, shuffle=False, seed=1, mix="cutmix"))
    assert mixed_masks.dtype == np.uint8
    for i in range(N):
        np.testing.assert_array_equal(images[i, ..., 0], mixed_masks[i])  # the same box in both
        kept = (mixed_masks[i] == i).mean()
        assert labels[i, i] == pytest.approx(kept)
        others = set(np.unique(mixed_masks[i]).tolist()) - {i}
        assert len(others) <= 1 and labels[i].sum() == pytest.approx(1)


def test_a_new_epoch_draws_new_partners_and_the_same_seed_the_same_ones():
    x, y = data()
    gen = ImageDataGenerator()
    it = gen.flow(x, y, batch_size=N, shuffle=False, seed=2, mix="mixup")
    first, second = next(it)[1], next(it)[1]
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, next(gen.flow(x, y, batch_size=N, shuffle=False, seed=2, mix="mixup"))[1])


def test_mix_alpha_shapes_the_weights():
    x, y = data()
    x, y = np.repeat(x, 40, axis=0), np.repeat(y, 40, axis=0)
    weights = {}
    for alpha in (0.2, 5.0):
        _, labels = next(ImageDataGenerator().flow(x, y, batch_size=len(x), seed=3, mix="mixup", mix_alpha=alpha))
        weights[alpha] = labels.max(axis=1)  # max(lam, 1 - lam)
    assert np.median(weights[0.2]) > 0.9 and np.median(weights[5.0]) < 0.75


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(mix="blend"), ValueError, r"mix='blend' must be None, 'mixup' or 'cutmix'"),
    (dict(mix_alpha=0.4), ValueError, r"mix_alpha=0.4 is given but mix=None"),
    (dict(mix="mixup", mix_alpha=0), ValueError, r"mix_alpha=0 must be a finite number > 0"),
    (dict(mix="mixup", y=np.arange(N)), TypeError, r"y has dtype int64.*integer class ids cannot be mixed"),
    (dict(mix="cutmix", y=None), ValueError, r"mix='cutmix' needs labels to mix: pass y, one-hot"),
])
def test_bad_mixing_arguments_are_refused_by_name(kwargs, error, message):
    x, y = data()
    kwargs = {"y": y, **kwargs}
    with pytest.raises(error, match=message):
        ImageDataGenerator().flow(x, **kwargs)


def test_mixup_is_refused_with_masks_and_cutmix_needs_no_labels_with_masks():
    x, _ = data()
    masks = np.zeros((N, ROWS, COLS), np.uint8)
    with pytest.raises(ValueError, match="mix='mixup' cannot mix masks.*use mix='cutmix'"):
        ImageDataGenerator().flow_pairs(x, masks, mix="mixup")
    images, mixed = next(ImageDataGenerator().flow_pairs(x, masks, batch_size=4, seed=0, mix="cutmix"))
    assert images.shape == (4, ROWS, COLS, 1) and mixed.shape == (4, ROWS, COLS)


@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
def test_the_compat_modes_refuse_mix_by_name(compat):
    x, y = data()
    with pytest.raises(ValueError, match=f"mix='mixup' is not an argument of Keras's flow: compat='{compat}'"):
        ImageDataGenerator(compat=compat).flow(x, y, mix="mixup")


def test_mixing_works_with_crops_and_channels_first():
    x, y = data()
    gen = ImageDataGenerator(crop_size=(4, 5), data_format="channels_first")
    images, labels = next(gen.flow(np.moveaxis(x, -1, 1), y, batch_size=5, seed=0, mix="cutmix"))
    assert images.shape == (5, 1, 4, 5) and labels.sum(axis=1) == pytest.approx(np.ones(5))
