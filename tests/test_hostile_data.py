"""Hostile data through the public API: read-only arrays, NaN and inf, aliasing.

Three catalogues, each a table of cases run by one test:

* **read-only**: every public entry point that takes pixels works on a JAX array
  seen through ``np.asarray``, ``np.broadcast_to``, ``np.load(mmap_mode="r")`` and
  ``setflags(write=False)``, and gives what it gives on a writable copy.
* **non-finite**: each operation either *contains* NaN/inf (the exact output
  pixels that read it become non-finite, nothing else) or *refuses* it with a
  ``ValueError`` that names NaN or inf and where it is.
* **aliasing**: every transform returns a new array that shares no memory with
  its input, and leaves the input unchanged.
"""

import os
import re

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import pytest

from augkit import ImageDataGenerator, TransformParams, functional, plotting, widgets

ROWS, COLS = 6, 7
CONVENTIONS = (None, "keras_preprocessing", "tf_keras")
GEOMETRY = dict(rotation_range=30, width_shift_range=0.2, height_shift_range=0.2, shear_range=10,
                zoom_range=0.2, horizontal_flip=True, vertical_flip=True)
NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def photo(shape=(ROWS, COLS, 3), dtype=np.float32, seed=0):
    return (np.random.default_rng(seed).random(shape) * 255).astype(dtype)


def labels(shape=(4, ROWS, COLS, 1)):
    return np.random.default_rng(1).integers(0, 3, shape).astype(np.uint8)


# --- read-only ----------------------------------------------------------------------

def read_only(array, kind, tmp_path):
    """``array``'s values as the read-only array a user would have."""
    if kind == "jax":
        out = np.asarray(jnp.asarray(array))
    elif kind == "broadcast_to":
        out = np.broadcast_to(array, array.shape)
    elif kind == "mmap":
        path = tmp_path / f"data{len(os.listdir(tmp_path))}.npy"
        np.save(path, array)
        out = np.load(path, mmap_mode="r")
    else:
        out = array.copy()
        out.setflags(write=False)
    assert not out.flags.writeable and out.dtype == array.dtype
    return out


def figure_pixels(fig):
    return [np.asarray(ax.get_images()[0].get_array()) for ax in fig.axes if ax.get_images()]


def flow_batch(gen, x):
    return next(gen.flow(x, batch_size=len(x), shuffle=False, seed=3))


def pairs_batch(gen, x, masks):
    images, out_masks = next(gen.flow_pairs(x, masks, batch_size=len(x), shuffle=False, seed=3))
    return images, out_masks


def fitted(gen, x, **kwargs):
    gen.fit(x, **kwargs)
    return [a for a in (gen.mean, gen.std) if a is not None] + (
        [gen.principal_components] if gen.zca_whitening else [])


