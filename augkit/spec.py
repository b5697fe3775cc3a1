"""The parameter spec table: every augmentation described once, as data.

Each :class:`Augmentation` is one ``ImageDataGenerator`` argument and the
parameters it samples (its :class:`Key` entries, such as ``theta``), with all
the rest of augkit needs to know about it:

* how the argument is validated (``validate``) and shown on the facade;
* the uniform *slots* it draws in the default mode and how it turns them
  into values (``draw``); how Keras draws it (``draw_legacy``);
* each parameter's neutral value, unit, axis, printed form, documented range;
* its intensity kernel, if any (geometric parameters go into the matrix);
* its widget control (:class:`ControlSpec`) and command-line option
  (:class:`CliOption`).

:data:`AUGMENTATIONS` lists them in Keras's order (the order of the keys of
``get_random_transform``'s dict), the order of the legacy draws: a new entry
goes **last** (and draws nothing while it is off). The default mode's draws
are keyed by :attr:`Augmentation.stream_key` (``zlib.crc32`` of the argument
name), so adding, removing or moving an entry never changes another's
(:func:`augkit.params.keyed_uniforms`). Everything else derives its lists
from this table: an augmentation is one entry here plus its kernel.
"""

import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from augkit.spec_ui import CliOption, ControlSpec  # re-exported: the entries' presentation
from augkit.validators import (
    LARGEST_RANGE,
    brightness_range,
    flag,
    non_negative,
    shift_range,
    zoom_range,
)

__all__ = ["AUGMENTATIONS", "Augmentation", "CliOption", "ControlSpec", "Key", "LARGEST_RANGE"]


@dataclass(frozen=True)
class Key:
    """One sampled parameter: a field of ``TransformParams`` and a key of Keras's dict.

    ``kind`` is ``"float"``, ``"optional"`` (a float, or None when off) or ``"bool"``; ``unit`` labels
    plots, ``header`` the column of ``augkit params``; ``text(params)`` is its part of ``str(params)``
    (None when neutral); ``documented(value, rows_cols)`` the ``(low, high)`` the documentation promises
    for the argument's validated ``value`` (None when off); ``nonzero`` the reason 0 is refused, if it is.
    """

    name: str
    kind: str
    neutral: object
    unit: str
    text: Callable
    documented: Callable = lambda value, rows_cols: None
    axis: str = ""
    nonzero: str = ""
    header: str = ""


@dataclass(frozen=True)
class Augmentation:
    """One ``ImageDataGenerator`` argument and the parameters it samples.

    Attributes
    ----------
    argument : str
        Keras's argument name (and the ``ParamRanges`` field).
    keys : tuple of Key
        The parameters it produces, in Keras's dict order.
    default : object
        Keras's default value of the argument.
    validate : callable
        ``validate(value, argument)`` returns the checked, canonical value or raises TypeError/ValueError naming it.
    slots : tuple of str
        Names of the uniforms in [0, 1) it takes in the default mode, from its own stream (:attr:`stream_key`).
    draw : callable
        ``draw(value, uniforms, rows_cols)``: one value per key from its slots.
    draw_legacy : callable
        ``draw_legacy(value, state, rows_cols)``: one value per key, drawn from
        a ``RandomState`` exactly as Keras draws it.
    control : ControlSpec
    option : CliOption
    kernel : callable or None
        ``kernel(image, value, convention)`` for an intensity parameter applied
        after the warp (when its value is not None); None for geometry.
    public : callable
        The facade's attribute from the validated value (``zoom_range`` is a list).
    is_on : callable
        Whether the validated value changes anything (``repr`` shows only those).
    value_range : bool
        Whether ``kernel`` takes the augmenter's ``value_range=`` keyword (the
        colour and tone kernels of :mod:`augkit.spec_colour`).
    in_compat : bool
        False: the compat modes refuse the argument by name when it is on
        (Keras has no such argument, and their draws stay Keras's).
    draws_columns : callable
        ``draws_columns(value)``: whether ``draw`` also takes a batch's
        columns for this (validated, on) value: each uniform a 1-D array
        over the samples, each value returned an array of them (or one
        value for all), equal element by element to row-by-row draws (numpy's
        float64 arithmetic is Python's). :func:`augkit.params.sample_from_uniforms`
        then draws a batch in one call instead of one per sample.
    """

    argument: str
    keys: tuple
    default: object
    validate: Callable
    slots: tuple
    draw: Callable
    draw_legacy: Callable
    control: ControlSpec
    option: CliOption
    kernel: Callable = None
    public: Callable = lambda value: value
    is_on: Callable = lambda value: value not in (0, None, False)
    value_range: bool = False
    in_compat: bool = True
    draws_columns: Callable = lambda value: False

    @property
    def stream_key(self):
        """``zlib.crc32`` of :attr:`argument`: what keys this entry's default-mode draws (never its position).

        >>> AUGMENTATIONS[0].argument, AUGMENTATIONS[0].stream_key
        ('rotation_range', 812806899)
        """
        return zlib.crc32(self.argument.encode("ascii"))


