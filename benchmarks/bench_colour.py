"""Colour and tone kernels: augkit (numpy/scipy, one thread) vs Keras 3's layers (JAX, CPU).

Each operation is applied with fixed drawn parameters (Keras: the layer's
``transform_images`` with a transformation dict, so only the pixel work is
timed; the first call, which compiles, is left out) to one 256 x 256 x 3
float32 image and to a batch of 32 (augkit: image by image, as its iterators
do). Variants are timed interleaved, median of the repeats; compare ratios
from one run, never absolute times.

Run: ``KERAS_BACKEND=jax .venv/bin/python benchmarks/bench_colour.py [--repeats 5]``.
"""

import argparse
import os
import statistics
import time

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")

from augkit import colour, tone  # noqa: E402


def _cases(keras):
    layers = keras.layers

    def f(*values, shape=None):
        array = np.asarray(values, np.float32)
        return array.reshape(shape) if shape else array

    return {
        "contrast": (lambda x: colour.adjust_contrast(x, 1.3), layers.RandomContrast(0.5),
                     lambda n: {"contrast_factor": f(*[1.3] * n, shape=(n, 1, 1, 1))}),
        "saturation": (lambda x: colour.adjust_saturation(x, 0.6), layers.RandomSaturation(0.5),
                       lambda n: {"factor": f(*[0.6] * n)}),
        "hue": (lambda x: colour.adjust_hue(x, 36.0), layers.RandomHue(0.5), lambda n: {"factor": f(*[0.1] * n)}),
        "grayscale": (colour.to_grayscale, layers.RandomGrayscale(1.0), lambda n: np.ones((n, 1, 1, 1), bool)),
        "gaussian blur (k=3)": (lambda x: tone.gaussian_blur(x, 1.0, kernel_size=3, mode="constant"),
                                layers.RandomGaussianBlur(1.0),
                                lambda n: {"should_apply_blur": np.ones(n, bool), "blur_factor": f(1.0, 1.0)}),
        "sharpness": (lambda x: tone.sharpen(x, 1.6, border="zero"), layers.RandomSharpness(0.5),
                      lambda n: {"factor": f(*[0.8] * n)}),
        "posterize": (lambda x: tone.posterize(x, 3), layers.RandomPosterization(4),
                      lambda n: {"shift_factor": np.full(n, 5, np.uint8)}),
        "solarize": (lambda x: tone.solarize(x, 0.5), layers.Solarization(),
                     lambda n: {"thresholds": f(*[127.5] * n, shape=(n, 1, 1, 1)),
                                "additions": f(*[0.0] * n, shape=(n, 1, 1, 1))}),
        "auto contrast": (tone.auto_contrast, layers.AutoContrast(), lambda n: None),
        "equalize": (tone.equalize, layers.Equalization(), lambda n: None),
    }


def _time(call, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    import keras

    rng = np.random.default_rng(0)
    batch = rng.uniform(0, 255, (32, 256, 256, 3)).astype(np.float32)
    print(f"{'operation':22} {'n':>3} {'augkit ms':>10} {'Keras 3 ms':>11} {'Keras/augkit':>13}")
    for name, (ours, layer, transformation) in _cases(keras).items():
        for n in (1, 32):
            images = batch[:n]
            dict_n = transformation(n)
            np.asarray(layer.transform_images(images, dict_n))  # compile, left out
            t_ours = _time(lambda: [ours(image) for image in images], args.repeats)
            t_keras = _time(lambda: np.asarray(layer.transform_images(images, dict_n)), args.repeats)
            print(f"{name:22} {n:>3} {1e3 * t_ours:>10.2f} {1e3 * t_keras:>11.2f} {t_keras / t_ours:>13.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
