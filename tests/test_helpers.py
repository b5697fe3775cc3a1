"""tests/helpers.py: a missing test dependency skips here and fails on CI."""

import pytest

from helpers import require

ABSENT = "augkit_no_such_module_for_tests"


def test_require_returns_the_module_or_the_condition(monkeypatch):
    monkeypatch.setenv("CI", "true")  # nothing is missing: nothing fails, even on CI
    assert require("json", "json is in the standard library").dumps([1]) == "[1]"
    assert require(True, "a condition") is True


@pytest.mark.parametrize("needed", [ABSENT, None, False])
def test_missing_skips_with_the_reason_here(monkeypatch, needed):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs the thing"):
        require(needed, "this test needs the thing")


@pytest.mark.parametrize("needed", [ABSENT, None])
def test_missing_fails_on_ci_with_the_reason_and_the_hint(monkeypatch, needed):
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match=r"needs the thing.*\(CI must install it\)"):
        require(needed, "this test needs the thing", on_ci_hint="CI must install it")


def test_an_unimportable_module_is_named_with_its_import_error(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"cannot import {ABSENT} .*No module named"):
        require(ABSENT, "this test needs it")


def test_an_empty_ci_variable_is_not_ci(monkeypatch):
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        require(False, "skipped, not failed")
