"""Kept for old imports: :class:`NumpyArrayIterator` lives in :mod:`augkit.iterators.arrays`."""

from augkit.iterators.arrays import NumpyArrayIterator, split_x

__all__ = ["NumpyArrayIterator", "split_x"]
