"""The batch iterator: Keras's ``Iterator`` over a source, with one batch loop.

:class:`BatchIterator` holds what every iterator shares: the order of the
samples and the epochs (``len(it)``, ``it[i]``, ``next(it)``,
``on_epoch_end()``, ``reset()``), the random stream, the worker threads,
the batch memory and ``save_to_dir``. Its one batch loop loads each sample
from the iterator's *source* (:mod:`augkit.iterators.sources`: arrays,
files, or images paired with masks), applies the generator's augmenter to
the image - and through the same matrix to the mask, if there is one -
standardises the image with the normalizer and writes both into the batch.
The plain and the paired iterators differ only in their source. See
:mod:`augkit.iterators` for the random schemes and the decisions where
Keras is silent.
"""

import copy
import numbers
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from augkit.batch_memory import BatchMemory
from augkit.finite import cast_image
from augkit.iterators import direct
from augkit.iterators.arguments import check_int, default_workers
from augkit.iterators.direct import is_neutral
from augkit.iterators.saving import Saver
from augkit.iterators.workers import run_shared
from augkit.limits import check_memory

__all__ = ["BatchIndexError", "BatchIterator", "overridden", "standardizes"]

class BatchIndexError(IndexError, ValueError):
    """``it[i]`` with ``i`` out of range (an IndexError, and a ValueError as in Keras)."""


