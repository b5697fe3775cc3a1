"""Offline data for the course: the bundled ``data/`` trees and sample photographs.

Nothing here downloads anything. The folders live in the project's ``data/``
directory (next to the ``augkit`` package in a checkout, which is why augkit is
installed editable with ``pip install -e .``); the photographs are the ones
shipped inside scikit-image's wheel.

=================  ==========================================================
``faces_dir()``    ``train``/``validation`` x ``face``/``nonface``, 25x25 grey
                   PNGs from Labeled Faces in the Wild (``flow_from_directory``
                   layout)
``shapes_dir()``   ``images/all/`` and ``masks/all/``: 64x96 RGB pictures of
                   shapes and their label masks (0 background, 1 circle,
                   2 square, 3 triangle)
``sample_image``   astronaut, chelsea, coffee, rocket, camera
=================  ==========================================================
"""

from pathlib import Path

import skimage.data

__all__ = ["SAMPLE_IMAGES", "data_dir", "faces_dir", "sample_image", "shapes_dir"]

#: Names accepted by :func:`sample_image`.
SAMPLE_IMAGES = ("astronaut", "chelsea", "coffee", "rocket", "camera")

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir():
    """The project's ``data/`` folder.

    Returns
    -------
    pathlib.Path
        Absolute path of ``data/`` in the checkout augkit was installed from.

    Raises
    ------
    FileNotFoundError
        If the folder is not next to the ``augkit`` package, which happens
        when augkit was installed from a wheel rather than from a checkout.

    Examples
    --------
    >>> data_dir().name
    'data'
    """
    if not _DATA_DIR.is_dir():
        raise FileNotFoundError(
            f"augkit's bundled data folder was not found at '{_DATA_DIR}' (looked next to "
            "the augkit package). The data ships with the git checkout, not with the package: "
            "install augkit from a checkout in editable mode (`pip install -e .`, as "
            "`make lab` does)."
        )
    return _DATA_DIR


def faces_dir():
    """``data/faces``: 200 grey 25x25 PNGs in Keras's ``flow_from_directory`` layout.

    ``train/`` and ``validation/`` each hold one folder per class, ``face/`` and
    ``nonface/`` (80 and 20 images per class). See ``data/README.md``.

    Examples
    --------
    >>> sorted(p.name for p in (faces_dir() / "train").iterdir())
    ['face', 'nonface']
    """
    return _existing(data_dir() / "faces")


def shapes_dir():
    """``data/shapes``: 64x96 RGB images and their label masks, paired by file name.

    ``images/all/shape_XXX.png`` are pictures; ``masks/all/shape_XXX.png`` are
    8-bit one-channel masks with 0 = background, 1 = circle, 2 = square and
    3 = triangle. The single subfolder ``all/`` is what Keras's
    ``flow_from_directory(..., class_mode=None)`` needs to find the files.

    Examples
    --------
    >>> sorted(p.name for p in shapes_dir().iterdir())
    ['images', 'masks']
    """
    return _existing(data_dir() / "shapes")


def sample_image(name):
    """A photograph from scikit-image's bundled (offline) data, as a uint8 array.

    Parameters
    ----------
    name : {"astronaut", "chelsea", "coffee", "rocket", "camera"}
        ``astronaut`` 512x512 RGB, ``chelsea`` 300x451 RGB (a cat; not
        square), ``coffee`` 400x600 RGB, ``rocket`` 427x640 RGB, ``camera``
        512x512 grey.

    Returns
    -------
    numpy.ndarray
        ``(rows, cols, 3)`` uint8 for colour photographs, ``(rows, cols)``
        uint8 for ``camera``. A new array on every call.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`SAMPLE_IMAGES`.

    Examples
    --------
    >>> cat = sample_image("chelsea")
    >>> cat.shape, cat.dtype
    ((300, 451, 3), dtype('uint8'))
    """
    if not (isinstance(name, str) and name in SAMPLE_IMAGES):
        raise ValueError(
            f"name={name!r} is not a sample image; use one of {', '.join(SAMPLE_IMAGES)}"
        )
    return getattr(skimage.data, name)()


def _existing(folder):
    if not folder.is_dir():
        raise FileNotFoundError(
            f"the bundled folder '{folder}' is missing; regenerate it with the scripts in "
            f"'{folder.parent}' (see its README.md)"
        )
    return folder
