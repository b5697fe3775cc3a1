"""The Korean errata page for learners of the study notes: it exists, is linked, and points at real sections.

Each notebook reference on the page is a link followed by one or more
sections: ``§2`` (the heading ``## 2. ...`` or ``## 2 · ...``) or
``§"title"`` (a ``## title`` heading, for notebooks without numbered
sections). A renamed or renumbered section makes this test fail, so the page
cannot silently point at nothing.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "ko" / "errata.md"
SECTION = r'§(?:\d+|"[^"\n]+")'
REFERENCE = re.compile(r"\[`?notebooks/([\w]+\.ipynb)`?\]\(\.\./\.\./notebooks/([\w]+\.ipynb)\)"
                       rf"((?:\s*[,;]?\s*{SECTION})*)")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def page():
    return PAGE.read_text(encoding="utf-8")


def headings(notebook):
    cells = nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells
    return [line[3:].strip() for cell in cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def section_exists(section, titles):
    if section.startswith('"'):
        return section.strip('"') in titles
    return any(re.match(rf"{section}\s*[.·]", title) for title in titles)


def references():
    """``(notebook, [section, ...])`` for every notebook the page links."""
    found = []
    for shown, target, sections in REFERENCE.findall(page()):
        assert shown == target, f"the link text names {shown} but points at {target}"
        found.append((target, [s[1:] for s in re.findall(SECTION, sections)]))
    return found


def test_the_page_exists_in_korean_and_the_readme_links_it():
    text = page()
    assert text.startswith("# ") and len(re.findall(r"[\uac00-\ud7a3]", text)) > 1000  # Hangul, at length
    assert "](docs/ko/errata.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_notebook_link_names_sections_that_exist():
    refs = references()
    assert len(refs) >= 12
    problems = []
    for notebook, sections in refs:
        titles = headings(notebook)
        if not sections and notebook != "00_start_here.ipynb":
            problems.append(f"{notebook}: no section given")
        problems += [f"{notebook} §{s}: no such section in {titles}" for s in sections if not section_exists(s, titles)]
    assert not problems, "\n".join(problems)


def test_every_notebook_link_is_a_checked_reference():
    linked = [target for target in LINK.findall(page()) if "notebooks/" in target]
    assert len(linked) == len(references()), "a notebook link the reference pattern does not read"


def test_every_relative_link_exists():
    missing = [target for target in LINK.findall(page())
               if not target.startswith("http") and not (PAGE.parent / target).resolve().exists()]
    assert not missing, f"links to files that do not exist: {missing}"


@pytest.mark.parametrize("topic", [
    "`rotation_range`", "[−90°, +90°]", "`shear_range`", "도(degree)", "`zoom_range`", "1/z", "확률 1/2",
    "`keras.src.legacy.preprocessing.image`", "zip(next(image_generator), next(mask_generator))",
    "같은 seed와 같은 무작위 옵션", "`flow_pairs`", "keras-preprocessing 1.1.2 (tf.keras <= 2.8)",
    "Keras >= 2.9 / Keras 3", "373ad97c72",
])
def test_the_errata_cover(topic):
    assert topic in page()


@pytest.mark.parametrize("name", ["random_params", "TransformParams", "compat=", "workers=", "flow_pairs",
                                  "transform_params", "as_keras_dataset"])
def test_the_glossary_explains_each_augkit_extra(name):
    glossary = page().split("## 용어집", 1)[1].split("**augkit에만 있는 이름**", 1)[1]
    assert re.search(rf"^\| `[^|]*{re.escape(name)}", glossary, re.MULTILINE), f"{name} has no row"


def test_no_wrong_version_history():
    assert not re.search(r"\b2\.[56]\b", page())
