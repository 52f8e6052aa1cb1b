"""Jinja helpers for the template: state facts, known-dataset defaults, mapping presets, shared notebooks.

Cookiecutter imports this module once per process and caches it, but `cruft update` renders the old
and the new template in one process (and tests render several templates). So `ToolkitExtension` loads
the helpers afresh from the template being rendered each time an environment is made.

Everything here runs under the interpreter that runs cookiecutter, which may hold only cookiecutter's
own dependencies (Jinja2, PyYAML): standard library and those two only.
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import json
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jinja2.ext import Extension

TEMPLATE_ROOT = Path(__file__).resolve().parent
TOPICS = (
    "arrests",
    "emergency_911",
    "hate_crime",
    "non_emergency_incidents",
    "police_equipment",
    "police_personnel_records",
    "police_stops",
    "use_of_force",
    "warrants",
)
SAFE_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
INVALID_FOLDER = "invalid-city-slug"


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(TEMPLATE_ROOT / "catalog" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def _states() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in _read_csv("states.csv")}


def _state_row(answer: Any) -> dict[str, str] | None:
    text = " ".join(str(answer).split()).casefold().replace(".", "")
    for row in _states().values():
        if text in (row["code"].casefold(), row["name"].casefold()):
            return row
    if text in ("washington dc", "washington, dc", "dc"):
        return _states()["DC"]
    return None


def state_code(answer: Any) -> str:
    """Two-letter code for a state given as code or name; "" when unknown (the hook reports it)."""
    row = _state_row(answer)
    return row["code"] if row else ""


def closest_states(answer: Any) -> list[str]:
    """The states whose name is closest to an answer that names none, as "Illinois (IL)"."""
    text = " ".join(str(answer).split()).casefold()
    by_name = {row["name"].casefold(): row for row in _states().values()}
    close = difflib.get_close_matches(text, list(by_name), n=3, cutoff=0.6)
    return [f"{by_name[name]['name']} ({by_name[name]['code']})" for name in close]


def known_state_code(answer: Any) -> str:
    """state_code for the first derived value, so that at a terminal a state that is not one stops the
    questions at once, with the closest names. Without a terminal (--no-input, tests) the answer goes on
    to the pre-generation hook, which reports it together with any other bad answer."""
    code = state_code(answer)
    if code or not sys.stdin.isatty():
        return code
    close = closest_states(answer)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    print(
        f"\n{str(answer)!r} is not a US state, DC or Puerto Rico.{hint}\n"
        "Run the command again and give a two-letter code (IL) or the full name (Illinois).\n",
        file=sys.stderr,
    )
    raise SystemExit(1)


def state_name(answer: Any) -> str:
    row = _state_row(answer)
    return row["name"] if row else ""


def state_timezone(answer: Any) -> str:
    row = _state_row(answer)
    return row["timezone"] if row else ""


@cache
def _places() -> dict[tuple[str, str], dict[str, str]]:
    return {(row["state"], row["city"].casefold()): row for row in _read_csv("places.csv")}


def known_population(city: Any, state: Any) -> dict[str, Any]:
    """Population figures the catalog holds for this city (with their source), else {} for toolkit.yaml."""
    row = _places().get((state_code(state), " ".join(str(city).split()).casefold()))
    if not row:
        return {}
    by_race = {race: int(row[f"population_{race}"]) for race in ("white", "black") if row[f"population_{race}"]}
    return {
        "total": int(row["population_total"]),
        "by_race": by_race,
        "year": int(row["population_year"]),
        "source": row["population_source"],
    }


def public_answers(context: Any) -> str:
    """The user's answers as JSON: no private keys, which hold local paths of the template."""
    return json.dumps({key: value for key, value in dict(context).items() if not key.startswith("_")})


def states_json() -> str:
    """The state table as JSON, for the pre-generation hook (which cannot read the catalog itself)."""
    return json.dumps(_states(), sort_keys=True)


def folder_name(slug: Any) -> str:
    """The project folder: the slug when it is one safe path segment, else a placeholder the hook rejects.

    Cookiecutter makes the folder before any hook runs; a slug such as "a/b" or "" would otherwise
    create folders outside the one it removes on failure.
    """
    text = str(slug)
    return text if SAFE_SLUG.match(text) else INVALID_FOLDER


