"""Writing files: which formats Pillow writes, and a file written whole or not at all.

:func:`write_file` is how augkit writes every file (``save_img``, the
iterators' ``save_to_dir``, the command line's grid): the bytes go to a
hidden temporary file beside the destination, which is then published
under its name in one step, never replacing a file unless asked.
:func:`writable_format` and :func:`save_format` decide the Pillow format
from a name or a suffix, refusing formats Pillow reads but cannot write.
"""

import errno
import io
import os

from PIL import Image

from augkit.files import as_path

__all__ = ["save_format", "writable_format", "write_file"]

_FORMAT_ALIASES = {"JPG": "JPEG", "TIF": "TIFF"}


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
    path = as_path(path)
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


def save_format(path, file_format=None):
    """The Pillow format name to save ``path`` in, from ``file_format`` or the suffix.

    >>> save_format("photo.JPG"), save_format("photo.data", "png")
    ('JPEG', 'PNG')
    """
    Image.init()
    path = as_path(path)
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
