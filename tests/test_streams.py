"""The two random streams (augkit.streams) give exactly what augkit drew before them (issue 15).

The compat modes' pinned numbers were computed with the code before the
streams existed (the iterators' own ``if self._legacy`` branches and the
facade's three seed dispatches): moving the randomness behind one interface
changed no value Keras's ``RandomState`` gives. The default mode's numbers
changed once, when its stream became keyed by parameter (each entry of the
spec table from ``uniforms(counter_hash(seed, epoch, 3, crc32(argument)), (n, slots))``); they are
pinned again here and checked against that formula computed with numpy
alone. ``test_spec_table.py`` shows that adding, removing or moving an entry
changes no other parameter's draws.
"""

import copy
import pathlib
import pickle
import re
import tracemalloc
import zlib

import numpy as np
import pytest

import augkit
from augkit.counters import counter_hash, uniforms
from augkit import ImageDataGenerator
from augkit.params import MOST_SLOTS, N_SLOTS
from augkit.streams import DefaultStream, KerasStream

ARGS = dict(rotation_range=30, width_shift_range=0.2, horizontal_flip=True)
X = np.zeros((6, 8, 8, 3), np.float32)
COMPAT = ["keras_preprocessing", "tf_keras"]


def thetas(params):
    return [p.theta for p in params]


# --- the default mode: (seed, epoch, index) --------------------------------------------------

THETA_SEED_5 = {
    0: [-8.110143474368257, 0.9180453751751294, 12.293521188593886, 17.03917751557635, -24.551057732731458, 13.245139225217244],
    1: [8.502657047856367, -8.999006786150389, 18.239572943614007, -17.198277415072624, -16.86897264021755, 14.199215271728768],
}


def keyed(seed, epoch, argument, n, slots=1):
    """What the default mode's stream gives ``argument``'s slots, from the counters alone."""
    key = zlib.crc32(argument.encode("ascii"))
    return uniforms(counter_hash(seed, epoch, 3, key), (n, slots))


@pytest.mark.parametrize("epoch", [0, 1])
def test_the_default_stream_gives_the_pinned_parameters_of_each_sample(epoch):
    gen = ImageDataGenerator(**ARGS)
    stream = gen.stream(5)
    assert isinstance(stream, DefaultStream) and stream.seed == 5
    assert thetas(stream.params(np.arange(6), epoch, 6, gen.ranges, (8, 8))) == THETA_SEED_5[epoch]
    # in any order, and as the iterator reports them
    assert thetas(stream.params([5, 0], epoch, 6, gen.ranges, (8, 8))) == [THETA_SEED_5[epoch][5],
                                                                         THETA_SEED_5[epoch][0]]
    it = gen.flow(X, seed=5, batch_size=4)
    assert [it.transform_params(i, epoch).theta for i in range(6)] == THETA_SEED_5[epoch]
    assert [p.flip_horizontal for p in stream.params(range(6), 0, 6, gen.ranges, (8, 8))] == \
        [False, False, False, True, True, False]


@pytest.mark.parametrize("epoch", [0, 1, 7])
def test_each_parameter_of_the_default_stream_has_its_own_keyed_numbers(epoch):
    gen = ImageDataGenerator(**ARGS)
    drawn = gen.stream(5).params(np.arange(6), epoch, 6, gen.ranges, (8, 8))
    assert np.allclose(thetas(drawn), -30 + 60 * keyed(5, epoch, "rotation_range", 6)[:, 0], rtol=0, atol=1e-12)
    shift = keyed(5, epoch, "width_shift_range", 6, slots=2)[:, 0]  # (value, sign): a float shift uses the value
    assert np.allclose([p.ty for p in drawn], 0.2 * (2 * shift - 1) * 8, rtol=0, atol=1e-12)
    flips = keyed(5, epoch, "horizontal_flip", 6)[:, 0] < 0.5
    assert [p.flip_horizontal for p in drawn] == flips.tolist()
    if epoch == 0:
        assert thetas(drawn) == THETA_SEED_5[0]
    # a row does not depend on how many samples the epoch has
    assert thetas(gen.stream(5).params([0, 1], epoch, 2, gen.ranges, (8, 8))) == thetas(drawn[:2])


