"""Batches from arrays in memory: :class:`NumpyArrayIterator`, what ``ImageDataGenerator.flow`` returns.

The batch machinery (order, streams, workers, batch memory, ``save_to_dir``)
is :class:`augkit.iterators.BatchIterator`'s; this module only holds what is
particular to arrays: splitting ``x`` into images and extra inputs, checking
``y`` and ``sample_weight`` against them, and the validation split of arrays,
which give the iterator its :class:`~augkit.iterators.sources.ArraySource`.
"""

import warnings

import numpy as np

from augkit.iterators.arguments import check_save_args, check_subset
from augkit.iterators.batches import BatchIterator
from augkit.iterators.sources import ArraySource

__all__ = ["NumpyArrayIterator", "array_source", "split_x"]


class NumpyArrayIterator(BatchIterator):
    """Batches from arrays in memory: what ``ImageDataGenerator.flow`` returns.

    Parameters
    ----------
    x : array_like of rank 4, or ``(images, extra)``, or ``(images, extra, ...)``
        Images in the generator's ``data_format``, any numeric dtype; never
        copied (each sample is converted to the generator's dtype when used).
        ``extra`` is an array or a list of arrays passed through unchanged
        (Keras's multi-input form): the inputs of a batch are then the list
        ``[images, extra, ...]``.
    y : array_like, optional
        Targets, one per image; returned as they are, indexed.
    image_data_generator : ImageDataGenerator
    batch_size, shuffle, seed, workers
        See the module docstring.
    sample_weight : array_like, optional
        One weight per image; batches become ``(x, y, weights)``.
    save_to_dir : str or Path, optional
        An existing folder; each augmented image is also written there as
        ``{save_prefix}_{index}_{hash}.{save_format}`` (``index`` its position
        in ``x``), taking the next free number when the name exists.
    subset : {"training", "validation"}, optional
        With the generator's ``validation_split`` v: validation is
        ``x[:int(v * n)]``, training the rest. Unless ``ignore_class_split``,
        both parts must contain the same classes of ``y``. **The validation
        subset is augmented too** when the generator augments: validate with
        a second generator that has the same ``validation_split`` and no
        random options.

    Notes
    -----
    One deliberate difference from Keras (both versions, compat modes
    included): with ``subset``, ``sample_weight`` is split like ``x`` and
    ``y``. Keras forgets to split it, so a training batch gets the weights
    of *other* samples (those of the first indices).

    Examples
    --------
    >>> import numpy as np
    >>> from augkit import ImageDataGenerator
    >>> x, y = np.zeros((10, 8, 8, 3), dtype=np.uint8), np.arange(10)
    >>> it = ImageDataGenerator(rotation_range=30).flow(x, y, batch_size=4, seed=0)
    >>> len(it), [batch.shape for batch in next(it)]
    (3, [(4, 8, 8, 3), (4,)])
    >>> it.transform_params(7, epoch=0) == it.transform_params(7, epoch=0)
    True
    """

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, sample_weight=None,
                 seed=None, save_to_dir=None, save_prefix="", save_format="png", subset=None,
                 ignore_class_split=False, workers=None):
        gen = image_data_generator
        arrays = array_source(x, y, sample_weight, subset, ignore_class_split, gen)
        self._start(arrays, arrays, gen, batch_size, shuffle, seed, save_to_dir, save_prefix, save_format,
                    subset, workers)

    def _start(self, arrays, source, gen, batch_size, shuffle, seed, save_to_dir, save_prefix, save_format,
               subset, workers):
        """Set the arrays' attributes, then serve ``source`` (``arrays``, or ``arrays`` paired with masks)."""
        self._arrays = arrays
        self.subset = subset
        self.save_to_dir = check_save_args(save_to_dir, save_prefix, save_format)
        self.save_prefix, self.save_format = save_prefix, save_format
        super().__init__(source, batch_size, shuffle, seed, gen, workers)
        channels = self.image_shape[-1 if self.data_format == "channels_last" else 0]
        if channels not in (1, 3, 4):
            warnings.warn(f"x has shape {arrays.images.shape}: with data_format={self.data_format!r} that is "
                          f"{channels} channels; images usually have 1, 3 or 4", stacklevel=4)

    # Keras's attributes, read from (and written to) the source the batches come from.
    x = property(lambda self: self._arrays.images, lambda self, value: setattr(self._arrays, "images", value))
    x_misc = property(lambda self: self._arrays.extras, lambda self, value: setattr(self._arrays, "extras", value))
    y = property(lambda self: self._arrays.y, lambda self, value: setattr(self._arrays, "y", value))
    sample_weight = property(lambda self: self._arrays.sample_weight,
                             lambda self, value: setattr(self._arrays, "sample_weight", value))


