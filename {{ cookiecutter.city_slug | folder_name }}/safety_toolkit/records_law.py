"""The public records laws a request cites: the `records_law:` block of toolkit.yaml, read and checked.

The block is the toolkit's one copy of these facts; the request guide and the letters are written from
it. A fact that is null was not verified: it is shown as "not verified", never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import _Checker

NOT_VERIFIED = "not verified"


@dataclass(frozen=True)
class Law:
    """One public records law; every fact may be missing (None)."""

    law_name: str | None = None
    citation: str | None = None
    covers: str | None = None
    response_deadline: str | None = None
    response_deadline_days: int | None = None
    deadline_business_days: bool | None = None
    residency_required: bool | None = None
    requester_notes: str | None = None  # limits on who may ask that residency_required cannot say
    fees: str | None = None
    electronic_format: str | None = None  # the law's rule on records in electronic form, where known
    appeal_route: str | None = None
    police_records: str | None = None
    stop_data_law: str | None = None
    holders: str | None = None
    sources: tuple[str, ...] = ()

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


@dataclass(frozen=True)
class RecordsLaw:
    state: Law
    federal: Law | None = None


TEXT_KEYS = {f.name for f in fields(Law) if f.type == "str | None"}
LAW_KEYS = {f.name for f in fields(Law)}


def read_records_law(check: _Checker, value: Any) -> RecordsLaw | None:
    """The records_law block of toolkit.yaml, or None when there is none; problems go to `check`."""
    if value is None:
        return None
    block = check.mapping(value, "records_law")
    check.keys(block, {"state", "federal"}, "records_law")
    state = _law(check, block.get("state"), "records_law.state")
    federal = _law(check, block.get("federal"), "records_law.federal") if block.get("federal") is not None else None
    return RecordsLaw(state=state, federal=federal)


def _law(check: _Checker, value: Any, where: str) -> Law:
    data = check.mapping(value, where)
    check.keys(data, LAW_KEYS, where)
    facts: dict[str, Any] = {name: check.text(data, name, where) or None for name in TEXT_KEYS}
    days = data.get("response_deadline_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        check.fail(f"{where}.response_deadline_days", f"expected a whole number of days or null, found {days!r}.")
        days = None
    facts["response_deadline_days"] = days
    for name in ("deadline_business_days", "residency_required"):
        flag = data.get(name)
        if flag is not None and not isinstance(flag, bool):
            check.fail(f"{where}.{name}", f"expected true, false or null (not verified), found {flag!r}.")
            flag = None
        facts[name] = flag
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        check.fail(f"{where}.sources", "expected a list of web addresses, each on a line starting with '- '.")
        sources = []
    return Law(**facts, sources=tuple(s.strip() for s in sources if s.strip()))
