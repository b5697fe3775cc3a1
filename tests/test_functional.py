"""Exact answers of the functional core on tiny arrays, and its properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from augkit import functional as F
from augkit.conventions import DOCUMENTED, KERAS_PREPROCESSING, TF_KERAS
from augkit.params import TransformParams

CONVENTIONS = [DOCUMENTED, KERAS_PREPROCESSING, TF_KERAS]


def impulse(rows=5, cols=5, at=(0, 3)):
    image = np.zeros((rows, cols, 1), dtype=np.float32)
    image[at] = 1.0
    return image


def warp(image, order=1, fill_mode="nearest", cval=0.0, convention=DOCUMENTED, **params):
    matrix = F.transform_matrix(TransformParams(**params), image.shape[:2], convention)
    return F.warp_affine(image, matrix, order=order, fill_mode=fill_mode, cval=cval, convention=convention)


@pytest.mark.parametrize("order", [0, 1, 3])
def test_rotation_by_90_is_rot90_counter_clockwise(order):
    image = impulse()
    np.testing.assert_allclose(warp(image, order=order, theta=90)[..., 0], np.rot90(image[..., 0]), atol=1e-6)


def test_keras_preprocessing_turns_clockwise():
    # its centre is (h/2 + 0.5, w/2 + 0.5): on a 7x7 image, (4, 4)
    image = np.zeros((7, 7, 1), dtype=np.float32)
    image[2, 4, 0] = 1  # two rows above the centre
    out = warp(image, order=0, fill_mode="constant", convention=KERAS_PREPROCESSING, theta=90)
    assert list(zip(*np.nonzero(out[..., 0]))) == [(4, 6)]  # clockwise: top goes right


def test_rotation_by_180_is_double_flip():
    image = np.arange(20, dtype=np.float32).reshape(4, 5, 1)
    np.testing.assert_allclose(warp(image, theta=180), image[::-1, ::-1], atol=1e-4)


def test_width_shift_moves_columns_and_leaves_rows():
    image = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
    out = warp(image, ty=1)[..., 0]
    np.testing.assert_array_equal(out, [[1, 2, 3, 3], [5, 6, 7, 7], [9, 10, 11, 11]])


def test_height_shift_moves_rows_by_default_and_columns_in_tf_keras():
    image = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
    np.testing.assert_array_equal(warp(image, tx=1)[..., 0], [[4, 5, 6, 7], [8, 9, 10, 11], [8, 9, 10, 11]])
    np.testing.assert_array_equal(warp(image, tx=1, convention=TF_KERAS)[..., 0],
                                  [[1, 2, 3, 3], [5, 6, 7, 7], [9, 10, 11, 11]])


def test_wrap_is_periodic_by_default():
    image = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
    np.testing.assert_array_equal(warp(image, fill_mode="wrap", ty=1)[..., 0],
                                  [[1, 2, 3, 0], [5, 6, 7, 4], [9, 10, 11, 8]])
    np.testing.assert_array_equal(warp(image, fill_mode="wrap", ty=4), image)


def test_reflect_mirrors_about_the_edge():
    image = np.arange(4, dtype=np.float32).reshape(1, 4, 1)
    np.testing.assert_array_equal(warp(image, fill_mode="reflect", ty=2)[0, :, 0], [2, 3, 3, 2])


def test_constant_fills_with_cval():
    image = np.ones((3, 4, 1), dtype=np.float32)
    np.testing.assert_array_equal(warp(image, order=0, fill_mode="constant", cval=-5, ty=2)[0, :, 0],
                                  [1, 1, -5, -5])


def test_zoom_above_one_shrinks_the_picture():
    image = np.zeros((9, 9, 1), dtype=np.float32)
    image[2:7, 2:7] = 1  # a 5x5 square about the centre
    out = warp(image, order=0, fill_mode="constant", zx=2.0, zy=2.0)
    assert out.sum() < image.sum()
    assert out[4, 4, 0] == 1 and out[2, 2, 0] == 0


def test_shear_of_zero_and_neutral_params_are_identity():
    np.testing.assert_array_equal(F.transform_matrix(TransformParams(shear=0), (4, 5)), np.eye(3))
    image = np.random.default_rng(0).random((4, 5, 3), dtype=np.float32)
    np.testing.assert_array_equal(warp(image, shear=0), image)


@pytest.mark.parametrize("convention", CONVENTIONS, ids=lambda c: c.name)
def test_flips_are_exact_mirrors(convention):
    image = np.arange(24, dtype=np.float32).reshape(4, 6, 1)
    np.testing.assert_array_equal(warp(image, convention=convention, flip_horizontal=True), image[:, ::-1])
    np.testing.assert_array_equal(warp(image, convention=convention, flip_vertical=True), image[::-1])


def test_flip_folded_into_the_matrix_equals_flip_after_warp():
    image = np.random.default_rng(1).random((6, 9, 2), dtype=np.float32)
    params = dict(theta=17.0, ty=1.5, zx=1.1)
    flipped_once = warp(image, **params, flip_horizontal=True, flip_vertical=True)
    np.testing.assert_allclose(flipped_once, warp(image, **params)[::-1, ::-1], atol=1e-5)


def test_centres_of_the_three_conventions_on_a_non_square_image():
    # A tiny rotation moves every pixel except the centre of rotation.
    shape = (4, 8)
    expected = {"default": (1.5, 3.5), "keras_preprocessing": (2.5, 4.5), "tf_keras": (3.5, 1.5)}
    for convention in CONVENTIONS:
        m = F.keras_matrix(TransformParams(theta=30), shape, convention)
        centre = np.linalg.solve(np.eye(2) - m[:2, :2], m[:2, 2])
        np.testing.assert_allclose(centre, expected[convention.name], atol=1e-12)


def test_channel_shift_clips_to_the_image_range_with_one_offset():
    image = np.array([[[0.0, 10.0, 20.0]]], dtype=np.float32)
    np.testing.assert_array_equal(F.channel_shift(image, 5), [[[5, 15, 20]]])
    np.testing.assert_array_equal(F.channel_shift(image, -15), [[[0, 0, 5]]])


def test_default_brightness_keeps_the_value_range():
    dark = np.array([[[0.2, 0.4, 0.8]]], dtype=np.float32)
    np.testing.assert_allclose(F.brightness(dark, 1.5), [[[0.3, 0.6, 1.0]]], rtol=1e-6)
    byte = np.array([[[10.0, 100.0, 200.0]]], dtype=np.float32)
    np.testing.assert_allclose(F.brightness(byte, 2.0), [[[20, 200, 255]]])
    np.testing.assert_allclose(F.brightness(byte, 0.5), [[[5, 50, 100]]])  # never min-max rescaled


def test_keras_brightness_quirks():
    # keras-preprocessing rescales each image to 0-255; Keras 3 turns [0, 1] floats black
    unit = np.full((2, 2, 3), 0.5, dtype=np.float32)
    unit[0, 0] = 0.25
    assert F.brightness(unit, 1.0, KERAS_PREPROCESSING).max() == 255
    np.testing.assert_array_equal(F.brightness(unit, 1.0, TF_KERAS), np.zeros_like(unit))


matrices = st.builds(
    TransformParams,
    theta=st.floats(-180, 180), tx=st.floats(-20, 20), ty=st.floats(-20, 20),
    shear=st.floats(-40, 40), zx=st.floats(0.5, 2), zy=st.floats(0.5, 2),
    flip_horizontal=st.booleans(), flip_vertical=st.booleans())


def matrix_from_builders(params, shape, convention):
    """What keras_matrix's docstring promises: ``offset_centre(rotation @ shift @ shear @ zoom)`` in ``(a, b)``."""
    rows, cols = shape
    tx_first = convention.tx_axis == convention.first_axis
    shift = F.shift_matrix(*((params.tx, params.ty) if tx_first else (params.ty, params.tx)))
    linear = (F.rotation_matrix(params.theta) @ shift @ F.shear_matrix(params.shear)
              @ F.zoom_matrix(params.zx, params.zy))
    size_a, size_b = (rows, cols) if convention.first_axis == "rows" else (cols, rows)
    if convention.centre_sizes_swapped:
        size_a, size_b = size_b, size_a
    centred = F.offset_centre(linear, size_a / 2 + convention.centre_offset, size_b / 2 + convention.centre_offset)
    return centred if convention.first_axis == "rows" else F.swap_axes(centred)


