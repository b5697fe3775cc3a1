"""The Examples in augkit's docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import augkit

MODULES = sorted(name for _, name, _ in pkgutil.iter_modules(augkit.__path__, "augkit.")
                 if name != "augkit.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"
