"""The reference implementations that parity tests compare augkit with.

A reference that cannot be imported skips its tests with the reason, except on
CI (the ``CI`` environment variable is set), where it is a failure: CI
installs both references and must really compare.
"""

import os

import pytest

FLAVOURS = ("keras_preprocessing", "tf_keras")


def reference_generator(flavour):
    """Keras's ``ImageDataGenerator`` class for ``flavour`` (a ``compat`` value)."""
    try:
        if flavour == "keras_preprocessing":
            from keras_preprocessing.image import ImageDataGenerator
        else:
            from keras.src.legacy.preprocessing.image import ImageDataGenerator
    except ImportError as exc:  # pragma: no cover - depends on the environment
        reason = f"reference {flavour} cannot be imported: {exc}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return ImageDataGenerator
