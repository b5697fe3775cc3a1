"""Interactive explorers for Jupyter: controls wired to the generator and a live grid.

Wiring only. The logic is in :mod:`augkit.controls`, plain functions tested
without a browser and re-exported here: :data:`CONTROLS`,
:func:`controls_to_kwargs`, :func:`generator_code`, :func:`render_grid`
(``n`` samples with a keyword-only ``seed``, warped on a two-thread pool and
composed into a uint8 grid in numpy) and :func:`encode_image` (the JPEG bytes
of an ``ipywidgets.Image``).

The widgets (:func:`explore`, :func:`playground`) call those on every change.
A redraw takes well under 100 ms for a 3x3 grid of 256x256 samples because
nothing goes through matplotlib: pictures for the notebook text are made with
:mod:`augkit.plotting`.

The explorers work on a preview of the image, at most ``max_side`` pixels on
its longer side (256 by default), so shifts given in pixels refer to the
preview; the status line says its size.

Every control has a tooltip (:func:`control_tooltip`: unit, range, meaning,
Keras's default). ipywidgets 8 shows the ``tooltip`` of a dropdown or a
checkbox only when it has no ``description`` (a checkbox's title is then its
name), so those two get an empty description and a label of their own that
carries the tooltip too.

Displayed, a widget leaves in the saved notebook, next to the live view, a
small static JPEG of the grid it shows and a one-line ``text/plain`` of its
settings (:meth:`GridExplorer._repr_mimebundle_`): JupyterLab renders the
live widget for trusted outputs (its renderer has rank -10, images 90) and
the picture for untrusted ones (a notebook opened from disk, before it is
run), as do GitHub and nbviewer, which cannot run widgets.
"""

import base64
import html
import math
import numbers
import time

import ipywidgets
import numpy as np

from augkit.controls import (  # noqa: F401 - compose_grid is re-exported with the rest of the logic
    CONTROLS,
    NEUTRAL_RANGE,
    NONE_LABEL,
    SNAPSHOT_MAX_BYTES,
    compose_grid,
    control_tooltip,
    controls_to_kwargs,
    encode_image,
    generator_code,
    preview,
    render_grid,
    settings_text,
    snapshot_jpeg,
)
from augkit.generator import ImageDataGenerator
from augkit.limits import MAX_GRID_PICTURES, check_count, check_seed
from augkit.plotting import display_range
from augkit.spec import ControlSpec

__all__ = ["CONTROLS", "SNAPSHOT_MAX_BYTES", "ControlSpec", "GridExplorer", "compose_grid", "control_tooltip", "controls_to_kwargs",
           "encode_image", "explore", "generator_code", "playground", "preview", "render_grid", "settings_text",
           "snapshot_jpeg"]

_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_LABEL_WIDTH = "140px"


# The wiring


def _scale_of(image):
    low, high = display_range(image)
    return high - low


def _check_start(name, value, spec, factor):
    """Refuse a starting value the control cannot show (a slider would clamp it silently)."""
    if spec.kind == "float":
        low, high = spec.low * factor, spec.high * factor
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
            raise ValueError(f"{name}={value!r}: its slider takes one number from {low:g} to {high:g} "
                             f"({spec.unit}); for other values use ImageDataGenerator directly")
    elif spec.kind == "range":
        if value is not None and not (len(value) == 2 and spec.low <= min(value) <= max(value) <= spec.high):
            raise ValueError(f"{name}={value!r}: its slider takes a pair from {spec.low:g} to {spec.high:g}")
    elif spec.kind == "bool" and not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} must be True or False")
    elif spec.kind == "choice" and value not in spec.options:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(repr, spec.options))}")


