"""The scheduled refresh that .github/workflows/refresh.yml runs (python -m safety_toolkit.refresh --help).

  due     say whether the schedule in toolkit.yaml (refresh:) calls for a refresh today
  run     every step, even when a fetch fails: the failed sources keep their last good snapshot, so the site
          is rebuilt from the last good data, and data/last_refresh.json says what failed and since when
  bundle  copy the published pages (never data/ nor the notebooks) into a folder for GitHub Pages
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from .config import DEFAULT_CONFIG, Config

STATUS_FILE = Path("data") / "last_refresh.json"
PAGE_SUFFIXES = (".html", ".css", ".png", ".svg")
PAGE_FOLDERS = ("reports", "tutorials", "references")


def due(config: Config, today: dt.date) -> bool:
    return config.refresh.due(today)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def run_refresh(config: Config) -> dict[str, Any]:
    """Fetch, then standardize, write the dictionaries, run the reports and write the site, whatever failed
    before; the outcome is written to data/last_refresh.json and returned."""
    from . import cli

    path = config.root / STATUS_FILE
    previous = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    args = argparse.Namespace(topic=None)
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        fetched = cli.cmd_fetch(config, args) == 0
    sys.stderr.write(errors.getvalue())
    status: dict[str, object] = {
        "attempted_at": _now(),
        "fetch_ok": fetched,
        "last_good_fetch_at": _now() if fetched else previous.get("last_good_fetch_at"),
        "fetch_problems": [line for line in errors.getvalue().splitlines() if line.strip()],
    }
    _write_status(path, status)  # before the site is written, so that its front page can say what failed
    steps = {"fetch": fetched}
    for name, command in (
        ("standardize", cli.cmd_standardize),
        ("dictionaries", cli.cmd_dictionaries),
        ("reports", cli.cmd_run),
        ("site", cli.cmd_site),
    ):
        steps[name] = command(config, args) == 0
    status["steps"] = steps
    _write_status(path, status)
    return status


def _write_status(path: Path, status: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(status, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def stale_notice(root: Path) -> str:
    """One sentence for the front page when the last refresh could not fetch every source, else ""."""
    path = root / STATUS_FILE
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    if status.get("fetch_ok", True):
        return ""
    attempted = str(status.get("attempted_at") or "")[:10] or "the last run"
    good = str(status.get("last_good_fetch_at") or "")[:10]
    since = f"use the data fetched on {good}" if good else "use only data fetched earlier, where there is any"
    return f"The refresh on {attempted} could not fetch every source; these reports {since}."


def bundle_site(root: Path, target: Path) -> int:
    """Copy index.html and the pages it links to into target; the number of files copied."""
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root / 'index.html'} does not exist: run 'python -m safety_toolkit site' first.")
    if target.exists():
        shutil.rmtree(target)
    files = [root / "index.html"]
    files += [
        path
        for folder in PAGE_FOLDERS
        if (root / folder).is_dir()
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and path.suffix in PAGE_SUFFIXES
    ]
    if (root / STATUS_FILE).is_file():
        files.append(root / STATUS_FILE)
    for path in files:
        relative = path.relative_to(root)
        destination = target / (relative.name if relative == STATUS_FILE else relative)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m safety_toolkit.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="path of toolkit.yaml (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("due", help="whether a refresh is due today (prints due=true or due=false)")
    check.add_argument("--date", type=dt.date.fromisoformat, help="the day to ask about (default: today, UTC)")
    commands.add_parser("run", help="every step; a failed fetch keeps the last good data and is recorded")
    bundle = commands.add_parser("bundle", help="copy the published pages into a folder")
    bundle.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    from .cli import config_or_message

    config = config_or_message(Path(args.config))
    if config is None:
        return 2
    if args.command == "due":
        today = args.date or dt.datetime.now(dt.UTC).date()
        is_due = due(config, today)
        every = config.refresh.every + (f" on {config.refresh.weekday}s" if config.refresh.every == "weekly" else "")
        print(f"due={'true' if is_due else 'false'}")
        verdict = "due" if is_due else "not due"
        print(f"Refresh {every} (toolkit.yaml, refresh:): {verdict} on {today}.", file=sys.stderr)
        return 0
    if args.command == "bundle":
        count = bundle_site(config.root, args.target)
        print(f"{count} files in {args.target}")
        return 0
    status = run_refresh(config)
    if not status["fetch_ok"]:
        print(
            "Some sources could not be fetched: the site was rebuilt from the last good data "
            f"(fetched {status['last_good_fetch_at'] or 'never'}). See data/last_refresh.json.",
            file=sys.stderr,
        )
    return 0 if all(status["steps"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
