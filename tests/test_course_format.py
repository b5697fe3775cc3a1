"""Every lesson has the course's shape (STYLE.md, "Notebook conventions").

A goals block at the top, a summary at the end, exercises stored unsolved with
their solution folded away, and one recognisable callout wherever augkit is
not Keras. nbval checks what the cells print; this checks the lesson around
them.
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
COURSE = sorted(NOTEBOOKS.glob("[0-9][0-9]*_*.ipynb"))
GOALS = "**Goals.** After this notebook you can:"
CALLOUT = "> **Keras differs here.**"
#: Other spellings of the callout that would make it hard to recognise.
CALLOUT_VARIANTS = re.compile(r"\*\*(?:Keras (?:is )?differ(?:s|ent)[^*]*|Differs from Keras[^*]*)\*\*",
                              re.IGNORECASE)


def cells(path):
    return nbformat.read(path, as_version=4).cells


def text_outputs(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            yield output.get("text", "")
        else:
            yield output.get("data", {}).get("text/plain", "")


def exercises(path):
    """(heading index, the cells of the section) for each section whose heading names an exercise."""
    notebook = cells(path)
    starts = [i for i, cell in enumerate(notebook) if cell.cell_type == "markdown"
              and re.search(r"^#{2,3} .*exercise", cell.source, re.IGNORECASE | re.MULTILINE)]
    for start in starts:
        end = next((i for i in range(start + 1, len(notebook)) if notebook[i].cell_type == "markdown"
                    and re.match(r"#{1,2} ", notebook[i].source)), len(notebook))
        yield start, notebook[start:end]


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_opens_with_goals(path):
    first = cells(path)[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "no title cell"
    assert GOALS in first.source, f"the title cell lacks the goals block {GOALS!r}"
    bullets = re.findall(r"^- ", first.source.split(GOALS, 1)[1], re.MULTILINE)
    assert 2 <= len(bullets) <= 4, f"{len(bullets)} goals (2 to 4 wanted)"


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_ends_with_a_summary_before_the_links(path):
    markdown = [cell.source for cell in cells(path) if cell.cell_type == "markdown"]
    assert markdown[-2].startswith("## Summary"), "the cell before the final links is not '## Summary'"
    assert 3 <= len(re.findall(r"^- ", markdown[-2], re.MULTILINE)) <= 6
    assert ".ipynb)" in markdown[-1], "the last cell does not link the neighbours"


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_no_stored_output_says_right(path):
    said = [text for cell in cells(path) for text in text_outputs(cell)
            if re.search(r"^\s*(Right|Correct)\b", text, re.MULTILINE)]
    assert not said, f"a stored check already declares the exercise solved: {said[0][:80]!r}"


@pytest.mark.parametrize("path", [p for p in COURSE if any(exercises(p))], ids=lambda p: p.stem)
def test_exercises_start_unsolved_with_a_folded_solution(path):
    for start, section in exercises(path):
        printed = [text for cell in section if cell.cell_type == "code" for text in text_outputs(cell)]
        assert any(re.search(r"^\s*Not yet\b", text, re.MULTILINE) for text in printed), \
            f"the exercise at cell {start} does not store a 'Not yet:' check"
        solutions = [cell for cell in section if cell.cell_type == "markdown"
                     and "<details>" in cell.source and "</details>" in cell.source]
        assert solutions, f"the exercise at cell {start} has no <details> solution"


#: What a checking cell prints when the answer is right ("Not yet: ..." otherwise), and the words it replaced.
SOLVED = "Correct"
OTHER_SOLVED = ("Yes", "Right", "Well done", "Exactly", "Good")


def printed_words(source):
    """The first words of every message a code cell prints (``print(f"Correct: ...")`` gives ``Correct``)."""
    return re.findall(r"""print\(\s*f?["']([A-Z][\w ]*?):""", source)


@pytest.mark.parametrize("path", [p for p in COURSE if any(exercises(p))], ids=lambda p: p.stem)
def test_a_right_answer_is_always_greeted_with_correct(path):
    sections = [section for _, section in exercises(path)]
    words = {word for section in sections for cell in section if cell.cell_type == "code"
             for word in printed_words(cell.source)}
    assert SOLVED in words, f"no checking cell prints {SOLVED + ':'!r} for a right answer"
    assert not words & set(OTHER_SOLVED), f"a checking cell says {sorted(words & set(OTHER_SOLVED))}, not {SOLVED!r}"
    solutions = "\n".join(cell.source for section in sections for cell in section if cell.cell_type == "markdown")
    quoted = re.findall(r"""["'`]({})\b:""".format("|".join(OTHER_SOLVED)), solutions)
    assert not quoted, f"a solution quotes the check as {quoted[0]!r}, not {SOLVED!r}"


def test_every_lesson_but_the_map_the_faq_and_the_playground_has_an_exercise():
    without = [path.name for path in COURSE if not any(exercises(path))]
    assert set(without) <= {"00_start_here.ipynb", "20_keras_differences.ipynb", "21_playground.ipynb"}, without


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_one_callout_style(path):
    for index, cell in enumerate(cells(path)):
        if cell.cell_type != "markdown":
            continue
        for match in CALLOUT_VARIANTS.finditer(cell.source):
            line = cell.source[:match.start()].rsplit("\n", 1)[-1] + match.group(0)
            assert line.startswith(CALLOUT), \
                f"cell {index}: {match.group(0)!r} is not written as the callout {CALLOUT!r}"


def test_the_course_uses_the_callout():
    with_callout = [path.name for path in COURSE
                    if any(CALLOUT in cell.source for cell in cells(path) if cell.cell_type == "markdown")]
    assert len(with_callout) >= 8, with_callout


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.stem)
def test_the_study_notes_have_one_name(path):
    for index, cell in enumerate(cells(path)):
        found = re.search(r"seed (notes|material)", cell.source, re.IGNORECASE)
        assert not found, f"cell {index} says {found.group(0)!r}: call them 'the study notes'"
