"""Say what to do next, with the real path of the project. Nothing else happens here.

cruft reruns this hook on every create, update and diff, in temporary folders; its context has no
_output_dir, so the message is printed by cookiecutter only, once.
"""

import os
from pathlib import Path

CITY = {{ cookiecutter.city | py_literal }}
MADE_BY_COOKIECUTTER = {{ "_output_dir" in cookiecutter }}  # cruft passes no _output_dir


def where(project: Path) -> str:
    """The project's path as the user can type it: relative to their shell's folder when inside it."""
    shell = os.environ.get("PWD")
    if not shell:
        return str(project)
    try:
        relative = project.relative_to(shell)
    except ValueError:
        return str(project)
    return str(relative) if str(relative) != "." else str(project)


if MADE_BY_COOKIECUTTER:
    print(
        f"\nYour toolkit for {CITY} is ready. Next:\n"
        f"  cd {where(Path.cwd())}\n"
        "  make reports   # fetch the data, run every report, write index.html\n"
        "  make test      # check the toolkit on this machine\n"
    )
