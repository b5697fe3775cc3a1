"""augkit: Keras's ImageDataGenerator on scikit-image warps, for learning augmentation.

The package is layered (see ``../shared/DESIGN.md`` in the project): pure
operations in :mod:`augkit.functional`, sampled parameters in
:mod:`augkit.params`, the Keras-compatible facade in :mod:`augkit.generator`,
Keras's file functions in :mod:`augkit.image_io` (over :mod:`augkit.files`,
which finds files, :mod:`augkit.decode`, which decodes each once, and
:mod:`augkit.writing`) and bundled data in :mod:`augkit.datasets`.
"""

from augkit.generator import ImageDataGenerator
from augkit.image_io import ImageFileError, array_to_img, img_to_array, list_images, load_img, save_img
from augkit.params import TransformParams

__version__ = "0.1.0"

__all__ = [
    "ImageDataGenerator",
    "ImageFileError",
    "TransformParams",
    "array_to_img",
    "img_to_array",
    "list_images",
    "load_img",
    "save_img",
]
