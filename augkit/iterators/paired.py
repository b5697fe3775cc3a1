"""The paired iterators: images and their masks from one source, batch by batch.

:class:`PairedArrayIterator` (``flow_pairs``) and
:class:`PairedDirectoryIterator` (``flow_pairs_from_directory``) are the
array and directory iterators served from a
:class:`~augkit.iterators.sources.PairedSource`: the batch loop of
:class:`~augkit.iterators.BatchIterator` is the plain iterators' own, and
applies each sample's parameters to the image and, through the same
matrix, to its mask. What masks are and how they are filled is told in
:mod:`augkit.segmentation`.
"""

import os

import numpy as np

from augkit.decode import CHANNELS, COLOR_MODES, MASK
from augkit.files import pair_files, split_range
from augkit.iterators.arguments import check_subset
from augkit.iterators.arrays import NumpyArrayIterator, array_source, split_x
from augkit.iterators.files import FileIterator
from augkit.iterators.sources import ArraySource, FilePairSource, PairedSource

__all__ = ["PairedArrayIterator", "PairedDirectoryIterator"]


class PairedArrayIterator(NumpyArrayIterator):
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
        arrays = array_source(x, y, sample_weight, subset, ignore_class_split, gen)
        start, stop = split_range(len(masks), check_subset(subset, gen))  # as x and y are split
        self.masks = masks = masks[start:stop]
        pairs = PairedSource(arrays, ArraySource(masks), mask_dtype=masks.dtype, mask_fill_mode=mask_fill_mode,
                             mask_cval=mask_cval, one_hot=True, data_format=gen.data_format)
        _set_mask_attributes(self, pairs)
        self._start(arrays, pairs, gen, batch_size, shuffle, seed, save_to_dir, save_prefix, save_format,
                    subset, workers)

def _set_mask_attributes(iterator, pairs):
    """The mask options of ``pairs``, as attributes of its iterator."""
    iterator.mask_shape, iterator.mask_dtype = pairs.mask_shape, pairs.mask_dtype
    iterator.mask_fill_mode, iterator.mask_cval = pairs.mask_fill_mode, pairs.mask_cval


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



class PairedDirectoryIterator(FileIterator):
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
        channels = CHANNELS[mask_color_mode]
        mask_shape = (self.target_size + (channels,) if gen.data_format == "channels_last"
                      else (channels,) + self.target_size)
        masks = self._file_source(gen, self.mask_filepaths, mask_color_mode, "nearest", MASK, mask_shape)
        source = FilePairSource(self._file_source(gen), masks, mask_dtype=gen.dtype,
                                mask_fill_mode=mask_fill_mode, mask_cval=mask_cval, one_hot=False,
                                data_format=gen.data_format)
        _set_mask_attributes(self, source)
        super().__init__(source, batch_size, shuffle, seed, gen, workers)

    sample_weight = None
