"""Widget redraw time: from a control's value change to the new JPEG in the ``ipywidgets.Image``.

The playground on the 512x512 ``astronaut`` (previewed at 256x256), a 3x3
grid, standard settings (rotation 40, shifts 0.2, zoom 0.2, horizontal flip).
Each step sets one control programmatically, cycling through a slider, the
fill mode, a flip and brightness; the observer redraws synchronously, so the
time around the assignment is the whole redraw: sampling, nine warps on the
two-thread pool, composing the grid in numpy, JPEG encoding (Pillow) and
handing the bytes to the widget. The pieces are then timed on their own.

Other processes share this machine's cores, so the load average is printed
before and after (compare medians taken at similar load), and the CPU time
per redraw, summed over threads, which other processes hardly change.

Run: ``.venv/bin/python benchmarks/bench_widgets.py [--steps 60]``.
"""

import argparse
import os
import statistics
import time

import numpy as np

from augkit import ImageDataGenerator, datasets
from augkit.widgets import encode_image, playground, render_grid

TARGET_MS = 100.0
STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, zoom_range=0.2,
                horizontal_flip=True)


def _steps(count):
    """A cycle of control changes, each different from the previous value."""
    changes = []
    for i in range(count):
        kind = i % 6
        if kind == 0:
            changes.append(("rotation_range", 20.0 + (i % 40)))
        elif kind == 1:
            changes.append(("zoom_range", 0.1 + 0.05 * (i % 6)))
        elif kind == 2:
            changes.append(("fill_mode", ("reflect", "constant", "wrap", "nearest")[i % 4]))
        elif kind == 3:
            changes.append(("width_shift_range", 0.05 + 0.01 * (i % 20)))
        elif kind == 4:
            changes.append(("brightness_range", (0.6 + 0.01 * (i % 10), 1.4)))
        else:
            changes.append(("vertical_flip", bool(i % 12 == 5)))
    return changes


def time_redraws(steps):
    explorer = playground(datasets.sample_image("astronaut"), **STANDARD)
    for _ in range(3):  # warm-up: thread pool, imports, caches
        explorer._on_new_seed()
    times, cpu_times = [], []
    for name, value in _steps(steps):
        control = explorer.controls[name]
        if control.value == value:
            continue
        before = explorer.image.value
        start, cpu_start = time.perf_counter(), time.process_time()
        control.value = value
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        assert explorer.image.value != before, f"changing {name} did not change the picture"
    return explorer, np.array(times) * 1000, np.array(cpu_times) * 1000


def time_pieces(explorer, repeats=20):
    kwargs = explorer.generator_kwargs()
    source = explorer.source
    generator = ImageDataGenerator(**kwargs)
    pieces = {"sample 9 transforms": [], "render_grid (9 warps on 2 threads + compose)": [], "JPEG encode": []}
    for seed in range(repeats):
        start = time.perf_counter()
        generator.sample_params(source.shape[:2], 9, seed)
        pieces["sample 9 transforms"].append(time.perf_counter() - start)
        start = time.perf_counter()
        grid = render_grid(source, kwargs, seed=seed)
        pieces["render_grid (9 warps on 2 threads + compose)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        encoded = encode_image(grid)
        pieces["JPEG encode"].append(time.perf_counter() - start)
    return {name: 1000 * statistics.median(values) for name, values in pieces.items()}, grid.shape, len(encoded)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60, help="control changes to time (default 60)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    explorer, times, cpu_times = time_redraws(args.steps)
    pieces, shape, size = time_pieces(explorer)
    load_after = os.getloadavg()
    print(f"cores: {os.cpu_count()} | load average (1, 5, 15 min) before "
          f"{', '.join(f'{x:.2f}' for x in load_before)}, after {', '.join(f'{x:.2f}' for x in load_after)}")
    rows, cols = explorer.source.shape[:2]
    print(f"playground: {rows}x{cols} preview, 3x3 grid {shape[0]}x{shape[1]} px, JPEG {size / 1e6:.2f} MB")
    print(f"redraw after a control change, {len(times)} changes: median {np.median(times):.1f} ms, "
          f"p10 {np.percentile(times, 10):.1f}, p90 {np.percentile(times, 90):.1f}, max {times.max():.1f}")
    print(f"CPU time per redraw (all threads; hardly affected by other processes): median "
          f"{np.median(cpu_times):.1f} ms")
    for name, ms in pieces.items():
        print(f"  {name:<46} {ms:6.1f} ms (median)")
    verdict = "meets" if np.median(times) <= TARGET_MS else "MISSES"
    print(f"\nmedian redraw {np.median(times):.1f} ms ({verdict} the {TARGET_MS:.0f} ms target)")


if __name__ == "__main__":
    main()
