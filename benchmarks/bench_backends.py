"""The warp backends side by side: keras-preprocessing, augkit scikit-image / OpenCV, bare OpenCV (issue 19).

Standard config (rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal
flip, fill_mode nearest), RGB. Every peer is timed interleaved in one process
(round-robin, median of the repeats), so machine load affects all alike:
compare ratios, not absolute rates.

1. **Per image**, one thread, at 64², 256², 512²: keras-preprocessing's
   ``random_transform``, augkit's with each backend (float32, and uint8 with
   ``dtype="uint8"``), and a bare ``cv2.warpAffine`` loop over the same
   matrices (float32 and uint8). Target: augkit OpenCV >= 0.7x the bare loop
   at 256² and 512².
2. **flow** at 256², batches of 32, with 1, 2 and all cores: augkit with each
   backend, and a bare thread pool of N threads running ``cv2.warpAffine``
   into a preallocated batch. Target: augkit OpenCV >= 0.6x the bare pool.
3. **GIL-held time per sample** in ``flow`` (one worker): the time per
   sample minus the time inside the kernel that releases the GIL
   (scikit-image's ``_warp_fast``, OpenCV's ``warpAffine``). It bounds the
   scaling: with N workers the speed-up cannot pass ``sample / GIL-held``.

OpenCV's own threads are set to 1 (``cv2.setNumThreads(1)``), so that
"one thread" means one and the pools do not oversubscribe the cores.

Run: ``.venv/bin/python benchmarks/bench_backends.py [--repeats 5] [--quick]``.
"""

import argparse
import os
import statistics
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("KERAS_BACKEND", "jax")

import cv2
import numpy as np
import skimage.transform._warps as skimage_warps

from augkit import ImageDataGenerator, geometry, skimage_warp

CONFIG = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
              zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")
SIZES = (64, 256, 512)
BATCH = 32
PER_IMAGE_TARGET, FLOW_TARGET = 0.7, 0.6


def _opencv_matrices(size, count):
    gen = ImageDataGenerator(**CONFIG)
    shape = (size, size, 3)
    return [geometry.swap_axes(gen.transform_matrix(p, shape))[:2] for p in gen.sample_params(shape, count, seed=0)]


def _rate(function, count):
    start = time.perf_counter()
    function()
    return count / (time.perf_counter() - start)


def per_image_peers():
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from keras_preprocessing.image import ImageDataGenerator as KerasPreprocessing

    return {"keras-preprocessing 1.1.2": (KerasPreprocessing(**CONFIG), np.float32),
            "augkit skimage": (ImageDataGenerator(**CONFIG), np.float32),
            "augkit opencv": (ImageDataGenerator(**CONFIG, backend="opencv"), np.float32),
            "augkit opencv uint8": (ImageDataGenerator(**CONFIG, backend="opencv", dtype="uint8"), np.uint8)}


def per_image(repeats, sizes):
    rng = np.random.default_rng(0)
    peers = per_image_peers()
    rows = []
    for size in sizes:
        count = min(400, max(8, int(40 * (256 / size) ** 2)))
        floats = [rng.random((size, size, 3), dtype=np.float32) * 255 for _ in range(count)]
        images = {np.float32: floats, np.uint8: [image.astype(np.uint8) for image in floats]}
        matrices = _opencv_matrices(size, count)

        def bare(dtype):
            def loop():
                for image, matrix in zip(images[dtype], matrices):
                    cv2.warpAffine(image, matrix, (size, size), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                   borderMode=cv2.BORDER_REPLICATE)
            return loop

        def augkit_loop(gen, dtype):
            def loop():
                for image in images[dtype]:
                    gen.random_transform(image)
            return loop

        loops = {name: augkit_loop(gen, dtype) for name, (gen, dtype) in peers.items()}
        loops["bare cv2.warpAffine loop"] = bare(np.float32)
        loops["bare cv2.warpAffine loop uint8"] = bare(np.uint8)
        rates = {name: [] for name in loops}
        for _ in range(repeats):
            for name, loop in loops.items():
                rates[name].append(_rate(loop, count))
        medians = {name: statistics.median(values) for name, values in rates.items()}
        for name, rate in medians.items():
            rows.append((size, name, rate, rate / medians["keras-preprocessing 1.1.2"]))
    return rows


def flow_rates(repeats, workers_list, size=256, batches=4):
    x = np.random.default_rng(1).random((BATCH * batches, size, size, 3), dtype=np.float32) * 255
    x8 = x.astype(np.uint8)
    matrices = _opencv_matrices(size, len(x))
    rows = []
    for workers in workers_list:
        iterators = {"augkit skimage flow": ImageDataGenerator(**CONFIG).flow(x, batch_size=BATCH, workers=workers),
                     "augkit opencv flow": ImageDataGenerator(**CONFIG, backend="opencv").flow(
                         x, batch_size=BATCH, workers=workers),
                     "augkit opencv uint8 flow": ImageDataGenerator(**CONFIG, backend="opencv", dtype="uint8").flow(
                         x8, batch_size=BATCH, workers=workers)}
        pool = ThreadPoolExecutor(workers)

        def bare_pool(images):
            def run():
                for start in range(0, len(images), BATCH):
                    batch = np.empty((BATCH, size, size, 3), images.dtype)

                    def one(i):
                        batch[i] = cv2.warpAffine(images[start + i], matrices[start + i], (size, size),
                                                  flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                                  borderMode=cv2.BORDER_REPLICATE)
                    list(pool.map(one, range(BATCH)))
            return run

        def augkit_run(iterator):
            return lambda: [next(iterator) for _ in range(batches)]

        runs = {name: augkit_run(it) for name, it in iterators.items()}
        runs["bare cv2 thread pool"] = bare_pool(x)
        runs["bare cv2 thread pool uint8"] = bare_pool(x8)
        for run in runs.values():
            run()  # warm-up: threads, batch memory
        rates = {name: [] for name in runs}
        for _ in range(repeats):
            for name, run in runs.items():
                rates[name].append(_rate(run, len(x)))
        pool.shutdown()
        for it in iterators.values():
            it.close()
        for name, values in rates.items():
            rows.append((workers, name, statistics.median(values)))
    return rows


