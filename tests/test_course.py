"""The exercises as an nbgrader course (tools/course.py), from tags to grades.

Fast tests: the metadata derived from the tags (exercises, ids, points,
solution regions) on small notebooks and on every chapter, checked with
nbgrader's own validator.

The round trip (slow, with nbgrader itself): ``make course``'s build in a
temporary folder, then submissions graded by ``nbgrader autograde`` and
``nbgrader generate_feedback``:

- every chapter's released notebook, unchanged: 0 points on every exercise,
  and feedback that says what is missing (the stub or the check's message);
- the reference solutions typed into the released notebook: full points, for
  the chapters in REFERENCE_CHAPTERS (one per part). For the other chapters
  the same facts are checked without a second full execution: their nbgrader
  metadata by nbgrader's validator (the fast test above), and that their
  reference solutions pass their checks by nbval (tests/test_notebooks.py,
  which runs the chapters with the solutions in place);
- chapter 4 with a sign error in the gradient: loses exactly that exercise.

Each chapter is graded in its own copy of the course (its own gradebook), two
copies at a time, so the two cores stay busy until the last chapter is done.

The released notebooks are also what ``make student`` writes (one source).
"""

import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))

import course  # noqa: E402
import make_student  # noqa: E402

MISTAKE_CHAPTER, MISTAKE_EXERCISE = "04_one_update", "ns-ex-grad"
# Graded with their reference solutions too: one chapter of each part (and the mistake's chapter).
REFERENCE_CHAPTERS = ("04_one_update", "09_matrix_factorisation", "13_cbow")
# A typical mistake: the gradients of loss_and_grad with the sign flipped (the loss is right).
SIGN_ERROR = """

_right = loss_and_grad


def loss_and_grad(e_w, o_c, O_neg):
    loss, *grads = _right(e_w, o_c, O_neg)
    return (loss, *[-g for g in grads])"""


