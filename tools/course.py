"""The exercises as an nbgrader course, and the student notebooks, from one set of tags.

    python tools/course.py notebooks course      # or: make course

A chapter marks its exercises with cell tags only (CONTRIBUTING.md):

- a code cell tagged ``solution`` holds a reference solution;
- the first code cell after it that imports from ``skipgram_lab.checks`` is
  its check (several solution cells before one check form one exercise);
- an optional tag ``points-N`` on the check (or a solution) cell gives the
  exercise N points; the default is 1.

Everything else is derived here, when a course or a student version is built:

- ``annotate`` gives those cells nbgrader's metadata (solution cells, and the
  check as an autograded, locked grade cell with its points; ids from the
  exercise's MyST label) and wraps what the learner writes in nbgrader's
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` regions: each function body
  after its signature and docstring, the statements after the definitions, or
  the whole cell if it defines no function. Imports, signatures and
  docstrings stay outside the regions, so they stay in the student version.
- ``remove_written_solutions`` removes the written solutions: ``{solution}``
  blocks, and everything from ``{solution-start}`` to ``{solution-end}``,
  including code cells between them that are not solution cells.
- ``clear_solutions`` replaces each region with ``STUB`` (indented as the
  region), exactly as nbgrader's ``ClearSolutions`` does with the course's
  ``code_stub``.

``student_notebook`` chains the three (``make student``); ``build_course``
writes ``course/source`` with annotated chapters and a ``nbgrader_config.py``
whose ``generate_assignment`` runs ``remove_written_solutions`` (see
``nbgrader_plugins.py``) before nbgrader's own ``ClearSolutions``, then runs
``nbgrader generate_assignment`` for every chapter with exercises. The book is
built from the chapters as they are: it never sees the markers.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
POINTS_TAG = re.compile(r"^points-(\d+)$")
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = 'raise NotImplementedError("Exercise: replace this line with your code (see the exercise above).")'
COURSE_ID = "skipgram-lab"
TOOLS = Path(__file__).resolve().parent

_CHECK_IMPORT = re.compile(r"^\s*(from\s+skipgram_lab(\.checks\s+|\s+import\s+checks\b)|import\s+skipgram_lab\.checks)",
                           re.M)
_LABEL = re.compile(r"\{solution-start\}\s+(?P<start>[\w.-]+)|^:label:\s*(?P<label>[\w.-]+)", re.M)
_OPEN = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})\s*\{(?P<name>solution-start|solution-end|solution)\}")


# ---------------------------------------------------------------- which cells

@dataclass(frozen=True)
class Exercise:
    """One autograded exercise: its solution cells, its check cell, its id and points."""

    solutions: tuple[int, ...]
    check: int
    grade_id: str
    points: int


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_solution(cell):
    return cell.cell_type == "code" and SOLUTION_TAG in tags(cell)


def _imports_checks(node):
    if isinstance(node, ast.ImportFrom):
        return node.module == "skipgram_lab.checks" or (
            node.module == "skipgram_lab" and any(alias.name == "checks" for alias in node.names))
    return isinstance(node, ast.Import) and any(a.name.startswith("skipgram_lab.checks") for a in node.names)


def is_check(cell):
    """A code cell that imports from ``skipgram_lab.checks``."""
    if cell.cell_type != "code":
        return False
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:  # IPython magics: read the lines
        return bool(_CHECK_IMPORT.search(cell.source))
    return any(_imports_checks(node) for node in ast.walk(tree))


def _points(cells, name):
    found = [int(m[1]) for cell in cells for tag in tags(cell) if (m := POINTS_TAG.match(tag))]
    if len(set(found)) > 1:
        raise ValueError(f"{name}: one exercise has different points tags {sorted(set(found))}; keep one")
    return found[0] if found else 1


def _label_before(cells, index):
    """The MyST label of the exercise a solution cell belongs to, or None."""
    for cell in reversed(cells[:index]):
        if cell.cell_type == "markdown":
            matches = list(_LABEL.finditer(cell.source))
            if matches:
                return matches[-1]["start"] or matches[-1]["label"]
    return None


def find_exercises(nb, name="notebook"):
    """The exercises of ``nb``, in order; a solution with no check after it is an error."""
    exercises, pending, used = [], [], set()
    for i, cell in enumerate(nb.cells):
        if is_solution(cell):
            pending.append(i)
        elif is_check(cell) and pending:
            label = _label_before(nb.cells, pending[0]) or f"{Path(name).stem}-ex{len(exercises) + 1}"
            grade_id, n = label, 1
            while grade_id in used:
                n += 1
                grade_id = f"{label}-{n}"
            used.add(grade_id)
            points = _points([nb.cells[j] for j in pending] + [cell], name)
            exercises.append(Exercise(tuple(pending), i, grade_id, points))
            pending = []
    if pending:
        raise ValueError(f"{name}: the solution cell {pending[0]} has no check after it; add a code cell "
                         "that calls a check from skipgram_lab.checks")
    return exercises


# ---------------------------------------------------------------- solution regions

def _first_line(node):
    """Line (1-based) where ``node`` starts, decorators included."""
    return min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])


def _is_docstring(node):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _blank_or_comment(line):
    return not line.strip() or line.strip().startswith("#")


def _body_region(node, lines):
    """(first, last, indent): 0-based lines of a def's body after its docstring, or None."""
    body = node.body[1:] if _is_docstring(node.body[0]) else node.body
    if not body:
        return None
    first = _first_line(body[0]) - 1
    above = node.body[0].end_lineno if _is_docstring(node.body[0]) else node.lineno  # 0-based: first line below
    # comments between the docstring (or signature) and the first statement belong to the solution
    while first - 1 >= above and lines[first - 1].strip().startswith("#"):
        first -= 1
    return first, node.end_lineno - 1, " " * body[0].col_offset


