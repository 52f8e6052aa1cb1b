"""The arrests report, section by section. Each section says plainly when the data cannot answer its question,
so a reader learns what to ask the publisher for."""

from __future__ import annotations

import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import arrests as arr
from ..analysis import police_stops as stops
from . import common
from .common import Page

TITLES = {
    "subject_race": "Race",
    "subject_sex": "Sex",
    "offense_level": "Offense level",
    "offense_category": "Offense category",
    "offense": "Offense",
}
CAVEATS = (
    "An arrest is not a conviction: many charges are reduced or dropped. These numbers describe police activity, "
    "not who committed crimes.",
    "Race and sex are usually what the officer recorded, often by perception.",
    "A difference between groups is not, by itself, proof of unfair treatment: it can also reflect where police "
    "patrol, what residents report, and who is in the city but does not live there.",
    "Only the top charge of each arrest is counted; an arrest for several offenses appears once.",
    "Small numbers swing widely from month to month; shaded cells say where that applies.",
)
NEXT_QUESTIONS = (
    "Which low-level offenses lead to arrests most often, and could a citation or a referral serve instead?",
    "How many arrests led to charges being filed, and how many were dropped or dismissed?",
    "Do some precincts account for most arrests for low-level offenses, and how are officers deployed there?",
    "How many arrests started with a stop, a 911 call, or a warrant? Does the data record it?",
    "How does the department record race and ethnicity: by asking, or by the officer's perception?",
)


def _share_table(page: Page, frame: pd.DataFrame, title: str, table_id: str, caption: str) -> str:
    return r.table(
        frame.rename(columns={"value": title, "share": "share of arrests"}),
        table_id,
        caption,
        page.small,
        counts=["arrests"],
        percents=["share of arrests"],
        base="arrests",
    )


def _bars(page: Page, frame: pd.DataFrame, title: str, caption: str) -> str:
    chart = common.chart_rows(page, frame[~frame["value"].isin(["not recorded", "all others"])], "arrests")
    return r.figure(charts.bars(chart["value"].tolist(), chart["arrests"].tolist(), title, "arrests", caption))