def chapter(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def exercise_md(label):
    return new_markdown_cell(f"```{{exercise}}\n:label: {label}\nDo it.\n```\n\n"
                             f"```{{solution-start}} {label}\n:class: dropdown\n```")


def solution_end():
    return new_markdown_cell("```{solution-end}\n```")


# ---------------------------------------------------------------- the metadata, from the tags

def test_exercises_pair_each_solution_with_the_next_check():
    nb = chapter(
        new_markdown_cell("# Title"),
        exercise_md("ex-a"),
        new_code_cell("def f(x):\n    return x", metadata={"tags": ["solution"]}),
        solution_end(),
        new_code_cell("print(f(1))"),  # uses the solution, is not a check
        new_code_cell("from skipgram_lab.checks import check_f\n\ncheck_f(f)", metadata={"tags": ["points-3"]}),
        exercise_md("ex-b"),
        new_code_cell("def g(x):\n    return x", metadata={"tags": ["solution"]}),
        new_code_cell("def h(x):\n    return x", metadata={"tags": ["solution"]}),
        solution_end(),
        new_code_cell("from skipgram_lab import checks\n\nchecks.check_gh(g, h)"),
        new_code_cell("from skipgram_lab.checks import check_f\n\ncheck_f(f)"),  # no solution before it
    )
    assert course.find_exercises(nb) == [course.Exercise((2,), 5, "ex-a", 3),
                                         course.Exercise((7, 8), 10, "ex-b", 1)]
    meta = [cell.metadata.get("nbgrader") for cell in course.annotate(nb).cells]
    assert meta[2] == {"grade": False, "grade_id": "ex-a", "locked": False, "schema_version": 3,
                       "solution": True, "task": False}
    assert meta[5] == {"grade": True, "grade_id": "ex-a-check", "locked": True, "points": 3,
                       "schema_version": 3, "solution": False, "task": False}
    assert [meta[i]["grade_id"] for i in (7, 8, 10)] == ["ex-b", "ex-b-part2", "ex-b-check"]
    assert meta[4] is None and meta[11] is None
    assert "nbgrader" not in nb.cells[2].metadata  # the chapter itself is left alone


def test_a_solution_without_a_check_is_an_error():
    nb = chapter(new_code_cell("def f(x):\n    return x", metadata={"tags": ["solution"]}),
                 new_code_cell("print(f(1))"))
    with pytest.raises(ValueError, match="ch.ipynb: the solution cell 0 has no check after it"):
        course.find_exercises(nb, "ch.ipynb")


def test_regions_keep_imports_signatures_docstrings_and_fields():
    source = '''import numpy as np


class Counter:
    """Counts."""

    total: int = 0

    def add(self, x):
        """Add x."""
        # running sum
        self.total += x


def f(x): return 2 * x


def g(
    x,
):
    y = x + 1
    return y


answer = f(1)
other = g(2)'''
    marked = course.mark_regions(source)
    assert marked == '''import numpy as np


class Counter:
    """Counts."""

    total: int = 0

    def add(self, x):
        """Add x."""
        ### BEGIN SOLUTION
        # running sum
        self.total += x
        ### END SOLUTION


def f(x):
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION


def g(
    x,
):
    ### BEGIN SOLUTION
    y = x + 1
    return y
    ### END SOLUTION


### BEGIN SOLUTION
answer = f(1)
other = g(2)
### END SOLUTION'''
    assert course.mark_regions(marked) == marked  # already marked: unchanged
    stub = course.clear_solutions(marked)
    assert stub.count(course.STUB) == 4 and '"""Add x."""' in stub and "total: int = 0" in stub
    assert "def g(\n    x,\n):\n    raise NotImplementedError(" in stub
    namespace = {}
    with pytest.raises(NotImplementedError):
        exec(stub, namespace)
    with pytest.raises(NotImplementedError, match="Exercise: replace this line"):
        namespace["g"](1)


def test_a_cell_without_definitions_or_with_magics_is_one_region():
    assert course.mark_regions("total = 1 + 1\n") == f"{course.BEGIN}\ntotal = 1 + 1\n{course.END}"
    assert course.clear_solutions(course.mark_regions("%time x = 1")) == course.STUB


def test_clear_solutions_rejects_an_unclosed_region():
    with pytest.raises(ValueError, match="no END SOLUTION"):
        course.clear_solutions(f"x = 1\n{course.BEGIN}\ny = 2")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_every_chapter_annotates_to_valid_nbgrader_metadata(notebook):
    validator = pytest.importorskip("nbgrader.nbgraderformat").MetadataValidator()
    nb = nbformat.read(notebook, as_version=4)
    annotated = course.annotate(nb, notebook.name)
    validator.validate_nb(annotated)  # nbgrader's own rules: ids, points, unique ids
    for exercise in course.find_exercises(nb, notebook.name):
        for i in exercise.solutions:
            stub = course.clear_solutions(annotated.cells[i].source)
            compile(stub, f"{notebook.name} cell {i}", "exec")  # the student's stub is valid Python
            assert "raise NotImplementedError" in stub


# ---------------------------------------------------------------- the round trip, with nbgrader

def nbgrader(*commands, folders, jobs=2):
    """Run the nbgrader commands one after the other in each course folder, ``jobs`` folders at a time.

    A folder goes on to its next command as soon as its previous one is done (no waiting for
    the other folders), so both cores stay busy to the end.
    """
    def run(folder):
        for args in commands:
            done = subprocess.run([*course.nbgrader_command(), *args], cwd=folder, env=course.nbgrader_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=3000)
            if done.returncode != 0 or "Exception while loading config file" in done.stdout:
                return args, done
        return None

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for failed in pool.map(run, folders):
            if failed is not None:
                args, done = failed
                assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout[-6000:]}"
                assert "Exception while loading config file" not in done.stdout, done.stdout[-6000:]


def submit(course_dir, student, name, nb):
    folder = course_dir / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def answered(release, source, mistake=None):
    """The released notebook with the reference solutions typed in (and one mistake)."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    solutions = {c.metadata.nbgrader["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            typed = "\n".join(line for line in solutions[grade_id].split("\n") if "SOLUTION" not in line)
            cell.source = typed + (SIGN_ERROR if grade_id == mistake else "")
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build the course, submit each chapter's notebooks, autograde, write feedback.

    Each chapter is graded in its own copy of the course, two at a time.
    Returns (course folder of each chapter, chapter names, scores).
    """
    pytest.importorskip("nbgrader", reason="nbgrader is in requirements.txt: run `make setup`")
    built = tmp_path_factory.mktemp("course")
    names = course.build_course(ROOT / "notebooks", built)
    assert set(REFERENCE_CHAPTERS) <= set(names), f"REFERENCE_CHAPTERS names a chapter without exercises: {names}"
    where = {}
    for name in names:
        folder = where[name] = tmp_path_factory.mktemp("course") / name
        shutil.copytree(built, folder)
        release = nbformat.read(folder / "release" / name / f"{name}.ipynb", as_version=4)
        source = nbformat.read(folder / "source" / name / f"{name}.ipynb", as_version=4)
        submit(folder, "unchanged", name, release)
        if name in REFERENCE_CHAPTERS:
            submit(folder, "reference", name, answered(release, source))
        if name == MISTAKE_CHAPTER:
            submit(folder, "mistake", name, answered(release, source, mistake=MISTAKE_EXERCISE))
    folders = list(where.values())
    nbgrader(("autograde", "*", "--force"), ("generate_feedback", "*", "--force"), folders=folders)
    from nbgrader.api import Gradebook

    scores = {}
    for name, folder in where.items():
        with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
            for submission in gradebook.assignment_submissions(name):
                notebook = submission.notebooks[0]
                scores[name, submission.student_id] = {
                    grade.cell.name: (grade.score, grade.max_score) for grade in notebook.grades}
    return where, names, scores


