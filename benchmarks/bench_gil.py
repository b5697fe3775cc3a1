"""GIL-held time per sample in ``flow``, and the worker scaling it allows (issue 19).

Workers are threads: while one of them runs Python (or a C call that keeps the
GIL) no other can. Taking the whole share of a sample's time spent holding the
GIL as the serial part of Amdahl's law gives a lower bound: with a held share
``h`` of the one-worker time per sample, ``N`` workers run at least about
``1 / (h + (1 - h) / N)`` times one worker, unless something else (cores,
memory) runs out (16 cores: 16x at ``h = 0``, 8x at ``h = 0.067``; the issue's
target, 70 % of 16x, needs ``h <= 0.029``). It is pessimistic: a worker that
holds the GIL stops only the others that want it at that moment, not those
inside a warp. Strictly serial is only the batch thread's own share, the
``serial`` column: drawing the batch's parameters and matrices, handing the
samples out, assembling the batch, while every worker waits. Amdahl's law with
that share alone is an upper bound (it ignores workers queueing for the GIL).
The speed-up at ``N`` cores lies between the two ``bound@16`` columns; only a
machine with that many cores tells where.

Method: **sampling the GIL's owner with py-spy** (``pip install py-spy``). The
batch loop (``flow`` with ``workers=1``, so the loop runs in the calling
thread) runs for a few seconds in a child process under ``py-spy record``,
twice: once with ``--idle`` (every sample of the loop's thread, whatever it
does) and once with ``--gil`` (only samples taken while that thread holds the
GIL; py-spy pauses the process and reads CPython's own record of the GIL's
holder). Samples are counted where the loop's function is on the stack; the
ratio of the two counts is the share of the loop's time that holds the GIL.
Times the held share by the per-sample wall time (measured without py-spy),
it is the GIL-held time per sample. The method needs no idle core (a second
thread that counts while the loop releases the GIL, the first idea, measured
the machine's other load instead: on this shared 2-core machine it read
36-50 % held for a loop of ``np.sin`` that never holds it).

With several workers the loop hands the samples to a thread pool; that
hand-off holds the GIL too, and is measured on its own (no pixels, so the
numbers are exact, not sampled): ``concurrent.futures``' ``map``, one
hand-off per sample, against :func:`augkit.iterators.workers.run_shared`,
one per worker. (py-spy's ``--gil`` with several threads was tried and is
not used: it read a GIL-held time per sample 3-12 times the one-worker
value, varying from run to run, and counts the workers' warm-up imports.)

A floor: a C call that releases the GIL still reads 0.5-2 % held (the
``np.sin`` row; scikit-image's ``_warp_fast`` on one 256 x 256 channel
reads ~2 %, 17 µs of its 1 ms, although the part of it that holds the GIL,
its argument handling, takes ~4 µs on an 8 x 8 channel). Shares of a few
percent are upper bounds; compare runs, and the ``--sizes 8`` row (almost
no pixels: nearly all of its time holds the GIL) for the per-sample
Python work that does not grow with the image.

Validated on every run: a loop of ``np.sin`` on 2**18 floats (it releases the
GIL) must read near 0 %, a pure-Python loop near 100 %, and a loop
alternating the two near its Python share measured alone. The two runs
sample separately, so a sample lost in one of them (a busy machine) moves
the share by a few percent: the validation rows show how much.

Run: ``.venv/bin/python benchmarks/bench_gil.py [--repeats 5] [--quick] [--sizes 8 64 256] [--py-spy PATH]``; without
py-spy it prints the wall times and rates only.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np

from augkit import ImageDataGenerator
from augkit.iterators.workers import run_shared

CONFIG = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
              zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")
SIZES = (64, 256)
BACKENDS = ("skimage", "opencv")
BATCH = 32
WORKERS = 16  # the Amdahl bound is given for this many workers
RATE = 500  # py-spy samples per second
MARKER = "_sampled_loop"  # the function whose samples are counted
WORKER_MARKER = "run_shared"  # what runs the samples in the workers (with workers=1, in the loop's thread)


def amdahl(held_share, workers=WORKERS):
    """The speed-up bound of ``workers`` threads when ``held_share`` of the time is serial."""
    return 1.0 / (held_share + (1.0 - held_share) / workers)


def solo(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# --- the work sampled in the child process ----------------------------------------------------------------

def _numpy_nogil():
    a = np.linspace(0, 1, 2**18)
    out = np.empty_like(a)
    return lambda: np.sin(a, out=out)


def _pure_python(length=20000):
    def work():
        total = 0
        for i in range(length):
            total += i
    return work


def _alternating():
    numpy_work, python_work = _numpy_nogil(), _pure_python()

    def work():
        numpy_work()
        python_work()
    return work


VALIDATION = {"numpy": ("np.sin on 2**18 floats (releases the GIL)", _numpy_nogil),
              "python": ("pure-Python loop", _pure_python),
              "both": ("both, alternating", _alternating)}


def _iterator(size, backend, workers, batches):
    x = np.random.default_rng(size).random((BATCH * batches, size, size, 3), dtype=np.float32) * 255
    it = ImageDataGenerator(**CONFIG, backend=backend).flow(x, batch_size=BATCH, workers=workers, seed=0)
    next(it)  # warm-up: threads, batch memory
    return it


def _work(kind):
    """The function one step of ``kind`` runs: a validation loop, or one flow batch (``flow:size:backend``)."""
    if kind in VALIDATION:
        return VALIDATION[kind][1]()
    _, size, backend = kind.split(":")
    iterator = _iterator(int(size), backend, 1, 4)
    return lambda: next(iterator)


def _sampled_loop(work, seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        work()


def child(kind, seconds):
    """What py-spy samples: warm up, then ``_sampled_loop`` for ``seconds``."""
    _set_opencv_threads()
    work = _work(kind)
    work()
    _sampled_loop(work, seconds)


# --- sampling with py-spy -------------------------------------------------------------------------------

def _marked_samples(py_spy, kind, seconds, flag):
    """Samples with the loop on the stack: all of them, and those inside the workers' function."""
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "raw.txt")
        subprocess.run([py_spy, "record", flag, "--format", "raw", "--rate", str(RATE), "--output", out, "--",
                        sys.executable, os.path.abspath(__file__), "--child", kind, "--seconds", str(seconds)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = in_workers = 0
        with open(out) as raw:
            for line in raw:
                if f"{MARKER} (" in line:
                    count = int(line.rsplit(" ", 1)[1])
                    total += count
                    in_workers += count if f"{WORKER_MARKER} (" in line else 0
        return total, in_workers


def held_share(py_spy, kind, seconds):
    """The share of ``kind``'s loop time that holds the GIL (samples with ``--gil`` over those with ``--idle``),
    and the part of it outside the workers' function (the batch thread's own, serial whatever the workers)."""
    every, _ = _marked_samples(py_spy, kind, seconds, "--idle")
    held, in_workers = _marked_samples(py_spy, kind, seconds, "--gil")
    return held / every, (held - in_workers) / every, every


# --- the table ------------------------------------------------------------------------------------------

def _set_opencv_threads():
    try:
        import cv2
    except ImportError:
        return ()
    cv2.setNumThreads(1)  # one worker means one thread
    return BACKENDS


def rates(size, backend, repeats, batches):
    """Per-sample wall seconds (one worker) and flow images/s at 1 and 2 workers, medians of interleaved runs."""
    iterators = {workers: _iterator(size, backend, workers, batches) for workers in (1, 2)}
    samples = BATCH * batches
    seconds = {1: [], 2: []}
    for _ in range(repeats):
        for workers, it in iterators.items():
            seconds[workers].append(solo(lambda: [next(it) for _ in range(batches)]) / samples)
    for it in iterators.values():
        it.close()
    wall = {workers: statistics.median(values) for workers, values in seconds.items()}
    return wall[1], 1 / wall[1], 1 / wall[2]


def handoff(workers, batches=200):
    """µs per sample of handing batches of ``BATCH`` no-op samples to ``workers`` threads: per sample, per worker."""
    items = list(range(BATCH))
    with ThreadPoolExecutor(workers) as pool:
        def per_sample():
            for _ in range(batches):
                for _ in pool.map(lambda item: None, items):
                    pass

        def per_worker():
            for _ in range(batches):
                run_shared(lambda item: None, items, pool, workers)

        per_sample(), per_worker()  # start the threads
        return tuple(min(solo(work) for _ in range(5)) / (batches * BATCH) * 1e6 for work in (per_sample, per_worker))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 repeats, shorter samples (a smoke run)")
    parser.add_argument("--py-spy", default=shutil.which("py-spy"), help="the py-spy executable")
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="image sides (default 64 256)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=3.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.seconds)
    repeats, seconds = (2, 1.5) if args.quick else (args.repeats, 3.0)
    backends = _set_opencv_threads() or ("skimage",)
    py_spy = args.py_spy
    print(f"{os.cpu_count()} cores; wall times and rates: medians of {repeats} interleaved repeats; GIL: py-spy "
          f"at {RATE} Hz for {seconds:g} s per run" if py_spy else "py-spy not found: no GIL-held column")
    if py_spy:
        print("\nValidation (share of the loop's time holding the GIL)")
        python_work, numpy_work = _pure_python(), _numpy_nogil()
        python_alone = min(solo(lambda: [python_work() for _ in range(20)]) for _ in range(5))
        numpy_alone = min(solo(lambda: [numpy_work() for _ in range(20)]) for _ in range(5))
        expected = {"numpy": 0.0, "python": 1.0, "both": python_alone / (python_alone + numpy_alone)}
        for kind, (name, _) in VALIDATION.items():
            share, _, samples = held_share(py_spy, kind, seconds)
            print(f"  {name:<42} expected {expected[kind]:6.1%}  measured {share:6.1%}  ({samples} samples)")
    print(f"\nflow, standard config, batches of {BATCH}, float32 RGB; wall and GIL-held per sample with one worker")
    print(f"{'size':>5} {'backend':<8} {'wall ms':>8} {'held ms':>8} {'held':>6} {'bound@16':>9} {'serial':>6} "
          f"{'bound@16':>9} {'img/s w=1':>10} {'img/s w=2':>10}")
    for size in args.sizes:
        batches = (8 if size <= 64 else 3) if args.quick else (16 if size <= 64 else 4)
        for backend in backends:
            wall, rate_1, rate_2 = rates(size, backend, repeats, batches)
            held = f"{'':>8} {'':>6} {'':>9} {'':>6} {'':>9}"
            if py_spy:
                share, serial, _ = held_share(py_spy, f"flow:{size}:{backend}", seconds)
                held = (f"{share * wall * 1e3:8.3f} {share:6.1%} {amdahl(min(share, 1.0)):8.1f}× {serial:6.1%} "
                        f"{amdahl(min(serial, 1.0)):8.1f}×")
            print(f"{size:>4}² {backend:<8} {wall * 1e3:8.3f} {held} {rate_1:10.0f} {rate_2:10.0f}")
    print("\nHand-off to the worker threads, µs per sample (batches of 32 samples that do nothing; best of 5)")
    for workers in (2, WORKERS):
        per_sample, shared = handoff(workers)
        print(f"  {workers:2d} workers: one hand-off per sample (Executor.map) {per_sample:5.1f}, "
              f"one per worker (run_shared) {shared:5.1f}")


if __name__ == "__main__":
    main()