def overview(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    span = arr.span(ds)
    parts = [r.heading("2. Arrests over time")]
    if span["first"] is None:
        parts.append(common.not_recorded("when the arrests were made", "Ask for the date of each arrest."))
        return "".join(parts)
    parts.append(
        r.paragraph(
            f"The data records {span['arrests']:,} arrests from {span['first']:%B %-d, %Y} to "
            f"{span['last']:%B %-d, %Y}."
            + (f" {span['undated']:,} have no date and appear in no monthly figure." if span["undated"] else "")
        )
    )
    months = arr.by_month_and_level(ds)
    months["month"] = months["month"].map(lambda m: f"{m:%Y-%m}")
    levels = [c for c in months.columns if c != "month"]
    parts.append(
        r.table(
            months,
            "arrests-by-month",
            "Arrests per month, by the level of the top charge",
            page.small,
            counts=levels,
            base="total",
        )
    )
    parts.append(
        r.caveat(
            "A change from month to month can mean a change in enforcement (a new policy, a crackdown, fewer "
            "officers), in reporting, or in events; the data cannot tell these apart. The first and last months "
            "may be partial."
        )
    )
    return "".join(parts)


def offenses(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("3. What people were arrested for")]
    if ds.has_values("offense_level"):
        frame = arr.by_level(ds)
        parts.append(
            _bars(
                page,
                frame,
                "Arrests by the level of the top charge",
                "Felonies are the most serious offenses; misdemeanors, violations and infractions are lower-level. "
                "The level is the charge at arrest, which prosecutors may later change.",
            )
        )
        parts.append(_share_table(page, frame, "Offense level", "arrests-by-level", "Arrests by offense level"))
    else:
        parts.append(
            common.not_recorded(
                "the level of each charge", "Ask whether each charge was a felony, misdemeanor or violation."
            )
        )
    column = next((c for c in ("offense_category", "offense") if ds.has_values(c)), None)
    if column is None:
        parts.append(common.not_recorded("what people were arrested for", "Ask for the charge of each arrest."))
        return "".join(parts)
    what = TITLES[column].lower()
    frame = arr.counts(ds, column, top=15)
    parts.append(
        _bars(
            page,
            frame,
            f"Arrests by {what} (the 15 most frequent)",
            "Each bar counts arrests whose top charge falls in the category, as the department names it. Categories "
            "differ between departments; compare within this data only.",
        )
    )
    if ds.has_values("offense_level") and column == "offense_category":
        table = arr.category_by_level(ds)
        levels = [c for c in table.columns if c not in ("category", "arrests")]
        parts.append(
            r.table(
                table.rename(columns={"category": TITLES[column]}),
                "arrests-by-category",
                f"Arrests by {what} and level of the top charge (the 15 most frequent categories)",
                page.small,
                counts=["arrests", *levels],
                base="arrests",
            )
        )
    else:
        parts.append(_share_table(page, frame, TITLES[column], "arrests-by-category", f"Arrests by {what}"))
    return "".join(parts)


def low_level(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("4. Arrests for low-level offenses")]
    if not ds.has_values("offense_level"):
        parts.append(
            common.not_recorded(
                "whether each charge was a felony or a lower-level offense",
                "Ask for the level of each charge (felony, misdemeanor, violation, infraction).",
            )
        )
        return "".join(parts)
    everyone = arr.low_level_share(ds).iloc[0]
    parts.append(
        r.finding(
            "What share of arrests were for low-level offenses (misdemeanors, violations or infractions)?",
            f"{everyone['share']:.1%}: {int(everyone['low_level']):,} of the {int(everyone['known']):,} arrests whose "
            "top charge has a known level.",
        )
    )
    for group in ("subject_race", "subject_sex"):
        if not ds.has_values(group):
            continue
        frame = arr.low_level_share(ds, group)
        what = TITLES[group].lower()
        parts.append(
            r.table(
                frame.rename(
                    columns={
                        "group": TITLES[group],
                        "known": "arrests with level known",
                        "low_level": "low-level arrests",
                        "share": "share low-level",
                    }
                ),
                f"low-level-by-{group}",
                f"Share of each group's arrests that were for low-level offenses, by {what}",
                page.small,
                counts=["arrests with level known", "low-level arrests"],
                percents=["share low-level"],
                base="arrests with level known",
            )
        )
    parts.append(
        r.caveat(
            "A larger share of low-level arrests for a group means officers more often arrested people of that "
            "group for minor offenses, relative to their other arrests. It does not say why; and if the data leaves "
            "out some kinds of arrest (the notes on this data say so), the shares change."
        )
    )
    return "".join(parts)


def people(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    ds = page.ds
    parts = [r.heading("5. Who was arrested")]
    for column in ("subject_race", "subject_sex"):
        what = TITLES[column].lower()
        if not ds.has_values(column):
            parts.append(
                common.not_recorded(f"the {what} of the people arrested", f"Ask the department to publish {what}.")
            )
            continue
        frame = arr.counts(ds, column)
        parts.append(
            _bars(
                page,
                frame,
                f"Arrests by {what}",
                "Counts of arrests, not of people: one person arrested twice counts twice. "
                + ("Race is usually the officer's perception." if column == "subject_race" else ""),
            )
        )
        parts.append(_share_table(page, frame, TITLES[column], f"arrests-by-{column}", f"Arrests by {what}"))
    if ds.has_values("subject_age_group") or ds.has_values("subject_age"):
        parts.append(
            _share_table(page, arr.age_groups(ds), "Age", "arrests-by-age", "Arrests by age group of the person")
        )
    else:
        parts.append(common.not_recorded("the age of the people arrested", "Ask for age or an age group."))
    return "".join(parts)


def per_capita(page: Page) -> str:
    if not common.has_rows(page):
        return ""
    assert page.ds is not None
    parts = [r.heading("6. Arrests per 1,000 residents, by race")]
    population = page.config.population
    if population is None or not population.by_race:
        parts.append(
            r.paragraph(
                "Add the city's residents by race under 'population:' in toolkit.yaml (from the Census Bureau's "
                "American Community Survey) to see arrests per 1,000 residents of each race."
            )
        )
        return "".join(parts)
    if not page.ds.has_values("subject_race"):
        parts.append(common.not_recorded("the race of the people arrested", "Ask the department to publish race."))
        return "".join(parts)
    frame = arr.per_capita(page.ds, population)
    span = arr.span(page.ds)
    source = ", ".join(str(s) for s in (population.source, population.year) if s)
    parts.append(
        r.paragraph(
            f"Arrests a year for every 1,000 residents of each race{f' ({source})' if source else ''}: the arrests "
            f"from {span['first']:%B %-d, %Y} to {span['last']:%B %-d, %Y}, divided by the length of that period in "
            "years and by the residents."
        )
    )
    parts.append(
        r.table(
            frame.rename(
                columns={
                    "race": "Race",
                    "per_1000": "arrests a year per 1,000 residents",
                    "ratio": "times the white rate",
                }
            ),
            "arrests-per-resident",
            "Arrests a year per 1,000 residents, by race",
            page.small,
            counts=["arrests", "residents"],
            base="arrests",
            decimals={"arrests a year per 1,000 residents": 1, "times the white rate": 2},
        )
    )
    white = frame.loc[frame["race"] == "white", "per_1000"]
    if len(white) and white.iloc[0] > 0:
        for row in frame.itertuples():
            if row.race in ("everyone", "white", "unknown") or row.arrests < page.small.threshold:
                continue
            who = stops.people(row.race, "subject_race")
            parts.append(
                r.finding(
                    f"Were {who} arrested at a higher rate than white people, for their number of residents?",
                    f"{row.per_1000:,.1f} arrests a year per 1,000 residents against {white.iloc[0]:,.1f} for white "
                    f"people: {row.ratio:.2f} times the rate. This compares arrests with residents; it does not show "
                    "why the rates differ.",
                )
            )
    parts.append(
        r.caveat(
            "Residents are not the people who meet the police: people arrested in the city may live elsewhere, and "
            "the population figures may be from another year. Arrests whose race is unknown count only in the "
            "total. The toolkit counts Hispanic people as hispanic whatever their race, so the population figures "
            "must do the same (the Census Bureau's 'Hispanic or Latino' and 'not Hispanic or Latino' counts)."
        )
    )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
