"""Records-request letters: tutorials/requests/<topic>.md for each topic with no data source, ready to
send once the agency and the dates are filled in, and tutorials/request_data.md, the guide they follow.

A letter cites the state's law and deadline from toolkit.yaml's `records_law:` block and asks for the
topic's standard fields (from its schema) in a machine-readable format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

from .config import Config
from .guide import GUIDE, dictionary_path, letter_path, relative, render_guide, state_sources_path
from .markdown_files import md_text, write_markdown
from .records_law import Law
from .topics import TOPICS

# What to ask each agency for, in the words of a records request.
REQUESTS = {
    "arrests": "a record of every arrest made by the agency's officers, including citations issued in lieu of "
    "arrest, one row per arrest (or per charge)",
    "emergency_911": "a record of every call for service in the computer-aided dispatch (CAD) system, both 911 calls "
    "and calls officers started themselves, one row per call",
    "hate_crime": "a record of every offense or incident the agency classified as a hate or bias crime, one row "
    "per incident",
    "non_emergency_incidents": "a record of every non-emergency (311) service request, including those referred to "
    "the police, one row per request",
    "police_equipment": "a list of the equipment the agency has received through the federal 1033 program (the "
    "Defense Logistics Agency's Law Enforcement Support Office), and of that equipment it holds today, one row "
    "per item",
    "police_personnel_records": "the roster of the agency's sworn officers, and a record of every complaint made "
    "about an officer, with its allegations and how each was resolved",
    "police_stops": "a record of every traffic and pedestrian stop made by the agency's officers, one row per stop",
    "use_of_force": "a record of every use-of-force report filed by the agency's officers, one row per use of "
    "force (or per officer and person involved)",
    "warrants": "a record of the arrest and search warrants the agency has sought, served or holds as "
    "outstanding, one row per warrant",
}


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


def _fields(topic: str) -> list[str]:
    info = TOPICS[topic]
    fields = standard_fields(topic)
    if not fields:
        return [
            f"   All the fields the agency records for each of the {md_text(info.unit)}: for example the date and",
            "   time, the location, the type or offense, the outcome, and any demographic information recorded.",
        ]
    return [f"    - `{name}`: {md_text(description)}" for name, description in fields]


def _named(law: Law) -> str:
    """The law as the letter names it; the placeholder, when nothing is known, stays a plain [blank]."""
    return md_text(law.title) if law.law_name or law.citation else law.title


def _deadline(law: Law) -> str:
    if law.response_deadline:
        return f"The law sets this timeline for a response: {md_text(law.response_deadline.rstrip('. '))}."
    if law.first_deadline:
        return f"The law requires a first response within {md_text(law.first_deadline)}."
    return "I look forward to your response within the time the law allows."


def render_letter(config: Config, topic: str) -> str:
    info = TOPICS[topic]
    path = letter_path(topic)
    law = config.records_law.state if config.records_law else Law()
    state = md_text(config.state_name or config.state)
    resident = [f"I am a resident of {state}.", ""] if law.residency_required else []
    helpers = [
        f"- [The guide to public records in {state}]({relative(GUIDE, path)}): the law, its deadline and fees, and "
        "how to appeal.",
        f"- [Which agency holds this data]({relative(Path('tutorials/gather_and_understand_existing_data.md'), path)}"
        f"#{slugify(info.title, '-')}).",
    ]
    if (config.root / state_sources_path(config)).exists():
        helpers.append(
            f"- [Data already published in {state}]({relative(state_sources_path(config), path)}): check that "
            "it is not public before you ask."
        )
    if (config.root / dictionary_path(topic)).exists():
        helpers.append(
            f"- [The data dictionary]({relative(dictionary_path(topic), path)}): what each field below holds."
        )
    signature = [
        "[Your name]",
        md_text(config.organization) if config.organization else "[Your organization, if any]",
        md_text(config.contact_email) if config.contact_email else "[Your email address]",
    ]
    lines = [
        f"# Records request: {md_text(info.title)}",
        "",
        f"{md_text(config.city)} has no {md_text(info.title.lower())} data in this toolkit yet. This letter asks "
        f"for it under {_named(law)}.",
        "Fill in the parts in [square brackets], send it to the agency's records officer by email or through",
        "its records-request portal, and note the day you sent it: the deadline counts from then.",
        "",
        *helpers,
        "",
        "---",
        "",
        "[Date]",
        "",
        "To: Records officer (custodian of records), [name of the agency]  ",
        "[The agency's address or email for records requests]",
        "",
        f"**Re: Public records request under {_named(law)}**",
        "",
        "Dear records officer,",
        "",
        f"Under {_named(law)}, I request a copy of {md_text(REQUESTS[topic])}, held by [name of the "
        "agency], from [first date, for example January 1, 2019] to [last date, for example the date of this "
        "request].",
        "",
        *resident,
        "Please provide:",
        "",
        "1. **The records in a machine-readable electronic format**, such as CSV or an Excel spreadsheet, or an",
        "   export from the database in which they are kept, rather than PDF or paper.",
        "2. **The data dictionary**: the name and meaning of every field, the codes used and what each stands for,",
        "   and any changes to them during this period.",
        "3. **These fields**, or the closest ones the agency keeps (if it does not record one, please say so):",
        "",
        *_fields(topic),
        "",
        "If any part of these records is exempt from disclosure, please withhold only that part, release the",
        "rest, and cite the exemption relied on. Where a person's name or number must be withheld, replacing it",
        "with a consistent anonymous code would keep the records usable.",
        "",
        _deadline(law),
        "If you need more time, or if the cost will be more than $[amount], please tell me before going ahead.",
        "Sending the records by email or as a download link should keep the cost low.",
        "",
        "If you deny any part of this request, please explain why in writing, cite the part of the law that",
        "allows it, and tell me how to appeal. I am glad to discuss narrowing the request if that would help.",
        "",
        "Thank you for your help.",
        "",
        "Sincerely,  ",
        "  \n".join(signature),
    ]
    return "\n".join(lines) + "\n"


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