def helpful(ename, evalue):
    """The stub itself, or an exercise check saying what is missing or expected."""
    if ename == "NotImplementedError":
        return True
    message = evalue.lower()
    return ename in ("ExerciseCheckFailed", "AssertionError") and (
        "not implemented" in message or "expected" in message)


def exercise_ids(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return {f"{e.grade_id}-check": e.points for e in course.find_exercises(nb, name)}


@pytest.mark.slow
def test_every_chapter_with_exercises_is_an_assignment(graded):
    where, names, _ = graded
    course_dir = where[names[0]]
    with_exercises = [nb.stem for nb in NOTEBOOKS if course.find_exercises(nbformat.read(nb, as_version=4))]
    assert names == with_exercises and names, "no chapter has exercises?"
    config = (course_dir / "nbgrader_config.py").read_text()
    assert "RemoveWrittenSolutions" in config and course.STUB in config


@pytest.mark.slow
def test_the_release_is_what_make_student_writes(graded):
    where, names, _ = graded
    for name in names:
        release = nbformat.read(where[name] / "release" / name / f"{name}.ipynb", as_version=4)
        student = make_student.make_student_notebook(
            nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4), name)
        assert [(c.cell_type, c.source) for c in release.cells] == \
               [(c.cell_type, c.source) for c in student.cells], f"{name}: release != make student"
        text = "\n".join(c.source for c in release.cells)
        assert "solution-start" not in text and "BEGIN SOLUTION" not in text


@pytest.mark.slow
def test_an_unchanged_release_gets_zero_with_helpful_feedback(graded):
    where, names, scores = graded
    for name in names:
        course_dir = where[name]
        expected = exercise_ids(name)
        got = scores[name, "unchanged"]
        assert {cell: got[cell] for cell in expected} == {cell: (0, points) for cell, points in expected.items()}
        autograded = nbformat.read(course_dir / "autograded" / "unchanged" / name / f"{name}.ipynb",
                                   as_version=4)
        errors = [(i, o.ename, o.evalue) for i, cell in enumerate(autograded.cells) if cell.cell_type == "code"
                  for o in cell.outputs if o.output_type == "error"]
        cell, ename, evalue = errors[0]
        assert helpful(ename, evalue), (
            f"{name}, cell {cell}: the first error a learner meets is {ename}: {evalue}; expected the "
            "stub's NotImplementedError or a check saying what is 'not implemented' or 'expected'")
        for cell in autograded.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                errors = [o for o in cell.outputs if o.output_type == "error"]
                assert errors, f"{name}: check {cell.metadata.nbgrader['grade_id']} raised nothing"
                ename, evalue = errors[0].ename, errors[0].evalue
                assert helpful(ename, evalue), \
                    f"{name}, {cell.metadata.nbgrader['grade_id']}: unhelpful feedback {ename}: {evalue}"
        feedback = (course_dir / "feedback" / "unchanged" / name / f"{name}.html").read_text()
        assert re.search(r"not implemented yet|replace this line with your code", feedback), name
        assert f"Score: 0.0 / {float(sum(expected.values()))}" in feedback.replace("&nbsp;", " ") or \
            re.search(rf"Score:\s*0\.0\s*/\s*{float(sum(expected.values()))}", feedback), name


@pytest.mark.slow
def test_the_reference_solutions_get_full_points(graded):
    _, _, scores = graded
    for name in REFERENCE_CHAPTERS:
        expected = exercise_ids(name)
        got = scores[name, "reference"]
        assert {cell: got[cell] for cell in expected} == {c: (p, p) for c, p in expected.items()}, name


@pytest.mark.slow
def test_a_sign_error_loses_exactly_that_exercise(graded):
    _, _, scores = graded
    expected = exercise_ids(MISTAKE_CHAPTER)
    got = scores[MISTAKE_CHAPTER, "mistake"]
    wrong = f"{MISTAKE_EXERCISE}-check"
    assert wrong in expected
    assert {cell: got[cell] for cell in expected} == {
        c: (0 if c == wrong else p, p) for c, p in expected.items()}
