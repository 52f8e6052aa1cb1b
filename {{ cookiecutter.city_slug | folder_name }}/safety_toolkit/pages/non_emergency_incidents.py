"""The non-emergency report: 311 service requests and police incident reports, section by section.
Each section says plainly when the data cannot answer its question."""

from __future__ import annotations

from .. import charts
from .. import report as r
from ..analysis import non_emergency_incidents as requests
from ..analysis.emergency_911 import area_column, top_values
from . import common
from .common import Page
from .emergency_911 import AREA_TITLES, volume

CAVEATS = (
    "Requests show who calls 311 and how the city routes them, not how much need there is in a neighborhood: "
    "some residents call often, others never.",
    "Incident reports count what people reported and the police wrote down, not all crime; many incidents are "
    "never reported.",
    "Request types are chosen by the caller or the operator from a fixed list, and are coarse.",
    "Routing rules change: a type sent to the police one year may go to another agency the next.",
    "A short period (days or weeks) says little about the rest of the year.",
)
NEXT_QUESTIONS = (
    "Which request types does the city route to the police, and who decided that?",
    "What did the police do with the requests routed to them: how many ended with a summons, an arrest, or "
    "'no action necessary'?",
    "Could some of those requests go to another agency or an unarmed responder instead?",
    "How long do requests wait in each neighborhood, and does the wait differ by who calls?",
    "For incident reports: how many calls for service led to a report, and how many reports led to an arrest?",
)


def _word(page: Page) -> str:
    """What one row is, in the plural: requests, reports, or records when both are mixed."""
    assert page.ds is not None
    kinds = requests.record_kinds(page.ds)
    if kinds["incident report"] == page.ds.rows:
        return "reports"
    if kinds["service request"] == page.ds.rows:
        return "requests"
    return "records"


