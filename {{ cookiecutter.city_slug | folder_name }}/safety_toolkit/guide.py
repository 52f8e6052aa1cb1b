"""tutorials/request_data.md: how to ask for public records in this state, written from toolkit.yaml.

Every fact comes from the `records_law:` block of toolkit.yaml, with the sources listed there; a fact
that is missing is shown as "not verified". The advice on writing a request is the same everywhere.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .config import Config
from .markdown_files import md_link, md_text, source_link
from .records_law import NOT_VERIFIED, Law
from .topics import TOPICS

GUIDE = Path("tutorials") / "request_data.md"


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


def _fact(value: object) -> str:
    return md_text(value) if value not in (None, "") else f"*{NOT_VERIFIED}*"


def who_may_ask(law: Law, state: str) -> str:
    """Whether the law limits requests to residents, then any other limit the sources name (requester_notes)."""
    if law.residency_required is True:
        answer = (
            f"Only residents or citizens of {md_text(state)}, according to the sources below. If you do not "
            "live there, ask someone who does to send the request."
        )
    elif law.residency_required is False:
        answer = f"Anyone: the sources found no rule limiting requests to residents of {md_text(state)}."
    else:
        answer = f"*{NOT_VERIFIED}*: the sources disagree or say nothing. Ask the agency, or have a resident send it."
    return f"{answer} {md_text(law.requester_notes)}." if law.requester_notes else answer


def counted_as(law: Law) -> str:
    return {True: "business (working) days", False: "calendar days", None: f"*{NOT_VERIFIED}*"}[
        law.deadline_business_days
    ]


def law_table(law: Law, state: str) -> list[str]:
    """The facts of one law, one row each; the labels are what people ask."""
    rows = [
        ("The law", _fact(law.law_name)),
        ("Where it is written", _fact(law.citation)),
        ("Who may ask", who_may_ask(law, state)),
        ("How long the agency has to answer, as written", _fact(law.response_deadline)),
        ("The first deadline, in days", _fact(law.response_deadline_days)),
        ("Days are counted as", counted_as(law)),
        ("Fees", _fact(law.fees)),
        ("If the agency refuses or does not answer", _fact(law.appeal_route)),
        ("Police records", _fact(law.police_records)),
        ("Stop-data law", _fact(law.stop_data_law)),
    ]
    return ["| Question | What the sources say |", "|---|---|", *(f"| {q} | {a} |" for q, a in rows)]


def sources_list(law: Law) -> list[str]:
    if not law.sources:
        return [f"No sources are listed in `toolkit.yaml`, so every fact above is {NOT_VERIFIED}."]
    return [f"- {source_link(source)}" for source in law.sources]


def _state_section(config: Config) -> list[str]:
    state = config.state_name or config.state
    law = config.records_law.state if config.records_law else Law()
    lines = [f"## What the law says in {md_text(state)}", ""]
    if config.records_law is None:
        lines += [
            "`toolkit.yaml` has no `records_law:` block, so none of these facts could be filled in. Look the law",
            "up (for example in the Reporters Committee's Open Government Guide, "
            f"{md_link('rcfp.org/open-government-guide', 'https://www.rcfp.org/open-government-guide/')})",
            "and add it to `toolkit.yaml` with its sources.",
            "",
        ]
    lines += [
        *law_table(law, state),
        "",
        f"*{NOT_VERIFIED.capitalize()}* means that no source confirming the fact was found: it does **not** mean",
        "the law has no such rule. Laws change, so follow the sources before you rely on a fact. To correct or",
        "add one, edit `records_law:` in [toolkit.yaml](../toolkit.yaml) with its source, then run",
        "`python -m safety_toolkit letters`: this guide and every letter are rewritten from it.",
        "",
        "### Sources for these facts",
        "",
        *sources_list(law),
        "",
    ]
    return lines


def _federal_section(config: Config, federal_list: bool) -> list[str]:
    law = config.records_law.federal if config.records_law else None
    lines = ["## Federal agencies: the Freedom of Information Act", ""]
    if law is None:
        return lines + ["`toolkit.yaml` lists no federal law under `records_law: federal:`.", ""]
    rows = [
        ("The law", _fact(law.law_name)),
        ("Where it is written", _fact(law.citation)),
        ("Who it covers", _fact(law.covers)),
        ("How long the agency has to answer", _fact(law.response_deadline)),
        ("If the agency refuses or does not answer", _fact(law.appeal_route)),
        ("Who holds data about local police", _fact(law.holders)),
    ]
    lines += ["| Question | What the sources say |", "|---|---|", *(f"| {q} | {a} |" for q, a in rows), ""]
    if federal_list:
        lines += [
            "Much federal data is published without a request: see the "
            "[federal data sources](../references/data_sources/federal.md) first.",
            "",
        ]
    return lines + ["### Sources", "", *sources_list(law), ""]


def _fields_advice(config: Config) -> list[str]:
    lines = []
    for topic, info in TOPICS.items():
        parts = []
        if (config.root / letter_path(topic)).exists():
            parts.append(f"[the letter]({relative(letter_path(topic), GUIDE)})")
        if (config.root / dictionary_path(topic)).exists():
            parts.append(f"[the data dictionary]({relative(dictionary_path(topic), GUIDE)})")
        where = f": {' and '.join(parts)}" if parts else ""
        lines.append(f"    - {md_text(info.title)}{where}")
    return lines


def render_guide(config: Config) -> str:
    root = config.root
    state = md_text(config.state_name or config.state)
    state_list = state_sources_path(config)
    has_state_list = (root / state_list).exists()
    has_federal = (root / "references" / "data_sources" / "federal.md").exists()
    known = (
        f"the [data sources known in {state}]({relative(state_list, GUIDE)})"
        if has_state_list
        else "the city's open data portal and its police department's website"
    )
    waiting = [t for t in TOPICS if not config.sources(t)]
    letters = [
        f"- [{md_text(TOPICS[t].title)}]({relative(letter_path(t), GUIDE)})"
        for t in waiting
        if (root / letter_path(t)).exists()
    ] or ["Every topic has a data source in `toolkit.yaml`, so there is no letter to send right now."]
    lines = [
        f"# Asking for public records in {state}",
        "",
        f"When {md_text(config.city)} does not publish the data you need, you can ask for it. Public records laws",
        "give people the right to ask government agencies, the police among them, for the records they keep,",
        f"and oblige the agencies to answer within a deadline. This guide gives the facts of {state}'s law,",
        "and the habits that make a request come back as data you can use.",
        "",
        *_state_section(config),
        *_federal_section(config, has_federal),
        "## How to write a request that gets usable data",
        "",
        f"1. **Check first that the data is not already public.** Look at {known}. If it is published,",
        "   add it to `toolkit.yaml` instead of asking for it.",
        "2. **Find the agency that holds it.** Police data is not always kept by the police: see",
        "   [who holds what](gather_and_understand_existing_data.md). Send the request to the agency's records",
        "   officer (sometimes called the custodian of records or responsible authority).",
        "3. **Ask for records, not answers.** The law gives a right to records the agency keeps, not to",
        '   research done for you. "Every stop record from 2019 to 2024" is a request; "Why do officers stop',
        '   so many drivers?" is not.',
        "4. **Ask for a machine-readable format**: CSV or a spreadsheet, or an export of the database. A",
        "   PDF or a printout of a table can take weeks to type back in, and asking costs nothing.",
        "5. **Ask for the data dictionary**: what every field means, every code and what it stands for, and",
        "   when any of that changed. Without it, a column called `RACE_CD` holding `3` says nothing.",
        '6. **Give a date range.** "From January 1, 2019 to the date of this request" is clear. Several',
        "   years let you see change; a range that is too long can make the request slow or costly.",
        "7. **Name the fields you need.** Each topic's letter lists the toolkit's standard fields for that",
        "   topic, so the data can be mapped straight into the reports:",
        *_fields_advice(config),
        "8. **Ask for redaction, not refusal.** If some fields may not be released (names, addresses),",
        "   ask the agency to withhold only those fields, say which part of the law allows it, and release the",
        "   rest. A consistent anonymous code in place of a name still lets you count repeat stops or officers.",
        "9. **Ask about costs before they are incurred**: ask for an estimate if fees will pass an amount you",
        "   name, and ask to receive the data by email or download link.",
        "10. **Keep a record.** Note the day you sent the request, and the day the first deadline falls.",
        "    Write down every call. Be polite and specific: the records officer is the person who can help.",
        "",
        "## Letters ready to send",
        "",
        "For every topic without a data source, the toolkit writes a letter that cites the law and its",
        "deadline, and asks for the standard fields in a machine-readable format. Fill in the parts in",
        "[square brackets] and send it.",
        "",
        *letters,
        "",
        "## After you send it",
        "",
        "- If the deadline passes with no answer, write a short, polite reminder that cites the deadline.",
        "- If the request is refused, ask for the refusal in writing with the part of the law it relies on,",
        "  then use the appeal route above. A narrower request (fewer years, fewer fields) is often granted.",
        "- When the data arrives, keep the original file unchanged and record where and when it came from",
        "  (see [archiving data](archiving_data.md)), then add it to `toolkit.yaml` as a source and run",
        "  `make reports`.",
        "- Share what you got, and what you did not get: a refusal is a finding too. See",
        "  [advocating for good data practices](advocate_for_good_data_practices.md).",
    ]
    return "\n".join(lines) + "\n"
