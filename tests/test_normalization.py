"""Tests for augkit.normalization and augkit.zca: exact statistics, ZCA, Keras parity."""

import warnings

import numpy as np
import pytest

from augkit import normalization, zca
from augkit.normalization import Normalizer
from augkit.zca import LowRankZCA, ZCAMemoryError
from references import reference_generator

RNG_SEED = 0


def images(shape=(5, 4, 3, 3), scale=255.0, seed=RNG_SEED):
    return (np.random.default_rng(seed).random(shape) * scale).astype("float32")


def dense_zca_float64(flat_centred, epsilon):
    """The exact formula of the issue: U diag(1/sqrt(S + eps)) U^T in float64."""
    flat = np.asarray(flat_centred, dtype=np.float64)
    sigma = flat.T @ flat / flat.shape[0]
    eigenvalues, u = np.linalg.eigh(sigma)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    return (u / np.sqrt(eigenvalues + epsilon)) @ u.T


def assert_rel_close(actual, expected, rel):
    scale = np.abs(expected).max()
    assert np.abs(np.asarray(actual, np.float64) - expected).max() <= rel * scale


def quiet_normalizer(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return Normalizer(**kwargs)


# ----------------------------------------------------------------- exact stats
@pytest.mark.parametrize("keras_statistics", [False, True, "tf_keras"])
def test_channels_last_statistics_are_exact(keras_statistics):
    x = np.zeros((2, 2, 2, 3))
    x[..., 0] = [[[0, 2], [4, 6]], [[8, 10], [12, 14]]]
    x[..., 1] = 1.0
    x[..., 2] = [[[-1, 1], [-1, 1]], [[-1, 1], [-1, 1]]]
    norm = Normalizer(featurewise_center=True, featurewise_std_normalization=True,
                      dtype="float64", keras_statistics=keras_statistics).fit(x)
    assert norm.mean.shape == (1, 1, 3) and norm.std.shape == (1, 1, 3)
    np.testing.assert_allclose(norm.mean.ravel(), [7.0, 1.0, 0.0])
    np.testing.assert_allclose(norm.std.ravel(), [np.sqrt(21.0), 0.0, 1.0])
    out = norm.standardize(x[0])
    np.testing.assert_allclose(out[..., 0], (x[0, ..., 0] - 7) / (np.sqrt(21) + 1e-6))
    np.testing.assert_allclose(out[..., 1], 0.0)
    np.testing.assert_allclose(out[..., 2], x[0, ..., 2] / (1 + 1e-6))


def test_channels_first_statistics_have_keras_shape():
    x = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    norm = Normalizer(featurewise_center=True, featurewise_std_normalization=True,
                      data_format="channels_first", dtype="float64").fit(x)
    assert norm.mean.shape == (3, 1, 1)
    np.testing.assert_allclose(norm.mean.ravel(), x.mean(axis=(0, 2, 3)))
    np.testing.assert_allclose(norm.std.ravel(), x.std(axis=(0, 2, 3)))


def test_order_is_function_rescale_samplewise_featurewise():
    x = np.array([[[1.0], [3.0]]])  # one 1x2x1 image
    norm = Normalizer(preprocessing_function=lambda img: img + 1, rescale=2.0,
                      samplewise_center=True, featurewise_center=True, dtype="float64")
    norm.mean = np.array([[[0.5]]])
    np.testing.assert_array_equal(norm.standardize(x).ravel(), [-2.5, 1.5])


def test_samplewise_is_per_image_in_default_mode_and_per_array_in_keras_mode():
    batch = np.stack([np.full((2, 2, 1), 1.0), np.full((2, 2, 1), 3.0)])
    batch[:, 0, 0, 0] += 1
    default = Normalizer(samplewise_center=True, samplewise_std_normalization=True,
                         dtype="float64")
    out = default.standardize(batch)
    np.testing.assert_allclose(out, np.stack([default.standardize(b) for b in batch]))
    np.testing.assert_allclose(out.mean(axis=(1, 2, 3)), 0.0, atol=1e-12)
    keras = Normalizer(samplewise_center=True, samplewise_std_normalization=True,
                       dtype="float64", keras_statistics=True)
    expected = (batch - batch.mean()) / (batch.std() + 1e-6)
    np.testing.assert_allclose(keras.standardize(batch), expected)


def test_default_fit_matches_what_standardize_feeds_the_featurewise_step():
    x = images((6, 4, 4, 3))
    norm = Normalizer(preprocessing_function=np.sqrt, rescale=0.5, samplewise_center=True,
                      featurewise_center=True, featurewise_std_normalization=True,
                      dtype="float64").fit(x)
    out = norm.standardize(x)
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1.0, rtol=1e-5)


