"""Batches of augmented images: ``flow``, ``flow_from_directory``, ``flow_from_dataframe``.

The iterators behave like Keras's (``len(it)``, ``it[i]``, ``next(it)``
forever, ``on_epoch_end()``, ``reset()``, ``index_array``, ``batch_index``,
``total_batches_seen``) and give the same batches, labels and attributes.
What differs is how they draw random numbers and how fast they run.

Reproducible samples (default mode)
-----------------------------------
Each sample's random transform depends only on ``(seed, epoch, index)`` -
``index`` being the sample's position in the data the iterator serves (its
``x`` after any subset split, or its ``filenames``). For epoch ``e`` the
iterator draws each parameter's uniforms from its own stream,
``augkit.counters.uniforms(counter_hash(seed, e, 3, key), (n, slots))``, and sample
``i`` uses row ``i`` (see :func:`augkit.params.keyed_uniforms`),
so batch size, worker count, thread timing, the order of the batches and
options such as ``brightness_range`` never change which rotation, shift or
zoom a sample gets. Therefore

* ``iterator.transform_params(index, epoch)`` tells you afterwards exactly
  what was done to any sample, and
* an image iterator and a mask iterator made with the same geometric
  arguments and the same ``seed`` stay aligned sample by sample.

The shuffle order of epoch ``e`` is ``default_rng([seed, e, 1]).permutation(n)``.
Without a ``seed`` (or with a ``numpy.random.Generator``), an int seed is
drawn from the generator's own stream (or from that Generator) when the
iterator is made, and kept as ``iterator.seed``. Each iterator owns its
stream, ``iterator.stream``, made by ``ImageDataGenerator.stream(seed)``:
both schemes are in :mod:`augkit.streams`. An epoch ends when ``next()`` has
served every sample, or when ``on_epoch_end()`` is called (as ``model.fit``
does); ``reset()`` goes back to the first batch of the *same* epoch.

Keras's streams (compat modes)
------------------------------
With ``compat="keras_preprocessing"`` or ``"tf_keras"`` the iterators
reproduce Keras exactly: before each batch the stream is reseeded with
``seed + total_batches_seen``, the permutation and then each sample's
parameters are drawn in Keras's order - from the generator's own
``RandomState``, never numpy's global one - so the batches equal Keras's
``flow(...)`` batches for the same ``seed``.

Decisions where Keras is silent or surprising
---------------------------------------------
* ``save_to_dir`` must be an existing, writable folder (as in Keras, where
  saving fails later inside Pillow); augkit checks it, ``save_prefix`` and
  ``save_format`` when the iterator is made and creates nothing but the
  image files. Files are named ``{save_prefix}_{index}_{number}.{save_format}``
  like Keras's, and an existing file is never overwritten: if a name is
  taken (a notebook run twice with the same seed), the number goes up until
  the name is free. Keras differs here: it overwrites, and accepts a
  ``save_prefix`` such as ``"../x"`` that writes outside ``save_to_dir``;
  augkit refuses a prefix with a path separator, ``..``, NUL or a drive.
  Each file appears whole or not at all (see
  :func:`augkit.image_io.write_file`).
* An image file that is empty, truncated or undecodable raises
  :class:`~augkit.image_io.ImageFileError` naming the file when its batch
  is built; augkit never skips it silently (and never skips it at all:
  a data set that silently shrinks is worse than a clear stop).
* Every iterator needs at least one sample; ``subset`` needs a
  ``validation_split`` above 0.
* Arguments are checked when the iterator is made: ``batch_size`` and
  ``workers`` ints >= 1 (TypeError for a float or bool, where Keras fails
  inside a slice or yields empty batches), ``seed`` as every method of
  ``ImageDataGenerator`` takes it (see ``ImageDataGenerator.stream``: 0 to
  2**32 - 1 in the compat modes; any int >= 0 or a Generator otherwise),
  and a batch larger than this machine's memory (``batch_size`` times the
  image shape, e.g. from a huge ``target_size``) is refused before anything
  is allocated. In the compat modes Keras reseeds with ``seed +
  total_batches_seen`` and crashes once that passes 2**32 - 1; augkit wraps
  around modulo 2**32 (the same seeds wherever Keras does not crash).
* An iterator can be pickled or copied (``copy.copy``, ``copy.deepcopy``),
  as Keras's multiprocessing workers need on some platforms: the copy keeps
  the epoch, position and order and gives the same batches as the original
  from there; its thread pool and locks are made again when needed. (A
  shallow copy shares the generator, and so, in the compat modes without a
  ``seed``, its random stream.) A ``preprocessing_function`` that cannot be
  pickled makes pickling fail with a message saying so.

Speed
-----
Each batch is written into one array, over memory reused from the
iterator's earlier batches once nothing refers to them any more (a batch
you keep, or keep a view of, is never overwritten: see
:mod:`augkit.batch_memory`); the samples of a batch are augmented on a
thread pool of ``workers`` threads (scikit-image's warp and Pillow's
decoder release the GIL). The input array of ``flow`` is never copied: each
sample is converted when it is used. Measured on a quiet 2-core machine
(``benchmarks/bench_iterators.py``): ``flow`` with the standard config at
256x256x3 is ~3.7x keras-preprocessing's samples/s (~2.1x on one core),
and ``flow_from_directory`` without augmentation loads JPEGs as fast as a
bare Pillow loop with one worker, ~1.5x with two.
"""

