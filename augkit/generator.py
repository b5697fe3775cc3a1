"""``ImageDataGenerator``: Keras's interface, as a thin facade.

The facade validates arguments and hands the work to three objects: an
:class:`~augkit.pipeline.Augmenter` (``augmenter``: one matrix, the warp
and the intensity kernels per sample), a
:class:`~augkit.normalization.Normalizer` (``normalizer``: ``standardize``
and ``fit``'s statistics) and random streams (:mod:`augkit.streams`). Its
iterators take the augmenter and the normalizer when they are made and
never call back into the facade, except for a subclass's override of
``apply_transform`` or ``standardize``, which they honour as Keras's do.
It holds no kernels of its own.

The class is put together from one module per idea: the assignable
options (:mod:`augkit.options`: ``gen.rotation_range = 10`` after
construction is checked and reaches the augmenter), normalisation
(:mod:`augkit.normalizing`: ``standardize``, ``fit``) and the ``flow*``
methods (:mod:`augkit.flows`); this module holds the constructor, the
behaviour (``compat``), sampling with its seed contract, applying and
``repr``.
"""

import inspect
import numbers

import numpy as np

from augkit import backends, streams
from augkit.conventions import CONVENTIONS, get_convention
from augkit.flows import FlowMethods
from augkit.limits import check_memory
from augkit.normalization import Normalizer
from augkit.normalizing import NormalizationMethods
from augkit.options import (DATA_FORMATS, OptionAttributes, check_cval, check_data_format, check_fill_mode,
                            check_in_convention, check_order, check_validation_split, check_value_range)
from augkit.params import N_SLOTS, ParamRanges, TransformParams
from augkit.pipeline import Augmenter
from augkit.spec import AUGMENTATIONS

__all__ = ["ARGUMENTS", "DATA_FORMATS", "ImageDataGenerator", "keras_position"]

# Memory one sampled transform takes in sample_params: its uniforms and a TransformParams object.
_BYTES_PER_SAMPLE = N_SLOTS * 8 + 600


