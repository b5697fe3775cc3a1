"""The augmenter: sample a transform once, apply it to an image and its mask.

:class:`Augmenter` is the per-sample pipeline every iterator shares (and
``ImageDataGenerator.apply_transform`` too), in the style of torchvision's
transforms v2: :meth:`~Augmenter.make_params` draws the parameters (from a
stream of :mod:`augkit.streams`; the augmenter holds no random state) and
:meth:`~Augmenter.apply` applies them, deterministically:

1. one 3x3 matrix from the parameters (:func:`augkit.conventions.transform_matrix`),
   built **once** per sample;
2. the image is warped through it (:func:`augkit.kernels.warp_affine`, or
   OpenCV's with ``backend="opencv"``: :mod:`augkit.backends`; with
   the generator's ``interpolation_order``, ``fill_mode`` and ``cval``),
   then the intensity kernels of the spec table run on it, in the table's
   (Keras's) order: channel shift, brightness, then the colour and tone
   entries (:mod:`augkit.spec_colour`, in ``value_range``);
3. the mask, if one is given, is warped through the *same* matrix by
   nearest neighbour (:func:`augkit.kernels.warp_nearest`); no intensity
   kernel touches it, and it keeps its dtype and labels;
4. ``crop_size`` cuts both with one box (``random_resized_crop`` cuts one and
   resizes it: the image by one affine warp, the mask by nearest
   neighbour) and ``random_erasing`` paints the
   image's box, leaving the mask or writing its ignore label there
   (:func:`augkit.spec_crop.crop_and_erase`; off unless asked for).

Where a sample has both a geometry that resamples and a resized crop, the
box is folded into the matrix (:mod:`augkit.crop_fold`): the image is
resampled once, straight to the crop's size (its intensity kernels run
first, on the input), and the mask gathered once.

The augmenter knows nothing of files, batches or normalisation: the
iterators load, the :class:`~augkit.normalization.Normalizer` standardises.

Examples
--------
>>> import numpy as np
>>> from augkit import ImageDataGenerator
>>> from augkit.params import TransformParams
>>> augmenter = ImageDataGenerator().augmenter
>>> image = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
>>> mask = np.array([[0, 1], [2, 3]], dtype=np.uint8)
>>> flipped, flipped_mask = augmenter.apply(TransformParams(flip_horizontal=True), image, mask)
>>> flipped_mask
array([[1, 0],
       [3, 2]], dtype=uint8)
>>> bool((flipped == image[:, ::-1]).all())
True
"""

import operator

import numpy as np

from augkit import backends, colour, conventions, crop_fold, finite, kernels
from augkit.params import TransformParams
from augkit.spec import AUGMENTATIONS
from augkit.spec_crop import crop_and_erase, crop_output_shape, output_size

__all__ = ["Augmenter"]

# Entries whose parameters are applied by an intensity kernel after the warp: a kernel is handed its
# entry's one value, or the tuple of its values when it has several keys (off when the first is None or False).
INTENSITY_KERNELS = tuple((entry, tuple(key.name for key in entry.keys)) for entry in AUGMENTATIONS
                          if entry.kernel is not None)
#: The first key of each kernel that works in ``value_range`` (the colour and tone entries).
_IN_VALUE_RANGE = tuple(keys[0] for entry, keys in INTENSITY_KERNELS if entry.value_range)
#: Each intensity kernel's first key and its value when off (None, or False for the switches).
INTENSITY_SWITCHES = tuple((keys[0], entry.keys[0].neutral) for entry, keys in INTENSITY_KERNELS)
# The first keys read in one C call: a sample with every kernel off skips the loops below, which run for
# every image.
_FIRST_KEYS = operator.attrgetter(*(key for key, _ in INTENSITY_SWITCHES))
_ALL_OFF = tuple(off for _, off in INTENSITY_SWITCHES)


