"""The police stops report, section by section."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import police_stops as stops
from . import common
from .common import Page

CAVEATS = (
    "Race and sex are usually what the officer perceived, not what the person would say.",
    "A difference between groups is not, by itself, proof of discrimination: groups can differ in where "
    "and how they travel, and in why they were stopped.",
    "Rates built on small numbers swing widely from year to year; shaded cells say where that applies.",
    "Recording rules change. Compare periods only when the monthly counts above show steady recording.",
    "Population figures, used elsewhere to compare stop rates, count residents, not who drives or walks where.",
)
NEXT_QUESTIONS = (
    "Which precincts or neighborhoods account for the gaps in search rates, and did the gaps change over time?",
    "How often did searches find anything (contraband), and does that hit rate differ by group?",
    "What does the department's policy say about when officers may search a vehicle or frisk a person?",
    "Who records race and when: before or after the contact? What happens to stops recorded outside the "
    "squad car's computer?",
)


def _title(group: str) -> str:
    return stops.GROUP_TITLES.get(group, group)


def overview(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    ds = page.ds
    span = stops.date_range(ds)
    parts = [r.heading("2. When the stops happened")]
    parts.append(
        r.paragraph(
            f"The data records {span['rows']:,} stops from {span['first']:%B %-d, %Y} to {span['last']:%B %-d, %Y}."
            + (f" {span['undated']:,} stops have no date and appear in no monthly figure." if span["undated"] else "")
        )
    )
    unrecorded = stops.without_key_fields(ds)
    if unrecorded:
        parts.append(
            r.caveat(
                f"{unrecorded:,} stops ({unrecorded / span['rows']:.1%}) record neither the person's race nor "
                "whether anyone was searched. They count in the totals but cannot enter any comparison by race "
                "or any search rate below."
            )
        )
    hours = stops.stops_by_hour(ds)
    if len(hours):
        parts.append(
            r.figure(
                charts.columns(
                    [f"{h:02d}:00" for h in hours["hour"]],
                    hours["stops"].tolist(),
                    "Stops by hour of the day",
                    "stops",
                    "Each bar counts the stops that began in that hour, local time, over the whole period. "
                    "Stops per month are in section 1.",
                )
            )
        )
    parts.append(r.heading("3. Who was stopped, and why"))
    for column in ("subject_sex", "subject_race", "reason_for_stop"):
        if not ds.has_values(column):
            parts.append(r.paragraph(f"This data does not record {_title(column).lower()}."))
            continue
        frame = stops.counts(ds, column)
        parts.append(
            r.figure(
                charts.bars(
                    frame["value"].tolist(),
                    frame["stops"].tolist(),
                    f"Stops by {_title(column).lower()}",
                    "stops",
                    "Counts of stops, not of people: one person stopped twice counts twice. "
                    + ("Race is the officer's perception." if column == "subject_race" else ""),
                )
            )
        )
        parts.append(
            r.table(
                frame.rename(columns={"value": _title(column), "share": "share of stops"}),
                f"stops-by-{column}",
                f"Stops by {_title(column).lower()}",
                page.small,
                counts=["stops"],
                percents=["share of stops"],
                base="stops",
            )
        )
    return "".join(parts)


def reasons(page: Page) -> str:
    if not page.ready or page.ds is None or not page.ds.has_values("reason_for_stop"):
        return ""
    parts = [r.heading("4. Reasons for stops, by group")]
    for group in ("subject_race", "subject_sex"):
        if not page.ds.has_values(group):
            continue
        table = stops.breakdown(page.ds, group, "reason_for_stop").reset_index()
        shares = [c for c in table.columns if c not in (_title(group), "stops")]
        parts.append(
            r.table(
                table,
                f"reason-by-{group}",
                f"Reason for stop by {_title(group).lower()} (share of each group's stops)",
                page.small,
                counts=["stops"],
                percents=shares,
                base="stops",
            )
        )
    parts.append(
        r.caveat(
            "The reason is what the officer recorded. A larger share of 'suspicious' stops for a group means "
            "officers more often recorded that reason for that group, not that the group was more suspicious."
        )
    )
    return "".join(parts)


def _rate_section(page: Page, flag: str, group: str) -> str:
    assert page.ds is not None
    comparison = stops.rate_by_group(page.ds, flag, group)
    what, clause = stops.FLAG_TITLES[flag], stops.FLAG_CLAUSES[flag]
    table = comparison.table
    labels = [f"{g} (reference)" if g == comparison.reference else g for g in table["group"]]
    parts = [
        r.figure(
            charts.bars(
                labels,
                table["rate"].tolist(),
                f"Stops in which {clause.split(' (')[0]}, by {_title(group).lower()}",
                "share of stops",
                f"Each bar is the share of stops of that group in which {clause}; grey is the reference "
                f"group ({comparison.reference}). Only stops with this outcome recorded are counted.",
                percent=True,
                highlight=f"{comparison.reference} (reference)",
            )
        )
    ]
    shown = pd.DataFrame(
        {
            _title(group): table["group"],
            "stops recorded": table["stops"],
            what: table["flagged"],
            "rate": table["rate"],
            f"times the {comparison.reference} rate": table["ratio"],
            "p-value": table["p_value"],
            "test": table["test"],
            f"likelihood against {comparison.reference}": table["likelihood"],
        }
    )
    parts.append(
        r.table(
            shown,
            f"{flag}-by-{group}",
            f"Share of stops in which {clause}, by {_title(group).lower()}",
            page.small,
            counts=["stops recorded", what],
            percents=["rate", f"likelihood against {comparison.reference}"],
            base="stops recorded",
            decimals={f"times the {comparison.reference} rate": 2},
            pvalues=["p-value"],
        )
    )
    if comparison.not_recorded:
        parts.append(
            r.paragraph(
                f"{comparison.not_recorded:,} stops do not record whether {clause}; they are left out of these rates."
            )
        )
    for row in table.itertuples():
        if row.group in (comparison.reference, "unknown") or row.stops < page.small.threshold:
            continue
        question, answer = comparison.finding(row.group)
        parts.append(r.finding(question, answer))
    return "".join(parts)


def searches(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    parts = [r.heading("5. Searches and frisks")]
    for flag in ("search_vehicle", "frisk_performed", "search_person", "search_conducted"):
        if not page.ds.has_values(flag):
            continue
        for group in ("subject_race", "subject_sex"):
            if page.ds.has_values(group):
                parts.append(r.heading(f"Stops in which {stops.FLAG_CLAUSES[flag]}, by {_title(group).lower()}", 3))
                parts.append(_rate_section(page, flag, group))
    if len(parts) == 1:
        return ""
    parts.append(
        r.caveat(
            "Each group is compared with a reference group (white people; women) by a chi-square test on the "
            "2×2 table of searched / not searched, or Fisher's exact test for small tables. A small p-value "
            "says the gap is unlikely to be chance; it says nothing about why the gap exists. The last column is "
            "Open Data Policing's 'likelihood of search': how much more (or, below zero, less) often the group "
            "was searched than the reference group, as a share of the reference group's rate."
        )
    )
    return "".join(parts)


def citations(page: Page) -> str:
    if not page.ready or page.ds is None or not page.ds.has_values("citation_issued"):
        return ""
    parts = [r.heading("6. Stops that ended without a citation")]
    parts.append(
        r.paragraph(
            "A stop that ends without a ticket may still have cost the person time, a search or worse. "
            "Researchers (Lerman and Weaver) read a larger share of such stops for a group as a sign that the "
            "group is stopped on weaker grounds; it is a question to ask, not a conclusion."
        )
    )
    for group in ("subject_race", "subject_sex"):
        if not page.ds.has_values(group):
            continue
        frame = stops.without_citation(page.ds, group)
        parts.append(
            r.table(
                frame.rename(
                    columns={
                        "group": _title(group),
                        "stops": "stops recorded",
                        "without_citation": "without citation",
                        "share": "share without",
                    }
                ),
                f"without-citation-by-{group}",
                f"Stops that ended without a citation, by {_title(group).lower()}",
                page.small,
                counts=["stops recorded", "without citation"],
                percents=["share without"],
                base="stops recorded",
            )
        )
    missing = int(page.ds.scalar("SELECT count(*) FROM data WHERE citation_issued IS NULL"))
    if missing:
        parts.append(
            r.caveat(f"{missing:,} stops do not record whether a citation was issued; they are left out above.")
        )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)


def _clock(minutes: float) -> str:
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}"


def _share(value: float) -> str:
    return "no stops" if pd.isna(value) else f"{value:.0%}"


def stop_rates(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    parts = [r.heading("7. Stops per resident, by race")]
    population = page.config.population
    if not page.ds.has_values("subject_race"):
        return "".join(parts) + r.paragraph("This data does not record race, so it cannot compare stop rates by race.")
    if population is None or not population.by_race:
        return "".join(parts) + r.paragraph(
            "Add the city's population by race under 'population:' in toolkit.yaml (the command "
            "'python -m safety_toolkit population' fetches it from the Census Bureau's American Community Survey) "
            "to compare how often residents of each race were stopped."
        )
    frame = stops.stop_rates(page.ds, population)
    years = stops.years_covered(page.ds)
    source = f"{population.source or 'toolkit.yaml'}{f', {population.year}' if population.year else ''}"
    chart = frame if not page.small.suppress else frame[frame["stops"] >= page.small.threshold]
    if len(chart):
        parts.append(
            r.figure(
                charts.bars(
                    chart["race"].tolist(),
                    chart["per_1000"].tolist(),
                    "Stops a year per 1,000 residents, by race",
                    "stops a year per 1,000 residents",
                    f"Each bar divides the stops of one group, per year over the {years:.1f} years of data, by the "
                    f"residents of that group ({source}). Residents are not the people who drive or walk where "
                    "police stop: read a gap as a question, not a measure of bias.",
                    highlight="white",
                )
            )
        )
    parts.append(
        r.table(
            frame.rename(
                columns={
                    "race": "Race",
                    "per_1000": "stops a year per 1,000 residents",
                    "ratio": "times the white rate",
                }
            ),
            "stop-rate-by-race",
            "Stops a year per 1,000 residents, by race",
            page.small,
            counts=["stops", "residents"],
            base="stops",
            decimals={"stops a year per 1,000 residents": 1, "times the white rate": 2},
        )
    )
    parts.append(
        r.caveat(
            "This benchmark compares stops with the people who live in the city. Commuters, visitors and people "
            "passing through are stopped too, and groups differ in how much and where they drive; a highway or "
            "state patrol stops mostly people who live elsewhere. Stops of people whose race was not recorded are "
            "left out, and so are groups without a population figure."
        )
    )
    return "".join(parts)


def eligibility(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    result = stops.eligibility(page.ds)
    parts = [r.heading("8. Which stops the statistical tests use")]
    parts.append(
        r.paragraph(
            "The outcome test and the veil-of-darkness test below follow the Stanford Open Policing Project: they "
            "use vehicular stops only, and drop months with too few stops or with race, searches or contraband "
            f"recorded for too few of them. Of {page.ds.rows:,} stops, {result.eligible:,} remain. The tables "
            "above use every stop."
        )
    )
    if not page.ds.has_values("type"):
        parts.append(
            r.caveat(
                "This data does not say which stops were of vehicles, so every stop is kept: the tests below mix "
                "traffic and pedestrian stops."
            )
        )
    parts.append(
        r.table(
            result.steps,
            "eligibility-filters",
            "Stops removed by each filter, in order",
            page.small,
            counts=["removed", "remaining"],
        )
    )
    return "".join(parts)


def _hit_chart(by_area: pd.DataFrame, area: str) -> str:
    """Each area's hit rate for a group against the white hit rate, with the line y = x."""
    white = by_area[by_area["race"] == "white"].set_index("area")
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    colors = {"black": charts.MAIN, "hispanic": charts.WARN}
    points = []
    for race, rows in by_area[~by_area["race"].isin(["white", "unknown"])].groupby("race"):
        rows = rows[rows["area"].isin(white.index)]
        x, y = white.loc[rows["area"], "rate"].to_numpy(), rows["rate"].to_numpy()
        ax.scatter(x, y, s=rows["searches"] / rows["searches"].max() * 300 + 20, alpha=0.7, label=race,
                   color=colors.get(race, charts.REFERENCE))  # fmt: skip
        points += [f"{a}, {race}: {yy:.1%} against {xx:.1%}" for a, xx, yy in zip(rows["area"], x, y, strict=True)]
    top = max(by_area["rate"].max() * 1.1, 0.05)
    ax.plot([0, top], [0, top], color=charts.INK, linewidth=1, linestyle="--")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("hit rate of searches of white people")
    ax.set_ylabel("hit rate of searches of the group")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_title(f"Hit rates by {area}: each group against white people")
    ax.legend(frameon=False)
    return charts.figure_html(
        fig,
        f"Hit rates by {area}. " + "; ".join(points),
        f"Each point is one {area}; its size grows with the group's searches there. Points below the dashed line "
        "y = x are places where searches of the group found contraband less often than searches of white people, "
        "which the outcome test reads as a sign that officers searched that group on less evidence. Infra-"
        "marginality can produce such gaps without bias: groups may differ in how often they carry contraband.",
    )


def outcome_test(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    parts = [r.heading("9. Did searches find anything? The outcome test")]
    result = stops.hit_rates(page.ds, stops.eligibility(page.ds))
    if result.problem:
        return "".join(parts) + r.paragraph(
            result.problem + " Ask the department to publish, for each search, whether contraband was found."
        )
    assert result.citywide is not None and result.by_area is not None
    parts.append(
        r.paragraph(
            "The hit rate is the share of searches that found contraband (drugs, weapons or other illegal items). "
            "If officers searched one group on less evidence than another, searches of that group would find "
            "something less often."
        )
    )
    parts.append(
        r.table(
            result.citywide.rename(columns={"race": "Race", "rate": "hit rate"}),
            "hit-rate-by-race",
            "Searches that found contraband, by race (eligible stops)",
            page.small,
            counts=["searches", "hits"],
            percents=["hit rate"],
            base="searches",
        )
    )
    area = result.area or "area"
    if len(result.by_area):
        parts.append(r.figure(_hit_chart(result.by_area, area)))
        parts.append(
            r.table(
                result.by_area.rename(columns={"area": area.capitalize(), "race": "Race", "rate": "hit rate"}),
                f"hit-rate-by-{area}",
                f"Hit rates by {area} and race, where each group had at least {stops.MIN_AREA_SEARCHES} searches",
                page.small,
                counts=["searches", "hits"],
                percents=["hit rate"],
                base="searches",
            )
        )
    if result.areas_left_out:
        parts.append(
            r.paragraph(
                f"{result.areas_left_out:,} {area}s are left out of the comparison by {area}: they lack "
                f"{stops.MIN_AREA_SEARCHES} searches of white people and of another group."
            )
        )
    parts.append(
        r.caveat(
            "A lower hit rate is a warning sign, not proof: if groups differ in how often they carry contraband, "
            "hit rates can differ even when officers use the same standard for everyone (infra-marginality)."
        )
    )
    return "".join(parts)


def _veil_chart(shares: pd.DataFrame, window: tuple[float, float]) -> str:
    fig, ax = plt.subplots(figsize=(8, 3.4))
    for column, color, label in (("light", charts.REFERENCE, "daylight"), ("dark", charts.MAIN, "after dark")):
        rows = shares[shares[column].notna()]
        ax.plot(rows["clock"], rows[column], marker="o", color=color, label=label)
    ax.set_xticks(shares["clock"][::4], [_clock(m) for m in shares["clock"][::4]])
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_ylabel("share of Black drivers")
    ax.set_title("Share of Black drivers among stops, by clock time, in daylight and after dark")
    ax.legend(frameon=False)
    points = "; ".join(
        f"{_clock(row.clock)}: daylight {_share(row.light)}, dark {_share(row.dark)}" for row in shares.itertuples()
    )
    return charts.figure_html(
        fig,
        f"Share of Black drivers among stops of Black and white drivers. {points}",
        f"Each point is a 15-minute slot of clock time between {_clock(window[0])} and {_clock(window[1])}: the "
        "same clock time falls in daylight in summer and after dark in winter. Dark points below grey ones mean "
        "Black drivers were a smaller share of stops when it was dark. Season, traffic and street lighting also "
        "change between those days.",
    )


def veil(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    parts = [r.heading("10. Veil of darkness: were Black drivers a smaller share of stops after dark?")]
    parts.append(
        r.paragraph(
            "After dark, officers can less easily see a driver's race before a stop. If race influenced stops in "
            "daylight, Black drivers would make up a smaller share of the drivers stopped after dark than of those "
            "stopped at the same clock time in daylight (Grogger and Ridgeway; Pierson and others). The test "
            "compares stops between the earliest and the latest dusk of the year, leaves out the half hour of "
            "twilight between sunset and dusk, and adjusts for clock time with a logistic regression."
        )
    )
    center = page.config.center or stops.median_location(page.ds)
    if page.config.center is None and center is not None:
        parts.append(
            r.paragraph(
                f"toolkit.yaml gives no centre point for the city, so sunset times are computed at the middle of the "
                f"stops' locations ({center[0]:.3f}, {center[1]:.3f}); set center: in toolkit.yaml to change it."
            )
        )
    result = stops.veil_of_darkness(page.ds, stops.eligibility(page.ds), center, page.config.timezone)
    if result.steps is not None:
        parts.append(
            r.table(
                result.steps,
                "veil-filters",
                "Stops kept for the veil-of-darkness test",
                page.small,
                counts=["removed", "remaining"],
            )
        )
    if result.problem:
        return "".join(parts) + r.paragraph(result.problem)
    low, high = result.ci
    odds = f"{result.odds_ratio:.2f} times"
    interval = f"95% confidence interval {math.exp(low):.2f} to {math.exp(high):.2f}"
    p = "p < 0.001" if result.p_value < 0.001 else f"p = {result.p_value:.3f}"
    numbers = (
        f"at the same clock time, the odds that a stopped driver was Black were {odds} as high after dark as in "
        f"daylight ({interval}; {p}; {result.black:,} stops of Black drivers and {result.white:,} of white drivers "
        f"between {_clock(result.window[0])} and {_clock(result.window[1])})"
    )
    if result.p_value >= stops.SIGNIFICANCE:
        answer = f"Not clearly: {numbers}. A difference this size could arise by chance."
    elif result.coefficient < 0:
        answer = (
            f"Yes: {numbers}. The method reads this as a sign that race influenced who was stopped when officers "
            "could see it; it does not prove it."
        )
    else:
        answer = f"No, a larger share: {numbers}. This is not the pattern the test looks for."
    parts.append(
        r.finding("After dark, were Black drivers a smaller share of the drivers stopped than in daylight?", answer)
    )
    if result.shares is not None and len(result.shares):
        parts.append(r.figure(_veil_chart(result.shares, result.window)))
    if result.robustness is not None:
        robustness = result.robustness.assign(
            df=lambda f: [f"{df} (a straight line)" if df == 1 else str(df) for df in f["df"]],
            odds=lambda f: f["coefficient"].map(math.exp),
        )
        parts.append(
            r.table(
                robustness.rename(
                    columns={
                        "df": "spline degrees of freedom",
                        "coefficient": "darkness coefficient",
                        "std_error": "standard error",
                        "p_value": "p-value",
                        "odds": "odds ratio",
                    }
                ),
                "veil-robustness",
                "The darkness coefficient with simpler or more flexible adjustments for clock time",
                page.small,
                decimals={"darkness coefficient": 3, "standard error": 3, "odds ratio": 2},
                pvalues=["p-value"],
            )
        )
    parts.append(
        r.caveat(
            "The test speaks only to the evening twilight hours and to Black and white drivers. Darkness is not a "
            "perfect veil (street lighting, headlights), and the days compared differ in season and traffic. A "
            "result consistent with no difference does not show that race played no part."
        )
    )
    return "".join(parts)
