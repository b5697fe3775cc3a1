"""How a spec-table entry is shown: its widget control and its command-line option.

:class:`ControlSpec` and :class:`CliOption` are fields of every
:class:`augkit.spec.Augmentation` (and re-exported there): the widgets
(:mod:`augkit.controls`) and ``python -m augkit`` build their controls and
options from them, so an entry added to the table is shown with no edit
there.
"""

from dataclasses import dataclass

__all__ = ["CliOption", "ControlSpec"]


@dataclass(frozen=True)
class ControlSpec:
    """How one ``ImageDataGenerator`` argument is shown as a widget control.

    Attributes
    ----------
    kind : {"float", "bool", "choice", "range"}
        Slider, checkbox, dropdown or two-handled slider.
    default : object
        Keras's default for the argument (a control at this value is left out
        of the generated code).
    start : object
        The value :func:`augkit.widgets.explore` starts from, so the first
        grid shows something.
    low, high, step : float
        Slider bounds. When ``relative`` the bounds are fractions of the
        image's value range (0-1 or 0-255).
    options : tuple
        Dropdown choices.
    unit : str
        Shown next to the control and in the tooltip.
    relative : bool
    off : pair
        A range control's position for "argument not given": the pair that
        changes nothing (``(1, 1)`` for a factor, ``(0, 0)`` for a blur's
        sigma or a noise's std, ``(8, 8)`` bits). A range slider starts
        there when the argument is None, and is exported as no argument
        there, so its label, its picture and its code agree; every other
        pair (``(1, 1)`` of a sigma included) is exported as it is.
    """

    kind: str
    default: object
    start: object
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    options: tuple = ()
    unit: str = ""
    relative: bool = False
    off: tuple = (1.0, 1.0)


@dataclass(frozen=True)
class CliOption:
    """How one argument is an option of ``python -m augkit`` (``--rotation-range``).

    ``kind`` is ``"number"`` (a float from ``low`` to ``high``, ``unit`` named
    in errors), ``"shift"`` (Keras's int-or-float shift) or ``"flag"``
    (``store_true``). ``values`` is 1, 2, or ``"1-2"`` (one value or a pair,
    given to the generator as a number or a pair).
    """

    kind: str
    help: str
    metavar: object = None
    low: float = 0.0
    high: float = 0.0
    unit: str = ""
    values: object = 1
    default: object = 0.0
