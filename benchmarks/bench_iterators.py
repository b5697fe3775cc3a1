"""Iterator throughput and memory: ``flow`` and ``flow_from_directory`` against their peers.

1. ``flow(x, batch_size=32)`` over 256x256x3 float32 with the standard config
   (rotation 40, shifts 0.2, shear 0.2, zoom 0.2, hflip, nearest): augkit's
   default mode (all cores, and one worker) against keras-preprocessing
   1.1.2's ``flow``. Target: >= 3.5x keras-preprocessing's samples/s.
2. ``flow_from_directory`` over 256x256 JPEGs, then PNGs, written to a temporary folder,
   no augmentation: augkit with ``workers=1`` and ``workers=2`` against a
   bare one-thread Pillow loop (open, convert, resize, to float32). Target:
   workers=1 >= 80 % of the loop.
3. ``flow`` over 2000 images of 256x256x3 (uint8 and float32 input): peak
   memory allocated beyond the input while serving batches of 32 (tracemalloc
   sees numpy's allocations). Target: < 200 MB, i.e. no copy of the input.

Peers are timed interleaved in one process (round-robin), median of the
repeats, so that machine load affects all alike.

Run: ``.venv/bin/python benchmarks/bench_iterators.py [--repeats 5]``.
"""

import argparse
import os
import statistics
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np
from PIL import Image

from augkit import ImageDataGenerator

CONFIG = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
              zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")
FLOW_TARGET = 3.5
LOADING_TARGET = 0.8
MEMORY_LIMIT_MB = 200


