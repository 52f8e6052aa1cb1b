"""The 911 calls for service report, section by section. Each section says plainly when the data
cannot answer its question, so a reader learns what to ask the publisher for."""

from __future__ import annotations

from .. import charts
from .. import report as r
from ..analysis import emergency_911 as calls
from . import common
from .common import Page

AREA_TITLES = {"precinct": "Precinct", "district": "District", "neighborhood": "Neighborhood", "beat": "Beat"}
CAVEATS = (
    "A call records what someone reported, or what an officer chose to act on, not what happened.",
    "Call types are the dispatcher's first label, chosen in seconds; many calls turn out to be something else.",
    "Calls started by officers (traffic stops, patrol checks) measure police activity, not the public's needs.",
    "More calls from an area can mean more people, more trust in calling, or more patrols there, not more need.",
    "Response times depend on how each stage is stamped in the dispatch system; compare them within one city "
    "and one system, not across cities.",
)
NEXT_QUESTIONS = (
    "Which calls does the city send to someone other than a police officer today (crisis teams, "
    "community responders, 311), and how many calls of each type could go there?",
    "How does the dispatch center set a call's priority, and how often is it changed?",
    "Are response-time goals published per priority, and how often are they met in each area?",
    "Which calls were started by officers, and can the data mark them so they can be counted apart?",
    "How were calls resolved: how many ended with a report, an arrest, or no action needed?",
)


