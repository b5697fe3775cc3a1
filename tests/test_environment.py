"""pyproject.toml, constraints.txt and environment.yml agree on every package.

`make lab` / `make test` install pyproject's dependencies under the exact
versions of constraints.txt; conda and Binder users install environment.yml.
The course's printed numbers depend on those versions, so the three files must
name the same packages at the same versions.
"""

import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    requirements = {}
    for spec in specs:
        req = Requirement(spec)
        requirements.setdefault(canonicalize_name(req.name), req)
    return requirements


def pinned(lines, source):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        specifiers = list(req.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{source}: {line!r} is not an exact pin"
        pins[canonicalize_name(req.name)] = specifiers[0].version
    return pins


def constraints():
    return pinned((ROOT / "constraints.txt").read_text().splitlines(), "constraints.txt")


def environment_yml():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml must have one pip: section"
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python, "environment.yml must pin python"
    return pinned(pip_sections[0], "environment.yml")


def test_every_pyproject_dependency_is_pinned_and_admitted():
    pins = constraints()
    for name, req in pyproject_requirements().items():
        assert name in pins, f"{name} is in pyproject.toml but not pinned in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, which pyproject.toml's {req} does not admit")


def test_environment_yml_has_the_same_packages_and_versions():
    pins, env = constraints(), environment_yml()
    assert set(env) == set(pyproject_requirements()), (
        "environment.yml and pyproject.toml list different packages: "
        f"only in environment.yml {sorted(set(env) - set(pyproject_requirements()))}, "
        f"only in pyproject.toml {sorted(set(pyproject_requirements()) - set(env))}")
    for name, version in env.items():
        assert pins[name] == version, f"environment.yml has {name}=={version}, constraints.txt {pins[name]}"


def test_the_checker_notices_a_disagreement():
    with pytest.raises(AssertionError, match="not an exact pin"):
        pinned(["numpy>=2"], "example")
    assert not Requirement("numpy>=2.0").specifier.contains("1.26.4")


def test_the_installed_packages_are_the_pinned_ones():
    from importlib.metadata import PackageNotFoundError, version
    pins = constraints()
    wrong = {}
    for name in pyproject_requirements():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pins[name]:
            wrong[name] = (installed, pins[name])
    assert not wrong, f"installed vs pinned: {wrong}; run `make test` to reinstall from constraints.txt"
