"""What a request must stay within to be computable: memory, seeds.

Checked where the argument is given (the constructor, ``fit``, ``flow``,
``sample_params``), so that a size no machine can hold or a seed numpy will
refuse fails at once, with the argument's name, instead of as a
``MemoryError`` or a numpy message deep inside a batch.

Examples
--------
>>> check_seed(7, legacy=True)
7
>>> format_bytes(3 * 2**40)
'3.00 TiB'
"""

import numbers
import os

import numpy as np

#: The largest seed numpy's legacy ``RandomState`` (Keras's stream) accepts.
LEGACY_SEED_MAX = 2**32 - 1


def physical_memory():
    """This machine's physical memory in bytes, or None where it cannot be read."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def format_bytes(n_bytes):
    """``n_bytes`` in binary units, e.g. ``'2.79 TiB'``."""
    value = float(n_bytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if value < 1024 or unit == "EiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.2f} {unit}"
        value /= 1024


def check_memory(n_bytes, what):
    """Raise ValueError if ``n_bytes`` is more than this machine's physical memory.

    ``what`` names the argument and the array, e.g. ``"batch_size=10**9
    (a batch of 10**9 images of shape (8, 8, 3), float32)"``. Nothing is
    allocated: the check runs before the array is made.
    """
    available = physical_memory()
    if available is not None and n_bytes > available:
        raise ValueError(f"{what} would need {format_bytes(n_bytes)} of memory; this machine has "
                         f"{format_bytes(available)}. Use a smaller value")


def check_seed(seed, *, legacy, name="seed", generator_ok=False):
    """A validated seed: None, or an int numpy accepts for this random stream.

    ``legacy`` (a ``compat`` mode, numpy's ``RandomState``): an int from 0 to
    2**32 - 1, as ``np.random.seed`` accepts. Otherwise (``default_rng`` /
    ``SeedSequence``): any int >= 0 (no upper limit), or, where
    ``generator_ok``, a ``numpy.random.Generator``. ``bool`` is refused
    everywhere (numpy would take ``True`` as the seed 1).
    """
    if seed is None:
        return None
    if generator_ok and not legacy and isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        accepted = ("an int from 0 to 2**32 - 1 (numpy's legacy RandomState, Keras's stream)" if legacy
                    else "a non-negative int" + (" or a numpy.random.Generator" if generator_ok else ""))
        raise TypeError(f"{name}={seed!r} must be None or {accepted}")
    seed = int(seed)
    if legacy and not 0 <= seed <= LEGACY_SEED_MAX:
        raise ValueError(f"{name}={seed} is outside what numpy's legacy RandomState accepts in the compat "
                         "modes (Keras's stream): use an int from 0 to 2**32 - 1 = 4294967295")
    if seed < 0:
        raise ValueError(f"{name}={seed} must be a non-negative int (numpy.random.default_rng refuses "
                         "negative seeds)")
    return seed


#: The most pictures a plotting or widget grid draws (more are unreadable and slow to draw).
MAX_GRID_PICTURES = 100


def check_count(value, name, largest, why):
    """``value`` as an int from 1 to ``largest``; TypeError for a non-int, ValueError outside."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}={value!r} must be an int from 1 to {largest}")
    if not 1 <= value <= largest:
        raise ValueError(f"{name}={value!r} must be an int from 1 to {largest} ({why})")
    return int(value)
