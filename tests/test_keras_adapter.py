"""``as_keras_dataset``: augkit iterators in Keras 3's ``fit``, ``evaluate`` and ``predict``.

Keras runs on JAX here (``KERAS_BACKEND=jax`` is set by the root conftest).
Without keras these tests skip, saying why; with the ``CI`` environment
variable set they fail instead (the test extra installs keras and jax).
"""

import subprocess
import sys

import numpy as np
import pytest

from augkit import ImageDataGenerator, img_to_array, load_img
from augkit.datasets import faces_dir
from augkit.keras_adapter import as_keras_dataset
from helpers import require


@pytest.fixture(scope="module")
def keras():
    return require("keras", "the Keras tests need keras with the jax backend",
                   on_ci_hint="CI must run the Keras tests: install the test extra")


def tiny_data(n=8, size=6, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, size, size, 1)).astype(np.float32)
    y = (np.arange(n) % 2).astype(np.float32)
    return x, y


def tiny_model(keras, shape, seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape), keras.layers.Flatten(),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy", metrics=["accuracy"])
    return model


# Keras's Variable.__array__ lacks NumPy 2's ``copy`` keyword, so ``Variable.numpy()`` and
# ``model.get_weights()`` raise a DeprecationWarning (an error here); reading ``.value`` (a JAX
# array) avoids it without filtering anything.

def steps_taken(model):
    return int(model.optimizer.iterations.value)


def weights_of(model):
    return [np.asarray(variable.value) for variable in model.weights]


def test_augkit_does_not_import_keras():
    code = "import sys, augkit, augkit.keras_adapter; print('keras' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_rejects_what_is_not_an_iterator():
    with pytest.raises(TypeError, match="list has no __getitem__|list has no on_epoch_end"):
        as_keras_dataset([1, 2, 3])


def test_without_keras_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "keras", None)  # makes ``import keras`` raise ImportError
    it = ImageDataGenerator().flow(np.zeros((2, 4, 4, 1)), batch_size=1)
    with pytest.raises(ImportError, match="pip install keras jax.*KERAS_BACKEND=jax"):
        as_keras_dataset(it)


def test_docstring_example(keras):
    it = ImageDataGenerator(rotation_range=10).flow(np.zeros((5, 8, 8, 1)), np.arange(5), batch_size=2)
    dataset = as_keras_dataset(it)
    assert (len(dataset), dataset[2][0].shape) == (3, (1, 8, 8, 1))


def test_is_a_pydataset_delegating_to_the_iterator(keras):
    x, y = tiny_data(n=10)
    it = ImageDataGenerator(rotation_range=30).flow(x, y, batch_size=4, seed=3)
    dataset = as_keras_dataset(it)
    assert isinstance(dataset, keras.utils.PyDataset)
    assert dataset.iterator is it
    assert len(dataset) == len(it) == 3 and dataset.num_batches == 3
    twin = ImageDataGenerator(rotation_range=30).flow(x, y, batch_size=4, seed=3)
    for i in (0, 2):
        (got_x, got_y), (want_x, want_y) = dataset[i], twin[i]
        np.testing.assert_array_equal(got_x, want_x)
        np.testing.assert_array_equal(got_y, want_y)
    dataset.on_epoch_end()
    assert it.epoch == 1
    assert type(as_keras_dataset(twin)) is type(dataset)  # the class is made once


def test_fit_two_steps_changes_the_weights(keras):
    x, y = tiny_data(n=8)
    it = ImageDataGenerator(rotation_range=20, horizontal_flip=True).flow(x, y, batch_size=4, seed=0)
    model = tiny_model(keras, x.shape[1:])
    before = weights_of(model)
    history = model.fit(as_keras_dataset(it), epochs=1, verbose=0)
    assert steps_taken(model) == 2  # len(it) = ceil(8 / 4) steps
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.allclose(b, a) for b, a in zip(before, weights_of(model)))


def test_every_epoch_is_a_new_augkit_epoch(keras):
    x, y = tiny_data(n=8)
    it = ImageDataGenerator(rotation_range=20).flow(x, y, batch_size=4, seed=0)
    model = tiny_model(keras, x.shape[1:])
    served = []
    record = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: served.append(it.epoch))
    model.fit(as_keras_dataset(it), epochs=3, verbose=0, callbacks=[record])
    assert len(set(served)) == 3 and served == sorted(served)


