"""MixUp and CutMix as a batch stage of an iterator: ``flow(x, y, mix="mixup" | "cutmix", mix_alpha=...)``.

Mixing is an argument of the ``flow*`` methods (``flow``, ``flow_pairs``,
``flow_from_directory``, ``flow_from_dataframe``, ``flow_pairs_from_directory``),
not of the generator: it needs labels and partners taken from the whole
dataset, which only an iterator has, and Keras 3 applies
``keras.layers.MixUp`` and ``CutMix`` to batches of ``(images, labels)``
too, never to one image.

Each sample ``i`` of epoch ``e`` is mixed with a partner sample ``j != i`` of
the dataset, drawn with its weight ``lam ~ Beta(alpha, alpha)`` (and, for
CutMix, its box) from ``(seed, e, i)`` alone (:func:`augkit.mixing.draw_mixing`),
so neither the batch size nor the workers nor the shuffle change them. The
partner is augmented as it is in its own batch (its own parameters of epoch
``e``; a file partner is decoded again), then:

* ``mix="mixup"``: ``x = lam x_i + (1 - lam) x_j`` and the labels by the same
  ``lam``; refused with masks (a blend of two label maps is not one);
* ``mix="cutmix"``: the partner's box pasted into the image, and into the
  mask with ``flow_pairs`` and ``flow_pairs_from_directory``; the labels
  weighed by the share of pixels each sample keeps.

Labels must be one-hot or soft (``(n, classes)`` floats in [0, 1]; one-hot
rows stored as integers are mixed as float32): ``y`` for ``flow``; for the
file iterators ``class_mode="categorical"`` (two classes or more), or a
``flow_from_dataframe`` ``"raw"`` / ``"multi_output"`` whose columns hold
soft labels (each output mixed by the same weight). The other class modes
(``"binary"``, ``"sparse"``, ``"input"``, None) are refused by name
(:func:`check_class_mode`); the paired iterators need no labels. Extra
inputs and sample weights stay the sample's own. ``save_to_dir`` writes the
augmented images before mixing. The cost: each batch augments (and, from
files, decodes) its partners too (twice the work). The compat modes refuse
``mix`` (Keras's ``flow*`` methods have no such argument), before any folder
is walked.
"""

import numpy as np

from augkit.iterators.sources import FileSource
from augkit.mixing import MIXES, check_alpha, check_mixable_labels, draw_mixing, mix_batch

__all__ = ["DEFAULT_ALPHA", "MixStage", "attach", "check_class_mode", "mix_stage"]

#: ``mix_alpha`` when not given: MixUp's 0.2 (the paper's ImageNet value, Keras 3's default), CutMix's 1.0.
DEFAULT_ALPHA = {"mixup": 0.2, "cutmix": 1.0}


def mix_stage(generator, mix, mix_alpha, method="flow"):
    """The :class:`MixStage` that ``generator.method(..., mix=mix, mix_alpha=mix_alpha)`` asks for, or None.

    Checked before any folder is walked: ``mix`` and ``mix_alpha`` by name,
    and the generator's mode (the compat modes refuse ``mix``, as Keras's
    ``method`` has no such argument).
    """
    if mix is None:
        if mix_alpha is not None:
            raise ValueError(f"mix_alpha={mix_alpha!r} is given but mix=None; pass mix='mixup' or mix='cutmix'")
        return None
    if not isinstance(mix, str) or mix not in MIXES:
        raise ValueError(f"mix={mix!r} must be None, 'mixup' or 'cutmix'")
    convention = generator.convention
    if convention.argument:
        raise ValueError(f"mix={mix!r} is not an argument of Keras's {method}: {convention.argument} draws only "
                         f"Keras's own parameters; use compat=None for mix")
    return MixStage(mix, check_alpha(DEFAULT_ALPHA[mix] if mix_alpha is None else mix_alpha, "mix_alpha"))