def _split_one_liners(source):
    """Rewrite ``def f(x): return x`` as two lines, so a region can hold its body."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in sorted(ast.walk(tree), key=lambda n: -getattr(n, "lineno", 0)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body[0].lineno == node.lineno:
            row = node.lineno - 1
            head, tail = lines[row][:node.body[0].col_offset], lines[row][node.body[0].col_offset:]
            indent = " " * (node.col_offset + 4)
            lines[row:row + 1] = [head.rstrip(), indent + tail]
    return "\n".join(lines)


def mark_regions(source):
    """``source`` with nbgrader's solution regions around what the learner writes.

    Imports, class fields, and each function's signature and docstring stay
    outside; a cell that defines no function (or is not plain Python) becomes
    one region. Source that already has regions is returned unchanged.
    """
    if BEGIN in source:
        return source
    try:
        source = _split_one_liners(source)
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        tree = None
    if tree is None or not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                               for n in tree.body):
        return "\n".join([BEGIN, source.strip("\n"), END])
    lines = source.splitlines()
    regions = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            regions.append(_body_region(node, lines))
        elif isinstance(node, ast.ClassDef):
            regions += [_body_region(item, lines) for item in node.body
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
        else:  # statements after the definitions: the learner writes them too
            first, last = _first_line(node) - 1, node.end_lineno - 1
            previous = regions[-1] if regions else None
            if (previous and previous[2] == "" and
                    all(_blank_or_comment(line) for line in lines[previous[1] + 1:first])):
                regions[-1] = (previous[0], last, "")
            else:
                regions.append((first, last, ""))
    out, row = [], 0
    for first, last, indent in sorted(r for r in regions if r):
        out += lines[row:first] + [indent + BEGIN] + lines[first:last + 1] + [indent + END]
        row = last + 1
    return "\n".join(out + lines[row:])


def clear_solutions(source, stub=STUB):
    """Replace each solution region by ``stub``, indented as its BEGIN line (nbgrader's rule)."""
    out, inside = [], False
    for line in source.split("\n"):
        if "BEGIN SOLUTION" in line:
            if inside:
                raise ValueError(f"nested solution regions in:\n{source}")
            inside = True
            indent = re.match(r"\s*", line).group(0)
            out += [indent + stub_line for stub_line in stub.split("\n")]
        elif "END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"a solution region has no END SOLUTION line in:\n{source}")
    return "\n".join(out)


# ---------------------------------------------------------------- notebooks

def annotate(nb, name="notebook"):
    """A copy of ``nb`` with nbgrader metadata and solution regions on its exercises."""
    nb = nbformat.from_dict(copy.deepcopy(nb))
    for exercise in find_exercises(nb, name):
        for n, i in enumerate(exercise.solutions):
            cell = nb.cells[i]
            cell.source = mark_regions(cell.source)
            cell.metadata["nbgrader"] = {
                "grade": False, "grade_id": exercise.grade_id + (f"-part{n + 1}" if n else ""),
                "locked": False, "schema_version": 3, "solution": True, "task": False}
        nb.cells[exercise.check].metadata["nbgrader"] = {
            "grade": True, "grade_id": f"{exercise.grade_id}-check", "locked": True,
            "points": exercise.points, "schema_version": 3, "solution": False, "task": False}
    return nb


def _closing_fence(lines, i, fence):
    """Index of the line that closes the directive opened at ``lines[i]`` (or len(lines))."""
    char, n = fence[0], len(fence)
    for j in range(i + 1, len(lines)):
        s = lines[j].strip()
        if len(s) >= n and set(s) == {char}:
            return j
    return len(lines)


def _strip_markdown(source, inside):
    """Remove solution blocks from one markdown source; ``inside``: in a start/end pair."""
    lines, kept, i = source.splitlines(), [], 0
    while i < len(lines):
        match = _OPEN.match(lines[i])
        if match:
            if match["name"] == "solution-start":
                inside = True
            elif match["name"] == "solution-end":
                inside = False
            i = _closing_fence(lines, i, match["fence"]) + 1
            continue
        if not inside:
            kept.append(lines[i])
        i += 1
    return "\n".join(kept).strip("\n"), inside


def remove_written_solutions(nb, name="notebook"):
    """Drop ``{solution}`` blocks and what lies between ``{solution-start}`` and ``{solution-end}``.

    Solution cells between them stay (nbgrader turns them into stubs); a
    markdown cell left empty is dropped. Works in place and returns ``nb``.
    """
    cells, inside = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, inside = _strip_markdown(cell.source, inside)
            if cell.source.strip():
                cells.append(cell)
        elif not inside or is_solution(cell):
            cells.append(cell)
    if inside:
        raise ValueError(f"{name}: a {{solution-start}} block has no matching {{solution-end}}")
    nb.cells = cells
    return nb


def student_notebook(nb, name="notebook"):
    """The student version of ``nb``: what ``nbgrader generate_assignment`` releases, minus its metadata."""
    student = remove_written_solutions(annotate(nb, name), name)
    for cell in student.cells:
        if is_solution(cell):
            cell.source = clear_solutions(cell.source)
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("nbgrader", None)
    return student


# ---------------------------------------------------------------- the course folder

NBGRADER_CONFIG = '''\
"""nbgrader's configuration for the skipgram-lab course (written by tools/course.py)."""

import sys

sys.path.insert(0, {tools!r})  # tools/ of the clone that built this course

from nbgrader.converters import GenerateAssignment
from nbgrader_plugins import RemoveWrittenSolutions
from nbgrader.preprocessors import ClearSolutions

c = get_config()
c.CourseDirectory.course_id = {course_id!r}
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
# The written solutions (MyST dropdowns) go before nbgrader clears the code regions.
_steps = GenerateAssignment.class_traits()["preprocessors"].default()
c.GenerateAssignment.preprocessors = (_steps[:_steps.index(ClearSolutions)] + [RemoveWrittenSolutions]
                                      + _steps[_steps.index(ClearSolutions):])
# The chapters run in well under a minute, but a learner's loop may be slow: allow 5 minutes a cell.
c.Execute.timeout = 300
'''


def nbgrader_command():
    """``nbgrader`` from the environment that runs this script."""
    return [sys.executable, "-m", "nbgrader"]


def nbgrader_env():
    """The environment for nbgrader: its venv's bin/ first (a new gradebook runs ``alembic``)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def build_course(src_dir, course_dir, generate=True):
    """Write ``course_dir`` (config, ``source/<chapter>/<chapter>.ipynb``) and release it.

    Returns the assignment names (chapters with exercises). With ``generate``,
    runs ``nbgrader generate_assignment "*" --force``, which writes
    ``release/`` and the gradebook.
    """
    src_dir, course_dir = Path(src_dir), Path(course_dir).resolve()
    if not src_dir.is_dir():
        raise ValueError(f"src_dir must be a folder of notebooks, got src_dir={str(src_dir)!r}")
    course_dir.mkdir(parents=True, exist_ok=True)
    (course_dir / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(
        tools=str(TOOLS), course_id=COURSE_ID, stub=STUB))
    names = []
    for path in sorted(src_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if not find_exercises(nb, str(path)):
            continue
        source = annotate(nb, str(path))
        for cell in source.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        folder = course_dir / "source" / path.stem
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(source, folder / path.name)
        names.append(path.stem)
    if generate and names:
        # One nbgrader process for every chapter (its start-up takes seconds).
        run = subprocess.run([*nbgrader_command(), "generate_assignment", "*", "--force"],
                             cwd=course_dir, env=nbgrader_env(), capture_output=True, text=True)
        # nbgrader only logs a configuration it cannot load, and goes on without it
        if run.returncode or "Exception while loading config file" in run.stderr:
            raise RuntimeError(f"nbgrader generate_assignment failed:\n{run.stdout}{run.stderr}")
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the nbgrader course from the chapters.")
    parser.add_argument("src_dir", type=Path)
    parser.add_argument("course_dir", type=Path)
    parser.add_argument("--no-release", action="store_true",
                        help="write course/source only (no nbgrader needed)")
    args = parser.parse_args(argv)
    try:
        names = build_course(args.src_dir, args.course_dir, generate=not args.no_release)
    except (ValueError, RuntimeError) as error:
        print(f"course: error: {error}", file=sys.stderr)
        return 1
    where = "source/" if args.no_release else "source/ and release/"
    print(f"{len(names)} assignment(s) in {args.course_dir}/{where}: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
