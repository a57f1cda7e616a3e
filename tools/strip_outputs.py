"""Strip notebook outputs before committing, keeping the ones nbval checks.

    python tools/strip_outputs.py notebooks/*.ipynb          # rewrite in place
    python tools/strip_outputs.py --check notebooks/*.ipynb  # exit 1 if any would change

For every code cell:

- a cell that nbval checks (a line ``# NBVAL_CHECK_OUTPUT``, or the tag
  ``nbval-check-output``) keeps its outputs: they are the reference nbval
  compares against. Its execution count is kept too, because nbval skips a cell
  whose count is empty, but renumbered 1, 2, 3, ... in notebook order so that
  re-running the notebook does not change the file;
- every other cell loses its outputs and its execution count.

Editor and run-time noise is removed from the metadata (execution timings,
collapsed/scrolled flags, saved widget state, the exact Python version). The
result is written only if it differs, so running the script twice changes
nothing the second time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

CHECK_MARKER = "NBVAL_CHECK_OUTPUT"
CHECK_TAG = "nbval-check-output"

# Keys written by editors and by execution, never by an author.
CELL_NOISE = ("execution", "ExecuteTime", "collapsed", "scrolled", "pycharm", "vscode", "is_executing")
NOTEBOOK_NOISE = ("widgets", "varInspector", "toc", "vscode", "interpreter", "celltoolbar",
                  "orig_nbformat", "colab", "accelerator", "papermill")


def checks_output(cell):
    """True if nbval compares this code cell's outputs (same rule as nbval's own)."""
    if CHECK_TAG in cell.get("metadata", {}).get("tags", []):
        return True
    for line in cell.source.splitlines():
        line = line.strip()
        if line.startswith("#") and line.lstrip("#").strip() == CHECK_MARKER:
            return True
    return False


def strip_notebook(nb):
    """Strip ``nb`` (a ``NotebookNode``) in place and return it."""
    for key in NOTEBOOK_NOISE:
        nb.metadata.pop(key, None)
    nb.metadata.get("language_info", {}).pop("version", None)
    count = 0
    for cell in nb.cells:
        for key in CELL_NOISE:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        if checks_output(cell) and cell.outputs:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = count
        else:
            cell.outputs = []
            cell.execution_count = None
    return nb


def strip_file(path, check=False):
    """Strip one notebook file; return True if it changed (or, with ``check``, would change)."""
    path = Path(path)
    before = path.read_text(encoding="utf-8")
    nb = strip_notebook(nbformat.reads(before, as_version=nbformat.NO_CONVERT))
    after = nbformat.writes(nb)
    after += "" if after.endswith("\n") else "\n"  # as nbformat.write and Jupyter do
    if after == before:
        return False
    if not check:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(after, encoding="utf-8")
        tmp.replace(path)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description="Strip notebook outputs except nbval-checked cells.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook is not stripped")
    args = parser.parse_args(argv)
    changed = [p for p in args.notebooks if strip_file(p, check=args.check)]
    for path in changed:
        print(f"{'not stripped' if args.check else 'stripped'}: {path}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
