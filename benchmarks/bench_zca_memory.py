"""Peak memory of ZCA ``fit``: augkit's low-rank default vs Keras's dense d x d matrix.

Each case runs in a fresh subprocess so that its peak resident set size (RSS) is
its own. Reported per case:

* ``peak RSS``: the process's maximum RSS (``ru_maxrss``), including Python,
  NumPy and the input array;
* ``fit added``: peak RSS minus the RSS just before ``fit`` (what fitting cost);
* ``numpy peak``: tracemalloc's peak during ``fit`` (NumPy arrays only; LAPACK
  workspaces are not traced).

Keras's dense computation (keras-preprocessing 1.1.2 itself) is measured at
32x32x3, where it fits in memory; its figure for 96x96x3 is extrapolated from
the measured bytes per d^2 (it builds sigma, U, V^T, U*s and the product, each
d x d float32). Run: ``.venv/bin/python benchmarks/bench_zca_memory.py``.
"""

import json
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings

import numpy as np

CASES = [  # (label, implementation, n, side)
    ("augkit default", "default", 500, 96),
    ("augkit default", "default", 500, 32),
    ("keras-preprocessing", "keras_preprocessing", 500, 32),
]


def _rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _fitter(implementation):
    """A function that fits ZCA on its argument (imports done before timing)."""
    warnings.simplefilter("ignore")
    if implementation == "default":
        from augkit.normalization import Normalizer

        return lambda x: Normalizer(zca_whitening=True).fit(x)
    from keras_preprocessing.image import ImageDataGenerator

    return lambda x: ImageDataGenerator(zca_whitening=True).fit(x)


def run_case(implementation, n, side):
    """Fit once in this process; return a dict of measurements."""
    fit = _fitter(implementation)
    x = np.random.default_rng(0).random((n, side, side, 3), dtype=np.float32)
    before = _rss_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    fit(x)
    seconds = time.perf_counter() - started
    numpy_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return dict(peak=peak, added=peak - before, numpy_peak=numpy_peak, seconds=seconds)


def measure(implementation, n, side):
    command = [sys.executable, __file__, "--case", implementation, str(n), str(side)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    rows = []
    for label, implementation, n, side in CASES:
        result = measure(implementation, n, side)
        rows.append((label, f"{n}x{side}x{side}x3", result))
    dense = rows[-1][2]
    d_small, d_big = 32 * 32 * 3, 96 * 96 * 3
    bytes_per_d2 = dense["added"] / d_small**2
    print(f"{'implementation':<22}{'data':<16}{'peak RSS':>10}{'fit added':>11}"
          f"{'numpy peak':>12}{'time':>8}")
    for label, data, r in rows:
        print(f"{label:<22}{data:<16}{r['peak'] / 1e9:>8.2f}GB{r['added'] / 1e9:>9.2f}GB"
              f"{r['numpy_peak'] / 1e9:>10.2f}GB{r['seconds']:>7.1f}s")
    print(f"{'keras-preprocessing':<22}{'500x96x96x3':<16}{'(estimate)':>10}"
          f"{bytes_per_d2 * d_big**2 / 1e9:>9.2f}GB   ({bytes_per_d2:.1f} bytes per d^2 "
          f"measured at d={d_small}; one d x d float32 matrix at d={d_big} is "
          f"{4 * d_big**2 / 1e9:.2f} GB)")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
