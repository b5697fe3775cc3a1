"""Reading, writing and listing image files, with :mod:`pathlib` throughout.

The functions mirror Keras's ``load_img``, ``img_to_array``, ``array_to_img``
and ``save_img`` (keras-preprocessing 1.1.2 and Keras 3's
``keras.utils``), decode with Pillow, and differ from Keras only where Keras
loses information or fails obscurely; each difference is stated in the
docstring concerned.

Conventions: arrays are ``(rows, cols, channels)`` ("channels_last") unless
``data_format="channels_first"`` is asked for, sizes are given as
``(rows, cols)`` - that is ``(height, width)`` - and every path argument takes
a ``str`` or any :class:`os.PathLike`.
"""

import errno
import io
import os
import stat
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

__all__ = [
    "COLOR_MODES",
    "DATA_FORMATS",
    "IMAGE_EXTENSIONS",
    "INTERPOLATIONS",
    "ImageFileError",
    "MAX_IMAGE_PIXELS",
    "array_to_img",
    "img_to_array",
    "image_size",
    "list_images",
    "load_img",
    "read_image",
    "save_img",
    "writable_format",
    "write_file",
]

#: File suffixes (lower case, with the dot) that :func:`list_images` accepts,
#: compared case-insensitively; the same formats as Keras's directory iterators.
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".tif", ".tiff")

#: ``color_mode`` of :func:`load_img` and the Pillow mode each one produces.
COLOR_MODES = {"rgb": "RGB", "rgba": "RGBA", "grayscale": "L"}

#: ``interpolation`` of :func:`load_img` and the Pillow filter each one names.
INTERPOLATIONS = {
    "nearest": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
    "box": Image.Resampling.BOX,
    "hamming": Image.Resampling.HAMMING,
}

#: The largest image, in pixels (rows x cols), that augkit's readers decode.
#: A bigger file is refused with :class:`ImageFileError` after reading only
#: its header, before any pixel memory is taken: a "decompression bomb" (a
#: 164 kB PNG can claim 169 million pixels, 500 MB once decoded) never gets
#: decoded. The default is Pillow's default ``PIL.Image.MAX_IMAGE_PIXELS``
#: (89,478,485, about 9459 x 9459); augkit keeps its own copy and never
#: changes Pillow's. To read larger genuine images, raise it for the whole
#: session, ``augkit.image_io.MAX_IMAGE_PIXELS = 200_000_000``, or set it to
#: ``None`` (no limit). Pillow's warning for images above its own limit is
#: silenced while augkit opens a file (this limit takes its place), but
#: Pillow still refuses images above *twice* ``PIL.Image.MAX_IMAGE_PIXELS``
#: by itself: to go beyond that, raise Pillow's limit as well.
MAX_IMAGE_PIXELS = 89_478_485

#: Accepted values of ``data_format``.
DATA_FORMATS = ("channels_last", "channels_first")

_READ_WHOLE_BYTES = 32 * 2**20  # a regular file up to this size is read at once (see _in_memory)
_SIXTEEN_BIT_TO_EIGHT = 257  # 65535 / 255: maps 0..65535 onto 0..255 exactly
_FORMAT_ALIASES = {"JPG": "JPEG", "TIF": "TIFF"}
_NOT_REGULAR = (  # what a path is, when it is neither a folder nor a regular file
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)
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
    _choice("color_mode", color_mode, COLOR_MODES)
    resample = _choice("interpolation", interpolation, INTERPOLATIONS)
    width_height = None if target_size is None else _width_height(target_size)
    img = convert_mode(read_image(path), color_mode)
    if width_height is not None:
        img = resize_like_keras(img, width_height[::-1], resample, keep_aspect_ratio)
    return img


