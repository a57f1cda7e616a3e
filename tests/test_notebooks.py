"""The chapters run: nbval on every notebook.

- nbval (``--nbval-lax``): every cell runs without error, and cells tagged
  ``nbval-check-output`` print exactly their saved output (random ids
  sanitized with tests/nbval_sanitize.cfg). Each notebook runs in its own
  pytest process, so one chapter's failure shows its own output.

The student versions are executed by nbgrader in tests/test_course.py (the
released notebooks, which equal make_student's): there the first error a
learner meets must be a stub's NotImplementedError or a check saying what is
missing, never an unrelated exception.

The notebooks are found when the tests are collected; with none, there is
nothing to parametrize.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"

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
