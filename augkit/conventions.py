"""The facts in which augkit's three behaviours differ, kept as data.

Keras has shipped two incompatible ``ImageDataGenerator`` implementations with
the same arguments: **keras-preprocessing 1.1.2** (its last release), which
tf.keras / Keras 2.0-2.8 wrap, and the copy in **Keras >= 2.9 / Keras 3**: Keras
commit 373ad97c72 (2022-02-08, "Copy image utils from keras_preprocessing
directly into core keras") first released in Keras 2.9.0, kept by Keras 3 as
``keras.src.legacy.preprocessing.image``. ``compat="keras_preprocessing"`` is
the first, ``compat="tf_keras"`` the second. augkit reproduces both exactly
on request and, by default, does what the documentation says. Everything that differs between the three is one field of
a :class:`Convention`; the code that uses them (:mod:`augkit.kernels`,
:mod:`augkit.params`, :func:`transform_matrix` here) reads these fields
instead of branching on names.

How Keras builds its matrix: ``apply_affine_transform`` multiplies rotation,
shift ``[[1, 0, tx], [0, 1, ty]]``, shear and zoom ``diag(zx, zy)`` in a
coordinate system ``(a, b)``, moves the origin to a centre ``(o_a, o_b)`` and
hands the result to ``scipy.ndimage.affine_transform`` as the map from output
to input coordinates. The conventions differ in what ``a`` and ``b`` are.
Keras's own builders, in ``(a, b)``, are :func:`rotation_matrix`,
:func:`shift_matrix`, :func:`shear_matrix`, :func:`zoom_matrix` and
:func:`offset_centre`; :func:`transform_matrix` builds the same product from
:mod:`augkit.geometry`'s ``(row, col)`` builders.
"""

import operator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from augkit import geometry

Axis = Literal["rows", "cols"]


@dataclass(frozen=True)
class Convention:
    """One behaviour of ``ImageDataGenerator``, as a handful of facts.

    Attributes
    ----------
    name : str
        The value of ``compat=`` that selects it (``"default"`` for ``None``).
    first_axis : {"rows", "cols"}
        The image axis that Keras's first matrix coordinate ``a`` indexes.
        keras-preprocessing uses ``(rows, cols)``; Keras 3 swaps to
        ``(cols, rows)`` before calling scipy. This fixes the rotation sign:
        positive ``theta`` turns the picture clockwise on screen when ``a`` is
        rows, counter-clockwise when ``a`` is columns.
    tx_axis : {"rows", "cols"}
        The axis that ``tx`` moves. ``tx`` is always drawn from
        ``height_shift_range`` and scaled by the number of rows; Keras 3 moves
        columns with it (the swapped-shift bug).
    centre_offset : float
        The centre of rotation, shear and zoom is ``size / 2 + centre_offset``
        on each axis: ``-0.5`` is the true centre ``(size - 1) / 2``;
        keras-preprocessing uses ``+0.5``.
    centre_sizes_swapped : bool
        Keras 3 computes the centre from ``(height, width)`` but applies it to
        ``(cols, rows)``, so on a non-square image it turns about a point off
        the centre.
    brightness : {"clip_to_range", "pil_rescaled", "pil_unscaled"}
        ``"clip_to_range"``: ``x * b`` clipped to the data's value range.
        ``"pil_rescaled"`` (keras-preprocessing): every image is min-max
        rescaled to 0-255 and quantised to uint8 by PIL, so brightness also
        stretches contrast. ``"pil_unscaled"`` (Keras 3, ``scale=False``):
        quantised to uint8 without rescaling, so [0, 1] floats turn black.
    resampler : {"skimage", "scipy"}
        ``"skimage"``: one ``skimage.transform.warp`` for all channels, with
        a truly periodic ``fill_mode="wrap"``. ``"scipy"``: Keras's own
        ``scipy.ndimage.affine_transform``, channel by channel, for exact
        pixels: its ``"wrap"`` is scipy's legacy mode (which repeats the edge
        pixel at the seam), its ``"constant"`` and spline orders are scipy's,
        and float32 bilinear results agree to the last bits (skimage's differ
        by about 4e-6 of the value range).
    random_stream : {"generator", "legacy"}
        ``"generator"``: a ``numpy.random.Generator``, one uniform per
        parameter slot, so enabling one option never changes another's draw.
        ``"legacy"``: a ``RandomState`` drawn in Keras's own order, so that
        ``seed=`` reproduces Keras's samples.
    statistics : {"augkit", "keras"}
        How ``standardize`` and ``fit`` compute statistics. ``"augkit"``:
        samplewise statistics per image (also for a batch), featurewise
        statistics in float64 fitted on what ``standardize`` feeds to the
        featurewise step. ``"keras"``: Keras's operations in the generator's
        dtype, over whatever array is given (see :mod:`augkit.normalization`).
    zca : {"low_rank", "covariance_svd", "data_svd"}
        How the ZCA whitening is fitted: augkit's thin SVD of the data
        (never the d x d matrix); keras-preprocessing 1.1.2's covariance SVD
        scaled by ``1/sqrt(lambda + eps)`` (float32); Keras 3's data SVD scaled
        by ``sqrt(n)/(s + eps)`` (a float64 matrix).
    decode : {"batch", "keras"}
        How the file iterators decode files: ``"batch"`` is augkit's rule
        (``load_img``'s, plus Pillow's reduced-size JPEG decode when a file is
        at least twice the target size); ``"keras"`` follows Keras's
        ``load_img`` step by step (see :mod:`augkit.decode`).
    label : str
        How pictures and tables name it (``compat=None (documented)``).
    argument : str
        How ``repr`` writes it as an ``ImageDataGenerator`` argument ("" for the default).
    """

    name: str
    first_axis: Axis
    tx_axis: Axis
    centre_offset: float
    centre_sizes_swapped: bool
    brightness: Literal["clip_to_range", "pil_rescaled", "pil_unscaled"]
    resampler: Literal["skimage", "scipy"]
    random_stream: Literal["generator", "legacy"]
    statistics: Literal["augkit", "keras"]
    zca: Literal["low_rank", "covariance_svd", "data_svd"]
    decode: Literal["batch", "keras"]
    label: str
    argument: str


