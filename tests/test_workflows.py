"""The GitHub Actions workflows, the Binder environment: valid, and calling what CI calls.

The workflows cannot run here, so they are checked:

- against GitHub's workflow schema (check-jsonschema's vendored copy, offline);
- for what they run: the pull-request workflow runs ``.ci/run``, the Pages
  workflow runs ``make book`` (the README's command) and ``make pdf`` and
  publishes ``_build/html``; every ``make`` target they or ``.ci/run`` call
  exists in the Makefile, so the workflows and CI cannot drift apart;
- on the Python version the project is developed on (3.11, pyproject.toml).
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CI, BOOK = WORKFLOWS / "ci.yml", WORKFLOWS / "book.yml"


def load(path):
    workflow = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads a bare `on` as True
    return workflow


def runs(workflow):
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def uses(workflow):
    return [step["uses"].split("@")[0] for job in workflow["jobs"].values()
            for step in job.get("steps", []) if "uses" in step]


def make_targets():
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))


def test_workflows_match_githubs_schema():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["book.yml", "ci.yml"]
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                          *map(str, files)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_schema_check_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    steps:\n      - run: make book\n")  # no runs-on
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                          str(broken)], capture_output=True, text=True)
    assert run.returncode == 1 and "runs-on" in run.stdout + run.stderr


def test_pull_requests_run_the_ci_script():
    workflow = load(CI)
    assert "pull_request" in workflow["on"]
    assert runs(workflow) == ["bash .ci/run"]
    assert (ROOT / ".ci" / "run").is_file()


def test_the_pages_workflow_builds_with_the_readmes_command_and_publishes_the_html():
    workflow = load(BOOK)
    assert "make book" in (ROOT / "README.md").read_text()
    commands = runs(workflow)
    assert "make book" in commands and "make pdf" in commands
    assert commands.index("make book") < commands.index("make pdf")
    assert uses(workflow) == ["actions/checkout", "actions/upload-pages-artifact", "actions/deploy-pages"]
    upload = next(step for step in workflow["jobs"]["build"]["steps"]
                  if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_every_make_target_called_exists():
    called = set()
    for text in [*map(str, (load(CI), load(BOOK))), (ROOT / ".ci" / "run").read_text()]:
        called |= set(re.findall(r"\bmake ([a-z][\w-]*)", text))
    assert called and called <= make_targets(), f"not in the Makefile: {called - make_targets()}"
    assert {"setup", "test", "book", "pdf", "course", "student"} <= make_targets()


@pytest.mark.parametrize("path", [CI, BOOK], ids=["ci", "book"])
def test_workflows_run_on_the_projects_python(path):
    python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    version = re.search(r"\d+\.\d+", python).group(0)
    containers = {job.get("container") for job in load(path)["jobs"].values() if "steps" in job
                  and any("run" in step for step in job["steps"])}
    assert containers == {f"python:{version}-bookworm"}


def test_binder_installs_the_pinned_toolchain_and_the_package():
    requirements = (ROOT / "binder" / "requirements.txt").read_text()
    assert re.search(r"^-r \.\./requirements\.txt$", requirements, re.M)
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert re.search(r"pip install --no-deps \.$", post_build.read_text(), re.M)
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
