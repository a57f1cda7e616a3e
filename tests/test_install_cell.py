"""Each chapter's first code cell installs skipgram_lab where it is missing (tools/add_install_cell.py).

- Every chapter has the cell in its current form, right after the title, hidden
  from the book (``remove-cell``).
- In the project's own kernel it does nothing and prints nothing.
- Without the package it runs ``%pip install`` of the repository named in
  _config.yml (or of ``SKIPGRAM_LAB_PACKAGE``); tests/test_wheel.py runs that
  path for real with a wheel.
- The script inserts once, updates in place, and is idempotent.
"""

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))

import add_install_cell  # noqa: E402


def test_every_chapter_has_the_current_install_cell(capsys):
    assert add_install_cell.main(["--check", *map(str, NOTEBOOKS)]) == 0, capsys.readouterr().err
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        cell = nb.cells[1]
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), path.name
        assert add_install_cell.is_install_cell(cell) and "remove-cell" in cell.metadata["tags"], path.name
        assert [c for c in nb.cells if add_install_cell.is_install_cell(c)] == [cell]


def test_the_cell_installs_the_repository_named_in_the_config():
    url, branch = add_install_cell.repository()
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert (url, branch) == (config["repository"]["url"], config["repository"]["branch"])
    source = add_install_cell.install_source(url, branch)
    assert f'repository = "git+{url}@{branch}"' in source


class FakeIPython:
    def __init__(self):
        self.calls = []

    def run_line_magic(self, name, line):
        self.calls.append((name, line))


def run_cell(source, installed, monkeypatch, package=None):
    shell = FakeIPython()
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: (real(name, *a) if installed else None) if name == "skipgram_lab"
                        else real(name, *a))
    if package:
        monkeypatch.setenv("SKIPGRAM_LAB_PACKAGE", package)
    else:
        monkeypatch.delenv("SKIPGRAM_LAB_PACKAGE", raising=False)
    exec(source, {"get_ipython": lambda: shell})
    return shell.calls


def test_the_cell_installs_only_where_the_package_is_missing(monkeypatch, capsys):
    url, branch = add_install_cell.repository()
    source = add_install_cell.install_source(url, branch)
    assert run_cell(source, True, monkeypatch) == []
    assert run_cell(source, False, monkeypatch) == [("pip", f'install --quiet "skipgram-lab @ git+{url}@{branch}"')]
    assert run_cell(source, False, monkeypatch, "/tmp/w.whl") == [("pip", 'install --quiet "/tmp/w.whl"')]
    assert capsys.readouterr() == ("", "")


def test_in_the_projects_kernel_the_cell_prints_nothing():
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    nb.cells = nb.cells[1:2]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    assert nb.cells[0].outputs == []


def chapter():
    nb = new_notebook(cells=[new_markdown_cell("# Title"), new_code_cell("import numpy as np")])
    nb.nbformat_minor = 5
    return nb


def test_insert_update_and_idempotence(tmp_path):
    nb = chapter()
    assert add_install_cell.add_install_cell(nb, "print('v1')")
    assert [c.source for c in nb.cells] == ["# Title", "print('v1')", "import numpy as np"]
    assert nb.cells[1].id == add_install_cell.CELL_ID
    assert not add_install_cell.add_install_cell(nb, "print('v1')")  # nothing to do
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x")]
    nb.cells.insert(2, nb.cells.pop(1))  # moved away and run: put back, cleaned
    assert add_install_cell.add_install_cell(nb, "print('v2')")
    assert [c.source for c in nb.cells] == ["# Title", "print('v2')", "import numpy as np"]
    assert nb.cells[1].outputs == [] and nb.cells[1].metadata == {"tags": add_install_cell.TAGS}
    nbformat.validate(nb)


def test_the_script_writes_then_reports_nothing_to_do(tmp_path, monkeypatch):
    path = tmp_path / "01_x.ipynb"
    nbformat.write(chapter(), path)
    assert add_install_cell.main(["--check", str(path)]) == 1
    assert add_install_cell.main([str(path)]) == 0
    first = path.read_text()
    assert add_install_cell.main([str(path)]) == 0 and path.read_text() == first
    assert add_install_cell.main(["--check", str(path)]) == 0


def test_a_config_without_repository_is_an_error(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("title: x\n")
    with pytest.raises(ValueError, match="repository.url"):
        add_install_cell.repository(config)
