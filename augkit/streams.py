"""The two random streams behind one interface; they hold no pixels.

Every random number augkit draws for augmentation comes from a stream made
here, and every stream is made by :meth:`ImageDataGenerator.stream
<augkit.ImageDataGenerator.stream>` (or, for the generator's own stream, by
:func:`new_stream`). A stream *draws*; :mod:`augkit.params` turns what it
draws into parameters.

* :class:`DefaultStream` (``compat=None``) is counter-based: what a sample
  gets depends only on ``(seed, epoch, index)``. For epoch ``e`` it draws
  ``numpy.random.default_rng([seed, e]).random((n, N_SLOTS))`` and sample
  ``i`` takes row ``i`` (:func:`augkit.params.sample_from_uniforms`); the
  shuffle order is ``default_rng([seed, e, 1]).permutation(n)`` and the
  numbers of ``save_to_dir`` names are
  ``default_rng([seed, e, 2]).integers(hash_range, size=n)[index]``. Its
  one-off draws (:meth:`~DefaultStream.draw`) come from
  ``numpy.random.default_rng(seed)``.
* :class:`KerasStream` (the compat modes) is Keras's single
  ``numpy.random.RandomState``, drawn in Keras's order: before each batch it
  is reseeded with ``seed + total_batches_seen`` (modulo 2**32, where Keras
  crashes), then the permutation, each sample's parameters
  (:func:`augkit.params.sample_legacy`) and ``randint(hash_range)`` for each
  saved name. Like Keras's global ``np.random``, the state is the
  generator's and is shared by the generator and every iterator it makes.

Both have the same methods, so the iterators (and the facade) never ask
which one they hold:

==========================================  ==========================================
``order(epoch, n)``                         the sample order of an epoch
``params(index_array, epoch, n, ranges,     the :class:`~augkit.params.TransformParams`
rows_cols)``                                of those samples
``hashes(index_array, epoch, n,             the numbers of their ``save_to_dir`` names
hash_range)``
``before_batch(total_batches_seen)``        Keras's reseeding (nothing by default)
``next_epoch(epoch)``                       the epoch after ``epoch`` (Keras: always 0)
``check_replayable()``                      whether a sample's parameters can be
                                            recomputed later (Keras: no, ValueError)
``epoch_bytes(n)``                          memory the draws of one epoch take
``draw(ranges, rows_cols, n)``              ``n`` one-off transforms, continuing
``checked_seed(seed, compat)``              the seed contract of this stream
``seeded(seed)``                            the stream a one-off draw with ``seed`` uses
``as_seed()``                               a ``seed`` that continues this stream
``child(seed)``                             a new stream for one iterator
==========================================  ==========================================

Examples
--------
>>> from augkit import ImageDataGenerator
>>> gen = ImageDataGenerator(rotation_range=30)
>>> stream = gen.stream(seed=0)
>>> stream
DefaultStream(seed=0)
>>> stream.order(epoch=0, n=5).tolist()
[1, 3, 4, 2, 0]
>>> round(stream.params([2], 0, 5, gen.ranges, (8, 8))[0].theta, 4)  # sample 2 of epoch 0
6.9231
>>> ImageDataGenerator(compat="tf_keras").stream(3)
KerasStream(seed=3)
"""

import numpy as np

from augkit.limits import LEGACY_SEED_MAX, check_seed
from augkit import params as sampling
from augkit.params import N_BASE_SLOTS, N_SLOTS, sample_legacy

__all__ = ["DefaultStream", "KerasStream", "largest_seed", "new_stream"]

#: The seed an iterator without one takes from its generator's stream is below this.
_DRAWN_SEED_RANGE = 2**63


