"""Hostile arguments: a catalogue of calls that must fail clearly, and values Keras accepts that must keep working.

Public API only (``ImageDataGenerator`` and what its methods return), so that the
catalogue survives a redesign of the inside. Each refusal names the argument, the
value and what is accepted; the regex lists those key parts. Sizes no machine can
hold are refused at once (terabytes, checked before anything is allocated), never
as a ``MemoryError`` from inside numpy.

Families: arguments, shapes and channels, reproducibility limits, pickling.
"""

import copy
import pickle
import time

import numpy as np
import pytest
from references import FLAVOURS, reference_generator

from augkit import ImageDataGenerator, save_img
from augkit.plotting import plot_parameter_distribution, show_augmented
from augkit.widgets import render_grid

G = ImageDataGenerator
RNG = np.random.default_rng(0)
X = RNG.random((6, 8, 8, 3)).astype(np.float32)
MASKS = (RNG.random((6, 8, 8)) * 3).astype(np.uint8)
IMAGE = X[0]
# 10**8 images of 64x64x3 without the memory: a batch of them needs 4.9 TB of float32.
HUGE_X = np.broadcast_to(np.zeros((1, 64, 64, 3), np.uint8), (10**8, 64, 64, 3))


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """``images/{a,b}/k.png``, ``masks/{a,b}/k.png`` and a DataFrame listing the images."""
    import pandas as pd

    root = tmp_path_factory.mktemp("hostile")
    rows = []
    for kind in ("images", "masks"):
        for label in ("a", "b"):
            (root / kind / label).mkdir(parents=True)
            for k in range(2):
                picture = (X[k] * 255).astype(np.uint8) if kind == "images" else MASKS[k][..., None]
                save_img(root / kind / label / f"{k}.png", picture)
                if kind == "images":
                    rows.append({"filename": f"{label}/{k}.png", "class": label})
    return {"images": str(root / "images"), "masks": str(root / "masks"),
            "frame": pd.DataFrame(rows)}


def fitted(**kwargs):
    gen = G(**kwargs)
    gen.fit(X)
    return gen


def refuse(call, folders, error, pattern):
    started = time.perf_counter()
    with pytest.raises(error, match=pattern) as info:
        call(folders)
    assert not isinstance(info.value, MemoryError)
    assert time.perf_counter() - started < 5, "a refusal must come before any work"


