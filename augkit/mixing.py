"""MixUp and CutMix: a batch stage that mixes each sample with a partner, labels by the same weight.

* **MixUp** (Zhang et al. 2018): ``x = lam * x_i + (1 - lam) * x_j`` and
  ``y = lam * y_i + (1 - lam) * y_j`` with ``lam ~ Beta(alpha, alpha)``.
* **CutMix** (Yun et al. 2019): a box of ``x_j`` is pasted into ``x_i``;
  ``lam ~ Beta(alpha, alpha)`` sets the box's sides to ``sqrt(1 - lam)`` of
  the image's, placed entirely inside it as ``keras.layers.CutMix`` places
  it; the labels are mixed by the **pixels actually pasted**
  (``1 - pixels / (rows * cols)``), a mask gets the partner's box too.

Reproducibility: sample ``i`` of epoch ``e`` takes the four counter-based
uniforms ``uniforms(counter_hash(seed, e, MIX_TAG, i), (4,))``
(:mod:`augkit.counters`, :func:`mixing_uniforms`), as the default mode keys
every draw: its partner, its ``lam`` (by the inverse of Beta's distribution
function) and its box corner. So a mixed sample depends only on
``(seed, epoch, i)``, never on the batch size, the workers or the shuffle;
the partner is any *other* sample of the dataset (Keras shuffles within the
batch, so a sample may be mixed with itself: ``1/batch`` of them are).

Labels must be one distribution per sample (one-hot or soft, shape
``(n, classes)``); integer class ids cannot be mixed (:func:`check_mixable_labels`).

Examples
--------
>>> x = np.array([[[[0.0]]], [[[1.0]]]], dtype=np.float32)        # two 1x1 images
>>> y = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> mixed_x, mixed_y = mixup(x, y, x[::-1], y[::-1], np.array([0.75, 0.75]))
>>> mixed_x.ravel().tolist(), mixed_y.tolist()
([0.25, 0.75], [[0.75, 0.25], [0.25, 0.75]])
"""

import math
import numbers
from typing import NamedTuple

import numpy as np
import scipy.special

from augkit.counters import counter_hash, extend_hash, uniform_list
from augkit.ops.erasing import keras_box_mask

__all__ = ["MIX_TAG", "MIXES", "Mixing", "check_alpha", "check_mixable_labels", "cutmix", "cutmix_corners",
           "draw_mixing", "mix_batch", "mixing_uniforms", "mixup"]

#: The third counter of the mixing draws (1: shuffle, 2: save names, 3: parameters).
MIX_TAG = 4
MIXES = ("mixup", "cutmix")


class Mixing(NamedTuple):
    """One batch's mixing draws: each sample's partner index, its weight and (CutMix) its box.

    ``boxes`` holds ``(y0, y1, x0, x1)`` float corners per sample (rows,
    then columns), or None for MixUp.
    """

    partner: np.ndarray
    lam: np.ndarray
    boxes: object = None


def check_alpha(alpha, name="mixup_alpha"):
    """``alpha`` of ``Beta(alpha, alpha)`` as a float > 0 (1 gives a uniform weight).

    Examples
    --------
    >>> check_alpha(0.2)
    0.2
    """
    if not isinstance(alpha, numbers.Real) or isinstance(alpha, bool) or not math.isfinite(alpha) or alpha <= 0:
        raise ValueError(f"{name}={alpha!r} must be a finite number > 0 (the alpha of Beta(alpha, alpha): "
                         "0.2 for MixUp on ImageNet, 1.0 for CutMix)")
    return float(alpha)


def _integer_one_hot(array):
    """Whether an integer or bool ``array`` is one-hot rows: ``(n, classes >= 2)``, each row one 1 and 0s."""
    if array.ndim != 2 or array.shape[1] < 2 or not (array.dtype == bool or np.issubdtype(array.dtype, np.integer)):
        return False
    return bool(np.isin(array, (0, 1)).all() and (array.sum(axis=1) == 1).all())