def _make_control(name, value, scale):
    """The control of argument ``name``, starting at ``value``, with its tooltip."""
    spec = CONTROLS[name]
    factor = scale if spec.relative else 1.0
    _check_start(name, value, spec, factor)
    tooltip = control_tooltip(name, scale)
    common = dict(description=name, tooltip=tooltip, style={"description_width": _LABEL_WIDTH},
                  layout=ipywidgets.Layout(width="360px"), continuous_update=False)
    if spec.kind == "float":
        return ipywidgets.FloatSlider(value=value, min=spec.low * factor, max=spec.high * factor,
                                      step=spec.step * factor, readout_format=".3g", **common)
    if spec.kind == "range":  # whole steps (posterization_bits) give whole numbers
        slider = ipywidgets.IntRangeSlider if float(spec.step).is_integer() else ipywidgets.FloatRangeSlider
        return slider(value=spec.off if value is None else value, min=spec.low, max=spec.high, step=spec.step,
                      **common)
    # ipywidgets 8 puts a dropdown's or checkbox's tooltip on screen only without a description.
    common.update(description="", layout=ipywidgets.Layout(width="220px"))
    del common["continuous_update"], common["style"]
    if spec.kind == "bool":
        return ipywidgets.Checkbox(value=value, indent=False, **common)
    options = [(_option_label(o), NONE_LABEL if o is None else o) for o in spec.options]
    return ipywidgets.Dropdown(options=options, value=NONE_LABEL if value is None else value, **common)


def _row(name, control):
    """What is shown for ``control``: itself, or a label carrying its tooltip before it."""
    if control.description:
        return control
    label = ipywidgets.HTML(f'<div title="{html.escape(control.tooltip)}" style="text-align:right; '
                            f'padding-right:8px">{html.escape(name)}</div>',
                            layout=ipywidgets.Layout(width=_LABEL_WIDTH, min_width=_LABEL_WIDTH))
    return ipywidgets.HBox([label, control])


def _control_value(name, control):
    """The starting value ``control`` stands for (None for the dropdown's "None")."""
    if control.value == NONE_LABEL and None in CONTROLS[name].options:
        return None
    return control.value


def _option_label(option):
    if option is None:
        return "None (documented)"
    return str(option)