@cache
def _known_datasets() -> list[dict[str, str]]:
    topic_of = {row["table_type"]: row["topic"] for row in _read_csv("known_dataset_topics.csv")}
    return [
        {**row, "topic": topic_of[row["TableType"]]}
        for row in _read_csv("known_datasets.csv")
        if row["TableType"] in topic_of
    ]


def known_datasets(city: Any, state: Any, topic: str) -> list[dict[str, str]]:
    """Known public datasets of this city's agencies for a topic, best default first."""
    name = state_name(state)
    wanted = " ".join(str(city).split()).casefold()
    found = [
        row
        for row in _known_datasets()
        if row["topic"] == topic
        and row["State"] == name
        and wanted in (row["SourceName"].casefold(), row["Agency"].casefold())
        and row["DataType"] in ("ArcGIS", "Socrata", "CKAN", "Opendatasoft", "Carto", "CSV", "Excel")
        and query_filters(row) is not None  # a filter we cannot honour would fetch the wrong rows
    ]

    # One dataset covering many years beats a single year; newer years and coverage beat older ones.
    def rank(row: dict[str, str]) -> tuple[int, str, str]:
        month, day, year = (row["coverage_end"].split("/") + ["", "", ""])[:3]
        return (1 if row["Year"] == "MULTIPLE" else 0, row["Year"], f"{year}{month}{day}")

    return sorted(found, key=rank, reverse=True)


def query_filters(row: dict[str, str]) -> dict[str, str] | None:
    """The catalog's equality filter for a dataset ({} for none); None when it cannot be read."""
    text = row.get("query", "").strip()
    if not text:
        return {}
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        text = text.replace(curly, straight)
    try:
        filters = json.loads(text)
    except json.JSONDecodeError:
        return None
    return {str(k): str(v) for k, v in filters.items()} if isinstance(filters, dict) else None


def dataset_url(row: dict[str, str]) -> str:
    """The address the toolkit's clients fetch, built from the catalog's platform, URL and dataset id."""
    url, dataset = row["URL"].strip(), row["dataset_id"].strip()
    host = (url if url.startswith("http") else f"https://{url}").rstrip("/")
    kind = row["DataType"]
    if kind == "Socrata" and dataset:
        return f"{host}/resource/{dataset}.json"
    if kind == "CKAN" and dataset:
        return f"{host}/api/3/action/datastore_search?resource_id={quote(dataset)}"
    if kind == "Opendatasoft" and dataset:
        return f"{host}/explore/dataset/{quote(dataset)}/"
    if kind == "Carto" and dataset:
        sql = f"SELECT * FROM {dataset}"
        filters = query_filters(row) or {}
        if filters:
            sql += " WHERE " + " AND ".join(f"{k} = '{v.replace(chr(39), chr(39) * 2)}'" for k, v in filters.items())
        return f"https://{url}.carto.com/api/v2/sql?q={quote(sql)}"
    return url


def known_source(city: Any, state: Any, topic: str) -> str:
    """Default answer for a topic's source question: the best known dataset's URL, or blank."""
    rows = known_datasets(city, state, topic)
    return dataset_url(rows[0]) if rows else ""


def known_dataset_for(source: Any) -> dict[str, str] | None:
    for row in _known_datasets():
        if dataset_url(row) == str(source).strip():
            return row
    return None


@cache
def _presets() -> list[dict[str, Any]]:
    presets = []
    # The presets live in the generated toolkit (it matches them by layout after fetch); the bake reads them there.
    folder = TEMPLATE_ROOT / "{{ cookiecutter.city_slug | folder_name }}" / "safety_toolkit" / "presets"
    for path in sorted(folder.glob("*.yaml")):
        preset = yaml.safe_load(path.read_text(encoding="utf-8"))
        preset["name"] = path.stem
        presets.append(preset)
    return presets


def all_presets() -> list[dict[str, Any]]:
    """Every mapping preset, for the generated toolkit's tests (each names its fixture file)."""
    return _presets()


