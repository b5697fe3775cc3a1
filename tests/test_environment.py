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


# --- the lab environment is the course's environment (issue 13) -------------------

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
MODULES = sorted((ROOT / "augkit").rglob("*.py"))


def lab_distributions():
    """Canonical names of every distribution that `pip install .[lab]` brings, transitively.

    augkit's own requirements are read from pyproject.toml (the source of
    truth); those of its dependencies from their installed metadata.
    """
    from importlib.metadata import PackageNotFoundError, requires

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    todo = [Requirement(spec) for spec in project["dependencies"] + project["optional-dependencies"]["lab"]]
    found = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        key = (name, tuple(sorted(req.extras)))
        if key in found:
            continue
        found.add(key)
        try:
            specs = requires(name) or []
        except PackageNotFoundError:  # excluded by a marker on this platform
            continue
        for spec in specs:
            child = Requirement(spec)
            wanted = [{"extra": extra} for extra in req.extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(env) for env in wanted):
                todo.append(child)
    return {name for name, _ in found}


def top_level_imports(source):
    """Top-level module names imported anywhere in ``source`` (function bodies included)."""
    import ast

    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    names = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def code_sources():
    """(where, source) of every notebook code cell and every augkit module."""
    import json

    for notebook in NOTEBOOKS:
        for index, cell in enumerate(json.loads(notebook.read_text())["cells"]):
            if cell["cell_type"] == "code":
                yield f"{notebook.name} cell {index}", "".join(cell["source"])
    for module in MODULES:
        yield module.relative_to(ROOT).as_posix(), module.read_text()


def imports_outside(sources, provided):
    """``{(where, module): distributions}`` for imports that no distribution in ``provided`` supplies."""
    import sys
    from importlib.metadata import packages_distributions

    owners = packages_distributions()
    missing = {}
    for where, source in sources:
        for module in sorted(top_level_imports(source)):
            if module in sys.stdlib_module_names or module in ("augkit", "__future__"):
                continue
            distributions = {canonicalize_name(d) for d in owners.get(module, [])}
            if not distributions & provided:
                missing[(where, module)] = sorted(distributions) or ["(not installed)"]
    return missing


def test_every_import_of_the_notebooks_and_the_package_is_installed_by_make_lab():
    provided = lab_distributions()
    missing = imports_outside(code_sources(), provided)
    assert not missing, (
        "these imports need a distribution that `make lab` (runtime dependencies + the lab extra) "
        f"does not install; add it to `lab` in pyproject.toml and to environment.yml: {missing}")


def test_the_lab_check_notices_a_test_only_import():
    provided = lab_distributions()
    assert {"numpy", "keras", "keras-preprocessing", "pandas", "jupyterlab", "nbclient"} <= provided
    assert "hypothesis" not in provided and "nbval" not in provided
    missing = imports_outside([("example cell", "import numpy\nfrom hypothesis import given\n%matplotlib inline")],
                              provided)
    assert missing == {("example cell", "hypothesis"): ["hypothesis"]}