def img_to_array(img, *, dtype="float32", data_format="channels_last"):
    """Convert a Pillow image into a 3-D NumPy array.

    Parameters
    ----------
    img : PIL.Image.Image
        The image (any array-like of rank 2 or 3 also works).
    dtype : str or numpy.dtype
        Type of the result; Keras's default ``"float32"`` keeps the 0-255
        values of an 8-bit image (no rescaling happens here).
    data_format : {"channels_last", "channels_first"}
        ``(rows, cols, channels)`` or ``(channels, rows, cols)``.

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
    >>> img_to_array(Image.new("RGB", (3, 2)), data_format="channels_first").shape
    (3, 2, 3)
    """
    _choice("data_format", data_format, DATA_FORMATS)
    x = np.asarray(img, dtype=dtype)
    if x.ndim == 2:
        x = x[:, :, np.newaxis]
    elif x.ndim != 3:
        raise ValueError(
            f"img_to_array expects an image of rank 2 or 3, got an array of shape {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    return x


def array_to_img(x, *, scale=True, data_format="channels_last"):
    """Convert a 3-D array into a Pillow image, as Keras's ``array_to_img`` does.

    Parameters
    ----------
    x : array_like
        ``(rows, cols, channels)`` (or ``(channels, rows, cols)`` with
        ``data_format="channels_first"``) with 1, 3 or 4 channels. It is never
        modified.
    scale : bool
        If true, shift and stretch the values so that the minimum becomes 0
        and the maximum 255 (a constant image becomes 0). If false, the values
        are used as they are.
    data_format : {"channels_last", "channels_first"}
        Layout of ``x``.

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
        holds NaN or infinite values.

    Notes
    -----
    Values are computed in float32 and truncated towards zero, exactly as in
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
    layout = _choice("data_format", data_format, DATA_FORMATS)
    values = np.array(x, dtype=np.float32)  # a copy: x is never modified
    if values.ndim != 3:
        raise ValueError(
            f"array_to_img expects a 3-D array ({_layout_text(layout)}), got shape "
            f"{values.shape}; add a channel axis to a 2-D image with x[..., np.newaxis]"
        )
    if data_format == "channels_first":
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


def save_img(
    path, x, *, file_format=None, scale=True, overwrite=False, data_format="channels_last"
):
    """Write an array to an image file, refusing to replace an existing one.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file; its folder must exist.
    x : array_like
        The image, as accepted by :func:`array_to_img`; never modified.
    file_format : str, optional
        A Pillow format name such as ``"png"``, ``"jpeg"`` (or ``"jpg"``),
        ``"bmp"``, ``"tiff"``. By default it is inferred from the suffix.
    scale : bool
        Stretch the values to 0-255 first (see :func:`array_to_img`).
    overwrite : bool
        Replace an existing file. By default an existing file is an error.
    data_format : {"channels_last", "channels_first"}
        Layout of ``x``.

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
    path = _as_path(path)
    pillow_format = _save_format(path, file_format)
    img = array_to_img(x, scale=scale, data_format=data_format)
    if pillow_format == "JPEG" and img.mode == "RGBA":
        img = img.convert("RGB")
    encoded = io.BytesIO()
    try:
        img.save(encoded, format=pillow_format)
    except (OSError, ValueError, KeyError) as err:
        raise ValueError(
            f"cannot save a mode {img.mode!r} image as {pillow_format} to '{path}': {err}"
        ) from err
    write_file(path, encoded.getvalue(), overwrite=overwrite)


def list_images(directory, follow_links=False):
    """List the image files directly inside one folder, sorted by name.

    Parameters
    ----------
    directory : str or os.PathLike
        The folder. Only its own files are listed: subfolders are *not*
        searched (walk a tree with :meth:`pathlib.Path.rglob` or call this
        once per folder).
    follow_links : bool
        If false, entries that are symbolic links are skipped; if true, links
        to image files are listed too (by the link's path; broken links and
        link loops are always skipped).

    Returns
    -------
    list of pathlib.Path
        Files whose suffix, in any case, is one of :data:`IMAGE_EXTENSIONS`
        (png, jpg, jpeg, bmp, ppm, tif, tiff), sorted by name. Contents are
        not checked, but only regular files are listed: a FIFO, device or
        socket with an image suffix is skipped with a warning naming it
        (reading one would block or never end).

    Raises
    ------
    FileNotFoundError
        If ``directory`` does not exist.
    NotADirectoryError
        If it is not a folder.
    PermissionError
        If the folder cannot be read.

    Notes
    -----
    Keras's directory iterators walk whole trees, list linked files always
    and use ``follow_links`` only to decide whether to descend into linked
    folders; a tree walker built on this function decides that itself.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ["b.PNG", "a.jpg", "notes.txt"]:
    ...         _ = (Path(folder) / name).write_bytes(b"")
    ...     print([p.name for p in list_images(folder)])
    ['a.jpg', 'b.PNG']
    """
    directory = _as_path(directory, "directory")
    if not directory.exists():
        raise FileNotFoundError(errno.ENOENT, "No such folder", str(directory))
    if not directory.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "Not a folder", str(directory))
    found = []
    for entry in directory.iterdir():
        if entry.suffix.lower() not in IMAGE_EXTENSIONS or (entry.is_symlink() and not follow_links):
            continue
        problem = why_not_a_regular_file(entry)
        if problem is None:
            found.append(entry)
        elif entry.exists() and not entry.is_dir():  # broken links and loops do not exist
            warnings.warn(f"list_images skips '{entry}': {problem}", stacklevel=2)
    return sorted(found)