def _csv_header(path: Path) -> list[str]:
    """First row of a local CSV (plain or gzipped), for matching a preset; [] when unreadable."""
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:  # type: ignore[operator]
            return next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def preset_for(topic: str, source: Any) -> dict[str, Any] | None:
    """The mapping preset for a source: matched by its URL, or by the columns of a local CSV."""
    text = str(source).strip()
    if not text:
        return None
    header: list[str] | None = None
    for preset in _presets():
        if preset["topic"] != topic:
            continue
        match = preset.get("match", {})
        if text in match.get("urls", []):
            return preset
        if match.get("columns") and not text.startswith(("http://", "https://")):
            if header is None:
                header = _csv_header(Path(text).expanduser())
            if set(match["columns"]) <= set(header):
                return preset
    return None


def source_entry(topic: str, answer: Any, preset_name: str = "") -> dict[str, Any] | None:
    """The toolkit.yaml entry for a topic's source answer: its location, title, and mapping when known.
    `preset_name` forces a preset (for the generated tests' fixture, whose path is relative)."""
    location = str(answer).strip()
    if not location:
        return None
    entry: dict[str, Any] = {"location": location}
    preset = next((p for p in _presets() if p["name"] == preset_name), None) or preset_for(topic, location)
    known = known_dataset_for(location)
    if preset and preset.get("layout"):
        entry["preset"] = preset["name"]  # a shared layout: the toolkit applies the entries this file has columns for
    elif preset:
        entry["title"] = preset["title"]
        entry.update(preset.get("source", {}))
        entry["mapping"] = preset["mapping"]
    elif known:
        entry["title"] = f"{known['AgencyFull']}: {known['TableType'].capitalize()}"
        if known.get("date_field"):
            entry["date_field"] = known["date_field"]
        if query_filters(known) and known["DataType"] != "Carto":  # Carto's filter is inside its SQL
            entry["where"] = query_filters(known)
    return entry


def to_yaml(value: Any, indent: int = 0) -> str:
    """A block of YAML dumped by PyYAML; lines after the first are indented by `indent` spaces,
    so the block sits under a key whose first line the template already indented."""
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    first, *rest = text.rstrip("\n").split("\n")
    pad = " " * indent
    return "\n".join([first, *(pad + line if line else line for line in rest)])


def yaml_scalar(value: Any) -> str:
    """One value for `key: <value>` in YAML, quoted by PyYAML where YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return text.removesuffix("\n...\n").rstrip("\n")


def shared_notebook(name: str) -> str:
    """The text of shared_notebooks/<name>.ipynb, verbatim (notebooks are never rendered by Jinja)."""
    path = TEMPLATE_ROOT / "shared_notebooks" / f"{name}.ipynb"
    return path.read_text(encoding="utf-8").rstrip("\n")


# Public records law and data-source lists: toolkit.yaml's records_law block, references/data_sources/.

# Column of state_public_records.csv -> key under records_law.state in toolkit.yaml.
LAW_COLUMNS = {
    "law_name": "law_name",
    "citation": "citation",
    "response_deadline": "response_deadline",
    "response_deadline_days": "response_deadline_days",
    "deadline_business_days": "deadline_business_days",
    "residency_required": "residency_required",
    "requester_notes": "requester_notes",
    "fees_notes": "fees",
    "appeal_route": "appeal_route",
    "police_records_notes": "police_records",
    "state_stop_data_law": "stop_data_law",
}
FEDERAL_LAW_KEYS = ("law_name", "citation", "covers", "response_deadline", "response_deadline_days")
FEDERAL_LAW_KEYS += ("deadline_business_days", "appeal_route", "holders", "sources")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")


@cache
def _records_laws() -> dict[str, dict[str, str]]:
    return {row["state_code"]: row for row in _read_csv("state_public_records.csv")}


@cache
def federal_sources() -> dict[str, Any]:
    """catalog/federal_sources.yaml: the federal FOIA facts and the federal data sources."""
    return yaml.safe_load((TEMPLATE_ROOT / "catalog" / "federal_sources.yaml").read_text(encoding="utf-8"))


def _law_value(column: str, text: str) -> Any:
    """A CSV cell as YAML should hold it; a blank is None, shown as "not verified", never guessed."""
    text = text.strip()
    if not text:
        return None
    if column == "response_deadline_days":
        return int(text)
    if column in ("deadline_business_days", "residency_required"):
        return {"true": True, "false": False}[text.casefold()]
    return text


def records_law(state: Any) -> dict[str, Any]:
    """The public records laws a toolkit's guide and letters cite: the state's row of the catalog and
    the federal FOIA. {} for an unknown state (the pre-generation hook rejects it)."""
    row = _records_laws().get(state_code(state))
    if row is None:
        return {}
    facts = {key: _law_value(column, row[column]) for column, key in LAW_COLUMNS.items()}
    facts["sources"] = [url.strip() for url in row["source_urls"].split(";") if url.strip()]
    foia = federal_sources()["foia"]
    return {"state": facts, "federal": {key: foia.get(key) for key in FEDERAL_LAW_KEYS}}


def md_text(value: Any) -> str:
    """Text for one line of Markdown: punctuation Markdown would act on is escaped, and so is raw HTML."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(title: Any, url: Any) -> str:
    """A Markdown link; the address in <...> so parentheses in it survive."""
    address = str(url).strip().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{md_text(title)}](<{address}>)"