def array_source(x, y, sample_weight, subset, ignore_class_split, gen):
    """The :class:`~augkit.iterators.sources.ArraySource` of ``flow``'s arguments, checked and split."""
    images, extras = split_x(x)
    y = _per_sample_array(y, "y", "one target per image")
    sample_weight = _per_sample_array(sample_weight, "sample_weight", "one number per image")
    if sample_weight is not None and not (np.issubdtype(sample_weight.dtype, np.number)
                                          or sample_weight.dtype == bool):
        raise TypeError(f"sample_weight must hold numbers (one weight per image); got dtype "
                        f"{sample_weight.dtype}")
    _check_lengths(images, extras, y, sample_weight)
    split = check_subset(subset, gen)
    if split is not None:
        stop = int(len(images) * split[1]) if subset == "validation" else len(images)
        start = 0 if subset == "validation" else int(len(images) * split[0])
        cut = int(len(images) * gen.validation_split)
        if y is not None and not ignore_class_split and not np.array_equal(
                np.unique(y[:cut]), np.unique(y[cut:])):
            raise ValueError(
                "the training and validation subsets hold different classes after the split "
                f"(validation is the first {cut} samples). If x is sorted by label, shuffle it first; "
                "or pass ignore_class_split=True")
        images = images[start:stop]
        extras = [extra[start:stop] for extra in extras]
        y = None if y is None else y[start:stop]
        sample_weight = None if sample_weight is None else sample_weight[start:stop]
        if len(images) == 0:
            raise ValueError(f"subset={subset!r} is empty: {len(images)} samples with "
                             f"validation_split={gen.validation_split}")
    return ArraySource(images, extras, y, sample_weight)


def split_x(x):
    """``(images, [extra arrays])`` from ``x``, ``(images, extra)`` or ``(images, extra, ...)``.

    As in Keras, ``extra`` may be an array or a list of arrays; a tuple may
    also list several extra arrays directly (Keras ignores all but the
    first of those).
    """
    extras = []
    if isinstance(x, (tuple, list)):
        if len(x) < 2 or (isinstance(x, list) and len(x) != 2):
            raise ValueError(
                f"x given as a {type(x).__name__} must be (images, extra) - extra an array or a list of "
                f"arrays - or a tuple (images, extra, ...); got length {len(x)}. A list of single images "
                "is not accepted: stack them first with np.stack(images)")
        images, extra = x[0], x[1:] if len(x) > 2 else x[1]
        extras = [np.asarray(e) for e in extra] if isinstance(extra, (list, tuple)) else [np.asarray(extra)]
    else:
        images = x
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"x must be a batch of images of rank 4 (samples, rows, cols, channels); got "
                         f"shape {images.shape}. For one image use x[np.newaxis]; add a channel axis "
                         "to grey images with x[..., np.newaxis]")
    if not (np.issubdtype(images.dtype, np.number) or images.dtype == bool):
        raise TypeError(f"x must hold numbers; got dtype {images.dtype}")
    if len(images) == 0:
        raise ValueError("x holds no images (its first axis has length 0)")
    if 0 in images.shape:
        raise ValueError(f"x has shape {images.shape}: every image is empty (an axis of length 0); images "
                         "need at least one row, one column and one channel")
    return images, extras


def _per_sample_array(value, name, accepted):
    """``value`` as an array with one entry per sample (None stays None), or a clear error."""
    if value is None:
        return None
    if isinstance(value, (dict, set, frozenset, str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be an array or a sequence ({accepted}); got {type(value).__name__} "
                        f"{_short_repr(value)}")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be an array or a sequence ({accepted}) that numpy can stack; "
                         f"{error}") from None
    if array.ndim == 0:
        raise TypeError(f"{name} must be an array or a sequence ({accepted}); got {_short_repr(value)}")
    return array


def _short_repr(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _check_lengths(images, extras, y, sample_weight):
    for position, extra in enumerate(extras, start=1):
        if len(extra) != len(images):
            raise ValueError(f"all arrays in x must have the same length: the images have {len(images)}, "
                             f"extra array {position} has {len(extra)}")
    if y is not None and len(y) != len(images):
        raise ValueError(f"x and y must have the same length; got {len(images)} images "
                         f"(x.shape={images.shape}) and {len(y)} labels (y.shape={y.shape})")
    if sample_weight is not None and len(sample_weight) != len(images):
        raise ValueError(f"x and sample_weight must have the same length; got {len(images)} images "
                         f"and {len(sample_weight)} weights")