class GridExplorer(ipywidgets.VBox):
    """Controls, a live 3x3 grid of samples, a "new seed" button and the code.

    Made by :func:`explore` and :func:`playground`. Attributes for scripts
    and tests: ``controls`` (name to widget), ``rows`` (name to what is
    shown for it: the control, or a label and the control), ``image`` (the
    ``ipywidgets.Image``), ``code`` (the ``Textarea``), ``seed``,
    ``new_seed_button``, ``status``, ``samples`` (each cell's sampled
    parameters) and ``last_redraw_seconds`` (the last redraw, from the
    change to the PNG handed over; the parameter list is written after).

    The code box is written from the controls on every change, so it always
    agrees with them. A widget is one object wherever it is shown: a later
    cell that sets ``pg.controls[...]`` changes the widget displayed above
    it too (and its code box), no longer what an earlier cell printed. To
    drive a widget from code without touching the one on show, drive a
    :meth:`copy`.
    """

    def __init__(self, image, names, values, fixed=None, *, n=9, seed=0, ncols=None, max_side=256,
                 image_size=None):
        self.image_size = tuple(np.shape(image)[:2]) if image_size is None else tuple(image_size)
        self.source = preview(image, max_side)
        self.value_range = display_range(self.source)
        self.fixed = dict(fixed or {})
        ImageDataGenerator(**self.fixed)  # invalid fixed arguments fail here, at once
        n = check_count(n, "n", MAX_GRID_PICTURES, "pictures in one grid")
        if ncols is not None:
            ncols = check_count(ncols, "ncols", MAX_GRID_PICTURES, "columns of the grid")
        self.seed, self.n = check_seed(seed, legacy=False), n
        self.ncols = ncols if ncols is not None else max(1, math.ceil(math.sqrt(n)))
        self.last_redraw_seconds = None
        self._shown = None  # (grid, arguments) of the last grid drawn
        scale = _scale_of(self.source)
        self.controls = {name: _make_control(name, values[name], scale) for name in names}
        self.image = ipywidgets.Image(format="jpeg", layout=ipywidgets.Layout(max_width="100%"))
        self.code = ipywidgets.Textarea(layout=ipywidgets.Layout(width="360px"))
        self.code_style = ipywidgets.ToggleButtons(
            options=[("ImageDataGenerator", "augkit"), ("Keras 3 layers", "keras3")], value="augkit",
            tooltips=["the ImageDataGenerator(...) call (augkit or Keras's legacy class)",
                      "the closest keras.layers for the same settings (augkit.keras3.layers_code)"],
            style={"button_width": "170px"})
        self.code_style.observe(self._on_code_style, names="value")
        self.new_seed_button = ipywidgets.Button(description="new seed", icon="refresh",
                                                 tooltip="draw different samples with the same settings")
        self.status = ipywidgets.HTML()
        self.samples = ipywidgets.HTML()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.new_seed_button.on_click(self._on_new_seed)
        self.rows = {name: _row(name, control) for name, control in self.controls.items()}
        left = ipywidgets.VBox([*self.rows.values(), self.new_seed_button, self.code_style, self.code],
                               layout=ipywidgets.Layout(min_width="370px"))
        super().__init__([ipywidgets.HBox([left, ipywidgets.VBox([self.image, self.status, self.samples])])])
        self.redraw()

    def __repr__(self):
        # The text a saved notebook keeps where neither the widget nor its picture can be shown.
        if len(self.controls) > 1:
            what, settings = "playground", {}
        else:
            name, control = next(iter(self.controls.items()))
            what, settings = f"explorer of {name}", {name: _control_value(name, control)}
        kwargs = self._shown[1] if self._shown is not None else self.generator_kwargs()
        settings.update(kwargs)
        return (f"augkit {what}: {settings_text(settings)}; seed {self.seed} "
                f"(interactive in Jupyter; elsewhere a static picture of this grid)")

    def _repr_mimebundle_(self, **kwargs):
        """The live view, a small JPEG of the grid shown now and the settings as text.

        Jupyter keeps all three in the saved notebook: frontends that can run
        the widget show it, the others (GitHub, nbviewer, an untrusted
        notebook in JupyterLab) the picture.
        """
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        if self._shown is not None and _WIDGET_VIEW in bundle:
            bundle["image/jpeg"] = base64.b64encode(snapshot_jpeg(self._shown[0])).decode("ascii")
        return bundle

    def copy(self, **changes):
        """A new explorer with the same picture, controls, seed and settings, ``changes`` applied.

        Setting the copy's controls leaves this one (and its code box) as it
        is, so a lesson can drive a copy after this one was displayed.

        Parameters
        ----------
        **changes
            New starting values for some of the controls, e.g.
            ``pg.copy(zoom_range=0.5)``.

        Returns
        -------
        GridExplorer
        """
        unknown = [name for name in changes if name not in self.controls]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a control of this widget; its controls are "
                             f"{', '.join(self.controls)}")
        values = {name: _control_value(name, control) for name, control in self.controls.items()}
        values.update(changes)
        twin = GridExplorer(self.source, list(self.controls), values, self.fixed, n=self.n, seed=self.seed,
                            ncols=self.ncols, max_side=None, image_size=self.image_size)
        twin.code_style.value = self.code_style.value
        return twin

    def generator_kwargs(self):
        """The ``ImageDataGenerator`` arguments the controls describe."""
        values = dict(self.fixed)
        values.update({name: control.value for name, control in self.controls.items()})
        return controls_to_kwargs(values)

    def redraw(self):
        """Render the grid for the current values and hand the PNG to the frontend."""
        started = time.perf_counter()
        kwargs = self.generator_kwargs()
        self._write_code(kwargs)
        try:
            grid = render_grid(self.source, kwargs, self.n, self.ncols, seed=self.seed,
                               value_range=self.value_range)
        except (ValueError, TypeError) as err:  # e.g. a combination the generator rejects
            self.status.value = f"<span style='color:#b00'>cannot draw: {_escape(err)}</span>"
            return
        self.image.value = encode_image(grid)
        self._shown = (grid, kwargs)
        self.last_redraw_seconds = time.perf_counter() - started
        self.samples.value = _sample_list(self.source, kwargs, self.n, self.ncols, seed=self.seed)
        rows, cols = self.source.shape[:2]
        self.status.value = (f"seed {self.seed} · preview {rows}×{cols} px · "
                             f"redrawn in {1000 * self.last_redraw_seconds:.0f} ms")

    def keras3_code(self):
        """Runnable Keras 3 code building the closest ``keras.layers`` for the current settings.

        :func:`augkit.keras3.layers_code` for the generator the controls
        describe, with the size of the image given to the widget (not its
        preview) and the value range of its pixels. Settings without a layer
        are listed by :func:`augkit.keras3.migration_report`.
        """
        from augkit.keras3 import layers_code  # keras itself is imported only when the code runs

        generator = ImageDataGenerator(**self.generator_kwargs())
        return layers_code(generator, image_size=self.image_size, value_range=self.value_range)

    def _write_code(self, kwargs):
        if self.code_style.value == "keras3":
            try:
                self.code.value = self.keras3_code()
            except ValueError as err:
                self.code.value = f"# no Keras 3 code for these settings: {err}"
        else:
            self.code.value = "from augkit import ImageDataGenerator\n\ndatagen = " + generator_code(kwargs)
        self.code.rows = self.code.value.count("\n") + 2

    def _on_code_style(self, change):
        self._write_code(self.generator_kwargs())

    def _on_change(self, change):
        self.redraw()

    def _on_new_seed(self, button=None):
        self.seed += 1
        self.redraw()


