"""Walking folders: one "is an image" rule, one walker, the checks of paths and folders.

:func:`is_image_name` (the suffix rule), :func:`why_not_a_regular_file`,
:func:`walk_image_files` (a tree, in Keras's order), :func:`list_images`
(one folder) and the folder checks :func:`listdir` and
:func:`existing_folder`. :mod:`augkit.files` builds class discovery, the
split and pairing on them and re-exports these names. Nothing here opens a
file. Every error names the file or folder concerned.
"""

import errno
import os
import stat
import warnings
from pathlib import Path

__all__ = ["IMAGE_EXTENSIONS", "as_path", "existing_folder", "is_image_name", "kind_problem", "list_images",
           "listdir", "stat_problem", "walk_image_files", "why_not_a_regular_file"]

#: File suffixes (lower case, with the dot) of the files augkit looks for,
#: compared case-insensitively; the same formats as Keras's directory iterators.
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".tif", ".tiff")

_NOT_REGULAR = (  # what a path is, when it is neither a folder nor a regular file
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def is_image_name(name):
    """Whether the file name (or path) ``name`` ends in one of :data:`IMAGE_EXTENSIONS`, in any case.

    This is the only suffix rule augkit applies when it looks for images
    (Keras's: a hidden file called ``.png`` counts too).

    >>> is_image_name("cat.JPG"), is_image_name("notes.txt"), is_image_name("a/b.tiff")
    (True, False, True)
    """
    return os.fspath(name).lower().endswith(IMAGE_EXTENSIONS)


def as_path(path, name="path"):
    """``path`` as a :class:`pathlib.Path`; TypeError naming ``name`` otherwise."""
    if isinstance(path, (str, os.PathLike)):
        return Path(path)
    raise TypeError(f"{name} must be a str or os.PathLike, got {type(path).__name__}: {path!r}")


# --- what kind of file ------------------------------------------------------------

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
        return stat_problem(err)
    return kind_problem(info.st_mode)


def kind_problem(mode):
    """None for a regular file's ``st_mode``; else what the file is, in words."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    for test, kind in _NOT_REGULAR:
        if test(mode):
            return f"it is {kind}, not a regular file"
    return "it is not a regular file"


def stat_problem(err):
    """Why ``os.stat`` failed with ``err`` (not FileNotFoundError), in words."""
    if err.errno == errno.ELOOP:
        return "it is a symbolic link loop (or a chain of links too long to follow)"
    return f"it cannot be examined ({err.strerror})"


# --- walking ---------------------------------------------------------------------

def walk_image_files(folder, follow_links=False):
    """Image files under ``folder`` (subfolders included), in Keras's order.

    Keras sorts the folders of the walk by their path *string* and lists each
    folder's own files sorted by name, so a folder's own files come before
    those of its subfolders, and ``a b/`` (space) sorts before ``a/x/``.

    Parameters
    ----------
    folder : str
    follow_links : bool
        Descend into symbolic links to folders. A folder reached a second time
        (a symlink loop, or two links to one folder) is not walked again;
        Keras would walk a loop ~40 levels deep. Links to files are always
        listed, as in Keras. Entries with an image suffix that are not
        regular files (broken links, link loops, FIFOs, devices, sockets)
        are skipped with a warning naming them and saying what they are.

    Returns
    -------
    list of (str, str)
        ``(folder path, file name)`` pairs.

    Raises
    ------
    PermissionError, OSError
        Naming the folder, if ``folder`` or any folder below it cannot be
        listed. Keras (``os.walk``'s default) skips such a folder and its
        images without a word.
    """
    walked = []
    seen = set()
    for root, dirnames, filenames in os.walk(folder, onerror=_refuse_unlistable, followlinks=follow_links):
        dirnames.sort()
        identity = _folder_identity(root)
        if identity in seen:
            dirnames[:] = []
            continue
        seen.add(identity)
        walked.append((root, filenames))
    found = []
    for root, filenames in sorted(walked, key=lambda pair: pair[0]):
        for name in sorted(filenames):
            if not is_image_name(name):
                continue
            problem = why_not_a_regular_file(os.path.join(root, name))
            if problem is not None:
                warnings.warn(f"skipping '{os.path.join(root, name)}': {problem}", stacklevel=3)
                continue
            found.append((root, name))
    return found


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
        Files whose name ends, in any case, in one of :data:`IMAGE_EXTENSIONS`
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
    directory = as_path(directory, "directory")
    if not directory.exists():
        raise FileNotFoundError(errno.ENOENT, "No such folder", str(directory))
    if not directory.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "Not a folder", str(directory))
    found = []
    for entry in directory.iterdir():
        if not is_image_name(entry.name) or (entry.is_symlink() and not follow_links):
            continue
        problem = why_not_a_regular_file(entry)
        if problem is None:
            found.append(entry)
        elif entry.exists() and not entry.is_dir():  # broken links and loops do not exist
            warnings.warn(f"list_images skips '{entry}': {problem}", stacklevel=2)
    return sorted(found)


def listdir(folder):
    try:
        return os.listdir(folder)
    except OSError as err:
        _refuse_unlistable(err)


def _refuse_unlistable(err):
    """``os.walk``'s ``onerror``: stop, naming the folder, instead of skipping it silently."""
    raise type(err)(err.errno, f"Cannot list this folder ({err.strerror}), so its images cannot be "
                    "found; augkit stops rather than skip them silently. Fix its permissions or move "
                    "it out of the tree", err.filename) from err


def _folder_identity(path):
    try:
        info = os.stat(path)
    except OSError:
        return path
    return (info.st_dev, info.st_ino)


def existing_folder(directory):
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"directory must be a str or os.PathLike, got {type(directory).__name__}: "
                        f"{directory!r}")
    folder = os.fspath(directory)
    if not os.path.exists(folder):
        raise FileNotFoundError(errno.ENOENT, "No such folder", folder)
    if not os.path.isdir(folder):
        raise NotADirectoryError(errno.ENOTDIR, "Not a folder (flow_from_directory needs the folder "
                                 "that holds one subfolder per class)", folder)
    return folder


# --- classes, the split, pairs -------------------------------------------------------
