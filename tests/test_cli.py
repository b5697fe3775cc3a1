"""python -m augkit: grids and parameter tables, --help, and one-line errors for bad input."""

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from augkit import ImageDataGenerator, datasets, save_img
from augkit.__main__ import build_parser, main


@pytest.fixture
def cat_file(tmp_path):
    path = tmp_path / "cat.png"
    save_img(path, datasets.sample_image("chelsea")[::4, ::4])  # 75x113
    return path


def run(argv, capsys):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_grid_writes_a_png(cat_file, tmp_path, capsys):
    out_file = tmp_path / "grid.png"
    status, out, err = run(["grid", cat_file, "--rotation-range", 40, "--zoom-range", 0.2, "--horizontal-flip",
                            "-n", 4, "--seed", 1, "-o", out_file], capsys)
    assert status == 0 and err == ""
    assert f"wrote {out_file}" in out and "rotation_range=40.0" in out
    with Image.open(out_file) as img:
        assert img.format == "PNG" and img.width > 300


def test_grid_is_reproducible_and_depends_on_the_seed(cat_file, tmp_path, capsys):
    files = [tmp_path / f"{name}.png" for name in ("a", "b", "c")]
    for path, seed in zip(files, (3, 3, 4)):
        assert run(["grid", cat_file, "--rotation-range", 90, "-n", 2, "--seed", seed, "-o", path], capsys)[0] == 0
    a, b, c = (np.asarray(Image.open(p)) for p in files)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_grid_refuses_to_overwrite_unless_told(cat_file, tmp_path, capsys):
    out_file = tmp_path / "grid.png"
    out_file.write_bytes(b"precious")
    status, out, err = run(["grid", cat_file, "-n", 1, "-o", out_file], capsys)
    assert status == 2 and out == ""
    assert err == f"augkit: error: output file '{out_file}' already exists; pass --overwrite to replace it\n"
    assert out_file.read_bytes() == b"precious"
    assert run(["grid", cat_file, "-n", 1, "-o", out_file, "--overwrite"], capsys)[0] == 0
    assert out_file.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("argv, message", [
    (["grid", "{missing}", "-o", "{out}"], "No such image file: '{missing}'"),
    (["grid", "{junk}", "-o", "{out}"], "cannot load image file '{junk}': Pillow does not recognise it as an image"),
    (["grid", "{cat}", "--fill-mode", "bogus", "-o", "{out}"], "argument --fill-mode: 'bogus' is not one of constant, nearest, reflect, wrap"),
    (["grid", "{cat}", "--rotation-range", "-5", "-o", "{out}"], "argument --rotation-range: '-5' is not a number from 0 to 360 (degrees)"),
    (["grid", "{cat}", "--zoom-range", "1.5", "-o", "{out}"], "argument --zoom-range: --zoom-range 1.5 gives factors in [-0.5, 2.5]"),
    (["grid", "{cat}", "--zoom-range", "0.1", "0.2", "0.3", "-o", "{out}"], "--zoom-range takes one value"),
    (["grid", "{cat}", "--rotation-range", "abc", "-o", "{out}"], "argument --rotation-range: 'abc' is not a number from 0 to 360"),
    (["grid", "{cat}", "--compat", "keras", "-o", "{out}"], "argument --compat: 'keras' is not one of keras_preprocessing, tf_keras"),
    (["grid", "{cat}", "-n", "0", "-o", "{out}"], "argument -n/--samples: '0' is not an integer from 1 to 100 (samples)"),
    (["grid", "{cat}", "-o", "{tmp}/nowhere/out.png"], "folder '{tmp}/nowhere' does not exist"),
    (["grid", "{cat}", "-o", "{tmp}/out.jpg"], "must end in .png"),
    (["grid", "{cat}"], "the following arguments are required: -o/--output"),
    (["grid", "{cat}", "--backend", "cv2", "-o", "{out}"], "argument --backend: 'cv2' is not one of skimage, opencv"),
    (["grid", "{cat}", "--dtype", "int8", "-o", "{out}"], "argument --dtype: 'int8' is not one of float32, float64, uint8"),
    (["grid", "{cat}", "--dtype", "uint8", "-o", "{out}"], "argument --dtype: --dtype uint8 needs --backend opencv"),
    (["grid", "{cat}", "--backend", "opencv", "--compat", "tf_keras", "-o", "{out}"],
     "argument --backend: --backend opencv works only without --compat"),
    (["grid", "{cat}", "--backend", "opencv", "--dtype", "uint8", "--brightness-range", "0.5", "1.5", "-o", "{out}"],
     "argument --dtype: --dtype uint8 cannot be used with --brightness-range: that step needs float pixels. Use --dtype float32"),
    (["grid", "{cat}", "--backend", "opencv", "--dtype", "uint8", "--cval", "2.5", "-o", "{out}"],
     "argument --cval: --cval 2.5 must be a whole number from 0 to 255 with --dtype uint8"),
    (["params", "--dtype", "uint8"], "argument --dtype: --dtype uint8 needs --backend opencv"),
    (["params", "--shape", "0", "5"], "argument --shape: '0' is not an integer from 1 to 65536 (pixels)"),
    (["params", "--width-shift-range", "x"], "invalid shift 'x'"),
    ([], "the following arguments are required: COMMAND"),
    (["crop"], "invalid choice: 'crop'"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, cat_file, tmp_path, capsys):
    junk = tmp_path / "junk.png"
    junk.write_text("not an image")
    names = dict(missing=tmp_path / "missing.png", junk=junk, cat=cat_file, out=tmp_path / "out.png", tmp=tmp_path)
    status, out, err = run([a.format(**names) for a in argv], capsys)
    assert status == 2 and out == ""
    assert err.startswith("augkit: error: ") and err.count("\n") == 1
    assert message.format(**names) in err
    assert not (tmp_path / "out.png").exists()


def test_params_prints_the_sampled_parameters(capsys):
    status, out, err = run(["params", "--shape", 300, 451, "--rotation-range", 30, "--width-shift-range", 0.2,
                            "--brightness-range", 0.8, 1.2, "-n", 3, "--seed", 1], capsys)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 4 and lines[0].split()[:3] == ["#", "θ", "(deg)"]
    gen = ImageDataGenerator(rotation_range=30, width_shift_range=0.2, brightness_range=(0.8, 1.2))
    expected = gen.sample_params((300, 451, 3), 3, 1)
    for line, params in zip(lines[1:], expected):
        cells = line.split()
        assert float(cells[1]) == pytest.approx(params.theta, abs=5e-4)
        assert float(cells[3]) == pytest.approx(params.ty, abs=5e-4)
        assert cells[-2] == "-" and float(cells[-1]) == pytest.approx(params.brightness, abs=5e-4)


def test_params_csv_uses_keras_keys_and_the_image_shape(cat_file, capsys):
    status, out, _ = run(["params", "--image", cat_file, "--height-shift-range", 0.5, "-n", 2, "--csv",
                          "--compat", "keras_preprocessing"], capsys)
    assert status == 0
    header, *rows = out.splitlines()
    assert header == ("sample,theta,tx,ty,shear,zx,zy,flip_horizontal,flip_vertical,"
                      "channel_shift_intensity,brightness")
    gen = ImageDataGenerator(height_shift_range=0.5, compat="keras_preprocessing")
    expected = gen.sample_params((75, 113, 3), 2, 0)
    assert [float(row.split(",")[2]) for row in rows] == [p.tx for p in expected]


def test_int_shift_ranges_stay_ints():
    args = build_parser().parse_args(["params", "--width-shift-range", "10", "--height-shift-range", "0.1"])
    assert args.width_shift_range == 10 and isinstance(args.width_shift_range, int)
    assert args.height_shift_range == 0.1


@pytest.mark.parametrize("command", ["grid", "params"])
def test_help_lists_every_option_with_its_unit(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option, unit in [("--rotation-range DEG", "degrees"), ("--width-shift-range W", "fraction of the width"),
                         ("--height-shift-range H", "fractions of the height or pixels"),
                         ("--shear-range DEG", "degrees"), ("--zoom-range Z", "zoom factor (unitless)"),
                         ("--channel-shift-range R", "intensity units"),
                         ("--brightness-range LOW HIGH", "brightness factor (unitless)"),
                         ("--horizontal-flip", "probability 1/2"), ("--vertical-flip", "probability 1/2"),
                         ("--fill-mode MODE", "nearest (default), constant, reflect or wrap"),
                         ("--cval VALUE", "intensity units"), ("--interpolation-order ORDER", "spline order"),
                         ("--compat MODE", "keras_preprocessing"), ("-n N, --samples N", "count"),
                         ("--backend NAME", "skimage (default, the reference) or opencv"),
                         ("--dtype TYPE", "float32 (default), float64, or uint8"),
                         ("--seed SEED", "integer")]:
        assert option in text and unit in text, option
    if command == "grid":
        assert "--overwrite" in text and "-o OUT.png" in text and "dots per inch" in text
    else:
        assert "--shape ROWS COLS" in text and "pixels" in text


def test_python_dash_m_runs_without_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "augkit", "grid", str(tmp_path / "missing.png"),
                             "-o", str(tmp_path / "out.png")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("augkit: error: No such image file") and "Traceback" not in result.stderr
    ok = subprocess.run([sys.executable, "-m", "augkit", "params", "-n", "2", "--rotation-range", "10"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 3


def test_top_level_help_shows_examples_and_version(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "grid" in out and "params" in out and "python -m augkit grid cat.jpg" in out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("augkit 0.")


def test_backend_and_dtype_reach_the_generator(cat_file, tmp_path, capsys, monkeypatch):
    pytest.importorskip("cv2")
    import augkit.__main__ as cli

    made = []
    real = ImageDataGenerator

    def recording(**kwargs):
        made.append(real(**kwargs))
        return made[-1]

    monkeypatch.setattr("augkit.generator.ImageDataGenerator", recording)
    args = ["grid", cat_file, "--rotation-range", 30, "-n", 2, "--backend", "opencv", "--dtype", "uint8"]
    status, out, err = run(args + ["-o", tmp_path / "a.png"], capsys)
    assert status == 0 and err == "" and "backend='opencv'" in out
    assert made[-1].backend == "opencv" and made[-1].dtype == np.uint8
    assert build_parser().parse_args(["params"]).backend == "skimage"
    assert build_parser().parse_args(["params"]).dtype == "float32"
    image = cli._load(cat_file, "IMAGE", "uint8")  # uint8 images for a uint8 generator, as the grid loads them
    assert image.dtype == np.uint8 and made[-1].apply_transform(image, {"theta": 30.0}).dtype == np.uint8
    assert run(["params", "-n", 2, "--backend", "opencv", "--dtype", "float64"], capsys)[0] == 0
    assert made[-1].dtype == np.float64


def test_backend_opencv_without_opencv_names_the_fast_extra(cat_file, tmp_path, capsys, monkeypatch):
    from augkit import opencv_backend

    monkeypatch.setattr(opencv_backend, "_cv2", None)
    monkeypatch.setitem(sys.modules, "cv2", None)  # import cv2 fails, as when it is not installed
    status, out, err = run(["grid", cat_file, "--backend", "opencv", "-o", tmp_path / "out.png"], capsys)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("augkit: error: argument --backend: --backend opencv needs OpenCV, which is not "
                          "installed: install augkit's 'fast' extra (pip install 'augkit[fast]'")
    assert not (tmp_path / "out.png").exists()


@pytest.mark.parametrize("options, shown, dtype, order", [
    (["--backend", "opencv", "--dtype", "uint8"], ["backend='opencv'", "dtype='uint8'"], np.uint8, 1),
    (["--dtype", "float64", "--interpolation-order", "3", "--cval", "7", "--fill-mode", "constant"],
     ["interpolation_order=3", "cval=7.0", "dtype='float64'", "fill_mode='constant'"], np.float64, 3),
])
def test_the_printed_generator_reproduces_the_grid(cat_file, tmp_path, capsys, options, shown, dtype, order):
    # The line a learner copies to get the same grid in Python names every option given, --dtype included.
    if "opencv" in options:
        pytest.importorskip("cv2")
    status, out, err = run(["grid", cat_file, "--rotation-range", 30, "-n", 2, *options, "-o", tmp_path / "a.png"],
                           capsys)
    assert status == 0 and err == ""
    call = out[out.index("ImageDataGenerator("):out.rindex(")")]
    for part in shown:
        assert part in call, (part, call)
    copied = eval(call, {"ImageDataGenerator": ImageDataGenerator})  # noqa: S307 - the line printed above
    assert copied.dtype == dtype and copied.interpolation_order == order
