"""Execute notebooks in place and store their outputs without run-specific noise.

Usage (from anywhere)::

    .venv/bin/python notebooks/_execute.py notebooks/00_start_here.ipynb [more.ipynb ...]
    .venv-lab/bin/python notebooks/_execute.py --check notebooks/[0-9]*.ipynb

With ``--check`` (``make check-lab``, ``make test-latest``) each notebook is
copied into a fresh temporary folder and run there, away from the checkout,
and nothing is written back: it only proves that the notebooks run top to
bottom in the environment of the Python running this script, and prints the
seconds each took.

Each notebook is run with nbclient in the ``notebooks/`` folder (so relative
links and paths behave as in JupyterLab), with the ``python3`` kernel of the
environment running this script and a timeout of 600 s per cell. Then:

* ``metadata.execution`` (timestamps) is removed from every cell;
* consecutive stream outputs are merged (the kernel splits them by timing);
* ``metadata.widgets`` (saved widget state) is removed from the notebook;
* the kernelspec is set to ``python3`` / "Python 3 (ipykernel)".

The notebook is written back only if it ran without error; the script exits
non-zero if any notebook failed.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS_DIR = Path(__file__).resolve().parent
TIMEOUT_SECONDS = 600
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def clean(notebook):
    """Strip execution timestamps and widget state; normalise the kernelspec (in place)."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    return notebook


def coalesce_streams(outputs):
    """Merge consecutive stdout (or stderr) outputs, which the kernel splits depending on timing."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def run(notebook, folder):
    """Execute ``notebook`` (in place, in memory) with ``folder`` as its working directory."""
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        # The kernel's own log (not the cells' output) at ERROR: ipykernel 7
        # warns at every start that its local TCP transport is unencrypted.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    client.execute()


def execute(path):
    """Run the notebook at ``path`` and write it back cleaned; raise if a cell fails."""
    notebook = nbformat.read(path, as_version=4)
    run(notebook, NOTEBOOKS_DIR)
    nbformat.write(clean(notebook), path)


def check(path):
    """Run a copy of the notebook at ``path`` in an empty temporary folder; write nothing back."""
    with tempfile.TemporaryDirectory(prefix="augkit-check-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        run(nbformat.read(copy, as_version=4), folder)


def main(arguments):
    only_check = "--check" in arguments
    paths = [a for a in arguments if a != "--check"]
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    # Make the "python3" kernel the one of this environment, whatever else is installed.
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    failed = []
    for name in paths:
        path = Path(name).resolve()
        print(f"{'checking' if only_check else 'executing'} {Path(name)} ...", end=" ", flush=True)
        started = time.perf_counter()
        try:
            check(path) if only_check else execute(path)
        except CellExecutionError as err:
            print(f"FAILED\n{err}", file=sys.stderr)
            failed.append(name)
        else:
            print(f"ok, {time.perf_counter() - started:.1f} s", flush=True)
    if failed:
        print(f"{len(failed)} of {len(paths)} notebooks failed: {', '.join(failed)}", file=sys.stderr)
    else:
        print(f"all {len(paths)} notebooks ran")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