def test_fit_transform_uses_keras_order_and_rescales_after_augmenting_by_default():
    x = np.arange(2.0).reshape(2, 1, 1, 1)
    seen = []

    def transform(image):
        seen.append(float(image.ravel()[0]))
        return image + 10 * (len(seen) > 2)

    norm = Normalizer(featurewise_center=True, rescale=0.5, dtype="float64")
    norm.fit(x, transform=transform, rounds=2)
    assert seen == [0.0, 1.0, 0.0, 1.0]
    assert norm.mean.item() == pytest.approx((0 + 1 + 10 + 11) / 4 * 0.5)
    seen.clear()
    keras = Normalizer(featurewise_center=True, rescale=0.5, dtype="float64",
                       keras_statistics=True).fit(x, transform=transform, rounds=2)
    assert seen == [0.0, 0.5, 0.0, 0.5]
    assert keras.mean.item() == pytest.approx((0 + 0.5 + 10 + 10.5) / 4)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_standardize_returns_dtype_and_never_modifies_input(dtype):
    def in_place(img):
        img *= 3
        return img

    x = images((4, 3, 3, 3))
    before = x.copy()
    norm = quiet_normalizer(preprocessing_function=in_place, rescale=1 / 255,
                            samplewise_std_normalization=True, zca_whitening=True,
                            dtype=dtype)
    norm.fit(x)
    np.testing.assert_array_equal(x, before)
    out = norm.standardize(x)
    assert out.dtype == np.dtype(dtype) and out.shape == x.shape
    np.testing.assert_array_equal(x, before)
    assert norm.standardize(x[0]).dtype == np.dtype(dtype)


# ------------------------------------------------------------------ default ZCA
@pytest.mark.parametrize("shape", [(5, 3, 2, 3), (40, 2, 3, 1)], ids=["n<d", "n>d"])
@pytest.mark.parametrize("epsilon", [1e-6, 0.1])
def test_default_zca_equals_dense_float64_formula(shape, epsilon):
    x = images(shape, scale=1.0).astype("float64")
    norm = quiet_normalizer(zca_whitening=True, zca_epsilon=epsilon, dtype="float64").fit(x)
    flat = (x - norm.mean).reshape(len(x), -1)
    dense = dense_zca_float64(flat, epsilon)
    probe = images((3,) + shape[1:], scale=1.0, seed=1).astype("float64")
    expected = ((probe - norm.mean).reshape(3, -1) @ dense).reshape(probe.shape)
    assert_rel_close(norm.standardize(probe), expected, 1e-6)
    assert_rel_close(norm.principal_components, dense, 1e-6)


def test_default_zca_scales_directions_outside_the_training_span_by_inv_sqrt_eps():
    x = images((3, 2, 2, 1), scale=1.0).astype("float64")
    low_rank = LowRankZCA.from_data(x.reshape(3, -1), 1e-4)
    outside = np.linalg.svd(x.reshape(3, -1))[2][-1]  # orthogonal to all 3 rows
    np.testing.assert_allclose(low_rank.whiten(outside[None]), outside[None] * 100, rtol=1e-9)


def test_whitened_training_data_has_identity_covariance_on_its_span():
    x = images((6, 3, 3, 1), scale=1.0).astype("float64")
    norm = quiet_normalizer(zca_whitening=True, zca_epsilon=1e-12, dtype="float64").fit(x)
    white = norm.standardize(x).reshape(6, -1)
    centred = (x - norm.mean).reshape(6, -1)
    basis = np.linalg.svd(centred, full_matrices=False)[2].T  # the span, 9x6
    assert np.linalg.matrix_rank(centred) == 6
    covariance = white.T @ white / 6
    np.testing.assert_allclose(basis.T @ covariance @ basis, np.eye(6), atol=1e-6)
    np.testing.assert_allclose(covariance, basis @ basis.T, atol=1e-6)


def test_default_fit_needs_no_dense_matrix(monkeypatch):
    x = images((4, 8, 8, 3))
    norm = quiet_normalizer(zca_whitening=True)
    monkeypatch.setattr(zca, "ZCA_DENSE_BUDGET_BYTES", 1000)
    norm.fit(x)
    assert norm.standardize(x).shape == x.shape
    with pytest.raises(ZCAMemoryError, match=r"192x192 matrix of 0\.00 GB"):
        norm.principal_components


