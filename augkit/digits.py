"""Digits 0-9 drawn from the fonts that matplotlib ships: a tiny data set made offline.

Nothing is downloaded: the glyphs come from the TrueType files in matplotlib's
own data folder (DejaVu, STIX, Computer Modern; ``matplotlib.get_data_path()``),
not from the system's fonts, and are drawn by Pillow's FreeType renderer.
Every digit is upright, centred and scaled to the same height, so the set has
exactly the variation that augmentation adds none of; notebook 19 trains on it
and tests on the same digits moved and turned.
"""

from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ["DIGIT_FONTS", "render_digits"]

#: Fonts accepted by :func:`render_digits`: files in matplotlib's
#: ``fonts/ttf`` folder (``matplotlib.get_data_path()``), so the same glyphs
#: on every machine whatever fonts the system has.
DIGIT_FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "STIXGeneral.ttf",
    "STIXGeneralBol.ttf",
    "cmr10.ttf",
    "cmss10.ttf",
    "cmtt10.ttf",
    "cmb10.ttf",
)

_DRAW_PX = 96  # glyphs are drawn this tall, cropped to their ink, then shrunk


def render_digits(size=28, *, fonts=DIGIT_FONTS[:1], height=0.7):
    """Draw the digits 0-9, upright and centred, in fonts that matplotlib ships.

    Parameters
    ----------
    size : int, default 28
        Side of the square images in pixels, at least 8.
    fonts : sequence of str, default ``DIGIT_FONTS[:1]``
        File names from :data:`DIGIT_FONTS` (``"DejaVuSans.ttf"`` alone by
        default). The images come font by font, each with the digits 0 to 9.
    height : float, default 0.7
        Height of every digit's ink as a fraction of ``size``, in (0, 1]; the
        width follows the glyph's own proportions (at most ``size``).

    Returns
    -------
    images : numpy.ndarray
        float32 array of shape ``(10 * len(fonts), size, size, 1)``, white
        ink (up to 1.0) on black (0.0), channels last as Keras expects.
    labels : numpy.ndarray
        int64 array of the digits, ``[0, 1, ..., 9, 0, 1, ...]``.

    Raises
    ------
    ValueError
        If ``size``, ``height`` or a font is not one of those accepted.

    Notes
    -----
    The output depends only on the arguments, the font files and Pillow's
    renderer: no randomness. Each glyph is drawn 96 px tall, cropped to its
    ink, resized (Lanczos) so that the ink is ``round(height * size)`` px tall
    and pasted with the centre of its box at the centre of the image.

    Examples
    --------
    >>> images, labels = render_digits(12)
    >>> images.shape, images.dtype, labels.tolist()
    ((10, 12, 12, 1), dtype('float32'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> print((images[1, :, :, 0] > 0.5).astype(int))  # a "1", upright and centred
    [[0 0 0 0 0 0 0 0 0 0 0 0]
     [0 0 0 0 0 0 0 0 0 0 0 0]
     [0 0 0 1 1 1 0 0 0 0 0 0]
     [0 0 0 0 0 1 0 0 0 0 0 0]
     [0 0 0 0 0 1 0 0 0 0 0 0]
     [0 0 0 0 0 1 0 0 0 0 0 0]
     [0 0 0 0 0 1 0 0 0 0 0 0]
     [0 0 0 0 0 1 0 0 0 0 0 0]
     [0 0 0 0 0 1 0 0 0 0 0 0]
     [0 0 0 1 1 1 1 1 0 0 0 0]
     [0 0 0 0 0 0 0 0 0 0 0 0]
     [0 0 0 0 0 0 0 0 0 0 0 0]]
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 8:
        raise ValueError(f"size must be an int of at least 8 (pixels); got {size!r}")
    if isinstance(height, bool) or not isinstance(height, (int, float)) or not 0 < height <= 1:  # NaN fails too
        raise ValueError(f"height must be a number in (0, 1] (a fraction of size); got {height!r}")
    fonts = [fonts] if isinstance(fonts, str) else list(fonts)
    unknown = [font for font in fonts if font not in DIGIT_FONTS]
    if unknown or not fonts:
        raise ValueError(f"fonts must be a non-empty sequence of entries of augkit.digits.DIGIT_FONTS "
                         f"{list(DIGIT_FONTS)}; got {unknown if unknown else fonts!r}")
    ink_rows = max(1, round(height * size))
    images = np.stack([_digit(str(digit), _font_file(font), size, ink_rows)
                       for font in fonts for digit in range(10)])
    return images[..., np.newaxis], np.tile(np.arange(10, dtype=np.int64), len(fonts))


def _font_file(font):
    """Path of a font of :data:`DIGIT_FONTS` inside matplotlib's data folder."""
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / font
    if not path.is_file():
        raise FileNotFoundError(f"matplotlib does not ship the font {font}: {path} is missing")
    return path


def _digit(text, font_path, size, ink_rows):
    """One glyph as a float32 ``(size, size)`` array, its ink ``ink_rows`` tall and centred."""
    font = ImageFont.truetype(str(font_path), _DRAW_PX)
    canvas = Image.new("L", (3 * _DRAW_PX, 3 * _DRAW_PX), 0)
    ImageDraw.Draw(canvas).text((_DRAW_PX, _DRAW_PX // 2), text, fill=255, font=font)
    glyph = canvas.crop(canvas.getbbox())
    cols = min(size, max(1, round(glyph.width * ink_rows / glyph.height)))
    glyph = glyph.resize((cols, ink_rows), Image.Resampling.LANCZOS)
    image = Image.new("L", (size, size), 0)
    image.paste(glyph, ((size - cols) // 2, (size - ink_rows) // 2))
    return np.asarray(image, dtype=np.float32) / 255
