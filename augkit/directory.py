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
    decode_image,
    load_img,
    open_image,
    resize_like_keras,
)

__all__ = ["find_classes", "list_class_files", "load_file", "split_range", "walk_image_files"]


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
        listed, as in Keras; broken links are skipped with a warning naming
        them.

    Returns
    -------
    list of (str, str)
        ``(folder path, file name)`` pairs.
    """
    walked = []
    seen = set()
    for root, dirnames, filenames in os.walk(folder, followlinks=follow_links):
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
            if not os.path.isfile(os.path.join(root, name)):
                warnings.warn(f"skipping '{os.path.join(root, name)}': a broken link", stacklevel=3)
                continue
            found.append((root, name))
    return found


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
    ValueError
        If a name in ``classes`` is not a subfolder, or there are no
        subfolders and a labelled ``class_mode`` was asked for.
    """
    folder = _existing_folder(directory)
    subfolders = sorted(name for name in os.listdir(folder) if os.path.isdir(os.path.join(folder, name)))
    if classes:
        if isinstance(classes, str):
            raise TypeError(f"classes must be a list of folder names, not the string {classes!r}")
        names = list(classes)
        missing = [name for name in names if name not in subfolders]
        if missing:
            raise ValueError(f"classes {missing} are not subfolders of '{folder}'; "
                             f"its subfolders are {subfolders}")
        return names
    if subfolders:
        return subfolders
    loose = [name for name in os.listdir(folder) if name.lower().endswith(IMAGE_EXTENSIONS)]
    if loose and class_mode is None:
        return []
    if loose:
        raise ValueError(
            f"'{folder}' holds {len(loose)} image(s) but no subfolders. flow_from_directory reads one "
            f"subfolder per class (e.g. '{folder}{os.sep}cats{os.sep}'); move the images into class "
            "folders, or pass class_mode=None to read them unlabelled (Keras would find 0 images here)")
    raise ValueError(f"'{folder}' holds no class subfolders and no images")


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
    16-bit grey stays 16-bit - and ``resize``). Otherwise JPEGs are decoded
    here, first at reduced scale with Pillow's ``draft`` when the file is at
    least twice the target size in both directions (much faster; pixels
    differ slightly from a full decode followed by the resize), and other
    files go through :func:`augkit.image_io.load_img`.

    Raises
    ------
    ImageFileError
        Naming the file, if it is empty, not an image, truncated or corrupt.
    """
    if keras_exact:
        img = decode_image(open_image(path), path)
        img = resize_like_keras(_keras_convert(img, color_mode), target_size, INTERPOLATIONS[interpolation],
                                keep_aspect_ratio)
    else:
        img = open_image(path)
        if img.format != "JPEG":
            img = load_img(path, color_mode=color_mode, target_size=target_size,
                           interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio)
        else:
            width, height = img.size
            if width >= 2 * target_size[1] and height >= 2 * target_size[0]:
                img.draft(COLOR_MODES[color_mode], (target_size[1], target_size[0]))
            img = decode_image(img, path)
            if img.mode != COLOR_MODES[color_mode]:
                img = img.convert(COLOR_MODES[color_mode])
            img = resize_like_keras(img, target_size, INTERPOLATIONS[interpolation], keep_aspect_ratio)
    pixels = np.asarray(img)
    if pixels.ndim == 2:
        pixels = pixels[:, :, np.newaxis]
    return pixels.transpose(2, 0, 1) if data_format == "channels_first" else pixels