def _sample_list(source, kwargs, n, ncols, *, seed):
    """The sampled parameters of each cell, as small HTML lines (row, column: parameters)."""
    params = ImageDataGenerator(**kwargs).sample_params(source.shape[:2], n, seed)
    lines = [f"({i // ncols + 1}, {i % ncols + 1}) {_escape(p)}" for i, p in enumerate(params)]
    return "<div style='font-size:11px; line-height:1.3; font-family:monospace'>" + "<br>".join(lines) + "</div>"


def _escape(err):
    return str(err).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _check_names(names):
    unknown = [name for name in names if name not in CONTROLS]
    if unknown:
        raise ValueError(f"{unknown[0]!r} has no control; use one of {', '.join(CONTROLS)}")


def explore(image, parameter, value=None, *, n=9, seed=0, max_side=256, **fixed):
    """One control for one ``ImageDataGenerator`` argument, and a grid of samples.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    parameter : str
        An argument name, e.g. ``"rotation_range"``, ``"fill_mode"``,
        ``"horizontal_flip"`` (see :data:`CONTROLS`).
    value : optional
        Where the control starts; by default a value that shows the effect
        (``CONTROLS[parameter].start``). It must suit the control: a float
        for sliders (``zoom_range=0.2``, not a pair), a pair for
        ``brightness_range``.
    n : int
        Number of samples (9 makes a 3x3 grid).
    seed : int
        Fixed, so only the control changes the picture; "new seed" adds 1.
    max_side : int
        The longer side of the preview the samples are made from.
    **fixed
        Other ``ImageDataGenerator`` arguments, held fixed (for instance
        ``explore(img, "fill_mode", rotation_range=40)``). The grid shows the
        random augmentation (what ``random_transform`` does); ``standardize``
        options such as ``rescale`` or ``preprocessing_function`` are kept in
        the generated code but not applied to the pictures.

    Returns
    -------
    GridExplorer
        Display it as the last line of a cell.
    """
    _check_names([parameter])
    if value is None:
        value = CONTROLS[parameter].start
        if CONTROLS[parameter].relative:
            value = value * _scale_of(preview(image, max_side))
    return GridExplorer(image, [parameter], {parameter: value}, fixed, n=n, seed=seed, max_side=max_side)


def playground(image, *, n=9, seed=0, max_side=256, **initial):
    """Controls for every geometric and intensity argument, the grid, and the code.

    The text area always holds the exact ``ImageDataGenerator(...)`` call for
    the current settings (only the arguments that differ from the defaults),
    ready to copy into a training script.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    n, seed, max_side
        As for :func:`explore`.
    **initial
        Starting values, e.g. ``playground(img, rotation_range=20)``.

    Returns
    -------
    GridExplorer
    """
    _check_names(initial)
    ImageDataGenerator(**initial)
    values = {name: spec.default for name, spec in CONTROLS.items()}
    values.update(initial)
    return GridExplorer(image, list(CONTROLS), values, n=n, seed=seed, max_side=max_side)
