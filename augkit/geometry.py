"""Affine matrices on ``(row, col)``, built from readable pieces.

Every function returns a 3x3 homogeneous **inverse map**: it takes a pixel
``(row, col)`` of the output to the point of the input it is read from, which
is what ``scipy.ndimage.affine_transform`` and :func:`augkit.kernels.warp`
expect. Rows grow downwards, columns to the right; angles are in degrees,
distances in pixels, and every argument that has two axes takes them in the
order ``(rows, cols)``.

Because the matrices are inverse maps, a factor or a shift acts on where the
output *reads*: ``translation(2, 0)`` reads two rows further down, so the
picture moves *up*; ``scale(2, 2)`` reads twice as much of the input, so the
picture shrinks.

The pieces compose by matrix product (:func:`compose`, or ``@``), and
:func:`affine` builds the whole geometric part of an augmentation from them:
rotation, translation, shear and scale about a centre. Nothing here knows
Keras's names or its coordinates; :mod:`augkit.conventions` says how each
Keras behaviour maps onto these builders.

Examples
--------
A quarter turn about the centre of a 3x3 image: the output's top-left pixel
reads the input's top-right one, as ``np.rot90`` does.

>>> m = about((1, 1), rotation(90))
>>> (m @ [0, 0, 1]).round(6) + 0.0
array([0., 2., 1.])
"""

import math

import numpy as np


# Flat indices of P M P in M, shaped 3x3 (P exchanges the first two coordinates).
_SWAPPED = np.array([[4, 3, 5], [1, 0, 2], [7, 6, 8]])


def _matrix(row_row, row_col, row_offset, col_row, col_col, col_offset):
    """The 3x3 matrix whose first two rows are given (a flat array is half the cost of nested lists)."""
    return np.array((row_row, row_col, row_offset, col_row, col_col, col_offset, 0.0, 0.0, 1.0),
                    dtype=np.float64).reshape(3, 3)


def rotation(deg):
    """Turn the picture by ``deg`` degrees counter-clockwise on screen, about pixel (0, 0).

    Parameters
    ----------
    deg : float
        Angle in degrees; negative turns clockwise.

    Returns
    -------
    ndarray of shape (3, 3)
        ``[[cos, sin, 0], [-sin, cos, 0], [0, 0, 1]]``: the output pixel
        ``(row, col)`` reads the input at ``(cos*row + sin*col, -sin*row + cos*col)``.

    Examples
    --------
    >>> rotation(90).round(6) + 0.0
    array([[ 0.,  1.,  0.],
           [-1.,  0.,  0.],
           [ 0.,  0.,  1.]])
    >>> np.allclose(rotation(30) @ rotation(60), rotation(90))
    True
    """
    radians = math.radians(deg)
    cos, sin = math.cos(radians), math.sin(radians)
    return _matrix(cos, sin, 0.0, -sin, cos, 0.0)


def translation(rows, cols):
    """Read the input ``rows`` rows lower and ``cols`` columns further right.

    The picture therefore moves *up* by ``rows`` and *left* by ``cols``
    pixels (negative values move it down and right).

    Parameters
    ----------
    rows, cols : float
        Distances in pixels, fractions allowed.

    Returns
    -------
    ndarray of shape (3, 3)

    Examples
    --------
    >>> translation(2, -1)
    array([[ 1.,  0.,  2.],
           [ 0.,  1., -1.],
           [ 0.,  0.,  1.]])
    >>> translation(2, -1) @ [0, 0, 1]   # output pixel (0, 0) reads input (2, -1)
    array([ 2., -1.,  1.])
    """
    return _matrix(1.0, 0.0, rows, 0.0, 1.0, cols)