# ------------------------------------------------------------------------------------------- arguments
ARGUMENTS = [
    # ranges that overflow or cannot be computed with (Keras: OverflowError, NaN pixels or garbage)
    ("rotation_range=1e308", lambda f: G(rotation_range=1e308), ValueError, r"rotation_range=1e\+308.*at most 1e\+09"),
    ("rotation_range=1e300", lambda f: G(rotation_range=1e300), ValueError, r"rotation_range=1e\+300.*degrees"),
    ("rotation_range=inf", lambda f: G(rotation_range=np.inf), ValueError, r"rotation_range.*finite.*inf"),
    ("rotation_range='30'", lambda f: G(rotation_range="30"), TypeError, r"rotation_range.*real number.*'30'"),
    ("width_shift_range=1e308", lambda f: G(width_shift_range=1e308), ValueError,
     r"width_shift_range=1e\+308.*at most 1e\+09"),
    ("width_shift_range=10**12", lambda f: G(width_shift_range=10**12), ValueError,
     r"width_shift_range=1000000000000 .*range\(N\)"),
    ("height_shift_range=[1e300]", lambda f: G(height_shift_range=[1e300]), ValueError,
     r"height_shift_range=\[1e\+300\].*at most"),
    ("height_shift_range=nan", lambda f: G(height_shift_range=np.nan), ValueError, r"height_shift_range.*finite"),
    ("zoom_range=(1e-320, 1e308)", lambda f: G(zoom_range=(1e-320, 1e308)), ValueError,
     r"zoom_range=\(1e-320, 1e\+308\).*1e-09 to 1e\+09"),
    ("zoom_range=inf", lambda f: G(zoom_range=np.inf), ValueError, r"zoom_range.*finite"),
    ("brightness_range=(0, 1e308)", lambda f: G(brightness_range=(0, 1e308)), ValueError,
     r"brightness_range=\(0, 1e\+308\).*at most 1e\+09"),
    ("channel_shift_range=inf", lambda f: G(channel_shift_range=np.inf), ValueError,
     r"channel_shift_range.*finite.*inf"),
    ("channel_shift_range=1e308", lambda f: G(channel_shift_range=1e308), ValueError,
     r"channel_shift_range=1e\+308.*intensity"),
    ("shear_range=1e300", lambda f: G(shear_range=1e300), ValueError, r"shear_range=1e\+300.*degrees"),
    # preprocessing_function, rescale, zca_epsilon, flags
    ("preprocessing_function=3", lambda f: G(preprocessing_function=3), TypeError,
     r"preprocessing_function=3 .*callable"),
    ("preprocessing_function='sqrt'", lambda f: G(preprocessing_function="sqrt"), TypeError,
     r"preprocessing_function='sqrt'.*callable"),
    ("rescale='1/255'", lambda f: G(rescale="1/255"), TypeError, r"rescale='1/255' .*number.*1/255"),
    ("rescale=[1/255]", lambda f: G(rescale=[1 / 255]), TypeError, r"rescale=\[0\.00392.*number"),
    ("rescale=True", lambda f: G(rescale=True), TypeError, r"rescale=True .*number"),
    ("rescale=nan", lambda f: G(rescale=np.nan), ValueError, r"rescale=nan .*finite"),
    ("rescale=inf", lambda f: G(rescale=np.inf), ValueError, r"rescale=inf .*finite"),
    ("zca_epsilon=0", lambda f: G(zca_whitening=True, zca_epsilon=0), ValueError, r"zca_epsilon=0 .*> 0.*1e-6"),
    ("zca_epsilon=-1e-6", lambda f: G(zca_epsilon=-1e-6), ValueError, r"zca_epsilon=-1e-06 .*> 0"),
    ("zca_epsilon=nan", lambda f: G(zca_epsilon=np.nan), ValueError, r"zca_epsilon=nan .*finite"),
    ("zca_epsilon=inf", lambda f: G(zca_epsilon=np.inf), ValueError, r"zca_epsilon=inf .*finite"),
    ("zca_epsilon='1e-6'", lambda f: G(zca_epsilon="1e-6"), TypeError, r"zca_epsilon='1e-6' .*positive number"),
    ("featurewise_center='yes'", lambda f: G(featurewise_center="yes"), TypeError,
     r"featurewise_center .*True or False.*'yes'"),
    ("zca_whitening=1", lambda f: G(zca_whitening=1), TypeError, r"zca_whitening .*True or False.*1"),
    ("vertical_flip=None", lambda f: G(vertical_flip=None), TypeError, r"vertical_flip .*True or False.*None"),
    # interpolation_order, dtype, fill_mode, data_format, cval, validation_split, compat
    ("interpolation_order=1.0", lambda f: G(interpolation_order=1.0), TypeError,
     r"interpolation_order=1\.0 .*int from 0.*to 5"),
    ("interpolation_order=True", lambda f: G(interpolation_order=True), TypeError, r"interpolation_order=True"),
    ("interpolation_order=-1", lambda f: G(interpolation_order=-1), ValueError, r"interpolation_order=-1 .*0"),
    ("dtype='int32'", lambda f: G(dtype="int32"), ValueError, r"dtype='int32' .*floating-point.*float32"),
    ("dtype='banana'", lambda f: G(dtype="banana"), TypeError, r"dtype='banana' .*float32"),
    ("fill_mode=3", lambda f: G(fill_mode=3), TypeError, r"fill_mode=3 .*'nearest'"),
    ("data_format=None", lambda f: G(data_format=None), TypeError, r"data_format=None .*'channels_last'"),
    ("cval='0'", lambda f: G(cval="0"), TypeError, r"cval='0' .*finite number"),
    ("cval=inf", lambda f: G(cval=np.inf), ValueError, r"cval=inf .*finite number"),
    ("validation_split='0.2'", lambda f: G(validation_split="0.2"), TypeError, r"validation_split='0\.2'.*\[0, 1\)"),
    ("validation_split=nan", lambda f: G(validation_split=np.nan), ValueError, r"validation_split=nan .*\[0, 1\)"),
    # flow: y, sample_weight, batch_size, workers, shuffle
    ("flow y=3", lambda f: G().flow(X, 3), TypeError, r"y must be an array or a sequence.*one target per image.*int 3"),
    ("flow y=dict", lambda f: G().flow(X, {0: 1, 1: 0}), TypeError, r"y must be an array or a sequence.*dict"),
    ("flow y=set", lambda f: G().flow(X, set(range(6))), TypeError, r"y must be an array or a sequence.*set"),
    ("flow y=generator", lambda f: G().flow(X, (i for i in range(6))), TypeError,
     r"y must be an array or a sequence.*generator"),
    ("flow y='abcdef'", lambda f: G().flow(X, "abcdef"), TypeError, r"y must be an array or a sequence.*str"),
    ("flow y ragged", lambda f: G().flow(X, [[1], [1, 2], [1], [1], [1], [1]]), ValueError,
     r"y must be an array or a sequence.*stack"),
    ("flow y too short", lambda f: G().flow(X, np.arange(5)), ValueError, r"same length.*6 images.*5 labels"),
    ("flow sample_weight=3", lambda f: G().flow(X, np.arange(6), sample_weight=3), TypeError,
     r"sample_weight must be an array or a sequence.*int 3"),
    ("flow sample_weight strings", lambda f: G().flow(X, np.arange(6), sample_weight=["a"] * 6), TypeError,
     r"sample_weight must hold numbers"),
    ("flow sample_weight too long", lambda f: G().flow(X, np.arange(6), sample_weight=np.ones(7)), ValueError,
     r"sample_weight.*same length.*6 images.*7 weights"),
    ("flow batch_size=0", lambda f: G().flow(X, batch_size=0), ValueError, r"batch_size=0 must be an int >= 1"),
    ("flow batch_size=-1", lambda f: G().flow(X, batch_size=-1), ValueError, r"batch_size=-1 must be an int >= 1"),
    ("flow batch_size=2.0", lambda f: G().flow(X, batch_size=2.0), TypeError, r"batch_size=2\.0 must be an int >= 1"),
    ("flow batch_size=True", lambda f: G().flow(X, batch_size=True), TypeError, r"batch_size=True must be an int"),
    ("flow batch_size needing terabytes", lambda f: G().flow(HUGE_X, batch_size=10**8), ValueError,
     r"batch_size=100000000 .*\(64, 64, 3\).*TiB of memory"),
    ("flow workers=0", lambda f: G().flow(X, workers=0), ValueError, r"workers=0 must be an int >= 1"),
    ("flow workers=1.5", lambda f: G().flow(X, workers=1.5), TypeError, r"workers=1\.5 must be an int >= 1"),
    ("flow shuffle='yes'", lambda f: G().flow(X, shuffle="yes"), TypeError, r"shuffle must be True or False"),
    # flow_pairs
    ("flow_pairs mask_cval=nan", lambda f: G().flow_pairs(X, MASKS, mask_cval=np.nan), ValueError,
     r"mask_cval=nan must be finite"),
    ("flow_pairs mask_cval=inf", lambda f: G().flow_pairs(X, MASKS.astype(float), mask_cval=np.inf), ValueError,
     r"mask_cval=inf must be finite"),
    ("flow_pairs mask_cval='a'", lambda f: G().flow_pairs(X, MASKS, mask_cval="a"), TypeError,
     r"mask_cval='a' must be a number"),
    ("flow_pairs mask_fill_mode", lambda f: G().flow_pairs(X, MASKS, mask_fill_mode="mirror"), ValueError,
     r"mask_fill_mode='mirror'.*'constant'"),
    ("flow_pairs masks too short", lambda f: G().flow_pairs(X, MASKS[:3]), ValueError,
     r"same length.*6 images and 3 masks"),
    ("flow_pairs y=dict", lambda f: G().flow_pairs(X, MASKS, y={0: 1}), TypeError, r"y must be an array"),
    ("flow_pairs batch_size=2.0", lambda f: G().flow_pairs(X, MASKS, batch_size=2.0), TypeError,
     r"batch_size=2\.0"),
    # file iterators: sizes needing terabytes, refused before loading anything
    ("flow_from_directory target_size", lambda f: G().flow_from_directory(f["images"], target_size=(10**6, 10**6)),
     ValueError, r"target_size=\(1000000, 1000000\).*TiB of memory"),
    ("flow_from_directory batch_size=0", lambda f: G().flow_from_directory(f["images"], batch_size=0),
     ValueError, r"batch_size=0"),
    ("flow_from_dataframe target_size", lambda f: G().flow_from_dataframe(
        f["frame"], f["images"], target_size=(10**6, 10**6)), ValueError, r"target_size=\(1000000, 1000000\).*TiB"),
    ("flow_from_dataframe batch_size='32'", lambda f: G().flow_from_dataframe(
        f["frame"], f["images"], batch_size="32"), TypeError, r"batch_size='32' must be an int"),
    ("flow_pairs_from_directory target_size", lambda f: G().flow_pairs_from_directory(
        f["images"], f["masks"], target_size=(10**6, 10**6)), ValueError, r"target_size=\(1000000, 1000000\).*TiB"),
    ("flow_pairs_from_directory mask_cval=nan", lambda f: G().flow_pairs_from_directory(
        f["images"], f["masks"], target_size=(8, 8), mask_cval=np.nan), ValueError, r"mask_cval=nan must be finite"),
    # fit, sample_params, random_params, apply_transform, standardize
    ("fit rounds=0", lambda f: G(featurewise_center=True).fit(X, augment=True, rounds=0), ValueError,
     r"rounds=0 must be an int >= 1"),
    ("fit rounds=1.5", lambda f: G(featurewise_center=True).fit(X, augment=True, rounds=1.5), TypeError,
     r"rounds=1\.5 must be an int"),
    ("fit rounds=10**9", lambda f: G(featurewise_center=True).fit(X, augment=True, rounds=10**9), ValueError,
     r"rounds=1000000000.*6000000000 augmented images.*TiB of memory"),
    ("fit augment='yes'", lambda f: G(featurewise_center=True).fit(X, augment="yes"), TypeError,
     r"augment='yes' must be True or False"),
    ("sample_params n=10**12", lambda f: G().sample_params((8, 8), 10**12), ValueError,
     r"n=1000000000000.*[TP]iB of memory"),
    ("sample_params n=0", lambda f: G().sample_params((8, 8), 0), ValueError, r"n=0 must be a positive int"),
    ("sample_params n=2.0", lambda f: G().sample_params((8, 8), 2.0), TypeError, r"n=2\.0 must be a positive int"),
    ("random_params img_shape=(8, 8)", lambda f: G().random_params((8, 8)), ValueError,
     r"img_shape=\(8, 8\) must be the shape of one image"),
    ("get_random_transform img_shape bools", lambda f: G().get_random_transform((True, 8, 3)), ValueError,
     r"img_shape=\(True, 8, 3\)"),
    ("apply_transform parameters=3", lambda f: G().apply_transform(IMAGE, 3), TypeError,
     r"transform_parameters must be a dict.*theta.*TransformParams.*int 3"),
    ("apply_transform theta=inf", lambda f: G().apply_transform(IMAGE, {"theta": np.inf}), ValueError,
     r"theta.*finite"),
    ("standardize rank 2", lambda f: G(rescale=2.0).standardize(np.ones((4, 4))), ValueError, r"rank 3.*rank 4"),
    # plotting and widgets: their own counts
    ("show_augmented n=10**6", lambda f: show_augmented(IMAGE, G(), n=10**6), ValueError,
     r"n=1000000 must be an int from 1 to 100"),
    ("show_augmented n=2.0", lambda f: show_augmented(IMAGE, G(), n=2.0), TypeError, r"n=2\.0 must be an int"),
    ("plot_parameter_distribution n=10**12", lambda f: plot_parameter_distribution(G(rotation_range=9), "theta",
                                                                                   n=10**12), ValueError,
     r"n=1000000000000 must be an int from 1 to 1000000"),
    ("render_grid n=0", lambda f: render_grid(IMAGE, {}, n=0), ValueError, r"n=0 must be an int from 1 to 100"),
    ("render_grid ncols=1.5", lambda f: render_grid(IMAGE, {}, ncols=1.5), TypeError, r"ncols=1\.5 must be an int"),
]


