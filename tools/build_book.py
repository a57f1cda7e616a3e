"""``jupyter-book build`` with Sphinx's parallel reading: the notebooks execute N at a time.

    python tools/build_book.py [--jobs N] [jupyter-book build arguments ...]

Jupyter Book 1.x passes no ``-j`` to Sphinx, though MyST-NB and every extension this book
uses declare parallel reading safe; reading is where the notebooks execute (with the
cache of ``_config.yml``), so on two cores the build takes about half the time. Everything
else is ``jupyter-book build`` itself: the same arguments, checks and output folders.
``--jobs`` defaults to ``SKIPGRAM_LAB_BUILD_JOBS``, else min(2, cores).
"""

from __future__ import annotations

import functools
import os
import sys


def jobs_from_environment(variable: str) -> int:
    """How many notebooks run at once: the whole number in ``variable``, else min(2, cores).

    Also used by tests/test_notebooks.py (``SKIPGRAM_LAB_TEST_JOBS``). Raises ValueError
    naming the variable and its value when it is not a whole number >= 1.
    """
    value = os.environ.get(variable, "")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{variable} must be a whole number >= 1, got {value!r}")
        return int(value)
    return max(1, min(2, os.cpu_count() or 1))


def default_jobs() -> int:
    """``SKIPGRAM_LAB_BUILD_JOBS``, else min(2, cores); a bad value stops with its message."""
    try:
        return jobs_from_environment("SKIPGRAM_LAB_BUILD_JOBS")
    except ValueError as err:
        raise SystemExit(str(err)) from None


def main(argv: list[str]) -> None:
    jobs = default_jobs()
    if argv[:1] == ["--jobs"]:
        if len(argv) < 2 or not argv[1].isdigit() or int(argv[1]) < 1:
            raise SystemExit(f"--jobs needs a whole number >= 1, got {argv[1:2]}")
        jobs, argv = int(argv[1]), argv[2:]
    import jupyter_book.sphinx as book_sphinx
    from jupyter_book.cli.main import main as jupyter_book

    # `jupyter-book build` imports build_sphinx from that module when it runs
    book_sphinx.build_sphinx = functools.partial(book_sphinx.build_sphinx, jobs=jobs)
    jupyter_book(["build", *argv], prog_name="jupyter-book")


if __name__ == "__main__":
    main(sys.argv[1:])