def gil_profile(size=256, batches=3):
    """Per sample in flow with one worker: ``(backend, sample_ms, kernel_ms, gil_held_ms)``."""
    x = np.random.default_rng(2).random((BATCH * batches, size, size, 3), dtype=np.float32) * 255
    spent = [0.0]

    class timed:  # noqa: N801 - a function wrapper; skimage's _warp_fast is indexed by dtype first
        def __init__(self, function):
            self.function = function

        def __getitem__(self, key):
            return timed(self.function[key])

        def __call__(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return self.function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

    rows = []
    for backend in ("skimage", "opencv"):
        it = ImageDataGenerator(**CONFIG, backend=backend).flow(x, batch_size=BATCH, workers=1)
        next(it)
        original_fast, original_cv = skimage_warps._warp_fast, cv2.warpAffine
        # augkit calls the compiled warp itself (augkit.skimage_warp); the public warp is timed too, for a fallback
        skimage_warps._warp_fast = skimage_warp._warp_fast = timed(original_fast)
        cv2.warpAffine = timed(original_cv)
        try:
            spent[0] = 0.0
            start = time.perf_counter()
            for _ in range(batches):
                next(it)
            total = time.perf_counter() - start
        finally:
            skimage_warps._warp_fast = skimage_warp._warp_fast = original_fast
            cv2.warpAffine = original_cv
        n = BATCH * batches
        rows.append((backend, total / n * 1e3, spent[0] / n * 1e3, (total - spent[0]) / n * 1e3))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="256² only, 3 repeats (a smoke run)")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    repeats = 3 if args.quick else args.repeats
    sizes = (256,) if args.quick else SIZES
    cores = os.cpu_count() or 1
    print(f"OpenCV {cv2.__version__}, {cores} cores; medians of {repeats} interleaved repeats")

    rows = per_image(repeats, sizes)
    print(f"\nPer image, one thread\n{'size':>5}  {'implementation':<32} {'images/s':>9}  {'vs KP':>6}")
    for size, name, rate, ratio in rows:
        print(f"{size:>4}²  {name:<32} {rate:9.1f}  {ratio:5.2f}×")
    for size in sizes:
        by_name = {name: rate for s, name, rate, _ in rows if s == size}
        for ours, bare in (("augkit opencv", "bare cv2.warpAffine loop"),
                           ("augkit opencv uint8", "bare cv2.warpAffine loop uint8")):
            ratio = by_name[ours] / by_name[bare]
            goal = f" (target {PER_IMAGE_TARGET}×: {'met' if ratio >= PER_IMAGE_TARGET else 'MISSED'})" \
                if size >= 256 else ""
            print(f"{size:>4}²  {ours} / {bare}: {ratio:.2f}×{goal}")

    workers_list = sorted({1, 2, cores})
    rows = flow_rates(repeats, workers_list)
    print(f"\nflow, {BATCH} x 256² x 3 per batch\n{'workers':>7}  {'implementation':<28} {'images/s':>9}")
    for workers, name, rate in rows:
        print(f"{workers:>7}  {name:<28} {rate:9.1f}")
    for workers in workers_list:
        by_name = {name: rate for w, name, rate in rows if w == workers}
        for ours, bare in (("augkit opencv flow", "bare cv2 thread pool"),
                           ("augkit opencv uint8 flow", "bare cv2 thread pool uint8")):
            ratio = by_name[ours] / by_name[bare]
            print(f"{workers:>7}  {ours} / {bare}: {ratio:.2f}× (target {FLOW_TARGET}×: "
                  f"{'met' if ratio >= FLOW_TARGET else 'MISSED'})")
        one = {name: rate for w, name, rate in rows if w == 1}
        if workers > 1:
            for name in ("augkit skimage flow", "augkit opencv flow"):
                print(f"{workers:>7}  {name} scaling: {by_name[name] / one[name]:.2f}× of one worker "
                      f"({by_name[name] / one[name] / workers:.0%} efficiency)")

    print("\nGIL-held time per sample, flow with one worker at 256² (sample = kernel + GIL-held)")
    print(f"{'backend':<8} {'sample ms':>9} {'kernel ms':>9} {'GIL-held ms':>11} {'max speed-up':>12}")
    for backend, sample, kernel, held in gil_profile():
        print(f"{backend:<8} {sample:9.3f} {kernel:9.3f} {held:11.3f} {sample / held:11.1f}×")


if __name__ == "__main__":
    main()
