"""Hostile writes: every file augkit writes stays where it belongs, appears whole or not at all,
and never replaces a user's file unless asked; the command line bounds every option.

Public API only (``ImageDataGenerator().flow*(...)``, ``augkit.image_io.save_img``,
``augkit.__main__.main`` and ``python -m augkit``), so the catalogue survives a redesign.
Failures are simulated by patching the outside world (Pillow, matplotlib, ``os``), never augkit.
"""

import errno
import os
import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from augkit import ImageDataGenerator
from augkit.__main__ import main
from augkit.image_io import save_img

VARIANTS = ("flow", "flow_pairs", "flow_from_directory", "flow_from_dataframe", "flow_pairs_from_directory")


def tree(root):
    """Every path under ``root`` (files and folders), relative, sorted."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def png(path, size=(8, 8), channels=3, value=100):
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.full(size + (channels,), value, dtype=np.uint8)
    Image.fromarray(pixels[..., 0] if channels == 1 else pixels).save(path)
    return path


@pytest.fixture
def make_flow(tmp_path):
    """``make_flow(variant, **save_args)``: the iterator of one flow variant over 4 tiny samples."""
    data = tmp_path / "data"
    for name in "abcd":
        png(data / "classes" / "cat" / f"{name}.png")
        png(data / "images" / f"{name}.png")
        png(data / "masks" / f"{name}.png", channels=1, value=1)
    x = np.full((4, 8, 8, 3), 100, dtype=np.uint8)
    masks = np.ones((4, 8, 8), dtype=np.uint8)
    frame = pd.DataFrame({"filename": [f"{name}.png" for name in "abcd"], "class": ["cat"] * 4})

    def make(variant, **save_args):
        gen = ImageDataGenerator(rotation_range=10)
        common = dict(batch_size=2, seed=0, **save_args)
        sized = dict(target_size=(8, 8), **common)
        return {
            "flow": lambda: gen.flow(x, **common),
            "flow_pairs": lambda: gen.flow_pairs(x, masks, **common),
            "flow_from_directory": lambda: gen.flow_from_directory(data / "classes", **sized),
            "flow_from_dataframe": lambda: gen.flow_from_dataframe(frame, str(data / "classes" / "cat"), **sized),
            "flow_pairs_from_directory": lambda: gen.flow_pairs_from_directory(data / "images", data / "masks",
                                                                               **sized),
        }[variant]()

    return make


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# --- finding 1: save_prefix escapes save_to_dir ---------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("prefix", ["../escaped", "ABSOLUTE"])
def test_finding_save_prefix_cannot_escape_save_to_dir(variant, prefix, make_flow, out_dir, tmp_path):
    """The original finding: ``save_prefix="../escaped"`` (or an absolute one) wrote outside the folder."""
    prefix = str(tmp_path / "elsewhere" / "escaped") if prefix == "ABSOLUTE" else prefix
    before = tree(tmp_path)
    with pytest.raises(ValueError) as raised:
        make_flow(variant, save_to_dir=out_dir, save_prefix=prefix)  # refused at the call, not at a batch
    message = str(raised.value)
    assert f"save_prefix={prefix!r}" in message
    assert "'/'" in message and "'..'" in message and "not absolute" in message and "'aug'" in message
    assert tree(tmp_path) == before


# --- Writes ---------------------------------------------------------------------------------------------

HOSTILE_PREFIXES = ["a/b", "a\\b", "..", "x..y", "x\0y", "/abs", "C:evil", "x" * 201, "\ud800"]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("prefix", HOSTILE_PREFIXES, ids=repr)
def test_hostile_save_prefix_is_refused_at_the_call(variant, prefix, make_flow, out_dir, tmp_path):
    before = tree(tmp_path)
    with pytest.raises(ValueError, match="save_prefix=.* is not accepted; use a plain file-name prefix"):
        make_flow(variant, save_to_dir=out_dir, save_prefix=prefix)
    assert tree(tmp_path) == before


@pytest.mark.parametrize("prefix", [None, 5, b"aug"], ids=repr)
def test_save_prefix_of_another_type_is_a_type_error(prefix, make_flow, out_dir):
    with pytest.raises(TypeError, match=r"save_prefix must be a str; got .*'aug'"):
        make_flow("flow", save_to_dir=out_dir, save_prefix=prefix)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("prefix", ["", "aug", "my aug-1.v2", "ünï cödé", "x" * 200])
def test_prefixes_keras_accepts_still_work_and_stay_inside(variant, prefix, make_flow, out_dir, tmp_path):
    before = [name for name in tree(tmp_path) if not name.startswith("out")]
    next(make_flow(variant, save_to_dir=out_dir, save_prefix=prefix))
    saved = sorted(path.name for path in out_dir.iterdir())
    pairs = "pairs" in variant
    assert len(saved) == (4 if pairs else 2)
    assert all(name.startswith(f"{prefix}_") and not name.startswith(".") for name in saved)
    assert all(path.stat().st_size > 0 for path in out_dir.iterdir())
    assert [name for name in tree(tmp_path) if not name.startswith("out")] == before


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("save_format", ["psd", "png/../x", "../png", "", ".png", "exe", None, 5])
def test_bad_save_format_is_refused_at_the_call(variant, save_format, make_flow, out_dir, tmp_path):
    before = tree(tmp_path)
    with pytest.raises(ValueError) as raised:
        make_flow(variant, save_to_dir=out_dir, save_format=save_format)
    assert f"save_format={save_format!r} is not a format Pillow can write; use e.g. 'png'" in str(raised.value)
    assert tree(tmp_path) == before


@pytest.mark.parametrize("save_format, pillow_format", [
    ("png", "PNG"), ("PNG", "PNG"), ("jpg", "JPEG"), ("jpeg", "JPEG"), ("bmp", "BMP"), ("tif", "TIFF"),
    ("tiff", "TIFF"), ("webp", "WEBP"),
])
def test_save_formats_pillow_writes_work(save_format, pillow_format, make_flow, out_dir):
    next(make_flow("flow", save_to_dir=out_dir, save_prefix="aug", save_format=save_format))
    files = sorted(out_dir.iterdir())
    assert len(files) == 2 and all(path.suffix == f".{save_format}" for path in files)
    with Image.open(files[0]) as img:
        assert img.format == pillow_format


def test_save_to_dir_that_is_a_file_is_named(make_flow, tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine")
    with pytest.raises(NotADirectoryError, match=f"save_to_dir='{not_a_folder}' is a file, not a folder"):
        make_flow("flow", save_to_dir=not_a_folder)
    assert not_a_folder.read_text() == "mine"


def test_missing_save_to_dir_is_named_and_not_created(make_flow, tmp_path):
    with pytest.raises(FileNotFoundError, match=f"save_to_dir='{tmp_path / 'nowhere'}' is not an existing folder"):
        make_flow("flow", save_to_dir=tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_save_to_dir_of_another_type_is_a_type_error(make_flow):
    with pytest.raises(TypeError, match="save_to_dir must be None, a str or a Path; got 3"):
        make_flow("flow", save_to_dir=3)


def test_unwritable_save_to_dir_is_refused_at_the_call(make_flow, out_dir, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if os.fspath(path) == str(out_dir)
                        else real_access(path, mode, **kw))
    with pytest.raises(PermissionError, match=f"save_to_dir='{out_dir}' is a folder you cannot write in"):
        make_flow("flow", save_to_dir=out_dir)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fate, error", [("vanishes", FileNotFoundError), ("becomes a file", NotADirectoryError)])
def test_save_to_dir_that_goes_away_is_named_at_the_batch(variant, fate, error, make_flow, out_dir, tmp_path):
    it = make_flow(variant, save_to_dir=out_dir)
    out_dir.rmdir()
    if fate == "becomes a file":
        out_dir.write_text("mine")
    with pytest.raises(error, match=f"save_to_dir='{out_dir}'"):
        next(it)
    if fate == "becomes a file":
        assert out_dir.read_text() == "mine"
    else:
        assert not out_dir.exists()


def test_save_to_dir_never_overwrites_existing_files(make_flow, out_dir):
    first = make_flow("flow", save_to_dir=out_dir, save_prefix="aug")
    next(first)
    names = sorted(path.name for path in out_dir.iterdir())
    for path in out_dir.iterdir():
        path.write_bytes(b"precious")
    next(make_flow("flow", save_to_dir=out_dir, save_prefix="aug"))  # same seed: same names wanted
    assert all((out_dir / name).read_bytes() == b"precious" for name in names)
    assert len(list(out_dir.iterdir())) == 4


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(errno.ENOSPC, "No space left on device")])
def test_failure_while_saving_a_batch_leaves_no_partial_or_temporary_file(variant, failure, make_flow,
                                                                          out_dir, monkeypatch):
    it = make_flow(variant, save_to_dir=out_dir)
    calls = []
    real_save = Image.Image.save

    def flaky_save(self, fp, *args, **kwargs):
        calls.append(fp)
        if len(calls) == 2:  # the second file: for pairs, the image after its mask
            raise failure
        return real_save(self, fp, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", flaky_save)
    with pytest.raises(KeyboardInterrupt if failure is KeyboardInterrupt else ValueError):
        next(it)  # Pillow's own errors come back as save_img's ValueError naming the file
    saved = sorted(path.name for path in out_dir.iterdir())
    assert not any(name.startswith(".") for name in saved)  # no temporary file left
    assert len(saved) == (0 if "pairs" in variant else 1)  # no orphan mask; the first image whole
    assert all(path.stat().st_size > 0 for path in out_dir.iterdir())


@pytest.mark.parametrize("failure", [KeyboardInterrupt, ValueError("encoder broke"), MemoryError])
@pytest.mark.parametrize("overwrite", [False, True])
def test_save_img_failing_in_pillow_leaves_the_old_file_and_no_temporary(failure, overwrite, tmp_path,
                                                                         monkeypatch):
    target = tmp_path / "picture.png"
    target.write_bytes(b"precious")
    monkeypatch.setattr(Image.Image, "save", lambda *args, **kwargs: (_ for _ in ()).throw(failure))
    with pytest.raises((KeyboardInterrupt, ValueError, MemoryError, FileExistsError)):
        save_img(target, np.zeros((2, 2, 3)), overwrite=overwrite)
    assert target.read_bytes() == b"precious" and tree(tmp_path) == ["picture.png"]


@pytest.mark.parametrize("step", ["link", "replace"])
@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(errno.EIO, "Input/output error")])
def test_save_img_interrupted_while_publishing_leaves_no_temporary(step, failure, tmp_path, monkeypatch):
    target = tmp_path / "picture.png"
    overwrite = step == "replace"
    if overwrite:
        target.write_bytes(b"precious")

    def broken(*args, **kwargs):
        raise failure

    monkeypatch.setattr(os, step, broken)
    with pytest.raises((KeyboardInterrupt, OSError)):
        save_img(target, np.zeros((2, 2, 3)), overwrite=overwrite)
    assert tree(tmp_path) == (["picture.png"] if overwrite else [])
    if overwrite:
        assert target.read_bytes() == b"precious"


def test_save_img_without_hard_links_still_refuses_and_cleans_up(tmp_path, monkeypatch):
    """File systems without hard links (FAT, some shares): an O_EXCL claim instead of the link."""
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "picture.png"
    save_img(target, np.zeros((2, 2, 3), dtype=np.uint8), scale=False)
    assert tree(tmp_path) == ["picture.png"] and target.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(FileExistsError, match="Refusing to overwrite"):
        save_img(target, np.ones((2, 2, 3)))
    assert tree(tmp_path) == ["picture.png"]


def test_save_img_refuses_to_replace_unless_asked(tmp_path):
    target = tmp_path / "picture.png"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match=r"Refusing to overwrite an existing file \(pass overwrite=True\)"):
        save_img(target, np.zeros((2, 2, 3)))
    assert target.read_bytes() == b"precious"
    save_img(target, np.zeros((2, 2, 3)), overwrite=True)
    assert target.read_bytes().startswith(b"\x89PNG") and tree(tmp_path) == ["picture.png"]


def test_save_img_refuses_a_dangling_symlink_and_a_folder(tmp_path):
    link = tmp_path / "link.png"
    link.symlink_to(tmp_path / "target.png")
    with pytest.raises(FileExistsError):
        save_img(link, np.zeros((2, 2, 3)))
    assert not (tmp_path / "target.png").exists()
    folder = tmp_path / "folder.png"
    folder.mkdir()
    with pytest.raises(FileExistsError):
        save_img(folder, np.zeros((2, 2, 3)))
    with pytest.raises(IsADirectoryError, match="a folder has this name"):
        save_img(folder, np.zeros((2, 2, 3)), overwrite=True)
    assert folder.is_dir() and tree(tmp_path) == ["folder.png", "link.png"]


@pytest.mark.parametrize("where, error, fragment", [
    ("missing/picture.png", FileNotFoundError, "the folder '{tmp}/missing' does not exist"),
    ("file.txt/picture.png", NotADirectoryError, "'{tmp}/file.txt' is not a folder"),
])
def test_save_img_into_a_bad_folder_names_it(where, error, fragment, tmp_path):
    (tmp_path / "file.txt").write_text("mine")
    with pytest.raises(error) as raised:
        save_img(tmp_path / where, np.zeros((2, 2, 3)))
    assert fragment.format(tmp=tmp_path) in str(raised.value)
    assert tree(tmp_path) == ["file.txt"] and (tmp_path / "file.txt").read_text() == "mine"


@pytest.mark.parametrize("file_format", ["psd", "png/../x", "", "exe"])
def test_save_img_unwritable_format_is_named(file_format, tmp_path):
    with pytest.raises(ValueError, match=f"file_format={file_format!r} is not a format Pillow can write"):
        save_img(tmp_path / "picture.png", np.zeros((2, 2, 3)), file_format=file_format)
    with pytest.raises(ValueError, match=r"Pillow reads '\.psd' files \(PSD\) but cannot write them"):
        save_img(tmp_path / "picture.psd", np.zeros((2, 2, 3)))
    assert tree(tmp_path) == []


def test_saved_files_get_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    save_img(tmp_path / "picture.png", np.zeros((2, 2, 3)))
    assert (tmp_path / "picture.png").stat().st_mode & 0o777 == 0o666 & ~umask


def test_concurrent_saves_to_one_name_one_wins_whole(tmp_path):
    target = tmp_path / "picture.png"
    outcomes = []

    def save(value):
        try:
            save_img(target, np.full((64, 64, 3), value, dtype=np.uint8), scale=False)
            outcomes.append(value)
        except FileExistsError:
            outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(value,)) for value in (10, 20, 30, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [value for value in outcomes if value != "refused"]
    assert len(winners) == 1 and tree(tmp_path) == ["picture.png"]
    assert (np.asarray(Image.open(target)) == winners[0]).all()


# --- finding 2 and the command line --------------------------------------------------------------------


@pytest.fixture
def cat_file(tmp_path):
    return png(tmp_path / "cat.png", size=(20, 30))


def python_m_augkit(*argv):
    return subprocess.run([sys.executable, "-m", "augkit", *map(str, argv)], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("dpi", ["0", "1e9"])
def test_finding_grid_overwrite_with_bad_dpi_keeps_the_old_file(dpi, cat_file, tmp_path):
    """The original finding: ``grid ... --overwrite`` with a bad ``--dpi`` left a 0-byte file."""
    out_file = tmp_path / "grid.png"
    out_file.write_bytes(b"yesterday's grid")
    result = python_m_augkit("grid", cat_file, "-n", 1, "-o", out_file, "--overwrite", "--dpi", dpi)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"augkit: error: argument --dpi: '{dpi}' is not an integer from 20 to 1000")
    assert out_file.read_bytes() == b"yesterday's grid"
    assert tree(tmp_path) == ["cat.png", "grid.png"]


@pytest.mark.parametrize("dpi", ["0", "1e9"])
def test_finding_failed_grid_without_overwrite_leaves_no_file(dpi, cat_file, tmp_path):
    """The original finding: a failed run left a 0-byte file that blocked the rerun."""
    out_file = tmp_path / "grid.png"
    result = python_m_augkit("grid", cat_file, "-n", 1, "-o", out_file, "--dpi", dpi)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--dpi" in result.stderr
    assert tree(tmp_path) == ["cat.png"]
    rerun = python_m_augkit("grid", cat_file, "-n", 1, "-o", out_file)
    assert rerun.returncode == 0 and out_file.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("failure, status, message", [
    (KeyboardInterrupt, 130, "augkit: interrupted; no partial file was left\n"),
    (MemoryError, 2, "augkit: error: out of memory; use fewer samples (-n), a lower --dpi or a smaller image\n"),
    (OSError(errno.ENOSPC, "No space left on device"), 2, "augkit: error: [Errno 28] No space left on device\n"),
])
@pytest.mark.parametrize("overwrite", [True, False])
def test_grid_failing_while_saving_keeps_the_old_file(failure, status, message, overwrite, cat_file, tmp_path,
                                                      monkeypatch, capsys):
    out_file = tmp_path / "grid.png"
    if overwrite:
        out_file.write_bytes(b"yesterday's grid")

    def broken_savefig(self, *args, **kwargs):
        raise failure

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    argv = ["grid", str(cat_file), "-n", "1", "-o", str(out_file)] + (["--overwrite"] if overwrite else [])
    assert main(argv) == status
    out, err = capsys.readouterr()
    assert out == "" and err == message
    assert tree(tmp_path) == (["cat.png", "grid.png"] if overwrite else ["cat.png"])
    if overwrite:
        assert out_file.read_bytes() == b"yesterday's grid"


@pytest.mark.parametrize("step", ["link", "replace"])
def test_grid_interrupted_while_publishing_keeps_the_old_file(step, cat_file, tmp_path, monkeypatch, capsys):
    out_file = tmp_path / "grid.png"
    overwrite = step == "replace"
    if overwrite:
        out_file.write_bytes(b"yesterday's grid")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, step, interrupted)
    argv = ["grid", str(cat_file), "-n", "1", "-o", str(out_file)] + (["--overwrite"] if overwrite else [])
    assert main(argv) == 130
    assert capsys.readouterr().err == "augkit: interrupted; no partial file was left\n"
    assert tree(tmp_path) == (["cat.png", "grid.png"] if overwrite else ["cat.png"])
    if overwrite:
        assert out_file.read_bytes() == b"yesterday's grid"


def test_grid_overwrite_replaces_whole_and_leaves_nothing_else(cat_file, tmp_path, capsys):
    out_file = tmp_path / "grid.png"
    out_file.write_bytes(b"yesterday's grid")
    assert main(["grid", str(cat_file), "-n", "1", "-o", str(out_file), "--overwrite"]) == 0
    assert out_file.read_bytes().startswith(b"\x89PNG") and tree(tmp_path) == ["cat.png", "grid.png"]


BIG = "1" + "0" * 30
NOT_A_NUMBER = ["nan", "inf", "-inf", "1e309"]
FLOAT_OPTIONS = [("--rotation-range", "from 0 to 360 (degrees)"), ("--shear-range", "from 0 to 360 (degrees)"),
                 ("--zoom-range", "from 0 to 100 (zoom factor)"),
                 ("--channel-shift-range", "from 0 to 1e+06 (intensity units)"),
                 ("--cval", "from -1e+06 to 1e+06 (intensity units)")]

CATALOGUE = [
    # (argv, fragments of the one-line message); {cat}, {out}, {tmp}... are filled in
    (["grid", "{cat}", "-o", "{out}", "--dpi", "0"], ["argument --dpi: '0'", "from 20 to 1000 (dots per inch)"]),
    (["grid", "{cat}", "-o", "{out}", "--dpi", "-5"], ["argument --dpi: '-5'", "from 20 to 1000"]),
    (["grid", "{cat}", "-o", "{out}", "--dpi", "1001"], ["argument --dpi: '1001'", "from 20 to 1000"]),
    (["grid", "{cat}", "-o", "{out}", "--dpi", "1e9"], ["argument --dpi: '1e9'", "not an integer from 20 to 1000"]),
    (["grid", "{cat}", "-o", "{out}", "--dpi", BIG], ["argument --dpi: '1000000", "from 20 to 1000"]),
    (["grid", "{cat}", "-o", "{out}", "-n", "16", "--dpi", "1000"],
     ["argument --dpi: 1000 makes a", "grid of 16 samples; the limit is 40 megapixels: use --dpi"]),
    (["grid", "{big}", "-o", "{out}", "-n", "100"],
     ["argument -n/--samples: 100 samples of a 1500x1500 image need", "GB; the limit is 2.1 GB"]),
    (["grid", "{cat}", "-o", "{out}", "-n", "-1"], ["argument -n/--samples: '-1'", "from 1 to 100 (samples)"]),
    (["grid", "{cat}", "-o", "{out}", "-n", "0"], ["argument -n/--samples: '0'", "from 1 to 100 (samples)"]),
    (["grid", "{cat}", "-o", "{out}", "-n", "101"], ["argument -n/--samples: '101'", "from 1 to 100"]),
    (["grid", "{cat}", "-o", "{out}", "-n", BIG], ["argument -n/--samples: '1000000", "from 1 to 100"]),
    (["params", "-n", "100001"], ["argument -n/--samples: '100001'", "from 1 to 100000 (samples)"]),
    (["params", "-n", "-3"], ["argument -n/--samples: '-3'", "from 1 to 100000"]),
    (["grid", "{cat}", "-o", "{out}", "--ncols", "0"], ["argument --ncols: '0'", "from 1 to 100 (columns)"]),
    (["grid", "{cat}", "-o", "{out}", "--ncols", "-3"], ["argument --ncols: '-3'", "from 1 to 100"]),
    (["grid", "{cat}", "-o", "{out}", "--ncols", BIG], ["argument --ncols: '1000000", "from 1 to 100"]),
    (["grid", "{cat}", "-o", "{out}", "--seed", "-1"], ["argument --seed: '-1'", "from 0 to 9223372036854775807"]),
    (["params", "--seed", str(2**63)], [f"argument --seed: '{2**63}'", "from 0 to 9223372036854775807"]),
    (["params", "--seed", "1.5"], ["argument --seed: '1.5'", "not an integer"]),
    (["params", "--seed", str(2**32), "--compat", "tf_keras"],
     [f"argument --seed: {2**32}", "from 0 to 4294967295", "--compat tf_keras"]),
    (["params", "--seed", str(2**32), "--compat", "keras_preprocessing"], ["argument --seed", "4294967295"]),
    (["params", "--shape", "0", "5"], ["argument --shape: '0'", "from 1 to 65536 (pixels)"]),
    (["params", "--shape", "-1", "5"], ["argument --shape: '-1'", "from 1 to 65536"]),
    (["params", "--shape", "100000", "100000"], ["argument --shape: '100000'", "from 1 to 65536"]),
    (["params", "--shape", "5.5", "5"], ["argument --shape: '5.5'", "not an integer"]),
    (["params", "--interpolation-order", "6"], ["argument --interpolation-order: '6'", "from 0 to 5"]),
    (["params", "--interpolation-order", "-1"], ["argument --interpolation-order: '-1'", "from 0 to 5"]),
    (["params", "--fill-mode", "bogus"], ["argument --fill-mode: 'bogus'", "constant, nearest, reflect, wrap"]),
    (["params", "--compat", "keras"], ["argument --compat: 'keras'", "keras_preprocessing, tf_keras"]),
    (["params", "--zoom-range", "1.5"], ["argument --zoom-range: --zoom-range 1.5", "non-positive zoom"]),
    (["params", "--zoom-range", "0.1", "0.2", "0.3"], ["--zoom-range takes one value Z or two values"]),
    (["params", "--width-shift-range", "-3"], ["argument --width-shift-range: invalid shift '-3'",
                                               "from 0 to 100000"]),
    (["params", "--height-shift-range", BIG], ["argument --height-shift-range: invalid shift '1000000",
                                               "from 0 to 100000"]),
    (["params", "--brightness-range", "-1", "1"], ["argument --brightness-range: '-1'",
                                                  "from 0 to 100 (brightness factor)"]),
    (["params", "--rotation-range", "-5"], ["argument --rotation-range: '-5'", "from 0 to 360 (degrees)"]),
    (["params", "--rotation-range", "1e308"], ["argument --rotation-range: '1e308'", "from 0 to 360"]),
    # inputs
    (["grid", "{tmp}", "-o", "{out}"], ["cannot load image file '{tmp}': it is a folder"]),
    (["grid", "{fifo}", "-o", "{out}"], ["IMAGE '{fifo}' is not a regular file (a pipe"]),
    (["grid", "{tmp}/missing.png", "-o", "{out}"], ["No such image file: '{tmp}/missing.png'"]),
    (["grid", "{junk}", "-o", "{out}"], ["cannot load image file '{junk}'", "not recognise it as an image"]),
    (["params", "--image", "{fifo}"], ["argument --image: '{fifo}' is not a regular file"]),
    (["params", "--image", "{tmp}"], ["'{tmp}': it is a folder"]),
    (["params", "--image", "{junk}"], ["cannot load image file '{junk}'"]),
    # outputs
    (["grid", "{cat}", "-o", "{tmp}/nowhere/out.png"],
     ["argument -o/--output", "folder '{tmp}/nowhere' does not exist"]),
    (["grid", "{cat}", "-o", "{junk}/out.png"], ["argument -o/--output", "'{junk}' is not a folder"]),
    (["grid", "{cat}", "-o", "{tmp}"], ["argument -o/--output: output file '{tmp}' must end in .png"]),
    (["grid", "{cat}", "-o", "{tmp}/dir.png"], ["argument -o/--output: '{tmp}/dir.png' is a folder"]),
    (["grid", "{cat}", "-o", "{tmp}/out.jpg"], ["output file '{tmp}/out.jpg' must end in .png"]),
    (["grid", "{cat}", "-o", "{tmp}/out.svg"], ["output file '{tmp}/out.svg' must end in .png"]),
    (["grid", "{cat}", "-o", "{tmp}/out"], ["output file '{tmp}/out' must end in .png"]),
    (["grid", "{cat}", "-o", "{cat}"], ["output file '{cat}' already exists; pass --overwrite"]),
    (["grid", "{cat}", "-o", "{fifo_png}", "--overwrite"], ["'{fifo_png}' exists and is not a regular file"]),
]
CATALOGUE += [(["params", f"{option}={value}"], [f"argument {option}: '{value}'", accepted])
              for option, accepted in FLOAT_OPTIONS for value in NOT_A_NUMBER]
CATALOGUE += [(["params", "--brightness-range", "0.5", value], [f"argument --brightness-range: '{value}'"])
              for value in NOT_A_NUMBER if value != "-inf"]
CATALOGUE += [(["params", f"{option}={value}"], [f"argument {option}: invalid shift '{value}'",
                                                  "from 0 to 100000"])
              for option in ("--width-shift-range", "--height-shift-range") for value in NOT_A_NUMBER]
CATALOGUE += [(["params", "--rotation-range", "-inf"], ["argument --rotation-range: expected one argument"]),
              (["grid", "{cat}", "-o", "{out}", "--dpi", "19"], ["argument --dpi: '19'", "from 20 to 1000"])]


@pytest.fixture
def hostile_files(tmp_path, cat_file):
    junk = tmp_path / "junk.png"
    junk.write_text("not an image")
    os.mkfifo(tmp_path / "fifo")
    os.mkfifo(tmp_path / "fifo.png")
    (tmp_path / "dir.png").mkdir()
    big = tmp_path / "big.png"
    Image.new("RGB", (1500, 1500)).save(big)
    return dict(cat=cat_file, junk=junk, fifo=tmp_path / "fifo", fifo_png=tmp_path / "fifo.png", big=big,
                out=tmp_path / "out.png", tmp=tmp_path)


@pytest.mark.parametrize("argv, fragments", CATALOGUE, ids=lambda value: " ".join(value)[:60]
                         if isinstance(value, list) and value and value[0] in ("grid", "params") else None)
def test_command_line_refuses_with_one_line_naming_the_option(argv, fragments, hostile_files, tmp_path, capsys):
    before = {path: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    status = main([part.format(**hostile_files) for part in argv])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith("augkit: error: ") and err.count("\n") == 1 and "Traceback" not in err
    for fragment in fragments:
        assert fragment.format(**hostile_files) in err
    assert {path: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == before  # nothing written


@pytest.mark.parametrize("argv, fragment", [
    (["grid", "{cat}", "-o", "{out}", "--dpi", "0"], "argument --dpi: '0' is not an integer from 20 to 1000"),
    (["params", "--rotation-range", "nan"], "argument --rotation-range: 'nan' is not a number from 0 to 360"),
    (["params", "--seed", str(2**64)], "argument --seed"),
    (["grid", "{fifo}", "-o", "{out}"], "is not a regular file"),
])
def test_python_dash_m_refuses_without_a_traceback(argv, fragment, hostile_files):
    result = python_m_augkit(*[part.format(**hostile_files) for part in argv])
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith("augkit: error: ") and fragment.format(**hostile_files) in result.stderr
    assert not hostile_files["out"].exists()


@pytest.mark.parametrize("argv", [
    ["params", "--shape", "65536", "1", "-n", "1"],
    ["params", "--seed", str(2**63 - 1), "-n", "1"],
    ["params", "--seed", str(2**32 - 1), "--compat", "tf_keras", "-n", "1"],
    ["params", "--rotation-range", "360", "--shear-range", "0", "--width-shift-range", "10", "-n", "1"],
    ["params", "--fill-mode", "wrap", "--interpolation-order", "5", "--cval=-1e6", "-n", "100000"],
    ["grid", "{cat}", "-o", "{tmp}/ok.png", "-n", "1", "--dpi", "20", "--ncols", "100"],
])
def test_the_bounds_themselves_are_accepted(argv, hostile_files, capsys):
    assert main([part.format(**hostile_files) for part in argv]) == 0
    assert capsys.readouterr().err == ""