# --- helpers ---------------------------------------------------------------


def _as_path(path, name="path"):
    """``path`` as a :class:`pathlib.Path`; TypeError naming ``name`` otherwise."""
    if isinstance(path, str) or isinstance(path, os.PathLike):
        return Path(path)
    raise TypeError(f"{name} must be a str or os.PathLike, got {type(path).__name__}: {path!r}")


def _choice(name, value, accepted):
    """``accepted[value]`` (or ``value``) if ``value`` is accepted, else a ValueError."""
    if isinstance(value, str) and value in accepted:
        return accepted[value] if isinstance(accepted, dict) else value
    listed = ", ".join(repr(option) for option in accepted)
    raise ValueError(f"{name}={value!r} is not supported; use one of {listed}")


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
        Naming the file, as :func:`load_img` lists.
    """
    path = _as_path(path)
    with _regular_file(path) as file:
        img = _identify(_in_memory(file), path)
        if prepare is not None:
            prepare(img)
        return decode_image(img, path)


def image_size(path):
    """``(rows, cols)`` of the image file at ``path``, from its header (no decoding).

    Checked as :func:`read_image` checks (a regular file, an image Pillow
    recognises, at most :data:`MAX_IMAGE_PIXELS` pixels), with the same errors.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "wide.png"
    ...     save_img(file, np.zeros((2, 5, 3), dtype=np.uint8))
    ...     print(image_size(file))
    (2, 5)
    """
    path = _as_path(path)
    with _regular_file(path) as file:
        img = _identify(file, path)
        cols, rows = img.size
        img.close()
        return rows, cols


def open_image(path):
    """Open the image file at ``path`` without decoding its pixels, with errors that name it.

    The checks of :func:`read_image` are made first. The returned image
    holds the open file: decode it with :func:`decode_image` (which closes
    the file) or call its ``close()``. :func:`read_image` does all of this in
    one call and is usually what you want.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ImageFileError
        If it is not a regular file, cannot be opened, is empty, is not an
        image Pillow recognises or is larger than :data:`MAX_IMAGE_PIXELS`.
    """
    path = _as_path(path)
    file = _open_regular_file(path)
    try:
        return _identify(file, path)
    except BaseException:
        file.close()
        raise


def decode_image(img, path):
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


def convert_mode(img, color_mode):
    """A decoded ``img`` in ``color_mode`` ("rgb", "rgba" or "grayscale") as :func:`load_img` converts it.

    16-bit values are scaled into 0-255 (divided by 257); a palette with
    transparency goes through RGBA.
    """
    return _to_mode(img, _choice("color_mode", color_mode, COLOR_MODES))


def why_not_a_regular_file(path):
    """None if ``path`` is a regular file or a link to one; else why not, in words.

    Examples
    --------
    >>> why_not_a_regular_file("/dev/null")
    'it is a character device, not a regular file'
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "it is a broken symbolic link" if os.path.islink(path) else "there is no such file"
    except OSError as err:
        return _stat_problem(err)
    return _kind_problem(info.st_mode)


def _kind_problem(mode):
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    for test, kind in _NOT_REGULAR:
        if test(mode):
            return f"it is {kind}, not a regular file"
    return "it is not a regular file"


def _stat_problem(err):
    if err.errno == errno.ELOOP:
        return "it is a symbolic link loop (or a chain of links too long to follow)"
    return f"it cannot be examined ({err.strerror})"


