"""An augkit installed from its wheel works anywhere, bundled data included (issue 13).

The wheel is built offline from a copy of the sources (no build isolation,
no index), installed into a new virtual environment that sees the pinned
packages of this one through a ``.pth`` file but not the checkout, and used
from a folder outside the checkout: ``flow_from_directory`` over the bundled
faces must work there.
"""

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("augkit", "data", "pyproject.toml", "README.md", "LICENSE")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built from a copy of the sources (a stale ``build/`` can't leak in)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    (built,) = out.glob("augkit-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(python, site-packages) of a new environment holding the wheel and, via a .pth, the pinned packages."""
    env = tmp_path_factory.mktemp("env")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(site), str(wheel)], check=True, capture_output=True)
    # The pinned packages, not the editable augkit: .pth files inside that folder
    # (the editable install's among them) are not processed from here.
    (site / "pinned-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python, site


def test_the_wheel_holds_every_module_and_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "augkit").rglob("*.py")}
    data = {"augkit/data/" + p.relative_to(ROOT / "data").as_posix()
            for p in (ROOT / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert modules and len(data) > 250
    assert modules <= names, f"modules missing from the wheel: {sorted(modules - names)}"
    assert data <= names, f"data files missing from the wheel: {sorted(data - names)}"


USE_IT = """
import json, sys
from pathlib import Path
import augkit
from augkit import ImageDataGenerator, datasets

faces = datasets.faces_dir()
batches = ImageDataGenerator(rotation_range=20, rescale=1 / 255).flow_from_directory(
    faces / "train", target_size=(25, 25), color_mode="grayscale", batch_size=16, seed=0)
x, y = next(batches)
print(json.dumps({"augkit": augkit.__file__, "faces": str(faces), "sys_path": sys.path,
                  "samples": batches.samples, "classes": batches.class_indices,
                  "x": list(x.shape), "y": list(y.shape), "range": [float(x.min()), float(x.max())]}))
"""


def test_the_installed_wheel_runs_flow_from_directory_on_its_own_data(installed, tmp_path):
    python, site = installed
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MPLBACKEND": "Agg"}
    result = subprocess.run([str(python), "-P", "-c", USE_IT], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found, report = result.stdout.strip().splitlines()
    assert found == "Found 160 images belonging to 2 classes."
    seen = json.loads(report)
    assert Path(seen["augkit"]).is_relative_to(site)
    assert Path(seen["faces"]) == site / "augkit" / "data" / "faces"
    assert str(ROOT) not in [str(Path(p).resolve()) for p in seen["sys_path"] if p], seen["sys_path"]
    assert seen["samples"] == 160 and seen["classes"] == {"face": 0, "nonface": 1}
    assert seen["x"] == [16, 25, 25, 1] and seen["y"] == [16, 2]  # class_mode="categorical"
    assert 0 <= seen["range"][0] < seen["range"][1] <= 1