@pytest.mark.parametrize("flavour", ["keras_preprocessing", "tf_keras"])
def test_keras_mode_zca_refuses_matrices_over_budget(flavour):
    norm = quiet_normalizer(zca_whitening=True, keras_statistics=flavour)
    x = np.zeros((2, 96, 96, 3), dtype="float32")
    x[0] = 1.0
    with pytest.raises(ZCAMemoryError) as info:
        norm.fit(x)
    message = str(info.value)
    gigabytes = {"keras_preprocessing": "3.06 GB", "tf_keras": "6.12 GB"}[flavour]
    assert "27648x27648" in message and gigabytes in message
    assert "keras_statistics=False" in message and "2.00 GB" in message
    assert "compat=None" in message  # the facade's name for the default mode
    assert isinstance(info.value, MemoryError) and isinstance(info.value, ValueError)


# ---------------------------------------------------------------- warnings
def test_constructor_overrides_warn_like_keras():
    with pytest.warns(UserWarning, match="`zca_whitening`, which overrides setting of "
                      "`featurewise_center`"):
        norm = Normalizer(zca_whitening=True)
    assert norm.featurewise_center
    with pytest.warns(UserWarning) as record:
        norm = Normalizer(zca_whitening=True, featurewise_std_normalization=True)
    assert len(record) == 3 and norm.featurewise_center
    assert not norm.featurewise_std_normalization
    with pytest.warns(UserWarning, match="overrides setting of `samplewise_center`"):
        assert Normalizer(samplewise_std_normalization=True).samplewise_center


def test_featurewise_before_fit_warns_and_skips():
    norm = quiet_normalizer(featurewise_std_normalization=True, zca_whitening=True)
    norm.featurewise_std_normalization = True
    x = images((2, 3, 3, 3))
    with pytest.warns(UserWarning, match=r"hasn't been fit .* calling `\.fit") as record:
        out = norm.standardize(x)
    messages = [str(w.message) for w in record]
    assert len(messages) == 3
    for option in ["`featurewise_center`", "`featurewise_std_normalization`",
                   "`zca_whitening`"]:
        assert any(option in m for m in messages)
    np.testing.assert_array_equal(out, x)


def test_fit_warns_on_unusual_channel_count():
    norm = Normalizer(featurewise_center=True, dtype="float64")
    with pytest.warns(UserWarning, match=r"either 1, 3 or 4 channels on axis 3.*\(5 channels\)"):
        norm.fit(np.ones((2, 3, 3, 5)))
    assert norm.mean.shape == (1, 1, 5)


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad, message", [
    (np.ones((3, 3, 3)), r"rank 4\. Got array with shape: \(3, 3, 3\)"),
    (np.full((2, 2, 2, 1), np.nan), r"`x` .* contains 8 NaN and 0 infinite"),
    (np.array([[[[np.inf]], [[1.0]]]]), r"`x` .* contains 0 NaN and 1 infinite"),
])
def test_fit_rejects_bad_input(bad, message):
    with pytest.raises(ValueError, match=message):
        Normalizer(featurewise_center=True).fit(bad)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="data_format"):
        Normalizer(data_format="channels_middle")
    with pytest.raises(ValueError, match="keras_statistics"):
        Normalizer(keras_statistics="keras2")
    with pytest.raises(ValueError, match="rounds"):
        Normalizer(featurewise_center=True).fit(np.ones((2, 2, 2, 1)), lambda i: i, rounds=0)
    with pytest.raises(ValueError, match="rank 3.*rank 4"):
        Normalizer().standardize(np.ones((2, 2)))


def test_zca_rejects_images_of_another_size():
    norm = quiet_normalizer(zca_whitening=True).fit(images((3, 2, 2, 1)))
    with pytest.raises(ValueError, match="fitted on images of 4 values"):
        norm.standardize(np.ones((3, 3, 1)))


# ------------------------------------------------------------------ parity
PARITY_OPTIONS = {
    "featurewise_center": dict(featurewise_center=True),
    "featurewise_std": dict(featurewise_center=True, featurewise_std_normalization=True),
    "featurewise_std_alone": dict(featurewise_std_normalization=True),
    "samplewise_center": dict(samplewise_center=True),
    "samplewise_std": dict(samplewise_center=True, samplewise_std_normalization=True),
    "zca": dict(zca_whitening=True),
    "zca_epsilon": dict(zca_whitening=True, zca_epsilon=1e-2),
    "zca_and_std": dict(zca_whitening=True, featurewise_std_normalization=True),
    "rescale": dict(rescale=1 / 255, featurewise_center=True),
    "preprocessing_function": dict(preprocessing_function=lambda x: x**0.5 - 3,
                                   featurewise_center=True),
    "everything": dict(preprocessing_function=lambda x: x + 1, rescale=0.01,
                       samplewise_center=True, samplewise_std_normalization=True,
                       featurewise_center=True, featurewise_std_normalization=True),
}


