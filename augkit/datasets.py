"""Offline data for the course: the bundled ``data/`` trees and sample photographs.

Nothing here downloads anything. The folders live in the project's ``data/``
directory, which the wheel carries as ``augkit/data/``: an augkit installed
from a wheel, a git URL or a checkout finds them the same way. The
photographs are the ones shipped inside scikit-image's wheel.

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

import importlib.resources
from pathlib import Path

import skimage.data

__all__ = ["SAMPLE_IMAGES", "data_dir", "faces_dir", "sample_image", "shapes_dir"]

#: Names accepted by :func:`sample_image`.
SAMPLE_IMAGES = ("astronaut", "chelsea", "coffee", "rocket", "camera")

#: Where the data can be, in order: inside the installed package (a wheel puts
#: the checkout's ``data/`` at ``augkit/data/``), then beside the package (a
#: checkout, installed editable as ``make lab`` does).
_DATA_CANDIDATES = (
    Path(str(importlib.resources.files("augkit") / "data")),
    Path(__file__).resolve().parent.parent / "data",
)


def data_dir():
    """The folder of augkit's bundled data.

    Returns
    -------
    pathlib.Path
        ``augkit/data/`` inside an installed wheel, or ``data/`` at the top of
        the checkout augkit was installed from in editable mode.

    Raises
    ------
    FileNotFoundError
        If neither place holds it (an augkit built without its data), naming
        both places.

    Examples
    --------
    >>> (data_dir() / "faces").is_dir()
    True
    """
    for candidate in _DATA_CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "augkit's bundled data folder was not found: looked inside the package at "
        f"'{_DATA_CANDIDATES[0]}' and beside it at '{_DATA_CANDIDATES[1]}'. Reinstall augkit "
        "from a wheel built by `make dist` or `pip install .`, or in editable mode from a "
        "checkout (`make lab`)."
    )


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
