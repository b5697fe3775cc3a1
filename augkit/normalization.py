"""Featurewise and samplewise normalisation and ZCA whitening, Keras-compatible.

:class:`Normalizer` holds what ``ImageDataGenerator.fit`` computes and applies it
in ``standardize``. It draws no random numbers: to fit on augmented data the
caller passes its (random) transform as a callable. ``keras_statistics`` chooses:

* ``False`` (default): per-image semantics for batches, statistics fitted on the
  data that reaches the featurewise step, float64 arithmetic, and ZCA from a thin
  SVD of the training data, never building the d x d matrix (d = rows*cols*channels).
* ``"keras_preprocessing"`` (or ``True``) / ``"tf_keras"``: Keras's own numbers.
  The two lines differ only in ZCA: keras-preprocessing 1.1.2 scales by
  ``1/sqrt(lambda + eps)`` (covariance SVD, float32); Keras >= 2.9 / Keras 3 by
  ``sqrt(n)/(s + eps)`` (data SVD, float64 matrix), zeroing everything outside
  the span of the training data.

The ZCA maths (:class:`LowRankZCA`, Keras's two matrices, the memory budget) lives
in :mod:`augkit.zca`; its names are re-exported here.
"""

from __future__ import annotations

import math
import numbers
import pickle
import warnings

import numpy as np

from augkit.conventions import get_convention
from augkit.finite import NonFiniteError, cast_image, describe_non_finite
from augkit.limits import check_memory

# Re-exported for importers of augkit.normalization. The budget is read from
# augkit.zca: to change it, assign augkit.zca.ZCA_DENSE_BUDGET_BYTES.
from augkit.zca import (
    ZCA_DENSE_BUDGET_BYTES,
    LowRankZCA,
    ZCAMemoryError,
    check_dense_budget,
    zca_matrix_keras_preprocessing,
    zca_matrix_tf_keras,
)

__all__ = [
    "KERAS_FLAVOURS",
    "STD_EPSILON",
    "ZCA_DENSE_BUDGET_BYTES",
    "LowRankZCA",
    "Normalizer",
    "ZCAMemoryError",
    "check_dense_budget",
    "zca_matrix_keras_preprocessing",
    "zca_matrix_tf_keras",
]

#: Added to standard deviations before dividing, as Keras does (``x / (std + 1e-6)``).
STD_EPSILON = 1e-6

KERAS_FLAVOURS = ("keras_preprocessing", "tf_keras")


def _not_fit_message(option):
    return (f"This ImageDataGenerator specifies `{option}`, but it hasn't been fit on "
            "any training data. Fit it first by calling `.fit(numpy_data)`.")


def _override_message(option, overridden):
    return (f"This ImageDataGenerator specifies `{option}`, which overrides "
            f"setting of `{overridden}`.")


def _check_flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def _check_rescale(rescale):
    """None, or a finite real number (0 switches rescaling off, as in Keras)."""
    if rescale is None:
        return None
    if isinstance(rescale, bool) or not isinstance(rescale, numbers.Real):
        raise TypeError(f"rescale={rescale!r} must be None or a number (the factor every pixel is multiplied "
                        "by, e.g. 1/255; 0 or None switches it off)")
    if not math.isfinite(rescale):
        raise ValueError(f"rescale={rescale!r} must be a finite number such as 1/255 (0 or None switches it "
                         "off)")
    return rescale


def _check_zca_epsilon(epsilon):
    if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real):
        raise TypeError(f"zca_epsilon={epsilon!r} must be a positive number such as 1e-6")
    if not (math.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"zca_epsilon={epsilon!r} must be a finite number > 0, such as 1e-6 (it is added "
                         "to the eigenvalues before 1/sqrt; with 0 directions without variance divide by 0)")
    return float(epsilon)


class _PicklingGuard:
    """Stands for ``preprocessing_function`` in a pickled Normalizer; says why pickling fails.

    Copies (``copy.copy``, ``copy.deepcopy``) keep the function itself, as Python
    copies functions.
    """

    def __init__(self, function):
        self.function = function

    def __reduce__(self):
        try:
            pickle.dumps(self.function)
        except Exception as error:
            name = getattr(self.function, "__qualname__", repr(self.function))
            raise pickle.PicklingError(
                f"this ImageDataGenerator cannot be pickled because its preprocessing_function {name} cannot "
                f"be pickled ({type(error).__name__}: {error}). Define the function with def at the top "
                "level of a module (a lambda or a function defined inside another cannot be pickled), or "
                "use threads rather than processes (workers=, Keras's use_multiprocessing=False)") from error
        return (_unwrap, (self.function,))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _unwrap(function):
    return function


