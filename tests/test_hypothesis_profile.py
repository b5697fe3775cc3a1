"""The suite's verdict does not depend on the run: hypothesis is derandomised (issue 13)."""

from hypothesis import settings

import conftest


def test_the_deterministic_profile_is_active_unless_another_is_named(request):
    chosen = request.config.getoption("hypothesis_profile", default=None)
    if chosen is not None:  # e.g. `make fuzz` names the exploring profile
        assert settings.default == settings.get_profile(chosen)
        return
    active = settings.default
    assert active == settings.get_profile("deterministic")
    assert active.derandomize is True
    assert active.database is None  # no replay of examples remembered from earlier runs
    assert active.max_examples == conftest.DETERMINISTIC_EXAMPLES


def test_the_fuzz_profile_explores_more_with_fresh_examples():
    fuzz = settings.get_profile("fuzz")
    assert fuzz.derandomize is False
    assert fuzz.max_examples > settings.get_profile("deterministic").max_examples
