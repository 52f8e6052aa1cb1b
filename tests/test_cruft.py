"""cruft create and cruft update: shared notebooks arrive through the Jinja extension, user edits survive."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from .conftest import NO_SOURCES, TEMPLATE, run

CRUFT = [sys.executable, "-m", "cruft"]
IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "__pycache__", ".pytest_cache", ".ruff_cache")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )
    return done.stdout.strip()


def _template_repo(root: Path) -> tuple[Path, str, str]:
    """A git copy of this template with two commits: v1, an older state, and v2, the current one."""
    repo = root / "template"
    shutil.copytree(TEMPLATE, repo, ignore=IGNORE)
    current_notebook = (repo / "shared_notebooks" / "police_stops.ipynb").read_text(encoding="utf-8")
    book = nbformat.reads(current_notebook, as_version=4)
    book.cells = book.cells[:-1]  # v1 lacked the provenance cell
    nbformat.write(book, repo / "shared_notebooks" / "police_stops.ipynb")
    readme = repo / "{{ cookiecutter.city_slug | folder_name }}" / "README.md"
    current_readme = readme.read_text(encoding="utf-8")
    readme.write_text(current_readme.replace("## Reading the reports", "## Reading reports"), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    v1 = git(repo, "rev-parse", "HEAD")
    (repo / "shared_notebooks" / "police_stops.ipynb").write_text(current_notebook, encoding="utf-8")
    readme.write_text(current_readme, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "v2")
    return repo, v1, git(repo, "rev-parse", "HEAD")


def test_cruft_create_then_update_keeps_user_edits(tmp_path):
    repo, v1, v2 = _template_repo(tmp_path)
    out = tmp_path / "out"
    context = json.dumps({**NO_SOURCES, "city": "Saint Paul", "state": "MN"})
    done = run([*CRUFT, "create", str(repo), "--checkout", v1, "--no-input", "--output-dir", str(out),
                "--extra-context", context], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    project = out / "saint-paul"
    notebook = project / "notebooks" / "police_stops" / "police_stops.ipynb"
    assert len(nbformat.read(notebook, as_version=4).cells) == len(
        nbformat.read(TEMPLATE / "shared_notebooks" / "police_stops.ipynb", as_version=4).cells
    ) - 1

    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "as generated")
    toolkit = project / "toolkit.yaml"
    toolkit.write_text(toolkit.read_text().replace("small_count_threshold: 10", "small_count_threshold: 5"))
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur brigade meets on Saturdays.\n")
    git(project, "commit", "-q", "-am", "our edits")

    done = run([*CRUFT, "update", "--checkout", v2, "-y"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not list(project.rglob("*.rej"))
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "<<<<<<<" not in text and ">>>>>>>" not in text, path
    assert notebook.read_text(encoding="utf-8").strip() == (
        (TEMPLATE / "shared_notebooks" / "police_stops.ipynb").read_text(encoding="utf-8").strip()
    )
    nbformat.validate(nbformat.read(notebook, as_version=4))
    assert "small_count_threshold: 5" in toolkit.read_text()
    assert "## Reading the reports" in readme.read_text() and "Our brigade meets on Saturdays." in readme.read_text()
    assert json.loads((project / ".cruft.json").read_text())["commit"] == v2
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "update")
    assert run([*CRUFT, "check"], cwd=project).returncode == 0
    ran = run([sys.executable, "-m", "safety_toolkit", "run", "--topic", "police_stops"], cwd=project)
    assert ran.returncode == 0, ran.stdout + ran.stderr
