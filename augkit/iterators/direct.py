"""The batch loop's shortcut for the samples that are one scikit-image warp (issue 19).

In the default mode most samples of a batch draw geometry only: no colour
or tone kernel, no crop or erasing box. Their whole augmentation is one
warp, yet each went through six layers of Python (``apply_in_batch``,
``backends.warp``, ``warp_affine`` with its checks, ...) that hold the GIL:
time that the worker threads cannot share, so it bounds how far ``flow``
scales with workers. :func:`plan` finds such samples once per batch, in
numpy (every matrix's finiteness, the flips and the identity that are
copied instead of warped, scikit-image's ``(x, y)`` form of the matrices,
in the image's dtype) and returns a function that writes one sample's
warp straight into its batch slot through
:func:`augkit.skimage_warp.warp_into`, each channel first copied into a
buffer each worker thread keeps (:func:`_scratch_plane`).

It is the same warp with the same arguments as the long way
(``apply_in_batch``): equal bit for bit (``tests/test_direct_warps.py``).
Everything else takes the long way: another backend, order, convention or
dtype, a ``crop_size``, a standardising normalizer, masks, an overridden
``apply_transform``, a hand-made parameter object, a sample with an
intensity kernel or a box, a non-finite matrix, a flip or the identity.
"""

import dataclasses
import operator
import threading

import numpy as np

from augkit import geometry, kernels, skimage_warp
from augkit.iterators.sources import ArraySource
from augkit.params import NEUTRAL, TransformParams
from augkit.pipeline import INTENSITY_SWITCHES

__all__ = ["array_rows", "is_neutral", "plan"]

# The values ``==`` compares on a TransformParams, read in one C call: a fifth of the dataclass's time.
_COMPARED = operator.attrgetter(*(field.name for field in dataclasses.fields(TransformParams) if field.compare))
_NEUTRAL_VALUES = _COMPARED(NEUTRAL)
# What sends a sample the long way when set: an intensity kernel (its first key), a crop, resized-crop or
# erasing box.
_BOX_KEYS = ("crop_top", "resized_crop_top", "erase_top")
_LONG_WAY = operator.attrgetter(*(key for key, _ in INTENSITY_SWITCHES), *_BOX_KEYS)
_NONE_SET = (*(off for _, off in INTENSITY_SWITCHES), *(None for _ in _BOX_KEYS))


def is_neutral(params):
    """``params == NEUTRAL``, the same answer faster for a TransformParams (as streams draw them)."""
    if type(params) is TransformParams:
        return _COMPARED(params) == _NEUTRAL_VALUES
    return params == NEUTRAL


def _copies_pixels(stack, rows_cols):
    """:func:`augkit.kernels.copies_pixels` of each matrix of an ``(n, 3, 3)`` stack, in one pass."""
    copies = (stack[:, 0, 1] == 0) & (stack[:, 1, 0] == 0)
    for axis, size in enumerate(rows_cols):
        scale, offset = stack[:, axis, axis], stack[:, axis, 2]
        copies &= ((scale == 1) & (offset == 0)) | ((scale == -1) & (offset == size - 1))
    return copies


def _direct_settings(augmenter, shape, dtype):
    """Whether ``augmenter``'s warp of an image of ``shape`` into a batch of ``dtype`` is scikit-image's
    direct call (:func:`augkit.skimage_warp.warp`), with nothing after it that changes the shape."""
    return (augmenter.backend == "skimage" and augmenter.convention.resampler == "skimage"
            and augmenter.interpolation_order in skimage_warp.DIRECT_ORDERS
            and np.dtype(dtype) == augmenter.dtype and augmenter.dtype in skimage_warp.DIRECT_DTYPES
            and tuple(augmenter.output_shape(shape)) == tuple(shape) and skimage_warp.direct_agrees())


def plan(augmenter, params, matrices, shape, dtype):
    """Which samples of a batch are one direct warp, and the function that writes one.

    Parameters
    ----------
    augmenter : Augmenter
    params : sequence of TransformParams
        The batch's samples.
    matrices : ndarray, shape (n, 3, 3)
        Their matrices (:meth:`Augmenter.batch_matrices`).
    shape : tuple
        One image's shape, in ``augmenter.data_format``.
    dtype : dtype
        The batch's.

    Returns
    -------
    (list, callable) or None
        None when no sample can take the shortcut (see the module's
        docstring). Otherwise ``(direct, write)``: ``direct[i]`` is True
        for the samples that are one warp, and ``write(i, image, out)``
        writes sample ``i``'s warp of ``image`` (an array of ``shape``
        and ``dtype``) into ``out`` (its batch slot): what
        ``augmenter.apply_in_batch`` returns for it, bit for bit.
    """
    if not _direct_settings(augmenter, shape, dtype):
        return None
    stack = np.asarray(matrices)
    warps = np.isfinite(stack).all(axis=(1, 2)) & ~_copies_pixels(stack, augmenter.rows_cols(shape))
    direct = [bool(warp) and type(sample) is TransformParams and _LONG_WAY(sample) == _NONE_SET
              for warp, sample in zip(warps.tolist(), params, strict=True)]
    if not any(direct):
        return None
    matrices_xy = geometry.swap_axes_stack(stack).astype(augmenter.dtype)  # what warp_affine hands the warp
    order, cval = augmenter.interpolation_order, augmenter.cval
    mode = kernels.SKIMAGE_MODES[augmenter.fill_mode]
    first = augmenter.data_format == "channels_first"  # its channels are contiguous planes already

    def write(i, image, out):
        if first:
            image, out = image.transpose(1, 2, 0), out.transpose(1, 2, 0)
        if not image.flags.writeable:  # as warp_affine: the compiled warp cannot read read-only buffers
            image = image.copy(order="K")  # the same layout: a channels-first image's planes stay contiguous
        skimage_warp.warp_into(image, matrices_xy[i], out, order=order, mode=mode, cval=cval,
                               plane=None if first else _scratch_plane(image.shape[:2], image.dtype))

    return direct, write


def array_rows(source, dtype, checked):
    """``flow``'s ``x`` when each sample is a row of it as it is (:class:`~augkit.iterators.sources.ArraySource`),
    of ``dtype`` and accepted by ``checked`` (``BatchIterator._checked``; one row stands for all: they share
    shape and dtype); else None. The batch loop then reads the rows without asking the source each time."""
    images = getattr(source, "images", None)
    if type(source) is not ArraySource or type(images) is not np.ndarray or images.dtype != dtype or not len(images):
        return None
    return images if checked(images[0]) else None


_SCRATCH = threading.local()


def _scratch_plane(shape, dtype):
    """This thread's buffer for one channel (:func:`augkit.skimage_warp.warp_into`'s ``plane``), kept for its
    next image of the same size: no allocation per channel."""
    buffer = getattr(_SCRATCH, "plane", None)
    if buffer is None or buffer.shape != shape or buffer.dtype != dtype:
        buffer = _SCRATCH.plane = np.empty(shape, dtype)
    return buffer
