"""Write data/faces/ from scikit-image's offline ``lfw_subset``.

``skimage.data.lfw_subset()`` holds 200 grey 25x25 images (floats in [0, 1]):
the first 100 are faces from Labeled Faces in the Wild, the last 100 are
patches of background from the same photographs ("non-faces"). This script
writes them as 8-bit grey PNGs in Keras's ``flow_from_directory`` layout::

    faces/train/face/face_000.png ... face_079.png
    faces/train/nonface/nonface_000.png ... nonface_079.png
    faces/validation/face/face_080.png ... face_099.png
    faces/validation/nonface/nonface_080.png ... nonface_099.png

The split is fixed: the first 80 images of each class train, the last 20
validate; the number in a file name is the image's index within its class in
``lfw_subset``. Running the script again rewrites byte-identical files.

Usage: ``python data/make_faces.py [output_dir]`` (default: ``data/faces``).
"""

import sys
from pathlib import Path

import numpy as np
from PIL import Image

IMAGES_PER_CLASS = 100
TRAIN_PER_CLASS = 80
CLASSES = ("face", "nonface")  # in lfw_subset's order: faces first


def lfw_as_uint8():
    """The 200 ``lfw_subset`` images as uint8, shape (200, 25, 25)."""
    import skimage.data

    images = skimage.data.lfw_subset()
    return np.round(images * 255).astype(np.uint8)


def split_of(index):
    """'train' or 'validation' for the ``index``-th image of a class."""
    return "train" if index < TRAIN_PER_CLASS else "validation"


def write_faces(out_dir):
    """Write the tree under ``out_dir`` (replacing its PNGs) and return the files written."""
    out_dir = Path(out_dir)
    for split in ("train", "validation"):
        for class_name in CLASSES:
            for old in sorted((out_dir / split / class_name).glob("*.png")):
                old.unlink()
    images = lfw_as_uint8()
    written = []
    for class_number, class_name in enumerate(CLASSES):
        for index in range(IMAGES_PER_CLASS):
            folder = out_dir / split_of(index) / class_name
            folder.mkdir(parents=True, exist_ok=True)
            file = folder / f"{class_name}_{index:03d}.png"
            Image.fromarray(images[class_number * IMAGES_PER_CLASS + index]).save(file)
            written.append(file)
    return written


def main(argv):
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent / "faces"
    written = write_faces(out_dir)
    print(f"wrote {len(written)} PNGs under {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
