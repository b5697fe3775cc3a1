"""Sharing one batch's samples among worker threads, one hand-off per worker.

``concurrent.futures``' ``map`` hands each item to the pool on its own (a
Future, a queue entry and a thread wake-up: ~6 µs per sample holding the
GIL, so serial whatever the number of workers). :func:`run_shared` submits
one task per worker instead; each task takes the next item from one shared
iterator until none is left (under a lock: ~0.1 µs, and safe without a
GIL too), so a worker whose samples were quick takes more of them.

Examples
--------
>>> from concurrent.futures import ThreadPoolExecutor
>>> seen = []
>>> with ThreadPoolExecutor(2) as pool:
...     run_shared(seen.append, range(5), pool, 2)
>>> sorted(seen)
[0, 1, 2, 3, 4]
"""

import operator
import threading

__all__ = ["run_shared"]


def run_shared(function, items, pool, workers):
    """Call ``function(item)`` for each of ``items`` in up to ``workers`` tasks of ``pool``.

    Parameters
    ----------
    function : callable
        Called once per item, in any thread of ``pool``, in any order.
    items : iterable
    pool : concurrent.futures.Executor or None
        None (or ``workers`` of 1, or a single item): a loop in this thread.
    workers : int
        The number of tasks (at most one per item).

    Raises
    ------
    BaseException
        What the loop in one thread would raise: the exception of the first
        failing item (by position). After a failure no task starts an item
        past it; the items before it all run. An exception in this thread
        while it waits (Ctrl-C's KeyboardInterrupt) stops the tasks too: none
        starts another item, and it is raised once those running have
        returned, so that no worker still writes into the batch after it.
    """
    items = list(items)
    tasks = min(workers, len(items))
    if pool is None or tasks <= 1:
        for item in items:
            function(item)
        return
    positions = iter(range(len(items)))
    lock = threading.Lock()
    failures = []  # (position, exception), appended under the lock
    stopped = []  # not empty once the caller's thread was interrupted

    def work():
        while True:
            with lock:
                position = next(positions, None)
                if position is None or stopped or any(failed < position for failed, _ in failures):
                    return
            try:
                function(items[position])
            except BaseException as error:  # noqa: BLE001 - raised again below, in the caller's thread
                with lock:
                    failures.append((position, error))

    futures = []
    try:
        for _ in range(tasks):
            futures.append(pool.submit(work))
        for future in futures:
            future.result()
    except BaseException:
        with lock:
            stopped.append(True)
        for future in futures:  # each returns after the item it has
            future.exception()
        raise
    if failures:
        raise min(failures, key=operator.itemgetter(0))[1]