def test_the_default_stream_gives_the_pinned_order_and_names():
    stream = ImageDataGenerator().stream(5)
    assert stream.order(0, 6).tolist() == [4, 0, 2, 3, 1, 5]
    assert stream.order(1, 6).tolist() == [3, 0, 1, 5, 4, 2]
    assert stream.hashes(np.arange(6), 0, 6, 10**4) == [1476, 4522, 508, 3523, 4195, 2120]
    assert stream.hashes(np.array([5, 0]), 1, 6, 10**4) == [7612, 4138]
    it = ImageDataGenerator().flow(X, np.arange(6), seed=5, batch_size=4)
    assert next(it)[1].tolist() == [4, 0, 2, 3]
    next(it)
    assert next(it)[1].tolist() == [3, 0, 1, 5] and it.epoch == 1


def test_the_default_streams_knows_epochs_and_replays():
    stream = DefaultStream(0)
    assert stream.next_epoch(3) == 4
    stream.check_replayable()
    stream.before_batch(10)  # nothing to do
    assert stream.order(0, 4).tolist() == DefaultStream(0).order(0, 4).tolist()


def test_the_default_stream_keeps_two_epochs_within_its_epoch_bytes():
    gen, n = ImageDataGenerator(**ARGS), 50_000
    stream = gen.stream(1)
    assert stream.epoch_bytes(n) == n * (2 * N_SLOTS + 3 * MOST_SLOTS + 1) * 8
    tracemalloc.start()
    try:
        for epoch in range(4):
            stream.params([0, n - 1], epoch, n, gen.ranges, (8, 8))
            stream.order(epoch, n)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sorted(stream._uniforms) == [(2, n), (3, n)]
    assert 2 * n * N_SLOTS * 8 < peak <= stream.epoch_bytes(n)
    assert thetas(stream.params([n - 1], 2, n, gen.ranges, (8, 8))) == \
        thetas(gen.stream(1).params([n - 1], 2, n, gen.ranges, (8, 8)))  # the cache gives what a fresh stream draws


def test_an_iterator_without_a_seed_draws_one_from_its_generators_stream():
    gen = ImageDataGenerator(**ARGS)
    twin = pickle.loads(pickle.dumps(gen))
    assert gen.flow(X).seed == twin.flow(X).seed
    assert isinstance(gen.flow(X).seed, int)


def test_a_generator_seed_gives_an_iterator_the_int_it_draws():
    it = ImageDataGenerator(**ARGS).flow(X, seed=np.random.default_rng(9))
    assert it.seed == 8026632172992807824 == int(np.random.default_rng(9).integers(2**63))
    assert it.stream.seed == it.seed


# --- the facade's one-off draws ----------------------------------------------------------------

def test_the_facades_default_draws_are_pinned():
    gen = ImageDataGenerator(**ARGS)
    assert gen.random_params((8, 8, 3), seed=3).theta == 7.660507394552724
    assert gen.random_params((8, 8, 3), seed=np.random.default_rng(4)).theta == 7.802425013345427
    assert thetas(gen.sample_params((8, 8), 3, seed=3)) == [7.660507394552724, 19.35447608180943, 14.72216909064717]
    image = np.random.default_rng(0).random((8, 8, 3)).astype(np.float32)
    assert float(ImageDataGenerator(rotation_range=30).random_transform(image, seed=3).sum()) == 104.03986358642578


def test_a_one_off_draw_is_epoch_0_of_one_counter_seed_from_its_generator():
    gen = ImageDataGenerator(**ARGS)
    counter_seed = int(np.random.default_rng(3).integers(2**63))
    drawn = gen.sample_params((8, 8), 3, seed=3)
    assert drawn == gen.stream(counter_seed).params(np.arange(3), 0, 3, gen.ranges, (8, 8))
    assert np.allclose(thetas(drawn), -30 + 60 * keyed(counter_seed, 0, "rotation_range", 3)[:, 0], atol=1e-12)
    assert gen.sample_params((8, 8), 2, seed=3) == drawn[:2]
    # the Generator moves on by one counter seed per call
    rng = np.random.default_rng(3)
    first, second = gen.random_params((8, 8, 3), seed=rng), gen.random_params((8, 8, 3), seed=rng)
    seeds = np.random.default_rng(3).integers(2**63, size=2).tolist()
    assert [first, second] == [gen.stream(c).params([0], 0, 1, gen.ranges, (8, 8))[0] for c in seeds]


