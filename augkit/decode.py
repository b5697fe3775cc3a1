"""Decoding image files: each file checked, opened and decoded once, colour modes by rule.

* Reading is safe: nothing is read before the path is known to be a
  non-empty regular file (or a link to one), and only the header before
  the pixel count is checked against :data:`MAX_IMAGE_PIXELS` (set it
  through ``augkit.image_io.MAX_IMAGE_PIXELS``). Every failure is an
  :class:`ImageFileError` naming the file.
* :func:`read_image` decodes a file in its own mode; :func:`decode_file`
  goes all the way to an array (mode, resize, layout) with one open, and
  can check the file's size before its pixels are decoded.
* The ways a decoded file becomes a ``color_mode`` are data
  (:mod:`augkit.colour_rules`, importable from here), one
  :class:`DecodeRule` each: :data:`LOAD_IMG` (augkit's ``load_img``),
  :data:`BATCH` (the same with Pillow's JPEG ``draft`` shortcut),
  :data:`KERAS` (Keras's ``load_img``, for the compat modes) and
  :data:`MASK` (labels kept: palette indices, 16-bit values).
"""

import errno
import io
import os
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from augkit.colour_rules import (  # noqa: F401 - the colour rules, importable from here as before
    BATCH,
    CHANNELS,
    COLOR_MODES,
    INTERPOLATIONS,
    KERAS,
    LOAD_IMG,
    MASK,
    DecodeRule,
    convert_mode,
    jpeg_draft,
    resize_like_keras,
)
from augkit.walking import as_path, kind_problem, stat_problem

__all__ = ["BATCH", "CHANNELS", "COLOR_MODES", "INTERPOLATIONS", "KERAS", "LOAD_IMG", "MASK", "MAX_IMAGE_PIXELS",
           "DecodeRule", "ImageFileError", "convert_mode", "decode_file", "image_size", "listed_file_gone",
           "read_image", "resize_like_keras"]

#: The largest image, in pixels (rows x cols), that augkit decodes; None for
#: no limit. The documented way to change it is
#: ``augkit.image_io.MAX_IMAGE_PIXELS = ...``, which sets this value (see
#: :mod:`augkit.image_io`); setting ``augkit.decode.MAX_IMAGE_PIXELS`` works too.
#: Pillow's own global limit is never changed.
MAX_IMAGE_PIXELS = 89_478_485

_READ_WHOLE_BYTES = 32 * 2**20  # a regular file up to this size is read at once (see _in_memory)
# warnings.catch_warnings is process-wide: one lock keeps the reader threads'
# uses of it from undoing each other (it is held only while a header is parsed).
_PILLOW_WARNINGS_LOCK = threading.Lock()


class ImageFileError(ValueError):
    """A file that exists but cannot be read as an image.

    Parameters
    ----------
    path : pathlib.Path
        The offending file, kept as the ``path`` attribute.
    problem : str
        What is wrong with it, in words.
    """

    def __init__(self, path, problem):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"cannot load image file '{path}': {problem}")


# --- one file, decoded once ----------------------------------------------------------

def read_image(path, prepare=None):
    """The image file at ``path``, checked, opened, decoded and closed again.

    Nothing is read before the path is known to be a regular file (or a
    link to one), and only the header is read before the pixel count is
    checked against :data:`MAX_IMAGE_PIXELS`; then Pillow decodes the file,
    reading only what it needs.

    Parameters
    ----------
    path : str or os.PathLike
    prepare : callable, optional
        Called with the opened, not yet decoded, Pillow image, e.g. to ask
        for a reduced-size JPEG decode with ``img.draft(mode, size)``.

    Returns
    -------
    PIL.Image.Image
        Decoded, in the file's own mode; the file is closed.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ImageFileError
        Naming the file, if it is not a regular file, cannot be opened, is
        empty, is not an image Pillow can read, has more pixels than
        :data:`MAX_IMAGE_PIXELS`, or is truncated/corrupt.
    """
    path = as_path(path)
    with _regular_file(path) as file:
        img = _identify(_in_memory(file), path)
        if prepare is not None:
            prepare(img)
        return _decode(img, path)


def decode_file(path, color_mode, target_size=None, interpolation="nearest", keep_aspect_ratio=False,
                data_format="channels_last", rule=LOAD_IMG, check_size=None):
    """One file as an array, opened once: ``(pixels, (rows, cols) of the file)``.

    ``pixels`` is ``(rows, cols, channels)`` (or channels first) of the
    file's integer dtype after ``rule`` (a :class:`DecodeRule`) has made it
    ``color_mode`` and, if ``target_size`` is given, Keras's resize. The
    caller converts it (to float32 for a batch), which gives exactly Keras's
    ``img_to_array`` values. ``check_size``, if given, is called with the
    file's ``(rows, cols)`` before its pixels are decoded (it may raise).

    Raises
    ------
    FileNotFoundError, ImageFileError
        As :func:`read_image`.
    """
    file_size = []

    def prepare(img):
        file_size.append(img.size[::-1])
        if check_size is not None:
            check_size(file_size[0])
        if rule.jpeg_draft and target_size is not None:
            jpeg_draft(img, color_mode, target_size)

    img = convert_mode(read_image(path, prepare), color_mode, rule)
    if target_size is not None:
        img = resize_like_keras(img, target_size, INTERPOLATIONS[interpolation], keep_aspect_ratio)
    pixels = np.asarray(img)
    if pixels.ndim == 2:
        pixels = pixels[:, :, np.newaxis]
    return (pixels.transpose(2, 0, 1) if data_format == "channels_first" else pixels), file_size[0]


