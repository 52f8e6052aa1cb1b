"""cruft create and cruft update: shared notebooks arrive through the Jinja extension, user edits survive."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from .baking import NO_SOURCES, TEMPLATE, run

CRUFT = [sys.executable, "-m", "cruft"]
IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "__pycache__", ".pytest_cache", ".ruff_cache")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )
    return done.stdout.strip()


PROJECT_DIR = "{{ cookiecutter.city_slug | folder_name }}"


def _template_repo(root: Path) -> tuple[Path, str, str]:
    """A git copy of this template with two commits: v1, an older state, and v2, the current one. Between
    them the template changed a shipped notebook, its defaults file, the README, toolkit.yaml's text, a hook
    and a derived default."""
    repo = root / "template"
    shutil.copytree(TEMPLATE, repo, ignore=IGNORE)
    changes = {  # path: (current text, text in v1)
        "shared_notebooks/police_stops.ipynb": None,
        f"{PROJECT_DIR}/README.md": ("## Reading the reports", "## Reading reports"),
        f"{PROJECT_DIR}/toolkit.defaults.yaml": ("weekday: monday", "weekday: sunday"),
        f"{PROJECT_DIR}/toolkit.yaml": ("# The city's centre, in decimal", "# The centre of the city, in"),
        "hooks/post_gen_project.py": ("Nothing else happens here.", "Nothing else."),  # each version's own hook
        "cookiecutter.json": (" civic data volunteers", " volunteers"),  # a derived default
    }
    current = {path: (repo / path).read_text(encoding="utf-8") for path in changes}
    for path, change in changes.items():
        if change is None:  # v1 lacked the notebook's last (provenance) cell
            book = nbformat.reads(current[path], as_version=4)
            book.cells = book.cells[:-1]
            nbformat.write(book, repo / path)
        else:
            assert change[0] in current[path], (path, change[0])
            (repo / path).write_text(current[path].replace(change[0], change[1]), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    v1 = git(repo, "rev-parse", "HEAD")
    for path, text in current.items():
        (repo / path).write_text(text, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "v2")
    return repo, v1, git(repo, "rev-parse", "HEAD")


def test_cruft_update_keeps_the_users_settings_and_notebook_edits_and_brings_the_templates(tmp_path):
    repo, v1, v2 = _template_repo(tmp_path)
    out = tmp_path / "out"
    context = json.dumps({**NO_SOURCES, "city": "Saint Paul", "state": "MN"})
    done = run([*CRUFT, "create", str(repo), "--checkout", v1, "--no-input", "--output-dir", str(out),
                "--extra-context", context], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    project = out / "saint-paul"
    notebook = project / "notebooks" / "police_stops" / "police_stops.ipynb"
    shared = TEMPLATE / "shared_notebooks" / "police_stops.ipynb"
    assert len(nbformat.read(notebook, as_version=4).cells) == len(nbformat.read(shared, as_version=4).cells) - 1

    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "as generated")
    # The user's edits: their settings (on the very lines the template changes next), a notebook cell, the README.
    toolkit = project / "toolkit.yaml"
    toolkit.write_text(
        toolkit.read_text(encoding="utf-8")
        .replace("# The centre of the city, in degrees", "# Saint Paul City Hall, in degrees")
        .replace("center: {lat: null, lng: null}", "center: {lat: 44.9442, lng: -93.0936}")
        + "reports:\n  small_count_threshold: 5\n",
        encoding="utf-8",
    )
    book = nbformat.read(notebook, as_version=4)
    book.cells[1].source += "\n# Our brigade reads this report every quarter."
    nbformat.write(book, notebook)
    readme = project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOur brigade meets on Saturdays.\n", encoding="utf-8")
    git(project, "commit", "-q", "-am", "our edits")
    mine = toolkit.read_text(encoding="utf-8")

    done = run([*CRUFT, "update", "--checkout", v2, "-y"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is ready" not in done.stdout + done.stderr  # the next-steps message is for a new bake only
    assert not list(project.rglob("*.rej"))
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "<<<<<<<" not in text, path
            assert ">>>>>>>" not in text, path
    # The user's settings are untouched; the template's defaults changed under them.
    assert toolkit.read_text(encoding="utf-8") == mine
    assert "weekday: monday" in (project / "toolkit.defaults.yaml").read_text(encoding="utf-8")
    read = (
        "from safety_toolkit.config import load_config; c = load_config(); "
        "print(c.small_count_threshold, c.refresh.weekday)"
    )
    loaded = run([sys.executable, "-c", read], cwd=project)
    assert loaded.stdout.split() == ["5", "monday"], loaded.stderr  # the user's threshold, the template's weekday
    # The notebook: the user's sentence and the template's new cell, both.
    book = nbformat.read(notebook, as_version=4)
    nbformat.validate(book)
    assert "# Our brigade reads this report every quarter." in book.cells[1].source
    assert len(book.cells) == len(nbformat.read(shared, as_version=4).cells)
    assert "## Reading the reports" in readme.read_text()
    assert "Our brigade meets on Saturdays." in readme.read_text()
    assert json.loads((project / ".cruft.json").read_text())["commit"] == v2
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "update")
    assert run([*CRUFT, "check"], cwd=project).returncode == 0
    ran = run([sys.executable, "-m", "safety_toolkit", "run", "--topic", "police_stops"], cwd=project)
    assert ran.returncode == 0, ran.stdout + ran.stderr
