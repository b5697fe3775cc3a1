"""Reading and writing single image files with Keras's functions, with :mod:`pathlib` throughout.

The functions mirror Keras's ``load_img``, ``img_to_array``, ``array_to_img``
and ``save_img`` (keras-preprocessing 1.1.2 and Keras 3's ``keras.utils``),
with Keras's signatures (positional arguments in Keras's order), decode with
Pillow, and differ from Keras only where Keras loses information or fails
obscurely; each difference is stated in the docstring concerned.

Conventions: arrays are ``(rows, cols, channels)`` ("channels_last") unless
``data_format="channels_first"`` is asked for, sizes are given as
``(rows, cols)`` - that is ``(height, width)`` - and every path argument takes
a ``str`` or any :class:`os.PathLike`.

This module never walks folders: finding files is :mod:`augkit.files`'s job
(:func:`list_images` is its one-folder listing, importable from here),
decoding is :mod:`augkit.decode`'s, writing whole files is
:mod:`augkit.writing`'s, and ``img_to_array`` / ``array_to_img`` live in
:mod:`augkit.conversion` (importable from here).

``MAX_IMAGE_PIXELS``
    The largest image, in pixels (rows x cols), that augkit decodes anywhere
    (``load_img``, ``load_mask``, every iterator over files); a bigger file is
    refused with :class:`ImageFileError` from its header, before any pixel
    memory is taken (a 164 kB PNG "decompression bomb" can claim 169 million
    pixels). Default: Pillow's default limit, 89,478,485 (about 9459 x 9459).
    To read larger genuine images, set ``augkit.image_io.MAX_IMAGE_PIXELS =
    200_000_000`` (or ``None``: no limit) for the session; the value lives in
    :mod:`augkit.decode`, and Pillow's global is never changed. Pillow still
    refuses images above *twice* ``PIL.Image.MAX_IMAGE_PIXELS`` by itself.
"""

import io
import sys
import types

import numpy as np

from augkit import decode
from augkit.decode import (COLOR_MODES, INTERPOLATIONS, ImageFileError, convert_mode, image_size, read_image,
                           resize_like_keras)
from augkit.conversion import DATA_FORMATS, array_to_img, choice, img_to_array
from augkit.files import IMAGE_EXTENSIONS, as_path, list_images
from augkit.writing import save_format, writable_format, write_file

__all__ = ["COLOR_MODES", "DATA_FORMATS", "IMAGE_EXTENSIONS", "INTERPOLATIONS", "ImageFileError",
           "MAX_IMAGE_PIXELS", "array_to_img", "image_size", "img_to_array", "list_images", "load_img",
           "read_image", "save_img", "writable_format", "write_file"]

def load_img(
    path,
    color_mode="rgb",
    target_size=None,
    interpolation="nearest",
    keep_aspect_ratio=False,
):
    """Load an image file into a Pillow image, as Keras's ``load_img`` does.

    Parameters
    ----------
    path : str or os.PathLike
        The image file.
    color_mode : {"rgb", "rgba", "grayscale"}
        The mode of the result: Pillow mode ``"RGB"``, ``"RGBA"`` or ``"L"``
        (8-bit grey). Palette, grey+alpha, CMYK and 1-bit files are converted
        by Pillow; an alpha channel is dropped (not composited) for ``"rgb"``
        and ``"grayscale"``, and is 255 everywhere when ``"rgba"`` is asked of
        a file without one.
    target_size : tuple of two positive ints, optional
        ``(rows, cols)``, i.e. ``(height, width)``, to resize to. ``None``
        keeps the file's size.
    interpolation : {"nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"}
        Pillow filter used when ``target_size`` differs from the file's size.
    keep_aspect_ratio : bool
        If true, first crop the largest centred box with the aspect ratio of
        ``target_size``, then resize it, so nothing is stretched (as
        Keras >= 2.9 does).

    Returns
    -------
    PIL.Image.Image
        A fully decoded image of mode ``"RGB"``, ``"RGBA"`` or ``"L"``.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ImageFileError
        A :class:`ValueError` naming the file, if it is a folder, a device,
        a FIFO, a socket or anything else that is not a regular file (a
        symbolic link to a regular file is fine), cannot be opened, is empty
        (0 bytes), is not an image Pillow can read, has more pixels than
        :data:`MAX_IMAGE_PIXELS`, or is truncated/corrupt.
    ValueError
        If an argument is not one of the accepted values.

    Notes
    -----
    Differences from Keras:

    * Only regular files are read, and only as far as Pillow needs: Keras
      (through Pillow) would read ``/dev/zero`` until memory runs out and
      wait forever on a FIFO; augkit refuses both by name, without reading.
    * Images with more than :data:`MAX_IMAGE_PIXELS` pixels are refused
      before decoding; Keras only gets Pillow's ``DecompressionBombWarning``
      (and decodes) up to twice Pillow's limit.

    * 16-bit images (Pillow modes ``"I;16"``, ``"I;16B"``, ... and ``"I"``,
      which is how Pillow may open 16-bit PNG and TIFF files) are scaled into
      0-255 by dividing by 257 and rounding, whatever ``color_mode``. Keras
      clamps them to 255 instead (and keeps them 16-bit for ``"grayscale"``),
      which turns most 16-bit images white.
    * The whole file is decoded here, so a truncated file fails at once with
      a clear message rather than later inside Pillow.
    * Bad ``interpolation`` values are rejected even when no resizing is
      needed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "tiny.png"
    ...     save_img(file, np.zeros((2, 3, 3), dtype=np.uint8))
    ...     img = load_img(file, color_mode="grayscale", target_size=(4, 6))
    >>> img.mode, img.size  # Pillow's size is (width, height)
    ('L', (6, 4))
    """
    choice("color_mode", color_mode, COLOR_MODES)
    resample = choice("interpolation", interpolation, INTERPOLATIONS)
    width_height = None if target_size is None else _width_height(target_size)
    img = convert_mode(read_image(path), color_mode)
    if width_height is not None:
        img = resize_like_keras(img, width_height[::-1], resample, keep_aspect_ratio)
    return img