def listed_file_gone(path):
    """The error for a file that an iterator listed but that no longer exists when its batch is built."""
    return ImageFileError(path, "the file is gone: it is in the iterator's file list, but nothing "
                                "exists at this path now (moved or deleted after the list was made?)")


def image_size(path):
    """``(rows, cols)`` of the image file at ``path``, from its header (no decoding).

    Checked as :func:`read_image` checks (a regular file, an image Pillow
    recognises, at most :data:`MAX_IMAGE_PIXELS` pixels), with the same errors.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "wide.png"
    ...     Image.new("RGB", (5, 2)).save(file)  # Pillow's size is (width, height)
    ...     print(image_size(file))
    (2, 5)
    """
    path = as_path(path)
    with _regular_file(path) as file:
        img = _identify(file, path)
        cols, rows = img.size
        img.close()
        return rows, cols


def _decode(img, path):
    """Decode the pixels of ``img`` (opened from ``path``) now, so that truncation is caught here.

    The file ``img`` was opened on is closed afterwards, whether decoding worked or not.
    """
    file = getattr(img, "fp", None)
    try:
        img.load()
    except Exception as err:  # Pillow's decoders raise OSError, SyntaxError, struct.error, ...
        raise _unreadable(path, err) from err
    finally:
        if file is not None:
            file.close()
    return img


# --- checks before reading ---------------------------------------------------------------

@contextmanager
def _regular_file(path):
    file = _open_regular_file(path)
    with file:
        yield file


def _open_regular_file(path):
    """``path`` opened for binary reading, once it is known to be a non-empty regular file.

    The file is opened non-blocking and checked again through its descriptor,
    so that a FIFO put in its place after the first check cannot block.
    """
    _check_regular(path, _stat(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError as err:
        raise FileNotFoundError(errno.ENOENT, "No such image file", str(path)) from err
    except OSError as err:
        raise ImageFileError(path, f"it cannot be opened ({err.strerror})") from err
    file = os.fdopen(descriptor, "rb")
    try:
        _check_regular(path, os.fstat(file.fileno()))
    except BaseException:
        file.close()
        raise
    return file


def _stat(path):
    try:
        return os.stat(path)
    except FileNotFoundError as err:
        raise FileNotFoundError(errno.ENOENT, "No such image file", str(path)) from err
    except OSError as err:
        raise ImageFileError(path, stat_problem(err)) from err


def _check_regular(path, info):
    problem = kind_problem(info.st_mode)
    if problem is not None:
        raise ImageFileError(path, problem + "; only regular files (or symbolic links to them) are read")
    if info.st_size == 0:
        raise ImageFileError(path, "the file is empty (0 bytes)")


def _in_memory(file):
    """``file``'s bytes as a BytesIO when it is at most :data:`_READ_WHOLE_BYTES`, else ``file`` itself.

    Pillow parses and decodes from memory about 10 % faster than through
    many small reads of a file (measured on 256 x 256 JPEGs); a larger file
    is streamed, so that its header is checked before the rest is read.
    """
    if os.fstat(file.fileno()).st_size <= _READ_WHOLE_BYTES:
        return io.BytesIO(file.read())
    return file


def _identify(file, path):
    """Pillow's image on ``file`` (header read, pixels not decoded), its size checked."""
    with _PILLOW_WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # MAX_IMAGE_PIXELS decides
        try:
            img = Image.open(file)
        except UnidentifiedImageError as err:
            raise ImageFileError(path, "Pillow does not recognise it as an image") from err
        except Exception as err:  # Pillow's parsers raise OSError, SyntaxError, struct.error, ...
            raise _unreadable(path, err) from err
    try:
        _check_pixels(img.size, path)
    except ImageFileError:
        img.close()
        raise
    return img


def _check_pixels(width_height, path):
    limit = MAX_IMAGE_PIXELS
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
        raise ValueError(f"augkit.image_io.MAX_IMAGE_PIXELS={limit!r} is not supported; use a "
                         "positive int (pixels, rows x cols) or None for no limit")
    width, height = width_height
    pixels = width * height
    if pixels > limit:
        raise ImageFileError(
            path, f"it claims {height} x {width} (rows x cols) = {pixels:,} pixels, more than "
            f"augkit.image_io.MAX_IMAGE_PIXELS = {limit:,}; it was refused before decoding (it may "
            "be a decompression bomb). If the file is genuine, raise the limit, e.g. "
            f"augkit.image_io.MAX_IMAGE_PIXELS = {pixels}, or set it to None")


def _unreadable(path, err):
    """The error for a file Pillow fails on while parsing or decoding it."""
    if isinstance(err, Image.DecompressionBombError):
        return ImageFileError(
            path, f"Pillow refuses to decode it ({err}) because it has more than twice "
            f"PIL.Image.MAX_IMAGE_PIXELS = {Image.MAX_IMAGE_PIXELS:,} pixels; to read it, raise "
            "PIL.Image.MAX_IMAGE_PIXELS as well as augkit.image_io.MAX_IMAGE_PIXELS")
    return ImageFileError(path, f"the image data is truncated or corrupt ({type(err).__name__}: {err})")
