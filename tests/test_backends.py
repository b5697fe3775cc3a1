"""``backend="opencv"`` against the scikit-image reference, the uint8 path and the refusals (issue 19).

The tolerances are the ones :mod:`augkit.opencv_backend` documents: bilinear
within 0.02 on 0-255 data; order 0 is the masks' exact gather (equal to
scikit-image on drawn matrices); the orders OpenCV does not do exactly equal
(they fall back); exact ties at order 0 exactly as scikit-image rounds them.
"""

import sys

import numpy as np
import pytest

from augkit import ImageDataGenerator, backends, geometry, kernels, opencv_backend
from augkit.kernels import FILL_MODES
from augkit.spec import AUGMENTATIONS

cv2 = pytest.importorskip("cv2")

STANDARD = dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                zoom_range=0.2, horizontal_flip=True)
BILINEAR_TOLERANCE = 0.02  # on 0-255 data


def picture(shape=(96, 80, 3), dtype=np.float32, seed=0):
    """Smooth gradients with sharp edges and noise: every kind of neighbourhood."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[:shape[0], :shape[1]]
    base = (rows * 2 + cols * 3) % 256
    base = np.where((rows // 16 + cols // 16) % 2 == 0, base, 255 - base)
    channels = [np.clip(base + rng.integers(-20, 21, base.shape) * (c + 1) % 50, 0, 255) for c in range(shape[2])]
    return np.stack(channels, axis=-1).astype(dtype)


def matrices(shape, n=12, seed=0):
    gen = ImageDataGenerator(**STANDARD)
    return [gen.transform_matrix(p, shape) for p in gen.sample_params(shape, n, seed=seed)]


@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("channels", [1, 2, 3, 4, 5])
def test_bilinear_matches_scikit_image_within_the_documented_tolerance(fill_mode, channels):
    image = picture((96, 80, channels))
    for matrix in matrices(image.shape):
        ours = opencv_backend.warp_affine(image, matrix, order=1, fill_mode=fill_mode, cval=17.0)
        reference = kernels.warp_affine(image, matrix, order=1, fill_mode=fill_mode, cval=17.0)
        assert ours.dtype == np.float32 and ours.shape == image.shape
        assert np.abs(ours - reference).max() <= BILINEAR_TOLERANCE


HAND_SET = [geometry.affine((32, 32), scale_factors=(1.05, 0.9)),  # OpenCV's nearest: 8.9 % of pixels differed
            np.array([[0.95, 0.2, 1.3], [-0.2, 0.95, 0.7], [0.0, 0.0, 1.0]])]  # 3.8 %


@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
def test_nearest_is_the_masks_exact_gather(fill_mode, dtype):
    # The masks' rule (float64 coordinates, ties rounded up), so an image and its mask read the same pixel.
    image = picture((64, 64, 3), dtype=dtype)
    for matrix in matrices(image.shape) + HAND_SET:
        ours = opencv_backend.warp_affine(image, matrix, order=0, fill_mode=fill_mode, cval=17)
        assert ours.dtype == dtype
        np.testing.assert_array_equal(ours, kernels.warp_nearest(image, matrix, fill_mode=fill_mode, cval=17))


@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_nearest_equals_scikit_image_on_drawn_matrices_and_nearly_on_hand_set_ones(fill_mode):
    # scikit-image computes a float32 image's coordinates in float32: on hand-set decimal matrices a few
    # near-ties round the other way (OpenCV's own nearest differed on 3.8 % and 8.9 % of these pixels).
    image = picture((64, 64, 3))
    for matrix in matrices(image.shape):
        np.testing.assert_array_equal(opencv_backend.warp_affine(image, matrix, order=0, fill_mode=fill_mode),
                                      kernels.warp_affine(image, matrix, order=0, fill_mode=fill_mode))
    for matrix in HAND_SET:
        ours = opencv_backend.warp_affine(image, matrix, order=0, fill_mode=fill_mode)
        reference = kernels.warp_affine(image, matrix, order=0, fill_mode=fill_mode)
        assert np.any(ours != reference, axis=-1).mean() <= 0.02  # measured 1.2 to 1.7 %


@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("matrix", [geometry.translation(0.5, 0.5), geometry.translation(-0.5, 1.5),
                                    geometry.affine((4, 4), scale_factors=(0.5, 0.5)),
                                    geometry.translation(2, -3)], ids=["half", "mixed", "zoom-half", "whole"])
def test_exact_ties_at_order_0_round_as_scikit_image_does(fill_mode, matrix):
    # OpenCV alone rounds ties to even (columns 0, 2, 2, 4, ...); these go to the exact gather.
    image = picture((10, 10, 3))
    ours = opencv_backend.warp_affine(image, matrix, order=0, fill_mode=fill_mode, cval=17.0)
    np.testing.assert_array_equal(ours, kernels.warp_affine(image, matrix, order=0, fill_mode=fill_mode, cval=17.0))


@pytest.mark.parametrize("order", [2, 3, 4, 5])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_orders_opencv_does_not_reproduce_fall_back_to_scikit_image_exactly(order, fill_mode):
    image = picture((24, 20, 3))
    for matrix in matrices(image.shape, n=3):
        np.testing.assert_array_equal(
            opencv_backend.warp_affine(image, matrix, order=order, fill_mode=fill_mode, cval=17.0),
            kernels.warp_affine(image, matrix, order=order, fill_mode=fill_mode, cval=17.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float16])
def test_float64_and_float16_fall_back_to_scikit_image(dtype):
    # OpenCV's float64 bilinear uses fixed-point weights (up to 3/255 off); it has no float16.
    image = picture((32, 32, 3), dtype=dtype)
    matrix = matrices(image.shape, n=1)[0]
    ours = opencv_backend.warp_affine(image, matrix, fill_mode="reflect")
    reference = kernels.warp_affine(image, matrix, fill_mode="reflect")
    assert ours.dtype == reference.dtype
    np.testing.assert_array_equal(ours, reference)


def test_flips_and_the_identity_are_exact_copies_never_views():
    image = picture((6, 7, 3), dtype=np.uint8)
    for matrix, expected in [(geometry.flip((6, 7), horizontal=True), image[:, ::-1]),
                             (geometry.flip((6, 7), vertical=True), image[::-1]), (np.eye(3), image)]:
        out = opencv_backend.warp_affine(image, matrix)
        np.testing.assert_array_equal(out, expected)
        assert not np.shares_memory(out, image)


def test_read_only_and_strided_inputs_work_and_are_not_modified():
    image = picture((20, 30, 3))
    frozen = image.copy()
    frozen.flags.writeable = False
    strided = np.asfortranarray(image)
    matrix = matrices(image.shape, n=1)[0]
    expected = opencv_backend.warp_affine(image, matrix)
    np.testing.assert_array_equal(opencv_backend.warp_affine(frozen, matrix), expected)
    np.testing.assert_array_equal(opencv_backend.warp_affine(strided, matrix), expected)
    np.testing.assert_array_equal(frozen, image)


def test_a_nan_stays_within_its_bilinear_neighbourhood():
    image = picture((20, 20, 1))
    image[10, 10, 0] = np.nan
    out = opencv_backend.warp_affine(image, geometry.translation(0.25, -0.25), fill_mode="constant")
    rows, cols = np.nonzero(np.isnan(out[..., 0]))
    assert 1 <= len(rows) <= 9 and set(rows) <= {9, 10, 11} and set(cols) <= {9, 10, 11}


def test_a_bad_matrix_is_refused():
    with pytest.raises(ValueError, match="finite 3x3"):
        opencv_backend.warp_affine(picture((4, 4, 1)), np.full((3, 3), np.nan))


# --- the uint8 path ---------------------------------------------------------------------------------

@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_uint8_is_within_one_of_the_float_path_rounded_and_exact_at_order_0(order, fill_mode):
    image = picture((64, 48, 3), dtype=np.uint8)
    for matrix in matrices(image.shape, n=6) + [geometry.translation(0.5, -1.5)]:
        ours = opencv_backend.warp_affine(image, matrix, order=order, fill_mode=fill_mode, cval=17)
        assert ours.dtype == np.uint8
        float_path = opencv_backend.warp_affine(image.astype(np.float32), matrix, order=order,
                                                fill_mode=fill_mode, cval=17)
        rounded = np.clip(np.rint(float_path), 0, 255)
        difference = np.abs(ours.astype(np.int16) - rounded)
        assert difference.max() <= (0 if order == 0 else 1)


def test_a_uint8_generator_gives_uint8_batches_next_to_the_float_ones():
    x = np.stack([picture((40, 36, 3), dtype=np.uint8, seed=s) for s in range(6)])
    for order in (0, 1):
        as_uint8 = ImageDataGenerator(**STANDARD, backend="opencv", dtype="uint8", interpolation_order=order)
        as_float = ImageDataGenerator(**STANDARD, backend="opencv", interpolation_order=order)
        reference = ImageDataGenerator(**STANDARD, interpolation_order=order)
        batch = next(as_uint8.flow(x, batch_size=6, shuffle=False, seed=3))
        float_batch = next(as_float.flow(x, batch_size=6, shuffle=False, seed=3))
        reference_batch = next(reference.flow(x, batch_size=6, shuffle=False, seed=3))
        assert batch.dtype == np.uint8 and batch.shape == x.shape
        assert np.abs(batch - np.rint(float_batch)).max() <= (0 if order == 0 else 1)
        assert np.abs(float_batch - reference_batch).max() <= (BILINEAR_TOLERANCE if order == 1 else 0)


def test_the_generator_uses_the_backend_for_random_transform_and_repr_says_so():
    image = picture((30, 30, 3))
    gen = ImageDataGenerator(rotation_range=30, backend="opencv")
    assert gen.backend == "opencv" and "backend='opencv'" in repr(gen)
    assert "backend" not in repr(ImageDataGenerator(rotation_range=30))
    assert repr(ImageDataGenerator(backend="opencv", dtype="uint8")).endswith("backend='opencv', dtype='uint8')")
    assert "dtype" not in repr(gen) and "dtype='float64'" in repr(ImageDataGenerator(dtype="float64"))
    params = gen.random_params(image.shape, seed=1)
    np.testing.assert_allclose(gen.apply_transform(image, params),
                               ImageDataGenerator(rotation_range=30).apply_transform(image, params),
                               atol=BILINEAR_TOLERANCE)


# --- refusals ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
def test_the_compat_modes_refuse_opencv_and_say_why(compat):
    with pytest.raises(ValueError, match=rf"backend='opencv' works only with compat=None: compat='{compat}' "
                                         r"reproduces Keras's pixels with scipy.ndimage's resampler"):
        ImageDataGenerator(compat=compat, backend="opencv")


@pytest.mark.parametrize("backend, error, pattern", [
    ("cv2", ValueError, r"backend='cv2' is not supported; use one of 'skimage', 'opencv'"),
    (None, TypeError, r"backend=None must be a str"),
])
def test_a_bad_backend_is_named(backend, error, pattern):
    with pytest.raises(error, match=pattern):
        ImageDataGenerator(backend=backend)


def test_a_missing_opencv_names_the_fast_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)  # import cv2 now raises ImportError
    monkeypatch.setattr(opencv_backend, "_cv2", None)
    with pytest.raises(ModuleNotFoundError, match=r"backend='opencv' needs OpenCV.*augkit\[fast\]"):
        ImageDataGenerator(backend="opencv")
    ImageDataGenerator()  # the default backend does not need it


def test_uint8_needs_the_opencv_backend():
    with pytest.raises(ValueError, match=r"dtype='uint8' needs backend='opencv'"):
        ImageDataGenerator(dtype="uint8")
    with pytest.raises(ValueError, match=r"dtype='int16' must be a floating-point type such as 'float32', "
                                         r"or 'uint8' with backend='opencv'"):
        ImageDataGenerator(dtype="int16", backend="opencv")


@pytest.mark.parametrize("option", [dict(rescale=1 / 255), dict(featurewise_center=True),
                                    dict(samplewise_std_normalization=True), dict(zca_whitening=True),
                                    dict(preprocessing_function=np.sqrt), dict(channel_shift_range=10.0),
                                    dict(brightness_range=(0.5, 1.5))], ids=lambda option: next(iter(option)))
def test_uint8_refuses_each_float_only_step_by_name(option):
    name = next(iter(option))
    with pytest.raises(ValueError, match=rf"dtype='uint8' cannot be used with {name}: that step needs float pixels"):
        ImageDataGenerator(backend="opencv", dtype="uint8", **option)


def test_uint8_names_every_float_only_step_at_once_and_checks_cval():
    with pytest.raises(ValueError, match=r"with rescale, channel_shift_range: those steps need float pixels"):
        ImageDataGenerator(backend="opencv", dtype="uint8", rescale=0.5, channel_shift_range=3.0)
    with pytest.raises(ValueError, match=r"cval=0.5 must be a whole number from 0 to 255 with dtype='uint8'"):
        ImageDataGenerator(backend="opencv", dtype="uint8", cval=0.5)


def test_uint8_refuses_images_of_another_dtype_rather_than_wrapping_them():
    gen = ImageDataGenerator(rotation_range=10, backend="opencv", dtype="uint8")
    floats = picture((8, 8, 3))
    with pytest.raises(TypeError, match=r"x has dtype float32, but a generator with dtype='uint8' takes uint8 "
                                        r"images only"):
        gen.random_transform(floats, seed=0)
    with pytest.raises(TypeError, match=r"dtype='uint8' takes uint8 images only"):
        next(ImageDataGenerator(backend="opencv", dtype="uint8").flow(floats[np.newaxis], batch_size=1))


# --- options assigned after construction --------------------------------------------------------------

INTENSITY_ENTRIES = [entry for entry in AUGMENTATIONS if entry.kernel is not None]


def state(gen):
    return (repr(gen), gen.ranges, gen.augmenter, gen.normalizer, gen.backend, gen.dtype, gen.compat, gen.cval,
            {name: getattr(gen, name) for name in backends.FLOAT_ONLY_OPTIONS})


def test_assigning_dtype_data_format_or_compat_keeps_the_backend():
    image = picture((20, 24, 3))
    gen = ImageDataGenerator(rotation_range=30, backend="opencv")
    gen.dtype = "float64"
    gen.data_format = "channels_first"
    made = ImageDataGenerator(rotation_range=30, backend="opencv", dtype="float64", data_format="channels_first")
    assert gen.backend == gen.augmenter.backend == "opencv" and repr(gen) == repr(made)
    chw = np.moveaxis(image, -1, 0)
    np.testing.assert_array_equal(gen.random_transform(chw, seed=4), made.random_transform(chw, seed=4))
    gen.compat = None  # the default mode keeps OpenCV
    assert gen.backend == "opencv"


@pytest.mark.parametrize("compat", ["keras_preprocessing", "tf_keras"])
def test_assigning_a_compat_mode_to_an_opencv_generator_is_refused_and_changes_nothing(compat):
    gen = ImageDataGenerator(rotation_range=30, backend="opencv")
    before = state(gen)
    with pytest.raises(ValueError, match=rf"backend='opencv' works only with compat=None: compat='{compat}'"):
        gen.compat = compat
    assert state(gen) == before


def test_an_assigned_backend_reaches_the_augmenter_and_iterators_made_before():
    x = np.stack([picture((30, 30, 3), seed=s) for s in range(4)])
    gen = ImageDataGenerator(rotation_range=30)
    it = gen.flow(x, batch_size=2, shuffle=False, seed=0)
    gen.backend = "opencv"
    assert gen.augmenter.backend == "opencv" and "backend='opencv'" in repr(gen)
    expected = ImageDataGenerator(rotation_range=30, backend="opencv").flow(x, batch_size=2, shuffle=False, seed=0)
    np.testing.assert_array_equal(next(it), expected[0])


@pytest.mark.parametrize("gen_kwargs, value, error, pattern", [
    (dict(), "cv2", ValueError, r"backend='cv2' is not supported"),
    (dict(), None, TypeError, r"backend=None must be a str"),
    (dict(compat="tf_keras"), "opencv", ValueError, r"backend='opencv' works only with compat=None"),
    (dict(backend="opencv", dtype="uint8"), "skimage", ValueError, r"dtype='uint8' needs backend='opencv'"),
], ids=["unknown", "not-a-str", "compat", "uint8"])
def test_a_wrong_backend_assignment_is_refused_and_changes_nothing(gen_kwargs, value, error, pattern):
    gen = ImageDataGenerator(rotation_range=10, **gen_kwargs)
    before = state(gen)
    with pytest.raises(error, match=pattern):
        gen.backend = value
    assert state(gen) == before


def test_an_assigned_uint8_dtype_gives_uint8_batches_as_if_constructed():
    x = np.stack([picture((24, 20, 3), dtype=np.uint8, seed=s) for s in range(3)])
    gen = ImageDataGenerator(rotation_range=30, backend="opencv")
    gen.dtype = "uint8"
    made = ImageDataGenerator(rotation_range=30, backend="opencv", dtype="uint8")
    assert gen.dtype == gen.augmenter.dtype == gen.normalizer.dtype == np.uint8
    batch = next(gen.flow(x, batch_size=3, shuffle=False, seed=1))
    assert batch.dtype == np.uint8
    np.testing.assert_array_equal(batch, next(made.flow(x, batch_size=3, shuffle=False, seed=1)))


@pytest.mark.parametrize("gen_kwargs, pattern", [
    (dict(), r"dtype='uint8' needs backend='opencv'"),
    (dict(backend="opencv", rescale=1 / 255), r"dtype='uint8' cannot be used with rescale: that step needs"),
    (dict(backend="opencv", samplewise_center=True, brightness_range=(0.5, 1.5)),
     r"cannot be used with samplewise_center, brightness_range: those steps need float pixels"),
    (dict(backend="opencv", cval=0.5), r"cval=0.5 must be a whole number from 0 to 255 with dtype='uint8'"),
], ids=["skimage", "rescale", "two", "cval"])
def test_an_assigned_uint8_dtype_rechecks_the_backend_and_the_float_steps(gen_kwargs, pattern):
    gen = ImageDataGenerator(rotation_range=10, **gen_kwargs)
    before = state(gen)
    with pytest.raises(ValueError, match=pattern):
        gen.dtype = "uint8"
    assert state(gen) == before


@pytest.mark.parametrize("name, value", [
    ("rescale", 1 / 255), ("featurewise_center", True), ("samplewise_center", True),
    ("featurewise_std_normalization", True), ("samplewise_std_normalization", True), ("zca_whitening", True),
    ("preprocessing_function", np.sqrt),
] + [(entry.argument, entry.control.start) for entry in INTENSITY_ENTRIES])
def test_a_uint8_generator_refuses_an_assigned_float_step_by_name_and_changes_nothing(name, value):
    gen = ImageDataGenerator(rotation_range=10, backend="opencv", dtype="uint8")
    before = state(gen)
    with pytest.raises(ValueError, match=rf"dtype='uint8' cannot be used with {name}: that step needs float pixels"):
        setattr(gen, name, value)
    assert state(gen) == before


def test_a_uint8_generator_takes_assignments_that_need_no_floats():
    gen = ImageDataGenerator(backend="opencv", dtype="uint8")
    gen.rescale, gen.brightness_range, gen.channel_shift_range, gen.featurewise_center = None, None, 0.0, False
    gen.rotation_range, gen.fill_mode, gen.cval = 20, "constant", 7
    assert gen.dtype == np.uint8 and (gen.rotation_range, gen.cval) == (20, 7.0)
    with pytest.raises(ValueError, match=r"cval=7.5 must be a whole number from 0 to 255 with dtype='uint8'"):
        gen.cval = 7.5
    assert gen.cval == 7.0


@pytest.mark.parametrize("entry", INTENSITY_ENTRIES, ids=lambda entry: entry.argument)
def test_every_intensity_entry_of_the_spec_table_is_refused_with_uint8(entry):
    # The refusal reads the table: an intensity entry added later is covered without an edit.
    assert entry.argument in backends.float_steps(ranges=ImageDataGenerator(
        **{entry.argument: entry.control.start}).ranges)
    with pytest.raises(ValueError, match=rf"dtype='uint8' cannot be used with {entry.argument}: that step"):
        ImageDataGenerator(backend="opencv", dtype="uint8", **{entry.argument: entry.control.start})
