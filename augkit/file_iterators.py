"""Kept for old imports: the file iterators live in :mod:`augkit.iterators.files`."""

from augkit.iterators.files import DataFrameIterator, DirectoryIterator, FileIterator

__all__ = ["DataFrameIterator", "DirectoryIterator", "FileIterator"]