class ImageDataGenerator(OptionAttributes, NormalizationMethods, FlowMethods):
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
    ``compat="tf_keras"`` reproduce keras-preprocessing 1.1.2 (tf.keras <= 2.8)
    and Keras >= 2.9 / Keras 3 exactly, pixels and random numbers (see
    :mod:`augkit.conventions`).

    ``backend="opencv"`` (default mode only; needs the ``fast`` extra) warps
    with OpenCV's ``warpAffine``, several times faster, within a measured
    tolerance of the scikit-image reference (bilinear 0.01 on 0-255 data,
    nearest neighbour 1 pixel in 100,000) and falling back to it where
    OpenCV would differ (bicubic and B-spline orders): see
    :mod:`augkit.opencv_backend`. With it, ``dtype="uint8"`` gives uint8
    batches from uint8 images without a float copy, and refuses by name
    the steps that need floats (``rescale``, the normalisation options,
    ``preprocessing_function`` and every intensity entry of the spec table:
    ``channel_shift_range``, ``brightness_range``), when constructed and when
    one is assigned later (:mod:`augkit.backends`).

    ``value_range=(0, 255)`` is the range of the images the colour and tone
    arguments beyond Keras's (``contrast_range``, ``hue_range``, ...; see
    :mod:`augkit.spec_colour`) and ``random_erasing``'s noise work in, as Keras 3's
    layers take it: pass ``(0, 1)`` for scaled images; an image outside it is refused.
    The compat modes refuse those arguments by name (Keras has none).

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
                 dtype="float32", compat=None, backend="skimage", value_range=(0, 255), **augmentations):
        given = {**locals(), **augmentations}
        unknown = [name for name in augmentations if name not in _EXTRA_ARGUMENTS]
        if unknown:
            raise TypeError(f"ImageDataGenerator() got an unexpected keyword argument {unknown[0]!r}")
        convention = get_convention(compat)
        ranges = ParamRanges(**{entry.argument: given.get(entry.argument, entry.default)
                                for entry in AUGMENTATIONS})
        fill_mode, cval = check_fill_mode(fill_mode), check_cval(cval)
        data_format = check_data_format(data_format)
        interpolation_order = check_order(interpolation_order)
        backend = backends.check_backend(backend, convention)
        dtype = backends.check_dtype(dtype, backend)
        if dtype == np.uint8:
            backends.check_uint8_options(given, ranges, cval)
        check_in_convention(ranges, convention)
        self._compat = compat
        self.augmenter = Augmenter(ranges, convention, interpolation_order=interpolation_order,
                                   fill_mode=fill_mode, cval=cval, dtype=dtype, data_format=data_format,
                                   backend=backend, value_range=check_value_range(value_range))
        self._validation_split = check_validation_split(validation_split)
        self.normalizer = Normalizer(
            featurewise_center=featurewise_center, samplewise_center=samplewise_center,
            featurewise_std_normalization=featurewise_std_normalization,
            samplewise_std_normalization=samplewise_std_normalization, zca_whitening=zca_whitening,
            zca_epsilon=zca_epsilon, rescale=rescale, preprocessing_function=preprocessing_function,
            data_format=data_format, dtype=dtype, keras_statistics=compat or False)
        self._stream = streams.new_stream(convention)  # what seed=None continues

    @property
    def validation_split(self):
        """``validation_split`` as validated (read-only): the fraction ``subset="validation"`` takes."""
        return self._validation_split

    # Shapes and sampling

    def _rows_cols(self, img_shape, name="img_shape"):
        shape = tuple(img_shape)
        if len(shape) == 3 and type(shape[0]) is type(shape[1]) is type(shape[2]) is int and min(shape) >= 1:
            return shape[self.row_axis - 1], shape[self.col_axis - 1]  # the common case, checked in one line
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
        default mode takes one counter seed from
        ``numpy.random.default_rng(seed)`` and gives samples ``0 .. n-1`` of
        epoch 0 of it, keyed by parameter as an iterator's (the first ``m``
        are ``sample_params(img_shape, m, seed)``; see
        :func:`augkit.params.sample`); the ``compat`` modes seed the legacy stream once and draw
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

    # The behaviour: assignable, as every option (see augkit.options)

    @property
    def convention(self):
        """The :class:`~augkit.conventions.Convention` of ``compat`` (assign ``compat`` or a Convention)."""
        return self.augmenter.convention

    @convention.setter
    def convention(self, convention):
        found = [compat for compat, known in CONVENTIONS.items() if known is get_convention(convention)]
        if not found:
            raise ValueError(f"convention={convention!r} is not one of augkit.conventions.CONVENTIONS")
        self.compat = found[0]

    @property
    def compat(self):
        """None, ``"keras_preprocessing"`` or ``"tf_keras"``: which behaviour (see :mod:`augkit.conventions`).

        Assigning it gives the generator the convention's augmenter,
        normalisation flavour and a new random stream of the convention's
        kind (a ``seed`` given later reproduces that mode's samples).
        """
        return self._compat

    @compat.setter
    def compat(self, compat):
        convention = get_convention(compat)
        self._renew(convention=convention, keras_statistics=compat or False)  # may refuse: before _compat
        self._compat = compat
        self._stream = streams.new_stream(convention)

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
        return self.apply_transform(image, self.random_params(image.shape, seed))  # overridable, as in Keras

    def __repr__(self):
        changed = [f"{entry.argument}={getattr(self, entry.argument)!r}" for entry in _IN_KERAS_ORDER
                   if entry.is_on(getattr(self.ranges, entry.argument))]
        changed.append(f"fill_mode={self.fill_mode!r}")
        changed += [f"{name}={value!r}" for name, value, default in (
            ("cval", self.cval, 0), ("interpolation_order", self.interpolation_order, 1),
            ("value_range", self.value_range, (0.0, 255.0))) if value != default]
        changed += [self.convention.argument] if self.convention.argument else []
        changed += [f"{name}={value!r}" for name, value, default in (
            ("backend", self.backend, "skimage"), ("dtype", np.dtype(self.dtype).name, "float32")) if value != default]
        return f"ImageDataGenerator({', '.join(changed)})"


#: ``ImageDataGenerator``'s arguments, in Keras's order (the order of controls, options and ``repr``).
ARGUMENTS = tuple(inspect.signature(ImageDataGenerator.__init__).parameters)[1:-1]


def keras_position(argument):
    """Where ``argument`` comes in Keras's order; arguments beyond Keras's come last, in the table's order."""
    if argument in ARGUMENTS:
        return ARGUMENTS.index(argument)
    return len(ARGUMENTS) + [entry.argument for entry in AUGMENTATIONS].index(argument)


# Entries of the spec table beyond Keras's arguments: keyword arguments of ImageDataGenerator.
_EXTRA_ARGUMENTS = tuple(entry.argument for entry in AUGMENTATIONS if entry.argument not in ARGUMENTS)
#: The spec table's entries in the order of ``ImageDataGenerator``'s arguments (Keras's).
_IN_KERAS_ORDER = sorted(AUGMENTATIONS, key=lambda entry: keras_position(entry.argument))
