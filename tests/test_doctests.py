"""The Examples in augkit's docstrings run and print what they say."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import augkit

# Every module of the package, subpackages included (walk_packages imports a
# package to look inside it); ``python -m augkit`` is a program, not examples.
MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(augkit.__path__, "augkit.")
                 if name.rpartition(".")[2] != "__main__")

# Modules whose every public function must show itself in a doctest.
FULLY_EXEMPLIFIED = ("augkit.geometry", "augkit.kernels")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"


@pytest.mark.parametrize("name", FULLY_EXEMPLIFIED)
def test_every_public_function_has_an_example(name):
    module = importlib.import_module(name)
    public = [getattr(module, attr) for attr in module.__all__]
    missing = [f.__name__ for f in public if inspect.isfunction(f) and ">>> " not in (f.__doc__ or "")]
    assert not missing, f"{name}: no doctest example in {missing}"
