"""Colour modes as data: how a decoded file becomes ``"rgb"``, ``"rgba"`` or ``"grayscale"``, and its size.

Each way is one :class:`DecodeRule`: :data:`LOAD_IMG` (augkit's
``load_img``), :data:`BATCH` (the same with Pillow's JPEG ``draft``
shortcut), :data:`KERAS` (Keras's ``load_img``, for the compat modes) and
:data:`MASK` (labels kept: palette indices, 16-bit values).
:func:`convert_mode` applies a rule and :func:`resize_like_keras` resizes
as Keras does. :mod:`augkit.decode` opens the files and re-exports these
names.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image

__all__ = ["BATCH", "CHANNELS", "COLOR_MODES", "INTERPOLATIONS", "KERAS", "LOAD_IMG", "MASK", "DecodeRule",
           "convert_mode", "jpeg_draft", "resize_like_keras"]

#: ``color_mode`` of :func:`augkit.image_io.load_img` and the Pillow mode each one produces.
COLOR_MODES = {"rgb": "RGB", "rgba": "RGBA", "grayscale": "L"}

#: The number of channels each ``color_mode`` gives.
CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}

#: ``interpolation`` of :func:`augkit.image_io.load_img` and the Pillow filter each one names.
INTERPOLATIONS = {
    "nearest": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
    "box": Image.Resampling.BOX,
    "hamming": Image.Resampling.HAMMING,
}

_SIXTEEN_BIT_TO_EIGHT = 257  # 65535 / 255: maps 0..65535 onto 0..255 exactly


@dataclass(frozen=True)
class DecodeRule:
    """How a decoded file becomes a ``color_mode`` (and whether JPEGs may be decoded small).

    Attributes
    ----------
    name : str
    grey_keeps : tuple of str
        Pillow modes that ``"grayscale"`` keeps as they are; any other mode
        is converted to ``"L"``.
    scale_16_bit : bool
        16-bit images (modes ``"I;16..."`` and ``"I"``) are divided by 257
        and rounded into 0-255 first; otherwise Pillow converts them (which
        clamps at 255).
    palette_alpha_via_rgba : bool
        A palette image with transparency goes through RGBA (Pillow warns
        when such a palette is converted to RGB directly).
    jpeg_draft : bool
        A JPEG at least twice the target size both ways is decoded at
        reduced scale by Pillow's ``draft`` (faster; pixels differ slightly).
    """

    name: str
    grey_keeps: tuple
    scale_16_bit: bool
    palette_alpha_via_rgba: bool
    jpeg_draft: bool = False


#: augkit's ``load_img``: 16-bit scaled into 0-255, palettes' alpha kept.
LOAD_IMG = DecodeRule("load_img", grey_keeps=("L",), scale_16_bit=True, palette_alpha_via_rgba=True)
#: Batches in the default mode: ``load_img``'s rule plus the JPEG ``draft`` shortcut.
BATCH = DecodeRule("batch", grey_keeps=("L",), scale_16_bit=True, palette_alpha_via_rgba=True,
                   jpeg_draft=True)
#: Keras's ``load_img`` step by step (16-bit grey stays 16-bit), for the compat modes.
KERAS = DecodeRule("keras", grey_keeps=("L", "I;16", "I"), scale_16_bit=False, palette_alpha_via_rgba=False)
#: Masks: nothing invented; palette indices and 16-bit labels kept in "grayscale".
MASK = DecodeRule("mask", grey_keeps=("L", "P", "I;16", "I"), scale_16_bit=False,
                  palette_alpha_via_rgba=False)


def convert_mode(img, color_mode, rule=LOAD_IMG):
    """A decoded ``img`` in ``color_mode`` ("rgb", "rgba" or "grayscale") by ``rule``.

    The default rule is :func:`augkit.image_io.load_img`'s: 16-bit values
    are scaled into 0-255 (divided by 257); a palette with transparency
    goes through RGBA.
    """
    if color_mode not in COLOR_MODES:
        raise ValueError(f"color_mode={color_mode!r} is not supported; use one of "
                         f"{', '.join(map(repr, COLOR_MODES))}")
    if rule.scale_16_bit and (img.mode == "I" or img.mode.startswith("I;16")):
        scaled = np.rint(np.asarray(img, dtype=np.float64) / _SIXTEEN_BIT_TO_EIGHT)
        img = Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8))
    elif rule.palette_alpha_via_rgba and img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if color_mode == "grayscale" and img.mode in rule.grey_keeps:
        return img
    pillow_mode = COLOR_MODES[color_mode]
    return img if img.mode == pillow_mode else img.convert(pillow_mode)


def resize_like_keras(img, target_size, resample, keep_aspect_ratio=False):
    """Resize to ``target_size`` = (rows, cols) as Keras's ``load_img`` does.

    ``resample`` is a Pillow filter (see :data:`INTERPOLATIONS`). With
    ``keep_aspect_ratio`` the centre of the image is cropped to the target's
    aspect ratio first, so nothing is squashed.
    """
    width_height = (target_size[1], target_size[0])
    if img.size == width_height:
        return img
    box = _centre_crop_box(img.size, width_height) if keep_aspect_ratio else None
    return img.resize(width_height, resample, box=box)


def _centre_crop_box(width_height, target_width_height):
    """Keras's centred crop box ``(left, top, right, bottom)`` with the target's aspect ratio."""
    width, height = width_height
    target_width, target_height = target_width_height
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top = (height - crop_height) // 2
    left = (width - crop_width) // 2
    return (left, top, left + crop_width, top + crop_height)


def jpeg_draft(img, color_mode, target_size):
    """Pillow's reduced-size decode for a JPEG at least twice ``target_size`` (rows, cols) both ways."""
    width, height = img.size
    if img.format == "JPEG" and width >= 2 * target_size[1] and height >= 2 * target_size[0]:
        img.draft(COLOR_MODES[color_mode], (target_size[1], target_size[0]))
