"""Crops, erasing, MixUp and CutMix: augkit's numpy ops vs Keras 3's layers (JAX, CPU), one image and a batch of 32.

Each row times one full random augmentation (draw + apply) of a 224x224x3
float32 image or a batch of 32, median of the repeats, variants interleaved
(round-robin) so that machine load affects both alike. Keras's layers are
called eagerly (``layer(x, training=True)``) after one warm-up call that pays
JAX's compilation; compare the ratio, not the absolute times.

Run: ``KERAS_BACKEND=jax .venv/bin/python benchmarks/bench_ops_vs_keras.py [--repeats 7]``.
"""

import argparse
import os
import statistics
import time

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")

from augkit import mixing  # noqa: E402
from augkit.ops.crop import RESIZED_CROP_SLOTS, crop, random_crop_box, random_resized_crop_box, resize_image  # noqa: E402
from augkit.ops.erasing import ERASING_SLOTS, erase, erasing_box  # noqa: E402

SIZE, CROP = 224, 160


def augkit_ops(rng):
    def crop_batch(x):
        return np.stack([crop(image, random_crop_box(image.shape[:2], (CROP, CROP), *rng.random(2))) for image in x])

    def resized_crop_batch(x):
        return np.stack([resize_image(crop(image, random_resized_crop_box(image.shape[:2], (0.08, 1.0),
                                                                          (3 / 4, 4 / 3), rng.random(RESIZED_CROP_SLOTS))),
                                      (CROP, CROP)) for image in x])

    def erase_batch(x):
        return np.stack([erase(image, erasing_box(image.shape[:2], 1.0, (0.02, 0.33), (0.3, 3.3),
                                                  rng.random(ERASING_SLOTS)), 0.0) for image in x])

    def mix(kind, alpha):
        def run(x):
            y = np.eye(10, dtype=np.float32)[np.arange(len(x)) % 10]
            draw = mixing.draw_mixing(kind, alpha, int(rng.integers(2**31)), 0, np.arange(len(x)), len(x),
                                      x.shape[1:3])
            return mixing.mix_batch(kind, draw, x, y, x[draw.partner], y[draw.partner])
        return run

    return {"RandomCrop": crop_batch, "RandomResizedCrop (no Keras peer)": resized_crop_batch,
            "RandomErasing": erase_batch, "MixUp": mix("mixup", 0.2), "CutMix": mix("cutmix", 1.0)}


def keras_ops():
    import keras

    layers = {"RandomCrop": keras.layers.RandomCrop(CROP, CROP, seed=0),
              "RandomErasing": keras.layers.RandomErasing(factor=(1.0, 1.0), fill_value=0.0, seed=0),
              "MixUp": keras.layers.MixUp(alpha=0.2, seed=0), "CutMix": keras.layers.CutMix(seed=0)}

    def call(name, layer):
        if name in ("MixUp", "CutMix"):
            def run(x):
                y = np.eye(10, dtype=np.float32)[np.arange(len(x)) % 10]
                out = layer({"images": x, "labels": y}, training=True)
                return np.asarray(out["images"])
            return run
        return lambda x: np.asarray(layer(x, training=True))

    return {name: call(name, layer) for name, layer in layers.items()}


def main(repeats):
    rng = np.random.default_rng(0)
    ours, theirs = augkit_ops(rng), keras_ops()
    print(f"{'operation':36} {'input':10} {'augkit ms':>10} {'Keras ms':>10} {'Keras/augkit':>13}")
    for batch in (1, 32):
        x = rng.random((batch, SIZE, SIZE, 3)).astype(np.float32)
        for name, op in ours.items():
            if batch == 1 and name in ("MixUp", "CutMix"):
                continue  # mixing needs a batch
            peer = theirs.get(name)
            if peer is not None:
                peer(x)  # JAX compiles on the first call
            times = {"augkit": [], "keras": []}
            for _ in range(repeats):
                for key, fn in (("augkit", op), ("keras", peer)):
                    if fn is None:
                        continue
                    start = time.perf_counter()
                    fn(x)
                    times[key].append(time.perf_counter() - start)
            mine = statistics.median(times["augkit"]) * 1e3
            other = statistics.median(times["keras"]) * 1e3 if times["keras"] else float("nan")
            print(f"{name:36} {f'{batch}x{SIZE}²':10} {mine:10.2f} {other:10.2f} {other / mine:13.2f}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    main(parser.parse_args().repeats)
