"""The checks every iterator makes of its arguments when it is made.

``batch_size``, ``workers`` and indices are ints of at least a minimum;
``subset`` names one of Keras's two parts and needs a ``validation_split``;
``save_to_dir``, ``save_prefix`` and ``save_format`` must name files inside
an existing, writable folder. Each error names the argument, the value and
what is accepted.
"""

import numbers
import os

from augkit.image_io import writable_format

__all__ = ["SUBSETS", "check_int", "check_save_args", "check_subset", "default_workers"]

SUBSETS = ("training", "validation")

#: Longest ``save_prefix`` (bytes): with ``_{index}_{number}.{format}`` a name stays under 255.
MAX_PREFIX_BYTES = 200

#: What ``save_prefix`` may be, for error messages.
PREFIX_RULE = ("a plain file-name prefix such as 'aug' or '' (no '/', '\\\\', '..' or NUL; not absolute; "
               f"at most {MAX_PREFIX_BYTES} bytes), so files stay inside save_to_dir")


def check_int(value, name, minimum):
    """``value`` as an int if it is one (not a bool) and at least ``minimum``; else a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} must be an int >= {minimum}; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}={value!r} must be an int >= {minimum}")
    return int(value)


def default_workers():
    """The number of cores this process may run on (the default ``workers``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def check_subset(subset, generator):
    """Keras's ``(start, stop)`` fractions for ``subset`` (None = everything)."""
    if subset is None:
        return None
    if subset not in SUBSETS:
        raise ValueError(f"subset={subset!r} is not supported; use 'training', 'validation' or None")
    split = generator.validation_split
    if split == 0:
        raise ValueError(f"subset={subset!r} needs a validation_split > 0 in the ImageDataGenerator "
                         "(it is 0, so there is nothing to split)")
    return (0.0, split) if subset == "validation" else (split, 1.0)


def check_save_args(save_to_dir, save_prefix, save_format):
    """Validate ``save_to_dir``, ``save_prefix`` and ``save_format``; the folder as a str.

    ``save_to_dir`` must be an existing, writable folder; ``save_prefix`` a
    plain name fragment, so that ``{save_prefix}_{index}_{number}.{save_format}``
    always names a file inside ``save_to_dir``; ``save_format`` a format
    Pillow writes. Nothing is checked when ``save_to_dir`` is None (nothing
    is saved).
    """
    if save_to_dir is None:
        return None
    if not isinstance(save_to_dir, (str, os.PathLike)):
        raise TypeError(f"save_to_dir must be None, a str or a Path; got {save_to_dir!r}")
    folder = os.fspath(save_to_dir)
    if isinstance(folder, bytes):
        raise TypeError(f"save_to_dir must be None, a str or a Path; got bytes {folder!r}")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise NotADirectoryError(f"save_to_dir='{folder}' is a file, not a folder; give the folder "
                                 "to save augmented images in")
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"save_to_dir='{folder}' is not an existing folder; create it first, e.g. "
            "Path(save_to_dir).mkdir(parents=True) (augkit, like Keras, creates no folders)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"save_to_dir='{folder}' is a folder you cannot write in; "
                              "give a folder you own or change its permissions")
    _check_save_prefix(save_prefix)
    writable_format(save_format, name="save_format")  # letters and digits only: a safe suffix
    return folder


def _check_save_prefix(save_prefix):
    """``save_prefix`` must keep every saved name inside ``save_to_dir``."""
    if not isinstance(save_prefix, str):
        raise TypeError(f"save_prefix must be a str; got {save_prefix!r}; use {PREFIX_RULE}")
    try:
        size = len(os.fsencode(save_prefix))
    except UnicodeError:
        size = None
    escapes = ("/" in save_prefix or "\\" in save_prefix or ".." in save_prefix or "\0" in save_prefix
               or os.path.isabs(save_prefix) or ":" in save_prefix[1:2])  # "C:x" names a Windows drive
    if escapes or size is None or size > MAX_PREFIX_BYTES:
        raise ValueError(f"save_prefix={save_prefix!r} is not accepted; use {PREFIX_RULE}")