DOCUMENTED = Convention(
    name="default",
    first_axis="cols",
    tx_axis="rows",
    centre_offset=-0.5,
    centre_sizes_swapped=False,
    brightness="clip_to_range",
    resampler="skimage",
    random_stream="generator",
    statistics="augkit",
    zca="low_rank",
    decode="batch",
    label="compat=None (documented)",
    argument="",
)

KERAS_PREPROCESSING = Convention(
    name="keras_preprocessing",
    first_axis="rows",
    tx_axis="rows",
    centre_offset=0.5,
    centre_sizes_swapped=False,
    brightness="pil_rescaled",
    resampler="scipy",
    random_stream="legacy",
    statistics="keras",
    zca="covariance_svd",
    decode="keras",
    label="compat='keras_preprocessing'",
    argument="compat='keras_preprocessing'",
)

TF_KERAS = Convention(
    name="tf_keras",
    first_axis="cols",
    tx_axis="cols",
    centre_offset=-0.5,
    centre_sizes_swapped=True,
    brightness="pil_unscaled",
    resampler="scipy",
    random_stream="legacy",
    statistics="keras",
    zca="data_svd",
    decode="keras",
    label="compat='tf_keras'",
    argument="compat='tf_keras'",
)

CONVENTIONS = {
    None: DOCUMENTED,
    "keras_preprocessing": KERAS_PREPROCESSING,
    "tf_keras": TF_KERAS,
}


def get_convention(compat):
    """Return the :class:`Convention` for a ``compat=`` value.

    Raises
    ------
    ValueError
        If ``compat`` is not ``None``, ``"keras_preprocessing"`` or
        ``"tf_keras"``.
    """
    if isinstance(compat, Convention):
        return compat
    try:
        return CONVENTIONS[compat]
    except (KeyError, TypeError):
        raise ValueError(
            f"compat={compat!r} is not supported; use None (what the documentation "
            "says), 'keras_preprocessing' (keras-preprocessing 1.1.2, tf.keras <= 2.8) or "
            "'tf_keras' (Keras >= 2.9 / Keras 3)."
        ) from None


# Keras's matrix. Its builders work in its coordinates (a, b); geometry's work
# in (row, col) with the documented meaning. When a is cols (the default and
# Keras 3), Keras's product written in (row, col) *is* geometry's product:
# a rotation [[cos, -sin], [sin, cos]] in (col, row) is geometry.rotation in
# (row, col), and so on. When a is rows (keras-preprocessing), Keras builds the
# same product on the transposed image: build it in (col, row), swap back.