def _in_memory(file):
    """``file``'s bytes as a BytesIO when it is at most :data:`_READ_WHOLE_BYTES`, else ``file`` itself.

    Pillow parses and decodes from memory about 10 % faster than through
    many small reads of a file (measured on 256 x 256 JPEGs); a larger file
    is streamed, so that its header is checked before the rest is read.
    """
    if os.fstat(file.fileno()).st_size <= _READ_WHOLE_BYTES:
        return io.BytesIO(file.read())
    return file


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
    _check_regular(path, _stat(path, os.stat))
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


def _stat(path, function):
    try:
        return function(path)
    except FileNotFoundError as err:
        raise FileNotFoundError(errno.ENOENT, "No such image file", str(path)) from err
    except OSError as err:
        raise ImageFileError(path, _stat_problem(err)) from err


def _check_regular(path, info):
    problem = _kind_problem(info.st_mode)
    if problem is not None:
        raise ImageFileError(path, problem + "; only regular files (or symbolic links to them) are read")
    if info.st_size == 0:
        raise ImageFileError(path, "the file is empty (0 bytes)")


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


def resize_like_keras(img, target_size, resample, keep_aspect_ratio=False):
    """Resize to ``target_size`` = (rows, cols) as Keras's ``load_img`` does.

    ``resample`` is a Pillow filter (see ``INTERPOLATIONS``). With
    ``keep_aspect_ratio`` the centre of the image is cropped to the target's
    aspect ratio first, so nothing is squashed.
    """
    width_height = (target_size[1], target_size[0])
    if img.size == width_height:
        return img
    box = _centre_crop_box(img.size, width_height) if keep_aspect_ratio else None
    return img.resize(width_height, resample, box=box)


def _to_mode(img, pillow_mode):
    """``img`` converted to ``pillow_mode``, scaling 16-bit values and keeping palettes' alpha."""
    if img.mode == "I" or img.mode.startswith("I;16"):
        scaled = np.rint(np.asarray(img, dtype=np.float64) / _SIXTEEN_BIT_TO_EIGHT)
        img = Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8))
    elif img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")  # Pillow warns when converting such palettes to RGB
    return img if img.mode == pillow_mode else img.convert(pillow_mode)


def _centre_crop_box(width_height, target_width_height):
    """Keras's centred crop box ``(left, top, right, bottom)`` with the target's aspect ratio."""
    width, height = width_height
    target_width, target_height = target_width_height
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top = (height - crop_height) // 2
    left = (width - crop_width) // 2
    return (left, top, left + crop_width, top + crop_height)


def _stretch_to_0_255(values):
    """Map ``values`` (float32, changed in place) so that min -> 0 and max -> 255."""
    values -= values.min()
    peak = values.max()
    if peak != 0:
        values /= peak
    values *= 255


def _layout_text(data_format):
    return "(rows, cols, channels)" if data_format == "channels_last" else "(channels, rows, cols)"


def writable_format(file_format, *, name="file_format"):
    """The Pillow format that writes ``file_format``; ValueError naming ``name`` otherwise.

    ``file_format`` is a Pillow format name or a file suffix without the dot,
    in any case: ``"png"``, ``"jpeg"``, ``"jpg"``, ``"tif"``, ``"webp"``...
    A format counts as writable only if Pillow, as installed here, encodes a
    one-pixel picture in it (some formats are registered without a writer).

    >>> writable_format("jpg"), writable_format("PNG")
    ('JPEG', 'PNG')
    """
    Image.init()
    pillow_format = None
    if isinstance(file_format, str) and file_format.isalnum():
        upper = file_format.upper()
        pillow_format = _FORMAT_ALIASES.get(upper, upper)
        if pillow_format not in Image.SAVE:
            pillow_format = Image.registered_extensions().get(f".{file_format.lower()}")
    if pillow_format not in Image.SAVE or not _encodes(pillow_format):
        raise ValueError(
            f"{name}={file_format!r} is not a format Pillow can write; "
            "use e.g. 'png', 'jpeg', 'bmp' or 'tiff'"
        )
    return pillow_format