@pytest.mark.parametrize("call, error, pattern", [pytest.param(*case[1:], id=case[0]) for case in ARGUMENTS])
def test_arguments_are_refused_clearly(call, error, pattern, folders, capsys):
    refuse(call, folders, error, pattern)


# --------------------------------------------------------------------------------- shapes and channels
SHAPES = [
    ("featurewise mean RGB -> grey", lambda f: fitted(featurewise_center=True).standardize(np.ones((8, 8, 1))),
     ValueError, r"mean was fitted on images with 3 channels.*\(1, 1, 3\).*\(8, 8, 1\)"),
    ("featurewise mean RGB -> RGBA", lambda f: fitted(featurewise_center=True).standardize(np.ones((8, 8, 4))),
     ValueError, r"3 channels.*\(8, 8, 4\)"),
    ("featurewise grey -> RGB, never stretched", lambda f: (
        lambda gen: (gen.fit(X[..., :1]), gen.standardize(IMAGE)))(G(featurewise_center=True)),
     ValueError, r"fitted on images with 1 channels.*\(8, 8, 3\)"),
    ("featurewise std RGB -> grey batch", lambda f: fitted(
        featurewise_center=True, featurewise_std_normalization=True).standardize(np.ones((2, 8, 8, 1))),
     ValueError, r"fitted on images with 3 channels.*\(8, 8, 1\)"),
    ("featurewise at flow()", lambda f: fitted(featurewise_center=True).flow(X[..., :1]),
     ValueError, r"3 channels.*\(8, 8, 1\)"),
    ("featurewise at flow_from_directory()", lambda f: fitted(featurewise_center=True).flow_from_directory(
        f["images"], target_size=(8, 8), color_mode="grayscale"), ValueError, r"3 channels.*\(8, 8, 1\)"),
    ("featurewise channels_first", lambda f: (lambda gen: (gen.fit(np.moveaxis(X, -1, 1)),
                                                           gen.standardize(np.ones((1, 8, 8)))))(
        G(featurewise_center=True, data_format="channels_first")),
     ValueError, r"3 channels.*\(3, 1, 1\).*\(1, 8, 8\).*channels_first"),
    ("ZCA on another shape, same size", lambda f: quiet_zca().standardize(np.ones((4, 16, 3))), ValueError,
     r"ZCA was fitted on images of 192 values \(shape \(8, 8, 3\)\).*\(4, 16, 3\)"),
    ("ZCA on other channels", lambda f: quiet_zca().standardize(np.ones((8, 4, 6))), ValueError,
     r"3 channels.*\(8, 4, 6\)"),
    ("ZCA at flow()", lambda f: quiet_zca().flow(np.ones((2, 4, 16, 3))), ValueError,
     r"ZCA was fitted.*\(8, 8, 3\).*\(4, 16, 3\)"),
    ("flow no images", lambda f: G().flow(np.zeros((0, 8, 8, 3))), ValueError, r"x holds no images"),
    ("flow rows of length 0", lambda f: G().flow(np.zeros((4, 0, 8, 3))), ValueError,
     r"x has shape \(4, 0, 8, 3\).*axis of length 0"),
    ("flow no channels", lambda f: G().flow(np.zeros((4, 8, 8, 0))), ValueError, r"\(4, 8, 8, 0\).*length 0"),
    ("fit no images", lambda f: G(featurewise_center=True).fit(np.zeros((0, 8, 8, 3))), ValueError,
     r"\(0, 8, 8, 3\).*length 0"),
    ("fit no channels", lambda f: G(featurewise_center=True).fit(np.zeros((4, 8, 8, 0))), ValueError,
     r"\(4, 8, 8, 0\).*length 0"),
    ("random_transform no columns", lambda f: G(rotation_range=10).random_transform(np.zeros((8, 0, 3))),
     ValueError, r"x has shape \(8, 0, 3\).*one column"),
    ("apply_transform no rows", lambda f: G().apply_transform(np.zeros((0, 8, 3)), {}), ValueError,
     r"x has shape \(0, 8, 3\)"),
    ("flow_pairs masks without channels", lambda f: G().flow_pairs(X, np.zeros((6, 8, 8, 0))), ValueError,
     r"masks has shape \(6, 8, 8, 0\).*length 0"),
    ("flow rank 3", lambda f: G().flow(IMAGE), ValueError, r"rank 4.*\(8, 8, 3\).*x\[np.newaxis\]"),
    ("flow rank 5", lambda f: G().flow(X[None]), ValueError, r"rank 4.*\(1, 6, 8, 8, 3\)"),
    ("fit rank 3", lambda f: G(featurewise_center=True).fit(IMAGE), ValueError, r"rank 4.*\(8, 8, 3\)"),
    ("random_transform rank 4", lambda f: G().random_transform(X), ValueError, r"rank 3.*\(6, 8, 8, 3\)"),
    ("random_transform rank 2", lambda f: G().random_transform(IMAGE[..., 0]), ValueError, r"rank 3.*\(8, 8\)"),
    ("random_transform channels_first image", lambda f: G().random_transform(np.zeros((3, 20, 30))),
     ValueError, r"\(3, 20, 30\).*looks like a channels_first image"),
]