# Uniforms to values (the default mode) and Keras's own draws (the compat modes)


def _uniform(low, high, u):
    return low + (high - low) * u


def _always(value):
    return True


def _symmetric(value, uniforms, rows_cols):
    return (_uniform(-value, value, uniforms[0]),)


def _symmetric_or_none(value, uniforms, rows_cols):
    return (_uniform(-value, value, uniforms[0]) if value else None,)


def _legacy_symmetric(value, state, rows_cols):
    return (float(state.uniform(-value, value)) if value else 0.0,)


def _legacy_symmetric_or_none(value, state, rows_cols):
    return (float(state.uniform(-value, value)) if value != 0 else None,)


def _shift_draw(axis):
    """The default-mode draw of a shift along ``axis`` (0 rows, 1 cols): value and sign slots."""
    def draw(spec, uniforms, rows_cols):
        if not spec:
            return (0.0,)
        u_value, u_sign = uniforms
        if isinstance(spec, float):
            shift, largest = spec * (2.0 * u_value - 1.0), spec
        else:
            values = range(spec) if isinstance(spec, int) else spec
            shift = float(values[min(int(u_value * len(values)), len(values) - 1)])
            shift, largest = (-shift if u_sign < 0.5 else shift), (spec if isinstance(spec, int) else max(values))
        return (shift * rows_cols[axis] if largest < 1 else shift,)
    return draw


def _shift_draw_legacy(axis):
    """Keras's draw of a shift: ``choice`` then a sign, or ``uniform``."""
    def draw(spec, state, rows_cols):
        if not spec:
            return (0.0,)
        if isinstance(spec, float):
            shift = state.uniform(-spec, spec)
            largest = spec
        else:
            shift = state.choice(spec if isinstance(spec, int) else list(spec))
            shift *= state.choice([-1, 1])
            largest = spec if isinstance(spec, int) else max(spec)
        return (float(shift * rows_cols[axis] if largest < 1 else shift),)
    return draw


def _documented_shift(axis):
    """The documented ``(low, high)`` shift in pixels along ``axis`` (see ``ParamRanges``)."""
    def documented(spec, rows_cols):
        if not spec:
            return None
        size = rows_cols[axis]
        if isinstance(spec, float):
            scale = size if spec < 1 else 1
            return (-spec * scale, spec * scale)
        if isinstance(spec, int):  # range(spec): 0 to spec - 1 pixels, with a random sign
            return (-float(spec - 1), float(spec - 1))
        values = np.asarray(spec, dtype=float)
        if values.max() < 1:
            values = values * size
        values = np.unique(np.concatenate([-values, values]))
        return (float(values.min()), float(values.max()))
    return documented


def _zoom_off(zoom):
    return zoom[0] == 1 and zoom[1] == 1


def _zoom_draw(zoom, uniforms, rows_cols):
    if _zoom_off(zoom):
        return (1.0, 1.0)
    return (_uniform(zoom[0], zoom[1], uniforms[0]), _uniform(zoom[0], zoom[1], uniforms[1]))


def _zoom_draw_legacy(zoom, state, rows_cols):
    if _zoom_off(zoom):
        return (1.0, 1.0)
    zx, zy = state.uniform(zoom[0], zoom[1], 2)
    return (float(zx), float(zy))


def _flip_draw(on, uniforms, rows_cols):
    return (on and uniforms[0] < 0.5,)


def _flip_draw_legacy(on, state, rows_cols):
    return (bool(state.random() < 0.5 and on),)  # Keras draws even when the flip is off


def _pair_draw(pair, uniforms, rows_cols):
    return (_uniform(pair[0], pair[1], uniforms[0]) if pair is not None else None,)


def _pair_draw_legacy(pair, state, rows_cols):
    return (float(state.uniform(pair[0], pair[1])) if pair is not None else None,)


