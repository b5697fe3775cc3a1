"""Write data/shapes/: pictures of shapes and their label masks, from a fixed seed.

Each of the ``N_PAIRS`` pairs is::

    shapes/images/all/shape_XXX.png   64 rows x 96 cols, RGB
    shapes/masks/all/shape_XXX.png    64 x 96, 8-bit one channel, labels:
                                      0 background, 1 circle, 2 square, 3 triangle

A picture shows two to four shapes (drawn with ``skimage.draw``; later shapes
cover earlier ones, in the mask too) in class colours - reddish circles,
greenish squares, bluish triangles, each with its own tint, shading and
speckle - on a background made of a colour gradient, soft blobs and noise.
Every random number comes from ``numpy.random.default_rng(SEED)`` in a fixed
order, so running the script again rewrites byte-identical files.

The single subfolder ``all/`` is deliberate: Keras's
``flow_from_directory(..., class_mode=None)`` only finds images inside a
subfolder of the directory it is given.

Usage: ``python data/make_shapes.py [output_dir]`` (default: ``data/shapes``).
"""

import sys
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import draw

SEED = 0
N_PAIRS = 30
ROWS, COLS = 64, 96
CLASSES = {1: "circle", 2: "square", 3: "triangle"}
CLASS_COLOURS = {1: (205, 60, 50), 2: (60, 170, 70), 3: (55, 85, 200)}  # RGB


def background(rng):
    """A float RGB background in [0, 255]: gradient between two colours plus soft blobs."""
    rows, cols = np.mgrid[0:ROWS, 0:COLS]
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * rows / ROWS + np.sin(angle) * cols / COLS + 1) / 2
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    start, end = rng.uniform(90, 230, size=(2, 3))
    picture = start + ramp[..., np.newaxis] * (end - start)
    for _ in range(3):
        centre = rng.uniform((0, 0), (ROWS, COLS))
        radius = rng.uniform(8, 25)
        weight = np.exp(-((rows - centre[0]) ** 2 + (cols - centre[1]) ** 2) / (2 * radius**2))
        picture += weight[..., np.newaxis] * rng.uniform(-35, 35, size=3)
    return picture


def shape_pixels(label, rng):
    """Row and column indices of one randomly placed shape of class ``label``."""
    size = rng.uniform(9, 17)  # radius / half side / circumradius, in pixels
    centre_row = rng.uniform(size * 0.6, ROWS - size * 0.6)
    centre_col = rng.uniform(size * 0.6, COLS - size * 0.6)
    if label == 1:
        return draw.disk((centre_row, centre_col), size, shape=(ROWS, COLS))
    corners = 4 if label == 2 else 3
    turn = rng.uniform(0, 2 * np.pi)
    angles = turn + np.arange(corners) * 2 * np.pi / corners
    radius = size * np.sqrt(2) if label == 2 else size * 1.3
    return draw.polygon(
        centre_row + radius * np.sin(angles),
        centre_col + radius * np.cos(angles),
        shape=(ROWS, COLS),
    )


def paint_shape(picture, rows, cols, label, rng):
    """Paint a shape's pixels in its class colour with a tint, a shading ramp and speckle."""
    colour = np.asarray(CLASS_COLOURS[label], dtype=float) + rng.uniform(-25, 25, size=3)
    light = rng.uniform(-1, 1, size=2)
    shading = 1 + 0.25 * (light[0] * (rows / ROWS - 0.5) + light[1] * (cols / COLS - 0.5))
    speckle = rng.normal(0, 10, size=(rows.size, 3))
    picture[rows, cols] = colour * shading[:, np.newaxis] + speckle


def make_pair(rng):
    """One (image uint8 (64, 96, 3), mask uint8 (64, 96)) pair."""
    picture = background(rng)
    mask = np.zeros((ROWS, COLS), dtype=np.uint8)
    for _ in range(rng.integers(2, 5)):
        label = int(rng.integers(1, 4))
        rows, cols = shape_pixels(label, rng)
        paint_shape(picture, rows, cols, label, rng)
        mask[rows, cols] = label
    picture += rng.normal(0, 6, size=picture.shape)
    image = np.clip(np.round(picture), 0, 255).astype(np.uint8)
    return image, mask


def write_shapes(out_dir):
    """Write the pairs under ``out_dir`` (replacing its PNGs) and return the files written."""
    out_dir = Path(out_dir)
    image_dir, mask_dir = out_dir / "images" / "all", out_dir / "masks" / "all"
    for old in sorted(image_dir.glob("*.png")) + sorted(mask_dir.glob("*.png")):
        old.unlink()
    image_dir.mkdir(parents=True, exist_ok=True)
    mask_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    written = []
    for index in range(N_PAIRS):
        image, mask = make_pair(rng)
        name = f"shape_{index:03d}.png"
        Image.fromarray(image).save(image_dir / name)
        Image.fromarray(mask).save(mask_dir / name)
        written += [image_dir / name, mask_dir / name]
    return written


def main(argv):
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent / "shapes"
    written = write_shapes(out_dir)
    print(f"wrote {len(written) // 2} image/mask pairs under {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
