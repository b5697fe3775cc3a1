"""Where an iterator's samples come from: arrays, files, or images paired with masks.

A *source* tells the batch loop of :class:`augkit.iterators.BatchIterator`
how many samples there are (``n``), the shape of one image
(``image_shape``), how to load sample ``index`` before augmentation
(``sample(index)``: the image, in any numeric dtype, and its mask or None)
and how a batch is returned (``outputs``: Keras's ``inputs``,
``(inputs, targets)`` or ``(inputs, targets, weights)``). A source never
augments: the loop draws the parameters, applies the augmenter (to the
image, and with the same matrix to the mask) and standardises.

* :class:`ArraySource`: images in memory (never copied), with the extra
  inputs, targets and weights of ``flow``;
* :class:`FileSource`: image files decoded once each (:mod:`augkit.decode`),
  with the labels of a class mode (``flow_from_directory``,
  ``flow_from_dataframe``);
* :class:`PairedSource` and :class:`FilePairSource`: an image source and a
  mask source served together; a batch's targets become the masks (and the
  image source's targets, if any: ``(masks, y)``).
"""

import numpy as np

from augkit import kernels
from augkit.decode import ImageFileError, decode_file, listed_file_gone
from augkit.masks import mask_fill

__all__ = ["ArraySource", "FilePairSource", "FileSource", "PairedSource", "keras_batch"]


def keras_batch(inputs, targets, weights):
    """Keras's batch: ``inputs`` alone without targets, weights last when there are any."""
    if targets is None:
        return inputs
    if weights is None:
        return inputs, targets
    return inputs, targets, weights


class ArraySource:
    """Images in memory, never copied, with ``flow``'s extra inputs, targets and weights.

    Parameters
    ----------
    images : ndarray
        ``(n, ...)``: one image (or mask) per sample.
    extras : list of ndarray
        Extra inputs passed through, indexed (Keras's multi-input form).
    y, sample_weight : ndarray or None
    """

    mask_shape = None  # no masks (see PairedSource)

    def __init__(self, images, extras=(), y=None, sample_weight=None):
        self.images, self.extras, self.y, self.sample_weight = images, list(extras), y, sample_weight

    @property
    def n(self):
        return len(self.images)

    @property
    def image_shape(self):
        return self.images.shape[1:]

    def sample(self, index):
        return self.images[index], None

    def parts(self, batch_x, index_array):
        """``(inputs, targets, weights)`` of a batch (None where there are none)."""
        inputs = [batch_x] + [extra[index_array] for extra in self.extras] if self.extras else batch_x
        targets = None if self.y is None else self.y[index_array]
        weights = None if self.sample_weight is None else self.sample_weight[index_array]
        return inputs, targets, weights

    def outputs(self, batch_x, index_array, batch_masks=None):
        return keras_batch(*self.parts(batch_x, index_array))


class FileSource:
    """Image files, each decoded once per sample, and the labels of a class mode.

    Parameters
    ----------
    filepaths : list of str
    image_shape : tuple
        One decoded image's shape in ``data_format``.
    decoding : dict
        ``color_mode``, ``target_size``, ``interpolation``,
        ``keep_aspect_ratio``, ``data_format`` and ``rule`` (a
        :class:`~augkit.decode.DecodeRule`), as :func:`augkit.decode.decode_file` takes them.
    class_mode : str or None
        Keras's class modes: ``categorical``, ``binary``, ``sparse``,
        ``input``, ``raw``, ``multi_output`` or None.
    classes : sequence
        Each file's class index (or list of them for multi-label rows).
    num_classes : int
    labels : ndarray or list of ndarray, optional
        The targets of ``raw`` and ``multi_output``.
    sample_weight : ndarray, optional
    dtype : numpy dtype
        The dtype of the labels (the batch's).
    """

    mask_shape = None

    def __init__(self, filepaths, image_shape, decoding, *, class_mode=None, classes=(), num_classes=0,
                 labels=None, sample_weight=None, dtype=np.float32):
        self.filepaths, self.image_shape, self.decoding = filepaths, tuple(image_shape), dict(decoding)
        self.class_mode, self.classes, self.num_classes = class_mode, classes, num_classes
        self.labels, self.sample_weight, self.dtype = labels, sample_weight, np.dtype(dtype)

    @property
    def n(self):
        return len(self.filepaths)

    def decode(self, path, check_size=None):
        """``(pixels, file's (rows, cols))`` of one listed file, opened once (see :func:`decode_file`).

        Pixels keep the file's integer dtype (the batch converts them).
        """
        options = self.decoding
        try:
            return decode_file(path, options["color_mode"], options["target_size"], options["interpolation"],
                               options["keep_aspect_ratio"], options["data_format"], options["rule"],
                               check_size)
        except FileNotFoundError as err:
            raise listed_file_gone(path) from err

    def sample(self, index):
        return self.decode(self.filepaths[index])[0], None

    def parts(self, batch_x, index_array):
        """``(inputs, targets, weights)`` of a batch, the targets as ``class_mode`` says."""
        mode = self.class_mode
        weights = None if self.sample_weight is None else self.sample_weight[index_array]
        if mode is None:
            return batch_x, None, weights
        if mode == "input":
            batch_y = batch_x.copy()
        elif mode in ("binary", "sparse"):
            batch_y = np.asarray([self.classes[i] for i in index_array], dtype=self.dtype)
        elif mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            for row, i in enumerate(index_array):
                batch_y[row, self.classes[i]] = 1.0
        elif mode == "multi_output":
            batch_y = [output[index_array] for output in self.labels]
        else:  # raw
            batch_y = self.labels[index_array]
        return batch_x, batch_y, weights

    def outputs(self, batch_x, index_array, batch_masks=None):
        return keras_batch(*self.parts(batch_x, index_array))