class DefaultStream:
    """The default mode's stream: counter-based for iterators, a ``Generator`` for one-off draws.

    Parameters
    ----------
    seed : None, int >= 0 or numpy.random.Generator
        Checked by the caller (:func:`augkit.limits.check_seed`). An int is
        both the counter seed and the seed of :meth:`draw`'s generator; a
        Generator (or None, fresh entropy) serves :meth:`draw` and leaves
        ``seed`` None: :meth:`child` then draws an int from it for an
        iterator.
    """

    def __init__(self, seed=None):
        self.seed = None if seed is None or isinstance(seed, np.random.Generator) else int(seed)
        self._generator = seed if isinstance(seed, np.random.Generator) else None
        if seed is None:
            self._generator = np.random.default_rng()
        self._uniforms = {}  # epoch -> (n, N_SLOTS) uniforms; two epochs kept

    @property
    def generator(self):
        """The ``numpy.random.Generator`` of :meth:`draw` (``default_rng(seed)``, made when first used)."""
        if self._generator is None:
            self._generator = np.random.default_rng(self.seed)
        return self._generator

    def checked_seed(self, seed, compat=None):
        """None, an int >= 0 or a ``numpy.random.Generator`` (TypeError or ValueError otherwise)."""
        return check_seed(seed, legacy=False, generator_ok=True)

    def seeded(self, seed):
        """The stream a one-off draw with ``seed`` uses: this one for None, else ``DefaultStream(seed)``."""
        return self if seed is None else DefaultStream(seed)

    def child(self, seed=None):
        """A stream for one iterator: ``seed`` if an int, else an int drawn from ``seed`` or from this stream."""
        if seed is None:
            seed = self.generator
        if isinstance(seed, np.random.Generator):
            seed = int(seed.integers(_DRAWN_SEED_RANGE))
        return DefaultStream(seed)

    def as_seed(self):
        """A ``seed`` that makes a facade method continue this stream: its :attr:`generator`."""
        return self.generator

    def draw(self, ranges, rows_cols, n):
        """``n`` transforms from :attr:`generator`, continuing it (``n`` calls of one give the same)."""
        return sampling.sample(ranges, rows_cols, n, rng=self.generator)

    def before_batch(self, total_batches_seen):
        """Nothing: the default mode's draws do not depend on the batches."""

    def next_epoch(self, epoch):
        return epoch + 1

    def check_replayable(self):
        """Every sample's parameters can be recomputed from ``(seed, epoch, index)``."""

    def epoch_bytes(self, n):
        """Two epochs of ``N_SLOTS`` float64 uniforms and a permutation per sample."""
        return n * (2 * N_SLOTS + 1) * 8

    def order(self, epoch, n):
        """The shuffled order of epoch ``epoch``: ``default_rng([seed, epoch, 1]).permutation(n)``."""
        return np.random.default_rng([self._counter_seed(), epoch, 1]).permutation(n)

    def params(self, index_array, epoch, n, ranges, rows_cols):
        """Row ``index`` of ``default_rng([seed, epoch]).random((n, N_SLOTS))`` for each index, as parameters."""
        index = np.asarray(index_array, dtype=np.intp)
        rows = self._epoch_uniforms(epoch, n)[index]
        if sampling.extra_slots_needed(ranges):  # the colour and tone entries' slots: their own counter stream
            rows = np.hstack([rows, self._epoch_uniforms(epoch, n, extra=True)[index]])
        else:
            rows = np.hstack([rows, np.zeros((len(index), N_SLOTS - N_BASE_SLOTS))])
        return sampling.sample_from_uniforms(ranges, rows, rows_cols)

    def hashes(self, index_array, epoch, n, hash_range):
        """``default_rng([seed, epoch, 2]).integers(hash_range, size=n)`` at each index."""
        draws = np.random.default_rng([self._counter_seed(), epoch, 2]).integers(hash_range, size=n)
        return draws[np.asarray(index_array, dtype=np.intp)].tolist()

    def _counter_seed(self):
        if self.seed is None:
            raise ValueError("this stream has no int seed; make an iterator's stream with "
                             "ImageDataGenerator.stream(seed)")
        return self.seed

    def _epoch_uniforms(self, epoch, n, extra=False):
        key = (epoch, n, extra)
        if key not in self._uniforms:
            if len(self._uniforms) >= 4:  # n x N_SLOTS floats per epoch: keep two epochs
                self._uniforms.pop(min(self._uniforms))
            if extra:  # default_rng([seed, epoch, 3]) for the slots beyond Keras's arguments
                drawn = np.random.default_rng([self._counter_seed(), epoch, 3]).random((n, N_SLOTS - N_BASE_SLOTS))
            else:
                drawn = np.random.default_rng([self._counter_seed(), epoch]).random((n, N_BASE_SLOTS))
            self._uniforms[key] = drawn
        return self._uniforms[key]

    def __getstate__(self):
        """A copy (``copy.copy`` too) gets its own cache of uniforms, never a shared one."""
        return {**self.__dict__, "_uniforms": dict(self._uniforms)}

    def __repr__(self):
        return f"DefaultStream(seed={self.seed})"


