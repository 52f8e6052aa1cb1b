"""The baked toolkit's own checks pass: its test suite and its linter."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from .baking import DEMO_DATA, NO_SOURCES, cookiecutter_cli, run

NO_SOURCE_ANSWERS = [f"{key}={value}" for key, value in NO_SOURCES.items()]


# Most of the toolkit's own tests run on its fixtures, whatever the city; for another city only those that
# read the baked toolkit.yaml itself are run again, so the suite runs in full once.
OWN_CONFIG_TESTS = ["tests/test_config.py", "tests/test_letters.py", "tests/test_population.py",
                    "tests/test_dictionaries.py", "tests/test_site.py"]


@pytest.mark.parametrize(
    ("answers", "tests"),
    [({}, []), ({"city": "Springfield", "state": "Illinois", **NO_SOURCES}, OWN_CONFIG_TESTS)],
    ids=["the demo city", "another city with no data"],
)
def test_the_generated_projects_own_tests_pass(bake, answers, tests):
    project = bake(**answers)
    # One process runs the whole suite (the other tests keep the run's other core busy): it may take a while.
    done = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *tests],
               cwd=project, timeout=1800)  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
    assert "failed" not in done.stdout


# The toolkit lives on by itself: a package that installs alone, commit hooks that pass on the first
# commit, workflows GitHub accepts, and the refresh commands they run.

def _baked(tmp_path: Path, *answers: str) -> Path:
    done = cookiecutter_cli(tmp_path / "out", "city=Saint Paul", *NO_SOURCE_ANSWERS, *answers)
    assert done.returncode == 0, done.stderr
    return tmp_path / "out" / "saint-paul"


def test_the_package_declares_what_it_imports_and_a_console_command(tmp_path):
    project = _baked(tmp_path)
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "-q", "-w", str(dist), "."], cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        info = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "safety-toolkit = safety_toolkit.cli:main" in entry_points
    declared = {
        re.split(r"[<>=!~ ;\[]", line.removeprefix("Requires-Dist: "))[0].lower().replace("_", "-")
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    # Every third-party module the package imports belongs to a declared distribution.
    imported = set()
    for path in (project / "safety_toolkit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    owners = importlib.metadata.packages_distributions()
    third_party = {name for name in imported if name not in sys.stdlib_module_names and name != "safety_toolkit"}
    missing = {
        name for name in third_party
        if not {dist.lower().replace("_", "-") for dist in owners.get(name, [name])} & declared
    }
    assert not missing, f"imported but not in pyproject.toml's dependencies: {sorted(missing)}"
    requirements = (project / "requirements.txt").read_text(encoding="utf-8").lower().replace("_", "-")
    assert all(f"\n{name}==" in requirements or requirements.startswith(f"{name}==") for name in declared)
    pinned_lab = re.search(r"\njupyterlab==(\S+)", requirements)
    assert pinned_lab, "JupyterLab is pinned"
    lab = run([sys.executable, "-m", "jupyter", "lab", "--version"], cwd=project)
    assert lab.stdout.strip() == pinned_lab.group(1), lab.stderr  # what "make notebook" opens
    assert "-m jupyter lab notebooks/" in (project / "Makefile").read_text(encoding="utf-8")
    helped = run([sys.executable, "-c", "from safety_toolkit.cli import main; main(['--help'])"], cwd=project)
    assert "fetch" in helped.stdout
    assert "standardize" in helped.stdout


def test_a_first_commit_passes_the_shipped_hooks_offline(tmp_path):
    project = _baked(tmp_path, f"police_stops_source={DEMO_DATA}")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=project, check=True)
    env = {**os.environ, "TOOLKIT_PYTHON": sys.executable, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    done = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=project, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert done.stdout.count("Passed") == 4, done.stdout  # ruff, mypy, nbstripout, workflows
    changed = run(["git", "diff", "--stat"], cwd=project)
    assert changed.stdout == ""  # no hook rewrote a shipped file
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert {repo["repo"] for repo in config["repos"]} == {"local"}  # nothing to download


def test_the_workflows_are_valid_and_run_the_pinned_commands(tmp_path):
    project = _baked(tmp_path)
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in workflows] == ["refresh.yml", "test.yml"]
    checked = run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                   *map(str, workflows)], cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    test = yaml.safe_load((project / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    setup = next(step for step in test["jobs"]["test"]["steps"] if "setup-python" in step.get("uses", ""))
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "requirements.txt"
    refresh = yaml.safe_load((project / ".github/workflows/refresh.yml").read_text(encoding="utf-8"))
    triggers = refresh[True]  # YAML 1.1 reads the key "on" as true
    assert "schedule" in triggers
    assert "workflow_dispatch" in triggers
    steps = [*refresh["jobs"]["build"]["steps"], *refresh["jobs"]["deploy"]["steps"]]
    uses = {step["uses"].split("@")[0] for step in steps if "uses" in step}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    assert {"actions/cache/restore", "actions/cache/save"} <= uses
    commands = "\n".join(step.get("run", "") for step in steps)
    for command in ("safety_toolkit.refresh due", "safety_toolkit.refresh run", "safety_toolkit.refresh bundle"):
        assert command in commands


def test_a_refresh_whose_fetch_fails_still_builds_the_site_and_says_so(tmp_path):
    """What the scheduled workflow runs, in a baked toolkit: one source is gone; the others' reports, the site
    and the bundle are still made, and data/last_refresh.json records the failure."""
    stops = tmp_path / "stops.csv.gz"
    shutil.copy(DEMO_DATA, stops)
    project = _baked(tmp_path, f"police_stops_source={stops}")
    due = run([sys.executable, "-m", "safety_toolkit.refresh", "due", "--date", "2026-11-30"], cwd=project)
    assert due.stdout.strip() == "due=true", due.stderr  # weekly, on Mondays, from toolkit.defaults.yaml
    stops.unlink()  # the portal is down
    done = run([sys.executable, "-m", "safety_toolkit.refresh", "run"], cwd=project)
    assert done.returncode == 1
    assert "the site was rebuilt from the last good data" in done.stderr
    status = json.loads((project / "data" / "last_refresh.json").read_text(encoding="utf-8"))
    assert status["fetch_ok"] is False
    assert status["steps"]["site"] is True
    assert any("police_stops" in line for line in status["fetch_problems"])
    bundled = run([sys.executable, "-m", "safety_toolkit.refresh", "bundle", "_site"], cwd=project)
    assert bundled.returncode == 0, bundled.stderr
    site = project / "_site"
    assert (site / "index.html").is_file()
    assert (site / "last_refresh.json").is_file()
    front = (site / "index.html").read_text(encoding="utf-8")
    assert f"The refresh on {status['attempted_at'][:10]} could not fetch every source" in front
    assert (site / "reports" / "arrests" / "arrests.html").is_file()
    assert not (site / "data").exists()
    assert not list(site.rglob("*.ipynb"))
