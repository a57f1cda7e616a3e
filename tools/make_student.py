"""Make the student version of the chapters: solutions out, stubs in.

    python tools/make_student.py notebooks student      # or: make student

Copies SRC_DIR to DEST_DIR (notebooks and any files next to them) and writes
each notebook as ``nbgrader generate_assignment`` releases it in the course
(``make course``), from the same tags and the same code (``tools/course.py``):

- A code cell tagged ``solution`` keeps its imports and the signature and
  docstring of each function it defines (methods too, inside classes); each
  body becomes ``course.STUB``, a ``raise NotImplementedError(...)``. Other
  statements of the cell become that line too; a cell that defines no
  function becomes that single line. The check cell after it
  (``skipgram_lab.checks``) then tells the learner what is missing, and later
  what is wrong.
- Markdown solutions are removed: ``{solution}`` blocks, and everything from
  a ``{solution-start}`` block to its ``{solution-end}`` block, across cells.
  Code cells inside a start/end pair are removed too, except cells tagged
  ``solution``, which stay as stubs. A markdown cell left empty is dropped.

Notebooks already in DEST_DIR with the same name are overwritten (DEST_DIR is
generated; ``make clean`` removes it). Running the script on its own output
changes nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))

import course  # noqa: E402  (tools/ is not a package)

is_solution = course.is_solution


def make_student_notebook(nb, name="notebook"):
    """Return the student version of ``nb`` (a new ``NotebookNode``)."""
    return course.student_notebook(nb, name)


def make_student(src_dir, dest_dir):
    """Copy ``src_dir`` to ``dest_dir`` with student notebooks; return the notebooks written."""
    src_dir, dest_dir = Path(src_dir), Path(dest_dir)
    if not src_dir.is_dir():
        raise ValueError(f"src_dir must be a folder of notebooks, got src_dir={str(src_dir)!r}")
    written = []
    for path in sorted(src_dir.rglob("*")):
        rel = path.relative_to(src_dir)
        if path.is_dir() or ".ipynb_checkpoints" in rel.parts:
            continue
        target = dest_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            nbformat.write(make_student_notebook(nb, name=str(path)), target)
            written.append(target)
        else:
            shutil.copy2(path, target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write student notebooks: solutions replaced by stubs.")
    parser.add_argument("src_dir", type=Path)
    parser.add_argument("dest_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        written = make_student(args.src_dir, args.dest_dir)
    except ValueError as error:
        print(f"make_student: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} student notebook(s) to {args.dest_dir}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
