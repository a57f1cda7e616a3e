"""Give every chapter a first code cell that installs skipgram_lab where it is missing.

    python tools/add_install_cell.py notebooks/*.ipynb          # insert or update, in place
    python tools/add_install_cell.py --check notebooks/*.ipynb  # exit 1 if a chapter needs it

A chapter opened in Colab, on Binder or in any Jupyter without the package
installs it from the repository in this cell (``%pip install``, the package
named by ``_config.yml``'s ``repository``). Where ``skipgram_lab`` can be
imported (the project's ``.venv``, Binder's environment, a course's server)
the cell does nothing and prints nothing. It carries the tag ``remove-cell``,
so the rendered book does not show it, and the tag ``INSTALL_TAG``, by which
this script finds it again: running the script twice changes nothing, and
running it after the cell's text changes here updates every chapter.

The cell sits right after the title (the first markdown cell). The
environment variable ``SKIPGRAM_LAB_PACKAGE`` overrides what is installed
(a wheel's path, a fork, a tag): the wheel test uses it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
INSTALL_TAG = "install-skipgram-lab"
TAGS = ["remove-cell", INSTALL_TAG]
CELL_ID = INSTALL_TAG

SOURCE = '''\
# Opened in Colab, on Binder or in a Jupyter without skipgram_lab? This cell installs it first.
import importlib.util
import os

if importlib.util.find_spec("skipgram_lab") is None:
    repository = "git+{url}@{branch}"
    package = os.environ.get("SKIPGRAM_LAB_PACKAGE", f"skipgram-lab @ {{repository}}")
    get_ipython().run_line_magic("pip", f'install --quiet "{{package}}"')'''


def repository(config=ROOT / "_config.yml"):
    """(url, branch) of the repository, from the book's _config.yml."""
    repo = yaml.safe_load(Path(config).read_text(encoding="utf-8")).get("repository") or {}
    if not repo.get("url"):
        raise ValueError(f"{config} names no repository.url: the install cell needs it")
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def install_source(url, branch):
    return SOURCE.format(url=url, branch=branch)


def is_install_cell(cell):
    return cell.cell_type == "code" and INSTALL_TAG in cell.get("metadata", {}).get("tags", [])


def add_install_cell(nb, source):
    """Insert the install cell after the title, or bring an existing one up to date. True if changed."""
    found = [i for i, cell in enumerate(nb.cells) if is_install_cell(cell)]
    cell = nb.cells[found[0]] if found else nbformat.v4.new_code_cell()
    before = nbformat.writes(nb)
    for i in reversed(found):
        del nb.cells[i]
    cell.source = source
    cell.metadata = {"tags": list(TAGS)}
    cell.outputs, cell.execution_count = [], None
    if nb.get("nbformat_minor", 0) >= 5 or nb.get("nbformat", 4) > 4:
        cell.id = CELL_ID
    title = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    nb.cells.insert(title, cell)
    return nbformat.writes(nb) != before


def main(argv=None):
    parser = argparse.ArgumentParser(description="Insert or update the install cell of each chapter.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a chapter would change")
    args = parser.parse_args(argv)
    source = install_source(*repository())
    stale = []
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        if add_install_cell(nb, source):
            stale.append(path)
            if not args.check:
                text = nbformat.writes(nb)
                path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    if args.check:
        for path in stale:
            print(f"{path}: the install cell is missing or out of date "
                  "(run: python tools/add_install_cell.py notebooks/*.ipynb)", file=sys.stderr)
        return 1 if stale else 0
    print(f"install cell written in {len(stale)} of {len(args.notebooks)} notebook(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