# name -> (inputs maker, call). Inputs are writable; the test makes them read-only.
ENTRY_POINTS = {
    "the issue's command: flow, rotation 30": (
        lambda: [np.zeros((4, 16, 16, 3), np.float32)],
        lambda x: next(ImageDataGenerator(rotation_range=30).flow(x, seed=0))),
    "flow, channels_first": (
        lambda: [photo((3, 3, ROWS, COLS))],
        lambda x: flow_batch(ImageDataGenerator(**GEOMETRY, data_format="channels_first"), x)),
    "flow with a standardize step": (
        lambda: [photo((3, ROWS, COLS, 3))],
        lambda x: flow_batch(ImageDataGenerator(**GEOMETRY, samplewise_center=True, rescale=1 / 255), x)),
    "flow_pairs, read-only images and masks": (
        lambda: [photo((4, ROWS, COLS, 3)), labels()],
        lambda x, m: pairs_batch(ImageDataGenerator(**GEOMETRY), x, m)),
    "flow_pairs, one-hot masks": (
        lambda: [photo((4, ROWS, COLS, 3)), np.eye(3, dtype=np.uint8)[labels()[..., 0]]],
        lambda x, m: pairs_batch(ImageDataGenerator(**GEOMETRY), x, m)),
    "fit featurewise": (
        lambda: [photo((4, ROWS, COLS, 3))],
        lambda x: fitted(ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True), x)),
    "fit ZCA": (
        lambda: [photo((4, ROWS, COLS, 3))],
        lambda x: fitted(ImageDataGenerator(zca_whitening=True, featurewise_center=True), x)),
    "fit ZCA, compat keras_preprocessing": (
        lambda: [photo((4, ROWS, COLS, 3))],
        lambda x: fitted(ImageDataGenerator(zca_whitening=True, featurewise_center=True,
                                            compat="keras_preprocessing"), x)),
    "fit with augment": (
        lambda: [photo((4, ROWS, COLS, 3))],
        lambda x: fitted(ImageDataGenerator(**GEOMETRY, featurewise_center=True), x, augment=True, seed=0)),
    "standardize": (
        lambda: [photo()],
        lambda x: ImageDataGenerator(samplewise_center=True, samplewise_std_normalization=True,
                                     rescale=0.5).standardize(x)),
    "standardize a batch": (
        lambda: [photo((3, ROWS, COLS, 3))],
        lambda x: ImageDataGenerator(samplewise_center=True).standardize(x)),
    "show_augmented": (
        lambda: [photo()],
        lambda x: figure_pixels(plotting.show_augmented(x, ImageDataGenerator(**GEOMETRY), n=3))),
    "show_before_after": (
        lambda: [photo()],
        lambda x: figure_pixels(plotting.show_before_after(x, {"theta": 20, "ty": 1.5}))),
    "show_warp_grid": (
        lambda: [photo()],
        lambda x: figure_pixels(plotting.show_warp_grid(x, TransformParams(shear=15)))),
    "compare_conventions": (
        lambda: [photo()],
        lambda x: figure_pixels(plotting.compare_conventions(x, params={"theta": 20, "brightness": 1.2}))),
    "show_grid": (
        lambda: [photo((2, ROWS, COLS, 3))],
        lambda x: figure_pixels(plotting.show_grid(x))),
    "to_display": (
        lambda: [photo()],
        lambda x: plotting.to_display(x)),
    "widgets.render_grid": (
        lambda: [photo()],
        lambda x: widgets.render_grid(x, dict(GEOMETRY, channel_shift_range=20), n=4)),
    "widgets.preview": (
        lambda: [photo((40, 60, 3))],
        lambda x: widgets.preview(x, max_side=16)),
    "widgets.explore": (
        lambda: [photo()],
        lambda x: widgets.explore(x, "rotation_range", 30, n=4).source),
    "functional.warp_nearest": (
        lambda: [labels()[0]],
        lambda m: functional.warp_nearest(m, functional.transform_matrix(TransformParams(theta=30), (ROWS, COLS)))),
}
# random_transform and apply_transform in every convention, order and intensity option
for _compat in CONVENTIONS:
    for _order in (0, 1, 2, 3):
        ENTRY_POINTS[f"random_transform, compat={_compat}, order {_order}"] = (
            lambda: [photo()],
            lambda x, c=_compat, o=_order: ImageDataGenerator(
                **GEOMETRY, channel_shift_range=20, brightness_range=(0.5, 1.5), interpolation_order=o,
                compat=c).random_transform(x, seed=1))
    ENTRY_POINTS[f"apply_transform, compat={_compat}"] = (
        lambda: [photo()],
        lambda x, c=_compat: ImageDataGenerator(compat=c).apply_transform(
            x, {"theta": 25, "tx": 1.5, "zy": 0.8, "channel_shift_intensity": 5.0, "brightness": 0.7}))


def as_list(result):
    return list(result) if isinstance(result, (list, tuple)) else [result]


@pytest.mark.parametrize("kind", ["jax", "broadcast_to", "mmap", "setflags"])
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_read_only_input_works_everywhere(entry, kind, tmp_path):
    make_inputs, call = ENTRY_POINTS[entry]
    writable = make_inputs()
    expected = as_list(call(*[a.copy() for a in writable]))
    hostile = [read_only(a, kind, tmp_path) for a in writable]
    got = as_list(call(*hostile))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)
    for h, w in zip(hostile, writable):
        np.testing.assert_array_equal(h, w)  # not modified


def test_read_only_batch_broadcast_from_one_image_flows():
    """A zero-stride batch (one image broadcast to 5) augments like five copies."""
    image = photo()
    batch = np.broadcast_to(image, (5,) + image.shape)
    gen = ImageDataGenerator(**GEOMETRY)
    np.testing.assert_array_equal(flow_batch(gen, batch), flow_batch(gen, np.repeat(image[None], 5, axis=0)))


