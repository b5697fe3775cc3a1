"""The featurewise statistics ``fit`` computes: ``mean``, ``std`` and the ZCA matrix.

:meth:`augkit.normalization.Normalizer.fit` checks its input here, augments
it (Keras's layout of the augmented copies) and hands it to one of two
flavours:

* :func:`keras_statistics`: Keras's own numbers, operation for operation,
  in the generator's dtype, with Keras's dense ZCA matrix
  (:mod:`augkit.zca`: covariance SVD for keras-preprocessing 1.1.2, data
  SVD for Keras >= 2.6 / Keras 3);
* :func:`default_statistics`: float64 statistics stored in the dtype, and a
  low-rank ZCA (:class:`augkit.zca.LowRankZCA`) that never builds the
  d x d matrix.

Both return ``(mean, std, zca)``, None for what is not switched on, with
``mean`` and ``std`` in Keras's shapes: (1, 1, C) for channels_last,
(C, 1, 1) for channels_first.
"""

import math
import warnings

import numpy as np

from augkit.finite import cast_image, describe_non_finite
from augkit.limits import check_memory
from augkit.zca import LowRankZCA, check_dense_budget, zca_matrix_keras_preprocessing, zca_matrix_tf_keras

__all__ = ["STD_EPSILON", "augment", "check_rounds", "check_statistics_shape", "checked_fit_size",
           "default_statistics", "keras_statistics", "validated_fit_input"]

#: Added to standard deviations before dividing, as Keras does (``x / (std + 1e-6)``).
STD_EPSILON = 1e-6


def checked_fit_size(x, transform, rounds, dtype):
    """Refuse empty data and a ``rounds`` whose augmented copy no machine holds, before allocating."""
    x = np.asarray(x)
    if x.ndim == 4 and 0 in x.shape:
        raise ValueError(f"`x` passed to `.fit()` has shape {x.shape}: an axis of length 0 leaves nothing "
                         "to compute statistics from")
    if transform is not None:
        check_rounds(rounds)
        if x.ndim == 4:
            copies = rounds * x.shape[0]
            check_memory(copies * math.prod(x.shape[1:]) * dtype.itemsize,
                         f"fit(augment=True, rounds={rounds}) ({copies} augmented images of shape "
                         f"{x.shape[1:]}, {dtype.name})")
    return x


def validated_fit_input(x, dtype, data_format, axis_names):
    """``x`` as a new rank-4 array of ``dtype``, finite (a clear error otherwise); warns on odd channels."""
    x = cast_image(x, dtype, copy=True)
    if x.ndim != 4:
        raise ValueError(
            f"Input to `.fit()` should have rank 4. Got array with shape: {x.shape}")
    channel_axis = 3 if data_format == "channels_last" else 1
    channels = x.shape[channel_axis]
    if channels not in {1, 3, 4}:
        warnings.warn(
            "Expected input to be images (as Numpy array) following the data "
            f'format convention "{data_format}" (channels on axis '
            f"{channel_axis}), i.e. expected either 1, 3 or 4 channels on "
            f"axis {channel_axis}. However, it was passed an array with "
            f"shape {x.shape} ({channels} channels).", stacklevel=3)
    finite = np.isfinite(x)
    if not finite.all():
        n_nan = int(np.isnan(x).sum())
        raise ValueError(
            f"`x` passed to `.fit()` contains {n_nan} NaN and "
            f"{int((~finite).sum()) - n_nan} infinite values "
            f"({describe_non_finite(x, axis_names)}); statistics need "
            "finite data: the featurewise mean, std and ZCA are computed over every "
            "image, and Keras silently returns NaN statistics here. Replace or drop "
            "those values first (e.g. np.nan_to_num).")
    return x


def augment(x, transform, rounds, dtype):
    """``rounds`` transformed copies of ``x``, Keras's layout ``i + r * n``."""
    check_rounds(rounds)
    n = x.shape[0]
    augmented = np.zeros((rounds * n,) + x.shape[1:], dtype=dtype)
    for r in range(rounds):
        for i in range(n):
            augmented[i + r * n] = transform(x[i])
    return augmented


