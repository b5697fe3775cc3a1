"""The resized crop folded into the geometric warp: one resampling where there were two.

``random_resized_crop`` cuts a box out of the *warped* image and resizes it
to ``size``. Done as two steps, a sample with geometry (a rotation, a zoom,
a shear, a shift) is interpolated twice: the warp resamples the whole
image, then the resize resamples the box again, and each bilinear pass
blurs. Both steps are affine inverse maps in ``(row, col)``, so they
compose: output pixel ``(r, c)`` of the ``size`` output reads

    ``geometry @ translation(top, left) @ resized_crop_matrix(box, size) @ (r, c, 1)``

of the input image, and :func:`fold` hands the augmenter that one matrix
and the output's size, for a single warp of the image
(:func:`augkit.kernels.warp_affine` or OpenCV's, with ``output_shape``) and
a single nearest-neighbour gather of the mask
(:func:`augkit.kernels.warp_nearest`, labels kept).

What the fold decides (and what it leaves as it was):

* **Only where the geometry resamples.** Without geometry (the identity,
  or flips, which copy pixels) the two-step path interpolates once already
  and is kept, bit for bit: the box is sliced and resized with its edges
  replicated (:func:`augkit.ops.crop.resized_crop`).
* **Outside the box.** The folded map reads the warped scene itself: an
  output pixel at the box's border whose sample point falls up to half a
  box pixel outside the box reads the neighbouring scene (the two-step path
  repeated the box's edge); where the map leaves the *image* (after a
  rotation, say) it reads the generator's ``fill_mode`` and ``cval``, the
  geometric fill, as before.
* **The intensity kernels run before the warp.** Channel shift, brightness
  and the colour and tone entries then see the input image, as they do
  without geometry (where the warp is a copy), not the crop: a blur's sigma
  or the noise stays in the input's pixels, and a contrast's mean or an
  equalisation's histogram is the input's, whatever the geometry. (In the
  two-step path they saw the warped full image, fill included.)
* The erasing is drawn for the crop's size and painted on the output, as before.

The compat modes refuse ``random_resized_crop``, so none of this reaches them.

Examples
--------
>>> from augkit.ops.crop import Box
>>> folded = fold(Box(2, 4, 10, 20), (5, 5), np.eye(3), (32, 32))
>>> folded is None   # the identity copies pixels: the two-step path stays
True
>>> turn = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 31.0], [0.0, 0.0, 1.0]])   # a quarter turn
>>> folded = fold(Box(2, 4, 10, 20), (5, 5), turn, (32, 32))
>>> folded.size, folded.matrix.round(2).tolist()
((5, 5), [[0.0, 4.0, 5.5], [-2.0, 0.0, 28.5], [0.0, 0.0, 1.0]])
"""

from typing import NamedTuple

import numpy as np

from augkit import kernels
from augkit.spec_crop import box_of

__all__ = ["Folded", "box_matrix", "fold", "fold_params"]


class Folded(NamedTuple):
    """One warp for the geometry and the resized crop: its inverse ``matrix`` and the output's ``size``."""

    matrix: np.ndarray
    size: tuple


def box_matrix(box, size):
    """The ``(row, col)`` inverse map from a ``size`` output to ``box``'s pixels in the image it is cut from.

    :func:`augkit.ops.crop.resized_crop_matrix` (pixel centres aligned)
    shifted by the box's ``(top, left)``.

    Examples
    --------
    >>> from augkit.ops.crop import Box
    >>> box_matrix(Box(1, 2, 2, 4), (4, 4))
    array([[0.5 , 0.  , 0.75],
           [0.  , 1.  , 2.  ],
           [0.  , 0.  , 1.  ]])
    """
    from augkit.ops.crop import resized_crop_matrix

    matrix = resized_crop_matrix(box, size)
    matrix[0, 2] += box[0]
    matrix[1, 2] += box[1]
    return matrix


def fold(box, size, matrix, rows_cols):
    """The :class:`Folded` warp of ``box`` resized to ``size`` after ``matrix``, or None where ``matrix`` only
    copies pixels (None, the identity, flips) of an image of ``rows_cols``."""
    if kernels.copies_pixels(matrix, rows_cols):
        return None
    return Folded(np.asarray(matrix) @ box_matrix(box, size), tuple(size))


def fold_params(params, matrix, rows_cols, resized):
    """:func:`fold` for one sample's ``params`` (its ``resized_crop_*`` box), or None when it has no box.

    ``resized`` is the generator's :class:`~augkit.spec_crop.ResizedCropSettings`
    (its ``size``), or None for the box's own size (a replayed sample).
    """
    box = box_of(params, "resized_crop")
    if box is None:
        return None
    return fold(box, box[2:] if resized is None else resized.size, matrix, rows_cols)