def run_with_warnings(make):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = make()
    return result, [str(w.message) for w in record if issubclass(w.category, UserWarning)]


@pytest.mark.parity
@pytest.mark.parametrize("flavour", ["keras_preprocessing", "tf_keras"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("option", list(PARITY_OPTIONS))
def test_parity_with_keras(flavour, data_format, option):
    reference_class = reference_generator(flavour)
    kwargs = dict(PARITY_OPTIONS[option], data_format=data_format)
    x = images((6, 4, 3, 3) if data_format == "channels_last" else (6, 3, 4, 3))
    reference, reference_warnings = run_with_warnings(lambda: reference_class(**kwargs))
    ours, our_warnings = run_with_warnings(
        lambda: Normalizer(keras_statistics=flavour, **kwargs))
    assert len(our_warnings) == len(reference_warnings)
    reference.fit(x)
    ours.fit(x)
    for name in ["mean", "std"]:
        expected = getattr(reference, name)
        if expected is None:
            assert getattr(ours, name) is None
        else:
            assert getattr(ours, name).shape == expected.shape
            assert_rel_close(getattr(ours, name), expected, 1e-4)
    probe = images(x.shape, seed=7)
    assert_rel_close(ours.standardize(probe[0]), reference.standardize(probe[0].copy()), 1e-4)
    assert_rel_close(ours.standardize(probe), reference.standardize(probe.copy()), 1e-4)


@pytest.mark.parity
@pytest.mark.parametrize("flavour", ["keras_preprocessing", "tf_keras"])
def test_parity_with_keras_zca_matrix_and_augmented_fit(flavour):
    reference_class = reference_generator(flavour)
    x = images((4, 3, 3, 3))
    kwargs = dict(zca_whitening=True, rescale=0.01)
    reference, _ = run_with_warnings(lambda: reference_class(**kwargs))
    ours = quiet_normalizer(keras_statistics=flavour, **kwargs)

    def transform(image):  # deterministic stand-in for random_transform
        return image[::-1] + 1.0

    reference.random_transform = transform
    reference.fit(x, augment=True, rounds=2)
    ours.fit(x, transform=transform, rounds=2)
    expected = (reference.principal_components if flavour == "keras_preprocessing"
                else reference.zca_whitening_matrix)
    assert ours.principal_components.dtype == expected.dtype  # float64 in Keras 3 (NEP 50)
    assert_rel_close(ours.zca_whitening_matrix, expected, 1e-4)
    assert_rel_close(ours.mean, reference.mean, 1e-4)


def test_keras_flavours_differ_only_in_zca():
    x = images((4, 2, 2, 3))
    flat = (x - x.mean(axis=(0, 1, 2))).reshape(4, -1)
    old = zca.zca_matrix_keras_preprocessing(flat, 1e-6)
    new = zca.zca_matrix_tf_keras(flat, 1e-6)
    assert np.linalg.matrix_rank(new.astype(np.float64), tol=1e-3) <= 4
    assert not np.allclose(old, new)


def test_statistics_can_be_assigned_as_in_keras():
    norm = quiet_normalizer(featurewise_std_normalization=True, zca_whitening=True,
                            dtype="float64")
    norm.featurewise_std_normalization = True
    norm.mean = np.array([1.0, 2.0, 3.0]).reshape(1, 1, 3)  # e.g. ImageNet means
    norm.std = np.full((1, 1, 3), 2.0)
    norm.zca_whitening_matrix = 2 * np.eye(12)
    x = images((2, 2, 3), scale=1.0).astype("float64")
    expected = 2 * (x - norm.mean) / (2 + 1e-6)
    np.testing.assert_allclose(norm.standardize(x), expected)
    np.testing.assert_array_equal(norm.principal_components, 2 * np.eye(12))


def test_zca_names_stay_importable_from_normalization():
    for name in ["ZCA_DENSE_BUDGET_BYTES", "LowRankZCA", "ZCAMemoryError", "check_dense_budget",
                 "zca_matrix_keras_preprocessing", "zca_matrix_tf_keras"]:
        assert getattr(normalization, name) is getattr(zca, name)
