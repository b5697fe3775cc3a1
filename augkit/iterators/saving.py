"""``save_to_dir``: writing each augmented sample of a batch, whole, never overwriting.

A sample is written as ``{save_prefix}_{index}_{number}.{save_format}``
(``index`` its position in the data the iterator serves, ``number`` drawn
from the iterator's stream, as Keras's names are); a paired sample also
writes its mask as ``..._mask.png``. When a name is taken (a notebook run
twice with the same seed), the number goes up until it is free: an
existing file is never overwritten.
"""

import os

import numpy as np

from augkit.image_io import save_img

__all__ = ["Saver"]


class Saver:
    """Writes the samples of batches into ``folder``.

    Parameters
    ----------
    folder : str
        An existing, writable folder (checked by
        :func:`augkit.iterators.arguments.check_save_args`).
    prefix, file_format : str
        ``save_prefix`` and ``save_format``.
    data_format : {"channels_last", "channels_first"}
        The layout of the images given.
    """

    def __init__(self, folder, prefix, file_format, data_format):
        self.folder, self.prefix, self.file_format = folder, prefix, file_format
        self.data_format = data_format

    def save(self, images, index_array, numbers):
        """Write each image as ``{prefix}_{index}_{number}.{format}``, taking the next free number."""
        for image, index, number in zip(images, index_array, numbers):
            while True:
                try:
                    self.write(self.path(index, number), image, self.file_format)
                    break
                except FileExistsError:
                    number += 1  # taken (e.g. a notebook run twice): the next free name

    def save_pairs(self, images, pictures, index_array, numbers):
        """Each image and its mask picture (channels last) under the first number free for both."""
        for image, picture, index, number in zip(images, pictures, index_array, numbers):
            whole_bytes = bool(np.all((picture >= 0) & (picture <= 255) & (picture == np.round(picture))))
            if whole_bytes:
                picture = picture.astype(np.uint8)
            while True:
                try:
                    self._save_pair(index, number, image, picture, scale_mask=not whole_bytes)
                    break
                except FileExistsError:
                    number += 1

    def _save_pair(self, index, number, image, picture, scale_mask):
        """Both files of one sample or neither: the mask claims the number, then the image."""
        mask_path = self.path(index, number, "_mask.png")
        if os.path.lexists(self.path(index, number)):
            raise FileExistsError(self.path(index, number))
        self.write(mask_path, picture, "png", scale=scale_mask, data_format="channels_last")
        try:
            self.write(self.path(index, number), image, self.file_format)
        except BaseException:
            try:
                os.unlink(mask_path)  # written just above by this call: no orphan mask
            except OSError:
                pass
            raise

    def path(self, index, number, suffix=None):
        """``folder/{prefix}_{index}_{number}{suffix}``; ``suffix`` defaults to ``.{format}``."""
        suffix = f".{self.file_format}" if suffix is None else suffix
        return os.path.join(self.folder, f"{self.prefix}_{index}_{number}{suffix}")

    def write(self, path, image, file_format, scale=True, data_format=None):
        """``save_img`` without overwriting; a folder problem is reported as ``save_to_dir``'s."""
        try:
            save_img(path, image, file_format=file_format, scale=scale,
                     data_format=data_format or self.data_format)
        except FileExistsError:
            raise
        except OSError as err:
            raise type(err)(err.errno, f"save_to_dir='{self.folder}': {err.strerror or err} "
                            "(was the folder moved, deleted or made read-only?)", err.filename) from err
