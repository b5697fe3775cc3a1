"""``ImageDataGenerator``: Keras's interface, as a thin facade.

The facade validates arguments and hands the work to three objects it
makes once: an :class:`~augkit.pipeline.Augmenter` (``augmenter``: one
matrix, the warp and the intensity kernels per sample), a
:class:`~augkit.normalization.Normalizer` (``normalizer``: ``standardize``
and ``fit``'s statistics) and random streams (:mod:`augkit.streams`). Its
iterators take the augmenter and the normalizer when they are made and
never call back into the facade, except for a subclass's override of
``apply_transform`` or ``standardize``, which they honour as Keras's do.
It holds no kernels of its own.
"""

import inspect
import numbers
import warnings

import numpy as np

from augkit import kernels, streams
from augkit.conventions import get_convention
from augkit.limits import check_memory
from augkit.masks import label_mask_warning
from augkit.normalization import Normalizer
from augkit.params import N_SLOTS, ParamRanges, TransformParams
from augkit.pipeline import Augmenter
from augkit.spec import AUGMENTATIONS

DATA_FORMATS = ("channels_last", "channels_first")
# Options that change pixel values in standardize (named by fit's label-mask warning).
_NORMALISATION_OPTIONS = ("featurewise_center", "featurewise_std_normalization", "zca_whitening",
                          "samplewise_center", "samplewise_std_normalization", "rescale")
# Memory one sampled transform takes in sample_params: its uniforms and a TransformParams object.
_BYTES_PER_SAMPLE = N_SLOTS * 8 + 600


def _forward_to_normalizer(name):
    return property(lambda self: getattr(self.normalizer, name),
                    lambda self, value: setattr(self.normalizer, name, value))


def _forward_to_augmenter(name):
    return property(lambda self: getattr(self.augmenter, name),
                    lambda self, value: setattr(self.augmenter, name, value),
                    doc=f"``{name}``, held by :attr:`augmenter` (assigning it here changes what it does).")


def _check_choice(value, name, accepted):
    if not isinstance(value, str):
        raise TypeError(f"{name}={value!r} must be a str, one of {', '.join(map(repr, accepted))}")
    if value not in accepted:
        raise ValueError(f"{name}={value!r} is not supported; use one of {', '.join(map(repr, accepted))}")
    return value


def _check_order(order):
    if isinstance(order, bool) or not isinstance(order, numbers.Integral):
        raise TypeError(f"interpolation_order={order!r} must be an int from 0 (nearest neighbour) to 5; "
                        "1 is bilinear")
    if not 0 <= order <= 5:
        raise ValueError(f"interpolation_order={order!r} is not supported; use an int from 0 "
                         "(nearest neighbour) to 5; 1 is bilinear")
    return int(order)


def _check_float_dtype(dtype):
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype={dtype!r} is not a numpy dtype; use 'float32' or 'float64'") from None
    if not np.issubdtype(resolved, np.floating):
        raise ValueError(f"dtype={dtype!r} must be a floating-point type such as 'float32'")
    return resolved


def _check_cval(cval):
    if isinstance(cval, bool) or not isinstance(cval, numbers.Real):
        raise TypeError(f"cval={cval!r} must be a finite number (the fill value for fill_mode='constant')")
    if not np.isfinite(cval):
        raise ValueError(f"cval={cval!r} must be a finite number (the fill value for fill_mode='constant')")
    return float(cval)


def _check_validation_split(split):
    if isinstance(split, bool) or not isinstance(split, numbers.Real):
        raise TypeError(f"validation_split={split!r} must be a number in [0, 1)")
    if not 0 <= split < 1:
        raise ValueError(f"validation_split={split!r} must be a number in [0, 1)")
    return float(split)