def test_validation_data_and_evaluate(keras):
    x, y = tiny_data(n=8)
    train = ImageDataGenerator(rotation_range=20).flow(x, y, batch_size=4, seed=0)
    plain = ImageDataGenerator().flow(x, y, batch_size=3, shuffle=False)
    model = tiny_model(keras, x.shape[1:])
    history = model.fit(as_keras_dataset(train), epochs=2, verbose=0,
                        validation_data=as_keras_dataset(plain))
    assert len(history.history["val_accuracy"]) == 2
    loss, accuracy = model.evaluate(as_keras_dataset(plain), verbose=0)
    want_loss, want_accuracy = model.evaluate(x, y, batch_size=8, verbose=0)
    assert loss == pytest.approx(want_loss, rel=1e-5)
    assert accuracy == pytest.approx(want_accuracy)


def test_more_steps_than_batches_runs_out_of_data(keras):
    x, y = tiny_data(n=8)
    it = ImageDataGenerator().flow(x, y, batch_size=4, seed=0)
    model = tiny_model(keras, x.shape[1:])
    with pytest.warns(UserWarning, match="ran out of data"):
        model.fit(as_keras_dataset(it), steps_per_epoch=len(it) + 1, epochs=1, verbose=0)
    assert steps_taken(model) == len(it)


def test_predict_with_shuffle_false_follows_filenames(keras):
    folder = faces_dir() / "validation"
    gen = ImageDataGenerator(rescale=1 / 255)
    kwargs = dict(target_size=(25, 25), color_mode="grayscale", class_mode="binary", batch_size=16)
    it = gen.flow_from_directory(folder, shuffle=False, **kwargs)
    keras.utils.set_random_seed(0)
    mean_brightness = keras.Sequential([keras.Input((25, 25, 1)), keras.layers.GlobalAveragePooling2D()])
    predicted = mean_brightness.predict(as_keras_dataset(it), verbose=0)[:, 0]
    expected = np.array([img_to_array(load_img(folder / name, color_mode="grayscale")).mean() / 255
                         for name in it.filenames])
    assert predicted.shape == (it.n,) and it.n % 16 != 0  # the last batch is a short one
    np.testing.assert_allclose(predicted, expected, rtol=1e-5)
    shuffled = gen.flow_from_directory(folder, shuffle=True, seed=0, **kwargs)
    order = mean_brightness.predict(as_keras_dataset(shuffled), verbose=0)[:, 0]
    assert not np.allclose(order, expected, rtol=1e-5)  # shuffled rows no longer match filenames


def test_predict_without_labels(keras):
    x, _ = tiny_data(n=5)
    it = ImageDataGenerator().flow(x, batch_size=2, shuffle=False)
    model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.GlobalAveragePooling2D()])
    np.testing.assert_allclose(model.predict(as_keras_dataset(it), verbose=0)[:, 0],
                               x.mean(axis=(1, 2, 3)), rtol=1e-5)


def test_keras_worker_threads(keras):
    # With workers > 1 Keras prefetches across epoch ends (see the docstring), so only the
    # number of steps and a sensible loss are checked, not equality with workers=1.
    x, y = tiny_data(n=12)
    it = ImageDataGenerator(rotation_range=20).flow(x, y, batch_size=4, seed=0)
    model = tiny_model(keras, x.shape[1:])
    history = model.fit(as_keras_dataset(it, workers=2), epochs=2, verbose=0)
    assert steps_taken(model) == 2 * len(it)
    assert np.all(np.isfinite(history.history["loss"]))


def test_predict_with_two_inputs_and_no_labels(keras):
    x, _ = tiny_data(n=5)
    extra = np.arange(5, dtype=np.float32)[:, None]
    it = ImageDataGenerator().flow((x, extra), batch_size=2, shuffle=False)
    images = keras.Input(x.shape[1:])
    number = keras.Input((1,))
    mean = keras.layers.GlobalAveragePooling2D()(images)
    model = keras.Model([images, number], keras.layers.Add()([mean, number]))
    np.testing.assert_allclose(model.predict(as_keras_dataset(it), verbose=0)[:, 0],
                               x.mean(axis=(1, 2, 3)) + extra[:, 0], rtol=1e-5)
