"""Mask warps: augkit's nearest gather vs scikit-image's order 0 (and order 1 for scale).

One random transform of the seed material's standard config per mask, one
thread. ``warp_nearest`` gives the same pixels as ``warp_affine(order=0)``
(tested); scikit-image's order-0 path goes through ``map_coordinates`` and is
slower than its order-1 path. Masks: labels ``(size, size, 1)`` float32, and
one-hot ``(size, size, 4)`` uint8. The variants are timed interleaved
(round-robin, median of the repeats) so that machine load affects all alike.

Run: ``.venv/bin/python benchmarks/bench_masks.py [--repeats 7]``.
"""

import argparse
import statistics
import time

import numpy as np

from augkit import ImageDataGenerator, functional

CONFIG = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
              zoom_range=0.2, horizontal_flip=True)
SIZES = (64, 256, 512)


def _variants():
    return {
        "warp_nearest (gather)": lambda mask, m: functional.warp_nearest(mask, m, fill_mode="constant"),
        "skimage order 0": lambda mask, m: functional.warp_affine(mask, m, order=0, fill_mode="constant"),
        "skimage order 1 (not for masks)": lambda mask, m: functional.warp_affine(mask, m, order=1,
                                                                                 fill_mode="constant"),
    }


def masks_per_second(warp, masks, matrices):
    start = time.perf_counter()
    for mask, matrix in zip(masks, matrices):
        warp(mask, matrix)
    return len(masks) / (time.perf_counter() - start)


def run(repeats):
    rng = np.random.default_rng(0)
    gen = ImageDataGenerator(**CONFIG)
    rows = []
    for size in SIZES:
        count = min(400, max(8, int(40 * (256 / size) ** 2)))
        matrices = [functional.transform_matrix(gen.random_params((size, size, 1), seed=s), (size, size))
                    for s in range(count)]
        for kind, masks in [
            ("labels float32", [rng.integers(0, 4, (size, size, 1)).astype(np.float32) for _ in range(count)]),
            ("one-hot uint8 x4", [np.eye(4, dtype=np.uint8)[rng.integers(0, 4, (size, size))]
                                 for _ in range(count)]),
        ]:
            variants = _variants()
            if kind.startswith("one-hot"):  # skimage would turn the one-hot uint8 into floats
                variants.pop("skimage order 1 (not for masks)")
            rates = {name: [] for name in variants}
            for name, warp in variants.items():
                masks_per_second(warp, masks[:2], matrices[:2])  # warm-up
            for _ in range(repeats):
                for name, warp in variants.items():
                    rates[name].append(masks_per_second(warp, masks, matrices))
            reference = statistics.median(rates["skimage order 0"])
            for name in variants:
                median = statistics.median(rates[name])
                rows.append((size, kind, name, median, median / reference))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"{'size':>5}  {'mask':<17} {'implementation':<33} {'masks/s':>9}  {'vs order 0':>10}")
    for size, kind, name, rate, ratio in run(args.repeats):
        print(f"{size:>4}²  {kind:<17} {name:<33} {rate:9.1f}  {ratio:9.2f}×")


if __name__ == "__main__":
    main()
