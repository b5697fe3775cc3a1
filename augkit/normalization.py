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

import copy
import math
import warnings

import numpy as np

from augkit import featurewise
from augkit.finite import NonFiniteError, cast_image
from augkit.normalization_checks import (FLAGS, KERAS_FLAVOURS, PicklingGuard, check_option, keras_overrides,
                                         not_fit_message, statistics_convention, statistics_flavour)

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
STD_EPSILON = featurewise.STD_EPSILON



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
        self.keras_statistics = statistics_flavour(keras_statistics)
        self._convention = statistics_convention(self.keras_statistics)
        self.data_format = data_format
        self.channel_axis, self.row_axis, self.col_axis = (
            (3, 1, 2) if data_format == "channels_last" else (1, 2, 3))
        self.dtype = np.dtype(dtype)
        self.zca_epsilon = check_option("zca_epsilon", zca_epsilon)
        self.rescale = check_option("rescale", rescale)
        self.preprocessing_function = check_option("preprocessing_function", preprocessing_function)
        given = dict(featurewise_center=featurewise_center, samplewise_center=samplewise_center,
                     featurewise_std_normalization=featurewise_std_normalization,
                     samplewise_std_normalization=samplewise_std_normalization, zca_whitening=zca_whitening)
        featurewise_center, samplewise_center, featurewise_std_normalization, samplewise_std_normalization, \
            zca_whitening = (check_option(name, given[name]) for name in FLAGS)
        self.zca_whitening = zca_whitening
        self.featurewise_center, self.featurewise_std_normalization, self.samplewise_center, \
            self.samplewise_std_normalization = keras_overrides(
                zca_whitening, featurewise_center, featurewise_std_normalization, samplewise_center,
                samplewise_std_normalization)
        self.mean = self.std = self._zca_matrix = self._zca_low_rank = None
        self._zca_image_shape = None  # the image shape ZCA was fitted on (None: unknown or assigned)

    def __getstate__(self):
        state = self.__dict__.copy()
        if state.get("preprocessing_function") is not None:
            state["preprocessing_function"] = PicklingGuard(state["preprocessing_function"])
        return state

    def __setstate__(self, state):
        function = state.get("preprocessing_function")
        if isinstance(function, PicklingGuard):
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
        for name, active in (("mean", self.featurewise_center), ("std", self.featurewise_std_normalization)):
            statistic = getattr(self, name)
            if active and statistic is not None:
                featurewise.check_statistics_shape(name, statistic, image_shape, self.channel_axis,
                                                   self.data_format)
        if self.zca_whitening and self._zca_image_shape is not None and self._zca_image_shape != image_shape:
            if self._zca_low_rank is not None or self._zca_matrix is not None:
                raise ValueError(f"ZCA was fitted on images of {math.prod(self._zca_image_shape)} values (shape "
                                 f"{self._zca_image_shape}), but these images have shape {image_shape}; "
                                 "whitening needs images of the fitted shape")

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
                warnings.warn(not_fit_message("featurewise_center"), stacklevel=3)
            else:
                x -= self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                warnings.warn(not_fit_message("featurewise_std_normalization"),
                              stacklevel=3)
            else:
                x /= self.std + STD_EPSILON
        return x

    def _apply_zca(self, x):
        if not self.zca_whitening:
            return x
        if self._zca_low_rank is None and self._zca_matrix is None:
            warnings.warn(not_fit_message("zca_whitening"), stacklevel=3)
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
        x = featurewise.validated_fit_input(featurewise.checked_fit_size(x, transform, rounds, self.dtype),
                                            self.dtype, self.data_format, self._axis_names(4))
        keras = self._convention.statistics == "keras"
        if keras and self.rescale:
            x *= self.rescale
        if transform is not None:
            x = featurewise.augment(x, transform, rounds, self.dtype)
        options = {"center": self.featurewise_center, "std_normalization": self.featurewise_std_normalization,
                   "zca": self.zca_whitening, "epsilon": self.zca_epsilon, "channel_axis": self.channel_axis}
        if keras:
            mean, std, matrix = featurewise.keras_statistics(x, zca_rule=self._convention.zca, **options)
            low_rank = None
        else:
            mean, std, low_rank = featurewise.default_statistics(
                self._preprocess(x), dtype=self.dtype, refuse=self._refuse_non_finite, **options)
            matrix = None
        self.mean = self.mean if mean is None else mean
        self.std = self.std if std is None else std
        if matrix is not None:
            self.principal_components = matrix
        if low_rank is not None:
            self._zca_matrix, self._zca_low_rank = None, low_rank
        self._zca_image_shape = tuple(x.shape[1:]) if self.zca_whitening else None
        return self

    def renewed(self, *, dtype=None, data_format=None, keras_statistics=None):
        """A copy with these options changed (None keeps one); options and fitted statistics are kept.

        What ``ImageDataGenerator`` uses when its ``dtype``, ``data_format``
        or ``compat`` is assigned: iterators made before keep this normalizer.
        """
        renewed = copy.copy(self)
        if dtype is not None:
            renewed.dtype = np.dtype(dtype)
        if data_format is not None:
            renewed.data_format = data_format
            renewed.channel_axis, renewed.row_axis, renewed.col_axis = (
                (3, 1, 2) if data_format == "channels_last" else (1, 2, 3))
        if keras_statistics is not None:
            flavour = statistics_flavour(keras_statistics)
            vars(renewed).update(keras_statistics=flavour, _convention=statistics_convention(flavour))
        return renewed
