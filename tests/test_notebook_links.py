"""The course hangs together: every notebook links to its neighbours and to files that exist.

nbval checks what the notebooks print; this checks what they link to, and
that they carry no run-specific noise (execution timestamps, widget state).
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
COURSE = sorted(NOTEBOOKS.glob("[0-9][0-9]*_*.ipynb"))
LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)")


def links(path):
    notebook = nbformat.read(path, as_version=4)
    return [target for cell in notebook.cells if cell.cell_type == "markdown"
            for target in LINK.findall(cell.source)]


NAME = re.compile(r"(\d\d)([a-z]?)_\w+\.ipynb")


def test_the_course_is_numbered_without_gaps():
    # NN_name for the numbered notebooks, 00, 01, ... without gaps; a notebook added between two
    # is NNb_name (then NNc_...), and sorts right after NN_name.
    names = [NAME.fullmatch(path.name) for path in COURSE]
    assert all(names), [path.name for path, name in zip(COURSE, names) if not name]
    numbers = [int(name[1]) for name in names if not name[2]]
    assert numbers == list(range(len(numbers)))
    previous = {}
    for path, name in zip(COURSE, names):
        number, letter = int(name[1]), name[2]
        expected = chr(previous[number] + 1) if number in previous else ""
        assert letter == expected, f"{path.name}: expected {number:02d}{expected}_..."
        previous[number] = ord(letter or "a")


def test_an_inserted_notebook_sorts_after_its_number():
    assert sorted(["18_x.ipynb", "17b_y.ipynb", "17_z.ipynb"]) == ["17_z.ipynb", "17b_y.ipynb", "18_x.ipynb"]


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_links_point_to_existing_notebooks(path):
    missing = [target for target in links(path) if not (NOTEBOOKS / target).exists()]
    assert not missing, f"{path.name} links to notebooks that do not exist: {missing}"


@pytest.mark.parametrize("index", range(len(COURSE)), ids=lambda i: COURSE[i].stem)
def test_each_notebook_links_to_its_neighbours(index):
    targets = set(links(COURSE[index]))
    expected = {COURSE[i].name for i in (index - 1, index + 1) if 0 <= i < len(COURSE)}
    assert expected <= targets, f"{COURSE[index].name} lacks links to {sorted(expected - targets)}"


def test_start_here_links_every_notebook_in_order():
    targets = [t for t in links(NOTEBOOKS / "00_start_here.ipynb")]
    course = [path.name for path in COURSE[1:]]
    in_order = [t for t in dict.fromkeys(targets) if t in course]
    assert in_order == course


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_stored_without_run_specific_noise(path):
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata, "saved widget state (strip it with notebooks/_execute.py)"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all("execution" not in cell.metadata for cell in code), "execution timestamps stored"
    assert any(cell.outputs for cell in code), "no stored outputs"
    assert path.stat().st_size < 400_000, f"{path.name} is {path.stat().st_size // 1000} kB"
