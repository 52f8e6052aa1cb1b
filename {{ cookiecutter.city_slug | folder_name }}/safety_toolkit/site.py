"""The landing page, index.html, and the HTML pages of the tutorials and references.

Every Markdown file in tutorials/ and references/ is rendered to an HTML page beside it, in the reports'
style, with its links to other Markdown files pointing at their HTML pages. The pages load nothing from
the internet, so the site works offline (and as a folder on a USB stick).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb
import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .config import Config
from .refresh import stale_notice
from .run import CSS, TEMPLATES, load_status, report_html_path
from .sql import one_row
from .standardize import processed_path
from .store import atomic_path
from .topics import TOPICS

PAGE_FOLDERS = ("tutorials", "references")
# The tutorials in the order people need them, with what each is for (others are listed after them).
TUTORIALS = {
    "gather_and_understand_existing_data": "Who keeps which data, and how to read what is already published.",
    "request_data": "Your state's public records law, and how to ask for data you can use.",
    "advocate_for_good_data_practices": "What good police data looks like, and how to ask your city for it.",
    "archiving_data": "Keep a copy of data that may disappear, and prove where it came from.",
}
STATE_LABELS = {"report": "Report ready", "failed": "Last run failed", "no_source": "No data yet", "not_run": "Not run"}


@dataclass(frozen=True)
class TopicSummary:
    topic: str
    title: str
    state: str  # "report", "failed", "no_source", "not_run"
    message: str
    report: str | None  # link, relative to index.html
    ran_at: str | None
    rows: int | None
    first: dt.date | None
    last: dt.date | None
    letter: str | None = None  # the records-request page for a topic with no data, relative to index.html
    headline: str = ""  # the report's first finding

    @property
    def ran(self) -> str:
        return dt.datetime.fromisoformat(self.ran_at).strftime("%Y-%m-%d %H:%M UTC") if self.ran_at else ""


def summarize(config: Config, topic: str) -> TopicSummary:
    root = config.root
    info = TOPICS[topic]
    status = load_status(root, topic)
    has_page = report_html_path(root, topic).exists()
    link = report_html_path(root, topic).relative_to(root).as_posix() if has_page else None
    rows = first = last = None
    data = processed_path(root, topic)
    # Damaged or half-written: the landing page still lists the topic and its run status.
    with contextlib.suppress(duckdb.Error):
        if data.exists():
            rows, first, last = one_row(
                duckdb.default_connection(),
                "SELECT count(*), min(date), max(date) FROM read_parquet(?)",
                [data.as_posix()],
            )
    ran_at = status.ran_at if status else None
    letter = None
    if not config.sources(topic):
        state, message = "no_source", "No data source configured yet."
        letter_page = root / "tutorials" / "requests" / f"{topic}.html"
        letter = letter_page.relative_to(root).as_posix() if letter_page.exists() else None
    elif status and not status.ok:
        state = "failed"
        message = f"The last run failed ({status.error}). " + (
            "The report below is from an earlier run." if has_page else f"See reports/{topic}/failed.ipynb."
        )
    elif has_page:
        state, message = "report", "" if data.exists() else "Data fetched; its columns are not mapped yet."
    else:
        state, message = "not_run", "Configured, not run yet: run make reports."
    headline = status.headline if status and status.ok and state == "report" else ""
    return TopicSummary(topic, info.title, state, message, link, ran_at, rows, first, last, letter, headline)


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES / "site"), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


def render(template: str, **context: object) -> str:
    """A page of the site from its template, in the toolkit's style; every value is escaped."""
    return _env.get_template(template).render(css=CSS.read_text(encoding="utf-8"), **context)


# Markdown pages ------------------------------------------------------------------------------------


