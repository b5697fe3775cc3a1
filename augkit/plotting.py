"""Pictures of augmentation: matplotlib grids and diagrams.

Every function takes ``ax=None`` or ``fig=None`` (a new figure is made when
None), returns the :class:`matplotlib.figure.Figure` and never calls
``plt.show()``. Parameters are decided elsewhere: a generator samples them
(:meth:`augkit.ImageDataGenerator.sample_params`) or the caller passes them;
the documented ranges come from :meth:`augkit.params.ParamRanges.documented_range`.

Images are ``(rows, cols)`` or ``(rows, cols, channels)`` arrays of any
numeric dtype. They are displayed on a fixed scale, never stretched per
image: 0-1 for floats in [0, 1], 0-255 for data in [0, 255], otherwise the
data's own min and max (see :func:`display_range`). Augmented samples are
shown on the scale of the original, so brightness changes stay visible.

Sampling functions take the number of samples ``n`` (positional or by
keyword) and ``seed`` by keyword only, as everywhere in augkit
(``sample_params(img_shape, n, seed)``, :func:`augkit.widgets.render_grid`,
:func:`augkit.params.sample`): ``show_augmented(image, gen, 9, seed=0)``.

Examples
--------
>>> import numpy as np
>>> from augkit import ImageDataGenerator
>>> image = np.zeros((24, 32, 3), dtype=np.uint8)
>>> fig = show_augmented(image, ImageDataGenerator(rotation_range=30), n=4, seed=0)
>>> len(fig.axes)
4
"""

from augkit.conventions import CONVENTIONS
from augkit.distribution_plots import _UNITS, MAX_HISTOGRAM_SAMPLES, plot_parameter_distribution  # noqa: F401
from augkit.figures import (  # noqa: F401 - the shared helpers, importable from here as before
    apply_transform,
    as_image,
    display_range,
    imshow,
    new_figure,
    show_grid,
    to_display,
)
from augkit.generator import ImageDataGenerator
from augkit.limits import MAX_GRID_PICTURES, check_count
from augkit.params import TransformParams
from augkit.warp_plots import show_warp_grid

__all__ = [
    "apply_transform", "compare_conventions", "display_range", "plot_parameter_distribution",
    "show_augmented", "show_before_after", "show_grid", "show_warp_grid", "to_display",
]


def show_augmented(image, generator, n=9, *, seed=0, ncols=None, titles=True, fig=None):
    """``n`` augmented samples of one image, each titled with its parameters.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    generator : ImageDataGenerator
    n : int
        Number of samples.
    seed : int, keyword-only
        The same seed gives the same samples (see
        :meth:`augkit.ImageDataGenerator.sample_params`).
    ncols : int, optional
    titles : bool
        Title each sample with its sampled parameters, e.g.
        ``"θ=-12.3°, zx=1.08, zy=0.95"``.
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    n = check_count(n, "n", MAX_GRID_PICTURES, "pictures in one grid")
    source = as_image(image)
    params = generator.sample_params(source.shape[:2], n, seed)
    samples = [apply_transform(generator, source, p) for p in params]
    return show_grid(samples, [str(p) for p in params] if titles else None, ncols,
                     value_range=display_range(source), fig=fig, suptitle=repr(generator))


def show_before_after(image, transform_parameters, generator=None, *, fig=None):
    """The image and the image transformed by given parameters, side by side.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    transform_parameters : dict or TransformParams
        Keras's keys (``theta``, ``tx``, ...); missing keys are neutral.
    generator : ImageDataGenerator, optional
        Supplies ``fill_mode``, ``cval``, interpolation and convention; a
        default one when None.
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = show_before_after(np.zeros((8, 12, 3)), {"theta": 90})
    >>> fig.axes[1].get_title()
    'after: θ=90.0°'
    """
    params = TransformParams.of(transform_parameters)
    generator = ImageDataGenerator() if generator is None else generator
    source = as_image(image)
    after = apply_transform(generator, source, params)
    return show_grid([source, after], ["before", f"after: {params}"], ncols=2,
                     value_range=display_range(source), fig=fig)

# Conventions side by side


def compare_conventions(image, *, seed=0, params=None, fig=None, **generator_kwargs):
    """One transform under the three conventions, side by side.

    The parameters are sampled once (by the default generator with ``seed``,
    or given as ``params``) and applied under ``compat=None``,
    ``"keras_preprocessing"`` and ``"tf_keras"``, so every difference in the
    pictures comes from the convention alone: the centre of rotation, the
    sign of the angle, the axis ``width_shift_range`` moves, brightness. Use
    a non-square image: the tf_keras centre and shift bugs only show there.
    A red cross marks the true centre of the image.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    seed : int, keyword-only
    params : dict or TransformParams, optional
        Use these parameters instead of sampling.
    fig : matplotlib.figure.Figure, optional
    **generator_kwargs
        ``ImageDataGenerator`` arguments (``rotation_range=30``, ...).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = compare_conventions(np.zeros((30, 45, 3)), params={"theta": 20})
    >>> [ax.get_title() for ax in fig.axes][1:]
    ['compat=None (documented)', "compat='keras_preprocessing'", "compat='tf_keras'"]
    """
    if "compat" in generator_kwargs:
        raise TypeError("compare_conventions shows every compat mode; do not pass compat=")
    source = as_image(image)
    generators = {compat: ImageDataGenerator(**generator_kwargs, compat=compat) for compat in CONVENTIONS}
    if params is None:
        params = generators[None].sample_params(source.shape[:2], 1, seed)[0]
    params = TransformParams.of(params)
    pictures = [source] + [gen.apply_transform(source, params) for gen in generators.values()]
    titles = ["original"] + [convention.label for convention in CONVENTIONS.values()]
    fig = show_grid(pictures, titles, ncols=4, value_range=display_range(source), fig=fig,
                    suptitle=f"the same parameters: {params}")
    rows, cols = source.shape[:2]
    for ax in fig.axes:
        ax.plot([(cols - 1) / 2], [(rows - 1) / 2], "+", color="red", markersize=10, markeredgewidth=2)
    return fig