class ImageDataGenerator:
    """Keras's ``ImageDataGenerator``, on scikit-image warps.

    Each random parameter's distribution and unit:

    * ``rotation_range`` (degrees): angle uniform in ``[-r, r]``;
      ``rotation_range=90`` turns by anything from -90 to +90 degrees.
    * ``width_shift_range`` / ``height_shift_range``: a float below 1 is a
      fraction of the width/height, shift uniform in ``[-f, f]`` of it; a float
      of 1 or more is pixels; an int ``N`` is an integer from ``range(N)`` with
      a random sign; a list is one of its values with a random sign.
    * ``shear_range`` (degrees): shear angle uniform in ``[-s, s]``.
    * ``zoom_range``: a float ``z`` gives factors uniform in ``[1 - z, 1 + z]``,
      a pair is used as given, horizontal and vertical drawn independently.
      **A factor above 1 shows more of the scene: the picture gets smaller.**
    * ``channel_shift_range``: one offset uniform in ``[-r, r]`` added to all
      channels, clipped to the image's own min and max.
    * ``brightness_range``: a factor uniform in the pair multiplies the image.
    * ``horizontal_flip`` / ``vertical_flip``: each with probability 1/2.

    Geometry is one matrix and one warp per image, in Keras's order: affine,
    channel shift, flips, brightness. ``fill_mode`` is one of ``constant``
    (with ``cval``), ``nearest``, ``reflect`` and ``wrap``.

    ``compat=None`` does what the documentation says (true centre,
    ``width_shift_range`` moves columns, positive angles turn
    counter-clockwise, brightness keeps the value range, periodic ``wrap``,
    a ``numpy.random.Generator``). ``compat="keras_preprocessing"`` and
    ``compat="tf_keras"`` reproduce keras-preprocessing 1.1.2 and Keras >= 2.6
    / Keras 3 exactly, pixels and random numbers (see
    :mod:`augkit.conventions`).

    ``value_range=(0, 255)`` is the range of the images the colour and tone
    arguments beyond Keras's (``contrast_range``, ``saturation_range``,
    ``hue_range``, ``grayscale_probability``, ``sharpness_range``,
    ``blur_sigma_range``, ``posterization_bits``, ``solarization_range``,
    ``auto_contrast``, ``equalization``, ``noise_std_range``; see
    :mod:`augkit.spec_colour`) work in, as Keras 3's layers take it: pass
    ``(0, 1)`` for images already scaled; an image outside it is refused.
    The compat modes refuse those arguments (Keras's generator has none).

    The random ranges are the entries of the parameter spec table
    (:data:`augkit.spec.AUGMENTATIONS`); an entry beyond Keras's arguments is
    accepted as a keyword argument (``**augmentations``), so adding one to
    the table needs no edit here.

    Every argument is checked where it is given (here, in ``fit``, ``flow*``
    and the sampling methods): a wrong type raises TypeError, a wrong value
    ValueError, naming the argument, the value and what is accepted. Values
    Keras computes with keep working (``rotation_range=720``,
    ``shear_range=400``, ``width_shift_range=[-3, 5]``, a reversed
    ``zoom_range=(2, 0.5)``, ``rescale=0`` meaning off). **Stricter than
    Keras**, where Keras crashes later or computes garbage:

    * ranges above :data:`augkit.params.LARGEST_RANGE` (1e9) and zoom factors
      below 1e-9 (Keras: ``OverflowError`` in numpy from ~9e307, NaN pixels,
      meaningless angles);
    * ``rescale`` that is not a finite number (Keras multiplies by a list,
      NaN or inf); ``zca_epsilon`` <= 0 or non-finite (Keras divides by
      ``sqrt(0)``); a non-callable ``preprocessing_function`` (Keras fails at
      the first image); the boolean options and flips must be True or False;
    * a negative ``rotation_range``/``shear_range`` or float ``zoom_range``
      (Keras silently flips the interval); ``interpolation_order=1.0``;
    * seeds: ``bool`` everywhere (numpy takes True as 1); in the compat modes
      ints outside 0 to 2**32 - 1 fail at ``flow``/``fit``/``random_params``
      rather than at the first batch; ``batch_size`` 0 or negative (Keras
      yields empty or wrong batches) and ``fit(rounds=0)`` (NaN statistics);
    * sizes beyond this machine's memory (a batch, ``fit``'s augmented copy,
      ``sample_params(n)``) are refused before anything is allocated;
    * featurewise statistics or ZCA fitted on images of another shape or
      channel count (Keras broadcasts, fails deep inside, or silently
      stretches a grey mean over colour images).

    A generator pickles (and so do its iterators) unless its
    ``preprocessing_function`` cannot be pickled (a lambda or a nested
    function); the error then says so.

    Examples
    --------
    >>> import numpy as np
    >>> gen = ImageDataGenerator(rotation_range=40, zoom_range=0.2)
    >>> image = np.zeros((32, 48, 3), dtype=np.float32)
    >>> gen.random_transform(image, seed=0).shape
    (32, 48, 3)
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None, shear_range=0.0, zoom_range=0.0,
                 channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None,
                 data_format="channels_last", validation_split=0.0, interpolation_order=1,
                 dtype="float32", compat=None, value_range=(0, 255), **augmentations):
        given = {**locals(), **augmentations}
        unknown = [name for name in augmentations if name not in _EXTRA_ARGUMENTS]
        if unknown:
            raise TypeError(f"ImageDataGenerator() got an unexpected keyword argument {unknown[0]!r}")
        self.convention = get_convention(compat)
        self.compat = compat
        self.ranges = ParamRanges(**{entry.argument: given.get(entry.argument, entry.default)
                                     for entry in AUGMENTATIONS})
        _refuse_beyond_keras(self.ranges, self.convention)
        fill_mode = _check_choice(fill_mode, "fill_mode", kernels.FILL_MODES)
        cval = _check_cval(cval)
        self.data_format = _check_choice(data_format, "data_format", DATA_FORMATS)
        interpolation_order = _check_order(interpolation_order)
        self.dtype = _check_float_dtype(dtype)
        self.augmenter = Augmenter(self.ranges, self.convention, interpolation_order=interpolation_order,
                                   fill_mode=fill_mode, cval=cval, dtype=self.dtype, data_format=self.data_format,
                                   value_range=value_range)
        self._validation_split = _check_validation_split(validation_split)
        self.channel_axis, self.row_axis, self.col_axis = (
            (3, 1, 2) if self.data_format == "channels_last" else (1, 2, 3))
        self.normalizer = Normalizer(
            featurewise_center=featurewise_center, samplewise_center=samplewise_center,
            featurewise_std_normalization=featurewise_std_normalization,
            samplewise_std_normalization=samplewise_std_normalization, zca_whitening=zca_whitening,
            zca_epsilon=zca_epsilon, rescale=rescale, preprocessing_function=preprocessing_function,
            data_format=self.data_format, dtype=self.dtype, keras_statistics=compat or False)
        self._stream = streams.new_stream(self.convention)  # what seed=None continues

    @property
    def validation_split(self):
        """``validation_split`` as validated (read-only): the fraction ``subset="validation"`` takes."""
        return self._validation_split

    # Keras's attribute names of the random ranges (rotation_range, ...) are
    # properties read from the validated ranges, one per entry of the spec
    # table: see _range_property below the class.

    # The warp options live in the Augmenter (augkit.pipeline); Keras's names
    # on the facade read and write them there.
    fill_mode = _forward_to_augmenter("fill_mode")
    cval = _forward_to_augmenter("cval")
    interpolation_order = _forward_to_augmenter("interpolation_order")

    # Normalisation options and statistics live in the Normalizer; Keras's
    # names on the facade read and write them there.
    featurewise_center = _forward_to_normalizer("featurewise_center")
    samplewise_center = _forward_to_normalizer("samplewise_center")
    featurewise_std_normalization = _forward_to_normalizer("featurewise_std_normalization")
    samplewise_std_normalization = _forward_to_normalizer("samplewise_std_normalization")
    zca_whitening = _forward_to_normalizer("zca_whitening")
    zca_epsilon = _forward_to_normalizer("zca_epsilon")
    rescale = _forward_to_normalizer("rescale")
    preprocessing_function = _forward_to_normalizer("preprocessing_function")
    mean = _forward_to_normalizer("mean")
    std = _forward_to_normalizer("std")
    principal_components = _forward_to_normalizer("principal_components")
    zca_whitening_matrix = _forward_to_normalizer("zca_whitening_matrix")

    def standardize(self, x):
        """Apply the normalisation options to one image or a batch (never in place).

        Keras's order: ``preprocessing_function``, ``rescale``, samplewise
        centre/std, featurewise centre/std, ZCA. Iterators apply the same
        normaliser to each sample after its transform (and call this method
        instead if a subclass overrides it). Samplewise statistics are per
        image in the default mode; with a ``compat`` mode they are computed
        over whatever array is given, as Keras does (over the whole batch if
        you pass a batch). See :class:`augkit.normalization.Normalizer`.

        Non-finite values: ``rescale`` and featurewise centre/std contain them
        (a NaN stays one NaN); samplewise centre/std and ZCA refuse them with a
        ``ValueError`` naming the pixel, since they mix every pixel of an image.
        """
        return self.normalizer.standardize(x)

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Compute the featurewise statistics (``mean``, ``std``, ZCA) from data.

        Call it before ``flow`` when a featurewise option or ZCA is on.

        Parameters
        ----------
        x : array_like, rank 4
            Training images in ``data_format``.
        augment : bool
            Fit on ``rounds`` randomly augmented copies of ``x``.
        rounds : int
            Number of augmented passes over ``x`` (at least 1; Keras also
            takes 0 and fits NaN statistics). A ``rounds`` whose augmented copy
            (``rounds * len(x)`` images) would not fit in this machine's memory
            is refused before anything is allocated.
        seed : None, int, or (default mode) numpy.random.Generator
            Makes the augmentation reproducible; see :meth:`stream` for the
            contract every method's ``seed`` follows.

        Warns when ``x`` looks like label masks (at most 32 distinct whole
        values) and a normalisation option is set: the classic recipe's mask
        generator would then turn labels into floats. Use :meth:`flow_pairs`.

        Non-finite values: refused (``ValueError`` counting the NaN and inf
        values and naming the first). Keras silently computes NaN statistics,
        which then turn every standardized image into NaN.
        """
        if not isinstance(augment, (bool, np.bool_)):
            raise TypeError(f"augment={augment!r} must be True or False")
        if isinstance(rounds, bool) or not isinstance(rounds, numbers.Integral):
            raise TypeError(f"rounds={rounds!r} must be an int >= 1 (the number of augmented passes over x)")
        if rounds < 1:
            raise ValueError(f"rounds={rounds!r} must be an int >= 1 (the number of augmented passes over x)")
        stream = self._draws(seed)
        message = label_mask_warning(x, {name: getattr(self, name) for name in _NORMALISATION_OPTIONS})
        if message:
            warnings.warn(message, UserWarning, stacklevel=2)
        continuing = stream.as_seed()  # each image's random_transform continues the stream, as in Keras
        transform = lambda image: self.random_transform(image, seed=continuing)  # noqa: E731
        self.normalizer.fit(x, transform=transform if augment else None, rounds=rounds)

    # Shapes and sampling

    def _rows_cols(self, img_shape, name="img_shape"):
        shape = tuple(img_shape)
        if len(shape) != 3 or any(isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1
                                  for s in shape):
            layout = "(rows, cols, channels)" if self.data_format == "channels_last" else "(channels, rows, cols)"
            raise ValueError(f"{name}={shape!r} must be the shape of one image, {layout}")
        return shape[self.row_axis - 1], shape[self.col_axis - 1]

    def random_params(self, img_shape, seed=None):
        """Sample one transform for an image of ``img_shape``, as :class:`TransformParams`.

        ``seed`` as for every method (see :meth:`stream`): None continues
        this generator's own stream; an int (or, in the default mode, a
        ``numpy.random.Generator``) makes it reproducible. With a ``compat``
        mode an int reseeds the legacy stream exactly as Keras's
        ``np.random.seed(seed)`` does, so later draws continue from it.
        """
        shape = self._rows_cols(img_shape)
        return self._draws(seed).draw(self.ranges, shape, 1)[0]

    def sample_params(self, img_shape, n, seed=None):
        """Sample ``n`` transforms for images of ``img_shape``, as a list of :class:`TransformParams`.

        The same int ``seed`` gives the same list, in every convention: the
        default mode draws from ``numpy.random.default_rng(seed)`` (a list
        equal to ``n`` calls of :meth:`random_params` with that one
        generator); the ``compat`` modes seed the legacy stream once and draw
        ``n`` times, as Keras does over a batch. ``seed=None`` continues this
        generator's own stream (see :meth:`stream` for the contract).

        Parameters
        ----------
        img_shape : tuple
            ``(rows, cols)``, or the shape of one image in ``data_format`` as
            for :meth:`random_params`.
        n : int
            How many transforms (at least 1).
        seed : None, int, or (default mode) numpy.random.Generator

        Returns
        -------
        list of TransformParams

        Examples
        --------
        >>> gen = ImageDataGenerator(rotation_range=90)
        >>> a = gen.sample_params((8, 8), 3, seed=1)
        >>> a == gen.sample_params((8, 8, 3), 3, seed=1), len(a)
        (True, 3)
        """
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"n={n!r} must be a positive int (the number of samples)")
        if n < 1:
            raise ValueError(f"n={n!r} must be a positive int (the number of samples)")
        check_memory(int(n) * _BYTES_PER_SAMPLE, f"sample_params(n={n}) ({n} TransformParams)")
        shape = tuple(img_shape)
        if len(shape) == 2:  # (rows, cols): the same in either data_format
            shape = shape + (1,) if self.data_format == "channels_last" else (1,) + shape
        shape = self._rows_cols(shape)
        return self._draws(seed).draw(self.ranges, shape, int(n))

    # Randomness: one seed contract, one dispatch (augkit.streams)

    def stream(self, seed=None):
        """A new random stream for one iterator; every ``flow*`` method makes its iterator's here.

        **The seed contract** of every method of this class (``random_params``,
        ``sample_params``, ``get_random_transform``, ``random_transform``,
        ``fit``, ``flow*`` and this one):

        * default mode: None, an int >= 0 (no upper limit) or a
          ``numpy.random.Generator``. An int gives the same draws every time.
          For an iterator (counter-based, see
          :class:`augkit.streams.DefaultStream`) None or a Generator gives an
          int seed drawn from this generator's own stream or from that
          Generator, kept as ``iterator.seed``; for a one-off draw None
          continues this generator's own stream and a Generator is drawn from
          directly.
        * compat modes: None or an int from 0 to 2**32 - 1, as Keras's
          ``np.random.seed`` takes (a Generator is a TypeError). One
          ``RandomState`` is shared by the generator and its iterators, as
          Keras's global stream is: an int reseeds it (an iterator reseeds it
          with ``seed + total_batches_seen`` before each batch), None
          continues it (see :class:`augkit.streams.KerasStream`).
        * everywhere: ``bool`` and non-int numbers are a TypeError, a
          negative int a ValueError, raised where the seed is given.

        Returns
        -------
        augkit.streams.DefaultStream or augkit.streams.KerasStream
        """
        return self._stream.child(self._checked_seed(seed))

    def _draws(self, seed):
        """The stream a one-off draw (``random_params``, ``sample_params``, ``fit``) with ``seed`` uses."""
        return self._stream.seeded(self._checked_seed(seed))

    def _checked_seed(self, seed):
        """``seed`` checked against the contract of :meth:`stream`, where it is given."""
        return self._stream.checked_seed(seed, compat=self.compat)

    def get_random_transform(self, img_shape, seed=None):
        """Keras's dict of random parameters for an image of ``img_shape``.

        Keys ``theta`` (degrees), ``tx`` (pixels, from ``height_shift_range``),
        ``ty`` (pixels, from ``width_shift_range``), ``shear`` (degrees),
        ``zx``, ``zy`` (zoom factors), ``flip_horizontal``, ``flip_vertical``,
        ``channel_shift_intensity`` and ``brightness`` (None when off).
        """
        return self.random_params(img_shape, seed).to_dict()

    # Applying

    def _checked_image(self, x):
        return self.augmenter.check_image(x)

    def transform_matrix(self, params, img_shape):
        """The single 3x3 ``(row, col)`` inverse-map matrix of ``params``, flips included.

        ``params`` is a :class:`TransformParams` or Keras's dict. Always a
        new 3x3 float array, as :func:`augkit.conventions.transform_matrix`
        returns: neutral parameters give the identity matrix, never None.
        """
        shape = self._rows_cols(img_shape)
        return self.augmenter.matrix(params, shape)

    def apply_transform(self, x, transform_parameters):
        """Apply given parameters to one image: affine, channel shift, flips, brightness.

        Parameters
        ----------
        x : array_like
            One image, rank 3, in ``data_format``; any numeric dtype. It is
            never modified.
        transform_parameters : dict or TransformParams
            As returned by :meth:`get_random_transform`; missing keys are
            neutral.

        Returns
        -------
        ndarray
            A new image of the generator's ``dtype`` and the same shape, never
            a view of ``x`` (also for neutral parameters). ``x`` may be
            read-only (a JAX array, a memory-mapped file).

        Notes
        -----
        Non-finite values: the warp *contains* them (orders 0, 1 and the
        default order 3: only output pixels that read a NaN or inf become
        non-finite) and *refuses* them for B-spline orders; channel shift and
        brightness *refuse* them. A refusal is a ``ValueError``
        (:class:`augkit.finite.NonFiniteError`) saying where ``x`` holds
        NaN or inf; see the functions of :mod:`augkit.functional`. The work
        is :meth:`augkit.pipeline.Augmenter.apply`'s (``self.augmenter``).
        """
        return self.augmenter.apply(TransformParams.of(transform_parameters), x)

    def random_transform(self, x, seed=None):
        """Apply a random transform to one image (see :meth:`random_params` for ``seed``).

        Returns a new array, never a view of ``x``; ``x`` may be read-only.
        Non-finite values: as :meth:`apply_transform` (the warp contains them,
        B-spline orders, channel shift and brightness refuse them).

        ``x`` has rank 3 and is read as ``data_format`` says. augkit never
        guesses the channel axis: an image such as ``(3, 8, 3)`` or
        ``(4, 4, 4)`` is rows, cols, channels with ``channels_last`` and
        channels, rows, cols with ``channels_first``. Only a shape that
        clearly belongs to the other layout (``(3, 20, 30)`` with
        ``channels_last``) is an error.
        """
        image = self._checked_image(x)
        return self.apply_transform(image, self.random_params(image.shape, seed))

    # Iterators (augkit.iterators, augkit.file_iterators)

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None, workers=None):
        """Batches of augmented images from arrays: a :class:`~augkit.array_iterator.NumpyArrayIterator`.

        ``x`` is a rank-4 array (or ``(images, extra)``), never copied;
        ``workers`` threads augment each batch (default: all cores). In the
        default mode each sample's transform depends only on ``(seed, epoch,
        index)``: see :mod:`augkit.iterators`. With ``validation_split`` and
        ``subset``, note that the validation subset is augmented too.

        ``y`` and ``sample_weight`` are arrays or sequences with one entry per
        image (a scalar, dict, set, str or generator is a TypeError);
        ``batch_size`` an int >= 1 (above ``len(x)`` it gives one batch, as in
        Keras); ``seed`` None, an int >= 0 or (default mode) a Generator,
        below 2**32 in the compat modes, as :meth:`stream` says, checked
        here rather than at the first batch.
        """
        from augkit.array_iterator import NumpyArrayIterator

        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format, subset=subset,
            ignore_class_split=ignore_class_split, workers=workers)

    def flow_pairs(self, x, masks, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
                   save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
                   subset=None, workers=None, *, mask_fill_mode="constant", mask_cval=0):
        """Batches of ``(images, masks)`` augmented together: a :class:`~augkit.segmentation.PairedArrayIterator`.

        Each sample's transform is sampled once and applied to both; masks
        are warped by nearest neighbour and filled with ``mask_cval``
        (0, background), and keep their dtype and labels exactly. Intensity
        options and normalisation touch the images only. With ``y`` a batch
        is ``(x, (masks, y))``; ``sample_weight`` comes last. See
        :mod:`augkit.segmentation`.

        The arguments are :meth:`flow`'s, in :meth:`flow`'s order, with
        ``masks`` after ``x``: a call written for ``flow`` (Keras's order,
        ``sample_weight`` before ``seed``, ``ignore_class_split`` before
        ``subset``) works here with the masks added. The mask options
        ``mask_fill_mode`` and ``mask_cval`` are keyword-only.
        """
        from augkit.segmentation import PairedArrayIterator

        return PairedArrayIterator(
            x, masks, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
            seed=seed, save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format,
            subset=subset, ignore_class_split=ignore_class_split, mask_fill_mode=mask_fill_mode,
            mask_cval=mask_cval, workers=workers)

    def flow_pairs_from_directory(self, image_directory, mask_directory, target_size=(256, 256),
                                  color_mode="rgb", mask_color_mode="grayscale", batch_size=32, shuffle=True,
                                  seed=None, save_to_dir=None, save_prefix="", save_format="png",
                                  follow_links=False, subset=None, interpolation="nearest",
                                  keep_aspect_ratio=False, mask_fill_mode="constant", mask_cval=0,
                                  workers=None):
        """``(images, masks)`` from two folders, files paired by name: a
        :class:`~augkit.segmentation.PairedDirectoryIterator`.

        Masks are resized by nearest neighbour and augmented as in
        :meth:`flow_pairs`; an image without a mask (or a mask without an
        image) is an error naming the files.
        """
        from augkit.segmentation import PairedDirectoryIterator

        return PairedDirectoryIterator(
            image_directory, mask_directory, self, target_size=target_size, color_mode=color_mode,
            mask_color_mode=mask_color_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format,
            follow_links=follow_links, subset=subset, interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio, mask_fill_mode=mask_fill_mode, mask_cval=mask_cval,
            workers=workers)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="", save_format="png", follow_links=False,
                            subset=None, interpolation="nearest", keep_aspect_ratio=False,
                            workers=None):
        """Batches from a folder of class subfolders: a :class:`~augkit.file_iterators.DirectoryIterator`.

        **The validation subset is augmented too** when this generator
        augments: for validation use a second generator with the same
        ``validation_split`` and no random options.
        """
        from augkit.file_iterators import DirectoryIterator

        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format,
            follow_links=follow_links, subset=subset, interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio, workers=workers)

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename", y_col="class",
                            weight_col=None, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="", save_format="png", subset=None,
                            interpolation="nearest", validate_filenames=True, keep_aspect_ratio=False,
                            workers=None):
        """Batches of the files a pandas DataFrame lists: a :class:`~augkit.file_iterators.DataFrameIterator`.

        pandas is needed only here. Class modes as in Keras, ``raw`` and
        ``multi_output`` included.
        """
        from augkit.file_iterators import DataFrameIterator

        return DataFrameIterator(
            dataframe, directory, self, x_col=x_col, y_col=y_col, weight_col=weight_col,
            target_size=target_size, color_mode=color_mode, classes=classes, class_mode=class_mode,
            batch_size=batch_size, shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format, subset=subset,
            interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio,
            validate_filenames=validate_filenames, workers=workers)

    def __repr__(self):
        changed = [f"{entry.argument}={getattr(self, entry.argument)!r}" for entry in _IN_KERAS_ORDER
                   if entry.is_on(getattr(self.ranges, entry.argument))]
        changed.append(f"fill_mode={self.fill_mode!r}")
        if self.convention.argument:
            changed.append(self.convention.argument)
        return f"ImageDataGenerator({', '.join(changed)})"