import copy
import numbers
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from augkit.batch_memory import BatchMemory
from augkit.finite import cast_image
from augkit.image_io import ImageFileError, save_img, writable_format
from augkit.limits import check_memory
from augkit.params import NEUTRAL

__all__ = ["BatchIterator", "BatchIndexError", "ImageFileError", "standardizes",
           "overridden"]

SUBSETS = ("training", "validation")


class BatchIndexError(IndexError, ValueError):
    """``it[i]`` with ``i`` out of range (an IndexError, and a ValueError as in Keras)."""


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} must be an int >= {minimum}; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}={value!r} must be an int >= {minimum}")
    return int(value)


def _default_workers():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def check_subset(subset, generator):
    """Keras's ``(start, stop)`` fractions for ``subset`` (None = everything)."""
    if subset is None:
        return None
    if subset not in SUBSETS:
        raise ValueError(f"subset={subset!r} is not supported; use 'training', 'validation' or None")
    split = generator.validation_split
    if split == 0:
        raise ValueError(f"subset={subset!r} needs a validation_split > 0 in the ImageDataGenerator "
                         "(it is 0, so there is nothing to split)")
    return (0.0, split) if subset == "validation" else (split, 1.0)


#: Longest ``save_prefix`` (bytes): with ``_{index}_{number}.{format}`` a name stays under 255.
_MAX_PREFIX_BYTES = 200


def check_save_args(save_to_dir, save_prefix, save_format):
    """Validate ``save_to_dir``, ``save_prefix`` and ``save_format``; the folder as a str.

    ``save_to_dir`` must be an existing, writable folder; ``save_prefix`` a
    plain name fragment, so that ``{save_prefix}_{index}_{number}.{save_format}``
    always names a file inside ``save_to_dir``; ``save_format`` a format
    Pillow writes. Nothing is checked when ``save_to_dir`` is None (nothing
    is saved).
    """
    if save_to_dir is None:
        return None
    if not isinstance(save_to_dir, (str, os.PathLike)):
        raise TypeError(f"save_to_dir must be None, a str or a Path; got {save_to_dir!r}")
    folder = os.fspath(save_to_dir)
    if isinstance(folder, bytes):
        raise TypeError(f"save_to_dir must be None, a str or a Path; got bytes {folder!r}")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise NotADirectoryError(f"save_to_dir='{folder}' is a file, not a folder; give the folder "
                                 "to save augmented images in")
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"save_to_dir='{folder}' is not an existing folder; create it first, e.g. "
            "Path(save_to_dir).mkdir(parents=True) (augkit, like Keras, creates no folders)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"save_to_dir='{folder}' is a folder you cannot write in; "
                              "give a folder you own or change its permissions")
    _check_save_prefix(save_prefix)
    writable_format(save_format, name="save_format")  # letters and digits only: a safe suffix
    return folder


#: What ``save_prefix`` may be, for error messages.
_PREFIX_RULE = ("a plain file-name prefix such as 'aug' or '' (no '/', '\\\\', '..' or NUL; not absolute; "
                f"at most {_MAX_PREFIX_BYTES} bytes), so files stay inside save_to_dir")


def _check_save_prefix(save_prefix):
    """``save_prefix`` must keep every saved name inside ``save_to_dir``."""
    if not isinstance(save_prefix, str):
        raise TypeError(f"save_prefix must be a str; got {save_prefix!r}; use {_PREFIX_RULE}")
    try:
        size = len(os.fsencode(save_prefix))
    except UnicodeError:
        size = None
    escapes = ("/" in save_prefix or "\\" in save_prefix or ".." in save_prefix or "\0" in save_prefix
               or os.path.isabs(save_prefix) or ":" in save_prefix[1:2])  # "C:x" names a Windows drive
    if escapes or size is None or size > _MAX_PREFIX_BYTES:
        raise ValueError(f"save_prefix={save_prefix!r} is not accepted; use {_PREFIX_RULE}")


