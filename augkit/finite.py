"""Values a kernel cannot take: NaN and inf, and floats too large for the working dtype.

Every kernel of :mod:`augkit.kernels` either *contains* non-finite values
(only the output pixels computed from a NaN or inf are non-finite) or
*refuses* them with a :class:`NonFiniteError` where one NaN would spoil the
whole image; each kernel's docstring says which. The error says where the
values are (:func:`describe_non_finite`), so that a learner can find them.
"""

import numpy as np


class NonFiniteError(ValueError):
    """An operation that would spread one NaN or inf over a whole image refused its input.

    The message names the argument, says where its NaN and inf values are
    (:func:`describe_non_finite`), why the operation refuses them and what it
    accepts. ``operation`` and ``reason`` are kept so that a caller can
    re-raise it about its own argument (:meth:`about`).
    """

    def __init__(self, operation, reason, name, array, axis_names=None):
        self.operation, self.reason = operation, reason
        found = describe_non_finite(array, axis_names) or "non-finite values"
        super().__init__(f"{operation} refuses non-finite data: {name} has {found}; {reason}. "
                         "Only finite values are accepted: replace NaN and inf first "
                         "(e.g. np.nan_to_num, or crop to the valid pixels)")

    def about(self, name, array, axis_names=None):
        """The same refusal, said about ``array`` passed as argument ``name``."""
        return NonFiniteError(self.operation, self.reason, name, array, axis_names)


def describe_non_finite(array, axis_names=None):
    """Where ``array`` holds NaN or inf, in words; an empty string when it is all finite.

    Parameters
    ----------
    array : array_like
    axis_names : sequence of str, optional
        One name per axis; by default ``(row, col)``, ``(row, col, channel)``
        or ``(image, row, col, channel)`` by rank.

    Examples
    --------
    >>> image = np.zeros((4, 6, 3))
    >>> image[3, 5, 0] = np.nan
    >>> describe_non_finite(image)
    '1 NaN value at (row 3, col 5, channel 0)'
    >>> image[:2, 0, 1] = np.inf
    >>> describe_non_finite(image)
    '1 NaN value at (row 3, col 5, channel 0) and 2 infinite values (the first at (row 0, col 0, channel 1))'
    """
    values = np.asarray(array)
    if not np.issubdtype(values.dtype, np.inexact):
        return ""
    if axis_names is None:
        axis_names = {2: ("row", "col"), 3: ("row", "col", "channel"),
                      4: ("image", "row", "col", "channel")}.get(values.ndim, ())
    nan = np.isnan(values)
    parts = []
    for label, where in (("NaN", nan), ("infinite", np.isinf(values))):
        count = int(np.count_nonzero(where))
        if not count:
            continue
        first = np.argwhere(where)[0].tolist()
        if len(axis_names) == len(first):
            at = "(" + ", ".join(f"{name} {index}" for name, index in zip(axis_names, first)) + ")"
        else:
            at = str(tuple(first))
        plural = "s" if count > 1 else ""
        parts.append(f"{count} {label} value{plural} " + (f"at {at}" if count == 1 else f"(the first at {at})"))
    return " and ".join(parts)


def cast_image(x, dtype, *, name="x", copy=False):
    """``x`` as an array of the float ``dtype``; values beyond its range are refused.

    An integer ``dtype`` (uint8, the OpenCV backend's) takes only arrays of
    that dtype, unchanged.

    numpy turns a float64 value above float32's largest (about 3.4e38) into
    inf with only a RuntimeWarning; augkit refuses it instead, naming ``name``.
    ``copy=False`` returns ``x`` itself when it already has ``dtype``.

    Examples
    --------
    >>> cast_image([1.0, 2.0], np.float32)
    array([1., 2.], dtype=float32)
    >>> cast_image([1e300], np.float32)
    Traceback (most recent call last):
    ...
    ValueError: x holds values too large for float32 (largest magnitude 1e+300; float32 holds up to 3.4e+38): scale them down first, or construct the generator with dtype='float64'
    """
    if type(x) is np.ndarray and x.dtype == dtype:  # nothing to convert, so nothing can overflow
        return x.copy() if copy else x
    if not np.issubdtype(dtype, np.floating):  # uint8 (backend="opencv"): never rounded or clipped here
        given = np.asarray(x).dtype
        if given != dtype:
            raise TypeError(f"{name} has dtype {given}, but a generator with dtype={np.dtype(dtype).name!r} takes "
                            f"{np.dtype(dtype).name} images only (it never rounds or clips them): convert them "
                            f"first, or use dtype='float32'")
        return np.array(x, copy=True if copy else None)
    try:
        with np.errstate(over="raise"):
            return np.array(x, dtype=dtype, copy=True if copy else None)
    except FloatingPointError:
        values = np.abs(np.asarray(x, dtype=np.float64))
        largest = float(values[np.isfinite(values)].max())
        kind = np.dtype(dtype).name
        raise ValueError(f"{name} holds values too large for {kind} (largest magnitude {largest:.3g}; "
                         f"{kind} holds up to {float(np.finfo(dtype).max):.2g}): scale them down first, "
                         "or construct the generator with dtype='float64'") from None



__all__ = ["NonFiniteError", "cast_image", "describe_non_finite"]