def _rates(make_batches, samples):
    """Samples per wall-clock second and per CPU second (all threads of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    make_batches()
    return samples / (time.perf_counter() - wall), samples / (time.process_time() - cpu)


def _consume(iterator, batches):
    """Take ``batches`` batches, dropping each one as a training loop does."""
    for _ in range(batches):
        next(iterator)


def _interleaved(peers, samples, repeats):
    """{name: (median samples/s, median samples per CPU second)}."""
    for run in peers.values():  # warm-up
        run()
    rates = {name: [] for name in peers}
    for _ in range(repeats):
        for name, run in peers.items():
            rates[name].append(_rates(run, samples))
    return {name: tuple(statistics.median(column) for column in zip(*values))
            for name, values in rates.items()}


def bench_flow(repeats, batches=4, batch_size=32):
    from keras_preprocessing.image import ImageDataGenerator as KerasPreprocessing

    x = np.random.default_rng(0).random((batches * batch_size, 256, 256, 3), dtype=np.float32) * 255
    iterators = {
        "augkit flow, all cores": ImageDataGenerator(**CONFIG).flow(x, batch_size=batch_size, seed=0),
        "augkit flow, workers=1": ImageDataGenerator(**CONFIG).flow(x, batch_size=batch_size, seed=0,
                                                                    workers=1),
        "keras-preprocessing 1.1.2 flow": KerasPreprocessing(**CONFIG).flow(x, batch_size=batch_size,
                                                                            seed=0),
    }
    peers = {name: (lambda it=it: _consume(it, batches)) for name, it in iterators.items()}
    rates = _interleaved(peers, batches * batch_size, repeats)
    reference = rates["keras-preprocessing 1.1.2 flow"][0]
    return [(name, rate, rate / reference, per_cpu) for name, (rate, per_cpu) in rates.items()]


#: The file formats the loading benchmark writes, and Pillow's save options for each.
FORMATS = {"JPEG": ("jpg", {"quality": 90}), "PNG": ("png", {"compress_level": 1})}


def _write_images(folder, count, file_format, size=256):
    suffix, options = FORMATS[file_format]
    rng = np.random.default_rng(0)
    smooth = np.linspace(0, 255, size, dtype=np.float32)
    for label in ("a", "b"):
        (folder / label).mkdir()
        for i in range(count // 2):
            noise = rng.normal(0, 20, (size, size, 3))
            pixels = np.clip(smooth[:, None, None] + noise, 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(folder / label / f"{i:04d}.{suffix}", **options)
    return sorted(folder.rglob(f"*.{suffix}"))


def bench_loading(repeats, file_format="JPEG", count=512, batch_size=32):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = _write_images(folder, count, file_format)
        plain = ImageDataGenerator()

        def pillow_loop():
            for path in files:
                with Image.open(path) as img:
                    np.asarray(img.convert("RGB").resize((256, 256), Image.Resampling.NEAREST),
                               dtype=np.float32)

        def augkit(workers):
            it = plain.flow_from_directory(folder, batch_size=batch_size, shuffle=False, workers=workers)
            return lambda: _consume(it, count // batch_size)

        peers = {"bare Pillow loop, 1 thread": pillow_loop,
                 "augkit flow_from_directory, workers=1": augkit(1),
                 "augkit flow_from_directory, workers=2": augkit(2)}
        rates = _interleaved(peers, count, repeats)
    reference = rates["bare Pillow loop, 1 thread"][0]
    return [(name, rate, rate / reference, per_cpu) for name, (rate, per_cpu) in rates.items()]


def bench_memory(count=2000, batch_size=32, batches=8):
    rows = []
    for dtype in (np.uint8, np.float32):
        x = np.zeros((count, 256, 256, 3), dtype=dtype)
        tracemalloc.start()
        it = ImageDataGenerator(**CONFIG).flow(x, batch_size=batch_size, seed=0)
        for _ in range(batches):
            next(it)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        it.close()
        rows.append((f"flow over 2000x256x256x3 {np.dtype(dtype).name}", x.nbytes / 2**20, peak / 2**20))
        del x, it
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    print(f"cores available: {len(os.sched_getaffinity(0))}, load average before: "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    flow_rows = bench_flow(args.repeats)
    load_rows = bench_loading(args.repeats, "JPEG")
    png_rows = bench_loading(args.repeats, "PNG")
    memory_rows = bench_memory()
    print("\n(per CPU-s: samples per second of CPU time used by this process, all threads;"
          " it is not affected by other processes, unlike samples/s)")
    print(f"\n{'flow, 256x256x3 float32, batch 32, standard config':<48} {'samples/s':>9}  {'vs KP':>6}"
          f"  {'per CPU-s':>9}")
    for name, rate, ratio, per_cpu in flow_rows:
        print(f"{name:<48} {rate:9.1f}  {ratio:5.2f}x  {per_cpu:9.1f}")
    print(f"\n{'flow_from_directory, 256x256 JPEG, no augmentation':<48} {'samples/s':>9}  {'vs loop':>7}"
          f"  {'per CPU-s':>9}")
    for name, rate, ratio, per_cpu in load_rows:
        print(f"{name:<48} {rate:9.1f}  {ratio:6.0%}  {per_cpu:9.1f}")
    print(f"\n{'flow_from_directory, 256x256 PNG, no augmentation':<48} {'samples/s':>9}  {'vs loop':>7}"
          f"  {'per CPU-s':>9}")
    for name, rate, ratio, per_cpu in png_rows:
        print(f"{name:<48} {rate:9.1f}  {ratio:6.0%}  {per_cpu:9.1f}")
    print(f"\n{'memory':<48} {'input MB':>9}  {'peak beyond input MB':>20}")
    for name, input_mb, peak_mb in memory_rows:
        print(f"{name:<48} {input_mb:9.0f}  {peak_mb:20.1f}")
    print(f"\nload average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    verdicts = [
        (flow_rows[0][2] >= FLOW_TARGET, f"flow all cores {flow_rows[0][2]:.2f}x vs >= {FLOW_TARGET}x"),
        (load_rows[1][2] >= LOADING_TARGET,
         f"flow_from_directory workers=1 {load_rows[1][2]:.0%} vs >= {LOADING_TARGET:.0%}"),
        (png_rows[1][2] >= LOADING_TARGET,
         f"flow_from_directory workers=1, PNG {png_rows[1][2]:.0%} vs >= {LOADING_TARGET:.0%}"),
        (all(peak < MEMORY_LIMIT_MB for _, _, peak in memory_rows),
         f"peak memory beyond input < {MEMORY_LIMIT_MB} MB"),
    ]
    for ok, text in verdicts:
        print(f"{'meets ' if ok else 'MISSES'}  {text}")


if __name__ == "__main__":
    main()
