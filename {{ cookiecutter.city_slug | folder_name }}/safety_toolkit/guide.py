"""tutorials/request_data.md: how to ask for public records in this state, written from toolkit.yaml.

The guide is rendered from templates/letters/guide.md.j2. Every fact comes from the `records_law:` block of
toolkit.yaml, with the sources listed there; a fact that is missing is shown as "not verified". The advice on
writing a request is the same everywhere and lives in the template; this module gathers the facts and the links.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from .config import Config
from .markdown_files import md_link, md_text, source_link
from .records_law import NOT_VERIFIED, Law
from .topics import TOPICS

GUIDE = Path("tutorials") / "request_data.md"
TEMPLATES = Path(__file__).parent / "templates" / "letters"


def _fact(value: object) -> str:
    return md_text(value) if value not in (None, "") else f"*{NOT_VERIFIED}*"


@cache
def environment() -> jinja2.Environment:
    """Jinja for Markdown: no HTML escaping (|md escapes for Markdown instead), undefined names fail loudly."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_text, fact=_fact, source_link=source_link)
    env.globals.update(md_link=md_link, not_verified=NOT_VERIFIED)
    return env


def letter_path(topic: str) -> Path:
    return Path("tutorials") / "requests" / f"{topic}.md"


def state_sources_path(config: Config) -> Path:
    """references/data_sources/<state>.md, named after the state: "district-of-columbia.md"."""
    slug = re.sub(r"[^a-z0-9]+", "-", (config.state_name or config.state).casefold()).strip("-")
    return Path("references") / "data_sources" / f"{slug}.md"


def dictionary_path(topic: str) -> Path:
    return Path("references") / "data_dictionaries" / f"{topic}.md"


def relative(target: Path, start: Path) -> str:
    """A link from the file `start` to `target`, both relative to the project folder."""
    return posixpath.relpath(target.as_posix(), start.parent.as_posix())


@dataclass(frozen=True)
class Link:
    title: str
    link: str


@dataclass(frozen=True)
class TopicLinks:
    title: str
    links: list[str]  # Markdown links to the topic's letter and data dictionary, where they exist


def _topic_links(config: Config) -> list[TopicLinks]:
    items = []
    for topic, info in TOPICS.items():
        links = []
        if (config.root / letter_path(topic)).exists():
            links.append(f"[the letter]({relative(letter_path(topic), GUIDE)})")
        if (config.root / dictionary_path(topic)).exists():
            links.append(f"[the data dictionary]({relative(dictionary_path(topic), GUIDE)})")
        items.append(TopicLinks(info.title, links))
    return items


def render_guide(config: Config) -> str:
    root = config.root
    state_list = state_sources_path(config)
    law = config.records_law.state if config.records_law else Law()
    letters = [
        Link(TOPICS[t].title, relative(letter_path(t), GUIDE))
        for t in TOPICS
        if not config.sources(t) and (root / letter_path(t)).exists()
    ]
    return environment().get_template("guide.md.j2").render(
        city=config.city,
        state=config.state_name or config.state,
        law=law,
        has_records_law=config.records_law is not None,
        federal=config.records_law.federal if config.records_law else None,
        has_federal_list=(root / "references" / "data_sources" / "federal.md").exists(),
        state_list=relative(state_list, GUIDE) if (root / state_list).exists() else "",
        topics=_topic_links(config),
        letters=letters,
    )