def rotation_matrix(theta_deg):
    """Keras's rotation by ``theta_deg`` degrees in its ``(a, b)``: ``[[cos, -sin], [sin, cos]]``.

    Examples
    --------
    >>> rotation_matrix(90).round(6) + 0.0
    array([[ 0., -1.,  0.],
           [ 1.,  0.,  0.],
           [ 0.,  0.,  1.]])
    """
    return geometry.swap_axes(geometry.rotation(theta_deg))


def shift_matrix(shift_a, shift_b):
    """Keras's translation of the sampling point by ``(shift_a, shift_b)`` pixels.

    Examples
    --------
    >>> shift_matrix(5, -8)
    array([[ 1.,  0.,  5.],
           [ 0.,  1., -8.],
           [ 0.,  0.,  1.]])
    """
    return geometry.translation(shift_a, shift_b)


def shear_matrix(shear_deg):
    """Keras's shear by ``shear_deg`` degrees in its ``(a, b)``: ``[[1, -sin], [0, cos]]``.

    Examples
    --------
    >>> shear_matrix(30).round(3)
    array([[ 1.   , -0.5  ,  0.   ],
           [ 0.   ,  0.866,  0.   ],
           [ 0.   ,  0.   ,  1.   ]])
    """
    return geometry.swap_axes(geometry.shear(shear_deg))


def zoom_matrix(zoom_a, zoom_b):
    """Keras's zoom: scale the sampling grid by ``(zoom_a, zoom_b)``.

    This is an inverse map: a factor above 1 reads a *larger* part of the
    input into the same output, so the picture gets smaller.

    Examples
    --------
    >>> zoom_matrix(1.25, 0.5)
    array([[1.25, 0.  , 0.  ],
           [0.  , 0.5 , 0.  ],
           [0.  , 0.  , 1.  ]])
    """
    return geometry.scale(zoom_a, zoom_b)


def offset_centre(matrix, centre_a, centre_b):
    """Keras's ``transform_matrix_offset_center``: ``matrix`` acting about ``(centre_a, centre_b)``.

    Examples
    --------
    >>> offset_centre(zoom_matrix(2, 2), 1.5, 2.5)
    array([[ 2. ,  0. , -1.5],
           [ 0. ,  2. , -2.5],
           [ 0. ,  0. ,  1. ]])
    """
    return geometry.about((centre_a, centre_b), matrix)


def keras_matrix(params, shape, convention=DOCUMENTED):
    """Keras's affine matrix for ``params`` in ``convention``, as a ``(row, col)`` inverse map.

    The product ``offset_centre(rotation @ shift @ shear @ zoom, centre)``
    that Keras builds in its ``(a, b)`` coordinates, composed by
    :func:`augkit.geometry.affine`.

    Parameters
    ----------
    params : TransformParams
        ``theta`` and ``shear`` in degrees, ``tx``/``ty`` in pixels, zooms as
        factors. Flips are ignored here (see :func:`transform_matrix`).
    shape : tuple of int
        ``(rows, cols)`` of the image.
    convention : Convention
        Which of the three behaviours to build.

    Returns
    -------
    ndarray of shape (3, 3), or None
        None where Keras would not warp at all (every parameter neutral).

    Examples
    --------
    >>> from augkit.params import TransformParams
    >>> keras_matrix(TransformParams(theta=90), (3, 3)).round(6) + 0.0   # about the centre (1, 1)
    array([[ 0.,  1.,  0.],
           [-1.,  0.,  2.],
           [ 0.,  0.,  1.]])
    >>> keras_matrix(TransformParams(tx=2, ty=1), (3, 3), TF_KERAS)   # Keras 3: tx moves columns
    array([[1., 0., 1.],
           [0., 1., 2.],
           [0., 0., 1.]])
    >>> keras_matrix(TransformParams(), (3, 3)) is None
    True
    """
    if (params.theta == 0 and params.tx == 0 and params.ty == 0 and params.shear == 0
            and params.zx == 1 and params.zy == 1):
        return None
    rows, cols = shape  # everything below in (rows, cols) order
    if convention.centre_sizes_swapped:
        rows, cols = cols, rows
    centre = (rows / 2 + convention.centre_offset, cols / 2 + convention.centre_offset)
    shift = (params.tx, params.ty) if convention.tx_axis == "rows" else (params.ty, params.tx)
    zoom = (params.zx, params.zy) if convention.first_axis == "rows" else (params.zy, params.zx)
    if convention.first_axis == "cols":  # Keras's (a, b) is (col, row): its product is geometry's
        return geometry.affine(centre, rotation_deg=params.theta, translation_px=shift,
                               shear_deg=params.shear, scale_factors=zoom)
    # a is rows: the same product on the transposed image, in (col, row), swapped back
    return geometry.swap_axes(geometry.affine(centre[::-1], rotation_deg=params.theta, translation_px=shift[::-1],
                                              shear_deg=params.shear, scale_factors=zoom[::-1]))