def check_mixable_labels(y, name="y"):
    """``y`` as a float array ``(n, classes)`` of values in [0, 1], or a TypeError/ValueError saying what to pass.

    One-hot rows stored as integers or bools (``np.eye(k, dtype=int)[ids]``,
    a dataframe column of ``[0, 1, 0]`` lists) are taken as float32; class ids
    (one integer per sample) are refused.

    Examples
    --------
    >>> check_mixable_labels(np.eye(3)[[0, 2]]).shape
    (2, 3)
    >>> check_mixable_labels(np.array([[0, 1], [1, 0]])).dtype
    dtype('float32')
    >>> check_mixable_labels(np.array([0, 2]))
    Traceback (most recent call last):
        ...
    TypeError: y has dtype int64, shape (2,): integer class ids cannot be mixed ...
    """
    if y is None:
        raise ValueError(f"{name} is None: mixing needs labels to mix; pass one-hot labels")
    array = np.asarray(y)
    hint = ("pass one-hot labels (class_mode='categorical', or keras.utils.to_categorical(y, num_classes)); "
            "a mixed label is a distribution over classes (two columns for a binary task)")
    if not np.issubdtype(array.dtype, np.floating):
        if _integer_one_hot(array):
            return array.astype(np.float32)  # np.eye(k, dtype=int)[ids], or a dataframe column of [0, 1, 0] lists
        raise TypeError(f"{name} has dtype {array.dtype}, shape {array.shape}: integer class ids cannot be mixed "
                        f"(0.7 * class 2 + 0.3 * class 5 is not a class); {hint}")
    if array.ndim != 2 or array.shape[1] < 2:
        raise ValueError(f"{name} has shape {array.shape}: sparse or binary labels (one number per sample) cannot "
                         f"be mixed; {hint}")
    if not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
        raise ValueError(f"{name} holds values outside [0, 1] (from {array.min()} to {array.max()}): mixing takes "
                         f"one-hot or soft labels (probabilities), not logits; {hint}")
    return array


def mixing_uniforms(seed, epoch, index_array):
    """Partner, weight, box top, box left of each sample of ``index_array``: ``(len(index_array), 4)`` floats.

    Row ``k`` is ``uniforms(counter_hash(seed, epoch, MIX_TAG, index_array[k]), (4,))``
    (:mod:`augkit.counters`): a function of the sample's index alone.

    Examples
    --------
    >>> bool((mixing_uniforms(0, 1, [4, 2])[1] == mixing_uniforms(0, 1, [2])[0]).all())
    True
    """
    prefix = counter_hash(seed, epoch, MIX_TAG)  # hashed once, extended by each index
    rows = [uniform_list(extend_hash(prefix, int(index)), 4) for index in index_array]
    return np.array(rows, dtype=np.float64).reshape(-1, 4)


def cutmix_corners(rows_cols, lam, u_top, u_left):
    """The box ``(y0, y1, x0, x1)`` (float corners) of weights ``lam``, as ``keras.layers.CutMix`` places it.

    Each side is ``sqrt(1 - lam)`` of the image's; the corner is uniform
    over the positions that keep the box inside (``y0 = u_top * (rows - side)``).

    Examples
    --------
    >>> cutmix_corners((10, 10), np.array([0.75]), np.array([0.5]), np.array([0.0]))
    (array([2.5]), array([7.5]), array([0.]), array([5.]))
    """
    rows, cols = rows_cols
    side = np.sqrt(1.0 - np.asarray(lam, dtype=float))
    side_rows, side_cols = side * rows, side * cols
    y0 = np.asarray(u_top) * (rows - side_rows)
    x0 = np.asarray(u_left) * (cols - side_cols)
    return y0, y0 + side_rows, x0, x0 + side_cols


def draw_mixing(kind, alpha, seed, epoch, index_array, n, rows_cols=None):
    """The :class:`Mixing` of samples ``index_array`` of ``epoch`` (``n`` samples in the dataset).

    The partner of sample ``i`` is ``(i + 1 + floor(u * (n - 1))) % n``,
    never ``i`` itself when ``n > 1``; ``lam`` is Beta's inverse distribution
    function at a uniform (``scipy.special.betaincinv(alpha, alpha, u)``).

    Examples
    --------
    >>> draw = draw_mixing("mixup", 0.2, seed=0, epoch=0, index_array=[3, 1], n=10)
    >>> draw.partner.tolist(), draw.lam.round(3).tolist()
    ([6, 3], [0.002, 0.959])
    """
    if kind not in MIXES:
        raise ValueError(f"mix={kind!r} must be one of {MIXES}")
    index = np.asarray(index_array, dtype=np.intp)
    u = mixing_uniforms(seed, epoch, index)
    partner = (index + 1 + np.minimum((u[:, 0] * (n - 1)).astype(np.intp), max(n - 2, 0))) % n
    lam = scipy.special.betaincinv(alpha, alpha, u[:, 1])
    boxes = None
    if kind == "cutmix":
        boxes = np.stack(cutmix_corners(rows_cols, lam, u[:, 2], u[:, 3]), axis=1)
    return Mixing(partner, lam, boxes)