class PairedSource:
    """An image source and a mask source served together, sample by sample.

    Parameters
    ----------
    images : ArraySource or FileSource
        The images, and the targets and weights of the batch (if any).
    masks : ArraySource or FileSource
        One mask per image: ``(rows, cols)`` or ``(rows, cols, k)`` with
        channels placed as ``data_format`` says.
    mask_dtype : numpy dtype
        What the mask batches hold (array masks keep theirs).
    mask_fill_mode : {"constant", "nearest", "reflect", "wrap"}
    mask_cval : scalar or sequence
        As ``flow_pairs`` takes them; :attr:`fill_value` is what the warp writes.
    one_hot : bool
        Whether ``k > 1`` channels are one-hot classes (arrays) or colours (files).
    data_format : {"channels_last", "channels_first"}
    """

    def __init__(self, images, masks, *, mask_dtype, mask_fill_mode, mask_cval, one_hot, data_format):
        _check_mask_options(mask_fill_mode, mask_cval)
        self.images, self.masks = images, masks
        self.mask_shape, self.mask_dtype = tuple(masks.image_shape), np.dtype(mask_dtype)
        self.mask_fill_mode, self.mask_cval, self.one_hot = mask_fill_mode, mask_cval, one_hot
        probe = np.zeros(self.mask_shape, self.mask_dtype)
        if probe.ndim == 3 and data_format == "channels_first":
            probe = np.moveaxis(probe, 0, -1)
        probe = probe[:1, :1]
        self.fill_value = mask_fill(probe.shape, mask_cval, one_hot)
        kernels.warp_nearest(probe, None, cval=self.fill_value)  # it must fit the masks' dtype

    @property
    def n(self):
        return self.images.n

    @property
    def image_shape(self):
        return self.images.image_shape

    @property
    def mask_options(self):
        """The keyword arguments of the augmenter's mask warp."""
        return {"mask_fill_mode": self.mask_fill_mode, "mask_cval": self.fill_value}

    def sample(self, index):
        image, _ = self.images.sample(index)
        mask, _ = self.masks.sample(index)
        return image, np.asarray(mask, self.mask_dtype)

    def outputs(self, batch_x, index_array, batch_masks=None):
        inputs, targets, weights = self.images.parts(batch_x, index_array)
        return keras_batch(inputs, batch_masks if targets is None else (batch_masks, targets), weights)

    def mask_picture(self, mask):
        """A channels-last mask as an image to save: labels (one-hot: the class index) or its own colours."""
        if mask.ndim == 2:
            return mask[..., np.newaxis]
        if self.one_hot and mask.shape[-1] > 1:
            return mask.argmax(axis=-1)[..., np.newaxis]
        return mask


class FilePairSource(PairedSource):
    """Image files and mask files paired by name; an image and its mask must have one size."""

    def sample(self, index):
        """The image and its mask, each file opened once; their sizes in the files must agree."""
        image_path, mask_path = self.images.filepaths[index], self.masks.filepaths[index]
        image, image_rows_cols = self.images.decode(image_path)

        def same_size(mask_rows_cols):  # checked from the mask's header, before decoding it
            if mask_rows_cols != image_rows_cols:
                raise ImageFileError(
                    mask_path, f"the mask is {mask_rows_cols[0]} x {mask_rows_cols[1]} (rows x cols) but "
                    f"its image '{image_path}' is {image_rows_cols[0]} x {image_rows_cols[1]}; an image and "
                    "its mask must have the same size, or resizing both to target_size would misalign them")

        mask, _ = self.masks.decode(mask_path, check_size=same_size)
        return image, np.asarray(mask, self.mask_dtype)


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
