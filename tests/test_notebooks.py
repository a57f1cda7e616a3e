"""The chapters run: nbval on every notebook, and the student versions fail helpfully.

- nbval (``--nbval-lax``): every cell runs without error, and cells tagged
  ``nbval-check-output`` print exactly their saved output (random ids
  sanitized with tests/nbval_sanitize.cfg). Each notebook runs in its own
  pytest process, so one chapter's failure shows its own output.
- student versions (tools/make_student.py): with the solutions replaced by
  stubs, the first error a learner meets is the stub's NotImplementedError or
  an exercise check that says what is missing, never an unrelated exception;
  a chapter without exercises runs without any error.

The notebooks are found when the tests are collected; with none, there is
nothing to parametrize.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
sys.path.insert(0, str(ROOT / "tools"))

import make_student  # noqa: E402

pytestmark = pytest.mark.slow
ids = [nb.stem for nb in NOTEBOOKS]


def kernel_env():
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_notebook_nbval(notebook):
    command = [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
               "--nbval-sanitize-with", str(SANITIZE.relative_to(ROOT)),
               str(notebook.relative_to(ROOT)), "-q", "-p", "no:cacheprovider"]
    run = subprocess.run(command, cwd=ROOT, env=kernel_env(), capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (
        f"nbval failed on {notebook.name} (exit {run.returncode}): {' '.join(command)}\n"
        + (run.stdout + run.stderr)[-5000:]
    )


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student")
    make_student.make_student(ROOT / "notebooks", dest)
    return dest


def errors_of(nb):
    """(cell index, exception name, message) of every error output, in order."""
    return [(i, out.ename, out.evalue)
            for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "error"]


def helpful(ename, evalue):
    """The stub itself, or an exercise check saying what is missing or expected."""
    if ename == "NotImplementedError":
        return True
    message = evalue.lower()
    return ename in ("ExerciseCheckFailed", "AssertionError") and (
        "not implemented" in message or "expected" in message)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_student_version_fails_helpfully(notebook, student_dir):
    from nbclient import NotebookClient

    path = student_dir / notebook.relative_to(ROOT / "notebooks")
    nb = nbformat.read(path, as_version=4)
    stubs = [c for c in nb.cells if make_student.is_solution(c)]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    old = dict(os.environ)
    os.environ.update(kernel_env())  # the kernel inherits this environment
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    errors = errors_of(nb)
    if not stubs:
        assert not errors, f"{notebook.name} has no exercise stubs but fails: {errors[0]}"
        return
    assert errors, (f"{notebook.name}: the student version runs without error, so no check "
                    "ever calls the stubs; put an exercise check after each solution cell")
    cell, ename, evalue = errors[0]
    assert helpful(ename, evalue), (
        f"{notebook.name}, cell {cell}: the first error a learner meets is {ename}: {evalue}\n"
        "expected the stub's NotImplementedError or an exercise check saying what is "
        "'not implemented' or 'expected'"
    )
