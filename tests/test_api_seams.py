"""The seams between augkit's functions, tested with the calls a user writes.

* ``flow_pairs`` takes ``flow``'s arguments in ``flow``'s (Keras's) order, ``masks`` after ``x``;
* ``transform_matrix`` means one thing everywhere: a 3x3 array, the identity for "no change";
* sampling helpers take ``n`` before the seed, and the seed by keyword only;
* a Keras user finds what a training script needs in ``augkit`` itself.
"""

import inspect
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import augkit
from augkit import ImageDataGenerator, TransformParams, functional, plotting, widgets
from augkit.params import sample

STANDARD = dict(rotation_range=40, width_shift_range=0.2, zoom_range=0.2, horizontal_flip=True)
CONVENTIONS = [None, "keras_preprocessing", "tf_keras"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def data(n=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, (n, 8, 10, 3), dtype=np.uint8)
    masks = rng.integers(0, 3, (n, 8, 10), dtype=np.uint8)
    return x, masks, np.arange(n) % 2, np.linspace(0.5, 1.0, n)


# --- flow_pairs takes flow's arguments in flow's order -----------------------------------------

def positional(function, skip=("self",)):
    return [name for name, p in inspect.signature(function).parameters.items()
            if p.kind is p.POSITIONAL_OR_KEYWORD and name not in skip]


def test_flow_pairs_positional_order_is_flows_with_masks_after_x():
    flow = positional(ImageDataGenerator.flow)
    pairs = positional(ImageDataGenerator.flow_pairs)
    assert pairs == flow[:1] + ["masks"] + flow[1:]
    keyword_only = [name for name, p in inspect.signature(ImageDataGenerator.flow_pairs).parameters.items()
                    if p.kind is p.KEYWORD_ONLY]
    assert keyword_only == ["mask_fill_mode", "mask_cval", "mix", "mix_alpha"]  # mix: keyword-only in flow too
    assert [name for name, p in inspect.signature(ImageDataGenerator.flow).parameters.items()
            if p.kind is p.KEYWORD_ONLY] == ["mix", "mix_alpha"]


def test_flow_keeps_kerass_positional_order():
    # keras-preprocessing 1.1.2 and Keras 3's legacy ImageDataGenerator.flow
    keras = ["x", "y", "batch_size", "shuffle", "sample_weight", "seed", "save_to_dir", "save_prefix",
             "save_format", "ignore_class_split", "subset"]
    assert positional(ImageDataGenerator.flow)[:len(keras)] == keras


def test_a_positional_flow_call_works_for_flow_pairs_with_the_masks_added(tmp_path):
    x, masks, y, weights = data()
    gen = ImageDataGenerator(**STANDARD, validation_split=0.25)
    args = (4, False, weights, 3, tmp_path, "aug", "png", True, "training", 1)  # Keras's order, then workers
    flow_x, flow_y, flow_w = next(gen.flow(x, y, *args))
    (pair_x, (pair_masks, pair_y), pair_w) = next(gen.flow_pairs(x, masks, y, *args))
    np.testing.assert_array_equal(pair_x, flow_x)  # same seed, same samples, same transforms
    np.testing.assert_array_equal(pair_y, flow_y)
    np.testing.assert_array_equal(pair_w, flow_w)
    np.testing.assert_array_equal(pair_w, weights[2:6])  # the training subset's weights, in order
    assert pair_masks.shape == (4, 8, 10) and pair_masks.dtype == np.uint8


def test_flow_pairs_seed_and_sample_weight_by_position_land_where_flow_puts_them():
    x, masks, y, weights = data()
    gen = ImageDataGenerator(**STANDARD)
    it = gen.flow_pairs(x, masks, y, 4, True, weights, 11)
    assert it.seed == 11
    np.testing.assert_array_equal(it.sample_weight, weights)


def test_mask_options_are_keyword_only():
    x, masks, _, _ = data()
    gen = ImageDataGenerator()
    with pytest.raises(TypeError):
        gen.flow_pairs(x, masks, None, 4, True, None, 0, None, "", "png", False, None, 1, "nearest")
    it = gen.flow_pairs(x, masks, mask_fill_mode="nearest", mask_cval=2)
    assert (it.mask_fill_mode, it.mask_cval) == ("nearest", 2)


# --- transform_matrix: one meaning ---------------------------------------------------------------

@pytest.mark.parametrize("compat", CONVENTIONS)
def test_transform_matrix_is_always_a_matrix_and_both_agree(compat):
    gen = ImageDataGenerator(**STANDARD, compat=compat)
    shape = (12, 17, 3)
    cases = [TransformParams(), TransformParams(flip_horizontal=True), TransformParams(flip_vertical=True)]
    cases += gen.sample_params(shape, 5, seed=4)
    for params in cases:
        from_gen = gen.transform_matrix(params, shape)
        from_functional = functional.transform_matrix(params, shape[:2], gen.convention)
        assert isinstance(from_functional, np.ndarray) and from_functional.shape == (3, 3)
        np.testing.assert_array_equal(from_gen, from_functional)


def test_neutral_parameters_give_a_fresh_identity_that_warps_to_a_copy():
    image = np.random.default_rng(0).random((5, 6, 3), dtype=np.float32)
    matrix = functional.transform_matrix(TransformParams(), image.shape[:2])
    np.testing.assert_array_equal(matrix, np.eye(3))
    matrix[0, 0] = 7.0  # the caller's own array: the next call is not affected
    np.testing.assert_array_equal(ImageDataGenerator().transform_matrix({}, image.shape), np.eye(3))
    out = functional.warp_affine(image, functional.transform_matrix(TransformParams(), image.shape[:2]))
    np.testing.assert_array_equal(out, image)
    assert not np.shares_memory(out, image)
    mask = np.arange(30, dtype=np.uint8).reshape(5, 6)
    np.testing.assert_array_equal(
        functional.warp_nearest(mask, functional.transform_matrix(TransformParams(), mask.shape)), mask)


# --- n before the seed, the seed by keyword ------------------------------------------------------

SAMPLERS = {
    "show_augmented": plotting.show_augmented,
    "plot_parameter_distribution": plotting.plot_parameter_distribution,
    "compare_conventions": plotting.compare_conventions,
    "render_grid": widgets.render_grid,
    "explore": widgets.explore,
    "playground": widgets.playground,
    "params.sample": sample,
}


@pytest.mark.parametrize("name", SAMPLERS)
def test_the_seed_is_keyword_only_and_comes_after_n(name):
    parameters = inspect.signature(SAMPLERS[name]).parameters
    seed = "rng" if name == "params.sample" else "seed"
    assert parameters[seed].kind is inspect.Parameter.KEYWORD_ONLY
    names = list(parameters)
    if "n" in names:
        assert names.index("n") < names.index(seed)


def test_show_augmented_draws_what_sample_params_draws():
    image = np.random.default_rng(1).integers(0, 256, (12, 16, 3), dtype=np.uint8)
    gen = ImageDataGenerator(**STANDARD)
    fig = plotting.show_augmented(image, gen, 4, seed=5)
    titles = [" ".join(ax.get_title().split()) for ax in fig.axes]  # titles are wrapped
    assert titles == [str(p) for p in gen.sample_params(image.shape[:2], 4, 5)]
    with pytest.raises(TypeError):
        plotting.show_augmented(image, gen, 4, 5)  # a positional seed is refused, never read as something else


def test_render_grid_takes_n_and_ncols_by_position_and_the_seed_by_keyword():
    image = np.random.default_rng(2).integers(0, 256, (12, 16, 3), dtype=np.uint8)
    kwargs = {"rotation_range": 40}
    by_position = widgets.render_grid(image, kwargs, 4, 2, seed=3)
    np.testing.assert_array_equal(by_position, widgets.render_grid(image, kwargs, n=4, ncols=2, seed=3))
    assert by_position.dtype == np.uint8 and by_position.ndim == 3
    with pytest.raises(TypeError):
        widgets.render_grid(image, kwargs, 4, 2, 3)


def test_params_sample_takes_the_shape_then_n_and_the_rng_by_keyword():
    gen = ImageDataGenerator(**STANDARD)
    drawn = sample(gen.ranges, (30, 40), 3, rng=7)
    assert drawn == gen.sample_params((30, 40), 3, seed=7)
    assert sample(gen.ranges, (30, 40), rng=7) == drawn[0]
    with pytest.raises(TypeError, match="keyword-only"):
        sample(gen.ranges, 7, (30, 40))  # the order before issue 15: a clear error, not other draws


# --- what a Keras user imports --------------------------------------------------------------------

def test_a_keras_training_script_imports_everything_from_augkit():
    from augkit import (  # noqa: F401 - the import is the test
        ImageDataGenerator,
        array_to_img,
        as_keras_dataset,
        img_to_array,
        load_img,
        save_img,
    )
    from augkit.keras_adapter import as_keras_dataset as adapter

    assert as_keras_dataset is adapter
    assert "as_keras_dataset" in augkit.__all__


def test_importing_augkit_does_not_import_keras():
    code = "import sys, augkit; augkit.as_keras_dataset; print('keras' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
