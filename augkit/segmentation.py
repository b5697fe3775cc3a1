"""Images and their segmentation masks, augmented together and kept aligned.

``ImageDataGenerator.flow_pairs`` and ``flow_pairs_from_directory`` return
the iterators of this module. For every sample, the random parameters are
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

import os

import numpy as np

from augkit import kernels
from augkit.decode import CHANNELS, COLOR_MODES, MASK, ImageFileError
from augkit.file_iterators import FileIterator
from augkit.files import pair_files, split_range
from augkit.array_iterator import NumpyArrayIterator, split_x
from augkit.iterators import check_subset
from augkit.masks import (  # noqa: F401 - mask helpers, importable from here too
    MAX_MASK_LABELS,
    label_mask_warning,
    load_mask,
    looks_like_label_mask,
    mask_fill,
    mask_overlay,
    warp_mask,
)
from augkit.params import NEUTRAL

__all__ = [
    "MAX_MASK_LABELS", "PairedArrayIterator", "PairedDirectoryIterator", "label_mask_warning",
    "load_mask", "looks_like_label_mask", "mask_overlay", "pair_files", "warp_mask",
]


# --- arrays -------------------------------------------------------------------

def _check_mask_options(fill_mode, cval):
    if fill_mode not in kernels.FILL_MODES:
        raise ValueError(f"mask_fill_mode={fill_mode!r} is not supported; use one of "
                         f"{', '.join(map(repr, kernels.FILL_MODES))}")
    values = np.asarray(cval)
    if values.ndim > 1 or values.dtype == bool or not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"mask_cval={cval!r} must be a number (the label written where the picture "
                        "has no data; 0, the background, by default) or one number per mask channel")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"mask_cval={cval!r} must be finite (a label, 0 by default, or one finite number "
                         "per mask channel)")


class _PairedBatches:
    """Building ``(images, masks)`` batches; mixed into an iterator class.

    The iterator provides ``_load_pair(index)`` (an image and its mask), or
    ``_load(index)`` and ``_load_mask(index)``, and sets ``mask_shape``,
    ``mask_dtype``, ``mask_fill_mode`` and ``mask_cval``.
    """

    def _setup_masks(self, mask_shape, mask_dtype, mask_fill_mode, mask_cval, one_hot):
        _check_mask_options(mask_fill_mode, mask_cval)
        self.mask_shape, self.mask_dtype = tuple(mask_shape), np.dtype(mask_dtype)
        self.mask_fill_mode, self.mask_cval = mask_fill_mode, mask_cval
        probe = self.augmenter.channels_last(np.zeros(self.mask_shape, self.mask_dtype))[:1, :1]
        self._one_hot = one_hot
        self._fill_value = mask_fill(probe.shape, mask_cval, one_hot)
        kernels.warp_nearest(probe, None, cval=self._fill_value)  # it must fit the masks' dtype

    def _load_pair(self, index):
        return self._load(index), self._load_mask(index)

    def _batch(self, index_array, params, epoch):
        batch_x = self._batch_array((len(index_array),) + tuple(self.image_shape))
        batch_masks = self._batch_array((len(index_array),) + self.mask_shape, self.mask_dtype,
                                        memory="_mask_memory")
        needs_standardize = self.normalizer.changes_images

        def fill(i):
            index, sample_params = index_array[i], params[i]
            image, mask = self._load_pair(index)
            mask = np.asarray(mask, self.mask_dtype)
            if sample_params != NEUTRAL:
                image, mask = self._transform_pair(image, mask, sample_params)
            batch_x[i] = self._finish(image, index, needs_standardize)
            batch_masks[i] = mask

        self._map(fill, range(len(index_array)))
        if self.save_to_dir is not None:
            self._save_pairs(batch_x, batch_masks, index_array, epoch)
        return self._pair_outputs(batch_x, batch_masks, index_array)

    def _transform_pair(self, image, mask, sample_params):
        """Both through one matrix (the augmenter's ``apply``); with an overridden
        ``apply_transform``, the image through it and the mask through the augmenter."""
        mask_options = {"mask_fill_mode": self.mask_fill_mode, "mask_cval": self._fill_value}
        if self._transform_hook is not None:
            return (self._transform_hook(image, sample_params),
                    self.augmenter.apply_mask(sample_params, mask, **mask_options))
        return self.augmenter.apply(sample_params, image, mask, **mask_options)

    def _save_pairs(self, batch_x, batch_masks, index_array, epoch):
        """``{prefix}_{index}_{hash}.{format}`` and ``..._mask.png`` (labels as grey levels)."""
        for image, mask, index, number in zip(batch_x, batch_masks, index_array,
                                              self._hashes(index_array, epoch)):
            picture = self._mask_picture(self.augmenter.channels_last(mask))
            whole_bytes = bool(np.all((picture >= 0) & (picture <= 255) & (picture == np.round(picture))))
            if whole_bytes:
                picture = picture.astype(np.uint8)
            while True:  # the first number whose image and mask names are both free
                try:
                    self._save_pair(index, number, image, picture, scale_mask=not whole_bytes)
                    break
                except FileExistsError:
                    number += 1

    def _save_pair(self, index, number, image, picture, scale_mask):
        """Both files of one sample or neither: the mask claims the number, then the image."""
        mask_path = self._save_path(index, number, "_mask.png")
        if os.path.lexists(self._save_path(index, number)):
            raise FileExistsError(self._save_path(index, number))
        self._save_one(mask_path, picture, "png", scale=scale_mask, data_format="channels_last")
        try:
            self._save_one(self._save_path(index, number), image, self.save_format)
        except BaseException:
            try:
                os.unlink(mask_path)  # written just above by this call: no orphan mask
            except OSError:
                pass
            raise

    def _mask_picture(self, mask):
        """A mask as an image to save: labels (one-hot: the class index) or its own colours."""
        if mask.ndim == 2:
            return mask[..., np.newaxis]
        if self._one_hot and mask.shape[-1] > 1:
            return mask.argmax(axis=-1)[..., np.newaxis]
        return mask


class PairedArrayIterator(_PairedBatches, NumpyArrayIterator):
    """Batches of ``(images, masks)`` from arrays: what ``ImageDataGenerator.flow_pairs`` returns.

    Parameters
    ----------
    x : array_like of rank 4 (or ``(images, extra, ...)`` as for ``flow``)
        Images in the generator's ``data_format``; never copied.
    masks : array_like of rank 3 or 4
        ``(n, rows, cols)`` label masks, or ``(n, rows, cols, k)`` (channels
        placed as ``data_format`` says): one channel of labels or ``k``
        one-hot channels. Same ``rows, cols`` as the images; any numeric or
        bool dtype, which the batches keep. Never copied.
    y : array_like, optional
        A second target per sample (e.g. an image-level class). Batches
        become ``(x, (masks, y))``: two outputs for Keras.
    image_data_generator : ImageDataGenerator
    sample_weight : array_like, optional
        One weight per sample, last in the batch: ``(x, masks, weights)`` or
        ``(x, (masks, y), weights)``. Keras 3 applies weights of shape
        ``(n,)`` only to losses with one value per sample; for a pixel-wise
        loss (``sparse_categorical_crossentropy`` on the masks) give them
        shape ``(n, 1, 1)``. Weights are passed through as they are (never
        warped), so per-pixel weight maps are not supported here.
    mask_fill_mode : {"constant", "nearest", "reflect", "wrap"}
        How the mask is filled where the transform reads outside it.
        ``"constant"`` (default) writes ``mask_cval``; pass the generator's
        ``fill_mode`` to mirror or repeat labels as the image's pixels are.
    mask_cval : int or float, or a sequence of k numbers
        The label written by ``"constant"``: 0 (background) by default; for a
        one-hot mask, the index of the class whose one-hot vector is written
        (or all k channel values).
    batch_size, shuffle, seed, save_to_dir, save_prefix, save_format, subset, workers
        As for ``flow``. ``save_to_dir`` also writes each mask, as
        ``{prefix}_{index}_{hash}_mask.png`` with labels as grey levels
        (one-hot masks as their class index).

    Examples
    --------
    >>> import numpy as np
    >>> from augkit import ImageDataGenerator
    >>> x = np.zeros((4, 8, 8, 3), dtype=np.uint8)
    >>> masks = np.zeros((4, 8, 8), dtype=np.uint8)
    >>> it = ImageDataGenerator(rotation_range=30).flow_pairs(x, masks, batch_size=2, seed=0)
    >>> images, mask_batch = next(it)
    >>> images.shape, images.dtype, mask_batch.shape, mask_batch.dtype
    ((2, 8, 8, 3), dtype('float32'), (2, 8, 8), dtype('uint8'))
    """

    def __init__(self, x, masks, y, image_data_generator, batch_size=32, shuffle=True, sample_weight=None,
                 seed=None, save_to_dir=None, save_prefix="", save_format="png", subset=None,
                 ignore_class_split=False, mask_fill_mode="constant", mask_cval=0, workers=None):
        gen = image_data_generator
        images, _ = split_x(x)
        masks = _checked_masks(masks, images, gen.data_format)
        super().__init__(x, y, gen, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
                         seed=seed, save_to_dir=save_to_dir, save_prefix=save_prefix,
                         save_format=save_format, subset=subset, ignore_class_split=ignore_class_split,
                         workers=workers)
        start, stop = split_range(len(masks), check_subset(subset, gen))  # as x and y are split
        self.masks = masks = masks[start:stop]
        self._setup_masks(masks.shape[1:], masks.dtype, mask_fill_mode, mask_cval, one_hot=True)

    def _load_mask(self, index):
        return self.masks[index]

    def _pair_outputs(self, batch_x, batch_masks, index_array):
        inputs = [batch_x] + [extra[index_array] for extra in self.x_misc] if self.x_misc else batch_x
        targets = batch_masks if self.y is None else (batch_masks, self.y[index_array])
        if self.sample_weight is None:
            return inputs, targets
        return inputs, targets, self.sample_weight[index_array]


def _checked_masks(masks, images, data_format):
    masks = np.asarray(masks)
    if not (np.issubdtype(masks.dtype, np.number) or masks.dtype == bool):
        raise TypeError(f"masks must hold numbers; got dtype {masks.dtype}")
    if masks.ndim not in (3, 4):
        raise ValueError(f"masks must have shape (n, rows, cols) or (n, rows, cols, k); got {masks.shape}")
    if 0 in masks.shape[1:]:
        raise ValueError(f"masks has shape {masks.shape}: every mask is empty (an axis of length 0); a mask "
                         "needs the rows and columns of its image and at least one channel")
    if len(masks) != len(images):
        raise ValueError(f"x and masks must have the same length; got {len(images)} images and "
                         f"{len(masks)} masks")
    image_rc = images.shape[1:3] if data_format == "channels_last" else images.shape[2:4]
    mask_rc = masks.shape[1:3] if masks.ndim == 3 or data_format == "channels_last" else masks.shape[2:4]
    if image_rc != mask_rc:
        raise ValueError(f"each mask must have the rows and columns of its image: images {images.shape}, "
                         f"masks {masks.shape} (data_format={data_format!r})")
    return masks


# --- pairs of files --------------------------------------------------------------

class PairedDirectoryIterator(_PairedBatches, FileIterator):
    """Batches of ``(images, masks)`` from two folders: ``flow_pairs_from_directory``.

    Files are paired by their path below their folder without the suffix
    (``images/all/shape_000.png`` with ``masks/all/shape_000.png``, or with
    ``shape_000.bmp``); an image without a mask or a mask without an image
    is an error naming them. Images load as for ``flow_from_directory``;
    masks load with :func:`load_mask` (nearest-neighbour resize, palette
    indices kept) in ``mask_color_mode`` and come in batches of the
    generator's ``dtype`` (float32: the labels as whole numbers). Colour-coded
    masks (``mask_color_mode="rgb"``) are filled with ``mask_cval`` in every
    channel (black by default) or with the colour given as a sequence. With
    ``subset`` and the generator's ``validation_split`` v, the first
    ``int(v * n)`` pairs in that sorted order are the validation subset.

    An image and its mask must have the same size in their files (both are
    then resized to ``target_size``): a pair whose sizes differ raises
    :class:`~augkit.image_io.ImageFileError` naming both files and sizes
    when its batch is built, as does a file that is gone by then. Listing
    refuses unreadable folders and skips non-regular files with a warning,
    as ``flow_from_directory`` does.

    Attributes
    ----------
    filenames, mask_filenames : list of str
        The paired files relative to their folders, in serving order (sorted).
    filepaths, mask_filepaths : list of str
    samples, n : int
    """

    def __init__(self, image_directory, mask_directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", mask_color_mode="grayscale", batch_size=32, shuffle=True, seed=None,
                 save_to_dir=None, save_prefix="", save_format="png", follow_links=False, subset=None,
                 interpolation="nearest", keep_aspect_ratio=False, mask_fill_mode="constant", mask_cval=0,
                 workers=None):
        gen = image_data_generator
        self._setup_processing(gen, target_size, color_mode, None, (None,), save_to_dir, save_prefix,
                               save_format, interpolation, keep_aspect_ratio)
        if mask_color_mode not in COLOR_MODES:
            raise ValueError(f"mask_color_mode={mask_color_mode!r} is not supported; use one of "
                             f"{', '.join(map(repr, COLOR_MODES))}")
        self.mask_color_mode = mask_color_mode
        self.directory, self.mask_directory = os.fspath(image_directory), os.fspath(mask_directory)
        self.subset = subset
        pairs = pair_files(image_directory, mask_directory, follow_links)
        start, stop = split_range(len(pairs), check_subset(subset, gen))
        pairs = pairs[start:stop]
        if not pairs:
            raise ValueError(f"subset={subset!r} holds no pairs ({stop - start} of them)")
        self.filenames = [image for image, _ in pairs]
        self.mask_filenames = [mask for _, mask in pairs]
        self._filepaths = [os.path.join(self.directory, name) for name in self.filenames]
        self.mask_filepaths = [os.path.join(self.mask_directory, name) for name in self.mask_filenames]
        self.samples = len(pairs)
        self.classes, self.class_indices, self.num_classes = np.zeros(self.samples, np.int32), {}, 0
        print(f"Found {self.samples} image/mask pairs.")
        super().__init__(self.samples, batch_size, shuffle, seed, gen, workers)
        channels = CHANNELS[mask_color_mode]
        mask_shape = (self.target_size + (channels,) if self.data_format == "channels_last"
                      else (channels,) + self.target_size)
        self._setup_masks(mask_shape, self.dtype, mask_fill_mode, mask_cval, one_hot=False)

    sample_weight = None

    def _load_pair(self, index):
        """The image and its mask, each file opened once; their sizes in the files must agree."""
        image_path, mask_path = self._filepaths[index], self.mask_filepaths[index]
        image, image_rows_cols = self._decode(image_path)

        def same_size(mask_rows_cols):  # checked from the mask's header, before decoding it
            if mask_rows_cols != image_rows_cols:
                raise ImageFileError(
                    mask_path, f"the mask is {mask_rows_cols[0]} x {mask_rows_cols[1]} (rows x cols) but "
                    f"its image '{image_path}' is {image_rows_cols[0]} x {image_rows_cols[1]}; an image and "
                    "its mask must have the same size, or resizing both to target_size would misalign them")

        mask, _ = self._decode(mask_path, self.mask_color_mode, "nearest", MASK, check_size=same_size)
        return image, mask

    def _pair_outputs(self, batch_x, batch_masks, index_array):
        return batch_x, batch_masks


