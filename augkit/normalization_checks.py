"""The checks and messages of :class:`~augkit.normalization.Normalizer`'s options, and its pickling guard.

Each check returns the validated value or raises TypeError for a wrong
type and ValueError for a wrong value, naming the option, the value and
what is accepted. The messages are Keras's warnings, word for word.
"""

import math
import numbers
import pickle
import warnings

import numpy as np

from augkit.conventions import get_convention

__all__ = ["FLAGS", "KERAS_FLAVOURS", "OPTION_CHECKS", "PicklingGuard", "check_flag", "check_option",
           "check_preprocessing_function", "check_rescale", "check_zca_epsilon", "keras_overrides", "not_fit_message",
           "override_message", "statistics_convention", "statistics_flavour", "unwrap"]


KERAS_FLAVOURS = ("keras_preprocessing", "tf_keras")


def statistics_flavour(keras_statistics):
    """Normalise ``keras_statistics`` to ``False`` or a name in :data:`KERAS_FLAVOURS`."""
    if keras_statistics is None or keras_statistics is False:
        return False
    if keras_statistics is True:
        return KERAS_FLAVOURS[0]
    if isinstance(keras_statistics, str) and keras_statistics in KERAS_FLAVOURS:
        return keras_statistics
    raise ValueError("`keras_statistics` should be False, True, 'keras_preprocessing' "
                     f"or 'tf_keras'. Received: {keras_statistics!r}")


def statistics_convention(flavour):
    """The :class:`~augkit.conventions.Convention` whose ``statistics`` and ``zca`` facts apply."""
    return get_convention(flavour or None)


def not_fit_message(option):
    return (f"This ImageDataGenerator specifies `{option}`, but it hasn't been fit on "
            "any training data. Fit it first by calling `.fit(numpy_data)`.")


def override_message(option, overridden):
    return (f"This ImageDataGenerator specifies `{option}`, which overrides "
            f"setting of `{overridden}`.")


def check_flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_rescale(rescale):
    """None, or a finite real number (0 switches rescaling off, as in Keras)."""
    if rescale is None:
        return None
    if isinstance(rescale, bool) or not isinstance(rescale, numbers.Real):
        raise TypeError(f"rescale={rescale!r} must be None or a number (the factor every pixel is multiplied "
                        "by, e.g. 1/255; 0 or None switches it off)")
    if not math.isfinite(rescale):
        raise ValueError(f"rescale={rescale!r} must be a finite number such as 1/255 (0 or None switches it "
                         "off)")
    return rescale


def check_zca_epsilon(epsilon):
    if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real):
        raise TypeError(f"zca_epsilon={epsilon!r} must be a positive number such as 1e-6")
    if not (math.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"zca_epsilon={epsilon!r} must be a finite number > 0, such as 1e-6 (it is added "
                         "to the eigenvalues before 1/sqrt; with 0 directions without variance divide by 0)")
    return float(epsilon)


def check_preprocessing_function(function):
    """None, or a callable (Keras fails only when the first image reaches a non-callable)."""
    if function is not None and not callable(function):
        raise TypeError(f"preprocessing_function={function!r} must be None or a callable taking one image (rank 3) "
                        "and returning an image of the same shape")
    return function


#: The normalisation options that are True or False, in Keras's order.
FLAGS = ("featurewise_center", "samplewise_center", "featurewise_std_normalization", "samplewise_std_normalization",
         "zca_whitening")

#: ``{option: check(value)}`` for every option of the Normalizer that can be assigned on the facade.
OPTION_CHECKS = {
    **{name: (lambda value, name=name: check_flag(value, name)) for name in FLAGS},
    "zca_epsilon": check_zca_epsilon,
    "rescale": check_rescale,
    "preprocessing_function": check_preprocessing_function,
}


def check_option(name, value):
    """``value`` checked as the Normalizer's constructor checks option ``name`` (statistics pass unchecked)."""
    check = OPTION_CHECKS.get(name)
    return value if check is None else check(value)


class PicklingGuard:
    """Stands for ``preprocessing_function`` in a pickled Normalizer; says why pickling fails.

    Copies (``copy.copy``, ``copy.deepcopy``) keep the function itself, as Python
    copies functions.
    """

    def __init__(self, function):
        self.function = function

    def __reduce__(self):
        try:
            pickle.dumps(self.function)
        except Exception as error:
            name = getattr(self.function, "__qualname__", repr(self.function))
            raise pickle.PicklingError(
                f"this ImageDataGenerator cannot be pickled because its preprocessing_function {name} cannot "
                f"be pickled ({type(error).__name__}: {error}). Define the function with def at the top "
                "level of a module (a lambda or a function defined inside another cannot be pickled), or "
                "use threads rather than processes (workers=, Keras's use_multiprocessing=False)") from error
        return (unwrap, (self.function,))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def unwrap(function):
    return function


def keras_overrides(zca_whitening, featurewise_center, featurewise_std, samplewise_center, samplewise_std):
    """Keras's ``__init__`` logic on the options as given, with its warnings.

    Returns ``(featurewise_center, featurewise_std_normalization,
    samplewise_center, samplewise_std_normalization)``: ZCA turns on the
    featurewise centre and off the featurewise std; a std normalisation
    turns on its centre.
    """
    center, std = featurewise_center, featurewise_std
    if zca_whitening:
        if not featurewise_center:
            center = True
            warnings.warn(override_message("zca_whitening", "featurewise_center"), stacklevel=3)
        if featurewise_std:
            std = False
            warnings.warn(override_message("zca_whitening", "featurewise_std_normalization"), stacklevel=3)
    if featurewise_std and not featurewise_center:
        center = True
        warnings.warn(override_message("featurewise_std_normalization", "featurewise_center"), stacklevel=3)
    if samplewise_std and not samplewise_center:
        samplewise_center = True
        warnings.warn(override_message("samplewise_std_normalization", "samplewise_center"), stacklevel=3)
    return center, std, samplewise_center, samplewise_std
