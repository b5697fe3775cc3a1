"""``ImageDataGenerator``'s options as attributes that can be assigned, and their checks.

Each check returns the validated value or raises TypeError for a wrong
type and ValueError for a wrong value, naming the argument, the value and
what is accepted. The facade runs them when it is constructed and when one
of its attributes is assigned afterwards (``gen.fill_mode = "reflect"``,
``gen.rotation_range = 10``, ``gen.dtype = "float64"``, ``gen.backend = "opencv"``):
:class:`OptionAttributes` holds those attributes, which live in the
generator's :class:`~augkit.pipeline.Augmenter` and
:class:`~augkit.normalization.Normalizer`, so an assignment reaches them.
The backend and dtype checks are :mod:`augkit.backends`'s: on a generator
with ``dtype="uint8"`` an assignment that needs float pixels (``rescale``,
``brightness_range``, ...) is refused by name, as the constructor refuses it.
"""

import dataclasses
import numbers

import numpy as np

from augkit import backends, kernels
from augkit.colour import check_value_range
from augkit.normalization_checks import check_option
from augkit.params import ParamRanges
from augkit.pipeline import Augmenter
from augkit.spec import AUGMENTATIONS

__all__ = ["DATA_FORMATS", "OptionAttributes", "check_choice", "check_cval", "check_data_format",
           "check_fill_mode", "check_in_convention", "check_order", "check_validation_split", "check_value_range"]

DATA_FORMATS = ("channels_last", "channels_first")


def check_choice(value, name, accepted):
    """``value`` if it is one of the strings ``accepted``."""
    if not isinstance(value, str):
        raise TypeError(f"{name}={value!r} must be a str, one of {', '.join(map(repr, accepted))}")
    if value not in accepted:
        raise ValueError(f"{name}={value!r} is not supported; use one of {', '.join(map(repr, accepted))}")
    return value


def check_fill_mode(fill_mode):
    """``fill_mode``: one of :data:`augkit.kernels.FILL_MODES`."""
    return check_choice(fill_mode, "fill_mode", kernels.FILL_MODES)


def check_data_format(data_format):
    """``data_format``: ``"channels_last"`` or ``"channels_first"``."""
    return check_choice(data_format, "data_format", DATA_FORMATS)


def check_order(order):
    """``interpolation_order``: an int from 0 to 5."""
    if isinstance(order, bool) or not isinstance(order, numbers.Integral):
        raise TypeError(f"interpolation_order={order!r} must be an int from 0 (nearest neighbour) to 5; "
                        "1 is bilinear")
    if not 0 <= order <= 5:
        raise ValueError(f"interpolation_order={order!r} is not supported; use an int from 0 "
                         "(nearest neighbour) to 5; 1 is bilinear")
    return int(order)


def check_cval(cval):
    """``cval`` as a finite float."""
    if isinstance(cval, bool) or not isinstance(cval, numbers.Real):
        raise TypeError(f"cval={cval!r} must be a finite number (the fill value for fill_mode='constant')")
    if not np.isfinite(cval):
        raise ValueError(f"cval={cval!r} must be a finite number (the fill value for fill_mode='constant')")
    return float(cval)


def check_validation_split(split):
    """``validation_split`` as a float in ``[0, 1)``."""
    if isinstance(split, bool) or not isinstance(split, numbers.Real):
        raise TypeError(f"validation_split={split!r} must be a number in [0, 1)")
    if not 0 <= split < 1:
        raise ValueError(f"validation_split={split!r} must be a number in [0, 1)")
    return float(split)


def check_in_convention(ranges, convention):
    """Refuse, by name, an entry beyond Keras's arguments that is on in ``ranges`` under a Keras convention.

    Keras's ``ImageDataGenerator`` has no such argument (``contrast_range``,
    ...: ``Augmentation.in_compat`` is False), and the compat modes draw
    exactly Keras's numbers.
    """
    if not convention.argument:  # the default convention takes every entry
        return
    for entry in AUGMENTATIONS:
        if not entry.in_compat and entry.is_on(getattr(ranges, entry.argument)):
            raise ValueError(f"{entry.argument} is not an argument of Keras's ImageDataGenerator: "
                             f"{convention.argument} draws only Keras's own parameters, as Keras does; "
                             f"use compat=None for {entry.argument}")


def forward_to_normalizer(name):
    """A property reading and writing the normalizer's ``name``, checked as the constructor checks it.

    As in the constructor, a uint8 generator first refuses float-only steps;
    a refused value changes nothing.
    """
    def assign(self, value):
        self._refuse_float_steps(options={name: value})
        setattr(self.normalizer, name, check_option(name, value))

    return property(lambda self: getattr(self.normalizer, name), assign)


def _forward_to_augmenter(name, check):
    def assign(self, value):
        value = check(value)
        if name == "cval":
            self._refuse_float_steps(cval=value)
        setattr(self.augmenter, name, value)

    return property(lambda self: getattr(self.augmenter, name), assign,
                    doc=f"``{name}``, held by :attr:`augmenter` (assigning it here checks it and changes "
                        "what the augmenter does, for iterators made before too).")


