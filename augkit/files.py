"""Finding image files: one "is an image" rule, one walker, classes, the split, pairs by stem.

Everything in augkit that looks for images asks this module: :func:`is_image_name`
(the suffix rule), :func:`why_not_a_regular_file`, :func:`walk_image_files` (a
tree, in Keras's order), :func:`list_images` (one folder), :func:`find_classes`
and :func:`list_class_files` (a ``flow_from_directory`` tree), :func:`split_range`
(Keras's ``validation_split`` rule) and :func:`pair_files` (images with masks, by
their path without suffix). Nothing here opens a file: decoding is
:mod:`augkit.decode`'s job. Every error names the file or folder concerned.
"""

import errno
import os
import stat
import warnings
from pathlib import Path

import numpy as np

__all__ = ["IMAGE_EXTENSIONS", "find_classes", "is_image_name", "list_class_files", "list_images",
           "pair_files", "split_range", "walk_image_files", "why_not_a_regular_file"]

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


def _listdir(folder):
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


def _existing_folder(directory):
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

def find_classes(directory, classes=None, class_mode="categorical"):
    """The class names of a ``flow_from_directory`` tree, in Keras's order.

    Parameters
    ----------
    directory : str or os.PathLike
    classes : list of str, optional
        Class folder names to use, in this order. By default every subfolder,
        sorted by name (hidden ones such as ``.ipynb_checkpoints`` included,
        as in Keras).
    class_mode : str or None
        Only used to explain a tree without subfolders.

    Returns
    -------
    list of str
        Class names; empty when ``class_mode`` is None and the images lie
        directly in ``directory`` (augkit reads them; Keras finds nothing).

    Raises
    ------
    FileNotFoundError, NotADirectoryError
        If ``directory`` is missing or a file.
    TypeError
        If ``classes`` is a string or holds anything but strings.
    ValueError
        If a name in ``classes`` is not a subfolder or is given twice, or
        there are no subfolders and a labelled ``class_mode`` was asked for.

    Notes
    -----
    augkit is stricter than Keras 3 (``keras.src.legacy.preprocessing.image.
    DirectoryIterator``) here, where Keras gives wrong data without a word:
    a name in ``classes`` without a folder (Keras keeps its index and a
    one-hot column, so a typo silently becomes an empty class), and a name
    given twice (Keras serves that folder's images once per mention, all
    labelled with the index of its last mention). Every call Keras serves
    correctly works the same here.
    """
    folder = _existing_folder(directory)
    names = _listdir(folder)
    subfolders = sorted(name for name in names if os.path.isdir(os.path.join(folder, name)))
    if classes:
        return _checked_classes(classes, folder, subfolders)
    if subfolders:
        return subfolders
    loose = [name for name in names if is_image_name(name)]
    if loose and class_mode is None:
        return []
    if loose:
        raise ValueError(
            f"'{folder}' holds {len(loose)} image(s) but no subfolders. flow_from_directory reads one "
            f"subfolder per class (e.g. '{folder}{os.sep}cats{os.sep}'); move the images into class "
            "folders, or pass class_mode=None to read them unlabelled (Keras would find 0 images here)")
    raise ValueError(f"'{folder}' holds no class subfolders and no images")


def _checked_classes(classes, folder, subfolders):
    if isinstance(classes, str):
        raise TypeError(f"classes must be a list of folder names, not the string {classes!r}")
    names = list(classes)
    wrong_types = [name for name in names if not isinstance(name, str)]
    if wrong_types:
        raise TypeError(f"classes must hold folder names (str); got {wrong_types} in classes={names!r}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"classes={names!r} names {repeated} more than once; give each class folder "
                         "once (Keras would serve its images once per mention, all with one label)")
    missing = [name for name in names if name not in subfolders]
    if missing:
        raise ValueError(f"classes {missing} are not subfolders of '{folder}'; its subfolders are "
                         f"{subfolders}. Each name in classes must be one of them (Keras would keep "
                         "such a class with no images)")
    return names