def overview(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    counts = calls.call_counts(page.ds)
    parts = [r.heading("2. Calls, and who answered them")]
    if counts["calls"] < counts["rows"]:
        parts.append(
            r.paragraph(
                f"The data has {counts['rows']:,} rows, one per unit sent: rows that share a call number are one "
                f"call answered by several units. They make {counts['calls']:,} calls. Everything below counts "
                "calls, not units."
            )
        )
    else:
        parts.append(r.paragraph(f"The data has {counts['calls']:,} calls, one per row."))
    if counts["fire_and_ems"]:
        parts.append(
            r.paragraph(
                f"{counts['fire_and_ems']:,} calls were answered by fire and EMS (ambulance) units, not by police."
            )
        )
    if page.ds.has_values("officer_initiated"):
        share = counts["officer_initiated"] / counts["calls"]
        parts.append(
            r.paragraph(
                f"{counts['officer_initiated']:,} calls ({share:.1%}) were started by an officer (a traffic stop, a "
                "patrol check, an assignment), not by someone asking for help."
            )
        )
    elif counts["fire_and_ems"] < counts["calls"]:
        parts.append(
            r.caveat(
                "The data does not say which calls officers started themselves, so they are mixed in with calls "
                "from the public in every figure below."
            )
        )
    return "".join(parts)


def volume(page: Page, relation: str, word: str, id_prefix: str) -> str:
    """Counts by hour, weekday and month of the rows of `relation` (calls, requests, reports): shared by
    the 911 and non-emergency reports. Empty when the data has no dates."""
    assert page.ds is not None
    ds, per_day = page.ds, f"{word} per day"
    parts = []
    hours = calls.by_hour(ds, relation)
    if hours["count"].sum():
        parts.append(
            r.figure(
                charts.columns(
                    [f"{h:02d}:00" for h in hours["hour"]],
                    hours["count"].tolist(),
                    f"{word.capitalize()} by hour of the day",
                    word,
                    f"Each bar counts the {word} in that hour, local time, over the whole period. Busy hours show "
                    "when people call or report, not when most harm happens; a time of exactly midnight often "
                    "means no time was recorded.",
                )
            )
        )
    weekdays = calls.by_weekday(ds, relation)
    if weekdays.empty:
        return "".join(parts)
    parts.append(
        r.figure(
            charts.columns(
                weekdays["weekday"].tolist(),
                weekdays["per_day"].fillna(0).tolist(),
                f"{word.capitalize()} per day, by weekday",
                per_day,
                f"Average {word} on each weekday: the {word} on that weekday divided by the number of those "
                "weekdays with any in the data. With only a few weeks of data, one busy day moves an average a lot.",
            )
        )
    )
    names = {"count": word, "days": "days with data", "per_day": per_day}
    parts.append(
        r.table(
            weekdays.rename(columns=names),
            f"{id_prefix}-by-weekday",
            f"{word.capitalize()} by weekday",
            page.small,
            counts=[word, "days with data"],
            decimals={per_day: 1},
        )
    )
    months = calls.by_month(ds, relation)
    empty = months[months["count"] == 0]
    parts.append(
        r.table(
            months[months["count"] > 0].rename(columns=names),
            f"{id_prefix}-by-month",
            f"{word.capitalize()} by month (the first and last months may be partial: compare {per_day})",
            page.small,
            counts=[word, "days with data"],
            decimals={per_day: 1},
        )
    )
    if len(empty):
        parts.append(
            r.caveat(
                f"{len(empty):,} months between {months['month'].iloc[0]} and {months['month'].iloc[-1]} have no "
                f"{word} at all and are left out of this table: a gap in the data, or a few dates entered wrongly "
                "(section 1 lists the dates that cannot be right)."
            )
        )
    return "".join(parts)


def timing(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    parts = [r.heading("3. When calls come in")]
    if not page.ds.has_values("date"):
        parts.append(
            common.cannot_show(
                "when calls come in: it records no date or time of day for its calls",
                "Ask the publisher for the time each call was received.",
            )
        )
    else:
        parts.append(volume(page, "calls", "calls", "calls"))
    return "".join(parts)


def types(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    parts = [r.heading("4. What the calls were about, and where")]
    if not ds.has_values("call_type"):
        parts.append(
            common.cannot_show(
                "what the calls were about: it records no call type",
                "Ask for the call type (nature code) and its list of codes with their meanings.",
            )
        )
    else:
        frame = calls.top_values(ds, "call_type")
        chart = common.chart_rows(page, frame[frame["value"] != "not recorded"], "count")
        parts.append(
            r.figure(
                charts.bars(
                    chart["value"].tolist(),
                    chart["count"].tolist(),
                    "Calls by type",
                    "calls",
                    "The most common call types, as the dispatcher labelled them when the call came in. Labels "
                    "are coarse and are not always corrected once officers learn what happened.",
                )
            )
        )
        parts.append(
            r.table(
                frame.rename(columns={"value": "call type", "count": "calls", "share": "share of calls"}),
                "calls-by-type",
                "Calls by type",
                page.small,
                counts=["calls"],
                percents=["share of calls"],
                base="calls",
            )
        )
    if ds.has_values("call_type_group"):
        frame = calls.top_values(ds, "call_type_group")
        parts.append(
            r.table(
                frame.rename(columns={"value": "group", "count": "calls", "share": "share of calls"}),
                "calls-by-group",
                "Calls by the publisher's group of call types",
                page.small,
                counts=["calls"],
                percents=["share of calls"],
                base="calls",
            )
        )
    if ds.has_values("priority"):
        frame = calls.top_values(ds, "priority")
        parts.append(
            r.table(
                frame.rename(columns={"value": "priority", "count": "calls", "share": "share of calls"}),
                "calls-by-priority",
                "Calls by priority (the publisher's codes; the notes on this data say what they mean where known)",
                page.small,
                counts=["calls"],
                percents=["share of calls"],
                base="calls",
            )
        )
    else:
        parts.append(
            common.cannot_show("how urgent calls were judged", "Ask for each call's priority and what the codes mean.")
        )
    area = calls.area_column(ds)
    if area:
        title = AREA_TITLES[area]
        frame = calls.top_values(ds, area)
        parts.append(
            r.table(
                frame.rename(columns={"value": title.lower(), "count": "calls", "share": "share of calls"}),
                f"calls-by-{area}",
                f"Calls by {title.lower()}",
                page.small,
                counts=["calls"],
                percents=["share of calls"],
                base="calls",
            )
        )
    return "".join(parts)


def _by(page: Page, column: str, stage: str, title: str) -> str:
    assert page.ds is not None
    frame = calls.response_by(page.ds, column, stage).rename(
        columns={
            "group": title,
            "timed": "calls timed",
            "median": "median minutes",
            "p90": "90th percentile minutes",
        }
    )
    return r.table(
        frame,
        f"response-by-{column}",
        f"Minutes from {calls.STAGES[stage]}, by {title.lower()}",
        page.small,
        counts=["calls", "calls timed"],
        base="calls timed",
        decimals={"median minutes": 1, "90th percentile minutes": 1},
    )


def response(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    parts = [r.heading("5. How long help took")]
    summary = calls.response_summary(ds)
    if summary.empty:
        parts.append(
            common.cannot_show(
                "how long help took: it has no times of dispatch or arrival",
                "Ask for the time each call was received, dispatched, and reached by the first unit.",
            )
        )
        return "".join(parts)
    parts.append(
        r.paragraph(
            "A call goes through stages: it is received, a unit is dispatched, and the first unit arrives. The "
            "median is the middle call: half waited less, half more. The 90th percentile is the wait that one "
            "call in ten exceeded."
        )
    )
    parts.append(
        r.table(
            summary.rename(
                columns={"calls": "calls timed", "median": "median minutes", "p90": "90th percentile minutes"}
            ),
            "response-times",
            "Minutes at each stage of a call",
            page.small,
            counts=["calls timed"],
            base="calls timed",
            decimals={"median minutes": 1, "90th percentile minutes": 1},
        )
    )
    last = summary.iloc[-1]
    parts.append(
        r.finding(
            f"How long from {last['stage']}?",
            f"Half of the {int(last['calls']):,} calls timed took {last['median']:.1f} minutes or less; one call in "
            f"ten took more than {last['p90']:.1f} minutes.",
        )
    )
    left_out = calls.timing_exclusions(ds)
    notes = []
    if left_out["officer_initiated"]:
        notes.append(f"{left_out['officer_initiated']:,} calls started by officers, who needed no one to come")
    if left_out["no_wait"]:
        notes.append(
            f"{left_out['no_wait']:,} calls that record no wait at all (zero minutes from call to arrival): most "
            "likely started by an officer already there, though the data does not say so"
        )
    if left_out["out_of_order"]:
        notes.append(f"{left_out['out_of_order']:,} calls with a stage whose times are out of order, for that stage")
    if notes:
        parts.append(r.paragraph("Left out of these times:") + r.bullets(notes))
    stage = calls.main_stage(ds)
    area = calls.area_column(ds)
    if stage and area:
        title = AREA_TITLES[area]
        frame = calls.response_by(ds, area, stage)
        chart = frame[(frame["timed"] >= page.small.threshold) & (frame["group"] != "not recorded")]
        if len(chart):
            parts.append(
                r.figure(
                    charts.bars(
                        chart["group"].tolist(),
                        chart["median"].round(1).tolist(),
                        f"Median minutes from {calls.STAGES[stage]}, by {title.lower()}",
                        "median minutes",
                        f"Each bar is the median wait in one {title.lower()}; only areas with at least "
                        f"{page.small.threshold} calls timed are drawn. Areas differ in size, traffic and the mix of "
                        "calls, so a longer wait is a question to ask, not a verdict.",
                    )
                )
            )
        if len(chart) > 1:
            slowest, fastest = chart.loc[chart["median"].idxmax()], chart.loc[chart["median"].idxmin()]
            parts.append(
                r.finding(
                    f"Did waits differ between {title.lower()}s?",
                    f"Among {title.lower()}s with at least {page.small.threshold} calls timed, the median ranged from "
                    f"{fastest['median']:.1f} minutes ({fastest['group']}) to {slowest['median']:.1f} minutes "
                    f"({slowest['group']}). This describes a difference; it does not show its cause.",
                )
            )
        parts.append(_by(page, area, stage, title))
    if stage and ds.has_values("priority"):
        parts.append(_by(page, "priority", stage, "Priority"))
    parts.append(
        r.caveat(
            "Times are as the dispatch system stamped them. Where the publisher gives minutes rather than "
            "timestamps, they are used as published, and a total is not always the sum of its parts. A call "
            "cancelled before anyone arrived has no arrival time and is left out of those stages."
        )
    )
    return "".join(parts)


def unarmed(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    parts = [r.heading("6. Calls that may not need an armed police response")]
    if not ds.has_values("call_type"):
        parts.append(common.cannot_show("which calls might go to other responders: it records no call type"))
        return "".join(parts)
    public = calls.from_the_public(ds)
    summary, caught = calls.unarmed_response(ds, public)
    total = summary.attrs["total"]
    if not total:
        parts.append(
            r.paragraph(
                "These calls were answered by fire and EMS units or started by officers: the question of which "
                "calls could go to someone other than an armed officer does not arise for them."
            )
        )
        return "".join(parts)
    parts.append(
        r.paragraph(
            "Many cities now send some calls to unarmed responders: crisis counselors, medics, community "
            "service officers. The groups below are call types that such programs often take. They are matched by "
            "words in the call type's name, from a list anyone can edit (UNARMED_RESPONSE in "
            "safety_toolkit/analysis/emergency_911.py); every type each group caught is listed so you can check. "
            f"Shares are of the {total:,} calls from the public with a call type (calls started by officers and "
            "calls answered by fire and EMS are left out)."
        )
    )
    parts.append(
        r.table(
            summary.rename(columns={"group": "group of call types", "count": "calls", "share": "share of calls"}),
            "unarmed-response",
            "Calls from the public whose type may not need an armed response",
            page.small,
            counts=["calls"],
            percents=["share of calls"],
            base="calls",
        )
    )
    together = summary.iloc[-1]
    parts.append(
        r.finding(
            "How many calls from the public were of types that may not need an armed officer?",
            f"{int(together['count']):,} of {total:,} ({together['share']:.1%}) by the list above. Whether they "
            "did need one depends on what each call turned out to be, which call types do not say.",
        )
    )
    if len(caught):
        parts.append(
            r.table(
                caught.rename(columns={"type": "call type", "count": "calls"}),
                "unarmed-response-types",
                "The call types each group caught",
                page.small,
                counts=["calls"],
                base="calls",
            )
        )
    parts.append(
        r.caveat(
            "Call types are coarse: a 'welfare check' may involve a weapon, and a 'disturbance' may be someone "
            "in a mental health crisis. These shares are a starting point for a conversation about who should "
            "answer which calls, not a count of calls that did not need the police."
        )
    )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