def shear(deg):
    """Slant the picture by ``deg`` degrees: rows stay horizontal, columns lean.

    The output's column direction ``(1, 0)`` reads the input along the unit
    vector ``(cos, -sin)``: turned by ``deg`` from the vertical, with its
    length kept, while the row direction ``(0, 1)`` is read unchanged.

    Parameters
    ----------
    deg : float
        Shear angle in degrees.

    Returns
    -------
    ndarray of shape (3, 3)
        ``[[cos, 0, 0], [-sin, 1, 0], [0, 0, 1]]``.

    Examples
    --------
    >>> shear(30).round(3)
    array([[ 0.866,  0.   ,  0.   ],
           [-0.5  ,  1.   ,  0.   ],
           [ 0.   ,  0.   ,  1.   ]])
    >>> np.array_equal(shear(0), np.eye(3))
    True
    """
    radians = math.radians(deg)
    return _matrix(math.cos(radians), 0.0, 0.0, -math.sin(radians), 1.0, 0.0)


def scale(rows, cols):
    """Read ``rows`` times as many input rows and ``cols`` times as many columns.

    A factor above 1 reads a *larger* part of the input into the same output,
    so the picture gets smaller; below 1 it is enlarged.

    Parameters
    ----------
    rows, cols : float
        Factors along each axis (1 leaves that axis unchanged).

    Returns
    -------
    ndarray of shape (3, 3)

    Examples
    --------
    >>> scale(2, 0.5)
    array([[2. , 0. , 0. ],
           [0. , 0.5, 0. ],
           [0. , 0. , 1. ]])
    """
    return _matrix(rows, 0.0, 0.0, 0.0, cols, 0.0)


def compose(*matrices):
    """The product of ``matrices``, left to right (``compose(a, b) == a @ b``).

    As inverse maps, the *rightmost* matrix acts first on an output pixel.

    Parameters
    ----------
    *matrices : ndarray of shape (3, 3)
        At least one.

    Returns
    -------
    ndarray of shape (3, 3)

    Examples
    --------
    >>> compose(translation(1, 0), scale(2, 2), translation(0, 3))
    array([[2., 0., 1.],
           [0., 2., 6.],
           [0., 0., 1.]])
    """
    product = matrices[0]
    for matrix in matrices[1:]:
        product = product.dot(matrix)  # the method: a third of the cost of ``@`` on 3x3 arrays
    return product


def about(centre, matrix):
    """``matrix`` acting about the point ``centre`` instead of about pixel (0, 0).

    ``translation(*centre) @ matrix @ translation(*-centre)``: the centre
    stays where it is.

    Parameters
    ----------
    centre : (float, float)
        ``(row, col)`` of the fixed point; the middle of an image of
        ``(rows, cols)`` pixels is ``((rows - 1) / 2, (cols - 1) / 2)``.
    matrix : ndarray of shape (3, 3)

    Returns
    -------
    ndarray of shape (3, 3)

    Examples
    --------
    >>> m = about((1, 2), scale(3, 3))
    >>> m @ [1, 2, 1]   # the centre reads itself
    array([1., 2., 1.])
    >>> m
    array([[ 3.,  0., -2.],
           [ 0.,  3., -4.],
           [ 0.,  0.,  1.]])
    >>> np.allclose(m, compose(translation(1, 2), scale(3, 3), translation(-1, -2)))
    True
    """
    # compose(translation(*centre), matrix, translation(*-centre)) written out: the linear
    # part L is kept and the offset t becomes centre + t - L @ centre (a third of the cost).
    (row_row, row_col, row_offset), (col_row, col_col, col_offset), _ = np.asarray(matrix).tolist()
    centre_row, centre_col = centre
    return _matrix(row_row, row_col, row_offset + centre_row - (row_row * centre_row + row_col * centre_col),
                   col_row, col_col, col_offset + centre_col - (col_row * centre_row + col_col * centre_col))