# --- non-finite: contained -------------------------------------------------------------

def poisoned(value, at=(3, 4), shape=(ROWS, COLS, 3), dtype=np.float32):
    """A finite image with ``value`` at ``at`` of channel 0."""
    image = photo(shape, dtype)
    image[at + (0,)] = value
    return image


def non_finite_pixels(out, channel=0):
    """Where channel ``channel`` is not finite, as sorted (row, col); the other channels must be finite."""
    others = np.delete(out, channel, axis=-1)
    assert np.isfinite(others).all(), "a NaN in one channel leaked into another"
    return sorted(map(tuple, np.argwhere(~np.isfinite(out[..., channel])).tolist()))


def block(rows, cols):
    return sorted((r, c) for r in rows for c in cols)


def warp(params, order, fill_mode="nearest", compat=None):
    gen = ImageDataGenerator(interpolation_order=order, fill_mode=fill_mode, compat=compat)
    return lambda image: gen.apply_transform(image, params)


# NaN/inf at (row 3, col 4). Documented convention: tx moves rows, ty columns; output
# pixel (r, c) reads (r + tx, c + ty). Order 0 reads the nearest pixel (ties round
# up), order 1 the 2x2 neighbours with a non-zero weight, skimage's order 3 the 4x4
# neighbours rows r-1..r+2 (also where a weight is 0).
CONTAINED = {
    "identity order 1": (warp({}, 1), [(3, 4)]),
    "h-flip": (warp({"flip_horizontal": True}, 1), [(3, 2)]),
    "v-flip": (warp({"flip_vertical": True}, 1), [(2, 4)]),
    "order 0, half-pixel shift": (warp({"ty": 0.5}, 0), [(3, 3)]),
    "order 0, half turn": (warp({"theta": 180}, 0), [(2, 2)]),
    "order 1, half-pixel column shift": (warp({"ty": 0.5}, 1), [(3, 3), (3, 4)]),
    "order 1, half-pixel row shift": (warp({"tx": -0.5}, 1), [(3, 4), (4, 4)]),
    "order 1, diagonal half-pixel shift": (warp({"tx": 0.5, "ty": 0.5}, 1), block((2, 3), (3, 4))),
    "order 1, whole-pixel shift": (warp({"ty": 1}, 1), [(3, 3)]),
    "order 3 (skimage bicubic), half-pixel shift": (warp({"ty": 0.5}, 3), block(range(1, 5), range(2, 6))),
    "order 3, diagonal shift": (warp({"tx": 0.5, "ty": 0.5}, 3), block(range(1, 5), range(2, 6))),
    # scipy's order 1 (Keras conventions) reads all 2x2 neighbours, weight 0 included
    "keras_preprocessing order 1, whole-pixel shift": (
        warp({"ty": 1}, 1, compat="keras_preprocessing"), block((2, 3), (2, 3))),
    "tf_keras order 0, h-flip": (warp({"flip_horizontal": True}, 0, compat="tf_keras"), [(3, 2)]),
    "functional.warp_affine, matrix None": (
        lambda image: functional.warp_affine(image, None), [(3, 4)]),
    "standardize: rescale and featurewise": (
        lambda image: standardize_fitted(image), [(3, 4)]),
}
# NaN at the left edge (row 3, col 0), read by a shift of two columns to the right
# (ty=-2): each fill mode repeats the edge pixel its own way; orders 0 and 1 agree.
for _order in (0, 1):
    for _mode, _cols in {"constant": [2], "nearest": [0, 1, 2], "reflect": [1, 2], "wrap": [2]}.items():
        CONTAINED[f"edge pixel, fill_mode={_mode}, order {_order}"] = (
            (lambda image, o=_order, m=_mode: warp({"ty": -2}, o, m)(np.roll(image, -4, axis=1))),
            [(3, c) for c in _cols])


def standardize_fitted(image):
    gen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True, rescale=1 / 255)
    gen.fit(photo((4,) + image.shape, seed=5))
    return gen.standardize(image)


