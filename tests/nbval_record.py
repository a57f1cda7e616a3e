"""A pytest plugin for the nbval runs of tests/test_notebooks.py: keep the notebook as nbval ran it.

nbval executes every code cell and keeps what the kernel sent back (``item.test_outputs``) to
compare with the saved outputs; it does not write them anywhere. With
``SKIPGRAM_LAB_EXECUTED=<path>`` set, this plugin writes the notebook with those outputs to
``<path>`` when the session ends, if

- every cell ran and passed (no failure, no skip), and
- no output is a widget view: nbval does not follow widget messages (an ``Output`` widget's
  contents, the widgets' state), which the book needs; such a chapter is executed by the
  book build instead.

tests/test_notebooks.py then adds the file to the book's execution cache, so the book build
of the same test session (tests/test_book.py) renders this run instead of executing the
chapter a second time. Streams are merged as nbval merges them (MyST-NB, with
``nb_merge_streams``, merges them the same way). One difference is undone: nbval runs each cell
with ``store_history=False``, so IPython shows the value of a cell that ends in ``;``; such a
cell's result is dropped, as a notebook front end (and the book's own executor) drops it.

Loaded with ``-p nbval_record`` (tests/ on PYTHONPATH).
"""

from __future__ import annotations

import copy
import os

import nbformat
from IPython.core.displayhook import DisplayHook

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_failed = []


def pytest_runtest_logreport(report):
    if report.failed or report.skipped:
        _failed.append(report.nodeid)


def executed_notebook(items):
    """The notebook of nbval's cell items with their outputs, or None if it cannot stand for a run."""
    cells = [item for item in items if hasattr(item, "cell") and hasattr(item, "cell_num")]
    if not cells or _failed or len({id(item.parent) for item in cells}) != 1:
        return None
    if any(not hasattr(item, "test_outputs") for item in cells):
        return None
    nb = copy.deepcopy(cells[0].parent.nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if len(code) != len(cells):
        return None
    for count, (cell, item) in enumerate(zip(code, cells), start=1):
        outputs = []
        # nbval runs cells with store_history=False, so IPython does not see a final ';' and
        # shows the value; a notebook (and the book's executor) does not
        quiet = DisplayHook.semicolon_at_end_of_expression(cell.source)
        for out in item.test_outputs:
            out = nbformat.from_dict(copy.deepcopy(dict(out)))
            if quiet and out.output_type == "execute_result":
                continue
            if out.output_type in ("display_data", "execute_result"):
                if WIDGET_VIEW in out.get("data", {}):
                    return None
                out.setdefault("metadata", {})
            if out.output_type == "execute_result":
                out["execution_count"] = count
            outputs.append(out)
        cell.outputs, cell.execution_count = outputs, count
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError:
        return None  # the book build executes the chapter itself
    return nb


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("SKIPGRAM_LAB_EXECUTED")
    if not path or exitstatus != 0:
        return
    nb = executed_notebook(session.items)
    if nb is not None:
        nbformat.write(nb, path)
