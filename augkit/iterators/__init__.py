"""Batches of augmented images: ``flow``, ``flow_pairs``, ``flow_from_directory``, ``flow_from_dataframe``.

One batch iterator (:class:`BatchIterator`, :mod:`augkit.iterators.batches`)
over *sources* (:mod:`augkit.iterators.sources`): arrays
(:class:`NumpyArrayIterator`), files in class folders or listed by a
DataFrame (:class:`DirectoryIterator`, :class:`DataFrameIterator`) and
images paired with masks (:class:`PairedArrayIterator`,
:class:`PairedDirectoryIterator`). Every iterator is handed the
generator's augmenter, its normalizer and a stream of its own, and never
calls back into the generator.

The iterators behave like Keras's (``len(it)``, ``it[i]``, ``next(it)``
forever, ``on_epoch_end()``, ``reset()``, ``index_array``, ``batch_index``,
``total_batches_seen``) and give the same batches, labels and attributes.
What differs is how they draw random numbers and how fast they run.

Reproducible samples (default mode)
-----------------------------------
Each sample's random transform depends only on ``(seed, epoch, index)`` -
``index`` being the sample's position in the data the iterator serves (its
``x`` after any subset split, or its ``filenames``). For epoch ``e`` the
iterator draws each parameter's uniforms from its own counter-based stream,
``augkit.counters.uniforms(counter_hash(seed, e, 3, key), (n, slots))``, and
sample ``i`` uses row ``i`` (see :func:`augkit.params.keyed_uniforms`),
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

from augkit.decode import ImageFileError
from augkit.iterators.arguments import SUBSETS, check_save_args, check_subset
from augkit.iterators.arrays import NumpyArrayIterator, split_x
from augkit.iterators.batches import BatchIndexError, BatchIterator, overridden, standardizes
from augkit.iterators.files import DataFrameIterator, DirectoryIterator, FileIterator
from augkit.iterators.paired import PairedArrayIterator, PairedDirectoryIterator
from augkit.iterators.sources import ArraySource, FilePairSource, FileSource, PairedSource

__all__ = [
    "ArraySource", "BatchIndexError", "BatchIterator", "DataFrameIterator", "DirectoryIterator",
    "FileIterator", "FilePairSource", "FileSource", "ImageFileError", "NumpyArrayIterator",
    "PairedArrayIterator", "PairedDirectoryIterator", "PairedSource", "SUBSETS", "check_save_args",
    "check_subset", "overridden", "split_x", "standardizes",
]