def _statistics_flavour(keras_statistics):
    """Normalise ``keras_statistics`` to ``False`` or a name in :data:`KERAS_FLAVOURS`."""
    if keras_statistics is None or keras_statistics is False:
        return False
    if keras_statistics is True:
        return KERAS_FLAVOURS[0]
    if isinstance(keras_statistics, str) and keras_statistics in KERAS_FLAVOURS:
        return keras_statistics
    raise ValueError("`keras_statistics` should be False, True, 'keras_preprocessing' "
                     f"or 'tf_keras'. Received: {keras_statistics!r}")


def _statistics_convention(flavour):
    """The :class:`~augkit.conventions.Convention` whose ``statistics`` and ``zca`` facts apply."""
    return get_convention(flavour or None)


class Normalizer:
    """Keras's normalisation options: ``standardize`` and the statistics of ``fit``.

    Parameters
    ----------
    featurewise_center, samplewise_center : bool
        Subtract the per-channel dataset mean / each image's own mean.
    featurewise_std_normalization, samplewise_std_normalization : bool
        Divide by the per-channel dataset std / each image's std (plus 1e-6).
        Each turns on the matching ``*_center`` with a warning, as in Keras.
    zca_whitening : bool
        Whiten with ZCA. Turns on ``featurewise_center`` and turns off
        ``featurewise_std_normalization``, with warnings, as in Keras.
    zca_epsilon : float
        Regulariser added to the covariance eigenvalues.
    rescale : float or None
        Factor applied after ``preprocessing_function`` (skipped if falsy).
    preprocessing_function : callable or None
        Called on each image (rank 3) before everything else.
    data_format : {"channels_last", "channels_first"}
    dtype : str or numpy dtype
        Dtype of the arrays ``standardize`` returns and of ``mean``/``std``.
    keras_statistics : bool or {"keras_preprocessing", "tf_keras"}
        False for augkit's behaviour; otherwise reproduce that Keras line's
        numbers (True means "keras_preprocessing"). See the module docstring.

    Attributes
    ----------
    mean, std : ndarray or None
        Per-channel statistics, shape (1, 1, C) for channels_last and (C, 1, 1)
        for channels_first (Keras's shapes), set by :meth:`fit`; assignable.
    principal_components : ndarray or None
        The d x d ZCA matrix (alias ``zca_whitening_matrix``, Keras 3's name).

    Examples
    --------
    >>> norm = Normalizer(featurewise_center=True, dtype="float64")
    >>> norm.fit(np.arange(8.0).reshape(2, 2, 2, 1)).mean.ravel()
    array([3.5])
    >>> norm.standardize(np.full((2, 2, 1), 3.5)).ravel()
    array([0., 0., 0., 0.])
    """

    def __init__(self, *, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rescale=None, preprocessing_function=None,
                 data_format="channels_last", dtype="float32", keras_statistics=False):
        if data_format not in {"channels_last", "channels_first"}:
            raise ValueError('`data_format` should be `"channels_last"` (channel after row '
                             'and column) or `"channels_first"` (channel before row and '
                             f"column). Received: {data_format!r}")
        self.keras_statistics = _statistics_flavour(keras_statistics)
        self._convention = _statistics_convention(self.keras_statistics)
        self.data_format = data_format
        self.channel_axis, self.row_axis, self.col_axis = (
            (3, 1, 2) if data_format == "channels_last" else (1, 2, 3))
        self.dtype = np.dtype(dtype)
        self.zca_epsilon = _check_zca_epsilon(zca_epsilon)
        self.rescale = _check_rescale(rescale)
        if preprocessing_function is not None and not callable(preprocessing_function):
            raise TypeError(f"preprocessing_function={preprocessing_function!r} must be None or a callable "
                            "taking one image (rank 3) and returning an image of the same shape")
        self.preprocessing_function = preprocessing_function
        featurewise_center, samplewise_center, featurewise_std_normalization, samplewise_std_normalization, \
            zca_whitening = (_check_flag(value, name) for value, name in (
                (featurewise_center, "featurewise_center"), (samplewise_center, "samplewise_center"),
                (featurewise_std_normalization, "featurewise_std_normalization"),
                (samplewise_std_normalization, "samplewise_std_normalization"),
                (zca_whitening, "zca_whitening")))
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self._apply_keras_overrides(featurewise_center, featurewise_std_normalization,
                                    samplewise_center, samplewise_std_normalization)
        self.mean = self.std = self._zca_matrix = self._zca_low_rank = None
        self._zca_image_shape = None  # the image shape ZCA was fitted on (None: unknown or assigned)

    def __getstate__(self):
        state = self.__dict__.copy()
        if state.get("preprocessing_function") is not None:
            state["preprocessing_function"] = _PicklingGuard(state["preprocessing_function"])
        return state

    def __setstate__(self, state):
        function = state.get("preprocessing_function")
        if isinstance(function, _PicklingGuard):
            state["preprocessing_function"] = function.function
        self.__dict__.update(state)

    @property
    def changes_images(self):
        """Whether :meth:`standardize` would change anything (some option is on)."""
        return bool(self.preprocessing_function or self.rescale or self.samplewise_center
                    or self.samplewise_std_normalization or self.featurewise_center
                    or self.featurewise_std_normalization or self.zca_whitening)

    def check_image_shape(self, image_shape):
        """Raise ValueError if fitted statistics do not fit images of ``image_shape``.

        ``image_shape`` is one image's shape in ``data_format``. A ``mean`` or
        ``std`` of Keras's shape (rank 3, as :meth:`fit` makes them) must have
        exactly the image's number of channels (a grey mean is never
        stretched over colour images); other assigned statistics must
        broadcast to the image. ZCA needs images of the shape it was fitted
        on (or, for an assigned matrix, the same number of values).
        """
        image_shape = tuple(image_shape)
        channel = self.channel_axis - 1
        for name, active in (("mean", self.featurewise_center), ("std", self.featurewise_std_normalization)):
            statistic = getattr(self, name)
            if not active or statistic is None:
                continue
            shape = np.shape(statistic)
            if len(shape) == 3 and len(image_shape) == 3 and shape[channel] != image_shape[channel]:
                raise ValueError(
                    f"the featurewise {name} was fitted on images with {shape[channel]} channels ({name}.shape="
                    f"{shape}), but these images have shape {image_shape} ({image_shape[channel]} channels, "
                    f"data_format={self.data_format!r}); fit on images like these, or use a generator per "
                    "kind of image")
            try:
                fits = np.broadcast_shapes(shape, image_shape) == image_shape
            except ValueError:
                fits = False
            if not fits:
                raise ValueError(f"the featurewise {name} has shape {shape}, which does not fit images of shape "
                                 f"{image_shape}")
        if self.zca_whitening and self._zca_image_shape is not None and self._zca_image_shape != image_shape:
            if self._zca_low_rank is not None or self._zca_matrix is not None:
                raise ValueError(f"ZCA was fitted on images of {math.prod(self._zca_image_shape)} values (shape "
                                 f"{self._zca_image_shape}), but these images have shape {image_shape}; "
                                 "whitening needs images of the fitted shape")

    def _apply_keras_overrides(self, featurewise_center, featurewise_std,
                               samplewise_center, samplewise_std):
        """Keras's ``__init__`` logic (on the arguments as given), with its warnings."""
        if self.zca_whitening:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn(_override_message("zca_whitening", "featurewise_center"),
                              stacklevel=3)
            if featurewise_std:
                self.featurewise_std_normalization = False
                warnings.warn(_override_message(
                    "zca_whitening", "featurewise_std_normalization"), stacklevel=3)
        if featurewise_std and not featurewise_center:
            self.featurewise_center = True
            warnings.warn(_override_message(
                "featurewise_std_normalization", "featurewise_center"), stacklevel=3)
        if samplewise_std and not samplewise_center:
            self.samplewise_center = True
            warnings.warn(_override_message(
                "samplewise_std_normalization", "samplewise_center"), stacklevel=3)

    @property
    def principal_components(self):
        """The d x d ZCA matrix, or None before a ZCA ``fit``.

        In Keras's modes, the stored float32 matrix. In the default mode it is
        built (float64) on first access from the low-rank factors, and raises
        :class:`ZCAMemoryError` if it would exceed :data:`ZCA_DENSE_BUDGET_BYTES`.
        Assigning a matrix makes ``standardize`` use it.
        """
        if self._zca_matrix is None and self._zca_low_rank is not None:
            self._zca_matrix = self._zca_low_rank.dense()
        return self._zca_matrix

    @principal_components.setter
    def principal_components(self, matrix):
        self._zca_low_rank = None
        self._zca_image_shape = None
        self._zca_matrix = None if matrix is None else np.asarray(matrix)

    zca_whitening_matrix = principal_components

    def standardize(self, x):
        """Apply the normalisation to one image (rank 3) or a batch (rank 4).

        Parameters
        ----------
        x : array_like
            Image(s) in ``data_format``; never modified.

        Returns
        -------
        ndarray
            A new array of ``dtype``.

        Notes
        -----
        Order as in Keras: ``preprocessing_function`` -> ``rescale`` ->
        samplewise centre/std -> featurewise centre/std -> ZCA. For a batch,
        the default mode calls ``preprocessing_function`` and computes samplewise
        statistics per image; Keras's modes, like Keras, call it once and compute
        the statistics over the whole array given (Keras's iterators pass one
        image at a time, so the two agree there). Featurewise options and ZCA
        warn and are skipped until :meth:`fit` has run.

        Non-finite values: ``rescale`` and the featurewise centre/std act
        pixel by pixel and *contain* them (a NaN stays one NaN). Samplewise
        centre/std and ZCA *refuse* them (:class:`~augkit.finite.NonFiniteError`
        naming the image and pixel): an image's own mean and std, and every
        whitened value, depend on all of its pixels, so one NaN would turn the
        whole image into NaN, as it silently does in Keras.
        """
        x = cast_image(x, self.dtype, copy=True)
        if x.ndim not in (3, 4):
            raise ValueError(
                f"`x` should be one image (rank 3) or a batch (rank 4); got shape {x.shape}.")
        if self.featurewise_center or self.featurewise_std_normalization or self.zca_whitening:
            self.check_image_shape(x.shape[-3:])
        x = self._preprocess(x)
        x = self._apply_featurewise(x)
        x = self._apply_zca(x)
        return x.astype(self.dtype, copy=False)

    def _per_image(self, x):
        return self._convention.statistics == "augkit" and x.ndim == 4

    def _preprocess(self, x):
        """Steps before the featurewise ones: function, rescale, samplewise."""
        if self.preprocessing_function:
            shape = x.shape
            if self._per_image(x):
                x = np.stack([self.preprocessing_function(image) for image in x])
            else:
                x = self.preprocessing_function(x)
            x = cast_image(x, self.dtype, name="preprocessing_function's result", copy=True)
            if x.shape != shape:
                name = getattr(self.preprocessing_function, "__name__", repr(self.preprocessing_function))
                raise ValueError(f"preprocessing_function {name} returned shape {x.shape[-3:]} for an image of "
                                 f"shape {shape[-3:]}; it must return an image of the same shape (resize "
                                 "images when loading them, e.g. target_size=, not in this function)")
        if self.rescale:
            x *= self.rescale
        axes = tuple(range(x.ndim - 3, x.ndim)) if self._per_image(x) else None
        accumulate = None if self._convention.statistics == "keras" else np.float64
        if self.samplewise_center:
            mean = np.mean(x, axis=axes, keepdims=True, dtype=accumulate)
            self._refuse_non_finite(mean, x, "samplewise_center", "an image's mean")
            x -= mean
        if self.samplewise_std_normalization:
            std = np.std(x, axis=axes, keepdims=True, dtype=accumulate)
            self._refuse_non_finite(std, x, "samplewise_std_normalization", "an image's std")
            x /= std + STD_EPSILON
        return x

    def _axis_names(self, ndim):
        names = ("row", "col", "channel") if self.data_format == "channels_last" else ("channel", "row", "col")
        return ("image",) * (ndim - 3) + names

    def _refuse_non_finite(self, statistic, x, operation, what):
        """Raise unless ``statistic`` (computed from ``x``) is finite: one cheap check of a few values."""
        if np.isfinite(statistic).all():
            return
        steps = [step for step, on in (("preprocessing_function", self.preprocessing_function),
                                       ("rescale", self.rescale)) if on]
        after = f" (after {' and '.join(steps)})" if steps else ""
        raise NonFiniteError(operation, f"{what} depends on all its pixels{after}, so one NaN or inf "
                             "would spoil the whole image", "x", x, self._axis_names(x.ndim))

    def _apply_featurewise(self, x):
        if self.featurewise_center:
            if self.mean is None:
                warnings.warn(_not_fit_message("featurewise_center"), stacklevel=3)
            else:
                x -= self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                warnings.warn(_not_fit_message("featurewise_std_normalization"),
                              stacklevel=3)
            else:
                x /= self.std + STD_EPSILON
        return x

    def _apply_zca(self, x):
        if not self.zca_whitening:
            return x
        if self._zca_low_rank is None and self._zca_matrix is None:
            warnings.warn(_not_fit_message("zca_whitening"), stacklevel=3)
            return x
        n_features = math.prod(x.shape[-3:])
        expected = (self._zca_low_rank.n_features if self._zca_low_rank is not None
                    else self._zca_matrix.shape[0])
        if n_features != expected:
            raise ValueError(
                f"ZCA was fitted on images of {expected} values, but `x` has shape "
                f"{x.shape} ({n_features} values per image).")
        flat = x.reshape(-1, n_features)
        if not np.isfinite(flat).all():  # one pass, cheap next to the whitening product
            self._refuse_non_finite(flat, x, "zca_whitening", "every whitened value")
        if self._zca_low_rank is not None:
            white = self._zca_low_rank.whiten(flat)
        else:
            white = np.dot(flat, self._zca_matrix)
        return white.reshape(x.shape)

    def fit(self, x, transform=None, rounds=1):
        """Compute ``mean``, ``std`` and the ZCA whitening from training data.

        Parameters
        ----------
        x : array_like, shape (n, rows, cols, channels) or (n, channels, rows, cols)
            Training images, finite, with 1, 3 or 4 channels (others warn).
        transform : callable, optional
            Augmentation applied to each image (the facade's ``random_transform``).
            If given, the statistics are computed on ``rounds`` augmented copies,
            image ``i`` of round ``r`` at index ``i + r * n`` (Keras's order).
        rounds : int
            Number of augmented passes; ignored without ``transform``.

        Returns
        -------
        Normalizer
            ``self``.

        Raises
        ------
        ValueError
            Non-finite values: refused, in ``x`` (counted, the first named) and
            in the default mode also when ``preprocessing_function`` or
            ``rescale`` brings them in: one NaN would make ``mean``, ``std`` and
            the ZCA matrix NaN (Keras computes them silently).

        Notes
        -----
        Keras's modes follow Keras: cast to ``dtype``, ``rescale``, augment, then
        statistics in ``dtype``; ``preprocessing_function`` and samplewise steps
        are not applied. The default mode fits on what ``standardize`` feeds to
        the featurewise step (augment, then ``preprocessing_function``,
        ``rescale``, samplewise), so standardised training data has mean 0 and
        std 1 per channel; statistics are float64, ZCA is low-rank. In every
        mode ZCA is fitted on the centred (and, if enabled, std-normalised) data.
        """
        x = self._validated_fit_input(self._checked_fit_size(x, transform, rounds))
        keras = self._convention.statistics == "keras"
        if keras and self.rescale:
            x *= self.rescale
        if transform is not None:
            x = _augment(x, transform, rounds, self.dtype)
        if keras:
            self._fit_keras(x)
        else:
            self._fit_default(self._preprocess(x))
        self._zca_image_shape = tuple(x.shape[1:]) if self.zca_whitening else None
        return self

    def _checked_fit_size(self, x, transform, rounds):
        """Refuse empty data and a ``rounds`` whose augmented copy no machine holds, before allocating."""
        x = np.asarray(x)
        if x.ndim == 4 and 0 in x.shape:
            raise ValueError(f"`x` passed to `.fit()` has shape {x.shape}: an axis of length 0 leaves nothing "
                             "to compute statistics from")
        if transform is not None:
            _check_rounds(rounds)
            if x.ndim == 4:
                copies = rounds * x.shape[0]
                check_memory(copies * math.prod(x.shape[1:]) * self.dtype.itemsize,
                             f"fit(augment=True, rounds={rounds}) ({copies} augmented images of shape "
                             f"{x.shape[1:]}, {self.dtype.name})")
        return x

    def _validated_fit_input(self, x):
        x = cast_image(x, self.dtype, copy=True)
        if x.ndim != 4:
            raise ValueError(
                f"Input to `.fit()` should have rank 4. Got array with shape: {x.shape}")
        channels = x.shape[self.channel_axis]
        if channels not in {1, 3, 4}:
            warnings.warn(
                "Expected input to be images (as Numpy array) following the data "
                f'format convention "{self.data_format}" (channels on axis '
                f"{self.channel_axis}), i.e. expected either 1, 3 or 4 channels on "
                f"axis {self.channel_axis}. However, it was passed an array with "
                f"shape {x.shape} ({channels} channels).", stacklevel=3)
        finite = np.isfinite(x)
        if not finite.all():
            n_nan = int(np.isnan(x).sum())
            raise ValueError(
                f"`x` passed to `.fit()` contains {n_nan} NaN and "
                f"{int((~finite).sum()) - n_nan} infinite values "
                f"({describe_non_finite(x, self._axis_names(4))}); statistics need "
                "finite data: the featurewise mean, std and ZCA are computed over every "
                "image, and Keras silently returns NaN statistics here. Replace or drop "
                "those values first (e.g. np.nan_to_num).")
        return x

    def _channel_shape(self, x):
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        return shape

    def _fit_keras(self, x):
        """Keras's statistics, operation for operation, in ``dtype``."""
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), self._channel_shape(x))
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), self._channel_shape(x))
            x /= self.std + STD_EPSILON
        if self.zca_whitening:
            flat = np.reshape(x, (x.shape[0], -1))
            if self._convention.zca == "covariance_svd":
                check_dense_budget(flat.shape[1], flat.itemsize)
                matrix = zca_matrix_keras_preprocessing(flat, self.zca_epsilon)
            else:  # np.sqrt(n) is a float64 scalar: the matrix is float64 (NEP 50)
                check_dense_budget(flat.shape[1], 8)
                matrix = zca_matrix_tf_keras(flat, self.zca_epsilon)
            self.principal_components = matrix

    def _fit_default(self, x):
        """Float64 statistics (stored in ``dtype``) and low-rank ZCA."""
        x = x.astype(np.float64)
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            mean = np.mean(x, axis=axes).reshape(self._channel_shape(x))
            # fit's input was finite; only preprocessing_function or rescale can bring NaN here
            self._refuse_non_finite(mean, x, "fit", "the featurewise mean")
            self.mean = mean.astype(self.dtype)
            x -= self.mean
        if self.featurewise_std_normalization:
            std = np.std(x, axis=axes).reshape(self._channel_shape(x))
            self._refuse_non_finite(std, x, "fit", "the featurewise std")
            self.std = std.astype(self.dtype)
            x /= self.std.astype(np.float64) + STD_EPSILON
        if self.zca_whitening:
            low_rank = LowRankZCA.from_data(x.reshape(x.shape[0], -1), self.zca_epsilon)
            self._zca_matrix = None
            self._zca_low_rank = low_rank


def _augment(x, transform, rounds, dtype):
    """``rounds`` transformed copies of ``x``, Keras's layout ``i + r * n``."""
    _check_rounds(rounds)
    n = x.shape[0]
    augmented = np.zeros((rounds * n,) + x.shape[1:], dtype=dtype)
    for r in range(rounds):
        for i in range(n):
            augmented[i + r * n] = transform(x[i])
    return augmented


def _check_rounds(rounds):
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)):
        raise TypeError(f"`rounds` should be a positive integer. Received: {rounds!r}")
    if rounds < 1:
        raise ValueError(f"`rounds` should be a positive integer. Received: {rounds!r}")
