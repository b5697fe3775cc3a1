"""Editing augkit's spec table in a fresh interpreter, for the tests that show what an edit reaches.

``test_spec_table.py`` (an entry appended) and ``test_keyed_by_parameter.py``
(entries added, removed, reordered) run scripts that call
:func:`edit_spec_table` before importing augkit, so ``TransformParams``,
``ParamRanges``, the slots, controls and CLI options are built from the edited table.
"""

import importlib.abc
import importlib.machinery
import sys


def edit_spec_table(edit):
    """Make ``import augkit.spec`` end with ``AUGMENTATIONS = edit(module)``; call it before importing augkit."""

    class EditTable(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "augkit.spec":
                return None
            sys.meta_path.remove(self)
            found = importlib.machinery.PathFinder.find_spec(name, path)
            run_module = found.loader.exec_module

            def exec_module(module):
                run_module(module)
                module.AUGMENTATIONS = edit(module)

            found.loader.exec_module = exec_module
            return found

    sys.meta_path.insert(0, EditTable())