def check_rounds(rounds):
    """``rounds`` must be an int >= 1."""
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)):
        raise TypeError(f"`rounds` should be a positive integer. Received: {rounds!r}")
    if rounds < 1:
        raise ValueError(f"`rounds` should be a positive integer. Received: {rounds!r}")


def _channel_shape(x, channel_axis):
    shape = [1, 1, 1]
    shape[channel_axis - 1] = x.shape[channel_axis]
    return shape


def _image_axes(channel_axis):
    return (0, 2, 3) if channel_axis == 1 else (0, 1, 2)


def keras_statistics(x, *, center, std_normalization, zca, zca_rule, epsilon, channel_axis):
    """Keras's statistics, operation for operation, in ``x``'s dtype (``x`` is changed in place).

    ``zca_rule`` is the convention's ``zca`` fact: ``"covariance_svd"``
    (keras-preprocessing 1.1.2) or the data SVD of Keras >= 2.6.
    """
    axes, mean, std, matrix = _image_axes(channel_axis), None, None, None
    if center:
        mean = np.reshape(np.mean(x, axis=axes), _channel_shape(x, channel_axis))
        x -= mean
    if std_normalization:
        std = np.reshape(np.std(x, axis=axes), _channel_shape(x, channel_axis))
        x /= std + STD_EPSILON
    if zca:
        flat = np.reshape(x, (x.shape[0], -1))
        if zca_rule == "covariance_svd":
            check_dense_budget(flat.shape[1], flat.itemsize)
            matrix = zca_matrix_keras_preprocessing(flat, epsilon)
        else:  # np.sqrt(n) is a float64 scalar: the matrix is float64 (NEP 50)
            check_dense_budget(flat.shape[1], 8)
            matrix = zca_matrix_tf_keras(flat, epsilon)
    return mean, std, matrix


def default_statistics(x, *, center, std_normalization, zca, epsilon, channel_axis, dtype, refuse):
    """Float64 statistics (returned in ``dtype``) and a :class:`~augkit.zca.LowRankZCA`.

    ``refuse(statistic, x, operation, what)`` raises if a statistic is not
    finite: ``x`` was finite, so only ``preprocessing_function`` or
    ``rescale`` can have brought a NaN in.
    """
    x = x.astype(np.float64)
    axes, mean, std, low_rank = _image_axes(channel_axis), None, None, None
    if center:
        mean = np.mean(x, axis=axes).reshape(_channel_shape(x, channel_axis))
        refuse(mean, x, "fit", "the featurewise mean")
        mean = mean.astype(dtype)
        x -= mean
    if std_normalization:
        std = np.std(x, axis=axes).reshape(_channel_shape(x, channel_axis))
        refuse(std, x, "fit", "the featurewise std")
        std = std.astype(dtype)
        x /= std.astype(np.float64) + STD_EPSILON
    if zca:
        low_rank = LowRankZCA.from_data(x.reshape(x.shape[0], -1), epsilon)
    return mean, std, low_rank


def check_statistics_shape(name, statistic, image_shape, channel_axis, data_format):
    """Raise ValueError if a fitted ``mean`` or ``std`` does not fit images of ``image_shape``.

    A statistic of Keras's shape (rank 3, as ``fit`` makes them) must have
    exactly the image's number of channels (a grey mean is never stretched
    over colour images); other assigned statistics must broadcast to the image.
    """
    channel = channel_axis - 1
    shape = np.shape(statistic)
    if len(shape) == 3 and len(image_shape) == 3 and shape[channel] != image_shape[channel]:
        raise ValueError(
            f"the featurewise {name} was fitted on images with {shape[channel]} channels ({name}.shape="
            f"{shape}), but these images have shape {image_shape} ({image_shape[channel]} channels, "
            f"data_format={data_format!r}); fit on images like these, or use a generator per "
            "kind of image")
    try:
        fits = np.broadcast_shapes(shape, image_shape) == image_shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"the featurewise {name} has shape {shape}, which does not fit images of shape "
                         f"{image_shape}")
