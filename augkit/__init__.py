"""augkit: Keras's ImageDataGenerator on scikit-image warps, for learning augmentation.

The package is layered (see ``../shared/DESIGN.md`` in the project): pure
operations in :mod:`augkit.functional`, sampled parameters in
:mod:`augkit.params`, the Keras-compatible facade in :mod:`augkit.generator`,
Keras's file functions in :mod:`augkit.image_io` (over :mod:`augkit.files`,
which finds files, :mod:`augkit.decode`, which decodes each once, and
:mod:`augkit.writing`) and bundled data in :mod:`augkit.datasets`.

For Keras users, everything a training script needs is importable from
here: ``ImageDataGenerator``, the image helpers ``load_img``,
``img_to_array``, ``array_to_img`` and ``save_img``, and
``as_keras_dataset``, which hands an iterator to Keras 3's ``model.fit``
(keras is imported only when it is called; augkit does not need it).
"""

from augkit.generator import ImageDataGenerator
from augkit.image_io import ImageFileError, array_to_img, img_to_array, list_images, load_img, save_img
from augkit.keras3 import as_keras_dataset
from augkit.params import TransformParams

__version__ = "0.1.0"

__all__ = [
    "ImageDataGenerator",
    "ImageFileError",
    "TransformParams",
    "array_to_img",
    "as_keras_dataset",
    "img_to_array",
    "list_images",
    "load_img",
    "save_img",
]