def save_img(path, x, data_format="channels_last", file_format=None, scale=True, *, overwrite=False,
             **kwargs):
    """Write an array to an image file, refusing to replace an existing one.

    The arguments are Keras's, in Keras's order (``save_img(path, x,
    "channels_first", "png", False)`` works as in Keras), plus the
    keyword-only ``overwrite``.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file; its folder must exist.
    x : array_like
        The image, as accepted by :func:`array_to_img`; never modified.
    data_format : {"channels_last", "channels_first"} or None
        Layout of ``x``; None (Keras 3's default) means ``"channels_last"``.
    file_format : str, optional
        A Pillow format name such as ``"png"``, ``"jpeg"`` (or ``"jpg"``),
        ``"bmp"``, ``"tiff"``. By default it is inferred from the suffix.
    scale : bool
        Stretch the values to 0-255 first (see :func:`array_to_img`).
    overwrite : bool
        Replace an existing file. By default an existing file is an error.
    **kwargs
        Passed to Pillow's ``Image.save`` as Keras passes them, e.g.
        ``quality=90`` for a JPEG.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is false.
    FileNotFoundError, NotADirectoryError, PermissionError
        If the folder of ``path`` does not exist, is not a folder or cannot
        be written (the message names it).
    ValueError
        If the format cannot be inferred or is unknown, or ``x`` is not an
        image (see :func:`array_to_img`).

    Notes
    -----
    The file is written whole or not at all (see :func:`write_file`): an
    error or Ctrl-C while saving leaves no partial file and, with
    ``overwrite=True``, the old file intact. Keras differs here: it writes
    in place and replaces an existing file without asking.

    An RGBA image saved as JPEG loses its alpha channel (JPEG has none);
    Keras warns and does the same.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> x = np.array([[[0], [255]]], dtype=np.uint8)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "pair.png"
    ...     save_img(file, x, scale=False)
    ...     again = img_to_array(load_img(file, color_mode="grayscale"))
    ...     try:
    ...         save_img(file, x)
    ...     except FileExistsError:
    ...         print("refused to overwrite")
    refused to overwrite
    >>> again[..., 0]
    array([[  0., 255.]], dtype=float32)
    """
    path = as_path(path)
    pillow_format = save_format(path, file_format)
    img = array_to_img(x, data_format, scale)
    if pillow_format == "JPEG" and img.mode == "RGBA":
        img = img.convert("RGB")
    encoded = io.BytesIO()
    try:
        img.save(encoded, format=pillow_format, **kwargs)
    except (OSError, ValueError, KeyError) as err:
        raise ValueError(
            f"cannot save a mode {img.mode!r} image as {pillow_format} to '{path}': {err}"
        ) from err
    write_file(path, encoded.getvalue(), overwrite=overwrite)


# --- helpers ---------------------------------------------------------------


def _width_height(target_size):
    """Pillow's ``(width, height)`` from a ``(rows, cols)`` target size, validated."""
    try:
        rows, cols = target_size
    except (TypeError, ValueError):
        rows = cols = None
    sizes_ok = all(
        isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) and n > 0
        for n in (rows, cols)
    )
    if not sizes_ok:
        raise ValueError(
            f"target_size={target_size!r} is not supported; use None or two positive "
            "integers (rows, cols), i.e. (height, width)"
        )
    return int(cols), int(rows)


class _ImageIOModule(types.ModuleType):
    """This module's type: ``MAX_IMAGE_PIXELS`` reads and sets :data:`augkit.decode.MAX_IMAGE_PIXELS`."""

    @property
    def MAX_IMAGE_PIXELS(self):  # noqa: N802 - a module constant's name
        return decode.MAX_IMAGE_PIXELS

    @MAX_IMAGE_PIXELS.setter
    def MAX_IMAGE_PIXELS(self, value):  # noqa: N802
        decode.MAX_IMAGE_PIXELS = value

    def __dir__(self):
        return sorted(set(super().__dir__()) | {"MAX_IMAGE_PIXELS"})


sys.modules[__name__].__class__ = _ImageIOModule
