"""Random resized crop: augkit's one warp against scikit-image's anti-aliased resize (and Keras 3 has none).

A 256x256x3 float32 image, a 200x180 box resized to 224x224: ``augkit.ops.crop.resized_crop`` (one
scikit-image ``warp`` with the output shape, pixel centres aligned, bilinear, no anti-aliasing: what
``random_resized_crop=`` does) against ``resize_image`` (scikit-image ``resize`` with anti-aliasing) on the
same box. Interleaved (round-robin, median of the repeats), so machine load affects both alike.

Run: ``.venv/bin/python benchmarks/bench_resized_crop.py [--repeats 7]``.
"""

import argparse
import statistics
import time

import numpy as np

from augkit.ops.crop import Box, resize_image, resized_crop


def per_call_ms(function, calls=20):
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    image = np.random.default_rng(0).random((256, 256, 3)).astype(np.float32)
    box = Box(10, 20, 200, 180)
    peers = {"augkit resized_crop (one warp)": lambda: resized_crop(image, box, (224, 224)),
             "scikit-image resize, anti-aliased": lambda: resize_image(image[10:210, 20:200], (224, 224))}
    times = {name: [] for name in peers}
    for _ in range(args.repeats):
        for name, function in peers.items():
            times[name].append(per_call_ms(function))
    reference = statistics.median(times["scikit-image resize, anti-aliased"])
    print(f"{'implementation':<36} {'ms/image':>9}  {'speed-up':>8}")
    for name in peers:
        median = statistics.median(times[name])
        print(f"{name:<36} {median:9.2f}  {reference / median:7.2f}×")


if __name__ == "__main__":
    main()