def split_range(num_files, split):
    """Keras's ``(start, stop)`` of one class's files for ``split`` (None = all).

    ``split`` is ``(0, v)`` for the validation subset and ``(v, 1)`` for
    training, ``v`` being ``validation_split``: validation takes the first
    ``int(v * n)`` files, training the rest, so the two never overlap.

    Examples
    --------
    >>> split_range(10, (0, 0.25)), split_range(10, (0.25, 1))
    ((0, 2), (2, 10))
    """
    if split is None:
        return 0, num_files
    return int(split[0] * num_files), int(split[1] * num_files)


def list_class_files(directory, classes, split=None, follow_links=False):
    """Relative file names and class indices of a tree, in Keras's order.

    Returns
    -------
    filenames : list of str
        ``class_name/...`` relative to ``directory`` (just the file name for
        images read from the top level when ``classes`` is empty).
    labels : numpy.ndarray of int32
        The class index of each file.
    """
    folder = _existing_folder(directory)
    filenames, labels = [], []
    if not classes:  # unlabelled images directly in the folder (class_mode=None)
        files = [(root, name) for root, name in walk_image_files(folder, follow_links) if root == folder]
        start, stop = split_range(len(files), split)
        return [name for _, name in files[start:stop]], np.zeros(stop - start, dtype=np.int32)
    for index, name in enumerate(classes):
        class_folder = os.path.join(folder, name)
        files = walk_image_files(class_folder, follow_links)
        if not files:
            warnings.warn(f"class folder '{class_folder}' holds no images", stacklevel=3)
        start, stop = split_range(len(files), split)
        for root, file_name in files[start:stop]:
            filenames.append(os.path.join(name, os.path.relpath(os.path.join(root, file_name),
                                                                class_folder)))
            labels.append(index)
    return filenames, np.asarray(labels, dtype=np.int32)


def pair_files(image_directory, mask_directory, follow_links=False):
    """Image and mask files paired by their path without suffix (``all/shape_000``), sorted.

    Returns
    -------
    list of (str, str)
        ``(image file, mask file)`` relative to their folders.

    Raises
    ------
    ValueError
        Naming every image without a mask and every mask without an image.
    """
    images, masks = _stems(image_directory, follow_links), _stems(mask_directory, follow_links)
    if not images:
        raise ValueError(f"found no images under '{os.fspath(image_directory)}' (accepted suffixes "
                         f"{', '.join(IMAGE_EXTENSIONS)})")
    lonely_images = sorted(images[key] for key in images.keys() - masks.keys())
    lonely_masks = sorted(masks[key] for key in masks.keys() - images.keys())
    if lonely_images or lonely_masks:
        problems = []
        if lonely_images:
            problems.append(f"{len(lonely_images)} image(s) in '{os.fspath(image_directory)}' have no mask: "
                            f"{_listing(lonely_images)}")
        if lonely_masks:
            problems.append(f"{len(lonely_masks)} mask(s) in '{os.fspath(mask_directory)}' have no image: "
                            f"{_listing(lonely_masks)}")
        raise ValueError("; ".join(problems) + ". Images and masks are paired by file name without "
                         "suffix (subfolders included)")
    return [(images[key], masks[key]) for key in sorted(images)]


def _stems(directory, follow_links):
    """``{relative path without suffix: relative path}`` of the image files under ``directory``."""
    folder = os.fspath(directory)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"no such folder: '{folder}'")
    found = {}
    for root, name in walk_image_files(folder, follow_links):
        relative = os.path.relpath(os.path.join(root, name), folder)
        key = os.path.splitext(relative)[0]
        if key in found:
            raise ValueError(f"two files in '{folder}' have the stem '{key}': '{found[key]}' and "
                             f"'{relative}'; keep one per image so that masks can be paired by name")
        found[key] = relative
    return found


def _listing(names, limit=10):
    shown = ", ".join(f"'{name}'" for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
