"""The hate crime report, section by section."""

from __future__ import annotations

import dataclasses

import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import hate_crime as hate
from . import common
from .common import Page

CAVEATS = (
    "Many hate crimes never reach the police: the federal National Crime Victimization Survey found that more "
    "than half of hate crime victimizations in 2011-2015 were not reported. These numbers count what was "
    "reported and recorded.",
    "Whether an offense is recorded as a hate crime depends on the officer, on the department's review and on "
    "its rules; departments differ widely, so comparing places says as much about recording as about crime.",
    "A rise or fall in recorded incidents can mean a change in crimes, in how often victims report them, or in "
    "how the police look for and classify bias: the data cannot tell these apart.",
    "Offender race is what was reported to the police, often by the victim, and is unknown for many incidents.",
    "Small numbers swing widely from year to year; shaded cells say where that applies.",
)
NEXT_QUESTIONS = (
    "How does the department decide that an offense was motivated by bias, and who reviews that decision?",
    "How many incidents were first reported as possible hate crimes but not classified as such, and why?",
    "Did the department report to the FBI every month of every year? (Check its ORI in the FBI's participation "
    "tables before comparing years.)",
    "How many of these incidents led to charges under the state's hate crime law, and how did those cases end?",
    "Which community groups record bias incidents that never reach the police, and what do their counts show?",
)
TITLES = {
    "bias_category": "Kind of bias",
    "bias_motivation": "Bias",
    "offense": "Offense",
    "offense_category": "Offense level",
    "victim_type": "Victim",
    "location_type": "Place",
    "offender_race": "Offender race",
}


def _scope(page: Page) -> hate.Scope:
    assert page.ds is not None
    return hate.scope(page.ds, page.config.state, page.config.city)


def scope(page: Page) -> str:
    """Which incidents the report covers, for data from several states or agencies (the FBI's file)."""
    if not page.ready or page.ds is None:
        return ""
    kept = _scope(page)
    if kept.state is None:
        return ""
    parts = [r.heading("Which incidents this report covers")]
    if kept.states == (kept.state,):
        text = f"All {kept.total:,} incidents were reported by agencies in {kept.state}, the state in toolkit.yaml."
    else:
        text = (
            f"The data holds {kept.total:,} incidents from {len(kept.states)} states ({', '.join(kept.states)}). "
            f"This report keeps the {kept.in_state:,} reported by agencies in {kept.state}, the state in toolkit.yaml."
        )
    if kept.oris:
        text += (
            f" Of those, it keeps the {kept.kept:,} reported by the city agency named {page.config.city} (FBI "
            f"agency code {', '.join(kept.oris)}). Incidents in the city reported by other agencies (transit, "
            "university or state police, the county sheriff) are left out."
        )
    elif kept.in_state:
        text += f" No agency there is named {page.config.city}, so the report covers the whole state."
    parts.append(r.paragraph(text))
    if not kept.in_state:
        parts.append(
            r.caveat(
                f"No incident in this data comes from {kept.state}. Check 'state:' in toolkit.yaml, or use a "
                "file that covers this state."
            )
        )
        return "".join(parts)
    agencies = hate.agencies_of_state(page.ds, kept.state)
    parts.append(
        r.table(
            agencies.rename(columns={"ori": "FBI agency code"}),
            "agencies-of-state",
            f"Agencies in {kept.state} with the most incidents in this data",
            page.small,
            counts=["incidents"],
        )
    )
    parts.append(
        r.caveat(
            "Agencies choose whether to report to the FBI, and many report no hate crime in a year. A missing agency "
            "or a year without incidents is not evidence that none happened."
        )
    )
    return "".join(parts)


def in_scope(page: Page) -> Page:
    """The page limited to the incidents of the city's agency or state (see `scope`)."""
    if not page.ready or page.ds is None:
        return page
    return dataclasses.replace(page, ds=hate.limit_to(page.ds, _scope(page)))


def _share_table(frame: pd.DataFrame, column: str, table_id: str, caption: str, page: Page, top: int = 15) -> str:
    """Incidents per value, the `top` most frequent (the caption says when there are more)."""
    if len(frame) > top:
        caption += f"; the {top} most frequent of {len(frame)}"
    return r.table(
        frame.head(top).rename(columns={"value": TITLES[column], "share": "share of incidents"}),
        table_id,
        caption,
        page.small,
        counts=["incidents"],
        percents=["share of incidents"],
        base="incidents",
    )


def _year_table(frame: pd.DataFrame, table_id: str, caption: str, page: Page) -> str:
    table = frame.reset_index()
    table["year"] = table["year"].astype(str)
    return r.table(table, table_id, caption, page.small, counts=list(table.columns[1:]), base="incidents")


