"""ZCA whitening maths: augkit's low-rank whitening and Keras's two dense matrices.

ZCA whitening multiplies each flattened image (d = rows*cols*channels values) by
``U diag(1/sqrt(S + eps)) U^T``, with U, S the eigenvectors and eigenvalues of
the covariance of the centred training data. Keras builds that d x d matrix,
which is 3 GB in float32 for 96x96x3 images. :class:`LowRankZCA` applies the
same formula from the thin SVD of the n x d training data without building it;
:func:`zca_matrix_keras_preprocessing` and :func:`zca_matrix_tf_keras` build the
matrix the way each Keras line does, after :func:`check_dense_budget`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg

#: Largest d x d ZCA matrix, in bytes, that augkit builds (Keras's modes, and
#: ``principal_components`` in the default mode). 2 GB.
ZCA_DENSE_BUDGET_BYTES = 2 * 10**9


class ZCAMemoryError(MemoryError, ValueError):
    """A dense d x d ZCA matrix would exceed :data:`ZCA_DENSE_BUDGET_BYTES`."""


def check_dense_budget(n_features, itemsize, *, budget=None):
    """Raise :class:`ZCAMemoryError` if a d x d matrix of ``itemsize``-byte values
    (d = ``n_features``) exceeds ``budget`` bytes (default :data:`ZCA_DENSE_BUDGET_BYTES`,
    read at call time)."""
    budget = ZCA_DENSE_BUDGET_BYTES if budget is None else budget
    needed = n_features * n_features * itemsize
    if needed > budget:
        raise ZCAMemoryError(
            f"ZCA whitening needs a dense {n_features}x{n_features} matrix of "
            f"{needed / 1e9:.2f} GB ({itemsize}-byte values; Keras's computation "
            f"holds several such matrices at once), above the budget of "
            f"{budget / 1e9:.2f} GB (augkit.zca.ZCA_DENSE_BUDGET_BYTES). augkit's "
            "default mode (compat=None on ImageDataGenerator, keras_statistics=False "
            "on Normalizer) whitens without a d x d matrix and builds one only if "
            "you read `principal_components`; or use smaller images."
        )


def _check_finite(flat):
    """Refuse NaN and inf before an SVD (numpy's fails to converge, scipy's says "infs or NaNs")."""
    if not np.isfinite(flat).all():
        bad = ~np.isfinite(flat)
        n_nan = int(np.isnan(flat).sum())
        image, feature = np.argwhere(bad)[0].tolist()
        raise ValueError(
            f"ZCA whitening refuses non-finite data: the training data has {n_nan} NaN and "
            f"{int(bad.sum()) - n_nan} infinite values (the first in image {image}, flat feature "
            f"{feature}); every whitening direction mixes all pixels, so the statistics would be "
            "NaN. Give finite data (replace NaN and inf first, e.g. np.nan_to_num).")


def zca_matrix_keras_preprocessing(flat, epsilon):
    """keras-preprocessing 1.1.2's ``principal_components``, computed as it does.

    ``U diag(1 / sqrt(S + eps)) U^T`` from the SVD of ``flat.T @ flat / n``, where
    ``flat`` (n, d) is the centred training data; returns a (d, d) matrix.
    Non-finite values: refused (``ValueError``).
    """
    _check_finite(flat)
    sigma = np.dot(flat.T, flat) / flat.shape[0]
    u, s, _ = scipy.linalg.svd(sigma)
    s_inv = 1.0 / np.sqrt(s[np.newaxis] + epsilon)
    return (u * s_inv).dot(u.T)


def zca_matrix_tf_keras(flat, epsilon):
    """Keras >= 2.9 / Keras 3's ``zca_whitening_matrix``, computed as it does.

    ``U diag(sqrt(n) / (s + eps)) U^T`` with U, s the thin SVD of ``flat.T``;
    a (d, d) matrix of rank at most n. Non-finite values: refused (``ValueError``).
    """
    _check_finite(flat)
    n = len(flat)
    u, s, _ = np.linalg.svd(flat.T, full_matrices=False)
    s_inv = np.sqrt(n) / (s + epsilon)
    return (u * s_inv).dot(u.T)


@dataclass(frozen=True, eq=False)
class LowRankZCA:
    """ZCA whitening ``x @ U diag(1/sqrt(S + eps)) U^T`` without the d x d matrix.

    Parameters
    ----------
    components : ndarray, shape (d, k)
        Orthonormal eigenvectors of the covariance ``flat.T @ flat / n``
        (k = min(n, d)).
    eigenvalues : ndarray, shape (k,)
        The matching eigenvalues S.
    epsilon : float
        ``zca_epsilon``.

    Notes
    -----
    Directions outside the span of ``components`` have eigenvalue 0 and are
    multiplied by ``1 / sqrt(eps)``, exactly as the dense formula does:
    ``whiten(x) = x / sqrt(eps) + U_k diag(1/sqrt(S_k + eps) - 1/sqrt(eps)) U_k^T x``.
    """

    components: np.ndarray
    eigenvalues: np.ndarray
    epsilon: float

    @classmethod
    def from_data(cls, flat, epsilon):
        """Fit from centred data ``flat`` of shape (n, d), in float64; NaN and inf are refused."""
        flat = np.asarray(flat, dtype=np.float64)
        _check_finite(flat)
        _, singular_values, vt = np.linalg.svd(flat, full_matrices=False)
        return cls(vt.T, singular_values**2 / flat.shape[0], float(epsilon))

    @property
    def n_features(self):
        return self.components.shape[0]

    def _gains(self):
        outside = 1.0 / math.sqrt(self.epsilon)
        return outside, 1.0 / np.sqrt(self.eigenvalues + self.epsilon) - outside

    def whiten(self, flat):
        """Whiten rows of ``flat`` (shape (m, d)); returns float64 (m, d)."""
        flat = np.asarray(flat, dtype=np.float64)
        outside, gains = self._gains()
        return flat * outside + ((flat @ self.components) * gains) @ self.components.T

    def dense(self):
        """The equivalent d x d float64 matrix (guarded by the memory budget)."""
        check_dense_budget(self.n_features, 8)
        outside, gains = self._gains()
        matrix = (self.components * gains) @ self.components.T
        matrix[np.diag_indices_from(matrix)] += outside
        return matrix