@given(params=matrices, convention=st.sampled_from(CONVENTIONS))
def test_the_matrix_is_the_product_of_the_builders_and_the_flips(params, convention):
    shape = (13, 21)
    m = F.transform_matrix(params, shape, convention)
    geometry = F.keras_matrix(params, shape, convention)
    flips = F.flip_matrix(params.flip_vertical, params.flip_horizontal, shape)
    if geometry is None:
        assert params.theta == params.tx == params.ty == params.shear == 0 and params.zx == params.zy == 1
        geometry = np.eye(3)
    np.testing.assert_allclose(geometry, matrix_from_builders(params, shape, convention), rtol=1e-12, atol=1e-9)
    if m is None:
        assert not (params.flip_horizontal or params.flip_vertical)
        m = geometry
    np.testing.assert_allclose(m, geometry @ flips, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(m[2], [0, 0, 1])
    # area: rotation keeps it, shear scales it by cos, zoom by zx * zy, each flip mirrors it
    mirrors = (-1) ** (params.flip_horizontal + params.flip_vertical)
    expected_det = mirrors * params.zx * params.zy * np.cos(np.deg2rad(params.shear))
    assert np.linalg.det(m[:2, :2]) == pytest.approx(expected_det, rel=1e-9)


#: The fixed point of rotation, shear and zoom on a (rows, cols) image, in (row, col).
CENTRES = {"default": lambda rows, cols: ((rows - 1) / 2, (cols - 1) / 2),
           "keras_preprocessing": lambda rows, cols: (rows / 2 + 0.5, cols / 2 + 0.5),
           "tf_keras": lambda rows, cols: (cols / 2 - 0.5, rows / 2 - 0.5)}  # Keras 3's swapped sizes


@given(params=st.builds(TransformParams, theta=st.floats(-180, 180), shear=st.floats(-40, 40),
                        zx=st.floats(0.5, 2), zy=st.floats(0.5, 2)),
       convention=st.sampled_from(CONVENTIONS))
def test_rotation_shear_and_zoom_keep_the_centre_in_place(params, convention):
    shape = (13, 21)
    m = F.transform_matrix(params, shape, convention)
    if m is not None:
        centre = np.array([*CENTRES[convention.name](*shape), 1.0])
        np.testing.assert_allclose(m @ centre, centre, atol=1e-9)


@pytest.mark.parametrize("convention, moved", [(DOCUMENTED, (3, -2)), (KERAS_PREPROCESSING, (3, -2)),
                                               (TF_KERAS, (-2, 3))])  # Keras 3 moves columns by tx
def test_a_pure_shift_moves_the_sampling_point_by_tx_and_ty(convention, moved):
    m = F.transform_matrix(TransformParams(tx=3, ty=-2), (13, 21), convention)
    np.testing.assert_allclose(m, [[1, 0, moved[0]], [0, 1, moved[1]], [0, 0, 1]], atol=1e-12)


@given(params=matrices, dtype=st.sampled_from([np.float32, np.float64]),
       order=st.sampled_from([0, 1, 3]), fill_mode=st.sampled_from(F.FILL_MODES),
       convention=st.sampled_from(CONVENTIONS))
def test_warp_keeps_shape_and_dtype_and_input(params, dtype, order, fill_mode, convention):
    image = np.random.default_rng(2).random((7, 10, 3)).astype(dtype)
    before = image.copy()
    matrix = F.transform_matrix(params, image.shape[:2], convention)
    out = F.warp_affine(image, matrix, order=order, fill_mode=fill_mode, convention=convention)
    assert out.shape == image.shape and out.dtype == image.dtype
    assert out is not image
    np.testing.assert_array_equal(image, before)


@given(order=st.sampled_from([0, 1, 3]), fill_mode=st.sampled_from(F.FILL_MODES),
       convention=st.sampled_from(CONVENTIONS))
def test_identity_parameters_are_the_identity(order, fill_mode, convention):
    image = np.random.default_rng(3).random((5, 8, 3), dtype=np.float32)
    np.testing.assert_array_equal(warp(image, order=order, fill_mode=fill_mode, convention=convention), image)


@given(params=matrices, convention=st.sampled_from(CONVENTIONS), rows=st.integers(1, 40), cols=st.integers(1, 40))
def test_keras_matrix_is_the_product_of_the_builders(params, convention, rows, cols):
    shift = (params.tx, params.ty) if convention.tx_axis == convention.first_axis else (params.ty, params.tx)
    product = (F.rotation_matrix(params.theta) @ F.shift_matrix(*shift) @ F.shear_matrix(params.shear)
               @ F.zoom_matrix(params.zx, params.zy))
    sizes = (rows, cols) if convention.first_axis == "rows" else (cols, rows)
    if convention.centre_sizes_swapped:
        sizes = sizes[::-1]
    product = F.offset_centre(product, *(size / 2 + convention.centre_offset for size in sizes))
    if convention.first_axis == "cols":
        product = F.swap_axes(product)
    built = F.keras_matrix(params, (rows, cols), convention)
    if built is not None:
        np.testing.assert_allclose(built, product, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("order", [2, 4, 5])
@pytest.mark.parametrize("fill_mode", F.FILL_MODES)
def test_other_orders_use_scipy_splines_with_the_same_fill_rules(order, fill_mode):
    # no skimage "bi-quadratic" warning (warnings are errors here) and the same fill rules as order 1
    image = np.random.default_rng(4).random((6, 9, 2), dtype=np.float32)
    shifted = warp(image, order=order, fill_mode=fill_mode, cval=0.5, ty=3)
    np.testing.assert_allclose(shifted, warp(image, order=1, fill_mode=fill_mode, cval=0.5, ty=3), atol=1e-4)
