"""Histograms of sampled parameters against what the documentation promises.

:func:`plot_parameter_distribution` samples one parameter many times from a
generator and draws its histogram, with the documented range (from
:meth:`augkit.params.ParamRanges.documented_range`) and the unit of the
parameter spec table. Re-exported by :mod:`augkit.plotting`.
"""

import matplotlib.pyplot as plt
import numpy as np

from augkit.limits import check_count
from augkit.params import ARGUMENT_OF, parameter_name
from augkit.spec import AUGMENTATIONS, units_of

__all__ = ["MAX_HISTOGRAM_SAMPLES", "plot_parameter_distribution"]

_UNITS = units_of(AUGMENTATIONS)  # {parameter: unit}, from the parameter spec table
#: The most samples :func:`plot_parameter_distribution` draws.
MAX_HISTOGRAM_SAMPLES = 10**6


def _sampled_values(generator, name, image_shape, n, seed):
    n = check_count(n, "n", MAX_HISTOGRAM_SAMPLES, "a histogram needs far fewer; 10**6 take seconds to sample")
    params = generator.sample_params(tuple(image_shape)[:2], n, seed)
    values = [getattr(p, name) for p in params]
    if name in ("channel_shift_intensity", "brightness") and values[0] is None:
        return np.zeros(0)
    return np.asarray(values, dtype=float)


def plot_parameter_distribution(generator, parameter, n=2000, *, seed=0, image_shape=(256, 256), ax=None):
    """Histogram of a parameter's sampled values, with the documented range shaded.

    This is how a notebook shows "the documentation says" next to "the code
    does": the shaded band is the generator's
    :meth:`~augkit.params.ParamRanges.documented_range`, the bars are what
    ``generator`` actually samples. Flips are shown as the fraction of
    samples flipped, against the documented 1/2.

    Parameters
    ----------
    generator : ImageDataGenerator
    parameter : str
        A key of the transform dict (``theta``, ...) or the argument it
        comes from (``rotation_range``, ...; ``zoom_range`` means ``zx``).
    n : int
        Number of samples.
    seed : int, keyword-only
    image_shape : tuple
        ``(rows, cols, ...)`` of the images the shifts are scaled by.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from augkit import ImageDataGenerator
    >>> fig = plot_parameter_distribution(ImageDataGenerator(rotation_range=30), "rotation_range", n=500)
    >>> fig.axes[0].get_xlabel()
    'theta (degrees)'
    """
    name = parameter_name(parameter)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    else:
        fig = ax.figure
    values = _sampled_values(generator, name, image_shape, n, seed)
    if name in ("flip_horizontal", "flip_vertical"):
        _draw_flip_bars(ax, values, getattr(generator.ranges, ARGUMENT_OF[name]))
    else:
        _draw_histogram(ax, generator, name, values, image_shape)
    ax.set_title(f"{name} ({ARGUMENT_OF[name]}), {len(values)} samples, {_convention_label(generator)}",
                 fontsize=9)
    return fig


def _convention_label(generator):
    return generator.convention.label


def _draw_flip_bars(ax, values, enabled):
    fraction = float(values.mean()) if len(values) else 0.0
    ax.bar(["not flipped", "flipped"], [1 - fraction, fraction], color="tab:blue")
    expected = 0.5 if enabled else 0.0
    ax.axhline(expected, color="tab:red", linestyle="--", label=f"documented: {expected:g} flipped")
    ax.set_ylim(0, 1)
    ax.set_ylabel("fraction of samples")
    ax.legend(loc="upper right", fontsize=8)


def _draw_histogram(ax, generator, name, values, image_shape):
    documented = generator.ranges.documented_range(name, image_shape)
    if len(values) == 0:
        ax.text(0.5, 0.5, f"{ARGUMENT_OF[name]} is off: nothing sampled", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_yticks([])
        return
    distinct, counts = np.unique(values, return_counts=True)
    if len(distinct) <= 30 < len(values):  # a few discrete values: one bar each
        gap = np.diff(distinct).min() if len(distinct) > 1 else 1.0
        ax.bar(distinct, counts, width=0.6 * gap, color="tab:blue", label="sampled by the code")
    else:
        ax.hist(values, bins=40, color="tab:blue", label="sampled by the code")
    if documented is not None:
        low, high = documented
        pad = 0.02 * (high - low) if high > low else 0.5
        ax.axvspan(low, high, color="tab:green", alpha=0.15, zorder=0,
                   label=f"documented range [{low:.4g}, {high:.4g}]")
        ax.axvline(low, color="tab:green")
        ax.axvline(high, color="tab:green")
        ax.set_xlim(min(low, values.min()) - pad, max(high, values.max()) + pad)
    ax.set_xlabel(f"{name} ({_UNITS[name]})")
    ax.set_ylabel("count")
    ax.legend(loc="upper right", fontsize=8)