#: ``ImageDataGenerator``'s arguments, in Keras's order (the order of controls, options and ``repr``).
ARGUMENTS = tuple(inspect.signature(ImageDataGenerator.__init__).parameters)[1:-2]


def _refuse_beyond_keras(ranges, convention):
    """A Keras convention draws only Keras's own parameters: an argument beyond Keras's that is on is refused."""
    if not convention.argument:  # the default convention
        return
    for entry in AUGMENTATIONS:
        if not entry.in_compat and entry.is_on(getattr(ranges, entry.argument)):
            raise ValueError(f"{entry.argument} is not an argument of Keras's ImageDataGenerator: "
                             f"{convention.argument} draws only Keras's own parameters, as Keras does; "
                             f"use compat=None for {entry.argument}")


def keras_position(argument):
    """Where ``argument`` comes in Keras's order; arguments beyond Keras's come last, in the table's order."""
    if argument in ARGUMENTS:
        return ARGUMENTS.index(argument)
    return len(ARGUMENTS) + [entry.argument for entry in AUGMENTATIONS].index(argument)


def _range_property(entry):
    return property(lambda self: entry.public(getattr(self.ranges, entry.argument)),
                    doc=f"``{entry.argument}`` as validated (read-only).")


for _entry in AUGMENTATIONS:
    setattr(ImageDataGenerator, _entry.argument, _range_property(_entry))
del _entry

# Entries of the spec table beyond Keras's arguments: keyword arguments of ImageDataGenerator.
_EXTRA_ARGUMENTS = tuple(entry.argument for entry in AUGMENTATIONS if entry.argument not in ARGUMENTS)
#: The spec table's entries in the order of ``ImageDataGenerator``'s arguments (Keras's).
_IN_KERAS_ORDER = sorted(AUGMENTATIONS, key=lambda entry: keras_position(entry.argument))
