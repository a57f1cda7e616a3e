"""The maintenance scripts: strip_outputs, make_student, fetch_assets, build_book.

Each works on a small notebook (or tarball) built here in ``tmp_path``; the
asset download is tested against ``file://`` URLs, never the network.
"""

import base64
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_book  # noqa: E402
import fetch_assets  # noqa: E402
import make_student  # noqa: E402
import strip_outputs  # noqa: E402


def executed_notebook():
    """A notebook as it looks after a run in Jupyter: outputs, counts, noise."""
    nb = new_notebook()
    nb.metadata.update({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "version": "3.11.2", "pygments_lexer": "ipython3"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
    })
    stream = new_output("stream", name="stdout", text="5\n")
    nb.cells = [
        new_markdown_cell("# Title"),
        new_code_cell("x = 2 + 3\nprint(x)", execution_count=7, outputs=[stream],
                      metadata={"execution": {"iopub.status.busy": "2026-01-01"}, "scrolled": True,
                                "tags": ["keep-me"]}),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(x)", execution_count=8, outputs=[stream]),
        new_code_cell("x", execution_count=9, outputs=[new_output(
            "execute_result", data={"text/plain": "5"}, execution_count=9)]),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nx", execution_count=12, outputs=[new_output(
            "execute_result", data={"text/plain": "5"}, execution_count=12)]),
    ]
    return nb


# ---------------------------------------------------------------- strip_outputs