FIT_MEANS = {
    None: [0.5155027508735657, 0.5415947437286377, 0.5050539374351501],
    "keras_preprocessing": [0.5269577503204346, 0.5471459031105042, 0.49675798416137695],
    "tf_keras": [0.5181044936180115, 0.545375406742096, 0.5005745887756348],
}


@pytest.mark.parametrize("compat", [None, *COMPAT])
def test_fit_with_a_seed_gives_the_pinned_statistics(compat):
    gen = ImageDataGenerator(compat=compat, featurewise_center=True, **ARGS)
    images = np.random.default_rng(0).random((4, 8, 8, 3)).astype(np.float32)
    gen.fit(images, augment=True, rounds=2, seed=2)
    assert gen.mean.ravel().tolist() == FIT_MEANS[compat]


# --- the compat modes: Keras's RandomState, in Keras's order ---------------------------------

KERAS_BATCHES = [  # seed 7, batches of 4 over 6 samples: (indices, thetas, flips, save_to_dir numbers)
    ([3, 5, 0, 2], [2.309752224626024, -0.007049950466402777, -26.043819185645695, -2.8725622909390154],
     [True, False, False, True], [8504, 5582, 8964, 9353]),
    ([1, 4], [22.405764167508977, -16.036300321362557], [False, True], [458, 8812]),
    ([5, 1, 2, 3], [-29.200679264116882, -6.246848995015636, 14.079482423699666, -21.839581280842886],
     [True, True, False, False], [395, 3347, 3209, 9151]),
]


@pytest.mark.parametrize("compat", COMPAT)
def test_the_keras_stream_gives_the_pinned_batches_in_keras_order(compat):
    gen = ImageDataGenerator(compat=compat, **ARGS)
    stream = gen.stream(7)
    assert isinstance(stream, KerasStream) and stream.seed == 7
    order = None
    for batch, (indices, expected_thetas, flips, numbers) in enumerate(KERAS_BATCHES):
        stream.before_batch(batch)  # reseed with seed + total_batches_seen
        if batch % 2 == 0:  # a new epoch: the permutation comes first
            order = stream.order(0, 6)
        index_array = order[:4] if batch % 2 == 0 else order[4:]
        assert index_array.tolist() == indices
        params = stream.params(index_array, 0, 6, gen.ranges, (8, 8))
        assert thetas(params) == expected_thetas
        assert [p.flip_horizontal for p in params] == flips
        assert stream.hashes(index_array, 0, 6, 10**4) == numbers
    # the state is the generator's: its next draw continues where the iterator's stream stopped
    assert gen.random_params((8, 8, 3)).theta == 20.05775033683743


@pytest.mark.parametrize("compat", COMPAT)
def test_a_keras_iterator_gives_keras_order_and_shares_the_generators_state(compat):
    gen = ImageDataGenerator(compat=compat, **ARGS)
    it = gen.flow(X, np.arange(6), seed=7, batch_size=4)
    assert [next(it)[1].tolist() for _ in range(3)] == [batch[0] for batch in KERAS_BATCHES]
    assert it.epoch == 0
    assert gen.random_params((8, 8, 3)).theta == 7.7730617051297415
    unseeded = gen.flow(X, np.arange(6), batch_size=4)
    assert unseeded.seed is None and unseeded.stream.state is gen.stream().state
    unseeded.stream.state.seed(11)
    assert [next(unseeded)[1].tolist() for _ in range(3)] == [[4, 2, 5, 3], [0, 1], [2, 1, 3, 4]]


@pytest.mark.parametrize("compat", COMPAT)
def test_the_facades_keras_draws_are_pinned(compat):
    gen = ImageDataGenerator(compat=compat, **ARGS)
    assert gen.random_params((8, 8, 3), seed=3).theta == 3.0478741544745276
    assert gen.random_params((8, 8, 3)).theta == 23.57681726085928  # continues the reseeded state
    assert thetas(gen.sample_params((8, 8), 3, seed=3)) == [3.0478741544745276, 23.57681726085928,
                                                          -26.911967801950208]
    image = np.random.default_rng(0).random((8, 8, 3)).astype(np.float32)
    out = ImageDataGenerator(rotation_range=30, compat="tf_keras").random_transform(image, seed=3)
    assert float(out.sum()) == 103.58525848388672


