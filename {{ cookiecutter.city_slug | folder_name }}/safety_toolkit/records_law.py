"""The public records laws a request cites: the `records_law:` block of toolkit.yaml, described and checked.

The block is the toolkit's one copy of these facts; the request guide and the letters are written from
it. A fact that is null was not verified: it is shown as "not verified", never guessed.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, Strict

from .yaml_types import Block, MaybeText, expect

NOT_VERIFIED = "not verified"


def _addresses(value: object) -> object:
    """The list of sources without blank entries; a single address (not a list) is left for the check to refuse."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(item.strip() if isinstance(item, str) else item for item in value if item != "")
    return value


Days = Annotated[int | None, Strict(), Field(ge=0), expect("expected a whole number of days or null, found {found}.")]
Verified = Annotated[bool | None, Strict(), expect("expected true, false or null (not verified), found {found}.")]
Addresses = Annotated[
    tuple[str, ...],
    BeforeValidator(_addresses),
    expect("expected a list of web addresses, each on a line starting with '- '."),
]


class Law(Block):
    """One public records law. Every fact may be null: not verified by a source, which does not mean there is no
    such rule."""

    law_name: MaybeText = None
    """The law's name, e.g. Minnesota Government Data Practices Act."""
    citation: MaybeText = None
    """Where the law is written, e.g. Minn. Stat. ch. 13."""
    covers: MaybeText = None
    """Which bodies and records the law covers."""
    response_deadline: MaybeText = None
    """How soon an agency must answer, in the law's words."""
    response_deadline_days: Days = None
    """The first deadline counted in days, e.g. 10; null when the law sets none or it is not verified."""
    deadline_business_days: Verified = None
    """true when the deadline counts business days, false for calendar days."""
    residency_required: Verified = None
    """true when only residents of the state may ask."""
    requester_notes: MaybeText = None
    """Limits on who may ask that residency_required cannot say."""
    fees: MaybeText = None
    """What the agency may charge, e.g. inspection free; copies at actual cost."""
    electronic_format: MaybeText = None
    """The law's rule on records in electronic form."""
    appeal_route: MaybeText = None
    """Where to turn when a request is refused or ignored."""
    police_records: MaybeText = None
    """What the law says about police records in particular."""
    stop_data_law: MaybeText = None
    """A state law requiring police to record stops, if there is one."""
    holders: MaybeText = None
    """Who holds the records, when not the police department itself."""
    sources: Addresses = ()
    """The web pages behind these facts: add one whenever a fact is corrected."""

    @property
    def title(self) -> str:
        """The law as a sentence names it: "the X Act, citation", or a placeholder to fill in."""
        name = self.law_name or ""
        if name and not name.casefold().startswith("the "):
            name = f"the {name}"
        if name and self.citation:
            return f"{name}, {self.citation}"
        return name or self.citation or "[the public records law and its citation]"

    @property
    def inspection_free(self) -> bool:
        """The fees fact says inspecting records costs nothing (Minnesota, Louisiana): a letter offers inspection
        or a remote download first."""
        return "inspection free" in " ".join((self.fees or "").casefold().split())

    @property
    def first_deadline(self) -> str | None:
        """The first statutory clock, counted: "10 business days"; None when not verified."""
        if self.response_deadline_days is None:
            return None
        unit = {True: "business days", False: "calendar days", None: "days"}[self.deadline_business_days]
        return f"{self.response_deadline_days} {unit}"


class RecordsLaw(Block):
    """The public records laws that the request guide explains and the letters cite."""

    state: Law = Law()
    """The state's public records law (a letter to a city or state agency cites it)."""
    federal: Law | None = None
    """The federal Freedom of Information Act, for requests to federal agencies."""