class OptionAttributes:
    """The assignable options of :class:`~augkit.generator.ImageDataGenerator`.

    The generator sets ``augmenter`` and ``normalizer`` when it is
    constructed; these properties read and write its options there (the
    generator's own ``compat`` renews them with :meth:`_renew`).
    """

    # Every option can be assigned after construction, as Keras users do
    # (``gen.rotation_range = 10``): it is checked as the constructor checks
    # it and reaches the augmenter (and the normalizer). Ranges and warp
    # options change the augmenter in place, so iterators made before use
    # them from their next batch, as Keras's iterators (which call the
    # generator for every sample) do. dtype, data_format and compat give the
    # generator a new augmenter and normalizer (fitted statistics kept):
    # iterators made before keep the layout, dtype and random stream they
    # were made with, as Keras's keep their dtype and data_format.

    @property
    def ranges(self):
        """The validated random ranges (:class:`~augkit.params.ParamRanges`), held by :attr:`augmenter`."""
        return self.augmenter.ranges

    @ranges.setter
    def ranges(self, ranges):
        if not isinstance(ranges, ParamRanges):
            raise TypeError(f"ranges must be a ParamRanges; got {type(ranges).__name__}")
        self._refuse_float_steps(ranges=ranges)  # an intensity entry turned on, with dtype="uint8"
        check_in_convention(ranges, self.augmenter.convention)
        self.augmenter.ranges = ranges

    # Keras's attribute names of the random ranges (rotation_range, ...) are
    # properties of the validated ranges, one per entry of the spec table:
    # see _range_property below the class.

    @property
    def dtype(self):
        """The dtype of the images the generator returns: a float type, or uint8 with OpenCV (assignable)."""
        return self.augmenter.dtype

    @dtype.setter
    def dtype(self, dtype):
        dtype = backends.check_dtype(dtype, self.backend)
        if dtype == np.uint8:
            backends.check_uint8_options({name: getattr(self, name) for name in backends.FLOAT_ONLY_OPTIONS},
                                         self.ranges, self.cval)
        self._renew(dtype=dtype)

    @property
    def backend(self):
        """``"skimage"`` or ``"opencv"``: which library warps (:mod:`augkit.backends`; assignable).

        It lives in the augmenter: assigning it changes the warp of iterators
        made before too. ``compat`` modes refuse ``"opencv"``, and a uint8
        generator refuses ``"skimage"``.
        """
        return self.augmenter.backend

    @backend.setter
    def backend(self, backend):
        backend = backends.check_backend(backend, self.convention)
        backends.check_dtype(self.dtype, backend)  # a uint8 generator keeps backend="opencv"
        self.augmenter.backend = backend

    def _refuse_float_steps(self, *, options=(), ranges=None, cval=None):
        """With ``dtype="uint8"``, refuse these new values if they need float pixels (before any is set)."""
        if self.dtype == np.uint8:
            backends.check_uint8_options(options, ranges, cval)

    @property
    def data_format(self):
        """``"channels_last"`` or ``"channels_first"``: the images' layout (assignable)."""
        return self.augmenter.data_format

    @data_format.setter
    def data_format(self, data_format):
        self._renew(data_format=check_data_format(data_format))

    @property
    def channel_axis(self):
        """Keras's axis of the channels in a batch (3 or 1), from ``data_format``."""
        return 3 if self.data_format == "channels_last" else 1

    @property
    def row_axis(self):
        return 1 if self.data_format == "channels_last" else 2

    @property
    def col_axis(self):
        return 2 if self.data_format == "channels_last" else 3

    def _renew(self, *, convention=None, dtype=None, data_format=None, keras_statistics=None):
        """A new augmenter and normalizer with these options changed (the rest, and fitted statistics, kept)."""
        old = self.augmenter
        if convention is not None:  # compat="tf_keras" on an OpenCV generator: refused, nothing changed
            backends.check_backend(old.backend, convention)
        check_in_convention(old.ranges, convention or old.convention)
        self.augmenter = Augmenter(old.ranges, convention or old.convention,
                                   interpolation_order=old.interpolation_order, fill_mode=old.fill_mode,
                                   cval=old.cval, dtype=old.dtype if dtype is None else dtype,
                                   data_format=data_format or old.data_format, backend=old.backend,
                                   value_range=old.value_range)
        self.normalizer = self.normalizer.renewed(dtype=dtype, data_format=data_format,
                                                  keras_statistics=keras_statistics)

    # The warp options live in the Augmenter (augkit.pipeline); Keras's names
    # on the facade read and write them there.
    fill_mode = _forward_to_augmenter("fill_mode", check_fill_mode)
    cval = _forward_to_augmenter("cval", check_cval)
    interpolation_order = _forward_to_augmenter("interpolation_order", check_order)
    value_range = _forward_to_augmenter("value_range", check_value_range)  # of the colour and tone entries


def _range_property(entry):
    def assign(self, value):  # validated by ParamRanges, as in the constructor
        self.ranges = dataclasses.replace(self.ranges, **{entry.argument: value})

    return property(lambda self: entry.public(getattr(self.ranges, entry.argument)), assign,
                    doc=f"``{entry.argument}`` as validated; assigning it checks it and changes the augmenter's "
                        "ranges.")


for _entry in AUGMENTATIONS:
    setattr(OptionAttributes, _entry.argument, _range_property(_entry))
del _entry