def _documented_symmetric(value, rows_cols):
    return (-value, value) if value else None


def _documented_zoom(zoom, rows_cols):
    return None if _zoom_off(zoom) else tuple(zoom)


def _documented_brightness(pair, rows_cols):
    return tuple(pair) if pair is not None else None


# Intensity kernels (imported when used: this table never touches pixels)


def _channel_shift(image, intensity, convention):
    from augkit import kernels

    return kernels.channel_shift(image, intensity)


def _brightness(image, factor, convention):
    from augkit import kernels

    return kernels.brightness(image, factor, convention)


def _shift(argument, key, axis, size_word, flag_metavar, help_text):
    """The entry of ``height_shift_range`` (axis 0) or ``width_shift_range`` (axis 1)."""
    return Augmentation(
        argument=argument, default=0.0, validate=shift_range, slots=(key, f"{key}_sign"),
        keys=(Key(key, "float", 0.0, f"pixels ({'rows' if axis == 0 else 'columns'})",
                  lambda p: f"{key}={getattr(p, key):+.1f}px" if getattr(p, key) else None,
                  _documented_shift(axis), axis="rows" if axis == 0 else "cols", header=f"{key} (px)"),),
        draw=_shift_draw(axis), draw_legacy=_shift_draw_legacy(axis),
        draws_columns=lambda spec: isinstance(spec, float),  # an int or list picks from values: row by row
        control=ControlSpec("float", 0.0, 0.2, 0, 0.5, 0.01,
                            unit=f"fraction of the {size_word}: shift uniform in [-f, f]"),
        option=CliOption("shift", help_text, metavar=flag_metavar))


def _flip(argument, key, shown, help_text):
    """The entry of ``horizontal_flip`` or ``vertical_flip``: one slot, flips with probability 1/2."""
    return Augmentation(
        argument=argument, default=False, validate=flag, slots=(key,),
        keys=(Key(key, "bool", False, "", lambda p: shown if getattr(p, key) else None, header=shown),),
        draw=_flip_draw, draw_legacy=_flip_draw_legacy, draws_columns=_always,
        control=ControlSpec("bool", False, True, unit=help_text), option=CliOption("flag", help_text))


_ZERO_ZOOM = "a zoom factor of 0 reads every output pixel from one point; use a non-zero factor (1 = no zoom)"

