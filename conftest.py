"""Project-wide pytest setup, shared by the unit tests and the notebooks (nbval).

* ``KERAS_BACKEND=jax``: without it ``import keras`` looks for TensorFlow and
  fails. Set here as well as in the Makefile so that a bare ``pytest`` works;
  notebook kernels inherit it.
* ``JUPYTER_PLATFORM_DIRS=1``: opts in to the platformdirs paths that
  jupyter_core otherwise warns about (warnings are errors here).
* Hypothesis runs the ``deterministic`` profile unless ``--hypothesis-profile``
  names another: examples derived from each test's source, no example
  database, so the same commit gives the same verdict on every machine and
  every run (``tests/test_hypothesis_profile.py`` checks that it is active).
  ``make fuzz`` explores with the ``fuzz`` profile: fresh random examples on
  every run and 20 times as many of them.
* At the end of a run that executed notebooks, a table of each notebook's
  runtime (the course budget is checked against it).
"""

import os
import time
from collections import defaultdict

from hypothesis import HealthCheck, settings

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

#: Examples per property test in ``make test``; ``make fuzz`` runs 20 times as many.
DETERMINISTIC_EXAMPLES = 60

settings.register_profile("deterministic", derandomize=True, database=None, deadline=None,
                          max_examples=DETERMINISTIC_EXAMPLES, print_blob=True)
settings.register_profile("fuzz", derandomize=False, database=None, deadline=None,
                          max_examples=20 * DETERMINISTIC_EXAMPLES, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("deterministic")

_notebook_seconds = defaultdict(float)


def _notebook_of(item):
    path = str(getattr(item, "path", item.fspath))
    return os.path.basename(path) if path.endswith(".ipynb") else None


def pytest_runtest_setup(item):
    item._augkit_started = time.perf_counter()


def pytest_runtest_teardown(item):
    name = _notebook_of(item)
    if name is not None:
        _notebook_seconds[name] += time.perf_counter() - item._augkit_started


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    write = terminalreporter.write_line
    terminalreporter.section("notebook runtimes")
    for name in sorted(_notebook_seconds):
        write(f"{name:<40} {_notebook_seconds[name]:6.1f} s")
    write(f"{'total':<40} {sum(_notebook_seconds.values()):6.1f} s")