def quiet_zca():
    with pytest.warns(UserWarning, match="overrides"):
        gen = G(zca_whitening=True)
    gen.fit(X)
    return gen


@pytest.mark.parametrize("call, error, pattern", [pytest.param(*case[1:], id=case[0]) for case in SHAPES])
def test_shapes_and_channels_are_refused_clearly(call, error, pattern, folders, capsys):
    refuse(call, folders, error, pattern)


@pytest.mark.parametrize("shape", [(3, 8, 3), (4, 4, 4)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_an_ambiguous_image_is_read_as_data_format_says(shape, data_format):
    """augkit never guesses: (3, 8, 3) is 3 rows x 8 cols x 3 channels with channels_last."""
    image = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    flipped = G(data_format=data_format).apply_transform(image, {"flip_horizontal": True})
    columns = 1 if data_format == "channels_last" else 2
    np.testing.assert_array_equal(flipped, np.flip(image, axis=columns))


# ------------------------------------------------------------------------------ reproducibility limits
REPRODUCIBILITY = [
    (f"{compat} {where} seed={seed!r}", call, error, pattern)
    for compat in FLAVOURS
    for seed, error, pattern in [
        (-1, ValueError, r"seed=-1 .*legacy RandomState.*0 to 2\*\*32 - 1"),
        (2**32, ValueError, r"seed=4294967296 .*0 to 2\*\*32 - 1"),
        (2**64, ValueError, r"seed=18446744073709551616 .*0 to 2\*\*32 - 1"),
        (True, TypeError, r"seed=True must be None or an int from 0 to 2\*\*32 - 1"),
        (1.5, TypeError, r"seed=1\.5 must be None or an int from 0 to 2\*\*32 - 1"),
    ]
    for where, call in [
        ("flow", lambda f, c=compat, s=seed: G(compat=c).flow(X, seed=s)),
        ("fit", lambda f, c=compat, s=seed: G(compat=c, featurewise_center=True).fit(X, augment=True, seed=s)),
        ("random_params", lambda f, c=compat, s=seed: G(compat=c).random_params((8, 8, 3), seed=s)),
    ]
] + [
    ("compat flow_pairs seed=2**32", lambda f: G(compat="tf_keras").flow_pairs(X, MASKS, seed=2**32),
     ValueError, r"seed=4294967296"),
    ("compat flow_from_directory seed=-1", lambda f: G(compat="tf_keras").flow_from_directory(
        f["images"], target_size=(8, 8), seed=-1), ValueError, r"seed=-1 .*2\*\*32 - 1"),
    ("compat sample_params seed=2**32", lambda f: G(compat="keras_preprocessing").sample_params(
        (8, 8), 2, seed=2**32), ValueError, r"seed=4294967296"),
    ("compat random_transform seed=1.5", lambda f: G(compat="tf_keras").random_transform(IMAGE, seed=1.5),
     TypeError, r"seed=1\.5"),
    ("compat get_random_transform Generator", lambda f: G(compat="tf_keras").get_random_transform(
        (8, 8, 3), seed=np.random.default_rng(0)), TypeError, r"seed=Generator.*int from 0 to 2\*\*32 - 1"),
    ("default flow seed=-1", lambda f: G().flow(X, seed=-1), ValueError, r"seed=-1 must be a non-negative int"),
    ("default flow seed=True", lambda f: G().flow(X, seed=True), TypeError, r"seed=True must be None or a non-negative"),
    ("default flow seed=1.5", lambda f: G().flow(X, seed=1.5), TypeError, r"seed=1\.5 must be None or a non-negative"),
    ("default flow seed='1'", lambda f: G().flow(X, seed="1"), TypeError, r"seed='1' must be None"),
    ("default flow_pairs seed=-1", lambda f: G().flow_pairs(X, MASKS, seed=-1), ValueError, r"seed=-1"),
    ("default fit seed=-1", lambda f: G(featurewise_center=True).fit(X, augment=True, seed=-1), ValueError,
     r"seed=-1 must be a non-negative int.*default_rng"),
    ("default fit seed=True", lambda f: G(featurewise_center=True).fit(X, augment=True, seed=True), TypeError,
     r"seed=True .*non-negative int or a numpy.random.Generator"),
    ("default random_params seed=-1", lambda f: G().random_params((8, 8, 3), seed=-1), ValueError,
     r"seed=-1 must be a non-negative int"),
    ("default sample_params seed=1.5", lambda f: G().sample_params((8, 8), 3, seed=1.5), TypeError,
     r"seed=1\.5 .*Generator"),
]


@pytest.mark.parametrize("call, error, pattern", [pytest.param(*case[1:], id=case[0]) for case in REPRODUCIBILITY])
def test_seeds_numpy_refuses_fail_where_they_are_given(call, error, pattern, folders, capsys):
    refuse(call, folders, error, pattern)


@pytest.mark.parametrize("seed", [2**32, 2**64, 2**200])
def test_default_mode_takes_any_non_negative_int_seed(seed):
    first = [next(G(rotation_range=30).flow(X, seed=seed, batch_size=3)) for _ in range(2)]
    np.testing.assert_array_equal(first[0], first[1])
    assert G(rotation_range=30).random_params((8, 8, 3), seed=seed) == \
        G(rotation_range=30).random_params((8, 8, 3), seed=seed)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_largest_legacy_seed_matches_keras_then_keeps_going(flavour):
    """Keras reseeds seed + total_batches_seen and crashes on batch 2 for seed 2**32 - 1; augkit wraps around."""
    seed = 2**32 - 1
    keras = reference_generator(flavour)(rotation_range=30).flow(X, batch_size=2, seed=seed)
    ours = G(rotation_range=30, compat=flavour).flow(X, batch_size=2, seed=seed)
    np.testing.assert_allclose(next(ours), next(keras), rtol=0, atol=1e-4)
    with pytest.raises(ValueError, match="Seed must be between 0 and 2\\*\\*32 - 1"):
        next(keras)
    for _ in range(4):
        assert next(ours).shape[1:] == (8, 8, 3)


# ------------------------------------------------------------------------------------------- pickling
ITERATORS = {
    "flow": lambda gen, f: gen.flow(X, np.arange(6), batch_size=4, seed=3),
    "flow_pairs": lambda gen, f: gen.flow_pairs(X, MASKS, batch_size=4, seed=3),
    "flow_from_directory": lambda gen, f: gen.flow_from_directory(f["images"], target_size=(8, 8), batch_size=3,
                                                                  seed=3),
    "flow_pairs_from_directory": lambda gen, f: gen.flow_pairs_from_directory(
        f["images"], f["masks"], target_size=(8, 8), batch_size=3, seed=3),
}
COPIES = {"pickle": lambda it: pickle.loads(pickle.dumps(it)), "copy": copy.copy, "deepcopy": copy.deepcopy}


@pytest.mark.parametrize("compat", [None, "tf_keras"])
@pytest.mark.parametrize("how", list(COPIES))
@pytest.mark.parametrize("kind", list(ITERATORS))
def test_a_copied_iterator_gives_the_same_batches_as_the_original(kind, how, compat, folders, capsys):
    it = ITERATORS[kind](G(rotation_range=30, horizontal_flip=True, compat=compat), folders)
    next(it)
    twin = COPIES[how](it)
    for _ in range(3):
        ours, theirs = next(it), next(twin)
        np.testing.assert_array_equal(ours[0], theirs[0])
        np.testing.assert_array_equal(ours[1], theirs[1])
    it.close()
    twin.close()


def keep(image):
    return image


def test_a_generator_pickles_with_its_statistics_and_stream():
    gen = G(featurewise_center=True, rotation_range=20, preprocessing_function=keep)
    gen.fit(X)
    twin = pickle.loads(pickle.dumps(gen))
    np.testing.assert_array_equal(twin.standardize(IMAGE), gen.standardize(IMAGE))
    np.testing.assert_array_equal(twin.random_transform(IMAGE), gen.random_transform(IMAGE))
    assert twin.preprocessing_function is keep


PICKLING = [
    ("generator with a lambda", lambda f: pickle.dumps(G(preprocessing_function=lambda image: image)),
     pickle.PicklingError, r"preprocessing_function \S*<lambda> cannot be pickled.*def at the top level"),
    ("flow() of a generator with a lambda", lambda f: pickle.dumps(
        G(preprocessing_function=lambda image: image).flow(X)),
     pickle.PicklingError, r"preprocessing_function \S*<lambda> cannot be pickled.*threads"),
    ("flow_pairs() with a nested function", lambda f: pickle.dumps(nested_function_generator().flow_pairs(X, MASKS)),
     pickle.PicklingError, r"preprocessing_function nested_function_generator.<locals>.inner cannot be pickled"),
]


def nested_function_generator():
    def inner(image):
        return image
    return G(preprocessing_function=inner)


@pytest.mark.parametrize("call, error, pattern", [pytest.param(*case[1:], id=case[0]) for case in PICKLING])
def test_what_cannot_be_pickled_says_why(call, error, pattern, folders):
    refuse(call, folders, error, pattern)


def test_copies_keep_an_unpicklable_function():
    gen = G(preprocessing_function=lambda image: image + 1)
    for twin in (copy.copy(gen), copy.deepcopy(gen)):
        np.testing.assert_array_equal(twin.standardize(IMAGE), IMAGE + 1)
    np.testing.assert_array_equal(next(copy.deepcopy(gen.flow(X, shuffle=False, batch_size=2))), X[:2] + 1)


# ------------------------------------------------------------------------- what Keras accepts still works
KERAS_ACCEPTED = {
    "rotation_range=720": dict(rotation_range=720),
    "shear_range=400": dict(shear_range=400),
    "width_shift_range=[-3, 5]": dict(width_shift_range=[-3, 5]),
    "width_shift_range=3 (int)": dict(width_shift_range=3),
    "width_shift_range=3.0 (pixels)": dict(width_shift_range=3.0),
    "height_shift_range=np.int64(2)": dict(height_shift_range=np.int64(2)),
    "rotation_range=np.float32(30)": dict(rotation_range=np.float32(30)),
    "zoom_range=(2, 0.5) reversed": dict(zoom_range=(2, 0.5)),
    "zoom_range=[0.5, 1.5]": dict(zoom_range=[0.5, 1.5]),
    "brightness_range=(2, 1) reversed": dict(brightness_range=(2, 1)),
    "channel_shift_range=255": dict(channel_shift_range=255, rotation_range=5),
}


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", list(KERAS_ACCEPTED))
def test_values_keras_accepts_give_keras_results(name, flavour):
    args = KERAS_ACCEPTED[name]
    keras = reference_generator(flavour)(**args)
    ours = G(**args, compat=flavour)
    photo = (X[1] * 255).astype(np.float32)
    for seed in range(2):
        np.testing.assert_allclose(ours.random_transform(photo, seed=seed),
                                   keras.random_transform(photo.copy(), seed=seed), rtol=0, atol=1e-3)


@pytest.mark.parametrize("name", list(KERAS_ACCEPTED))
def test_values_keras_accepts_work_in_the_default_mode(name):
    batch = next(G(**KERAS_ACCEPTED[name]).flow(X, batch_size=3, seed=0))
    assert batch.shape == (3, 8, 8, 3) and np.isfinite(batch).all()


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("rescale", [0, None, 1 / 255, -1.0, np.float32(0.5)])
def test_rescale_as_keras_treats_it_zero_is_off(rescale, flavour):
    keras = reference_generator(flavour)(rescale=rescale)
    np.testing.assert_allclose(G(rescale=rescale).standardize(IMAGE), keras.standardize(IMAGE.copy()), rtol=1e-6)


def test_a_batch_size_beyond_the_data_is_one_batch_as_in_keras():
    it = G().flow(X, batch_size=10**12, shuffle=False)
    assert len(it) == 1
    np.testing.assert_array_equal(next(it), X)


@pytest.mark.parametrize("y", [list(range(6)), tuple(range(6)), range(6), np.arange(6)], ids=type)
def test_y_as_any_sequence(y):
    _, labels = next(G().flow(X, y, shuffle=False, batch_size=6))
    np.testing.assert_array_equal(labels, np.arange(6))


def test_a_fitted_mean_applies_to_any_image_size_with_its_channels():
    gen = fitted(featurewise_center=True)
    assert gen.standardize(np.ones((5, 3, 3))).shape == (5, 3, 3)
    gen.mean = 0.5  # an assigned scalar is broadcast on purpose
    np.testing.assert_allclose(gen.standardize(np.ones((4, 4, 1))), 0.5)


@pytest.mark.parametrize("method", ["flow_from_directory", "flow_pairs_from_directory"])
def test_an_impossible_target_size_is_refused_before_any_folder_is_walked(tmp_path, method):
    missing = tmp_path / "not_walked"  # a walk would fail with FileNotFoundError first
    folders = (missing,) if method == "flow_from_directory" else (missing, missing)
    with pytest.raises(ValueError, match=r"target_size=\(1000000, 1000000\) \(one 1000000x1000000x3 image.*TiB"):
        getattr(ImageDataGenerator(), method)(*folders, target_size=(10**6, 10**6))
