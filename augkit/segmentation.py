"""Images and their segmentation masks, augmented together and kept aligned.

``ImageDataGenerator.flow_pairs`` and ``flow_pairs_from_directory`` return
the iterators importable from this module (they live in
:mod:`augkit.iterators.paired`: the plain iterators' batch loop over a
paired source). For every sample, the random parameters are
drawn **once** (as ``flow`` draws them; see :mod:`augkit.iterators`) and give
one matrix, which

* warps the image as ``flow`` would (``interpolation_order``, ``fill_mode``,
  ``cval``), followed by the intensity options (channel shift, brightness)
  and ``standardize`` (``preprocessing_function``, ``rescale``, samplewise
  and featurewise normalisation, ZCA);
* warps the mask by nearest neighbour (:func:`augkit.kernels.warp_nearest`),
  filling the area that comes from outside the picture with ``mask_cval``
  (``mask_fill_mode="constant"``, the default). No intensity option and no
  normalisation ever touches a mask: its values stay exactly within its own
  labels and ``mask_cval``.

A mask is ``(rows, cols)`` or ``(rows, cols, k)`` per sample (channels
placed as the generator's ``data_format`` says). One channel holds labels;
``k > 1`` channels of an array are taken as one-hot (one channel per class),
and the fill is then the one-hot vector of class ``mask_cval``: by default
the first class, background. Colour-coded mask files (``mask_color_mode``
``"rgb"``) are filled with black.

In the compat modes the transforms (and so the alignment) are Keras's, but
masks use the default convention's fill rules: the same pixels as Keras's
order-0 warp with ``nearest`` and ``reflect``; with ``constant`` and
``wrap`` (scipy's legacy rules) a thin band along the border differs
(measured: 0.02 % and 0.5 % of the pixels).

The single-mask helpers live in :mod:`augkit.masks` and are importable from
here: :func:`mask_overlay` (a mask painted over its image, for plotting) and
:func:`label_mask_warning`, which ``ImageDataGenerator.fit`` uses to warn
when it is asked to normalise what looks like a label mask (the classic
two-generator recipe gives its mask generator ``featurewise_center=True``;
its masks then become non-label floats).

The classic two-generator recipe (an image generator and a mask generator
with the same geometric arguments and the same ``seed``) also stays aligned
in the default mode, because each sample's parameters depend only on
``(seed, epoch, index)``. The compat modes reproduce Keras's single random
stream, where an intensity option on one generator only shifts the draws of
every later sample of the batch, and the pairs drift apart.
"""


from augkit.files import pair_files
from augkit.iterators.paired import PairedArrayIterator, PairedDirectoryIterator
from augkit.masks import (  # noqa: F401 - mask helpers, importable from here too
    MAX_MASK_LABELS,
    label_mask_warning,
    load_mask,
    looks_like_label_mask,
    mask_fill,
    mask_overlay,
    warp_mask,
)

__all__ = [
    "MAX_MASK_LABELS", "PairedArrayIterator", "PairedDirectoryIterator", "label_mask_warning",
    "load_mask", "looks_like_label_mask", "mask_overlay", "pair_files", "warp_mask",
]