def attach(iterator, stage):
    """``iterator`` mixing by ``stage`` (None: as it is), once its labels (and masks) are found mixable."""
    if stage is None:
        return iterator
    mix, source = stage.kind, iterator.source
    has_masks = source.mask_shape is not None
    if has_masks and mix == "mixup":
        raise ValueError("mix='mixup' cannot mix masks: a blend of two label maps is not a label map "
                         "(keras.layers.MixUp blends them anyway); use mix='cutmix', which pastes the mask box")
    labelled = source.images if has_masks else source  # a paired source's image source
    if isinstance(labelled, FileSource):
        check_class_mode(mix, labelled, has_masks)
    else:
        labels = labelled.y
        if labels is None and not has_masks:
            raise ValueError(f"mix={mix!r} needs labels to mix: pass y, one-hot (keras.utils.to_categorical)")
        if labels is not None:
            check_mixable_labels(labels, "y")
    iterator.mixing = stage
    return iterator


#: What each class mode that cannot be mixed gives as labels.
_UNMIXABLE = {"binary": "one 0/1 number per sample; a binary task mixes as 2 one-hot classes",
              "sparse": "one class id per sample; 0.7 * class 2 + 0.3 * class 5 is not a class",
              "input": "the target is the image itself, not a label",
              None: "no labels to mix"}
_ACCEPTED = ("use class_mode='categorical' (one-hot labels, mixed by the same weight as the pixels); "
             "flow_from_dataframe also mixes class_mode='raw' or 'multi_output' whose y_col columns hold "
             "soft labels (one float in [0, 1] per class)")


def check_class_mode(mix, source, has_masks=False):
    """Refuse, by name and with what is accepted, a file source whose labels ``mix`` cannot mix.

    ``categorical`` (one-hot, 2 classes or more) is mixed, as are ``raw``
    and each ``multi_output`` output when they are soft labels ``(n,
    classes)``; paired sources (masks) need no labels.
    """
    mode = source.class_mode
    if mode is None and has_masks:
        return
    if mode in _UNMIXABLE:
        raise ValueError(f"mix={mix!r} cannot mix the labels of class_mode={mode!r} ({_UNMIXABLE[mode]}); "
                         f"{_ACCEPTED}")
    if mode == "categorical":
        if source.num_classes < 2:
            raise ValueError(f"mix={mix!r} cannot mix class_mode='categorical' labels of "
                             f"{source.num_classes} class: every label is the same [1.0]; mixing needs 2 classes "
                             "or more")
        return
    outputs = source.labels if mode == "multi_output" else [source.labels]
    for number, labels in enumerate(outputs):
        name = f"output {number} of class_mode='multi_output'" if mode == "multi_output" else "class_mode='raw'"
        array = np.asarray(labels)
        if array.dtype == object:
            raise ValueError(f"mix={mix!r} cannot mix the target of {name}: it holds Python objects, shape "
                             f"{array.shape} (a column of lists or strings); {_ACCEPTED}")
        try:
            check_mixable_labels(array, f"the target of {name}")
        except (TypeError, ValueError) as err:
            raise type(err)(f"mix={mix!r}: {err}") from err


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
        mixed = mix_batch(self.kind, draw, images, _joined(own["y"]), partner_images, _joined(other["y"]), masks,
                          partner_masks)
        own["images"] = (np.moveaxis(mixed[0], -1, 1) if first else mixed[0]).astype(iterator.dtype, copy=False)
        own["y"] = _split_like(mixed[1], own["y"])
        if has_masks:
            own["masks"] = np.moveaxis(mixed[2], -1, 1) if first and mixed[2].ndim == 4 else mixed[2]
        return _pack(own, has_masks)


def _joined(labels):
    """One label array: the outputs of ``class_mode="multi_output"`` side by side (mixing is per column)."""
    return np.concatenate(labels, axis=1) if isinstance(labels, list) else labels


def _split_like(mixed, labels):
    """``mixed`` (from :func:`_joined`) cut back into the outputs of ``labels``, each in its float dtype
    (float32 for one-hot outputs stored as integers: a mixed label is not an integer)."""
    if not isinstance(labels, list):
        return mixed
    ends = np.cumsum([output.shape[1] for output in labels])[:-1]
    return [part.astype(output.dtype if np.issubdtype(output.dtype, np.floating) else np.float32)
            for part, output in zip(np.split(mixed, ends, axis=1), labels)]


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
