"""Records-request letters: tutorials/requests/<topic>.md for each topic with no data source, ready to
send once the agency and the dates are filled in, and tutorials/request_data.md, the guide they follow.

A letter is rendered from templates/letters/letter.md.j2 with the state's law from toolkit.yaml's
`records_law:` block and the topic's standard fields (from its schema). What it asks for, and the wording, live in
the template; this module only gathers the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

from .config import Config
from .guide import GUIDE, dictionary_path, environment, letter_path, relative, render_guide, state_sources_path
from .markdown_files import md_text, write_markdown
from .records_law import Law
from .topics import TOPICS


@dataclass(frozen=True)
class Written:
    path: Path
    outcome: str  # "written", "unchanged" or "kept" (edited by hand, left alone)


def standard_fields(topic: str) -> list[tuple[str, str]] | None:
    """The topic's public standard columns with their descriptions; None when it has no schema yet."""
    try:
        from .schema import get_schema

        schema = get_schema(topic)
    except ImportError:  # a topic whose schema module is not there yet
        return None
    if schema is None:
        return None
    return [(c.name, c.description) for c in schema.columns if not c.private and c.requestable]


def _named(law: Law) -> str:
    """The law as the letter names it; the placeholder, when nothing is known, stays a plain [blank]."""
    return md_text(law.title) if law.law_name or law.citation else law.title


def _deadline(law: Law) -> str:
    """The deadline sentence. The law's words are quoted only when it sets a number of days for every requester:
    where it sets none (Minnesota: a reasonable time for public data; its 10 days are for data subjects asking about
    themselves), quoting it would cite a deadline that does not apply to this request."""
    if law.response_deadline and law.response_deadline_days is not None:
        return f"The law sets this timeline for a response: {md_text(law.response_deadline.rstrip('. '))}."
    if law.first_deadline:
        return f"The law requires a first response within {md_text(law.first_deadline)}."
    return "I look forward to your response within the time the law allows."


def _links(config: Config, topic: str) -> dict[str, str]:
    """Where the letter's helper links point, relative to the letter; a page that does not exist is left out."""
    path = letter_path(topic)
    links = {
        "guide": relative(GUIDE, path),
        "agency": relative(Path("tutorials/gather_and_understand_existing_data.md"), path)
        + f"#{slugify(TOPICS[topic].title, '-')}",
    }
    if (config.root / state_sources_path(config)).exists():
        links["state_sources"] = relative(state_sources_path(config), path)
    if (config.root / dictionary_path(topic)).exists():
        links["dictionary"] = relative(dictionary_path(topic), path)
    return links


def render_letter(config: Config, topic: str) -> str:
    law = config.records_law.state if config.records_law else Law()
    state = config.state_name or config.state
    return environment().get_template("letter.md.j2").render(
        topic=TOPICS[topic],
        city=config.city,
        state=state,
        law=law,
        law_named=_named(law),
        deadline=_deadline(law),
        fields=standard_fields(topic) or [],
        links=_links(config, topic),
        signature=[
            "[Your name]",
            md_text(config.organization) if config.organization else "[Your organization, if any]",
            md_text(config.contact_email) if config.contact_email else "[Your email address]",
        ],
    )


def write_letters(config: Config, topic: str | None = None) -> list[Written]:
    """A letter for each topic without a source (or just `topic`), then the guide that lists them."""
    topics = [topic] if topic else list(TOPICS)
    written = []
    for name in topics:
        if not config.sources(name):
            path = config.root / letter_path(name)
            written.append(Written(path, write_markdown(path, render_letter(config, name), "letters")))
    guide = config.root / GUIDE
    written.append(Written(guide, write_markdown(guide, render_guide(config), "letters")))
    return written