def test_strip_keeps_only_checked_outputs(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(executed_notebook(), path)

    assert strip_outputs.strip_file(path) is True
    nb = nbformat.read(path, as_version=4)
    plain, checked, plain_result, checked_result = nb.cells[1:]
    assert plain.outputs == [] and plain.execution_count is None
    assert plain_result.outputs == [] and plain_result.execution_count is None
    # nbval skips a checked cell whose count is empty, so checked cells keep a count,
    # renumbered 1, 2, ... so that re-running the notebook does not change the file.
    assert checked.outputs[0].text == "5\n" and checked.execution_count == 1
    assert checked_result.execution_count == 2 and checked_result.outputs[0].execution_count == 2


def test_strip_removes_metadata_noise_and_keeps_tags(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(executed_notebook(), path)
    strip_outputs.strip_file(path)
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    assert "version" not in nb.metadata.language_info
    assert nb.metadata.language_info.pygments_lexer == "ipython3"
    assert dict(nb.cells[1].metadata) == {"tags": ["keep-me"]}
    nbformat.validate(nb)


def test_strip_is_idempotent_and_check_mode_reports(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(executed_notebook(), path)
    assert strip_outputs.main(["--check", str(path)]) == 1  # not stripped yet
    strip_outputs.main([str(path)])
    once = path.read_bytes()
    assert strip_outputs.strip_file(path) is False
    assert path.read_bytes() == once
    assert strip_outputs.main(["--check", str(path)]) == 0


def test_strip_uses_nbvals_marker_rule():
    assert strip_outputs.checks_output(new_code_cell("import x\n  #  NBVAL_CHECK_OUTPUT\nx"))
    assert strip_outputs.checks_output(new_code_cell("x", metadata={"tags": ["nbval-check-output"]}))
    assert not strip_outputs.checks_output(new_code_cell("x  # NBVAL_CHECK_OUTPUT"))
    assert not strip_outputs.checks_output(new_code_cell("# NBVAL_IGNORE_OUTPUT\nx"))


# ---------------------------------------------------------------- make_student

SOLUTION = '''import numpy as np


def score(e_w, o_c):
    """The score s = e_w . o_c (eq. ns-score)."""
    # a dot product of two rows
    return float(e_w @ o_c)


def grad_e_w(p, o_c):
    return (p - 1) * o_c


answer = score(np.ones(2), np.ones(2))'''

EXERCISE_MD = """## Exercises

```{exercise}
:label: ex-score

Write `score`.
```

```{solution-start} ex-score
:class: dropdown
```

The score is a dot product:"""

AFTER_MD = """```{solution-end}
```

Text after the solution stays.

````{solution} ex-other
:class: dropdown

```python
secret = 42
```
````

The end."""


def exercise_notebook():
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_markdown_cell("# Chapter"),
        new_markdown_cell(EXERCISE_MD),
        new_code_cell(SOLUTION, metadata={"tags": ["solution"]}, execution_count=3,
                      outputs=[new_output("stream", name="stdout", text="2.0\n")]),
        new_code_cell("print('the answer is', answer)"),  # inside the solution block
        new_markdown_cell(AFTER_MD),
        new_code_cell("from skipgram_lab import checks"),
        new_code_cell("total = 1 + 1", metadata={"tags": ["solution"]}),
        new_code_cell("from skipgram_lab.checks import check_total\n\ncheck_total(total)"),
    ]
    return nb


def test_student_stubs_solution_cells_keeping_signatures():
    student = make_student.make_student_notebook(exercise_notebook())
    stub = student.cells[2]
    assert stub.source.startswith("import numpy as np\n\n\ndef score(e_w, o_c):\n")
    assert '"""The score s = e_w . o_c (eq. ns-score)."""' in stub.source  # docstring kept
    assert "e_w @ o_c" not in stub.source and "(p - 1)" not in stub.source
    assert "a dot product of two rows" not in stub.source
    assert "answer =" not in stub.source
    # each body, and the statements after the definitions, become the stub line
    assert stub.source.count("raise NotImplementedError") == 3
    assert stub.source.endswith(f"\n\n\n{make_student.course.STUB}")
    assert "def grad_e_w(p, o_c):\n    raise NotImplementedError(" in stub.source
    assert stub.outputs == [] and stub.execution_count is None
    assert student.cells[-2].source == make_student.course.STUB  # no def: just the raise
    assert "nbgrader" not in stub.metadata

    namespace = {}
    with pytest.raises(NotImplementedError, match="Exercise: replace this line with your code"):
        exec(stub.source, namespace)  # the cell stops at the statement the learner writes
    with pytest.raises(NotImplementedError, match="Exercise: replace this line"):
        namespace["score"](1, 2)  # and each function says what to do


def test_student_removes_markdown_solutions_across_cells():
    student = make_student.make_student_notebook(exercise_notebook())
    text = "\n".join(cell.source for cell in student.cells)
    assert "{exercise}" in text and "Write `score`." in text
    for gone in ("solution-start", "solution-end", "{solution}", "dot product:", "secret", "the answer is"):
        assert gone not in text
    assert "Text after the solution stays." in text and "The end." in text
    assert [c.cell_type for c in student.cells] == ["markdown", "markdown", "code", "markdown", "code", "code",
                                                    "code"]


def test_student_rejects_unclosed_solution():
    nb = exercise_notebook()
    nb.cells[4].source = "no end here"
    with pytest.raises(ValueError, match="solution-end"):
        make_student.make_student_notebook(nb, name="ch.ipynb")


def test_make_student_copies_folder_and_is_idempotent(tmp_path):
    src, dest = tmp_path / "notebooks", tmp_path / "student"
    src.mkdir()
    nbformat.write(exercise_notebook(), src / "04_exercise.ipynb")
    (src / "figure.svg").write_text("<svg/>")
    (src / ".ipynb_checkpoints").mkdir()
    (src / ".ipynb_checkpoints" / "04_exercise-checkpoint.ipynb").write_text("{}")

    assert make_student.main([str(src), str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == ["04_exercise.ipynb", "figure.svg"]
    first = (dest / "04_exercise.ipynb").read_text()
    nbformat.validate(nbformat.reads(first, as_version=4))

    again = tmp_path / "again"
    make_student.make_student(dest, again)  # the student version of a student version
    assert (again / "04_exercise.ipynb").read_text() == first


def test_make_student_names_a_missing_source(tmp_path, capsys):
    assert make_student.main([str(tmp_path / "nope"), str(tmp_path / "out")]) == 1
    assert "src_dir must be a folder" in capsys.readouterr().err


# ---------------------------------------------------------------- fetch_assets


def fake_registry(tmp_path, name="fakepkg", version="1.0.0", files=None):
    """A folder laid out like an npm registry with one tarball; returns (url, Package)."""
    files = files or {"package/dist/app.js": b"console.log(1)", "package/dist/big.js.map": b"x",
                      "package/fonts/a.woff": b"font"}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for member, data in files.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    data = buffer.getvalue()
    folder = tmp_path / "registry" / name / "-"
    folder.mkdir(parents=True)
    (folder / f"{name}-{version}.tgz").write_bytes(data)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    package = fetch_assets.Package(name, version, integrity, (
        ("package/dist/app.js", "fake"), ("package/fonts/*.woff", "fake/fonts")))
    return (tmp_path / "registry").as_uri(), package


def test_fetch_extracts_only_selected_files_and_is_idempotent(tmp_path):
    registry, package = fake_registry(tmp_path)
    dest = tmp_path / "_assets"
    assert fetch_assets.fetch(dest, [package], registry, log=lambda *a: None) is True
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == ["fake/app.js", "fake/fonts/a.woff", "manifest.json"]
    assert json.loads((dest / "manifest.json").read_text())["packages"] == {
        "fakepkg": {"version": "1.0.0", "integrity": package.integrity}}

    # Second run: nothing downloaded, even with the registry gone.
    (tmp_path / "registry" / "fakepkg" / "-" / "fakepkg-1.0.0.tgz").unlink()
    assert fetch_assets.fetch(dest, [package], registry, log=lambda *a: None) is False
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("._assets")]  # no temp left


def test_fetch_refuses_a_tarball_that_is_not_the_pinned_one(tmp_path):
    registry, package = fake_registry(tmp_path)
    wrong = fetch_assets.Package(package.name, package.version,
                                 "sha512-" + base64.b64encode(b"\0" * 64).decode(), package.files)
    dest = tmp_path / "_assets"
    with pytest.raises(fetch_assets.AssetError, match="sha512 mismatch"):
        fetch_assets.fetch(dest, [wrong], registry, log=lambda *a: None)
    assert not dest.exists()


def test_fetch_offline_says_to_run_once_with_network(tmp_path, capsys, monkeypatch):
    dest = tmp_path / "_assets"
    # Port 9 on loopback: connection refused, as when offline; nothing leaves the machine.
    monkeypatch.setattr(fetch_assets, "TIMEOUT", 5)
    code = fetch_assets.main([str(dest), "--registry", "http://127.0.0.1:9"])
    assert code == 1
    err = capsys.readouterr().err
    assert "could not download http://127.0.0.1:9/mathjax" in err
    assert "once with network" in err and "`make book`" in err
    assert not dest.exists()


def test_fetch_replaces_an_outdated_folder(tmp_path):
    registry, package = fake_registry(tmp_path)
    dest = tmp_path / "_assets"
    (dest / "stale").mkdir(parents=True)
    (dest / "manifest.json").write_text('{"packages": {"old": {}}}')
    fetch_assets.fetch(dest, [package], registry, log=lambda *a: None)
    assert not (dest / "stale").exists() and (dest / "fake" / "app.js").is_file()


def test_pinned_packages_carry_sha512_integrity():
    names = {p.name: p for p in fetch_assets.PACKAGES}
    assert set(names) == {"mathjax", "@jupyter-widgets/html-manager", "requirejs"}
    for package in fetch_assets.PACKAGES:
        assert package.integrity.startswith("sha512-") and len(base64.b64decode(package.integrity[7:])) == 64
    assert names["@jupyter-widgets/html-manager"].tarball_url("https://r.org") == \
        "https://r.org/@jupyter-widgets/html-manager/-/html-manager-1.0.15.tgz"


def test_build_book_jobs_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SKIPGRAM_LAB_BUILD_JOBS", "3")
    assert build_book.default_jobs() == 3
    monkeypatch.setenv("SKIPGRAM_LAB_BUILD_JOBS", "two")
    with pytest.raises(SystemExit, match="SKIPGRAM_LAB_BUILD_JOBS.*'two'"):
        build_book.default_jobs()
    monkeypatch.delenv("SKIPGRAM_LAB_BUILD_JOBS")
    assert 1 <= build_book.default_jobs() <= 2


def test_build_book_passes_its_jobs_to_sphinx(monkeypatch):
    """The wrapper changes one thing in `jupyter-book build`: the number of Sphinx processes."""
    import jupyter_book.sphinx

    seen = {}

    def fake_build_sphinx(sourcedir, outputdir, **kwargs):
        seen.update(kwargs, outputdir=outputdir)
        return 0

    monkeypatch.setattr(jupyter_book.sphinx, "build_sphinx", fake_build_sphinx)
    with pytest.raises(SystemExit) as stop:
        build_book.main(["--jobs", "2", str(ROOT), "-W", "-n", "--keep-going"])
    assert stop.value.code in (0, None)
    assert seen["jobs"] == 2 and seen["warningiserror"] and seen["keep_going"]
    assert seen["confoverrides"]["nitpicky"] is True
    assert Path(seen["outputdir"]) == ROOT / "_build" / "html"
    with pytest.raises(SystemExit, match="--jobs needs a whole number"):
        build_book.main(["--jobs", "0", str(ROOT)])


# ---- tests/nbval_record.py: nbval's run as an executed notebook for the book's cache ----------
def nbval_items(sources, outputs):
    """Stand-ins for nbval's cell items: ``cell``, ``cell_num``, ``parent.nb``, ``test_outputs``."""
    from types import SimpleNamespace

    nb = new_notebook(cells=[new_markdown_cell("# A chapter")] + [new_code_cell(s) for s in sources])
    parent = SimpleNamespace(nb=nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [SimpleNamespace(cell=c, cell_num=i, parent=parent,
                            test_outputs=[nbformat.from_dict(o) for o in outs])
            for i, (c, outs) in enumerate(zip(code, outputs))]


def test_nbval_record_writes_what_a_front_end_shows(monkeypatch):
    sys.path.insert(0, str(ROOT / "tests"))
    import nbval_record

    monkeypatch.setattr(nbval_record, "_failed", [])
    value = {"output_type": "execute_result", "data": {"text/plain": "True"}, "metadata": {},
             "execution_count": None}
    printed = {"output_type": "stream", "name": "stdout", "text": "ok\n"}
    items = nbval_items(["print('ok')\ncheck(f)", "check(f);  # quiet", "x = 1"],
                        [[printed, value], [printed, value], []])
    nb = nbval_record.executed_notebook(items)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3]
    assert [o.output_type for o in code[0].outputs] == ["stream", "execute_result"]
    assert code[0].outputs[1].execution_count == 1
    assert [o.output_type for o in code[1].outputs] == ["stream"]  # the ';' hides the value
    assert code[2].outputs == [] and nb.cells[0].cell_type == "markdown"
    assert items[0].parent.nb.cells[1].outputs == []  # nbval's own notebook is left alone

    widget = {"output_type": "display_data", "metadata": {},
              "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "a"}, "text/plain": "w"}}
    assert nbval_record.executed_notebook(nbval_items(["w"], [[widget]])) is None  # the book runs it
    monkeypatch.setattr(nbval_record, "_failed", ["notebooks/x.ipynb::Cell 0"])
    assert nbval_record.executed_notebook(nbval_items(["x = 1"], [[]])) is None