@pytest.mark.parametrize("value", list(NON_FINITE))
@pytest.mark.parametrize("case", list(CONTAINED))
def test_non_finite_is_contained(case, value):
    operation, expected = CONTAINED[case]
    image = poisoned(NON_FINITE[value])
    before = image.copy()
    assert non_finite_pixels(operation(image)) == expected
    np.testing.assert_array_equal(image, before)


@pytest.mark.parametrize("value", list(NON_FINITE))
def test_warp_nearest_moves_a_non_finite_label_exactly(value):
    mask = np.zeros((ROWS, COLS), np.float32)
    mask[3, 4] = NON_FINITE[value]
    matrix = functional.transform_matrix(TransformParams(theta=180), (ROWS, COLS))
    out = functional.warp_nearest(mask, matrix)
    assert np.argwhere(~np.isfinite(out)).tolist() == [[2, 2]]
    np.testing.assert_array_equal(out[2, 2], mask[3, 4])


@pytest.mark.parametrize("value", list(NON_FINITE))
def test_one_bad_image_in_a_batch_leaves_the_others_finite(value):
    x = photo((4, ROWS, COLS, 3))
    x[2, 3, 4, 0] = NON_FINITE[value]
    batch = flow_batch(ImageDataGenerator(rotation_range=20, rescale=1 / 255), x)
    assert np.isfinite(batch[[0, 1, 3]]).all()
    assert 1 <= np.count_nonzero(~np.isfinite(batch[2])) <= 4  # a 2x2 neighbourhood at most


# --- non-finite: refused ---------------------------------------------------------------

def fit(**options):
    def call(image):
        x = photo((3,) + image.shape)
        x[1] = image
        ImageDataGenerator(**options).fit(x)
    return call


def fitted_then_standardize(**options):
    def call(image):
        gen = ImageDataGenerator(**options)
        gen.fit(photo((4,) + image.shape, seed=5))
        gen.standardize(image)
    return call


def generator_transform(**options):
    return lambda image: ImageDataGenerator(**options).random_transform(image, seed=0)


# name -> (operation on the poisoned image, regex of the message after the NaN/inf part)
REFUSED = {
    **{f"warp order {o}, B-spline": (warp({"theta": 10}, o), rf"warp_affine with order={o}") for o in (2, 4, 5)},
    **{f"warp order 3, {c}": (warp({"theta": 10}, 3, compat=c), "order=3") for c in CONVENTIONS[1:]},
    "functional.channel_shift": (lambda image: functional.channel_shift(image, 10.0), "channel_shift"),
    **{f"functional.brightness, {c}": (
        lambda image, c=c: functional.brightness(image, 1.2, ImageDataGenerator(compat=c).convention),
        "brightness") for c in CONVENTIONS},
    **{f"random_transform, channel_shift_range, {c}": (
        generator_transform(channel_shift_range=10, rotation_range=10, compat=c), "channel_shift")
        for c in CONVENTIONS},
    **{f"random_transform, brightness_range, {c}": (
        generator_transform(brightness_range=(0.5, 1.5), compat=c), "brightness") for c in CONVENTIONS},
    "standardize samplewise_center": (
        lambda image: ImageDataGenerator(samplewise_center=True).standardize(image), "samplewise_center"),
    "standardize samplewise_std_normalization, keras_preprocessing": (
        lambda image: ImageDataGenerator(samplewise_center=True, samplewise_std_normalization=True,
                                         compat="keras_preprocessing").standardize(image), "samplewise_center"),
    "standardize ZCA": (fitted_then_standardize(zca_whitening=True), "zca_whitening"),
    "fit featurewise_center": (fit(featurewise_center=True), r"\.fit\(\)"),
    "fit featurewise_std_normalization": (fit(featurewise_std_normalization=True), r"\.fit\(\)"),
    "fit ZCA": (fit(zca_whitening=True), r"\.fit\(\)"),
    "fit ZCA, tf_keras": (fit(zca_whitening=True, compat="tf_keras"), r"\.fit\(\)"),
}


