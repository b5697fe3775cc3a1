"""What every test module shares: a missing test dependency skips here and fails on CI.

A test that needs keras, keras-preprocessing, pandas or a browser skips with
the reason on a machine without it. With the ``CI`` environment variable set
it fails instead: the CI machine installs the test extra and Debian's
chromium, so a skip there would hide a broken install behind a green run.
Every such check goes through :func:`require` (or :func:`missing`), never
through ``pytest.importorskip``, which skips silently everywhere.
"""

import importlib
import os

import pytest


def on_ci():
    """Whether this run is CI's (the ``CI`` environment variable is set and not empty)."""
    return bool(os.environ.get("CI"))


def missing(reason, *, on_ci_hint="CI must have every test dependency: install the test extra",
            config=None):
    """Skip with ``reason``; on CI fail with ``reason`` and ``on_ci_hint`` instead.

    ``config`` (pytest's) also prints the reason when skipping, for a skip that
    must be seen even without ``-rs``.
    """
    if on_ci():
        pytest.fail(f"{reason} ({on_ci_hint})", pytrace=False)
    reporter = config.pluginmanager.get_plugin("terminalreporter") if config is not None else None
    if reporter is not None:
        reporter.write_line(f"\nskipped: {reason}", yellow=True)
    pytest.skip(reason, allow_module_level=True)


def require(needed, why, **kwargs):
    """The module named ``needed`` (a str), or check ``needed`` (a condition).

    A str always names a module; pass any other condition as a bool
    (``shutil.which("chromium") is not None``). When the module cannot be imported or the condition is false, call
    :func:`missing` with ``why`` (and the import error): skip here, fail on
    CI. ``kwargs`` go to :func:`missing`.

    Examples
    --------
    >>> keras = require("keras", "the Keras tests need keras")          # doctest: +SKIP
    >>> require(shutil.which("chromium") is not None, "no chromium")  # doctest: +SKIP
    """
    if isinstance(needed, str):
        try:
            return importlib.import_module(needed)
        except ImportError as exc:
            missing(f"{why}: cannot import {needed} ({exc})", **kwargs)
    if not needed:
        missing(why, **kwargs)
    return needed