def file_slug(name: Any) -> str:
    """A state's name as a file name: "District of Columbia" -> "district-of-columbia"."""
    return re.sub(r"[^a-z0-9]+", "-", str(name).casefold()).strip("-")


def _years(rows: list[dict[str, str]]) -> str:
    """The years some datasets cover: "2010–2026", "2019", or "" when the catalog does not say."""
    years = {int(r["Year"]) for r in rows if r["Year"].isdigit()}
    for row in rows:
        years |= {int(d[-4:]) for d in (row["coverage_start"], row["coverage_end"]) if d[-4:].isdigit()}
    if not years:
        return ""
    return f"{min(years)}–{max(years)}" if len(years) > 1 else str(min(years))


def _dataset_groups(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Rows of known_datasets.csv by agency, then by kind of data, with one link per published page."""
    topic_of = {row["table_type"]: row["topic"] for row in _read_csv("known_dataset_topics.csv")}
    agencies: dict[tuple[str, str], dict[str, list[dict[str, str]]]] = {}
    for row in rows:
        agency = row["AgencyFull"].strip() or ("Several agencies" if row["Agency"] == "MULTIPLE" else row["Agency"])
        agencies.setdefault((row["SourceName"], agency), {}).setdefault(row["TableType"], []).append(row)
    groups = []
    for (source, agency), kinds in sorted(agencies.items()):
        datasets = []
        for kind, kind_rows in sorted(kinds.items()):
            links: dict[str, str] = {}
            for row in sorted(kind_rows, key=lambda r: r["Year"]):
                url = row["source_url"].strip() or dataset_url(row)
                label = row["Year"] if row["Year"].isdigit() else (_years([row]) or "data page")
                links.setdefault(url, label)
            datasets.append(
                {
                    "kind": kind.capitalize(),
                    "topic": topic_of.get(kind, ""),
                    "platform": ", ".join(sorted({r["DataType"] for r in kind_rows})),
                    "years": _years(kind_rows),
                    "links": [{"title": label, "url": url} for url, label in links.items()],
                }
            )
        groups.append({"source": source, "agency": agency, "datasets": datasets})
    return groups


def state_data_sources(city: Any, state: Any) -> dict[str, Any]:
    """What the catalog knows of a state's public police data: statewide datasets and the portals
    they come from, the city's own agencies, then every other agency of the state."""
    name = state_name(state)
    rows = [row for row in _read_csv("known_datasets.csv") if row["State"] == name]
    wanted = " ".join(str(city).split()).casefold()
    statewide = [r for r in rows if r["SourceName"] == name]
    local = [r for r in rows if r not in statewide]
    is_city = [r for r in local if wanted in (r["SourceName"].casefold(), r["Agency"].casefold())]
    portals = sorted(
        {
            re.sub(r"^https?://", "", r["URL"].strip()).split("/")[0]
            for r in statewide
            if r["DataType"] in ("Socrata", "CKAN", "ArcGIS", "Opendatasoft", "Carto") and r["URL"].strip()
        }
    )
    statewide_groups = _dataset_groups(statewide)
    return {
        "fips": (_state_row(state) or {}).get("fips", ""),
        "portals": portals,
        "statewide": statewide_groups,
        "stops": [d for g in statewide_groups for d in g["datasets"] if d["topic"] == "police_stops"],
        "city": _dataset_groups(is_city),
        "others": _dataset_groups([r for r in local if r not in is_city]),
        "count": len(rows),
    }


def py_literal(value: Any) -> str:
    """A Python string literal for a hook script. repr() keeps a character beyond U+FFFF (an emoji) whole;
    JSON would write it as two surrogate escapes, which Python reads as text it cannot print."""
    return repr(str(value))


def toml_string(value: Any) -> str:
    """A TOML basic string: JSON's escapes are TOML's, once characters beyond U+FFFF are kept whole."""
    return json.dumps(str(value), ensure_ascii=False)


def catalog_text(name: str) -> str:
    """A catalog file's text, verbatim (a license that must travel with the facts it covers)."""
    return (TEMPLATE_ROOT / "catalog" / name).read_text(encoding="utf-8").rstrip("\n")


FILTERS = {
    "md": md_text,
    "file_slug": file_slug,
    "state_code": state_code,
    "known_state_code": known_state_code,
    "state_name": state_name,
    "state_timezone": state_timezone,
    "folder_name": folder_name,
    "public_answers": public_answers,
    "known_source": known_source,
    "to_yaml": to_yaml,
    "yaml_scalar": yaml_scalar,
    "py_literal": py_literal,
    "toml_string": toml_string,
}
GLOBALS = {
    "shared_notebook": shared_notebook,
    "states_json": states_json,
    "preset_for": preset_for,
    "known_population": known_population,
    "all_presets": all_presets,
    "source_entry": source_entry,
    "known_dataset_for": known_dataset_for,
    "known_datasets": known_datasets,
    "dataset_url": dataset_url,
    "toolkit_topics": TOPICS,
    "records_law": records_law,
    "federal_sources": federal_sources,
    "state_data_sources": state_data_sources,
    "md_link": md_link,
    "catalog_text": catalog_text,
}


# A short first interview. Cookiecutter asks every question in cookiecutter.json; at a terminal, the
# dataset questions are cut to what helps: a topic for which the catalog knows a dataset of the city is
# asked with that dataset as the answer offered; the federal files that cover every city are offered with
# where to get them; the other topics wait behind one question, "add other data sources now?". Cookiecutter
# has no conditional questions, so this wraps its question function for the run (one process, one
# interview). Without a terminal (--no-input, a config file, tests) nothing changes.
OTHER_SOURCES = (
    "Add other data sources now? The catalog knows no dataset of this city for the other topics "
    "(you can always add them later in toolkit.yaml)"
)


def _federal_question(topic: str, default: str, answers: dict[str, str]) -> str | None:
    """The question that offers the federal file covering every city for a topic, if there is one."""
    offer = federal_sources().get("files", {}).get(topic)
    if default or not offer:
        return None
    city, state = answers.get("city", "the city"), state_name(answers.get("state", "")) or "the state"
    return " ".join(offer["question"].split()).format(page=offer["page"], city=city, state=state)


def short_interview(prompt_module: Any) -> None:
    """Wrap cookiecutter's question function for this run (see OTHER_SOURCES)."""
    ask = getattr(prompt_module, "read_user_variable", None)
    ask_yes_no = getattr(prompt_module, "read_user_yes_no", None)
    if ask is None or ask_yes_no is None or getattr(ask, "short_interview", False) or not sys.stdin.isatty():
        return
    answers: dict[str, str] = {}
    others: list[bool] = []  # the answer to OTHER_SOURCES, once asked

    def read_user_variable(var_name: str, default_value: Any, prompts: Any = None, prefix: str = "") -> Any:
        prompts = dict(prompts or {})
        topic = var_name.removesuffix("_source")
        if var_name.endswith("_source") and topic in TOPICS and not default_value:
            question = _federal_question(topic, str(default_value or ""), answers)
            if question:
                prompts[var_name] = question
            else:
                if not others:
                    others.append(bool(ask_yes_no("other_sources", False, {"other_sources": OTHER_SOURCES}, "  ")))
                if not others[0]:
                    answers[var_name] = ""
                    return ""
        answer = ask(var_name, default_value, prompts, "  ")  # no "[n/15]": fewer questions are asked
        answers[var_name] = str(answer)
        return answer

    read_user_variable.short_interview = True  # type: ignore[attr-defined]
    prompt_module.read_user_variable = read_user_variable


# Answers are data. Cookiecutter renders an answer given on the command line or in a config file as a
# template (that is how derived defaults such as city_slug work), so an answer holding Jinja syntax would
# run as template code. Only the template's own texts may be templates: the defaults in cookiecutter.json,
# the hook scripts and the names of its files. Any other text holding Jinja syntax is rendered as itself,
# and the pre-generation hook then rejects it with a message.
JINJA_SYNTAX = ("{{", "{%", "{#")


@cache
def _template_texts(root: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    """The template's own texts that hold Jinja syntax: whole texts, and file paths (which cookiecutter
    renders after the folder they are written into, so they are matched as endings)."""

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [text for item in value.values() for text in strings(item)]
        if isinstance(value, list):
            return [text for item in value for text in strings(item)]
        return []

    texts = set(strings(json.loads((root / "cookiecutter.json").read_text(encoding="utf-8"))))
    texts |= {path.read_text(encoding="utf-8") for path in (root / "hooks").glob("*.py")}
    paths = []
    for project in root.iterdir():
        if project.is_dir() and any(mark in project.name for mark in JINJA_SYNTAX):
            paths.append(project.name)
            paths += [str(p.relative_to(project)) for p in project.rglob("*") if "{" in str(p.relative_to(project))]
    return frozenset(text for text in texts if any(mark in text for mark in JINJA_SYNTAX)), tuple(paths)


def _template_roots() -> set[Path]:
    """Every template being rendered in this process: `cruft update` renders the old and the new one."""
    roots = {TEMPLATE_ROOT}
    for entry in sys.path:
        root = Path(entry)
        if (root / "cookiecutter.json").is_file() and (root / "local_extensions.py").is_file():
            roots.add(root.resolve())
    return roots


def is_template_text(source: str) -> bool:
    """True for a text with no Jinja syntax, or one of the template's own (see JINJA_SYNTAX)."""
    if not any(mark in source for mark in JINJA_SYNTAX):
        return True
    path = os.path.normpath(source)
    for root in _template_roots():
        texts, paths = _template_texts(root)
        if source in texts:
            return True
        for own in paths:
            if path == own or path.endswith(os.sep + own):
                if not any(mark in path[: -len(own)] for mark in JINJA_SYNTAX):
                    return True
    return False


def guard_answers(environment: Any) -> None:
    """Make the environment render any text that is not the template's own as plain text."""
    from_string = environment.from_string

    def render_answers_as_text(source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if isinstance(source, str) and not is_template_text(source):
            return from_string("{{ answer_as_text }}", {"answer_as_text": source})
        return from_string(source, globals, template_class)

    environment.from_string = render_answers_as_text


def _rendered_template_root() -> Path:
    """The template being rendered: cookiecutter and cruft append its folder to sys.path."""
    for entry in reversed(sys.path):
        root = Path(entry)
        if (root / "cookiecutter.json").is_file() and (root / "local_extensions.py").is_file():
            return root.resolve()
    return TEMPLATE_ROOT


class ToolkitExtension(Extension):
    """Registers the helpers of the template being rendered (see the module docstring)."""

    def __init__(self, environment):  # type: ignore[no-untyped-def]
        super().__init__(environment)
        path = _rendered_template_root() / "local_extensions.py"
        spec = importlib.util.spec_from_file_location("_toolkit_template_helpers", path)
        assert spec and spec.loader
        helpers = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(helpers)
        environment.filters.update(helpers.FILTERS)
        environment.globals.update(helpers.GLOBALS)
        helpers.guard_answers(environment)
        prompt_module = sys.modules.get("cookiecutter.prompt")
        if prompt_module is not None:
            helpers.short_interview(prompt_module)