def html_href(href: str) -> str:
    """A link in a Markdown page, for its HTML twin: a relative link to x.md becomes x.html."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return href
    return urlunsplit(parts._replace(path=parts.path[: -len(".md")] + ".html"))


class _HtmlLinks(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for link in root.iter("a"):
            link.set("href", html_href(link.get("href", "")))


class _HtmlLinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # Markdown's own method name
        md.treeprocessors.register(_HtmlLinks(md), "html_links", 5)


def render_markdown(text: str) -> str:
    """Markdown as HTML: tables, heading anchors (for links such as page.md#section), .md links -> .html."""
    extensions: list[str | Extension] = ["tables", "toc", "sane_lists", "fenced_code", _HtmlLinksExtension()]
    return markdown.markdown(text, extensions=extensions, output_format="html")


def markdown_files(root: Path) -> list[Path]:
    return sorted(path for folder in PAGE_FOLDERS for path in (root / folder).rglob("*.md"))


def title_of(text: str, fallback: str) -> str:
    """The page's first heading, as plain text."""
    for line in text.splitlines():
        if line.startswith("# "):
            heading = line[2:].strip().replace("\\", "")
            return html.unescape(heading)
    return fallback


def markdown_page(root: Path, source: Path) -> str:
    text = source.read_text(encoding="utf-8")
    relative = source.relative_to(root)
    home = posixpath.relpath("index.html", relative.parent.as_posix())
    section = "Tutorials" if relative.parts[0] == "tutorials" else "References"
    title = title_of(text, source.stem.replace("_", " "))
    return render("markdown.html.j2", title=title, home=home, section=section, content=render_markdown(text))


def write_markdown_pages(config: Config) -> list[Path]:
    """Every Markdown page of tutorials/ and references/ rendered to HTML beside it."""
    written = []
    for source in markdown_files(config.root):
        target = source.with_suffix(".html")
        with atomic_path(target) as tmp:
            tmp.write_text(markdown_page(config.root, source), encoding="utf-8")
        written.append(target)
    return written


# The landing page ----------------------------------------------------------------------------------


def _card(key: str, title: str, intro: str, items: list[tuple[str, str, str]]) -> dict[str, object]:
    """A section of the landing page: a heading, a sentence, and links (href, title, description)."""
    return {"key": key, "title": title, "intro": intro, "links": items}


def _page_link(root: Path, path: Path, about: str = "") -> tuple[str, str, str]:
    title = title_of(path.read_text(encoding="utf-8"), path.stem.replace("_", " "))
    return path.with_suffix(".html").relative_to(root).as_posix(), title, about


def _cards(config: Config, summaries: list[TopicSummary]) -> list[dict[str, object]]:
    """The sections under the reports: asking for data, tutorials, dictionaries, data sources."""
    root = config.root
    cards = []
    guide = root / "tutorials" / "request_data.md"
    if guide.exists():
        waiting = [s for s in summaries if s.letter]
        intro = (
            f"{len(waiting)} of {len(summaries)} topics have no data yet. Each has a records-request letter that "
            "cites your state's law: fill in the agency and the dates, and send it."
            if waiting
            else "Every topic has a data source. The guide explains your state's public records law for next time."
        )
        letters = [(s.letter or "", f"Letter: {s.title}", "") for s in waiting]
        items = [_page_link(root, guide, TUTORIALS["request_data"]), *letters]
        cards.append(_card("ask", "Ask for the data that is missing", intro, items))

    names = [name for name in TUTORIALS if name != "request_data"]
    names += sorted(p.stem for p in (root / "tutorials").glob("*.md") if p.stem not in TUTORIALS)
    tutorials = [root / "tutorials" / f"{name}.md" for name in names]
    items = [_page_link(root, p, TUTORIALS.get(p.stem, "")) for p in tutorials if p.exists()]
    if items:
        cards.append(_card("learn", "Learn how", "Short guides for volunteers, in plain language.", items))

    dictionaries = [root / "references" / "data_dictionaries" / f"{t}.md" for t in TOPICS]
    items = [_page_link(root, p) for p in dictionaries if p.exists()]
    if items:
        intro = "The standard columns of each topic, and how each source's columns map onto them."
        cards.append(_card("dictionaries", "Data dictionaries", intro, items))

    sources = sorted((root / "references" / "data_sources").glob("*.md"), key=lambda p: (p.stem != "federal", p.stem))
    items = [_page_link(root, p) for p in [*sources, *sorted((root / "references").glob("*.md"))]]
    if items:
        intro = "Data about policing that is already public, nationally and in your state."
        cards.append(_card("sources", "Where the data comes from", intro, items))
    return cards


def render_index(config: Config) -> str:
    """The landing page: ready reports first, each with its headline finding, then the other topics."""
    summaries = [summarize(config, topic) for topic in TOPICS]
    ordered = sorted(summaries, key=lambda s: s.state != "report")  # stable: topics keep their order within
    return render(
        "index.html.j2",
        title=f"Public safety data for {config.city}, {config.state}",
        place=f"{config.city}, {config.state}",
        city=config.city,
        summaries=ordered,
        ready=sum(s.state == "report" for s in summaries),
        waiting=sum(bool(s.letter) for s in summaries),
        labels=STATE_LABELS,
        cards=_cards(config, summaries),
        organization=config.organization,
        contact=config.contact_email,
        stale=stale_notice(config.root),
    )


def write_site(config: Config) -> Path:
    """The request guide and letters (so every link to them resolves), the Markdown pages, index.html."""
    from .letters import write_letters

    write_letters(config)
    write_markdown_pages(config)
    target = config.root / "index.html"
    with atomic_path(target) as tmp:
        tmp.write_text(render_index(config), encoding="utf-8")
    return target