def flip(shape, *, vertical=False, horizontal=False):
    """Mirror an image of ``shape``: upside down (``vertical``) and/or left-right (``horizontal``).

    Composed on the right of another inverse map (``m @ flip(...)``), it
    mirrors the result of ``m``: the same as flipping after warping.

    Parameters
    ----------
    shape : (int, int)
        ``(rows, cols)`` of the image: the mirror axis is its middle.
    vertical, horizontal : bool

    Returns
    -------
    ndarray of shape (3, 3)

    Examples
    --------
    >>> flip((3, 5), horizontal=True)
    array([[ 1.,  0.,  0.],
           [ 0., -1.,  4.],
           [ 0.,  0.,  1.]])
    >>> flip((3, 5), vertical=True, horizontal=True) @ [0, 0, 1]   # the top-left pixel reads the bottom-right
    array([2., 4., 1.])
    """
    rows, cols = shape
    row_scale, row_offset = (-1.0, rows - 1.0) if vertical else (1.0, 0.0)
    col_scale, col_offset = (-1.0, cols - 1.0) if horizontal else (1.0, 0.0)
    return _matrix(row_scale, 0.0, row_offset, 0.0, col_scale, col_offset)


def swap_axes(matrix):
    """The same map written in ``(col, row)`` instead of ``(row, col)`` (``P M P``).

    Swapping twice gives ``matrix`` back. scikit-image's ``warp`` wants the
    ``(col, row)`` form; a matrix built on a transposed image needs it too.

    Parameters
    ----------
    matrix : ndarray of shape (3, 3)

    Returns
    -------
    ndarray of shape (3, 3)
        A new array.

    Examples
    --------
    >>> swap_axes(translation(2, -1))
    array([[ 1.,  0., -1.],
           [ 0.,  1.,  2.],
           [ 0.,  0.,  1.]])
    >>> np.array_equal(swap_axes(rotation(30)), rotation(-30))
    True
    """
    return np.asarray(matrix).take(_SWAPPED)  # one gather: a seventh of indexing rows, then columns


def affine(centre=(0.0, 0.0), *, rotation_deg=0.0, translation_px=(0.0, 0.0), shear_deg=0.0,
           scale_factors=(1.0, 1.0)):
    """Rotation, translation, shear and scale about ``centre``, as one inverse map.

    ``about(centre, rotation @ translation @ shear @ scale)``: an output
    pixel, seen from ``centre``, is first scaled, then sheared, shifted and
    turned to find where it reads the input. Warping once through this
    product interpolates once; four warps in a row would blur four times.

    Parameters
    ----------
    centre : (float, float)
        ``(row, col)`` point that rotation, shear and scale keep fixed.
    rotation_deg : float
        Counter-clockwise turn in degrees (:func:`rotation`).
    translation_px : (float, float)
        ``(rows, cols)`` read further down and right (:func:`translation`).
    shear_deg : float
        Shear angle in degrees (:func:`shear`).
    scale_factors : (float, float)
        ``(rows, cols)`` factors; above 1 the picture shrinks (:func:`scale`).

    Returns
    -------
    ndarray of shape (3, 3)

    Examples
    --------
    A quarter turn about the middle of a 3x3 image is ``np.rot90``; read by
    hand, pixel by pixel:

    >>> image = np.arange(9).reshape(3, 3)
    >>> m = affine((1, 1), rotation_deg=90)
    >>> rows, cols = np.indices(image.shape)
    >>> read = m @ np.stack([rows.ravel(), cols.ravel(), np.ones(9)])
    >>> turned = image[tuple(np.rint(read[:2]).astype(int))].reshape(3, 3)
    >>> np.array_equal(turned, np.rot90(image))
    True
    >>> affine((1, 1), translation_px=(1, 0), scale_factors=(2, 2))
    array([[ 2.,  0.,  0.],
           [ 0.,  2., -1.],
           [ 0.,  0.,  1.]])
    """
    return about(centre, compose(rotation(rotation_deg), translation(*translation_px), shear(shear_deg),
                                 scale(*scale_factors)))