def write_file(path, data, *, overwrite=False):
    """Write ``data`` to ``path`` whole or not at all; never replace a file unless asked.

    The bytes go to a hidden temporary file in the same folder
    (``.{name}.{random}.tmp``), which is then published under ``path``: with
    a hard link, which fails if ``path`` exists, or with ``overwrite=True``
    by :func:`os.replace`. Other programs see either the old file or the new
    one in full, never a partial file; on any failure, including
    ``KeyboardInterrupt``, the temporary file is removed and ``path`` is as it
    was. (Durability against a power cut would need an ``fsync``, which is
    not done.)

    Parameters
    ----------
    path : str or os.PathLike
        Destination file; its folder must exist.
    data : bytes-like
    overwrite : bool
        Replace an existing file (a symbolic link is replaced, not followed).

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is false.
    FileNotFoundError, NotADirectoryError, PermissionError, OSError
        If the folder is missing, is not a folder or cannot be written; the
        message names the folder.
    """
    path = _as_path(path)
    temp, descriptor = _create_temporary(path)
    published = False
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        _publish(temp, path, overwrite)
        published = overwrite  # os.replace moved the temporary file; a link left it behind
    finally:
        if not published:
            _remove_quietly(temp)


def _save_format(path, file_format):
    """The Pillow format name to save ``path`` in, from ``file_format`` or the suffix."""
    Image.init()
    if file_format is not None:
        return writable_format(file_format)
    pillow_format = Image.registered_extensions().get(path.suffix.lower())
    if pillow_format is None:
        raise ValueError(
            f"cannot infer an image format from the suffix {path.suffix!r} of '{path}'; "
            "use a suffix such as .png or .jpg, or pass file_format='png'"
        )
    if pillow_format not in Image.SAVE or not _encodes(pillow_format):
        raise ValueError(
            f"cannot save '{path}': Pillow reads {path.suffix!r} files ({pillow_format}) but cannot "
            "write them; use a suffix such as .png or .jpg, or pass file_format='png'"
        )
    return pillow_format


def _encodes(pillow_format):
    """Whether Pillow really writes ``pillow_format`` (a few formats have a stub writer)."""
    if pillow_format not in _ENCODES:
        try:
            Image.new("RGB", (1, 1)).save(io.BytesIO(), format=pillow_format)
            _ENCODES[pillow_format] = True
        except (OSError, ValueError, KeyError):
            _ENCODES[pillow_format] = False
    return _ENCODES[pillow_format]


_ENCODES = {}  # Pillow format name -> whether it encodes a 1x1 RGB picture


def _create_temporary(path):
    """A new hidden file beside ``path``: ``(temporary path, open descriptor)``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = path.with_name(f".{path.name[:64]}.{os.urandom(6).hex()}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue  # a 48-bit random name taken: try another
        except OSError as err:
            raise _folder_error(err, path) from err


def _publish(temp, path, overwrite):
    """Give the finished file ``temp`` the name ``path`` in one step."""
    if overwrite:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Cannot save: a folder has this name", str(path))
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)
    except FileExistsError as err:
        raise FileExistsError(
            errno.EEXIST, "Refusing to overwrite an existing file (pass overwrite=True)", str(path)
        ) from err
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise _folder_error(err, path) from err
        _publish_without_links(temp, path)


#: errno values of file systems without hard links (FAT, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}


def _publish_without_links(temp, path):
    """Claim ``path`` with an empty ``O_EXCL`` file, then move ``temp`` over it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError as err:
        raise FileExistsError(
            errno.EEXIST, "Refusing to overwrite an existing file (pass overwrite=True)", str(path)
        ) from err
    try:
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(path)  # the empty file this call created, nothing else
        raise


def _folder_error(err, path):
    """``err`` (an OSError writing beside ``path``) with a message naming the folder."""
    folder = path.parent
    if isinstance(err, FileNotFoundError):
        problem = f"Cannot save: the folder '{folder}' does not exist"
    elif isinstance(err, NotADirectoryError):
        problem = f"Cannot save: '{folder}' is not a folder"
    elif isinstance(err, PermissionError):
        problem = f"Cannot save: no permission to write in the folder '{folder}'"
    else:
        problem = f"Cannot save in the folder '{folder}': {err.strerror or err}"
    return type(err)(err.errno, problem, str(path))


def _remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass
