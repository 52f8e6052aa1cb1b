"""The toolkit's commands: fetch, map, standardize, inspect, run, site, all (python -m safety_toolkit --help).

Problems in one topic are reported and the other topics go on; the exit code is 1 if anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DEFAULT_CONFIG, Config, ConfigError, Source, load_config
from .sources import FetchResult, SourceError, fetch_topic
from .standardize import MappingError, standardize_topic
from .store import Snapshot, Store
from .topics import TOPICS

if TYPE_CHECKING:
    from .sources.web import Http

EXPECTED = (ConfigError, SourceError, MappingError)


def _topics(config: Config, topic: str | None, only_configured: bool = True) -> list[str]:
    if topic:
        return [topic]
    return [t for t in TOPICS if config.sources(t) or not only_configured]


def cmd_fetch(config: Config, args: argparse.Namespace) -> int:
    """Each source on its own: one that fails is reported and the others are still fetched."""
    from .sources.web import Http

    topic = getattr(args, "topic", None)
    store, failures = Store(config.root), 0
    try:
        http = Http()  # one connection pool for the whole run
    except SourceError as err:
        print(f"FAILED: {err}", file=sys.stderr)
        return 1
    with http:
        for name in _topics(config, topic):
            if not config.sources(name):
                print(f"{name}: no source configured in toolkit.yaml; nothing to fetch.")
                continue
            try:
                fetch_topic(config, name, store, http, report=partial(_report, name))
            except EXPECTED as err:
                failures += 1
                print(f"{name}: FAILED: {err}", file=sys.stderr)
            failures += _fetch_linked(config, name, store, http)
        if topic is None:  # the boundary layers maps count in, with everything else
            from .boundaries import fetch_boundaries  # geopandas: loaded only by the commands that map

            lines, failed = fetch_boundaries(config, store, http)
            for line in lines:
                print(line)
            failures += failed
    if failures:
        print("The last good copy of each failed source is still in data/raw and in use.", file=sys.stderr)
    return 1 if failures else 0


def _report(topic: str, result: FetchResult) -> None:
    print(f"{topic}: {result}")


def _fetch_linked(config: Config, topic: str, store: Store, http: Http) -> int:
    """Each linked table of the topic's sources, fetched and snapshotted as a source of its own."""
    from .sources import fetch_source

    failures = 0
    for source in config.sources(topic):
        for table in source.related:
            try:
                print(f"{topic}: linked table '{table.name}': {fetch_source(config, table, store, http)}")
            except EXPECTED as err:
                failures += 1
                print(f"{topic}: FAILED: {err}", file=sys.stderr)
    return failures


def cmd_standardize(config: Config, args: argparse.Namespace) -> int:
    topic = args.topic
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


def cmd_inspect(config: Config, args: argparse.Namespace) -> int:
    """Each source's current snapshot: row count, then per column its type, blanks and sample values."""
    from .quality import screen_examples
    from .sources.describe import describe_snapshot

    topic = args.topic
    store = Store(config.root)
    sources = config.sources(topic)
    if not sources:
        print(f"{topic}: no source configured in toolkit.yaml.")
        return 1
    if args.suggest:
        lines = map_sources(config, topic, write=False)
        print("\n".join(lines))
        return 1 if any("not fetched" in line for line in lines) else 0
    missing = 0
    for source in sources:
        snap = store.current(topic, source.key, source.location)
        if snap is None or not store.path(snap).is_file():
            missing += 1
            print(f"{source.key}: not fetched yet. Run: python -m safety_toolkit fetch --topic {topic}\n")
            continue
        stamp = ", ".join(f"{k} {v}" for k, v in snap.version.items())
        print(
            f"{source.key}: {source.title or source.location}\n  from {source.location}\n"
            f"  {snap.rows:,} rows, {len(snap.columns)} columns, retrieved {snap.retrieved_at}"
            + (f" (publisher's version: {stamp})" if stamp else "")
            + "\n"
        )
        print(
            screen_examples(describe_snapshot(store, snap), examples="most common").to_string(
                index=False, max_colwidth=60
            )
        )
        print()
    return 1 if missing == len(sources) else 0


def map_sources(config: Config, topic: str, write: bool = True) -> list[str]:
    """For each fetched source of the topic with no mapping: a preset matched by its columns, else a
    suggested mapping marked `review: needed`; written into toolkit.yaml (or only printed). One line per source."""
    from .presets import match_columns
    from .schema import get_schema
    from .suggest import suggest
    from .toolkit_yaml import ToolkitYamlError, suggestion_yaml, write_preset, write_suggestion

    store, lines = Store(config.root), []
    schema = get_schema(topic)
    if not config.sources(topic):
        return [_no_source(topic)]
    for source in config.sources(topic):
        snap = store.current(topic, source.key, source.location)
        if schema is None or snap is None or not store.path(snap).is_file():
            lines.append(f"{source.key}: not fetched yet. Run: python -m safety_toolkit fetch --topic {topic}")
            continue
        if source.mapping and write:
            lines.append(f"{source.key}: already mapped; delete its 'mapping:' to get a new suggestion.")
            continue
        preset = match_columns(topic, snap.columns)
        try:
            if preset is not None:
                if write:
                    write_preset(config.path, topic, source.index, preset.name)
                lines.append(f"{source.key}: its columns match the preset '{preset.name}' ({preset.title}).")
                continue
            suggestion = suggest(schema, store.path(snap), source.read)
            if "skip_rows" in suggestion.read and not _reads_a_file(source):
                # A portal's rows are not read from a file, so skip_rows would do nothing there.
                del suggestion.read["skip_rows"]
                suggestion.notes.insert(0, suggestion.read_notes.pop(0).replace("skip_rows: the", "The")
                                        + " The portal cannot skip it: leave it out with where:.")  # fmt: skip
            if not write:
                lines.append(f"# {source.key}\n{suggestion_yaml(suggestion)}")
                continue
            write_suggestion(config.path, topic, source.index, suggestion)
        except ToolkitYamlError as err:
            lines.append(f"{source.key}: FAILED: {err}")
            continue
        written = load_config(config.path).sources(topic)[source.index].read
        if "skip_rows" in suggestion.read and written.get("skip_rows") == suggestion.read["skip_rows"]:
            _drop_rows(store, snap, written["skip_rows"])
        flagged = [name for name, guess in suggestion.guesses.items() if guess.flagged]
        read = f" and how to read the file (read: {', '.join(suggestion.read)})" if suggestion.read else ""
        lines.append(
            f"{source.key}: suggested a mapping of {len(suggestion.guesses)} columns{read} into toolkit.yaml, marked "
            f"'review: needed'; {len(flagged)} to check first ({', '.join(flagged) or 'none'})."
        )
    return lines


def _no_source(topic: str) -> str:
    return (
        f"{topic}: no source in toolkit.yaml, so there is nothing to map. Add one under topics.{topic}.sources "
        "(e.g. '- location: https://...' or a file path), run 'python -m safety_toolkit fetch', then map again."
    )


def _reads_a_file(source: Source) -> bool:
    from .sources.detect import detect

    if not source.is_url:
        return True
    try:
        return detect(source.location, source.platform).platform == "file"
    except SourceError:
        return True


def _drop_rows(store: Store, snap: Snapshot, skip_rows: list[int]) -> None:
    """A new snapshot without the rows `read: {skip_rows: ...}` now drops, as the next download will read it.
    The old snapshot is kept; the new one carries the old one's stamps, so an unchanged file is not read again."""
    frame = store.read(snap)
    frame = frame.drop(index=[i - 1 for i in skip_rows if 0 < i <= len(frame)]).reset_index(drop=True)
    store.save(
        snap.topic,
        snap.source,
        snap.location,
        frame,
        source_sha256=snap.source_sha256,
        version=snap.version,
        query={**snap.query, "skip_rows": skip_rows},
        types=snap.types,
    )


def cmd_map(config: Config, args: argparse.Namespace) -> int:
    """Propose a mapping for each unmapped source of a topic (or of every topic) and write it into toolkit.yaml."""
    if args.topic:
        lines = map_sources(config, args.topic)
    else:
        topics = [name for name in TOPICS if any(not s.mapping for s in config.sources(name))]
        lines = [f"{name}: {line}" for name in topics for line in map_sources(config, name)]
        lines = lines or ["Every source in toolkit.yaml already has a mapping or a preset: nothing to map."]
    print("\n".join(lines))
    return 1 if any("FAILED" in line or "not fetched" in line for line in lines) else 0


def cmd_map_unmapped(config: Config, args: argparse.Namespace) -> int:
    """Step of `all`: every fetched source still without a mapping gets a suggested one, so reports run."""
    topic = getattr(args, "topic", None)
    for name in _topics(config, topic):
        if any(not s.mapping for s in config.sources(name)):
            for line in map_sources(config, name):
                if "already mapped" not in line:
                    print(f"{name}: {line}")
    return 0