def test_the_keras_stream_knows_no_epochs_and_cannot_replay():
    stream = KerasStream(np.random.RandomState(0), 2**32 - 1)
    assert stream.next_epoch(0) == 0 and stream.epoch_bytes(10**9) == 0
    stream.before_batch(1)  # 2**32 wraps around to 0, where Keras crashes
    assert stream.state.randint(10**4) == np.random.RandomState(0).randint(10**4)
    with pytest.raises(ValueError, match="only available in the default mode"):
        stream.check_replayable()


# --- one seed contract ---------------------------------------------------------------------------

CALLS = {
    "random_params": lambda gen, seed: gen.random_params((8, 8, 3), seed=seed),
    "sample_params": lambda gen, seed: gen.sample_params((8, 8), 2, seed=seed),
    "get_random_transform": lambda gen, seed: gen.get_random_transform((8, 8, 3), seed=seed),
    "random_transform": lambda gen, seed: gen.random_transform(X[0], seed=seed),
    "fit": lambda gen, seed: gen.fit(X, augment=True, seed=seed),
    "flow": lambda gen, seed: gen.flow(X, seed=seed),
    "flow_pairs": lambda gen, seed: gen.flow_pairs(X, np.zeros((6, 8, 8), np.uint8), seed=seed),
    "stream": lambda gen, seed: gen.stream(seed),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_every_method_takes_the_same_seeds(call):
    for seed in (None, 0, 2**40, np.int64(3), np.random.default_rng(0)):
        CALLS[call](ImageDataGenerator(**ARGS), seed)
    for compat in COMPAT:
        for seed in (None, 0, 2**32 - 1):
            CALLS[call](ImageDataGenerator(compat=compat, **ARGS), seed)
        with pytest.raises(TypeError, match="not a Generator"):
            CALLS[call](ImageDataGenerator(compat=compat, **ARGS), np.random.default_rng(0))
        with pytest.raises(ValueError, match="0 to 2\\*\\*32 - 1"):
            CALLS[call](ImageDataGenerator(compat=compat, **ARGS), 2**32)
    for bad, error in ((True, TypeError), (1.5, TypeError), (-1, ValueError)):
        with pytest.raises(error, match=f"seed={re.escape(repr(bad))}"):
            CALLS[call](ImageDataGenerator(**ARGS), bad)


# --- ownership: each iterator owns its stream, copies get their own ----------------------------

@pytest.mark.parametrize("compat", [None, "tf_keras"])
def test_each_iterator_owns_its_stream_and_a_copy_gets_its_own(compat):
    gen = ImageDataGenerator(compat=compat, **ARGS)
    first, second = gen.flow(X, seed=1), gen.flow(X, seed=1)
    assert first.stream is not second.stream
    twin = copy.copy(first)
    assert twin.stream is not first.stream and twin.image_data_generator is first.image_data_generator
    if compat is None:
        next(first)
        assert twin.stream._uniforms is not first.stream._uniforms
    else:  # Keras's one stream: a shallow copy shares the generator's state
        assert twin.stream.state is first.stream.state


# --- the source: one place for each random engine ---------------------------------------------

PACKAGE = pathlib.Path(augkit.__file__).parent


def sources(excluded):
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(PACKAGE.glob("*.py"))
            if path.name not in excluded}


def test_no_module_reads_the_generators_private_random_state():
    for name, text in sources({"generator.py", "streams.py"}).items():
        for private in ("._rng", "._legacy_state", "._validation_split", "._stream"):
            assert private not in text, f"{name} reads {private}"


def test_only_streams_py_asks_which_random_engine_it_has():
    for name, text in sources({"streams.py", "conventions.py"}).items():
        for branch in ("self._legacy", 'random_stream == "legacy"', "random_stream == 'legacy'"):
            assert branch not in text, f"{name} holds {branch!r}: that belongs in augkit/streams.py"
    assert 'random_stream == "legacy"' in (PACKAGE / "streams.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("compat", [None, "tf_keras"])
def test_fit_augments_through_random_transform_as_keras_does(compat):
    """A subclass's random_transform is what fit calls, each call continuing the seeded stream."""
    calls = []

    class Counting(ImageDataGenerator):
        def random_transform(self, x, seed=None):
            calls.append(seed)
            return super().random_transform(x, seed)

    gen = Counting(compat=compat, featurewise_center=True, **ARGS)
    gen.fit(np.random.default_rng(0).random((4, 8, 8, 3)).astype(np.float32), augment=True, rounds=2, seed=2)
    assert len(calls) == 8
    assert gen.mean.ravel().tolist() == FIT_MEANS[compat]