@pytest.mark.filterwarnings("ignore:This ImageDataGenerator specifies")  # Keras's override warnings
@pytest.mark.parametrize("value", list(NON_FINITE))
@pytest.mark.parametrize("case", list(REFUSED))
def test_non_finite_is_refused_with_its_place(case, value):
    operation, names_operation = REFUSED[case]
    image = poisoned(NON_FINITE[value])
    before = image.copy()
    kind = "NaN" if value == "nan" else "infinite"
    with pytest.raises(ValueError) as raised:
        operation(image)
    message = str(raised.value)
    assert re.search(names_operation, message), message
    assert kind in message
    assert "row 3, col 4, channel 0" in message, message
    np.testing.assert_array_equal(image, before)


def test_refusal_in_channels_first_names_the_pixel_of_x():
    image = poisoned(np.nan, shape=(ROWS, COLS, 3))
    gen = ImageDataGenerator(channel_shift_range=10, data_format="channels_first")
    with pytest.raises(ValueError, match=r"x has 1 NaN value at \(row 3, col 4, channel 0\)"):
        gen.random_transform(np.moveaxis(image, -1, 0), seed=0)
    with pytest.raises(ValueError, match=r"\(image 0, channel 0, row 3, col 4\)"):
        ImageDataGenerator(samplewise_center=True, data_format="channels_first").standardize(
            np.moveaxis(image, -1, 0)[None])


def test_many_non_finite_values_are_counted():
    x = photo((2, ROWS, COLS, 3))
    x[1, :2, :, 1] = np.nan
    x[0, 5, 6, 2] = np.inf
    with pytest.raises(ValueError, match=r"contains 14 NaN and 1 infinite values \(14 NaN values "
                                         r"\(the first at \(image 1, row 0, col 0, channel 1\)\) and "
                                         r"1 infinite value at \(image 0, row 5, col 6, channel 2\)\)"):
        ImageDataGenerator(featurewise_center=True).fit(x)


def nan_producing(image):
    return np.where(image < 0, np.nan, image)


def test_fit_refuses_nan_that_preprocessing_function_brings_in():
    x = photo((3, ROWS, COLS, 3))
    x[1, 2, 3, 0] = -1.0
    with pytest.raises(ValueError, match=r"fit refuses non-finite data: x has 1 NaN value at "
                                         r"\(image 1, row 2, col 3, channel 0\); the featurewise mean .*"
                                         r"after preprocessing_function"):
        ImageDataGenerator(featurewise_center=True, preprocessing_function=nan_producing).fit(x)


@pytest.mark.parametrize("field", ["theta", "tx", "ty", "shear", "zx", "zy", "channel_shift_intensity",
                                   "brightness"])
@pytest.mark.parametrize("value", list(NON_FINITE))
def test_transform_params_refuse_non_finite_values(field, value):
    with pytest.raises(ValueError, match=rf"{field}.*finite"):
        TransformParams(**{field: NON_FINITE[value]})
    with pytest.raises(ValueError, match=rf"{field}.*finite"):
        ImageDataGenerator().apply_transform(photo(), {field: NON_FINITE[value]})


@pytest.mark.parametrize("field", ["zx", "zy"])
def test_transform_params_refuse_a_zero_zoom(field):
    with pytest.raises(ValueError, match=rf"{field}=0.*non-zero"):
        TransformParams(**{field: 0})
    with pytest.raises(ValueError, match=rf"{field}=0"):
        ImageDataGenerator().apply_transform(photo(), TransformParams.of({field: 0.0}))


@pytest.mark.parametrize("value", list(NON_FINITE))
@pytest.mark.parametrize("call", [
    lambda m: functional.warp_affine(photo(), m),
    lambda m: functional.warp_nearest(labels()[0], m),
], ids=["warp_affine", "warp_nearest"])
def test_kernels_refuse_a_non_finite_matrix(call, value):
    matrix = np.eye(3)
    matrix[0, 2] = NON_FINITE[value]
    with pytest.raises(ValueError, match="matrix must be a finite 3x3"):
        call(matrix)


@pytest.mark.parametrize("value", list(NON_FINITE))
@pytest.mark.parametrize("call, name", [
    (lambda v: functional.channel_shift(photo(), v), "intensity"),
    (lambda v: functional.brightness(photo(), v), "factor"),
])
def test_intensity_kernels_refuse_a_non_finite_amount(call, name, value):
    with pytest.raises(ValueError, match=rf"{name}=.* must be a finite number"):
        call(NON_FINITE[value])


