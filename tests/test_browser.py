"""The widgets in a real browser: JupyterLab, headless Chromium, a slider moved by the keyboard.

The test starts JupyterLab on 127.0.0.1 (a free port, no token, every Jupyter
folder in a temporary directory), opens a notebook in Debian's ``chromium``
driven by Python ``playwright`` (``executable_path``; never ``playwright
install``, which downloads a browser), runs the widget cell, moves the slider
with the arrow keys and checks that the picture on screen changed. The server
(with its kernel) is shut down in all cases.

Without a browser it skips, saying why; with the ``CI`` environment variable
set it fails instead: CI runs as root, and ``make test`` installs chromium.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from helpers import missing

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CHECKOUT = Path(__file__).resolve().parent.parent
SERVER_TIMEOUT = 30  # seconds for JupyterLab to answer
STEP_TIMEOUT_MS = 30_000

WIDGET_CELL = """\
from augkit import datasets
from augkit.widgets import explore

explorer = explore(datasets.sample_image("chelsea"), "rotation_range", n=4, max_side=128)
explorer"""

pytestmark = pytest.mark.slow


def _no_browser(reason, config=None):
    """Fail on CI; elsewhere skip, printing the reason even without ``-rs``."""
    missing(reason, on_ci_hint="CI must run the browser test: install Debian's chromium", config=config)


@pytest.fixture
def chromium(request):
    """Path of Debian's chromium; skips (fails on CI) when there is none."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        _no_browser("no browser: Debian's 'chromium' is not installed (`make test` installs it as root)",
                    request.config)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        _no_browser(f"no browser driver: cannot import playwright ({err})", request.config)
    return path


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _notebook(folder):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(WIDGET_CELL)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    nbformat.write(notebook, folder / "widget.ipynb")


def _stop(process):
    """SIGTERM the server's process group (it shuts its kernels down), SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving ``tmp_path``; yields its base URL."""
    _notebook(tmp_path)
    port = _free_port()
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1",
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
               # the kernel imports this checkout's augkit, as the tests do, not whichever one is installed
               PYTHONPATH=os.pathsep.join(filter(None, [str(CHECKOUT), os.environ.get("PYTHONPATH")])))
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR",
                 "JUPYTERLAB_SETTINGS_DIR", "IPYTHONDIR"):
        env[name] = str(tmp_path / ".jupyter" / name.lower())
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--port={port}", "--port-retries=0", "--ServerApp.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={tmp_path}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with status {server.returncode}:\n"
                            f"{(tmp_path / 'server.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {SERVER_TIMEOUT} s")
                time.sleep(0.2)
        yield url
    finally:
        _stop(server)
        log.close()


def test_slider_moved_by_keyboard_redraws_the_picture(chromium, jupyterlab, tmp_path, request):
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as driver:
        try:
            browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except Error as err:
            _no_browser(f"chromium at {chromium} does not start: {str(err).splitlines()[0]}", request.config)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.goto(f"{jupyterlab}/lab/tree/widget.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content")
            page.wait_for_selector(r"text=/Python 3 \(ipykernel\) \| Idle/")  # the kernel is connected
            page.click(".jp-Cell .cm-content")
            page.keyboard.press("Shift+Enter")

            picture = page.wait_for_selector(".jp-OutputArea-output .widget-image")
            handle = page.wait_for_selector(".jp-OutputArea-output .widget-slider .noUi-handle")
            readout = page.locator(".jp-OutputArea-output .widget-readout")
            assert readout.inner_text() == "30.0"
            title = page.locator(".jp-OutputArea-output .widget-slider label.widget-label").get_attribute("title")
            assert title.startswith("rotation_range: degrees: angle uniform in [-r, r].")  # the tooltip
            source_before, pixels_before = picture.get_attribute("src"), picture.screenshot()

            handle.focus()
            for _ in range(30):
                page.keyboard.press("ArrowRight")  # one step (1 degree) each
            page.wait_for_function(
                "before => document.querySelector('.jp-OutputArea-output .widget-image').src !== before",
                arg=source_before)
            page.wait_for_timeout(300)  # let the new picture paint
            assert readout.inner_text() == "60.0"
            assert picture.screenshot() != pixels_before
            assert picture.evaluate("img => img.complete && img.naturalWidth") > 0  # chromium decoded the picture
            assert "rotation_range=60.0" in page.locator(".jp-OutputArea-output textarea").input_value()
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}; server log: {tmp_path / 'server.log'}")
            raise
        finally:
            browser.close()


def test_without_a_browser_it_skips_with_the_reason_but_fails_on_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no browser: none here"):
        _no_browser("no browser: none here")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser test"):
        _no_browser("no browser: none here")
