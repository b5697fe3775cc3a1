"""The facts in which augkit's three behaviours differ, kept as data.

Keras has shipped two incompatible ``ImageDataGenerator`` implementations with
the same arguments: **keras-preprocessing 1.1.2** (tf.keras up to 2.5) and the
copy in **Keras >= 2.6 / tf.keras / Keras 3** (``keras.src.legacy``). augkit
reproduces both exactly on request and, by default, does what the
documentation says. Everything that differs between the three is one field of
a :class:`Convention`; the code that uses them (:mod:`augkit.functional`,
:mod:`augkit.params`) reads these fields instead of branching on names.

How Keras builds its matrix: ``apply_affine_transform`` multiplies rotation,
shift ``[[1, 0, tx], [0, 1, ty]]``, shear and zoom ``diag(zx, zy)`` in a
coordinate system ``(a, b)``, moves the origin to a centre ``(o_a, o_b)`` and
hands the result to ``scipy.ndimage.affine_transform`` as the map from output
to input coordinates. The conventions differ in what ``a`` and ``b`` are.
"""

from dataclasses import dataclass
from typing import Literal

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
    """

    name: str
    first_axis: Axis
    tx_axis: Axis
    centre_offset: float
    centre_sizes_swapped: bool
    brightness: Literal["clip_to_range", "pil_rescaled", "pil_unscaled"]
    resampler: Literal["skimage", "scipy"]
    random_stream: Literal["generator", "legacy"]


DOCUMENTED = Convention(
    name="default",
    first_axis="cols",
    tx_axis="rows",
    centre_offset=-0.5,
    centre_sizes_swapped=False,
    brightness="clip_to_range",
    resampler="skimage",
    random_stream="generator",
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
            "says), 'keras_preprocessing' (keras-preprocessing 1.1.2) or 'tf_keras' "
            "(Keras >= 2.6, tf.keras and Keras 3)."
        ) from None
