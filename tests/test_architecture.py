"""Tests that read the code: each concern keeps one home (issue 15).

* No module reads another module's private attributes (``obj._name`` where
  ``obj`` is not ``self``/``cls``): the iterators used to read the facade's
  ``_rng``, ``_legacy_state`` and ``_validation_split``.
* The three behaviours differ only through ``Convention`` data and the two
  random streams: no comparison with a ``compat`` string outside
  ``conventions.py`` and ``streams.py``.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "augkit"
MODULES = sorted(PACKAGE.rglob("*.py"))
COMPAT_NAMES = {"keras_preprocessing", "tf_keras"}


def _tree(path):
    return ast.parse(path.read_text(), filename=str(path))


def private_reads(tree):
    """``(line, text)`` of every ``x._name`` where ``x`` is not ``self``, ``cls``, ``super()`` or a module alias."""
    modules = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in {"self", "cls"} | modules:
            continue
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
            continue  # the parent's implementation of self's own method, e.g. super()._repr_mimebundle_()
        found.append((node.lineno, ast.unparse(node)))
    return found


def compat_comparisons(tree):
    """``(line, text)`` of comparisons with ``"keras_preprocessing"`` / ``"tf_keras"`` or of ``.compat``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            constants = [o for operand in operands
                         for o in ([operand] if isinstance(operand, ast.Constant) else getattr(operand, "elts", []))]
            texts = [o.value for o in constants if isinstance(o, ast.Constant) and isinstance(o.value, str)]
            names = [o for o in operands if isinstance(o, (ast.Attribute, ast.Name))
                     and (getattr(o, "attr", None) or getattr(o, "id", None)) == "compat"]
            if COMPAT_NAMES & set(texts) or names:
                found.append((node.lineno, ast.unparse(node)))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_reads_private_attributes_of_other_objects(path):
    assert private_reads(_tree(path)) == []


@pytest.mark.parametrize("path", [p for p in MODULES if p.name not in ("conventions.py", "streams.py")],
                         ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_compat_branches_outside_the_conventions_and_the_streams(path):
    assert compat_comparisons(_tree(path)) == []


def test_the_readers_notice_what_they_look_for():
    tree = ast.parse("import numpy as np\n"
                     "def f(gen, x):\n"
                     "    a = gen._rng\n"
                     "    b = self._ok, cls._ok, np._private_but_a_module, x.__class__\n"
                     "    if gen.compat == 'tf_keras' or mode in ('keras_preprocessing',) or gen.compat is None:\n"
                     "        pass\n")
    assert [text for _, text in private_reads(tree)] == ["gen._rng"]
    assert len(compat_comparisons(tree)) == 3
