"""Command line: python -m safety_toolkit fetch|standardize|inspect|run|site|all.

Problems in one topic are reported and the other topics go on; the exit code is 1 if anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .config import DEFAULT_CONFIG, Config, ConfigError, load_config
from .sources import SourceError, fetch_topic
from .standardize import MappingError, standardize_topic
from .store import Store
from .topics import TOPICS

EXPECTED = (ConfigError, SourceError, MappingError)


def _topics(config: Config, topic: str | None, only_configured: bool = True) -> list[str]:
    if topic:
        return [topic]
    return [t for t in TOPICS if config.sources(t) or not only_configured]


def cmd_fetch(config: Config, topic: str | None) -> int:
    store, failures = Store(config.root), 0
    for name in _topics(config, topic):
        if not config.sources(name):
            print(f"{name}: no source configured in toolkit.yaml; nothing to fetch.")
            continue
        try:
            for result in fetch_topic(config, name, store):
                what = "new snapshot" if result.changed else "unchanged since the last fetch"
                print(f"{name}: {result.snapshot.rows:,} rows from {result.source.location} ({what})")
        except EXPECTED as err:
            failures += 1
            print(f"{name}: FAILED: {err}", file=sys.stderr)
    return 1 if failures else 0


def cmd_standardize(config: Config, topic: str | None) -> int:
    store, failures = Store(config.root), 0
    for name in _topics(config, topic):
        try:
            report = standardize_topic(config, name, store)
        except EXPECTED as err:
            failures += 1
            print(f"{name}: FAILED: {err}", file=sys.stderr)
            continue
        if report is None:
            if config.sources(name):
                print(f"{name}: not standardized: its sources have no 'mapping:' in toolkit.yaml yet.")
            continue
        unmapped = sum(
            v["rows"]
            for s in report["sources"]
            for c in s["columns"].values()
            for v in c.get("values", [])
            if v["status"] == "unmapped"
        )
        note = f"; {unmapped:,} values outside the mapping became 'unknown'" if unmapped else ""
        print(f"{name}: {report['rows']:,} standardized rows{note}")
    return 1 if failures else 0


def cmd_inspect(config: Config, topic: str) -> int:
    from .quality import raw_profile

    store = Store(config.root)
    sources = config.sources(topic)
    if not sources:
        print(f"{topic}: no source configured in toolkit.yaml.")
        return 1
    for source in sources:
        snap = store.current(topic, source.key, source.location)
        if snap is None:
            print(f"{source.key}: not fetched yet. Run: python -m safety_toolkit fetch --topic {topic}")
            continue
        print(
            f"{source.key}: {source.location}\n{snap.rows:,} rows, {len(snap.columns)} columns, "
            f"retrieved {snap.retrieved_at}\n"
        )
        print(raw_profile(store.path(snap)).to_string(index=False))
    return 0


def cmd_run(config: Config, topic: str | None) -> int:
    from .run import run_reports

    started = time.monotonic()
    statuses = run_reports(config, [topic] if topic else None)
    for status in statuses:
        outcome = f"wrote {status.report}" if status.ok else f"FAILED: {status.error}"
        print(f"{status.topic}: {outcome} ({status.seconds:.0f} s)")
    print(f"Reports done in {time.monotonic() - started:.0f} s.")
    return 0 if all(s.ok for s in statuses) else 1


def cmd_site(config: Config) -> int:
    from .site import write_site

    path = write_site(config)
    print(f"Landing page: {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m safety_toolkit", description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="path of toolkit.yaml (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("fetch", "download or read each topic's sources into data/raw"),
        ("standardize", "map the raw data onto the standard columns (data/processed)"),
        ("run", "run the report notebooks into reports/"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--topic", choices=list(TOPICS))
    inspect = commands.add_parser("inspect", help="show a topic's raw columns, blanks and sample values")
    inspect.add_argument("topic", choices=list(TOPICS))
    commands.add_parser("site", help="write index.html")
    every = commands.add_parser("all", help="fetch, standardize, run and site, in that order")
    every.add_argument("--topic", choices=list(TOPICS))
    args = parser.parse_args(argv)

    try:
        config = load_config(Path(args.config))
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    if args.command == "fetch":
        return cmd_fetch(config, args.topic)
    if args.command == "standardize":
        return cmd_standardize(config, args.topic)
    if args.command == "inspect":
        return cmd_inspect(config, args.topic)
    if args.command == "run":
        return cmd_run(config, args.topic)
    if args.command == "site":
        return cmd_site(config)
    codes = [cmd_fetch(config, args.topic), cmd_standardize(config, args.topic), cmd_run(config, args.topic)]
    codes.append(cmd_site(config))
    return max(codes)