#: Every augmentation, in Keras's order (of legacy draws, dict keys and slot columns). New entries go last.
AUGMENTATIONS = (
    Augmentation(
        argument="rotation_range", default=0, slots=("theta",),
        validate=lambda value, name: non_negative(value, name, "degrees"),
        keys=(Key("theta", "float", 0.0, "degrees", lambda p: f"θ={p.theta:.1f}°" if p.theta else None,
                  _documented_symmetric, header="θ (deg)"),),
        draw=_symmetric, draw_legacy=_legacy_symmetric, draws_columns=_always,
        control=ControlSpec("float", 0, 30, 0, 180, 1, unit="degrees: angle uniform in [-r, r]"),
        option=CliOption("number", "degrees (0-360): angle uniform in [-DEG, DEG]", metavar="DEG",
                         low=0, high=360, unit="degrees")),
    _shift("height_shift_range", "tx", 0, "height", "H",
           "vertical shift: as --width-shift-range, in fractions of the height or pixels"),
    _shift("width_shift_range", "ty", 1, "width", "W",
           "horizontal shift: a float below 1 is a fraction of the width (uniform in [-W, W] times the "
           "width), a float of 1 or more is pixels; an int N (written without a point) draws whole pixels "
           "from range(N) with a random sign"),
    Augmentation(
        argument="shear_range", default=0.0, slots=("shear",),
        validate=lambda value, name: non_negative(value, name, "degrees"),
        keys=(Key("shear", "float", 0.0, "degrees", lambda p: f"shear={p.shear:.1f}°" if p.shear else None,
                  _documented_symmetric, header="shear (deg)"),),
        draw=_symmetric, draw_legacy=_legacy_symmetric, draws_columns=_always,
        control=ControlSpec("float", 0.0, 20, 0, 60, 1, unit="degrees: shear uniform in [-s, s]"),
        option=CliOption("number", "degrees (0-360): shear angle uniform in [-DEG, DEG]", metavar="DEG",
                         low=0, high=360, unit="degrees")),
    Augmentation(
        argument="zoom_range", default=0.0, validate=zoom_range, slots=("zx", "zy"),
        keys=(Key("zx", "float", 1.0, "factor",
                  lambda p: f"zx={p.zx:.2f}" if p.zx != 1 or p.zy != 1 else None, _documented_zoom,
                  axis="cols", nonzero=_ZERO_ZOOM, header="zx"),
              Key("zy", "float", 1.0, "factor", lambda p: f"zy={p.zy:.2f}" if p.zy != 1 else None,
                  _documented_zoom, axis="rows", nonzero=_ZERO_ZOOM, header="zy")),
        draw=_zoom_draw, draw_legacy=_zoom_draw_legacy, draws_columns=_always, public=list,
        is_on=lambda zoom: not _zoom_off(zoom),
        control=ControlSpec("float", 0.0, 0.3, 0, 0.9, 0.05,
                            unit="z: factors uniform in [1-z, 1+z]; >1 shows more, smaller"),
        option=CliOption("number", "zoom factor (unitless): one value Z gives factors uniform in [1-Z, 1+Z], "
                         "two values LOW HIGH are used as given; above 1 shows more of the scene (smaller)",
                         metavar="Z", low=0, high=100, unit="zoom factor", values="1-2", default=[0.0])),
    _flip("horizontal_flip", "flip_horizontal", "h-flip", "mirror left-right with probability 1/2"),
    _flip("vertical_flip", "flip_vertical", "v-flip", "mirror top-bottom with probability 1/2"),
    Augmentation(
        argument="channel_shift_range", default=0.0, slots=("channel_shift_intensity",),
        validate=lambda value, name: non_negative(value, name, "intensity units"),
        keys=(Key("channel_shift_intensity", "optional", None, "intensity units",
                  lambda p: None if p.channel_shift_intensity is None else f"shift={p.channel_shift_intensity:+.1f}",
                  _documented_symmetric, header="channel shift"),),
        draw=_symmetric_or_none, draw_legacy=_legacy_symmetric_or_none, draws_columns=_always,
        kernel=_channel_shift,
        control=ControlSpec("float", 0.0, 0.2, 0, 0.5, 0.01, relative=True,
                            unit="intensity units: offset uniform in [-r, r]"),
        option=CliOption("number", "intensity units of the image (0-255 for 8-bit files): one offset uniform "
                         "in [-R, R] added to every channel", metavar="R", low=0, high=1e6,
                         unit="intensity units")),
    Augmentation(
        argument="brightness_range", default=None, validate=brightness_range, slots=("brightness",),
        keys=(Key("brightness", "optional", None, "factor",
                  lambda p: None if p.brightness is None else f"brightness×{p.brightness:.2f}",
                  _documented_brightness, header="brightness"),),
        draw=_pair_draw, draw_legacy=_pair_draw_legacy, draws_columns=_always, kernel=_brightness,
        control=ControlSpec("range", None, (0.5, 1.5), 0, 2, 0.05,
                            unit="factor uniform in [low, high]; 1 = unchanged"),
        option=CliOption("number", "brightness factor (unitless) uniform in [LOW, HIGH]; 1 = unchanged",
                         metavar=("LOW", "HIGH"), low=0, high=100, unit="brightness factor", values=2,
                         default=None)),
)


# The entries beyond Keras's arguments come last: colour and tone (applied after brightness), then
# crops and erasing (applied after every intensity kernel), then the RandAugment policy (augkit.spec_policy,
# applied with the intensity kernels). These modules build on the classes above.
from augkit.spec_colour import COLOUR_AUGMENTATIONS  # noqa: E402
from augkit.spec_crop import CROP_AUGMENTATIONS  # noqa: E402
from augkit.spec_policy import POLICY_AUGMENTATIONS  # noqa: E402

AUGMENTATIONS = AUGMENTATIONS + COLOUR_AUGMENTATIONS + CROP_AUGMENTATIONS + POLICY_AUGMENTATIONS


def keys_of(table):
    """Every :class:`Key` of ``table``, in order."""
    return tuple(key for entry in table for key in entry.keys)


def slots_of(table):
    """Every slot name of ``table``, in order (one uniform each in the default mode)."""
    return tuple(slot for entry in table for slot in entry.slots)


def argument_of(table):
    """``{parameter: argument}`` for every key of ``table``."""
    return {key.name: entry.argument for entry in table for key in entry.keys}


def units_of(table):
    """``{parameter: unit}`` for every numeric key of ``table`` (plot axis labels)."""
    return {key.name: key.unit for key in keys_of(table) if key.kind != "bool"}