def test_describe_non_finite():
    assert functional.describe_non_finite(photo()) == ""
    assert functional.describe_non_finite(np.arange(3)) == ""
    assert functional.describe_non_finite(poisoned(-np.inf)) == "1 infinite value at (row 3, col 4, channel 0)"


# --- aliasing --------------------------------------------------------------------------

def one_pixel(dtype=np.float32):
    return photo((1, 1, 3), dtype)


def gen_apply(params, **options):
    return lambda x: ImageDataGenerator(**options).apply_transform(x, params)


def identity_standardize(x):
    return ImageDataGenerator().standardize(x)


def first_mask(result):
    return result[1]


# name -> (input, transform); transform(input) must share no memory with input.
ALIASING = {
    "warp_affine, matrix None": (photo(), lambda x: functional.warp_affine(x, None)),
    "warp_affine, identity matrix": (photo(), lambda x: functional.warp_affine(x, np.eye(3))),
    "warp_affine, h-flip of a one-column image": (
        photo((5, 1, 3)), lambda x: functional.warp_affine(x, functional.flip_matrix(False, True, (5, 1)))),
    "warp_affine, v-flip of a one-row image": (
        photo((1, 5, 3)), lambda x: functional.warp_affine(x, functional.flip_matrix(True, False, (1, 5)))),
    "warp_affine, both flips of a one-pixel image": (
        one_pixel(), lambda x: functional.warp_affine(x, functional.flip_matrix(True, True, (1, 1)))),
    "warp_nearest, matrix None": (labels()[0], lambda m: functional.warp_nearest(m, None)),
    "warp_nearest, identity matrix": (labels()[0], lambda m: functional.warp_nearest(m, np.eye(3))),
    "warp_nearest, flips of a one-pixel mask": (
        labels((1, 1)), lambda m: functional.warp_nearest(m, functional.flip_matrix(True, True, (1, 1)))),
    "channel_shift by 0": (photo(), lambda x: functional.channel_shift(x, 0.0)),
    **{f"brightness factor 1, {c}": (
        photo(), lambda x, c=c: functional.brightness(x, 1.0, ImageDataGenerator(compat=c).convention))
        for c in CONVENTIONS},
    "apply_transform, neutral dict, float32": (photo(), gen_apply({})),
    "apply_transform, NEUTRAL params, float64 generator": (photo(dtype=np.float64), gen_apply(
        TransformParams(), dtype="float64")),
    "apply_transform, flips of a one-pixel image": (one_pixel(), gen_apply(
        {"flip_horizontal": True, "flip_vertical": True})),
    "apply_transform, uint8 input": (photo(dtype=np.uint8), gen_apply({})),
    "apply_transform, channels_first": (photo((3, ROWS, COLS)), gen_apply({}, data_format="channels_first")),
    "apply_transform, channels_first one-pixel flip": (
        photo((3, 1, 1)), gen_apply({"flip_horizontal": True}, data_format="channels_first")),
    **{f"random_transform, no options, {c}": (
        photo(), lambda x, c=c: ImageDataGenerator(compat=c).random_transform(x, seed=0)) for c in CONVENTIONS},
    "random_transform, flips only, one pixel": (
        one_pixel(), lambda x: ImageDataGenerator(horizontal_flip=True).random_transform(x, seed=0)),
    "standardize, no options, float32": (photo(), identity_standardize),
    "standardize, no options, a batch": (photo((2, ROWS, COLS, 3)), identity_standardize),
    "standardize, rescale": (photo(), lambda x: ImageDataGenerator(rescale=1.0).standardize(x)),
    "standardize, identity preprocessing_function": (
        photo(), lambda x: ImageDataGenerator(preprocessing_function=lambda image: image).standardize(x)),
    "flow, no options": (photo((2, ROWS, COLS, 3)), lambda x: flow_batch(ImageDataGenerator(), x)),
    "flow_pairs masks, no options": (
        labels(), lambda m: pairs_batch(ImageDataGenerator(), photo((4, ROWS, COLS, 3)), m)[1]),
    "to_display of a float32 image in 0-1": (photo() / 255, plotting.to_display),
}


