"""The chapters run: nbval on every notebook.

- nbval (``--nbval-lax``): every cell runs without error, and cells tagged
  ``nbval-check-output`` print exactly their saved output (random ids
  sanitized with tests/nbval_sanitize.cfg). Each notebook runs in its own
  pytest process, so one chapter's failure shows its own output.
- The notebooks run two at a time (``SKIPGRAM_LAB_TEST_JOBS``, default: 2, or 1
  on a one-core machine): each kernel is single-threaded (``OMP_NUM_THREADS=1``),
  so a second core halves the wall time. The timing cells of the chapters assert
  CPU-time ratios measured in one process with wide bounds; a process on the
  other core slows both sides of a ratio alike, far less than it moves wall time.

- Each passing run is kept (tests/nbval_record.py) and added to the book's execution
  cache, ``_build/.jupyter_cache``: the book build of the same session (tests/test_book.py,
  which conftest.py runs after this module) renders these runs instead of executing every
  chapter again. A chapter with widgets is the exception (nbval does not follow widget
  messages): the book build executes it.

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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
BOOK_CACHE = ROOT / "_build" / ".jupyter_cache"  # jupyter-book's execution cache
sys.path.insert(0, str(ROOT / "tools"))

import build_book  # noqa: E402

pytestmark = pytest.mark.slow
ids = [nb.stem for nb in NOTEBOOKS]


def jobs():
    """How many notebooks run at once: SKIPGRAM_LAB_TEST_JOBS, else min(2, cores)."""
    return build_book.jobs_from_environment("SKIPGRAM_LAB_TEST_JOBS")


def kernel_env():
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def nbval_command(notebook):
    return [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
            "--nbval-sanitize-with", str(SANITIZE.relative_to(ROOT)),
            str(notebook.relative_to(ROOT)), "-q", "-p", "no:cacheprovider"]


def run_nbval(notebook, executed=None):
    """nbval on one notebook; with ``executed`` (a path), nbval_record writes the run there."""
    command, env = nbval_command(notebook), kernel_env()
    if executed is not None:
        command += ["-p", "nbval_record"]
        env["SKIPGRAM_LAB_EXECUTED"] = str(executed)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "tests"), env.get("PYTHONPATH")]))
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


_cache_lock = threading.Lock()


def run_and_cache(notebook, folder):
    """Run nbval; if it passed, put the run into the book's execution cache (see nbval_record).

    The book build of the same session (tests/test_book.py runs after this module) then
    finds the chapter executed, as it would after ``make book``, instead of running it again.
    """
    executed = folder / notebook.name
    start = time.perf_counter()
    run = run_nbval(notebook, executed)
    seconds = time.perf_counter() - start
    if run.returncode == 0 and executed.is_file():
        from jupyter_cache import get_cache
        from jupyter_cache.base import CacheBundleIn

        nb = nbformat.read(executed, as_version=4)
        with _cache_lock:
            get_cache(str(BOOK_CACHE)).cache_notebook_bundle(
                CacheBundleIn(nb, str(notebook), data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
    return run


@pytest.fixture(scope="module")
def nbval_runs(request, tmp_path_factory):
    """The nbval run of every selected notebook, queued at once in a pool; a test waits for its own."""
    selected = [item.callspec.params["notebook"] for item in request.session.items
                if getattr(item, "originalname", None) == "test_notebook_nbval" and hasattr(item, "callspec")]
    folder = tmp_path_factory.mktemp("executed")
    pool = ThreadPoolExecutor(max_workers=jobs())
    futures = {notebook: pool.submit(run_and_cache, notebook, folder) for notebook in selected}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_notebook_nbval(notebook, nbval_runs):
    run = nbval_runs[notebook].result()
    assert run.returncode == 0, (
        f"nbval failed on {notebook.name} (exit {run.returncode}): {' '.join(nbval_command(notebook))}\n"
        + (run.stdout + run.stderr)[-5000:]
    )


def test_jobs_reads_the_environment(monkeypatch):
    monkeypatch.setenv("SKIPGRAM_LAB_TEST_JOBS", "3")
    assert jobs() == 3
    monkeypatch.setenv("SKIPGRAM_LAB_TEST_JOBS", "0")
    with pytest.raises(ValueError, match="SKIPGRAM_LAB_TEST_JOBS.*'0'"):
        jobs()
    monkeypatch.delenv("SKIPGRAM_LAB_TEST_JOBS")
    assert 1 <= jobs() <= 2