class KerasStream:
    """The compat modes' stream: Keras's ``RandomState``, in Keras's order.

    Parameters
    ----------
    state : numpy.random.RandomState
        The generator's state, shared (Keras's one global stream).
    seed : None or int from 0 to 2**32 - 1
        Checked by the caller. None: never reseeded, the draws continue the
        state.
    """

    def __init__(self, state, seed=None):
        self.state = state
        self.seed = seed

    def checked_seed(self, seed, compat=None):
        """None or an int from 0 to 2**32 - 1, as Keras's ``np.random.seed`` takes."""
        if isinstance(seed, np.random.Generator):
            raise TypeError(f"seed={seed!r}: with compat={compat!r} the seed must be an int from 0 to "
                            "2**32 - 1 (Keras seeds numpy's legacy global state), not a Generator")
        return check_seed(seed, legacy=True)

    def seeded(self, seed):
        """The stream a one-off draw with ``seed`` uses: the shared state, reseeded with an int seed now."""
        stream = KerasStream(self.state, seed)
        stream.before_batch(0)
        return stream

    def child(self, seed=None):
        """A stream for one iterator, over the same state (Keras's global stream)."""
        return KerasStream(self.state, seed)

    def as_seed(self):
        """A ``seed`` that makes a facade method continue this stream: None (the shared state goes on)."""
        return None

    def draw(self, ranges, rows_cols, n):
        """``n`` transforms in Keras's order, continuing the state."""
        return [sample_legacy(ranges, self.state, rows_cols) for _ in range(n)]

    def before_batch(self, total_batches_seen):
        """Reseed with ``seed + total_batches_seen`` as Keras does (modulo 2**32, where Keras crashes)."""
        if self.seed is not None:
            self.state.seed((self.seed + total_batches_seen) % (LEGACY_SEED_MAX + 1))

    def next_epoch(self, epoch):
        return epoch  # Keras's stream knows no epochs

    def check_replayable(self):
        raise ValueError("transform_params is only available in the default mode (compat=None): "
                         "with a compat mode each draw depends on every draw before it, as in Keras")

    def epoch_bytes(self, n):
        return 0  # drawn a batch at a time

    def order(self, epoch, n):
        return self.state.permutation(n)

    def params(self, index_array, epoch, n, ranges, rows_cols):
        return self.draw(ranges, rows_cols, len(index_array))

    def hashes(self, index_array, epoch, n, hash_range):
        return [self.state.randint(hash_range) for _ in index_array]

    def __repr__(self):
        return f"KerasStream(seed={self.seed})"


def new_stream(convention, seed=None):
    """A generator's own stream for ``convention``: the one its ``seed=None`` draws continue.

    ``seed`` is for the default mode's stream (None: fresh entropy); a
    Keras stream starts from a fresh ``RandomState`` and is reseeded when a
    seed is given to a draw or an iterator.
    """
    if convention.random_stream == "legacy":
        return KerasStream(np.random.RandomState(), None)
    return DefaultStream(seed)


def largest_seed(convention):
    """The largest seed ``convention``'s stream accepts: 2**32 - 1 for Keras's ``RandomState``, None for no limit.

    Examples
    --------
    >>> from augkit.conventions import DOCUMENTED, TF_KERAS
    >>> largest_seed(TF_KERAS), largest_seed(DOCUMENTED)
    (4294967295, None)
    """
    return LEGACY_SEED_MAX if convention.random_stream == "legacy" else None
