"""The course's short name for augkit's deterministic operations: ``from augkit import functional as F``.

Nothing is defined here but one spelling kept for the notebooks; each name
comes from the module that holds it:

* :mod:`augkit.geometry`: matrix builders on ``(row, col)`` (``rotation``,
  ``translation``, ``shear``, ``scale``, ``about``, ``flip``, ``affine``,
  ``swap_axes``);
* :mod:`augkit.conventions`: Keras's builders in its own coordinates
  (``rotation_matrix``, ``shift_matrix``, ``shear_matrix``, ``zoom_matrix``,
  ``offset_centre``) and the matrix of a sample in each convention
  (``keras_matrix``, ``transform_matrix``);
* :mod:`augkit.kernels`: pixels (``warp_affine``, ``warp_nearest``,
  ``channel_shift``, ``brightness``, ``value_range``);
* :mod:`augkit.finite`: what the kernels refuse (``NonFiniteError``,
  ``describe_non_finite``, ``cast_image``).

Examples
--------
>>> import numpy as np
>>> from augkit import functional as F
>>> image = np.arange(9, dtype=np.float32).reshape(3, 3, 1)
>>> m = F.transform_matrix(F.TransformParams(theta=90), image.shape[:2])
>>> np.allclose(F.warp_affine(image, m)[..., 0], np.rot90(image[..., 0]), atol=1e-5)
True
"""

from augkit.conventions import (
    keras_matrix,
    offset_centre,
    rotation_matrix,
    shear_matrix,
    shift_matrix,
    transform_matrix,
    zoom_matrix,
)
from augkit.finite import NonFiniteError, cast_image, describe_non_finite
from augkit.geometry import about, affine, compose, flip, rotation, scale, shear, swap_axes, translation
from augkit.kernels import FILL_MODES, brightness, channel_shift, value_range, warp_affine, warp_nearest
from augkit.params import TransformParams


def flip_matrix(flip_rows, flip_cols, shape):
    """:func:`augkit.geometry.flip` with the flags first: rows mirrored (vertical flip), columns (horizontal).

    Examples
    --------
    >>> flip_matrix(False, True, (2, 4))
    array([[ 1.,  0.,  0.],
           [ 0., -1.,  3.],
           [ 0.,  0.,  1.]])
    """
    return flip(shape, vertical=flip_rows, horizontal=flip_cols)


__all__ = [
    "FILL_MODES", "NonFiniteError", "TransformParams", "about", "affine", "brightness", "cast_image",
    "channel_shift", "compose", "describe_non_finite", "flip", "flip_matrix", "keras_matrix",
    "offset_centre", "rotation", "rotation_matrix", "scale", "shear", "shear_matrix", "shift_matrix",
    "swap_axes", "transform_matrix", "translation", "value_range", "warp_affine", "warp_nearest",
    "zoom_matrix",
]