class BatchIterator:
    """Keras's ``Iterator``: indices, epochs, batches, a thread pool.

    Subclasses set ``self.save_to_dir`` (and ``save_prefix``,
    ``save_format``), already checked, and hand ``__init__`` their
    ``source`` (see :mod:`augkit.iterators.sources`), which says what a
    sample is and what a batch returns.

    Attributes
    ----------
    source : ArraySource, FileSource or PairedSource
        Where the samples come from.
    n : int
        Number of samples served.
    batch_size, shuffle, seed
        As given (``seed`` drawn at creation in the default mode if None or a
        ``numpy.random.Generator``).
    image_data_generator : ImageDataGenerator
        The generator (Keras's attribute). Building a batch never calls its
        methods, except a subclass's ``apply_transform`` or ``standardize``
        override (see :func:`overridden`).
    augmenter : augkit.pipeline.Augmenter
        The generator's augmenter, taken when the iterator is made: it draws
        each sample's parameters from ``stream`` and applies them.
    normalizer : augkit.normalization.Normalizer
        The generator's normalizer (the same object, so statistics fitted
        later are used), applied to each sample after its transform.
    stream : augkit.streams.DefaultStream or augkit.streams.KerasStream
        This iterator's random stream (``generator.stream(seed)``): the
        order, each sample's parameters and ``save_to_dir``'s numbers all
        come from it.
    epoch : int
        Default mode: the epoch of the batch served last (0 at first); it
        goes up when ``next()`` starts a new pass or ``on_epoch_end()`` is
        called.
    index_array : ndarray or None
        The sample order of the current epoch (None before the first batch).
    batch_index : int
        Position of the next batch of ``next()`` within the epoch.
    total_batches_seen : int
        Batches served so far (``next()`` and ``it[i]``).
    """

    hash_range = 10**4  # Keras's range for the random part of save_to_dir names
    mixing = None  # a MixStage when a flow* method's mix= asked for MixUp or CutMix

    def __init__(self, source, batch_size, shuffle, seed, generator, workers=None):
        if source.n == 0:
            raise ValueError("there are no samples to iterate over")
        self.source = source
        self.n = source.n
        self.image_shape = source.image_shape
        self.batch_size = check_int(batch_size, "batch_size", 1)
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}")
        self.shuffle = bool(shuffle)
        self.image_data_generator = generator  # Keras's attribute; never called while building a batch
        self.augmenter = generator.augmenter
        self.normalizer = generator.normalizer
        self._transform_hook = overridden(generator, "apply_transform")
        self._standardize_hook = overridden(generator, "standardize")
        self.stream = generator.stream(seed)
        self.workers = default_workers() if workers is None else check_int(workers, "workers", 1)
        self.dtype = generator.dtype
        self.data_format = generator.data_format
        self._check_memory()
        if self.normalizer.changes_images:  # statistics fitted on other images (or not on crops)
            self.normalizer.check_image_shape(self.augmenter.output_shape(self.image_shape))
        self.epoch = 0
        self.batch_index = 0
        self.total_batches_seen = 0
        self.index_array = None
        self.lock = threading.Lock()
        self._pass_done = False
        self._pool = None
        self._pool_lock = threading.Lock()
        self._batch_memory = BatchMemory()  # see _batch_array

    @property
    def seed(self):
        """The seed of this iterator's stream: an int in the default mode, as given (or None) in the compat modes."""
        return self.stream.seed

    # --- order of the samples -------------------------------------------------

    def _set_index_array(self):
        self.index_array = self.stream.order(self.epoch, self.n) if self.shuffle else np.arange(self.n)

    def _check_memory(self):
        """Refuse a batch (or the per-epoch draws) larger than this machine's memory, before allocating."""
        per_sample = int(np.prod(self.image_shape, dtype=object)) * self.dtype.itemsize
        batch = min(self.batch_size, self.n)
        target_size = getattr(self, "target_size", None)  # file iterators: the shape comes from target_size
        shape_from = f"target_size={target_size}" if target_size is not None else "x"
        check_memory(batch * per_sample, f"batch_size={self.batch_size} with images of shape "
                                         f"{tuple(self.image_shape)} ({shape_from}; a batch of {batch} images, "
                                         f"{self.dtype.name})")
        check_memory(self.stream.epoch_bytes(self.n), f"{self.n} samples (the random draws of an epoch)")

    # --- pickling and copying ---------------------------------------------------

    def __getstate__(self):
        """Everything but the threads, locks and reusable batch arrays (made again when needed).

        A pickled or copied iterator continues from the same state (epoch,
        batch position, order) and gives the same batches as the original
        would. A thread pool or a lock cannot be pickled; Keras's
        multiprocessing workers pickle iterators on some platforms.
        """
        state = {name: value for name, value in self.__dict__.items() if not isinstance(value, BatchMemory)}
        state["stream"] = copy.copy(self.stream)  # its own cache of draws; a Keras stream's state stays shared
        for name in ("lock", "_pool", "_pool_lock"):
            state.pop(name, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.lock = threading.Lock()
        self._pool = None
        self._pool_lock = threading.Lock()
        self._batch_memory = BatchMemory()

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        """End the epoch: the next batches come from a new epoch (reshuffled)."""
        with self.lock:  # never let a concurrent it[i] see a new epoch with the old order
            self.epoch = self.stream.next_epoch(self.epoch)
            self._pass_done = False
            self._set_index_array()

    def reset(self):
        """Restart ``next()`` at the first batch (of the same epoch in the default mode)."""
        with self.lock:
            self.batch_index = 0
            self._pass_done = False

    def _next_index_array(self):
        """Keras's ``_flow_index`` step; returns the batch's indices and epoch."""
        self.stream.before_batch(self.total_batches_seen)
        if self.batch_index == 0:
            if self._pass_done:
                self.epoch = self.stream.next_epoch(self.epoch)
            self._pass_done = False
            self._set_index_array()
        current = (self.batch_index * self.batch_size) % self.n
        if self.n > current + self.batch_size:
            self.batch_index += 1
        else:
            self.batch_index = 0
            self._pass_done = True
        self.total_batches_seen += 1
        return self.index_array[current:current + self.batch_size], self.epoch

    def __getitem__(self, idx):
        if isinstance(idx, bool) or not isinstance(idx, numbers.Integral):
            raise TypeError(f"batch index must be an int; got {idx!r}")
        if not 0 <= idx < len(self):
            raise BatchIndexError(f"asked for batch {idx}, but the iterator has {len(self)} batches "
                                  f"(0 to {len(self) - 1})")
        with self.lock:
            self.stream.before_batch(self.total_batches_seen)
            self.total_batches_seen += 1
            if self.index_array is None:
                self._set_index_array()
            index_array = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
            epoch = self.epoch
            params = self._draw_params(index_array, epoch)
        return self._batch(index_array, params, epoch)

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            index_array, epoch = self._next_index_array()
            params = self._draw_params(index_array, epoch)
        return self._batch(index_array, params, epoch)

    def next(self):
        """The next batch (Keras's name for ``next(iterator)``)."""
        return self.__next__()

    def __repr__(self):
        mode = self.image_data_generator.convention.argument or f"epoch {self.epoch}"
        return (f"<{type(self).__name__}: {self.n} samples of shape {tuple(self.image_shape)}, "
                f"{len(self)} batches of {self.batch_size}, shuffle={self.shuffle}, seed={self.seed}, "
                f"{mode}>")

    # --- random parameters ----------------------------------------------------

    def transform_params(self, index, epoch=0):
        """The :class:`~augkit.params.TransformParams` sample ``index`` gets in ``epoch``.

        ``index`` is the sample's position in the data this iterator serves
        (its ``x`` after any subset split, or its ``filenames``), not a
        position in a batch. Only in the default mode: Keras's stream depends
        on everything drawn before.
        """
        self.stream.check_replayable()
        index = check_int(index, "index", 0)
        if index >= self.n:
            raise IndexError(f"index={index} is out of range for {self.n} samples")
        epoch = check_int(epoch, "epoch", 0)
        with self.lock:
            return self._draw_params([index], epoch)[0]

    def _draw_params(self, index_array, epoch):
        """Parameters for a batch (under the lock: Keras's stream is sequential)."""
        return self.augmenter.make_params(self.image_shape, self.stream, index_array, epoch, self.n)

    # --- building a batch -----------------------------------------------------

    def _batch(self, index_array, params, epoch):
        """The one batch loop: load, transform (image and mask alike), standardise, save, mix (if asked)."""
        batch_x, batch_masks = self.augmented(index_array, params)
        if self.save_to_dir is not None:
            if batch_masks is None:
                self._save(batch_x, index_array, epoch)
            else:
                self._save_pairs(batch_x, batch_masks, index_array, epoch)
        batch = self.source.outputs(batch_x, index_array, batch_masks)
        if self.mixing is not None:  # MixUp / CutMix with partners (augkit.iterators.mixing_stage)
            batch = self.mixing.mix(self, batch, index_array, epoch)
        return batch

    def augmented(self, index_array, params):
        """The samples ``index_array`` with their ``params``, as ``(images, masks or None)`` batch arrays."""
        source, count = self.source, len(index_array)
        batch_x = self._batch_array((count,) + self.augmenter.output_shape(self.image_shape))  # crop_size's
        batch_masks = None
        if source.mask_shape is not None:
            batch_masks = self._batch_array((count,) + self.augmenter.output_shape(source.mask_shape),
                                            source.mask_dtype, memory="_mask_memory")
        needs_standardize = self.normalizer.changes_images
        matrices = self._batch_matrices(params, batch_masks is None)
        shortcut = None if matrices is None or needs_standardize else direct.plan(
            self.augmenter, params, matrices, self.image_shape, self.dtype)
        direct_samples, write = shortcut or ((False,) * count, None)
        rows = direct.array_rows(source, batch_x.dtype, self._checked) if shortcut else None  # flow's x, checked

        def fill(i):
            index, sample_params = index_array[i], params[i]
            image, mask = (rows[index], None) if rows is not None else source.sample(index)
            if direct_samples[i] and (rows is not None or self._checked(image) and image.dtype == batch_x.dtype):
                write(i, image, batch_x[i])  # one warp, straight into the batch (augkit.iterators.direct)
                return
            if not is_neutral(sample_params):
                if matrices is not None and self._checked(image):
                    image = self.augmenter.apply_in_batch(sample_params, image, matrices[i])
                else:
                    image, mask = self._transform(image, sample_params, mask)
            batch_x[i] = self._finish(image, index, needs_standardize)
            if batch_masks is not None:
                batch_masks[i] = mask

        self._map(fill, range(count))
        return batch_x, batch_masks

    def _batch_matrices(self, params, without_masks):
        """The batch's matrices in one pass (:meth:`Augmenter.batch_matrices`), for the augmenter's own ``apply``
        on images without masks; None where the samples go through :meth:`_transform` one by one."""
        if not without_masks or self._transform_hook is not None or not params:
            return None
        return self.augmenter.batch_matrices(params, self.image_shape)

    def _checked(self, image):
        """Whether ``image`` is an array of ``image_shape`` that ``check_image`` accepts; checked in full
        once per shape and dtype, since the check reads nothing else."""
        if type(image) is not np.ndarray or image.shape != tuple(self.image_shape):
            return False
        key = (image.dtype, self.augmenter.data_format)
        if key != getattr(self, "_checked_key", None):
            self.augmenter.check_image(image)
            self._checked_key = key
        return True

    def _transform(self, image, sample_params, mask=None):
        """The augmenter's ``apply`` (image and mask through one matrix); with an overridden
        ``apply_transform`` (see :func:`overridden`), the image through it and the mask
        through the augmenter."""
        if mask is None:
            if self._transform_hook is not None:
                return self._transform_hook(image, sample_params), None
            return self.augmenter.apply(sample_params, image), None
        options = self.source.mask_options
        if self._transform_hook is not None:
            return (self._transform_hook(image, sample_params),
                    self.augmenter.apply_mask(sample_params, mask, **options))
        return self.augmenter.apply(sample_params, image, mask, **options)

    def _finish(self, image, index, needs_standardize):
        """Standardised (by the normalizer, or a subclass's ``standardize``) or cast to the batch's dtype."""
        if needs_standardize:
            standardize = self._standardize_hook or self.normalizer.standardize
            return standardize(image)  # in the batch's dtype already
        if image.dtype != self.dtype:
            return cast_image(image, self.dtype, name=f"x[{index}]")
        return image

    def _batch_array(self, shape, dtype=None, memory="_batch_memory"):
        """An array for a new batch, over the memory of an earlier batch nobody refers to any more.

        Fresh memory for every batch (25 MB at 32 x 256 x 256 x 3 float32)
        costs page faults that can halve the loading rate. The memory of a
        batch comes back only when the batch, every view of it and its
        ``base`` are gone (a finalizer, never a reference count: see
        :mod:`augkit.batch_memory`).
        """
        pool = self.__dict__.get(memory)
        if pool is None:  # a second pool (e.g. for masks) is made on first use
            pool = self.__dict__[memory] = BatchMemory()
        return pool.array(shape, self.dtype if dtype is None else dtype)

    def _map(self, function, items):
        """``function(item)`` for each item, shared by the workers (:func:`augkit.iterators.workers.run_shared`)."""
        several = self.workers > 1 and len(items) > 1
        run_shared(function, items, self._worker_pool() if several else None, self.workers)

    def _worker_pool(self):
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="augkit")
                weakref.finalize(self, self._pool.shutdown, wait=False)
            return self._pool

    def close(self):
        """Stop the worker threads (they are also stopped when the iterator is deleted) and free spare batch memory."""
        for memory in [value for value in self.__dict__.values() if isinstance(value, BatchMemory)]:
            memory.clear()  # the images' pool, and the masks' in paired iterators
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    # --- save_to_dir -----------------------------------------------------------

    def _hashes(self, index_array, epoch):
        """The numbers of the samples' ``save_to_dir`` names, from this iterator's stream."""
        return self.stream.hashes(index_array, epoch, self.n, self.hash_range)

    def _saver(self):
        return Saver(self.save_to_dir, self.save_prefix, self.save_format, self.data_format)

    def _save(self, batch_x, index_array, epoch):
        """Write each image as ``{prefix}_{index}_{hash}.{format}``, whole, never overwriting."""
        self._saver().save(batch_x, index_array, self._hashes(index_array, epoch))

    def _save_pairs(self, batch_x, batch_masks, index_array, epoch):
        """``{prefix}_{index}_{hash}.{format}`` and ``..._mask.png`` (labels as grey levels)."""
        pictures = [self.source.mask_picture(self.augmenter.channels_last(mask)) for mask in batch_masks]
        self._saver().save_pairs(batch_x, pictures, index_array, self._hashes(index_array, epoch))


def standardizes(gen):
    """Whether ``gen.standardize`` would change anything."""
    return gen.normalizer.changes_images


def overridden(generator, name):
    """``generator.name`` if a subclass (or the instance) replaces ImageDataGenerator's method, else None.

    Keras's iterators call the generator's ``apply_transform`` and
    ``standardize`` for every sample, so a Keras user may subclass
    ``ImageDataGenerator`` and override them. augkit's iterators use the
    generator's augmenter and normalizer directly, and call such an
    override instead (only then); this is decided once, when the iterator
    is made.
    """
    from augkit.generator import ImageDataGenerator

    own = vars(generator).get(name) if hasattr(generator, "__dict__") else None
    if own is None and getattr(type(generator), name, None) is getattr(ImageDataGenerator, name):
        return None
    return getattr(generator, name)
