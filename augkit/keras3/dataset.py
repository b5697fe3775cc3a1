"""Hand augkit iterators to Keras 3's ``model.fit``, ``evaluate`` and ``predict``.

Keras 3 accepts a ``keras.utils.PyDataset`` (or a Python generator with
``steps_per_epoch``), not an arbitrary iterator object: passing an augkit
iterator directly raises ``ValueError: Unrecognized data type``.
:func:`as_keras_dataset` wraps one in a ``PyDataset`` that delegates every
call to it::

    train = as_keras_dataset(generator.flow_from_directory(...))
    model.fit(train, epochs=5, validation_data=as_keras_dataset(val_iterator))

What Keras then does with it:

* one epoch is ``len(iterator)`` batches, ``ceil(n / batch_size)`` - the
  last one may be smaller. ``steps_per_epoch`` may be *smaller* than that
  (the next epoch goes on with the next batch numbers) but not larger: Keras
  warns "Your input ran out of data" and stops training. To serve more
  batches per epoch, as ``fit_generator`` used to, pass the endless iterator
  as a generator instead: ``model.fit((batch for batch in iterator),
  steps_per_epoch=...)``.
* Keras asks for batch ``i`` with ``dataset[i]``: ``fit`` in a shuffled
  order of ``i`` (its ``shuffle=True``; Python's ``random``, seeded by
  ``keras.utils.set_random_seed``), ``evaluate`` and ``predict`` in order.
  It calls ``on_epoch_end()`` when ``fit``, ``evaluate`` or ``predict``
  start (they reset their data) and after every epoch, so the iterator
  reshuffles and, in augkit's default mode, draws new transforms for every
  epoch. ``iterator.epoch`` is the epoch being served (read it in a
  callback's ``on_epoch_begin``), and ``iterator.transform_params(index,
  epoch)`` replays what any sample got.
* ``model.predict`` returns one row per sample in the order the iterator
  serves them; with ``shuffle=False`` that is the order of
  ``iterator.filenames`` (or of ``x`` for ``flow``).

keras is imported only when :func:`as_keras_dataset` is called: augkit itself
does not need it.
"""

__all__ = ["as_keras_dataset"]


def as_keras_dataset(iterator, *, workers=1, max_queue_size=10):
    """Wrap an augkit iterator as a ``keras.utils.PyDataset`` for Keras 3.

    Parameters
    ----------
    iterator : augkit iterator
        What ``flow``, ``flow_from_directory`` or ``flow_from_dataframe``
        returns (anything with ``len``, ``it[i]`` and ``on_epoch_end()``).
        Its batches are passed on unchanged: ``(x, y)``, ``(x, y, weights)``
        or ``x`` alone (``class_mode=None``, or ``flow`` without ``y``; for
        ``predict``). The inputs of ``flow((images, extra))`` without ``y``,
        a list, are passed as ``([images, extra],)`` so that Keras does not
        take ``extra`` for targets.
    workers : int, default 1
        Threads Keras uses to prepare batches ahead of training (Keras's
        ``PyDataset(workers=...)``). 1 is usually enough: the iterator
        already augments the samples of each batch on its own thread pool.
        With more, Keras prefetches across the end of an epoch, so some
        batches of an epoch are made before ``on_epoch_end()`` reaches the
        iterator, i.e. with the previous epoch's order and transforms
        (training is unaffected, but ``iterator.epoch`` read in a callback is
        then not the epoch those batches came from). Keras's multiprocessing
        is not offered: it would copy the iterator into other processes.
    max_queue_size : int, default 10
        Batches Keras keeps ready when ``workers > 1``.

    Returns
    -------
    keras.utils.PyDataset
        A new dataset whose ``len``, ``[i]`` and ``on_epoch_end()`` are the
        iterator's; the iterator is available as its ``.iterator``.

    Raises
    ------
    ImportError
        If Keras 3 is not installed (``pip install keras jax``; set
        ``KERAS_BACKEND=jax`` before importing keras).
    TypeError
        If ``iterator`` lacks ``__len__``, ``__getitem__`` or ``on_epoch_end``.

    Examples
    --------
    >>> import numpy as np
    >>> from augkit import ImageDataGenerator
    >>> it = ImageDataGenerator(rotation_range=10).flow(np.zeros((5, 8, 8, 1)), np.arange(5), batch_size=2)
    >>> dataset = as_keras_dataset(it)  # doctest: +SKIP
    >>> len(dataset), dataset[2][0].shape  # doctest: +SKIP
    (3, (1, 8, 8, 1))

    (Skipped by the docstring test so that it passes without keras;
    ``tests/test_keras_adapter.py`` runs this example.)
    """
    missing = [name for name in ("__len__", "__getitem__", "on_epoch_end") if not hasattr(iterator, name)]
    if missing:
        raise TypeError(f"as_keras_dataset needs an augkit iterator (from flow, flow_from_directory or "
                        f"flow_from_dataframe); {type(iterator).__name__} has no {', '.join(missing)}")
    try:
        import keras
    except ImportError as err:
        raise ImportError("as_keras_dataset needs Keras 3: `pip install keras jax` and set the "
                          "environment variable KERAS_BACKEND=jax before importing keras "
                          f"({err})") from err
    return _dataset_class(keras.utils.PyDataset)(iterator, workers=workers, max_queue_size=max_queue_size)


_CLASSES = {}


def _dataset_class(base):
    """The ``PyDataset`` subclass, made once per Keras base class (keras is imported lazily)."""
    if base not in _CLASSES:

        class AugkitDataset(base):
            """An augkit iterator seen by Keras as a ``PyDataset`` (see :func:`as_keras_dataset`)."""

            def __init__(self, iterator, workers=1, max_queue_size=10):
                super().__init__(workers=workers, use_multiprocessing=False, max_queue_size=max_queue_size)
                self.iterator = iterator

            def __len__(self):
                return len(self.iterator)

            def __getitem__(self, index):
                batch = self.iterator[index]
                # ``flow((images, extra))`` without ``y`` gives the list of inputs alone; Keras
                # would read a list as (inputs, targets), so it is passed as (inputs,).
                return (batch,) if isinstance(batch, list) else batch

            def on_epoch_end(self):
                self.iterator.on_epoch_end()

            def __repr__(self):
                return f"<AugkitDataset of {len(self)} batches from {type(self.iterator).__name__}>"

        _CLASSES[base] = AugkitDataset
    return _CLASSES[base]
