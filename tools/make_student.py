"""Make the student version of the chapters: solutions out, stubs in.

    python tools/make_student.py notebooks student      # or: make student

Copies SRC_DIR to DEST_DIR (notebooks and any files next to them) and rewrites
every notebook:

- A code cell tagged ``solution`` keeps its imports and the signature and
  docstring of each function it defines (methods too, inside classes); each
  body becomes ``raise NotImplementedError("Exercise: implement NAME ...")``.
  A solution cell that defines no function becomes that single ``raise``.
  The check cell after it (``skipgram_lab.checks``) then tells the learner
  what is missing, and later what is wrong.
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
import ast
import copy
import re
import shutil
import sys
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
_OPEN = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})\s*\{(?P<name>solution-start|solution-end|solution)\}")


def _raise_line(indent, name=None):
    what = f"implement {name}" if name else "write your solution here"
    return f'{indent}raise NotImplementedError("Exercise: {what} (see the exercise above).")'


def _first_line(node):
    """Line where ``node`` starts, decorators included."""
    return min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])


def _stub_function(node, lines):
    """Source lines of a def with its body replaced by the raise; docstring kept."""
    first = node.body[0]
    indent = " " * node.col_offset
    if lines[first.lineno - 1][:first.col_offset].strip():
        # The body starts on the signature's line (`def f(x): return x`): rebuild the header.
        stub = copy.copy(node)
        stub.body = [ast.Pass()]
        header = ast.unparse(stub).splitlines()[:-1]
        return [indent + line for line in header] + [_raise_line(indent + "    ", node.name)]
    has_docstring = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                     and isinstance(first.value.value, str))
    keep = lines[_first_line(node) - 1:(first.end_lineno if has_docstring else _first_line(first) - 1)]
    # Blank lines and comments between the signature and the body belong to the solution.
    while keep and (not keep[-1].strip() or (not has_docstring and keep[-1].strip().startswith("#"))):
        keep.pop()
    return keep + [_raise_line(" " * first.col_offset, node.name)]


def _stub_class(node, lines):
    """Class header, docstring and field declarations kept; every method stubbed."""
    out = lines[_first_line(node) - 1:_first_line(node.body[0]) - 1]
    header_length = len(out)
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out += ([""] if len(out) > header_length else []) + _stub_function(item, lines)
        elif isinstance(item, (ast.Expr, ast.AnnAssign, ast.Assign, ast.Pass)):
            out += lines[item.lineno - 1:item.end_lineno]
    return out


def stub_source(source):
    """The student version of a solution cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: nothing to keep but the raise
        return _raise_line("")
    lines = source.splitlines()
    out, previous = [], None
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            block, kind = lines[node.lineno - 1:node.end_lineno], "import"
        elif isinstance(node, ast.ClassDef):
            block, kind = _stub_class(node, lines), "def"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            block, kind = _stub_function(node, lines), "def"
        else:
            continue  # calls and assignments after the defs belong to the solution
        if out and not (kind == previous == "import"):
            out += ["", ""]  # two blank lines around top-level definitions, as in a module
        out += block
        previous = kind
    if not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in tree.body):
        return _raise_line("")  # no function to keep: the learner writes the whole cell
    return "\n".join(out)


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
            name = match["name"]
            end = _closing_fence(lines, i, match["fence"])
            if name == "solution-start":
                inside = True
            elif name == "solution-end":
                inside = False
            i = end + 1
            continue
        if not inside:
            kept.append(lines[i])
        i += 1
    return "\n".join(kept).strip("\n"), inside


def is_solution(cell):
    return cell.cell_type == "code" and SOLUTION_TAG in cell.metadata.get("tags", [])


def make_student_notebook(nb, name="notebook"):
    """Return the student version of ``nb`` (a new ``NotebookNode``)."""
    student = nbformat.from_dict(nb)  # a deep copy
    cells, inside = [], False
    for cell in student.cells:
        if cell.cell_type == "markdown":
            cell.source, inside_after = _strip_markdown(cell.source, inside)
            inside = inside_after
            if cell.source.strip():
                cells.append(cell)
        elif is_solution(cell):
            cell.source = stub_source(cell.source)
            cell.outputs, cell.execution_count = [], None
            cells.append(cell)
        elif not inside:
            cells.append(cell)
    if inside:
        raise ValueError(f"{name}: a {{solution-start}} block has no matching {{solution-end}}")
    student.cells = cells
    return student


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
