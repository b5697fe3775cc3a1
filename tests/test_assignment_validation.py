"""Normalisation options assigned after construction are checked as the constructor checks them (issue 18).

``gen.rescale = "x"`` used to be stored as given and to fail later, deep in
``standardize``, or never. Every normalisation option assigned on the facade
is now refused with the constructor's own error (the same type, the same
message), and a refused assignment changes nothing; a valid one is stored as
the constructor would store it. Range options do the same
(``tests/test_generator_attributes.py``).
"""

import numpy as np
import pytest

from augkit import ImageDataGenerator

BAD = [
    ("rescale", "x"), ("rescale", [1 / 255]), ("rescale", True), ("rescale", np.nan), ("rescale", np.inf),
    ("featurewise_center", "yes"), ("featurewise_center", 1), ("featurewise_center", None),
    ("samplewise_center", 0), ("featurewise_std_normalization", "True"), ("samplewise_std_normalization", 2),
    ("zca_whitening", "no"), ("zca_epsilon", -1), ("zca_epsilon", 0), ("zca_epsilon", "1e-6"),
    ("zca_epsilon", np.nan), ("zca_epsilon", None), ("preprocessing_function", 5),
    ("preprocessing_function", "sqrt"),
]


def constructor_error(name, value):
    with pytest.raises((TypeError, ValueError)) as error:
        ImageDataGenerator(**{name: value})
    return error.value


def state(gen):
    return repr(gen), dict(vars(gen.normalizer)), gen.ranges, gen.augmenter


@pytest.mark.parametrize("name, value", BAD, ids=[f"{n}={v!r}" for n, v in BAD])
def test_a_wrong_normalisation_option_is_refused_as_the_constructor_refuses_it(name, value):
    expected = constructor_error(name, value)
    gen = ImageDataGenerator(rotation_range=10, featurewise_center=True, rescale=0.5)
    before = state(gen)
    with pytest.raises(type(expected)) as error:
        setattr(gen, name, value)
    assert type(error.value) is type(expected) and str(error.value) == str(expected)
    assert name in str(error.value) and repr(value)[:6] in str(error.value)
    assert state(gen) == before


def test_a_refused_option_leaves_standardize_as_it_was():
    gen = ImageDataGenerator(rescale=0.5, samplewise_center=True)
    image = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    expected = gen.standardize(image)
    for name, value in BAD:
        with pytest.raises((TypeError, ValueError)):
            setattr(gen, name, value)
    np.testing.assert_array_equal(gen.standardize(image), expected)


@pytest.mark.parametrize("name, value, stored", [
    ("rescale", 1 / 255, 1 / 255), ("rescale", None, None), ("rescale", 0, 0),
    ("featurewise_center", np.bool_(True), True), ("samplewise_center", True, True), ("zca_whitening", False, False),
    ("zca_epsilon", 1e-5, 1e-5), ("zca_epsilon", np.float32(0.5), 0.5),
    ("preprocessing_function", np.sqrt, np.sqrt), ("preprocessing_function", None, None),
])
def test_a_valid_option_is_stored_as_the_constructor_stores_it(name, value, stored):
    gen = ImageDataGenerator()
    setattr(gen, name, value)
    assert getattr(gen, name) == stored and type(getattr(gen, name)) is type(stored)
    assert getattr(gen, name) == getattr(ImageDataGenerator(**{name: value}), name)


def test_an_assigned_option_acts_as_if_given_to_the_constructor():
    image = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    gen = ImageDataGenerator()
    gen.rescale, gen.samplewise_center, gen.preprocessing_function = 0.5, True, np.sqrt
    made = ImageDataGenerator(rescale=0.5, samplewise_center=True, preprocessing_function=np.sqrt)
    np.testing.assert_array_equal(gen.standardize(image), made.standardize(image))


def test_a_uint8_generator_still_refuses_float_steps_first_as_its_constructor_does():
    pytest.importorskip("cv2")
    with pytest.raises(ValueError) as made:
        ImageDataGenerator(dtype="uint8", backend="opencv", rescale=1 / 255)
    gen = ImageDataGenerator(dtype="uint8", backend="opencv")
    with pytest.raises(ValueError) as assigned:
        gen.rescale = 1 / 255
    assert str(assigned.value) == str(made.value) and gen.rescale is None