def transform_matrix(params, shape, convention=DOCUMENTED):
    """The whole geometric part of ``params`` (flips included) as one ``(row, col)`` inverse map.

    :func:`keras_matrix`, then the flips, which Keras applies after its warp
    (so they compose on the right). Always a new 3x3 float array, the
    identity when nothing moves (``ImageDataGenerator.transform_matrix``
    gives the same); the warps copy the pixels for the identity without
    resampling. (:func:`keras_matrix`, like Keras's own code, gives None there.)

    Examples
    --------
    >>> from augkit.params import TransformParams
    >>> transform_matrix(TransformParams(flip_horizontal=True), (2, 4))
    array([[ 1.,  0.,  0.],
           [ 0., -1.,  3.],
           [ 0.,  0.,  1.]])
    >>> transform_matrix(TransformParams(), (2, 4))
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    matrix = keras_matrix(params, shape, convention)
    if matrix is None:
        matrix = np.eye(3)
    if not (params.flip_horizontal or params.flip_vertical):
        return matrix
    return matrix.dot(geometry.flip(shape, vertical=params.flip_vertical, horizontal=params.flip_horizontal))


def transform_matrices(params, shape, convention=DOCUMENTED):
    """:func:`transform_matrix` of each of ``params`` (one image ``shape``) in one pass: ``(n, 3, 3)``.

    The batch loop's builder: each matrix equals ``transform_matrix`` of its
    sample bit for bit (:func:`augkit.geometry.affine_stack`), the identity
    where nothing moves, flips composed on the right where asked.

    Examples
    --------
    >>> from augkit.params import TransformParams
    >>> batch = [TransformParams(theta=30, zx=1.1), TransformParams(), TransformParams(flip_horizontal=True)]
    >>> stack = transform_matrices(batch, (4, 6))
    >>> all(np.array_equal(matrix, transform_matrix(p, (4, 6))) for matrix, p in zip(stack, batch))
    True
    """
    matrices = np.zeros((len(params), 3, 3))
    matrices[:] = np.eye(3)
    if not params:
        return matrices
    *values, flip_h, flip_v = zip(*map(_GEOMETRY, params))  # one C call per sample, then columns
    moving = [i for i, still in enumerate(zip(*values)) if still != _STILL]  # == as the scalar test compares
    if len(moving) == len(params):  # the common case: every sample moves
        matrices[:] = _keras_matrices(values, shape, convention)
    elif moving:
        matrices[moving] = _keras_matrices([[column[i] for i in moving] for column in values], shape, convention)
    flipped = [i for i, (h, v) in enumerate(zip(flip_h, flip_v)) if h or v]
    if flipped:
        table = {}  # at most three flips: each matrix made once
        for h, v in {(bool(flip_h[i]), bool(flip_v[i])) for i in flipped}:
            table[h, v] = geometry.flip(shape, vertical=v, horizontal=h)
        flips = np.stack([table[bool(flip_h[i]), bool(flip_v[i])] for i in flipped])
        matrices[flipped] = np.matmul(matrices[flipped], flips)
    return matrices


# A sample's geometric parameters in one read, and their values when nothing moves.
_GEOMETRY = operator.attrgetter("theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical")
_STILL = (0, 0, 0, 0, 1, 1)


def _keras_matrices(columns, shape, convention):
    """:func:`keras_matrix` of each sample (none of them neutral) of ``columns`` (theta, tx, ty, shear, zx,
    zy: a sequence each), stacked."""
    rows, cols = shape
    if convention.centre_sizes_swapped:
        rows, cols = cols, rows
    centre = (rows / 2 + convention.centre_offset, cols / 2 + convention.centre_offset)
    theta, tx, ty, shear, zx, zy = columns
    shift = (tx, ty) if convention.tx_axis == "rows" else (ty, tx)
    zoom = (zx, zy) if convention.first_axis == "rows" else (zy, zx)
    if convention.first_axis == "cols":
        return geometry.affine_stack(centre, theta, shift, shear, zoom)
    return geometry.swap_axes_stack(geometry.affine_stack(centre[::-1], theta, shift[::-1], shear, zoom[::-1]))