def overview(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    kinds = requests.record_kinds(ds)
    parts = [r.heading("2. What these records are")]
    said = []
    if kinds["service request"]:
        said.append(
            f"{kinds['service request']:,} are service requests: someone asked the city (by phone, online or in "
            "an app) to deal with a problem, and the city routed the request to one of its agencies."
        )
    if kinds["incident report"]:
        said.append(
            f"{kinds['incident report']:,} are police incident reports: crimes someone reported and the police "
            "recorded. They count reported incidents, not all crime."
        )
    if kinds["unknown"]:
        said.append(f"{kinds['unknown']:,} do not say which kind they are.")
    parts.append(r.paragraph(f"The data has {ds.rows:,} records. " + " ".join(said)))
    frame = top_values(ds, "agency", "data")
    if (frame["value"] != "not recorded").sum() > 1:  # one agency alone needs no table
        parts.append(
            r.table(
                frame.rename(columns={"value": "agency", "count": "records", "share": "share of records"}),
                "records-by-agency",
                "Records by the agency that handled them",
                page.small,
                counts=["records"],
                percents=["share of records"],
                base="records",
            )
        )
    if ds.has_values("channel"):
        frame = top_values(ds, "channel", "data")
        parts.append(
            r.table(
                frame.rename(columns={"value": "how it came in", "count": "records", "share": "share of records"}),
                "records-by-channel",
                "How requests came in",
                page.small,
                counts=["records"],
                percents=["share of records"],
                base="records",
            )
        )
    return "".join(parts)


def timing(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    word = _word(page)
    parts = [r.heading(f"3. When {word} come in")]
    if not page.ds.has_values("date"):
        parts.append(common.cannot_show(f"when {word} come in: it records no dates", "Ask the publisher for them."))
    else:
        parts.append(volume(page, "data", word, "records"))
    return "".join(parts)


def types(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds, word = page.ds, _word(page)
    parts = [r.heading(f"4. What the {word} are about, and where")]
    if ds.has_values("request_type"):
        frame = top_values(ds, "request_type", "data")
        chart = frame[frame["value"] != "not recorded"]
        if page.small.suppress:
            chart = chart[chart["count"] >= page.small.threshold]
        parts.append(
            r.figure(
                charts.bars(
                    chart["value"].tolist(),
                    chart["count"].tolist(),
                    f"{word.capitalize()} by type",
                    word,
                    "The most common types, as recorded when the record was made. Types are coarse labels from a "
                    "fixed list, not a description of what happened.",
                )
            )
        )
        parts.append(
            r.table(
                frame.rename(columns={"value": "type", "count": word, "share": f"share of {word}"}),
                "records-by-type",
                f"{word.capitalize()} by type",
                page.small,
                counts=[word],
                percents=[f"share of {word}"],
                base=word,
            )
        )
    else:
        parts.append(common.cannot_show(f"what the {word} are about: it records no type"))
    area = area_column(ds)
    if area:
        title = AREA_TITLES[area]
        frame = top_values(ds, area, "data")
        parts.append(
            r.table(
                frame.rename(columns={"value": title.lower(), "count": word, "share": f"share of {word}"}),
                f"records-by-{area}",
                f"{word.capitalize()} by {title.lower()}",
                page.small,
                counts=[word],
                percents=[f"share of {word}"],
                base=word,
            )
        )
        parts.append(
            r.caveat(
                f"Areas differ in population, in how often people there contact the city, and in how they are "
                f"patrolled. More {word} from an area is not, by itself, more need or more crime there."
            )
        )
    return "".join(parts)


def police(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    parts = [r.heading("5. Requests handled by the police")]
    kinds = requests.record_kinds(ds)
    if not kinds["service request"]:
        parts.append(
            r.paragraph(
                "All of these records are police incident reports, so there is no routing to compare. This section "
                "applies to 311 service requests: add the city's 311 data as a source of this topic to see which "
                "requests are sent to the police."
            )
        )
        return "".join(parts)
    if not ds.has_values("routed_to_police"):
        parts.append(
            common.cannot_show(
                "which requests went to the police: it does not record the agency",
                "Ask for the agency each request was routed to.",
            )
        )
        return "".join(parts)
    share = requests.police_share(ds)
    parts.append(
        r.finding(
            "How many requests were routed to the police?",
            f"{share['police']:,} of {share['total']:,} ({share['police'] / share['total']:.1%}).",
        )
    )
    frame = requests.police_types(ds)
    parts.append(
        r.table(
            frame.rename(
                columns={
                    "type": "request type",
                    "requests": "requests",
                    "police": "routed to police",
                    "share_police": "share routed to police",
                }
            ),
            "police-request-types",
            "Request types routed to the police",
            page.small,
            counts=["requests", "routed to police"],
            percents=["share routed to police"],
            base="requests",
        )
    )
    summary, caught = requests.unarmed_police_requests(ds)
    total = summary.attrs["total"]
    if total:
        parts.append(r.heading("Police requests that may not need an armed response", 3))
        parts.append(
            r.paragraph(
                "The groups below are request types that cities increasingly send to someone other than an armed "
                "officer. They are matched by words in the type's name, from a list anyone can edit "
                "(UNARMED_RESPONSE in safety_toolkit/analysis/emergency_911.py); the types each group caught are "
                f"listed below. Shares are of the {total:,} service requests routed to the police."
            )
        )
        parts.append(
            r.table(
                summary.rename(columns={"group": "group of types", "count": "requests", "share": "share of requests"}),
                "unarmed-police-requests",
                "Requests routed to the police whose type may not need an armed response",
                page.small,
                counts=["requests"],
                percents=["share of requests"],
                base="requests",
            )
        )
        together = summary.iloc[-1]
        parts.append(
            r.finding(
                "How many requests sent to the police were of types that may not need an armed officer?",
                f"{int(together['count']):,} of {total:,} ({together['share']:.1%}) by the list above. The type "
                "alone does not say whether an officer was needed.",
            )
        )
        if len(caught):
            parts.append(
                r.table(
                    caught.rename(columns={"type": "request type", "count": "requests"}),
                    "unarmed-police-request-types",
                    "The request types each group caught",
                    page.small,
                    counts=["requests"],
                    base="requests",
                )
            )
    return "".join(parts)


def closing_times(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    parts = [r.heading("6. How long requests took to close")]
    if not requests.record_kinds(ds)["service request"]:
        parts.append(r.paragraph("Incident reports are not opened and closed like requests; this applies to 311 data."))
        return "".join(parts)
    if not ds.has_values("closed_at"):
        parts.append(
            common.cannot_show(
                "how long requests took to close: it records no closing time",
                "Ask for the time each request was closed and how it was resolved.",
            )
        )
        return "".join(parts)
    frame = requests.time_to_close(ds, "agency" if ds.has_values("agency") else "request_type")
    if not frame["closed_before_opened"].any():
        frame = frame.drop(columns="closed_before_opened")
    parts.append(
        r.table(
            frame.rename(
                columns={
                    "group": "agency" if ds.has_values("agency") else "type",
                    "still_open": "still open",
                    "closed_before_opened": "closed before opened",
                    "median_hours": "median hours to close",
                    "p90_hours": "90th percentile hours",
                }
            ),
            "time-to-close",
            "Hours from opening to closing, over the requests closed when the data was copied",
            page.small,
            counts=["requests", "closed", "still open", "closed before opened"],
            base="closed",
            decimals={"median hours to close": 1, "90th percentile hours": 1},
        )
    )
    parts.append(
        r.caveat(
            "Only requests already closed have a time to close: in recent data the slow ones are still open, so "
            "these hours understate the wait. 'Closed' is the agency's word; it does not mean the problem was "
            "fixed, and some requests are closed as duplicates within seconds."
        )
    )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