@pytest.mark.parametrize("case", list(ALIASING))
def test_outputs_never_alias_inputs(case):
    x, transform = ALIASING[case]
    x = x.copy()
    before = x.copy()
    out = transform(x)
    assert out is not x
    assert not np.shares_memory(out, x)
    np.testing.assert_array_equal(x, before)
    out[...] = 0 if out.dtype.kind in "iub" else -1.0  # writing the output leaves the input alone
    np.testing.assert_array_equal(x, before)


def test_neutral_outputs_equal_their_input():
    x = photo()
    for case in ("apply_transform, neutral dict, float32", "standardize, no options, float32",
                 "warp_affine, identity matrix"):
        np.testing.assert_array_equal(ALIASING[case][1](x), x)


def test_catalogue_is_not_empty_of_any_family():
    # keep the report's counts honest: every family has cases
    assert len(ENTRY_POINTS) >= 20 and len(CONTAINED) >= 15 and len(REFUSED) >= 15 and len(ALIASING) >= 25


# --- values beyond float32's range -------------------------------------------------------
# numpy would turn them into inf with only a RuntimeWarning (silent corruption); augkit refuses.

def _huge_image():
    x = np.zeros((4, 5, 3))
    x[1, 2, 0] = -1e300
    return x


TOO_LARGE = [
    ("random_transform", lambda x: ImageDataGenerator(rotation_range=10).random_transform(x, seed=0), "x"),
    ("apply_transform", lambda x: ImageDataGenerator().apply_transform(x, {"theta": 5}), "x"),
    ("flow, no augmentation", lambda x: next(ImageDataGenerator().flow(x[None], shuffle=False)), r"x\[0\]"),
    ("flow, augmenting", lambda x: next(ImageDataGenerator(rotation_range=10).flow(x[None])), "x"),
    ("flow_pairs, no augmentation", lambda x: next(ImageDataGenerator().flow_pairs(
        x[None], np.zeros((1, 4, 5), np.uint8), shuffle=False)), r"x\[0\]"),
    ("standardize", lambda x: ImageDataGenerator(samplewise_center=True).standardize(x), "x"),
    ("fit", lambda x: ImageDataGenerator(featurewise_center=True).fit(np.stack([x, x + 0.5])), "x"),
    ("preprocessing_function", lambda x: ImageDataGenerator(
        preprocessing_function=lambda image: image.astype(np.float64) * 1e300).standardize(np.ones((4, 5, 3))),
     "preprocessing_function's result"),
]


@pytest.mark.parametrize("call, name", [case[1:] for case in TOO_LARGE], ids=[case[0] for case in TOO_LARGE])
def test_values_beyond_float32_are_refused_not_turned_into_inf(call, name):
    with pytest.raises(ValueError, match=rf"^{name} holds values too large for float32 \(largest magnitude "
                                         r"1e\+300; float32 holds up to 3\.4e\+38\).*dtype='float64'"):
        call(_huge_image())


def test_a_float64_generator_keeps_values_beyond_float32():
    out = ImageDataGenerator(dtype="float64").apply_transform(_huge_image(), {"flip_horizontal": True})
    assert out[1, 2, 0] == -1e300 and out.dtype == np.float64


# --- pictures of non-finite data ------------------------------------------------------------

def test_a_nan_pixel_does_not_blank_the_picture():
    image = np.full((3, 4, 3), 0.5)
    image[1, 2] = [np.nan, np.inf, -np.inf]
    assert plotting.display_range(image) == (0.0, 1.0)  # the finite values' range, not NaN
    shown = plotting.to_display(image)
    np.testing.assert_array_equal(shown[1, 2], [0.0, 1.0, 0.0])  # NaN black, +inf white, -inf black
    assert np.all(shown[0] == 0.5) and np.isfinite(shown).all()
    grey = np.array([[np.nan, 200.0], [10.0, 300.0]])
    assert plotting.display_range(grey) == (10.0, 300.0)
    assert plotting.display_range(np.full((2, 2), np.nan)) == (0.0, 1.0)


def test_the_widget_grid_of_an_image_with_nan_renders_without_warnings():
    image = np.full((16, 16, 3), 0.5, dtype=np.float32)
    image[4, 4, 0] = np.nan
    grid = widgets.render_grid(image, {"horizontal_flip": True}, seed=0, n=2, ncols=2)
    assert grid.dtype == np.uint8 and grid.shape[2] == 3
