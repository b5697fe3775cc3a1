"""The warp diagram: where a transform moves a regular grid drawn over an image.

:func:`show_warp_grid` draws the image with a grid of lines, and the
transformed image with the same lines carried along by the transform's
matrix, so the motion of every part of the picture can be read off.
Re-exported by :mod:`augkit.plotting`.
"""

import numpy as np

from augkit.figures import apply_transform, as_image, display_range, generator_shape, show_grid
from augkit.generator import ImageDataGenerator
from augkit.params import TransformParams

__all__ = ["show_warp_grid"]


def _forward(matrix, points):
    """Map ``(row, col)`` points of the input to where they land in the output."""
    homogeneous = np.column_stack([points, np.ones(len(points))])
    return (np.linalg.inv(matrix) @ homogeneous.T).T[:, :2]


def _grid_lines(rows, cols, spacing):
    """Regularly spaced horizontal and vertical lines over the image, as point arrays."""
    lines = []
    for r in np.arange(0, rows, spacing):
        lines.append(("h", np.column_stack([np.full(50, r), np.linspace(0, cols - 1, 50)])))
    for c in np.arange(0, cols, spacing):
        lines.append(("v", np.column_stack([np.linspace(0, rows - 1, 50), np.full(50, c)])))
    return lines


def _draw_lines(ax, lines, rows, cols):
    colours = {"h": "tab:orange", "v": "tab:cyan"}
    for kind, points in lines:
        ax.plot(points[:, 1], points[:, 0], color=colours[kind], linewidth=1)
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)


def show_warp_grid(image, transform_parameters, generator=None, *, spacing=None, fig=None):
    """How a regular coordinate grid moves under a transform.

    Left: the input with a regular grid (orange rows, cyan columns) and its
    centre. Right: the output with the same lines carried along by the
    transform, and the input's border (dashed), so you see what moved where
    and where ``fill_mode`` had to invent pixels.

    Parameters
    ----------
    image : array_like, shape (rows, cols[, channels])
    transform_parameters : dict or TransformParams
    generator : ImageDataGenerator, optional
        Supplies fill mode and convention (the centre and axes differ between
        conventions); a default one when None.
    spacing : float, optional
        Grid spacing in pixels; about an eighth of the smaller side by default.
    fig : matplotlib.figure.Figure, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = show_warp_grid(np.zeros((40, 60, 3)), TransformParams(theta=30))
    >>> [ax.get_title() for ax in fig.axes]
    ['input, regular grid', 'output: θ=30.0°']
    """
    params = TransformParams.of(transform_parameters)
    generator = ImageDataGenerator() if generator is None else generator
    source = as_image(image)
    rows, cols = source.shape[:2]
    spacing = max(2.0, min(rows, cols) / 8) if spacing is None else float(spacing)
    fig = show_grid([source, apply_transform(generator, source, params)],
                    ["input, regular grid", f"output: {params}"], ncols=2,
                    value_range=display_range(source), fig=fig)
    before, after = fig.axes
    lines = _grid_lines(rows, cols, spacing)
    _draw_lines(before, lines, rows, cols)
    centre = np.array([[(rows - 1) / 2, (cols - 1) / 2]])
    before.plot(centre[:, 1], centre[:, 0], "+", color="red", markersize=12, markeredgewidth=2)
    matrix = generator.transform_matrix(params, generator_shape(generator, source.shape))
    _draw_lines(after, [(kind, _forward(matrix, points)) for kind, points in lines], rows, cols)
    border = np.array([[0, 0], [0, cols - 1], [rows - 1, cols - 1], [rows - 1, 0], [0, 0]], dtype=float)
    moved = _forward(matrix, border)
    after.plot(moved[:, 1], moved[:, 0], "--", color="white", linewidth=1.5)
    moved_centre = _forward(matrix, centre)
    after.plot(moved_centre[:, 1], moved_centre[:, 0], "+", color="red", markersize=12, markeredgewidth=2)
    return fig