def mixup(x, y, partner_x, partner_y, lam):
    """MixUp of a batch with its partners: ``lam * x + (1 - lam) * partner_x``, the labels alike.

    ``x`` is ``(n, ...)``, ``lam`` one weight per sample; images come back
    as float32 (uint8 input too), labels in their float dtype.

    Examples
    --------
    >>> mixup(np.zeros((1, 1, 1, 1)), np.eye(2)[:1], np.full((1, 1, 1, 1), 8.0), np.eye(2)[1:], [0.25])[1]
    array([[0.25, 0.75]])
    """
    lam = np.asarray(lam, dtype=float)
    images = lam.reshape(-1, *[1] * (np.ndim(x) - 1))
    mixed_x = (images * x + (1 - images) * partner_x).astype(np.float32)
    labels = check_mixable_labels(y)
    weights = lam.reshape(-1, 1)
    return mixed_x, (weights * labels + (1 - weights) * check_mixable_labels(partner_y, "partner labels")).astype(
        labels.dtype)


def cutmix(x, y, partner_x, partner_y, boxes, mask=None, partner_mask=None):
    """CutMix of a channels-last batch: each partner's box pasted in, labels mixed by the pasted area.

    Parameters
    ----------
    x, partner_x : arrays ``(n, rows, cols, channels)``
    y, partner_y : arrays ``(n, classes)`` of one-hot or soft labels, or None with masks
    boxes : array ``(n, 4)``
        ``(y0, y1, x0, x1)`` float corners (:func:`cutmix_corners`); a pixel
        is pasted when its integer coordinates lie in ``[x0, x1) x [y0, y1)``.
    mask, partner_mask : arrays ``(n, rows, cols[, k])``, optional
        The partner's mask box is pasted too (labels stay labels).

    Returns
    -------
    mixed_x, mixed_y[, mixed_mask]
        ``mixed_y`` is None when ``y`` is None. The labels' weight of sample
        ``i`` is ``1 - pasted_i / (rows * cols)``, the share of its own pixels.

    Examples
    --------
    >>> x, px = np.zeros((1, 2, 2, 1)), np.ones((1, 2, 2, 1))
    >>> out, labels = cutmix(x, np.eye(2)[:1], px, np.eye(2)[1:], np.array([[0.0, 1.0, 0.0, 2.0]]))
    >>> out[0, ..., 0].tolist(), labels.tolist()
    ([[1.0, 1.0], [0.0, 0.0]], [[0.5, 0.5]])
    """
    x = np.asarray(x)
    rows, cols = x.shape[1:3]
    inside = np.stack([keras_box_mask((rows, cols), x0, x1, y0, y1) for y0, y1, x0, x1 in np.asarray(boxes)])
    mixed_x = np.where(inside[..., None], partner_x, x).astype(np.float32)
    mixed_y = None
    if y is not None:
        labels = check_mixable_labels(y)
        own = 1.0 - inside.sum(axis=(1, 2)) / (rows * cols)
        mixed_y = (own[:, None] * labels + (1 - own[:, None]) * check_mixable_labels(partner_y, "partner labels")
                   ).astype(labels.dtype)
    if mask is None:
        return mixed_x, mixed_y
    mask = np.asarray(mask)
    pasted = inside.reshape(inside.shape + (1,) * (mask.ndim - 3))
    return mixed_x, mixed_y, np.where(pasted, partner_mask, mask).astype(mask.dtype)


def mix_batch(kind, draw, x, y, partner_x, partner_y, mask=None, partner_mask=None):
    """Mix a batch with its partners as ``draw`` (a :class:`Mixing`) says; MixUp refuses masks.

    Returns ``(x, y)``, or ``(x, y, mask)`` with a mask (CutMix only).

    Examples
    --------
    >>> draw = Mixing(np.array([0]), np.array([0.5]))
    >>> mix_batch("mixup", draw, np.zeros((1, 1, 1, 1)), None, np.ones((1, 1, 1, 1)), None, mask=np.zeros((1, 1, 1)))
    Traceback (most recent call last):
        ...
    ValueError: mix='mixup' cannot mix masks: a blend of two label maps is not a label map ...
    """
    if kind == "mixup":
        if mask is not None:
            raise ValueError("mix='mixup' cannot mix masks: a blend of two label maps is not a label map "
                             "(keras.layers.MixUp blends them anyway); use mix='cutmix', which pastes the mask box")
        return mixup(x, y, partner_x, partner_y, draw.lam)
    return cutmix(x, y, partner_x, partner_y, draw.boxes, mask, partner_mask)
