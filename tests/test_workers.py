"""The batch loop's hand-off to worker threads (issue 19): every sample once, errors as a loop raises them."""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from augkit import ImageDataGenerator
from augkit.iterators.direct import is_neutral as _is_neutral
from augkit.iterators.workers import run_shared
from augkit.params import NEUTRAL, TransformParams

STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")


@pytest.fixture(scope="module")
def pool():
    with ThreadPoolExecutor(4) as executor:
        yield executor


@pytest.mark.parametrize("workers", [1, 2, 4, 40])
@pytest.mark.parametrize("count", [0, 1, 3, 37])
def test_every_item_runs_once(pool, workers, count):
    seen, lock = [], threading.Lock()

    def record(item):
        with lock:
            seen.append(item)

    run_shared(record, range(10, 10 + count), pool, workers)
    assert sorted(seen) == list(range(10, 10 + count))


def test_one_task_per_worker_not_per_item(pool):
    threads = set()
    submitted = []

    class CountingPool:
        def submit(self, function):
            submitted.append(function)
            return pool.submit(function)

    run_shared(lambda item: threads.add(threading.get_ident()), range(32), CountingPool(), 3)
    assert len(submitted) == 3
    assert 1 <= len(threads) <= 3


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_the_first_failing_item_is_raised_as_a_loop_would(pool, workers):
    ran = set()

    def fail_at_5_and_9(item):
        ran.add(item)
        if item in (5, 9):
            raise ValueError(f"item {item}")

    with pytest.raises(ValueError, match="item 5"):
        run_shared(fail_at_5_and_9, range(20), pool, workers)
    assert set(range(6)) <= ran  # every item before the first failure ran


def test_without_a_pool_the_loop_runs_here():
    threads = set()
    run_shared(lambda item: threads.add(threading.get_ident()), range(5), None, 4)
    assert threads == {threading.get_ident()}


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_flow_batches_do_not_depend_on_workers(workers):
    x = np.random.default_rng(0).random((23, 16, 12, 3), dtype=np.float32) * 255
    gen = ImageDataGenerator(**STANDARD)
    one = [batch for _, batch in zip(range(3), gen.flow(x, batch_size=10, seed=4, workers=1))]
    many = gen.flow(x, batch_size=10, seed=4, workers=workers)
    for expected in one:
        assert np.array_equal(next(many), expected)
    many.close()


def test_is_neutral_is_equality_with_neutral():
    assert _is_neutral(TransformParams()) and _is_neutral(NEUTRAL)
    assert not _is_neutral(TransformParams(theta=1.0))
    assert not _is_neutral(TransformParams(flip_vertical=True))
    assert not _is_neutral(TransformParams(brightness=1.0))  # None is neutral, 1.0 is not
    assert _is_neutral(TransformParams(theta=-0.0))  # as == says: -0.0 == 0.0
    assert _is_neutral(TransformParams(theta=-0.0)) == (TransformParams(theta=-0.0) == NEUTRAL)
    assert not _is_neutral({"theta": 0.0})  # not a TransformParams: == decides, as before


def test_an_interrupt_while_waiting_stops_the_workers_before_it_is_raised():
    # Ctrl-C reaches the caller's thread while it waits for the workers: as with Executor.map (which
    # cancels the items not yet started), no item starts after it, and no worker still writes into the
    # batch once run_shared has raised (the batch's memory may be handed to the next batch).
    seen, lock = [], threading.Lock()
    interrupted = threading.Event()

    def record(item):
        interrupted.wait(5)
        with lock:
            seen.append(item)

    class InterruptedPool:
        def __init__(self, executor):
            self.executor = executor

        def submit(self, function):
            future = self.executor.submit(function)

            class Interrupted:
                def result(self, timeout=None):
                    interrupted.set()
                    raise KeyboardInterrupt

                def __getattr__(self, name):
                    return getattr(future, name)

            return Interrupted()

    with ThreadPoolExecutor(2) as executor:
        with pytest.raises(KeyboardInterrupt):
            run_shared(record, range(200), InterruptedPool(executor), 2)
        ran_when_raised = len(seen)
    assert len(seen) == ran_when_raised <= 2  # each worker finished the item it had, and took no other
