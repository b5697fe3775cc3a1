"""Finding the images an iterator serves, and loading them, as Keras does.

* :func:`find_classes` and :func:`list_class_files` discover a
  ``flow_from_directory`` tree: one subfolder per class, each walked with its
  own subfolders, in exactly Keras's order (see :func:`walk_image_files`).
* :func:`split_range` is Keras's ``validation_split`` rule: the *first*
  ``int(v * n)`` files of each class are the validation subset.
* :func:`load_file` decodes one file for a batch: through
  :func:`augkit.image_io.load_img` (plus Pillow's JPEG ``draft`` shortcut)
  in the default mode, and by Keras's own steps in the compat modes, so that
  their batches match Keras's pixel for pixel.

Every error names the file or folder concerned.
"""

import errno
import os
import warnings

import numpy as np

from augkit.image_io import (
    COLOR_MODES,
    IMAGE_EXTENSIONS,
    INTERPOLATIONS,
    ImageFileError,
    convert_mode,
    read_image,
    resize_like_keras,
    why_not_a_regular_file,
)

__all__ = ["find_classes", "list_class_files", "listed_file_gone", "load_file", "split_range",
           "walk_image_files"]


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
            if not name.lower().endswith(IMAGE_EXTENSIONS):
                continue
            problem = why_not_a_regular_file(os.path.join(root, name))
            if problem is not None:
                warnings.warn(f"skipping '{os.path.join(root, name)}': {problem}", stacklevel=3)
                continue
            found.append((root, name))
    return found


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

    * a name in ``classes`` without a folder: Keras keeps its index (and a
      one-hot column) but finds no image for it, so a typo silently becomes
      an empty class;
    * a name given twice: Keras serves that folder's images once per
      mention, all labelled with the index of its last mention.

    Every call Keras serves correctly (each name once, each an existing
    subfolder, in any order) works the same here.
    """
    folder = _existing_folder(directory)
    names = _listdir(folder)
    subfolders = sorted(name for name in names if os.path.isdir(os.path.join(folder, name)))
    if classes:
        return _checked_classes(classes, folder, subfolders)
    if subfolders:
        return subfolders
    loose = [name for name in names if name.lower().endswith(IMAGE_EXTENSIONS)]
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


def _keras_convert(img, color_mode):
    """Keras's ``load_img`` mode rule (16-bit grey stays 16-bit, as in Keras)."""
    if color_mode == "grayscale":
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    target = COLOR_MODES[color_mode]
    return img if img.mode == target else img.convert(target)


def load_file(path, color_mode, target_size, interpolation, keep_aspect_ratio, data_format,
              keras_exact):
    """One image file as an array in ``data_format``, of the file's own integer dtype.

    The caller converts it (to float32 for a batch), which gives exactly
    Keras's ``img_to_array`` values. ``keras_exact=True`` follows Keras's
    ``load_img`` step by step (full decode, Keras's mode conversion -
    16-bit grey stays 16-bit - and ``resize``). Otherwise files are decoded
    as :func:`augkit.image_io.load_img` decodes them, except that a JPEG at
    least twice the target size in both directions is first decoded at
    reduced scale with Pillow's ``draft`` (much faster; pixels differ
    slightly from a full decode followed by the resize). Each file is opened
    once.

    Raises
    ------
    ImageFileError
        Naming the file, if it is not a regular file, empty, not an image,
        too large (:data:`augkit.image_io.MAX_IMAGE_PIXELS`), truncated or
        corrupt, or no longer exists (:func:`listed_file_gone`).
    """
    try:
        if keras_exact:
            img = _keras_convert(read_image(path), color_mode)
        else:
            img = convert_mode(read_image(path, prepare=_jpeg_draft(color_mode, target_size)), color_mode)
    except FileNotFoundError as err:
        raise listed_file_gone(path) from err
    img = resize_like_keras(img, target_size, INTERPOLATIONS[interpolation], keep_aspect_ratio)
    pixels = np.asarray(img)
    if pixels.ndim == 2:
        pixels = pixels[:, :, np.newaxis]
    return pixels.transpose(2, 0, 1) if data_format == "channels_first" else pixels


def listed_file_gone(path):
    """The error for a file that an iterator listed but that no longer exists when its batch is built."""
    return ImageFileError(path, "the file is gone: it is in the iterator's file list, but nothing "
                                "exists at this path now (moved or deleted after the list was made?)")


def _jpeg_draft(color_mode, target_size):
    """A ``prepare`` step for :func:`augkit.image_io.read_image`: Pillow's reduced-size JPEG decode."""
    def prepare(img):
        width, height = img.size
        if img.format == "JPEG" and width >= 2 * target_size[1] and height >= 2 * target_size[0]:
            img.draft(COLOR_MODES[color_mode], (target_size[1], target_size[0]))
    return prepare
