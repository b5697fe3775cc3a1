"""Hostile files on the reading side: a catalogue against the public API only.

Each case feeds augkit a file or a folder that a careless reader would hang
on, read to the end, decode into gigabytes, silently skip or silently
mislabel, and checks the clear error (or warning) it gets instead: the
argument or file is named, with the value and what would be accepted.

Cases that would hang or eat the memory if they regressed run in a child
process with a timeout and a memory cap, or in a thread guarded by a timeout.
"""

import errno
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import pandas as pd

import augkit.image_io
from augkit import ImageDataGenerator, ImageFileError, list_images, load_img
from augkit.segmentation import load_mask

ROOT = Path(__file__).resolve().parent.parent
BOMB_SIDE = 13_000  # 169 million pixels in a 164 kB PNG


# --- helpers ---------------------------------------------------------------------------

def _png(path, rows=6, cols=5, mode="RGB", value=128):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, (cols, rows), value).save(path)
    return path


def _tree(root, files):
    for name in files:
        _png(root / name)
    return root


def _bomb(path, side=BOMB_SIDE):
    """A real decompression bomb: a valid grey PNG of side x side zeros, about 164 kB."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = bytes(side + 1)  # the filter byte and one row of zeros
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
                     + chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    return _bomb(tmp_path_factory.mktemp("bomb") / "bomb.png")


def _run_python(code, timeout=60, memory_limit=4 * 2**30):
    """Run ``code`` in a child Python (the worktree's augkit), capped in time and address space.

    The child caps itself (first lines of its script): a ``preexec_fn`` would
    make subprocess fork this process, which JAX (imported by other tests)
    warns against, and warnings are errors here.
    """
    cap = f"import resource\nresource.setrlimit(resource.RLIMIT_AS, ({memory_limit}, {memory_limit}))\n"
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    result = subprocess.run([sys.executable, "-c", cap + textwrap.dedent(code)], capture_output=True,
                            text=True, timeout=timeout, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _bytes_read():
    """Bytes this process has read through system calls so far (Linux's ``rchar``)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("/proc/self/io has no rchar line")


def _without_hanging(function, fifos=(), seconds=20):
    """``function()``'s result or exception; a hang on one of ``fifos`` fails instead of blocking."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as err:  # handed to the test thread
            outcome["error"] = err

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        for fifo in fifos:  # a writer releases a reader blocked in open(), so the thread ends
            descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(descriptor)
        worker.join(5)
        pytest.fail(f"still blocked after {seconds} s (reading a FIFO?)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _flow_dir(directory, **kwargs):
    kwargs.setdefault("target_size", (6, 5))
    kwargs.setdefault("batch_size", 64)
    kwargs.setdefault("shuffle", False)
    return ImageDataGenerator().flow_from_directory(directory, **kwargs)


def _flow_pairs_dir(images, masks, **kwargs):
    kwargs.setdefault("target_size", (6, 5))
    kwargs.setdefault("batch_size", 64)
    kwargs.setdefault("shuffle", False)
    return ImageDataGenerator().flow_pairs_from_directory(images, masks, **kwargs)


@pytest.fixture
def short_tmp():
    """A short temporary folder: a Unix socket's path must stay under ~100 characters."""
    folder = Path(tempfile.mkdtemp(prefix="augkit-"))
    yield folder
    shutil.rmtree(folder)


# --- 1. non-regular files are refused by name, before anything is read ------------------

def test_dev_zero_is_refused_without_reading():
    """Finding: load_img("/dev/zero") grew until memory ran out."""
    out = _run_python("""
        import time
        from augkit.image_io import load_img, ImageFileError
        start = time.perf_counter()
        try:
            load_img("/dev/zero")
        except ImageFileError as err:
            print(err, round(time.perf_counter() - start, 3))
    """, timeout=60, memory_limit=2 * 2**30)
    assert out.startswith("cannot load image file '/dev/zero': it is a character device, not a regular "
                          "file; only regular files (or symbolic links to them) are read")
    assert float(out.split()[-1]) < 2


def test_fifo_named_png_is_refused_without_blocking(tmp_path):
    """Finding: a FIFO named .png blocked load_img forever."""
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    out = _run_python(f"""
        from augkit.image_io import load_img, ImageFileError
        try:
            load_img({str(fifo)!r})
        except ImageFileError as err:
            print(err)
    """, timeout=60)
    assert out.strip() == (f"cannot load image file '{fifo}': it is a FIFO (named pipe), not a regular "
                           "file; only regular files (or symbolic links to them) are read")


# Each maker puts one hostile entry in a folder and returns it with what augkit calls it.
FIFO, DEVICE = "a FIFO (named pipe), not a regular file", "a character device, not a regular file"
LOOP = "a symbolic link loop (or a chain of links too long to follow)"


def _fifo(folder):
    os.mkfifo(folder / "pipe.png")
    return folder / "pipe.png", FIFO


def _device_link(folder):
    os.symlink("/dev/zero", folder / "zero.png")
    return folder / "zero.png", DEVICE


def _null_device_link(folder):
    os.symlink("/dev/null", folder / "null.png")
    return folder / "null.png", DEVICE


def _unix_socket(folder):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(folder / "sock.png"))  # the socket file stays after the socket is closed
    return folder / "sock.png", "a socket, not a regular file"


def _folder(folder):
    (folder / "folder.png").mkdir()
    return folder / "folder.png", "a folder, not a file"


def _link_to_fifo(folder):
    os.mkfifo(folder / "real_pipe")
    os.symlink(folder / "real_pipe", folder / "via_link.png")
    return folder / "via_link.png", FIFO


def _link_loop(folder):
    os.symlink(folder / "loop.png", folder / "loop.png")
    return folder / "loop.png", LOOP


def _fifos(folder):
    return [path for path in Path(folder).iterdir() if path.is_fifo()]


NON_REGULAR = [_fifo, _device_link, _null_device_link, _unix_socket, _folder, _link_to_fifo, _link_loop]


@pytest.mark.parametrize("make", NON_REGULAR, ids=lambda make: make.__name__.strip("_"))
@pytest.mark.parametrize("reader", ["load_img", "load_mask"])
def test_non_regular_files_are_refused_by_name(short_tmp, make, reader):
    path, problem = make(short_tmp)
    read = {"load_img": load_img, "load_mask": load_mask}[reader]
    with pytest.raises(ImageFileError) as info:
        _without_hanging(lambda: read(path), fifos=_fifos(short_tmp))
    tail = "" if problem == LOOP else "; only regular files (or symbolic links to them) are read"
    assert str(info.value) == f"cannot load image file '{path}': it is {problem}{tail}"
    assert info.value.path == path and isinstance(info.value, ValueError)


def test_a_symbolic_link_to_a_regular_image_is_read(tmp_path):
    real = _png(tmp_path / "real.png", rows=3, cols=4)
    os.symlink(real, tmp_path / "link.png")
    assert load_img(tmp_path / "link.png").size == (4, 3)


def test_a_broken_link_is_a_missing_file(tmp_path):
    os.symlink(tmp_path / "gone.png", tmp_path / "broken.png")
    with pytest.raises(FileNotFoundError, match="No such image file") as info:
        load_img(tmp_path / "broken.png")
    assert info.value.filename == str(tmp_path / "broken.png")


# --- 2. a huge file is judged by its header, not read ------------------------------------

def test_three_gigabyte_non_image_is_refused_without_reading_it(tmp_path):
    """Finding: a 3 GB non-image named .png cost 3.1 GB and 14 s before "not an image"."""
    path = tmp_path / "huge.png"
    with open(path, "wb") as file:
        file.truncate(3 * 2**30)  # sparse: takes no disk space
    out = _run_python(f"""
        import time
        from pathlib import Path
        from augkit.image_io import load_img, ImageFileError
        def bytes_read():
            line = [l for l in Path("/proc/self/io").read_text().splitlines() if l.startswith("rchar:")][0]
            return int(line.split()[1])
        before, start = bytes_read(), time.perf_counter()
        try:
            load_img({str(path)!r})
        except ImageFileError as err:
            print(err)
        print(bytes_read() - before, time.perf_counter() - start)
    """, memory_limit=2 * 2**30)
    message, numbers = out.strip().split("\n")
    read, elapsed = int(numbers.split()[0]), float(numbers.split()[1])
    assert message == f"cannot load image file '{path}': Pillow does not recognise it as an image"
    assert read < 2**20, f"read {read} bytes of a 3 GB file"
    assert elapsed < 2


def test_a_huge_file_with_a_png_signature_is_not_read_either(tmp_path):
    path = tmp_path / "signed.png"
    with open(path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n")
        file.truncate(3 * 2**30)
    before = _bytes_read()
    with pytest.raises(ImageFileError, match=f"cannot load image file '{path}'"):
        load_img(path)
    assert _bytes_read() - before < 2**20


# --- 3. the pixel-count limit -------------------------------------------------------------

def _limit_message(path, rows, cols, limit):
    return (f"cannot load image file '{path}': it claims {rows} x {cols} (rows x cols) = {rows * cols:,} "
            f"pixels, more than augkit.image_io.MAX_IMAGE_PIXELS = {limit:,}; it was refused before "
            "decoding (it may be a decompression bomb). If the file is genuine, raise the limit, e.g. "
            f"augkit.image_io.MAX_IMAGE_PIXELS = {rows * cols}, or set it to None")


def test_the_default_limit_is_pillows_default_and_pillow_is_left_alone():
    assert augkit.image_io.MAX_IMAGE_PIXELS == 89_478_485
    assert Image.MAX_IMAGE_PIXELS == 89_478_485


@pytest.mark.parametrize("read", [
    lambda path: load_img(path),
    lambda path: load_img(path, color_mode="grayscale", target_size=(8, 8)),
    lambda path: load_mask(path),
    lambda path: augkit.image_io.image_size(path),
], ids=["load_img", "load_img_resized", "load_mask", "image_size"])
def test_a_real_decompression_bomb_is_refused_without_a_warning(bomb, read):
    """Finding: 169 Mpx in 164 kB was decoded with only Pillow's warning (warnings are errors here)."""
    assert bomb.stat().st_size < 200_000
    pillow_limit = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImageFileError) as info:
        read(bomb)
    assert str(info.value) == _limit_message(bomb, BOMB_SIDE, BOMB_SIDE, 89_478_485)
    assert Image.MAX_IMAGE_PIXELS == pillow_limit


@pytest.mark.parametrize("compat", [None, "keras_preprocessing", "tf_keras"])
def test_a_bomb_in_a_class_folder_fails_its_batch_by_name(tmp_path, bomb, compat):
    _tree(tmp_path, ["cat/a.png"])
    shutil.copy(bomb, tmp_path / "cat" / "b.png")
    it = ImageDataGenerator(compat=compat).flow_from_directory(tmp_path, target_size=(6, 5), shuffle=False)
    with pytest.raises(ImageFileError) as info:
        next(it)
    assert str(info.value) == _limit_message(tmp_path / "cat" / "b.png", BOMB_SIDE, BOMB_SIDE, 89_478_485)


def test_six_decompression_bombs_with_six_workers_stay_small(tmp_path, bomb):
    """Finding: six bombs with workers=6 took 4.3 GB (and only warned)."""
    (tmp_path / "cls").mkdir()
    for number in range(6):
        shutil.copy(bomb, tmp_path / "cls" / f"b{number}.png")
    out = _run_python(f"""
        import resource, warnings
        warnings.simplefilter("error")
        from augkit import ImageDataGenerator, ImageFileError
        it = ImageDataGenerator().flow_from_directory({str(tmp_path)!r}, target_size=(64, 64), workers=6,
                                                      batch_size=6, shuffle=False)
        try:
            next(it)
        except ImageFileError as err:
            print("refused", "more than augkit.image_io.MAX_IMAGE_PIXELS" in str(err))
        # This process's own peak: Linux keeps ru_maxrss across exec, so it would include the peak of the
        # pytest process that started it (about 775 MB once Keras is loaded); VmHWM belongs to this process.
        try:
            with open("/proc/self/status") as status:
                print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024)
        except OSError:  # not Linux: ru_maxrss is this process's own there
            print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    """, timeout=120)
    found, refused, peak_mb = out.strip().split("\n")
    assert found == "Found 6 images belonging to 1 classes."
    assert refused == "refused True"
    assert int(peak_mb) < 600, f"peak memory {peak_mb} MB"


def test_a_lowered_limit_refuses_and_a_raised_one_reads(tmp_path, monkeypatch):
    path = _png(tmp_path / "photo.png", rows=60, cols=50)
    monkeypatch.setattr(augkit.image_io, "MAX_IMAGE_PIXELS", 2999)
    with pytest.raises(ImageFileError) as info:
        load_img(path)
    assert str(info.value) == _limit_message(path, 60, 50, 2999)
    monkeypatch.setattr(augkit.image_io, "MAX_IMAGE_PIXELS", 3000)  # exactly the image's size
    assert load_img(path).size == (50, 60)
    monkeypatch.setattr(augkit.image_io, "MAX_IMAGE_PIXELS", None)
    assert load_img(path).size == (50, 60)


def test_a_raised_limit_reads_a_big_genuine_image_without_a_warning(tmp_path, monkeypatch):
    """Above Pillow's own warning threshold but under augkit's raised limit: read, no warning."""
    path = _png(tmp_path / "big.png", rows=100, cols=100, mode="L")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6000)  # Pillow would warn (> 6000) ...
    monkeypatch.setattr(augkit.image_io, "MAX_IMAGE_PIXELS", 10_000)  # ... augkit's limit decides
    assert load_img(path, color_mode="grayscale").size == (100, 100)


