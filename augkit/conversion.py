"""Images and arrays: Keras's ``img_to_array`` and ``array_to_img``.

A PIL image becomes a float array in ``data_format`` and back, with Keras's
signatures and positional order (``img_to_array(img, data_format, dtype)``,
``array_to_img(x, data_format, scale, dtype)``). :mod:`augkit.image_io`
re-exports both (and ``augkit`` exports them), and uses :func:`choice` and
:func:`checked_data_format` for its own arguments.
"""

import numpy as np
from PIL import Image

__all__ = ["DATA_FORMATS", "array_to_img", "checked_data_format", "choice", "img_to_array"]

#: Accepted values of ``data_format`` (None, Keras 3's default, means "channels_last").
DATA_FORMATS = ("channels_last", "channels_first")

_FLOAT_DTYPES = ("float16", "float32", "float64")


def img_to_array(img, data_format="channels_last", dtype="float32"):
    """Convert a Pillow image into a 3-D NumPy array, as Keras's ``img_to_array`` does.

    The arguments are Keras's, in Keras's order: ``img_to_array(img,
    "channels_first", "uint8")`` works as in Keras.

    Parameters
    ----------
    img : PIL.Image.Image
        The image (any array-like of rank 2 or 3 also works).
    data_format : {"channels_last", "channels_first"} or None
        ``(rows, cols, channels)`` or ``(channels, rows, cols)``; None (Keras
        3's default) means ``"channels_last"``.
    dtype : str or numpy.dtype or None
        Type of the result; Keras's default ``"float32"`` (also for None)
        keeps the 0-255 values of an 8-bit image (no rescaling happens here).

    Returns
    -------
    numpy.ndarray
        Always 3-D: a grey image gets a channel axis of length 1.

    Examples
    --------
    >>> from PIL import Image
    >>> grey = Image.new("L", (3, 2), color=7)  # 3 columns, 2 rows
    >>> x = img_to_array(grey)
    >>> x.shape, x.dtype, float(x.max())
    ((2, 3, 1), dtype('float32'), 7.0)
    >>> img_to_array(Image.new("RGB", (3, 2)), "channels_first", "uint8").shape
    (3, 2, 3)
    """
    data_format = checked_data_format(data_format)
    x = np.asarray(img, dtype="float32" if dtype is None else dtype)
    if x.ndim == 2:
        x = x[:, :, np.newaxis]
    elif x.ndim != 3:
        raise ValueError(
            f"img_to_array expects an image of rank 2 or 3, got an array of shape {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    return x


def array_to_img(x, data_format="channels_last", scale=True, dtype="float32"):
    """Convert a 3-D array into a Pillow image, as Keras's ``array_to_img`` does.

    The arguments are Keras's, in Keras's order: ``array_to_img(x,
    "channels_first", False)`` works as in Keras.

    Parameters
    ----------
    x : array_like
        ``(rows, cols, channels)`` (or ``(channels, rows, cols)`` with
        ``data_format="channels_first"``) with 1, 3 or 4 channels. It is never
        modified.
    data_format : {"channels_last", "channels_first"} or None
        Layout of ``x``; None (Keras 3's default) means ``"channels_last"``.
    scale : bool
        If true, shift and stretch the values so that the minimum becomes 0
        and the maximum 255 (a constant image becomes 0). If false, the values
        are used as they are.
    dtype : {"float32", "float64", "float16"} or None
        The floating type the values are computed in (None: float32), as
        Keras's ``dtype``. Keras also takes integer types, which wrap values
        around before clipping; augkit refuses them.

    Returns
    -------
    PIL.Image.Image
        Mode ``"L"``, ``"RGB"`` or ``"RGBA"`` for 1, 3 or 4 channels; as in
        Keras, one channel whose maximum exceeds 255 (after scaling) gives a
        32-bit integer image, mode ``"I"``.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D, has another number of channels, is empty, or
        holds NaN or infinite values, or ``dtype`` is not a floating type.

    Notes
    -----
    Values are computed in float32 (by default) and truncated towards zero, exactly as in
    Keras (so 254.9 becomes 254). Values outside 0-255 are clipped; Keras
    casts them, which wraps them around (256 becomes 0).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[0.0], [0.5], [1.0]]])  # 1 row, 3 columns, 1 channel
    >>> img = array_to_img(x)
    >>> img.mode, np.asarray(img).tolist()
    ('L', [[0, 127, 255]])
    >>> np.asarray(array_to_img(x * 100, scale=False)).tolist()
    [[0, 50, 100]]
    """
    layout = checked_data_format(data_format)
    values = np.array(x, dtype=_float_dtype(dtype))  # a copy: x is never modified
    if values.ndim != 3:
        raise ValueError(
            f"array_to_img expects a 3-D array ({_layout_text(layout)}), got shape "
            f"{values.shape}; add a channel axis to a 2-D image with x[..., np.newaxis]"
        )
    if layout == "channels_first":
        values = values.transpose(1, 2, 0)
    channels = values.shape[2]
    if channels not in (1, 3, 4):
        raise ValueError(
            f"array_to_img expects 1, 3 or 4 channels ({_layout_text(layout)}), "
            f"got {channels} in an array of shape {np.shape(x)}"
        )
    if values.size == 0:
        raise ValueError(f"array_to_img got an empty array of shape {np.shape(x)}")
    if not np.isfinite(values).all():
        raise ValueError("array_to_img got an array holding NaN or infinite values")
    if scale:
        _stretch_to_0_255(values)
    if channels == 1 and values.max() > 255:
        return Image.fromarray(values[:, :, 0].astype(np.int32))
    pixels = np.clip(values, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels)


# --- helpers ---------------------------------------------------------------


def choice(name, value, accepted):
    """``accepted[value]`` (or ``value``) if ``value`` is accepted, else a ValueError."""
    if isinstance(value, str) and value in accepted:
        return accepted[value] if isinstance(accepted, dict) else value
    listed = ", ".join(repr(option) for option in accepted)
    raise ValueError(f"{name}={value!r} is not supported; use one of {listed}")


def checked_data_format(data_format):
    """``data_format``, checked; None (Keras 3's default) is ``"channels_last"``."""
    return "channels_last" if data_format is None else choice("data_format", data_format, DATA_FORMATS)


def _float_dtype(dtype):
    """``dtype`` (None: float32) as a NumPy floating dtype; ValueError otherwise."""
    try:
        chosen = np.dtype("float32" if dtype is None else dtype)
    except TypeError:
        chosen = None
    if chosen is None or chosen.kind != "f":
        raise ValueError(f"dtype={dtype!r} is not supported; use a floating type such as "
                         f"{', '.join(map(repr, _FLOAT_DTYPES))} (the type the values are computed in)")
    return chosen


def _stretch_to_0_255(values):
    """Map ``values`` (floats, changed in place) so that min -> 0 and max -> 255."""
    values -= values.min()
    peak = values.max()
    if peak != 0:
        values /= peak
    values *= 255


def _layout_text(data_format):
    return "(rows, cols, channels)" if data_format == "channels_last" else "(channels, rows, cols)"
