"""The README's picture (docs/augmented_grid.png) shows what the current code draws (issue 18).

``docs/make_readme_figure.py`` stores the parameters of its eight samples in
the PNG's ``Description``; they must be those augkit draws now for the same
seeds. A change of the random stream that leaves the picture behind fails
here: run the script again.
"""

import importlib.util
from pathlib import Path

from PIL import Image

DOCS = Path(__file__).resolve().parent.parent / "docs"


def script():
    spec = importlib.util.spec_from_file_location("make_readme_figure", DOCS / "make_readme_figure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_picture_shows_the_parameters_augkit_draws_now():
    from augkit.datasets import sample_image

    make = script()
    expected = "\n".join(map(str, make.drawn_params(make.generator(), sample_image("chelsea").shape)))
    with Image.open(DOCS / "augmented_grid.png") as picture:
        stored = picture.text.get("Description")
    assert stored == expected, "docs/augmented_grid.png is out of date: run docs/make_readme_figure.py"