def test_pillows_own_hard_limit_is_explained(tmp_path, monkeypatch):
    path = _png(tmp_path / "big.png", rows=100, cols=100, mode="L")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow refuses above 2000 by itself
    monkeypatch.setattr(augkit.image_io, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(ImageFileError) as info:
        load_img(path)
    message = str(info.value)
    assert message.startswith(f"cannot load image file '{path}': Pillow refuses to decode it")
    assert "PIL.Image.MAX_IMAGE_PIXELS = 1,000" in message
    assert "raise PIL.Image.MAX_IMAGE_PIXELS as well as augkit.image_io.MAX_IMAGE_PIXELS" in message


@pytest.mark.parametrize("limit", [0, -5, 2.5, "big", True])
def test_a_bad_limit_is_named(tmp_path, monkeypatch, limit):
    path = _png(tmp_path / "a.png")
    monkeypatch.setattr(augkit.image_io, "MAX_IMAGE_PIXELS", limit)
    with pytest.raises(ValueError) as info:
        load_img(path)
    assert str(info.value) == (f"augkit.image_io.MAX_IMAGE_PIXELS={limit!r} is not supported; use a "
                               "positive int (pixels, rows x cols) or None for no limit")


# --- 4. classes= : duplicated or unknown names -------------------------------------------

def test_duplicated_classes_are_refused(tmp_path):
    """Finding: classes=["cats", "cats"] served every cat image twice, labelled 0 and 1."""
    _tree(tmp_path, ["cats/a.png", "cats/b.png", "dogs/c.png"])
    with pytest.raises(ValueError) as info:
        _flow_dir(tmp_path, classes=["cats", "cats"])
    assert str(info.value) == ("classes=['cats', 'cats'] names ['cats'] more than once; give each class "
                               "folder once (Keras would serve its images once per mention, all with one "
                               "label)")


@pytest.mark.parametrize("classes, error, message", [
    (["cats", "dogs", "cats"], ValueError, r"classes=\['cats', 'dogs', 'cats'\] names \['cats'\] more than once"),
    (["birds"], ValueError, r"classes \['birds'\] are not subfolders of '{root}'; its subfolders are "
                            r"\['cats', 'dogs'\]\. Each name in classes must be one of them"),
    (["cats", "Dogs"], ValueError, r"classes \['Dogs'\] are not subfolders of '{root}'"),
    (["cats/inner"], ValueError, r"classes \['cats/inner'\] are not subfolders"),
    ([".."], ValueError, r"classes \['\.\.'\] are not subfolders"),
    (["a.png"], ValueError, r"classes \['a\.png'\] are not subfolders"),
    (["cats", 1], TypeError, r"classes must hold folder names \(str\); got \[1\] in classes=\['cats', 1\]"),
    ("cats", TypeError, r"classes must be a list of folder names, not the string 'cats'"),
], ids=["repeated", "unknown", "wrong-case", "nested", "parent", "a-file", "not-str", "a-string"])
def test_bad_classes_are_named(tmp_path, classes, error, message):
    _tree(tmp_path, ["cats/a.png", "dogs/c.png", "a.png"])
    with pytest.raises(error, match=message.format(root=str(tmp_path).replace("\\", "\\\\"))):
        _flow_dir(tmp_path, classes=classes)


@pytest.mark.parametrize("classes, filenames, labels", [
    (["dogs", "cats"], ["dogs/c.png", "cats/a.png", "cats/b.png"], [0, 1, 1]),
    (("cats",), ["cats/a.png", "cats/b.png"], [0, 0]),
    (None, ["cats/a.png", "cats/b.png", "dogs/c.png"], [0, 0, 1]),
    ([], ["cats/a.png", "cats/b.png", "dogs/c.png"], [0, 0, 1]),
])
def test_classes_that_keras_accepts_keep_working(tmp_path, classes, filenames, labels):
    _tree(tmp_path, ["cats/a.png", "cats/b.png", "dogs/c.png"])
    it = _flow_dir(tmp_path, classes=classes, class_mode="sparse")
    assert it.filenames == [name.replace("/", os.sep) for name in filenames]
    assert it.classes.tolist() == labels
    _, y = next(it)
    assert y.tolist() == labels


# --- 5. unreadable folders are reported, never skipped -----------------------------------

_DROP_FILE_PERMISSION_OVERRIDES = """
    import ctypes, os
    if os.geteuid() == 0:  # root reads chmod 000 folders: drop CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        class Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
        class Data(ctypes.Structure):
            _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                        ("inheritable", ctypes.c_uint32)]
        libc = ctypes.CDLL(None, use_errno=True)
        header, data = Header(0x20080522, 0), (Data * 2)()
        assert libc.capget(ctypes.byref(header), data) == 0
        for field in ("effective", "permitted", "inheritable"):
            setattr(data[0], field, getattr(data[0], field) & ~0b110)
        assert libc.capset(ctypes.byref(header), data) == 0, ctypes.get_errno()
"""


def _unreadable_tree(root):
    _tree(root, [f"cats/c{i}.png" for i in range(6)] + [f"dogs/d{i}.png" for i in range(9)])
    os.chmod(root / "dogs", 0)
    return root


@pytest.fixture
def locked(tmp_path):
    yield tmp_path
    for folder in tmp_path.rglob("*"):
        if folder.is_dir():
            os.chmod(folder, 0o755)


@pytest.mark.parametrize("call, folder", [
    ("ImageDataGenerator().flow_from_directory(ROOT, target_size=(6, 5))", "dogs"),
    ("ImageDataGenerator().flow_from_directory(ROOT, target_size=(6, 5), classes=['cats', 'dogs'])", "dogs"),
    ("ImageDataGenerator().flow_from_directory(ROOT / 'dogs', target_size=(6, 5), class_mode=None)", "dogs"),
    ("ImageDataGenerator().flow_pairs_from_directory(ROOT / 'cats', ROOT / 'dogs', target_size=(6, 5))", "dogs"),
    ("augkit.list_images(ROOT / 'dogs')", "dogs"),
], ids=["class-folder", "named-class", "top-folder", "mask-folder", "list_images"])
def test_unreadable_class_folder_is_reported(locked, call, folder):
    """Finding: a chmod 000 class folder was skipped without a word (15 images became 6).

    Run in a child process without root's permission overrides, so chmod 000 really bites.
    """
    _unreadable_tree(locked)
    out = _run_python(_DROP_FILE_PERMISSION_OVERRIDES + f"""
    import augkit
    from pathlib import Path
    from augkit import ImageDataGenerator
    ROOT = Path({str(locked)!r})
    try:
        result = {call}
        print("no error:", getattr(result, "samples", result))
    except PermissionError as err:
        print(type(err).__name__, err.filename, "|", err)
    """)
    assert out.startswith(f"PermissionError {locked / folder} |"), out
    assert "augkit stops rather than skip them silently" in out or call.startswith("augkit.list_images")


def test_an_unreadable_subfolder_inside_a_class_is_reported(tmp_path, monkeypatch):
    """The same, in-process: os.scandir refuses a chmod 000 folder as it would for a non-root user."""
    _tree(tmp_path, ["cats/a.png", "cats/inner/b.png", "dogs/c.png"])
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("inner"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(PermissionError) as info:
        _flow_dir(tmp_path)
    assert info.value.filename == str(tmp_path / "cats" / "inner")
    assert str(info.value) == (f"[Errno 13] Cannot list this folder (Permission denied), so its images "
                               "cannot be found; augkit stops rather than skip them silently. Fix its "
                               f"permissions or move it out of the tree: '{tmp_path / 'cats' / 'inner'}'")


# --- 6. an image and its mask must have the same size ------------------------------------

@pytest.mark.parametrize("image_size, mask_size", [((6, 5), (5, 6)), ((6, 5), (12, 10)), ((6, 5), (6, 4))])
def test_image_and_mask_files_of_different_sizes_are_refused(tmp_path, image_size, mask_size):
    _png(tmp_path / "images" / "a.png", *image_size)
    _png(tmp_path / "images" / "b.png", *image_size)
    _png(tmp_path / "masks" / "a.png", *image_size, mode="L", value=1)
    _png(tmp_path / "masks" / "b.png", *mask_size, mode="L", value=1)
    it = _flow_pairs_dir(tmp_path / "images", tmp_path / "masks")
    with pytest.raises(ImageFileError) as info:
        next(it)
    assert str(info.value) == (
        f"cannot load image file '{tmp_path / 'masks' / 'b.png'}': the mask is {mask_size[0]} x "
        f"{mask_size[1]} (rows x cols) but its image '{tmp_path / 'images' / 'b.png'}' is {image_size[0]} "
        f"x {image_size[1]}; an image and its mask must have the same size, or resizing both to "
        "target_size would misalign them")


def test_image_and_mask_files_of_one_size_pair_up(tmp_path):
    _png(tmp_path / "images" / "a.png", 12, 10)
    _png(tmp_path / "masks" / "a.png", 12, 10, mode="L", value=2)
    images, masks = next(_flow_pairs_dir(tmp_path / "images", tmp_path / "masks"))
    assert images.shape == (1, 6, 5, 3) and masks.shape == (1, 6, 5, 1) and set(masks.ravel()) == {2}


def test_flow_pairs_from_directory_without_a_target_size_is_refused_by_name(tmp_path):
    _png(tmp_path / "images" / "a.png", 6, 5)
    _png(tmp_path / "masks" / "a.png", 6, 4, mode="L")
    with pytest.raises(ValueError) as info:
        _flow_pairs_dir(tmp_path / "images", tmp_path / "masks", target_size=None)
    assert str(info.value) == ("target_size=None must be a pair of positive ints (rows, cols), "
                               "i.e. (height, width)")


@pytest.mark.parametrize("x_shape, mask_shape, data_format", [
    ((2, 8, 8, 3), (2, 8, 7), "channels_last"),
    ((2, 8, 8, 3), (2, 7, 8, 1), "channels_last"),
    ((2, 3, 8, 8), (2, 1, 8, 9), "channels_first"),
    ((2, 3, 8, 8), (2, 8, 9), "channels_first"),
])
def test_flow_pairs_arrays_of_different_sizes_are_refused(x_shape, mask_shape, data_format):
    gen = ImageDataGenerator(data_format=data_format)
    with pytest.raises(ValueError) as info:
        gen.flow_pairs(np.zeros(x_shape, np.float32), np.zeros(mask_shape, np.uint8))
    assert str(info.value) == (f"each mask must have the rows and columns of its image: images {x_shape}, "
                               f"masks {mask_shape} (data_format={data_format!r})")


# --- 7. dataframe paths that leave directory ----------------------------------------------

@pytest.mark.parametrize("names, count, example", [
    (["../outside.png", "inside/a.png"], 1, "../outside.png"),
    (["inside/../../outside.png", "inside/a.png"], 1, "inside/../../outside.png"),
    (["{abs}", "inside/a.png", "../outside.png"], 2, "{abs}"),
])
def test_dataframe_paths_leaving_directory_are_warned(tmp_path, names, count, example):
    _png(tmp_path / "outside.png")
    _png(tmp_path / "data" / "inside" / "a.png")
    absolute = str(tmp_path / "outside.png")
    names = [name.format(abs=absolute) for name in names]
    frame = pd.DataFrame({"path": names, "class": ["x"] * len(names)})
    with pytest.warns(UserWarning) as record:
        it = ImageDataGenerator().flow_from_dataframe(frame, tmp_path / "data", x_col="path",
                                                      target_size=(6, 5), shuffle=False)
    assert [str(w.message) for w in record] == [
        f"{count} of {len(names)} file name(s) in column x_col='path' lead outside "
        f"directory='{tmp_path / 'data'}' (absolute paths or '..'), e.g. '{example.format(abs=absolute)}'; "
        "they are read from where they lead. Use names relative to directory, or directory=None with full "
        "paths, if that is what you mean"]
    assert next(it)[0].shape == (len(names), 6, 5, 3)  # still read, as Keras reads them


def test_dataframe_paths_inside_directory_or_without_one_are_not_warned(tmp_path):
    _png(tmp_path / "data" / "inside" / "a.png")
    inside = pd.DataFrame({"filename": ["inside/a.png", "inside/./a.png"], "class": ["x", "x"]})
    ImageDataGenerator().flow_from_dataframe(inside, tmp_path / "data", target_size=(6, 5))
    full = pd.DataFrame({"filename": [str(tmp_path / "data" / "inside" / "a.png")], "class": ["x"]})
    ImageDataGenerator().flow_from_dataframe(full, None, target_size=(6, 5))


# --- 8. walking and listing: links, FIFOs, devices, vanishing files -----------------------

@pytest.mark.parametrize("make", [_fifo, _device_link, _unix_socket, _link_loop, _link_to_fifo],
                         ids=lambda make: make.__name__.strip("_"))
def test_non_regular_files_in_a_class_folder_are_skipped_with_a_warning(short_tmp, make):
    root = short_tmp
    _tree(root, ["cat/a.png", "dog/b.png"])
    path, problem = make(root / "cat")
    with pytest.warns(UserWarning) as record:
        it = _without_hanging(lambda: _flow_dir(root), fifos=_fifos(root / "cat"))
    assert [str(w.message) for w in record] == [f"skipping '{path}': it is {problem}"]
    assert it.filenames == [os.path.join("cat", "a.png"), os.path.join("dog", "b.png")]
    assert _without_hanging(lambda: next(it))[0].shape == (2, 6, 5, 3)


def test_a_fifo_among_pairs_is_skipped_and_then_missing_its_mask(short_tmp):
    _png(short_tmp / "images" / "a.png")
    _png(short_tmp / "masks" / "a.png", mode="L")
    os.mkfifo(short_tmp / "images" / "b.png")
    _png(short_tmp / "masks" / "b.png", mode="L")
    with pytest.raises(ValueError) as info, pytest.warns(UserWarning) as record:
        _without_hanging(lambda: _flow_pairs_dir(short_tmp / "images", short_tmp / "masks"),
                         fifos=_fifos(short_tmp / "images"))
    assert [str(w.message) for w in record] == [f"skipping '{short_tmp / 'images' / 'b.png'}': it is {FIFO}"]
    assert str(info.value).startswith(f"1 mask(s) in '{short_tmp / 'masks'}' have no image: 'b.png'")


@pytest.mark.parametrize("make", [_fifo, _device_link, _unix_socket], ids=lambda make: make.__name__.strip("_"))
def test_list_images_skips_non_regular_files_with_a_warning(short_tmp, make):
    _png(short_tmp / "a.png")
    path, problem = make(short_tmp)
    with pytest.warns(UserWarning) as record:
        found = list_images(short_tmp, follow_links=True)
    assert found == [short_tmp / "a.png"]
    assert [str(w.message) for w in record] == [f"list_images skips '{path}': it is {problem}"]


def test_dataframe_rows_naming_a_fifo_fail_their_batch_by_name(short_tmp):
    _png(short_tmp / "a.png")
    os.mkfifo(short_tmp / "b.png")
    frame = pd.DataFrame({"filename": ["a.png", "b.png"], "class": ["x", "y"]})
    it = ImageDataGenerator().flow_from_dataframe(frame, short_tmp, target_size=(6, 5), shuffle=False,
                                                  validate_filenames=False)
    with pytest.raises(ImageFileError, match=f"cannot load image file '{short_tmp / 'b.png'}': it is a FIFO"):
        _without_hanging(lambda: next(it), fifos=[short_tmp / "b.png"])


def _remove_image(root):
    (root / "images" / "b.png").unlink()
    return root / "images" / "b.png"


def _remove_mask(root):
    (root / "masks" / "b.png").unlink()
    return root / "masks" / "b.png"


@pytest.mark.parametrize("source", ["directory", "dataframe", "pairs-image", "pairs-mask"])
def test_a_file_that_vanishes_after_listing_fails_its_batch_by_name(tmp_path, source):
    for name in ("a.png", "b.png"):
        _png(tmp_path / "images" / name)
        _png(tmp_path / "masks" / name, mode="L")
    if source == "directory":
        it = _flow_dir(tmp_path, classes=["images"])
    elif source == "dataframe":
        frame = pd.DataFrame({"filename": ["a.png", "b.png"], "class": ["x", "y"]})
        it = ImageDataGenerator().flow_from_dataframe(frame, tmp_path / "images", target_size=(6, 5),
                                                      shuffle=False)
    else:
        it = _flow_pairs_dir(tmp_path / "images", tmp_path / "masks")
    gone = _remove_mask(tmp_path) if source == "pairs-mask" else _remove_image(tmp_path)
    with pytest.raises(ImageFileError) as info:
        next(it)
    assert str(info.value) == (f"cannot load image file '{gone}': the file is gone: it is in the iterator's "
                               "file list, but nothing exists at this path now (moved or deleted after the "
                               "list was made?)")
    assert info.value.path == gone
