"""augkit.skimage_warp: the direct call of scikit-image's compiled warp equals the public one, or is not used."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from augkit import skimage_warp
from augkit.skimage_warp import _MODES, public_warp, warp


@pytest.fixture
def fresh_check():
    """Forget the cached self-check before and after (a test that breaks the private call must not leak)."""
    skimage_warp.direct_agrees.cache_clear()
    yield
    skimage_warp.direct_agrees.cache_clear()


def test_the_pinned_scikit_image_takes_the_direct_path(fresh_check):
    # The speed of the default backend at small sizes relies on it (benchmarks/bench_transform.py).
    assert skimage_warp._warp_fast is not None
    assert skimage_warp.direct_agrees()


@settings(max_examples=60, deadline=None)
@given(order=st.sampled_from([0, 1, 3]), mode=st.sampled_from(_MODES),
       dtype=st.sampled_from([np.float32, np.float64]), channels=st.sampled_from([1, 2, 3, 4]),
       angle=st.floats(-3.2, 3.2), scale=st.floats(0.5, 2.0), shift=st.floats(-9, 9), seed=st.integers(0, 99))
def test_direct_equals_the_public_warp_bit_for_bit(order, mode, dtype, channels, angle, scale, shift, seed):
    rng = np.random.default_rng(seed)
    image = (rng.random((9, 11, channels)) * 255).astype(dtype)
    cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
    matrix = np.array([[cos, -sin, shift], [sin, cos, -shift / 2], [0.0, 0.0, 1.0]])
    out = warp(image, matrix, order=order, mode=mode, cval=-2.5)
    expected = public_warp(image, matrix, order=order, mode=mode, cval=-2.5)
    assert out.dtype == expected.dtype == dtype and out.flags.c_contiguous
    np.testing.assert_array_equal(out, expected)


def test_non_contiguous_input_and_nan_are_handled_as_the_public_warp_does():
    image = np.arange(2 * 6 * 5, dtype=np.float32).reshape(2, 6, 5).transpose(1, 2, 0)  # channels not last in memory
    image[2, 3, 1] = np.nan
    matrix = np.array([[1.0, 0.1, 0.4], [0.0, 1.0, 0.6], [0, 0, 1]])
    np.testing.assert_array_equal(warp(image, matrix, order=1, mode="edge", cval=0.0),
                                  public_warp(image, matrix, order=1, mode="edge", cval=0.0))


@pytest.mark.parametrize("shift", [(0.5, -1.5), (2.0, 3.0)], ids=["half-pixel ties", "whole pixels"])
@pytest.mark.parametrize("order", [0, 1, 3])
def test_ties_and_whole_shifts_equal_the_public_warp(order, shift):
    # Order 0 is not sent to _warp_fast by scikit-image (scipy rounds the ties otherwise): it must not be here.
    image = np.arange(6 * 5 * 3, dtype=np.float32).reshape(6, 5, 3)
    matrix = np.array([[1.0, 0.0, shift[0]], [0.0, 1.0, shift[1]], [0, 0, 1]])
    for mode in _MODES:
        np.testing.assert_array_equal(warp(image, matrix, order=order, mode=mode, cval=17.0),
                                      public_warp(image, matrix, order=order, mode=mode, cval=17.0))


def test_other_dtypes_and_orders_use_the_public_warp(monkeypatch):
    called = []
    monkeypatch.setattr(skimage_warp, "_direct", lambda *args: called.append(args))
    image = np.ones((4, 4, 1), dtype=np.float16)
    assert warp(image, np.eye(3), order=1, mode="edge", cval=0.0).dtype == np.float32  # the public warp widens float16
    assert warp(np.ones((4, 4, 1), dtype=np.uint8), np.eye(3), order=1, mode="edge", cval=0.0).dtype == np.float64
    warp(np.ones((4, 4, 1)), np.eye(3), order=0, mode="edge", cval=0.0)
    assert called == []


@pytest.mark.parametrize("breakage", ["missing", "raises", "wrong pixels"])
def test_a_broken_private_call_falls_back_to_the_public_warp(monkeypatch, fresh_check, breakage):
    real = skimage_warp._warp_fast

    class Wrong:
        def __getitem__(self, ctype):
            def kernel(image, matrix, **kwargs):
                if breakage == "raises":
                    raise TypeError("_warp_fast() got an unexpected keyword argument 'output_shape'")
                return real[ctype](image, matrix, **kwargs) + 1  # one grey level off everywhere
            return kernel

    monkeypatch.setattr(skimage_warp, "_warp_fast", None if breakage == "missing" else Wrong())
    assert not skimage_warp.direct_agrees()
    image = np.random.default_rng(1).random((6, 7, 3)).astype(np.float32)
    matrix = np.array([[0.9, 0.2, 0.3], [-0.2, 0.9, 1.1], [0, 0, 1]])
    np.testing.assert_array_equal(warp(image, matrix, order=1, mode="constant", cval=0.0),
                                  public_warp(image, matrix, order=1, mode="constant", cval=0.0))
