"""Finding image files: one "is an image" rule, one walker, classes, the split, pairs by stem.

Everything in augkit that looks for images asks this module: :func:`is_image_name`
(the suffix rule), :func:`why_not_a_regular_file`, :func:`walk_image_files` (a
tree, in Keras's order), :func:`list_images` (one folder) - these live in
:mod:`augkit.walking` and are importable from here -, :func:`find_classes`
and :func:`list_class_files` (a ``flow_from_directory`` tree), :func:`split_range`
(Keras's ``validation_split`` rule) and :func:`pair_files` (images with masks, by
their path without suffix). Nothing here opens a file: decoding is
:mod:`augkit.decode`'s job. Every error names the file or folder concerned.
"""

import os
import warnings

import numpy as np

from augkit.walking import (  # noqa: F401 - the walker's names, importable from here as before
    IMAGE_EXTENSIONS,
    as_path,
    existing_folder,
    is_image_name,
    kind_problem,
    list_images,
    listdir,
    stat_problem,
    walk_image_files,
    why_not_a_regular_file,
)

__all__ = ["IMAGE_EXTENSIONS", "find_classes", "is_image_name", "list_class_files", "list_images",
           "pair_files", "split_range", "walk_image_files", "why_not_a_regular_file"]


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
    folder = existing_folder(directory)
    names = listdir(folder)
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
    folder = existing_folder(directory)
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