class Augmenter:
    """Draw and apply one transform per sample; what ``ImageDataGenerator.augmenter`` is.

    The facade makes it from its validated options (it checks nothing
    itself) and forwards ``fill_mode``, ``cval`` and ``interpolation_order``
    to it, so assigning them on the generator changes what it does.

    Parameters
    ----------
    ranges : augkit.params.ParamRanges
        The random ranges (``make_params`` hands them to the stream).
    convention : augkit.conventions.Convention
        The behaviour's facts (centre, axes, signs, wrap, brightness).
    interpolation_order : int
    fill_mode : {"constant", "nearest", "reflect", "wrap"}
    cval : float
        The image's warp options (the mask's are arguments of :meth:`apply`).
    dtype : numpy dtype
        The dtype of the images :meth:`apply` returns: a float type, or
        uint8 (uint8 images only) with the OpenCV backend.
    data_format : {"channels_last", "channels_first"}
        The layout of the images (and masks with channels) given and returned.
    backend : {"skimage", "opencv"}
        Which library warps the image (:mod:`augkit.backends`); masks are
        always warped by :func:`augkit.kernels.warp_nearest`.
    value_range : (low, high)
        The range of the images the colour and tone kernels take
        (:mod:`augkit.spec_colour`); when one of them is on, an image
        outside it is refused, naming ``value_range``. Random erasing's
        noise is uniform over it unless its ``noise_range`` is given.
    """

    def __init__(self, ranges, convention, *, interpolation_order=1, fill_mode="nearest", cval=0.0,
                 dtype=np.float32, data_format="channels_last", backend="skimage", value_range=(0, 255)):
        self.convention = convention
        self.ranges = ranges
        self.interpolation_order = interpolation_order
        self.fill_mode = fill_mode
        self.cval = cval
        self.dtype = np.dtype(dtype)
        self.data_format = data_format
        self.backend = backend
        self.value_range = colour.check_value_range(value_range)

    def __repr__(self):
        return (f"Augmenter({self.ranges!r}, {self.convention!r}, interpolation_order={self.interpolation_order}, "
                f"fill_mode={self.fill_mode!r}, cval={self.cval!r}, dtype={self.dtype.name!r}, "
                f"data_format={self.data_format!r}, backend={self.backend!r})")

    @property
    def ranges(self):
        """The :class:`~augkit.params.ParamRanges`; an entry the convention refuses (``in_compat=False``) is a
        ValueError naming it when assigned."""
        return self._ranges

    @ranges.setter
    def ranges(self, ranges):
        if self.convention.argument:  # a Keras convention draws only Keras's own parameters
            for entry in AUGMENTATIONS:
                if not entry.in_compat and entry.is_on(getattr(ranges, entry.argument)):
                    raise ValueError(f"{entry.argument} is not an argument of Keras's ImageDataGenerator: "
                                     f"{self.convention.argument} draws only Keras's own parameters, as Keras "
                                     f"does; use compat=None for {entry.argument}")
        self._ranges = ranges

    # --- sampling ---------------------------------------------------------------

    def rows_cols(self, shape):
        """``(rows, cols)`` of one image's ``shape`` in ``data_format`` (a mask's: rank 2 or 3)."""
        shape = tuple(shape)
        if len(shape) == 2:
            return shape
        return shape[:2] if self.data_format == "channels_last" else shape[1:]

    def make_params(self, shape, stream, index_array, epoch, n):
        """The :class:`~augkit.params.TransformParams` of samples ``index_array`` of ``epoch``.

        ``shape`` is one image's shape in ``data_format``; ``stream`` an
        iterator's stream over ``n`` samples (:mod:`augkit.streams`), which
        does the drawing: the augmenter only supplies the ranges and the
        image size.
        """
        return stream.params(index_array, epoch, n, self.ranges, self.rows_cols(shape))

    # --- applying ---------------------------------------------------------------

    def check_image(self, x):
        """``x`` as an array if it is one image of rank 3 in ``data_format``; else a clear error."""
        array = np.asarray(x)
        if array.ndim != 3:
            raise ValueError(f"x must be one image of rank 3 ({self.data_format}); got an array of shape "
                             f"{array.shape}. For a batch, transform each image.")
        if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
            raise TypeError(f"x must hold numbers; got dtype {array.dtype}")
        if 0 in array.shape:
            raise ValueError(f"x has shape {array.shape}: an image needs at least one row, one column and one "
                             f"channel ({self.data_format})")
        # data_format decides; the channel count is only used to catch a clear mix-up. An
        # ambiguous shape such as (3, 8, 3) or (4, 4, 4) is read as data_format says.
        channels_here, channels_there = (array.shape[-1], array.shape[0]) if self.data_format == "channels_last" \
            else (array.shape[0], array.shape[-1])
        if channels_here not in (1, 3, 4) and channels_there in (1, 3, 4):
            other = "channels_first" if self.data_format == "channels_last" else "channels_last"
            raise ValueError(f"x has shape {array.shape}: with data_format={self.data_format!r} that is "
                             f"{channels_here} channels, which looks like a {other} image; convert it "
                             f"or construct the generator with data_format={other!r}")
        return array

    def matrix(self, params, rows_cols):
        """The 3x3 ``(row, col)`` inverse map of ``params`` for an image of ``rows_cols``."""
        return conventions.transform_matrix(TransformParams.of(params), tuple(rows_cols), self.convention)

    def apply(self, params, image, mask=None, *, mask_fill_mode="constant", mask_cval=0):
        """Apply ``params`` to ``image`` and, if given, to ``mask``, through one matrix.

        Parameters
        ----------
        params : TransformParams or dict
            One sample's parameters (Keras's dict keys; missing keys neutral).
        image : array_like
            One image, rank 3, in ``data_format``; any numeric dtype; never
            modified (it may be read-only).
        mask : array_like, optional
            ``(rows, cols)`` labels or ``(rows, cols, k)`` channels placed as
            ``data_format`` says, any numeric or bool dtype; never modified.
        mask_fill_mode : {"constant", "nearest", "reflect", "wrap"}
        mask_cval : scalar or sequence of k scalars
            What the mask reads outside itself (see :func:`augkit.kernels.warp_nearest`);
            ``mask_cval`` must be representable in the mask's dtype.

        Returns
        -------
        ndarray, or (ndarray, ndarray) when ``mask`` is given
            The image in ``dtype`` (and the mask in its own dtype), new
            arrays of the input shapes, never views (also for neutral
            parameters).
        """
        params = TransformParams.of(params)
        image = self.channels_last(self.check_image(image))
        matrix = self.matrix(params, image.shape[:2])
        folded = self._fold(params, matrix, image.shape[:2])
        out = self._transform_image(image, matrix, params, folded)
        warped = None if mask is None else self._warp_mask(mask, matrix, mask_fill_mode, mask_cval, folded)
        out, warped = self._crop_and_erase(params, out, warped, folded)
        out = self._channels_native(out)
        return out if mask is None else (out, self._channels_native(warped))

    def apply_mask(self, params, mask, *, mask_fill_mode="constant", mask_cval=0):
        """Only the mask's part of :meth:`apply` (the image is transformed elsewhere)."""
        params = TransformParams.of(params)
        mask = np.asarray(mask)
        rows_cols = self.rows_cols(mask.shape)
        matrix = self.matrix(params, rows_cols)
        folded = self._fold(params, matrix, rows_cols)
        warped = self._warp_mask(mask, matrix, mask_fill_mode, mask_cval, folded)
        _, warped = crop_and_erase(params, warped[..., None], warped, None if params.erase_top is None
                                   else getattr(self.ranges, "random_erasing", None),
                                   getattr(self.ranges, "random_resized_crop", None), 0, folded=folded is not None)
        return self._channels_native(warped)

    # --- a batch (the iterators' loop) --------------------------------------------

    def batch_matrices(self, params, shape):
        """The matrices of a batch's ``params`` for images of ``shape`` (one image's, in ``data_format``).

        An ``(n, 3, 3)`` stack built in one pass
        (:func:`augkit.conventions.transform_matrices`); each matrix equals
        :meth:`matrix` of its sample bit for bit.
        """
        return conventions.transform_matrices(params, self.rows_cols(shape), self.convention)

    def apply_in_batch(self, params, image, matrix):
        """:meth:`apply` without a mask, for the batch loop, which has done part of its work once per batch.

        ``params`` is a :class:`~augkit.params.TransformParams` (as streams
        draw them), ``image`` an array that :meth:`check_image` accepted
        (or one of the same shape and dtype) and ``matrix`` its sample's
        matrix from :meth:`batch_matrices`. The result is ``apply(params, image)``'s.
        """
        image = self.channels_last(image)
        folded = self._fold(params, matrix, image.shape[:2])
        out, _ = self._crop_and_erase(params, self._transform_image(image, matrix, params, folded), None, folded)
        return self._channels_native(out)

    def output_shape(self, shape):
        """One output's shape (an image's or a mask's, in ``data_format``) for an input of ``shape``:
        the same, or the ``crop_size`` (``random_resized_crop``'s size) in place of its rows and columns
        (see :mod:`augkit.spec_crop`)."""
        return crop_output_shape(output_size(self.ranges), shape, self.data_format == "channels_last")

    def _fold(self, params, matrix, rows_cols):
        """The sample's resized crop folded into ``matrix`` (:func:`augkit.crop_fold.fold_params`), or None."""
        return crop_fold.fold_params(params, matrix, rows_cols, getattr(self.ranges, "random_resized_crop", None))

    def _crop_and_erase(self, params, image, mask, folded):
        """:func:`augkit.spec_crop.crop_and_erase` with this augmenter's settings."""
        return crop_and_erase(params, image, mask, getattr(self.ranges, "random_erasing", None),
                              getattr(self.ranges, "random_resized_crop", None), self.interpolation_order,
                              folded=folded is not None, value_range=self.value_range)

    def _transform_image(self, image, matrix, params, folded=None):
        """Warp, then the intensity kernels; a NaN or inf refused by a kernel is reported as ``x``'s.

        With ``folded`` (:mod:`augkit.crop_fold`), the intensity kernels first, then one warp through
        the folded matrix to the crop's size.
        """
        image = finite.cast_image(image, self.dtype)
        intensity = _FIRST_KEYS(params) != _ALL_OFF  # read once: most samples have every kernel off
        if intensity:
            self._check_value_range(image, params)
        try:
            if folded is None:
                out = backends.warp(self.backend, image, matrix, order=self.interpolation_order,
                                    fill_mode=self.fill_mode, cval=self.cval, convention=self.convention)
                out = self._intensity(out, params) if intensity else out
            else:
                adjusted = self._intensity(image, params) if intensity else image
                out = backends.warp(self.backend, adjusted, folded.matrix,
                                    order=self.interpolation_order, fill_mode=self.fill_mode, cval=self.cval,
                                    convention=self.convention, output_shape=folded.size)
        except finite.NonFiniteError as error:
            if not finite.describe_non_finite(image):
                raise
            raise error.about("x", image) from None
        return out.astype(self.dtype, copy=False)

    def _check_value_range(self, image, params):
        """Refuse ``image`` by name when a colour or tone kernel is on and it leaves ``value_range``."""
        if any(getattr(params, key) not in (None, False) for key in _IN_VALUE_RANGE):
            colour.within(image, self.value_range)  # before the warp: refused, never clipped into range

    def _intensity(self, out, params):
        """The intensity kernels after the warp, in the table's (Keras's) order.

        The colour and tone kernels get the warped image clipped to
        ``value_range`` (an order-3 warp or ``cval`` may leave it) and that range.
        """
        for entry, keys in INTENSITY_KERNELS:
            value = getattr(params, keys[0])
            if value is None or value is False:
                continue
            if len(keys) > 1:
                value = tuple(getattr(params, key) for key in keys)
            if entry.value_range:
                out = entry.kernel(np.clip(out, *self.value_range), value, self.convention,
                                   value_range=self.value_range)
            else:
                out = entry.kernel(out, value, self.convention)
        return out

    def _warp_mask(self, mask, matrix, fill_mode, cval, folded=None):
        """The mask warped by nearest neighbour, channels last (as the crop and erasing take it); with
        ``folded``, gathered once through the folded matrix to the crop's size."""
        mask = self.channels_last(np.asarray(mask))
        if folded is not None:
            return kernels.warp_nearest(mask, folded.matrix, fill_mode=fill_mode, cval=cval,
                                        output_shape=folded.size)
        return kernels.warp_nearest(mask, matrix, fill_mode=fill_mode, cval=cval)

    def channels_last(self, array):
        """A rank-3 ``array`` (an image or a mask with channels) with its channels last, as the kernels take it."""
        if array.ndim == 3 and self.data_format == "channels_first":
            return np.moveaxis(array, 0, -1)
        return array

    def _channels_native(self, array):
        if array.ndim == 3 and self.data_format == "channels_first":
            return np.moveaxis(array, -1, 0)
        return array