def affine_stack(centre, rotation_deg, translation_px, shear_deg, scale_factors):
    """:func:`affine` for ``n`` samples in one pass: an ``(n, 3, 3)`` stack.

    Each matrix equals ``affine(centre, ...)`` of its sample bit for bit: the
    angles go through the same ``math`` functions, the four pieces are
    multiplied in the same order by the same matrix product (``matmul`` of a
    stack calls BLAS once per matrix, as ``dot`` does), and the centre is
    applied by the same float operations. A batch of 32 costs about as much
    as three calls of :func:`affine`.

    Parameters
    ----------
    centre : (float, float)
        ``(row, col)``, shared by the samples.
    rotation_deg, shear_deg : sequence of n floats
    translation_px, scale_factors : (sequence of n floats, sequence of n floats)
        ``(rows, cols)``, one value per sample on each axis.

    Returns
    -------
    ndarray of shape (n, 3, 3)

    Examples
    --------
    >>> stack = affine_stack((1.5, 2.5), [90.0, 0.0], ([1.0, 0.0], [0.0, 2.0]), [0.0, 10.0], ([1.0, 2.0], [1.0, 1.0]))
    >>> all(np.array_equal(stack[i], affine((1.5, 2.5), rotation_deg=r, translation_px=t, shear_deg=s,
    ...                                     scale_factors=z))
    ...     for i, (r, t, s, z) in enumerate([(90.0, (1.0, 0.0), 0.0, (1.0, 1.0)), (0.0, (0.0, 2.0), 10.0, (2.0, 1.0))]))
    True
    """
    rotation_rad = [math.radians(deg) for deg in rotation_deg]
    shear_rad = [math.radians(deg) for deg in shear_deg]
    n = len(rotation_rad)
    pieces = np.zeros((4, n, 3, 3))
    pieces[..., 2, 2] = 1.0
    turn, shift, slant, zoom = pieces
    turn[:, 0, 0] = turn[:, 1, 1] = [math.cos(angle) for angle in rotation_rad]
    turn[:, 0, 1] = sines = [math.sin(angle) for angle in rotation_rad]
    turn[:, 1, 0] = np.negative(sines)
    shift[:, 0, 0] = shift[:, 1, 1] = 1.0
    shift[:, 0, 2], shift[:, 1, 2] = translation_px
    slant[:, 0, 0] = [math.cos(angle) for angle in shear_rad]
    slant[:, 1, 0] = np.negative([math.sin(angle) for angle in shear_rad])
    slant[:, 1, 1] = 1.0
    zoom[:, 0, 0], zoom[:, 1, 1] = scale_factors
    product = np.matmul(np.matmul(np.matmul(turn, shift), slant), zoom)
    return _about_stack(centre, product)


def _about_stack(centre, product):
    """:func:`about` of each matrix of ``product`` (the same float operations, in the same order)."""
    centre_row, centre_col = centre
    out = np.zeros_like(product)
    out[:, :2, :2] = product[:, :2, :2]
    out[:, 2, 2] = 1.0
    for axis in (0, 1):
        linear_row, linear_col, offset = product[:, axis, 0], product[:, axis, 1], product[:, axis, 2]
        out[:, axis, 2] = (offset + (centre_row, centre_col)[axis]) - (linear_row * centre_row
                                                                       + linear_col * centre_col)
    return out


def swap_axes_stack(stack):
    """:func:`swap_axes` of each matrix of an ``(n, 3, 3)`` stack.

    Examples
    --------
    >>> swap_axes_stack(np.stack([translation(2, -1), scale(3, 1)]))[:, :2].tolist()
    [[[1.0, 0.0, -1.0], [0.0, 1.0, 2.0]], [[1.0, 0.0, 0.0], [0.0, 3.0, 0.0]]]
    """
    stack = np.asarray(stack)
    return stack.reshape(-1, 9)[:, _SWAPPED.ravel()].reshape(stack.shape)


__all__ = ["about", "affine", "affine_stack", "compose", "flip", "rotation", "scale", "shear", "swap_axes",
           "swap_axes_stack", "translation"]