class BatchIterator:
    """Keras's ``Iterator``: indices, epochs, batches, a thread pool.

    Subclasses set ``self.image_shape``, ``self.save_to_dir`` (and
    ``save_prefix``, ``save_format``) and implement ``_load(index)`` (one
    sample before augmentation, an array of any numeric dtype in
    ``data_format``) and ``_outputs(batch_x, index_array)`` (what a batch
    returns).

    Attributes
    ----------
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

    def __init__(self, n, batch_size, shuffle, seed, generator, workers=None):
        if n == 0:
            raise ValueError("there are no samples to iterate over")
        self.n = n
        self.batch_size = _check_int(batch_size, "batch_size", 1)
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}")
        self.shuffle = bool(shuffle)
        self.image_data_generator = generator  # Keras's attribute; never called while building a batch
        self.augmenter = generator.augmenter
        self.normalizer = generator.normalizer
        self._transform_hook = overridden(generator, "apply_transform")
        self._standardize_hook = overridden(generator, "standardize")
        self.stream = generator.stream(seed)
        self.workers = _default_workers() if workers is None else _check_int(workers, "workers", 1)
        self.dtype = generator.dtype
        self.data_format = generator.data_format
        self._check_memory()
        if self.normalizer.changes_images:
            self.normalizer.check_image_shape(self.image_shape)  # statistics fitted on other images
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
        index = _check_int(index, "index", 0)
        if index >= self.n:
            raise IndexError(f"index={index} is out of range for {self.n} samples")
        epoch = _check_int(epoch, "epoch", 0)
        with self.lock:
            return self._draw_params([index], epoch)[0]

    def _draw_params(self, index_array, epoch):
        """Parameters for a batch (under the lock: Keras's stream is sequential)."""
        return self.augmenter.make_params(self.image_shape, self.stream, index_array, epoch, self.n)

    # --- building a batch -----------------------------------------------------

    def _batch(self, index_array, params, epoch):
        batch_x = self._batch_array((len(index_array),) + tuple(self.image_shape))
        needs_standardize = self.normalizer.changes_images

        def fill(i):
            batch_x[i] = self._augmented(self._load(index_array[i]), index_array[i], params[i],
                                         needs_standardize)

        self._map(fill, range(len(index_array)))
        if self.save_to_dir is not None:
            self._save(batch_x, index_array, epoch)
        return self._outputs(batch_x, index_array)

    def _augmented(self, image, index, sample_params, needs_standardize):
        """One sample's image, transformed and standardised, in the batch's dtype."""
        if sample_params != NEUTRAL:
            image = self._transform(image, sample_params)
        return self._finish(image, index, needs_standardize)

    def _transform(self, image, sample_params):
        """The augmenter's ``apply``, or a subclass's ``apply_transform`` override (see :func:`overridden`)."""
        if self._transform_hook is not None:
            return self._transform_hook(image, sample_params)
        return self.augmenter.apply(sample_params, image)

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
        items = list(items)
        if self.workers == 1 or len(items) == 1:
            for item in items:
                function(item)
            return
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="augkit")
                weakref.finalize(self, self._pool.shutdown, wait=False)
            pool = self._pool
        for _ in pool.map(function, items):  # re-raises a worker's exception here
            pass

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

    def _save(self, batch_x, index_array, epoch):
        """Write each image as ``{prefix}_{index}_{hash}.{format}``, whole, never overwriting."""
        for image, index, number in zip(batch_x, index_array, self._hashes(index_array, epoch)):
            while True:
                try:
                    self._save_one(self._save_path(index, number), image, self.save_format)
                    break
                except FileExistsError:
                    number += 1  # taken (e.g. a notebook run twice): the next free name

    def _save_path(self, index, number, suffix=None):
        """``save_to_dir/{save_prefix}_{index}_{number}{suffix}``; ``suffix`` defaults to ``.{save_format}``."""
        suffix = f".{self.save_format}" if suffix is None else suffix
        return os.path.join(self.save_to_dir, f"{self.save_prefix}_{index}_{number}{suffix}")

    def _save_one(self, path, image, file_format, scale=True, data_format=None):
        """``save_img`` without overwriting; a folder problem is reported as ``save_to_dir``'s."""
        try:
            save_img(path, image, file_format=file_format, scale=scale,
                     data_format=data_format or self.data_format)
        except FileExistsError:
            raise
        except OSError as err:
            raise type(err)(err.errno, f"save_to_dir='{self.save_to_dir}': {err.strerror or err} "
                            "(was the folder moved, deleted or made read-only?)", err.filename) from err


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