def over_time(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    years = hate.per_year(ds)
    parts = [r.heading("2. Incidents over time, by kind of bias")]
    if len(years):
        parts.append(
            r.figure(
                charts.columns(
                    years["year"].astype(str).tolist(),
                    years["incidents"].tolist(),
                    "Hate crime incidents per year",
                    "incidents",
                    "Each bar counts the incidents recorded in that year. The first and last years may be partial "
                    "(see the months in section 1), and a change from year to year can come from reporting and "
                    "recording as much as from crime.",
                )
            )
        )
    parts.append(
        _year_table(
            hate.by_year(ds, "bias_category"),
            "incidents-by-year-and-bias-category",
            "Incidents per year, by kind of bias",
            page,
        )
    )
    parts.append(
        _year_table(
            hate.by_year(ds, "bias_motivation", split=True),
            "incidents-by-year-and-bias",
            "Incidents per year, for the most frequent biases (an incident with several biases counts under each)",
            page,
        )
    )
    complete = [y for y in hate.complete_years(ds) if y in set(years["year"])]
    if len(complete) >= 2:
        per_year = years.set_index("year")["incidents"]
        first, last = complete[0], complete[-1]
        more = (
            "more" if per_year[last] > per_year[first] else "fewer" if per_year[last] < per_year[first] else "as many"
        )
        parts.append(
            r.finding(
                f"Were more incidents recorded in {last} than in {first}?",
                f"{per_year[last]:,} incidents were recorded in {last}, {more} than the {per_year[first]:,} of "
                f"{first}. This describes a change in recorded incidents; it does not show whether hate crimes "
                "themselves became more or less common.",
            )
        )
    return "".join(parts)


def biases(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("3. The biases recorded")]
    if ds.has_values("bias_category"):
        kinds = hate.counts(ds, "bias_category")
        parts.append(
            _share_table(kinds, "bias_category", "incidents-by-bias-category", "Incidents by kind of bias", page)
        )
    if not ds.has_values("bias_motivation"):
        parts.append(r.paragraph("This data does not record the bias behind each incident."))
        return "".join(parts)
    motives = hate.mentions(ds, "bias_motivation")
    top = motives.head(12)
    parts.append(
        r.figure(
            charts.bars(
                top["value"].str.slice(0, 60).tolist(),
                top["incidents"].tolist(),
                "Incidents by the bias recorded",
                "incidents",
                f"The {len(top)} biases recorded most often. An incident with several biases counts under each. "
                "The bias is what the police recorded as the motive, not a finding of a court.",
            )
        )
    )
    parts.append(
        _share_table(
            motives,
            "bias_motivation",
            "incidents-by-bias",
            "Incidents by the bias recorded (an incident with several biases counts under each)",
            page,
        )
    )
    first = motives.iloc[0]
    parts.append(
        r.finding(
            "Which bias was recorded most often?",
            f"{first['value']}: {first['incidents']:,} of {ds.rows:,} incidents ({first['share']:.1%}).",
        )
    )
    return "".join(parts)


def offenses(page: Page) -> str:
    if not page.ready or page.ds is None or not page.ds.has_values("offense"):
        return ""
    ds = page.ds
    parts = [r.heading("4. The offenses")]
    offense = hate.mentions(ds, "offense")
    top = offense.head(10)
    parts.append(
        r.figure(
            charts.bars(
                top["value"].str.slice(0, 60).tolist(),
                top["incidents"].tolist(),
                "Incidents by offense",
                "incidents",
                f"The {len(top)} offenses recorded most often. An incident with several offenses counts under each. "
                "Offenses are what the police recorded, not charges or convictions.",
            )
        )
    )
    parts.append(
        _share_table(
            offense,
            "offense",
            "incidents-by-offense",
            "Incidents by offense (an incident with several offenses counts under each)",
            page,
        )
    )
    parts.append(
        _year_table(
            hate.by_year(ds, "offense", split=True),
            "incidents-by-year-and-offense",
            "Incidents per year, for the most frequent offenses",
            page,
        )
    )
    if ds.has_values("offense_category"):
        levels = hate.counts(ds, "offense_category")
        parts.append(
            _share_table(levels, "offense_category", "incidents-by-offense-level", "Incidents by offense level", page)
        )
    return "".join(parts)


def victims_and_offenders(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    shown = [c for c in ("victim_type", "location_type") if ds.has_values(c)]
    if not shown and not ds.has_values("offender_race"):
        return ""
    parts = [r.heading("5. Victims, places and offenders")]
    for column in shown:
        what = TITLES[column].lower()
        parts.append(
            _share_table(
                hate.mentions(ds, column),
                column,
                f"incidents-by-{column.replace('_', '-')}",
                f"Incidents by {what} (an incident with several counts under each)",
                page,
            )
        )
    if ds.has_values("offender_race"):
        parts.append(
            _share_table(
                hate.counts(ds, "offender_race"),
                "offender_race",
                "incidents-by-offender-race",
                "Incidents by the race of the offender(s), as reported",
                page,
            )
        )
        parts.append(
            r.caveat(
                "Offender race is what the victim or a witness reported, or what the police found; it is unknown "
                "whenever no offender was seen or identified, and 'other' includes groups of offenders of several "
                "races."
            )
        )
    return "".join(parts)


def arrests(page: Page) -> str:
    if not page.ready or page.ds is None or hate.arrest_flag(page.ds) is None:
        return ""
    ds = page.ds
    parts = [r.heading("6. Arrests")]
    by_year = hate.arrests_by(ds)
    by_kind = hate.arrests_by(ds, "bias_category") if ds.has_values("bias_category") else None
    for frame, label, table_id in (
        (by_year, "Year", "arrests-by-year"),
        (by_kind, TITLES["bias_category"], "arrests-by-bias-category"),
    ):
        if frame is None:
            continue
        parts.append(
            r.table(
                frame.rename(
                    columns={
                        "group": label,
                        "recorded": "arrest recorded or not",
                        "arrests": "with an arrest",
                        "share": "share with an arrest",
                    }
                ),
                table_id,
                f"Incidents with an arrest, by {label.lower()}",
                page.small,
                counts=["incidents", "arrest recorded or not", "with an arrest"],
                percents=["share with an arrest"],
                base="arrest recorded or not",
            )
        )
    recorded, made = int(by_year["recorded"].sum()), int(by_year["arrests"].sum())
    if recorded:
        parts.append(
            r.finding(
                "How many incidents led to an arrest?",
                f"{made:,} of {recorded:,} incidents ({made / recorded:.1%}) have an arrest recorded.",
            )
        )
    parts.append(
        r.caveat(
            "Recent incidents have had less time to lead to an arrest, and an arrest is not a conviction. One arrest "
            "can close several incidents."
        )
    )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
