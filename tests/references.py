"""The reference implementations that parity tests compare augkit with.

A reference that cannot be imported skips its tests with the reason, except on
CI (the ``CI`` environment variable is set), where it is a failure: CI
installs both references and must really compare (see ``helpers.require``).
"""

from helpers import require

FLAVOURS = ("keras_preprocessing", "tf_keras")


def reference_generator(flavour):
    """Keras's ``ImageDataGenerator`` class for ``flavour`` (a ``compat`` value)."""
    module = ("keras_preprocessing.image" if flavour == "keras_preprocessing"
              else "keras.src.legacy.preprocessing.image")
    return require(module, f"reference {flavour} cannot be imported").ImageDataGenerator
