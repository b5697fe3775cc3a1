"""MixUp and CutMix as a batch stage of an iterator: ``flow(x, y, mix="mixup" | "cutmix", mix_alpha=...)``.

Mixing is an argument of ``flow`` and ``flow_pairs``, not of the generator:
it needs labels and partners taken from the whole dataset, which only an
iterator has, and Keras 3 applies ``keras.layers.MixUp`` and ``CutMix`` to
batches of ``(images, labels)`` too, never to one image.

Each sample ``i`` of epoch ``e`` is mixed with a partner sample ``j != i`` of
the dataset, drawn with its weight ``lam ~ Beta(alpha, alpha)`` (and, for
CutMix, its box) from ``(seed, e, i)`` alone (:func:`augkit.mixing.draw_mixing`),
so neither the batch size nor the workers nor the shuffle change them. The
partner is augmented as it is in its own batch (its own parameters of epoch
``e``), then:

* ``mix="mixup"``: ``x = lam x_i + (1 - lam) x_j`` and the labels by the same
  ``lam``; refused with masks (a blend of two label maps is not one);
* ``mix="cutmix"``: the partner's box pasted into the image, and into the
  mask with ``flow_pairs``; the labels weighed by the share of pixels each
  sample keeps.

Labels must be one-hot or soft (``(n, classes)`` floats in [0, 1]); extra
inputs and sample weights stay the sample's own. ``save_to_dir`` writes the
augmented images before mixing. The cost: each batch augments its partners
too (twice the work). The compat modes refuse ``mix`` (Keras's ``flow`` has
no such argument).
"""

import numpy as np

from augkit.mixing import MIXES, check_alpha, check_mixable_labels, draw_mixing, mix_batch

__all__ = ["DEFAULT_ALPHA", "MixStage", "with_mixing"]

#: ``mix_alpha`` when not given: MixUp's 0.2 (the paper's ImageNet value, Keras 3's default), CutMix's 1.0.
DEFAULT_ALPHA = {"mixup": 0.2, "cutmix": 1.0}


def with_mixing(iterator, mix, mix_alpha):
    """``iterator`` with a :class:`MixStage` (or as it is for ``mix=None``), its arguments checked by name."""
    if mix is None:
        if mix_alpha is not None:
            raise ValueError(f"mix_alpha={mix_alpha!r} is given but mix=None; pass mix='mixup' or mix='cutmix'")
        return iterator
    if not isinstance(mix, str) or mix not in MIXES:
        raise ValueError(f"mix={mix!r} must be None, 'mixup' or 'cutmix'")
    convention = iterator.image_data_generator.convention
    if convention.argument:
        raise ValueError(f"mix={mix!r} is not an argument of Keras's flow: {convention.argument} draws only "
                         f"Keras's own parameters; use compat=None for mix")
    alpha = check_alpha(DEFAULT_ALPHA[mix] if mix_alpha is None else mix_alpha, "mix_alpha")
    source = iterator.source
    has_masks = source.mask_shape is not None
    if has_masks and mix == "mixup":
        raise ValueError("mix='mixup' cannot mix masks: a blend of two label maps is not a label map "
                         "(keras.layers.MixUp blends them anyway); use mix='cutmix', which pastes the mask box")
    labels = getattr(source.images if has_masks else source, "y", None)  # a paired source's image source
    if labels is None and not has_masks:
        raise ValueError(f"mix={mix!r} needs labels to mix: pass y, one-hot (keras.utils.to_categorical)")
    if labels is not None:
        check_mixable_labels(labels, "y")
    iterator.mixing = MixStage(mix, alpha)
    return iterator


class MixStage:
    """The mixing of one iterator: ``kind`` (``"mixup"`` or ``"cutmix"``) and ``alpha``."""

    def __init__(self, kind, alpha):
        self.kind, self.alpha = kind, alpha

    def __repr__(self):
        return f"MixStage({self.kind!r}, alpha={self.alpha})"

    def draw(self, iterator, index_array, epoch, rows_cols):
        """The :class:`~augkit.mixing.Mixing` of samples ``index_array`` of ``epoch``."""
        return draw_mixing(self.kind, self.alpha, iterator.seed, epoch, index_array, iterator.n, rows_cols)

    def mix(self, iterator, batch, index_array, epoch):
        """Keras's ``batch`` of samples ``index_array``, each mixed with its partner; the same structure."""
        has_masks = iterator.source.mask_shape is not None
        own = _unpack(batch, has_masks)
        first = iterator.data_format == "channels_first"
        images = np.moveaxis(own["images"], 1, -1) if first else own["images"]
        draw = self.draw(iterator, index_array, epoch, images.shape[1:3])
        partner_params = iterator.augmenter.make_params(iterator.image_shape, iterator.stream, draw.partner, epoch,
                                                        iterator.n)
        partner_x, partner_masks = iterator.augmented(draw.partner, partner_params)
        other = _unpack(iterator.source.outputs(partner_x, draw.partner, partner_masks), has_masks)
        partner_images = np.moveaxis(other["images"], 1, -1) if first else other["images"]
        masks, partner_masks = own["masks"], other["masks"]
        if has_masks and first and masks.ndim == 4:
            masks, partner_masks = np.moveaxis(masks, 1, -1), np.moveaxis(partner_masks, 1, -1)
        mixed = mix_batch(self.kind, draw, images, own["y"], partner_images, other["y"], masks, partner_masks)
        own["images"] = (np.moveaxis(mixed[0], -1, 1) if first else mixed[0]).astype(iterator.dtype, copy=False)
        own["y"] = mixed[1]
        if has_masks:
            own["masks"] = np.moveaxis(mixed[2], -1, 1) if first and mixed[2].ndim == 4 else mixed[2]
        return _pack(own, has_masks)


def _unpack(batch, has_masks):
    """Keras's batch as a dict: images, extras (None or a list), y, masks, weights."""
    parts = batch if isinstance(batch, tuple) else (batch,)
    inputs, targets = parts[0], parts[1] if len(parts) > 1 else None
    weights = parts[2] if len(parts) > 2 else None
    extras = None
    if isinstance(inputs, list):
        inputs, extras = inputs[0], inputs[1:]
    masks, y = None, targets
    if has_masks:
        masks, y = targets if isinstance(targets, tuple) else (targets, None)
    return {"images": inputs, "extras": extras, "y": y, "masks": masks, "weights": weights, "arity": len(parts)}


def _pack(parts, has_masks):
    inputs = parts["images"] if parts["extras"] is None else [parts["images"]] + parts["extras"]
    targets = parts["y"]
    if has_masks:
        targets = parts["masks"] if parts["y"] is None else (parts["masks"], parts["y"])
    if parts["arity"] == 1:
        return inputs
    return (inputs, targets) if parts["arity"] == 2 else (inputs, targets, parts["weights"])