def cmd_run(config: Config, args: argparse.Namespace) -> int:
    topic = args.topic
    from .run import run_reports

    started = time.monotonic()
    statuses = run_reports(config, [topic] if topic else None)
    for status in statuses:
        outcome = f"wrote {status.report}" if status.ok else f"FAILED: {status.error}"
        print(f"{status.topic}: {outcome} ({status.seconds:.0f} s)")
    print(f"Reports done in {time.monotonic() - started:.0f} s.")
    return 0 if all(s.ok for s in statuses) else 1


def cmd_site(config: Config, _args: argparse.Namespace) -> int:
    from .site import write_site

    path = write_site(config)
    print(f"Landing page: {path}")
    return 0


def cmd_dictionaries(config: Config, _args: argparse.Namespace) -> int:
    from .dictionaries import write_dictionaries
    from .mapping_reference import write_reference

    written = write_dictionaries(config)
    print(f"Data dictionaries: {len(written)} files in {written[0].parent}")
    print(f"Mapping reference: {write_reference(config)}")
    return 0


def cmd_letters(config: Config, args: argparse.Namespace) -> int:
    from .letters import write_letters

    for item in write_letters(config, getattr(args, "topic", None)):
        note = " (edited by hand, left as it is)" if item.outcome == "kept" else ""
        print(f"{item.path.relative_to(config.root)}: {item.outcome}{note}")
    return 0


def cmd_population(config: Config, args: argparse.Namespace) -> int:
    """Residents by race from the Census Bureau's ACS 5-year estimates, into toolkit.yaml's population block."""
    from .population import PopulationError, fill_population

    try:
        print(fill_population(config.path, config.city, config.state, args.year, args.place))
    except PopulationError as err:
        print(f"population: FAILED: {err}", file=sys.stderr)
        return 1
    return 0


def _population_options(parser: argparse.ArgumentParser) -> None:
    from .population import DEFAULT_YEAR

    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="last year of the ACS 5-year estimates")
    parser.add_argument("--place", help="the Census place code (e.g. 43000), when the city's name is ambiguous")


def cmd_all(config: Config, args: argparse.Namespace) -> int:
    """Every step in order; a failing step does not stop the later ones. A source fetched for the first time
    with no mapping gets a suggested one (marked for review) before standardizing, so it reports at once."""
    first = [cmd_fetch(config, args), cmd_map_unmapped(config, args)]
    try:
        config = load_config(config.path)  # the mapping step may have added mappings
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    steps = (cmd_standardize, cmd_dictionaries, cmd_run, cmd_site)
    return max(*first, *(command(config, args) for command in steps))


def _topic_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", choices=list(TOPICS), help="only this topic")


def _topic_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", choices=list(TOPICS))


def _optional_topic_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", nargs="?", choices=list(TOPICS), help="only this topic (default: every topic)")


def _inspect_arguments(parser: argparse.ArgumentParser) -> None:
    _topic_argument(parser)
    parser.add_argument("--suggest", action="store_true", help="print a suggested mapping (what 'map' would write)")


# name: (help, how to add its arguments, what runs it). Add a command by adding a line here.
COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[Config, argparse.Namespace], int]]
] = {
    "fetch": ("download or read each topic's sources into data/raw", _topic_option, cmd_fetch),
    "standardize": ("map the raw data onto the standard columns (data/processed)", _topic_option, cmd_standardize),
    "inspect": ("show a topic's raw columns, blanks and sample values", _inspect_arguments, cmd_inspect),
    "map": (
        "suggest a mapping for each unmapped source (of one topic, or of all) and write it into toolkit.yaml",
        _optional_topic_argument,
        cmd_map,
    ),
    "run": ("run the report notebooks into reports/", _topic_option, cmd_run),
    "letters": ("write the records-request guide and a letter for each topic with no data", _topic_option, cmd_letters),
    "site": ("write index.html and the tutorials, letters and references as pages", lambda _parser: None, cmd_site),
    "dictionaries": ("write references/data_dictionaries from the schemas", lambda _parser: None, cmd_dictionaries),
    "population": ("fill toolkit.yaml's population block from the Census ACS", _population_options, cmd_population),
    "all": ("fetch, standardize, run and site, in that order", _topic_option, cmd_all),
}


def config_or_message(path: Path) -> Config | None:
    """toolkit.yaml, checked; None after printing what is wrong (the caller exits with 2)."""
    try:
        return load_config(path)
    except ConfigError as err:
        print(err, file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m safety_toolkit", description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="path of toolkit.yaml (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (text, add_arguments, _) in COMMANDS.items():
        add_arguments(commands.add_parser(name, help=text, description=text))
    args = parser.parse_args(argv)
    config = config_or_message(Path(args.config))
    if config is None:
        return 2
    return COMMANDS[args.command][2](config, args)
