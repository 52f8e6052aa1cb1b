"""The police personnel records report, section by section: the force against the city's population, then
complaints, their findings and the officers named again and again. Each section says plainly when the data
cannot answer its question."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import charts
from .. import report as r
from ..analysis import police_personnel_records as pr
from . import common
from .common import Page

CAVEATS = (
    "Complaints measure what people reported and the department recorded. How easy it is to file one, and "
    "whether people trust the process, shape the numbers as much as officers' conduct does.",
    "A finding is the department's or the oversight agency's decision, not a court's judgment. 'Not sustained' "
    "means the evidence was not enough to decide, not that nothing happened.",
    "Complaints closed without a finding on their merits (no sworn affidavit, no cooperation) say more about the "
    "process than about the officer.",
    "An officer named in many complaints may also work where complaints are more likely (busy districts, "
    "specialized units) or have served longer: counts are not rates per year of service.",
    "Race and sex are as the department recorded them.",
    "Residents' figures describe everyone who lives in the city, including children, not the people eligible to "
    "be hired.",
)
NEXT_QUESTIONS = (
    "How does a resident file a complaint, must it be sworn, and who investigates it?",
    "Which allegations led to discipline, and what discipline? Is the discipline data published with a codebook?",
    "How long do investigations take, and how many complaints are still open?",
    "Does the department or an oversight agency have an early-warning system for officers named in repeated "
    "complaints, and what does it trigger?",
    "How many officers live in the city they police? (FiveThirtyEight estimated this in 2014 for 75 large "
    "cities from census survey data; ask the department for its own figures.)",
    "How has the force's make-up changed over the years, counting those who left, not only those still serving?",
)


def _paired_bars(labels: list[str], first: list[float], second: list[float], names: tuple[str, str], title: str,
                 caption: str) -> str:  # fmt: skip
    """Two shares per group side by side (officers and residents), as horizontal bars."""
    fig, ax = plt.subplots(figsize=(7, 0.7 * len(labels) + 1.4))
    ys = range(len(labels))
    height = 0.38
    ax.barh([y + height / 2 for y in ys], first, height, color=charts.MAIN, label=names[0])
    ax.barh([y - height / 2 for y in ys], second, height, color=charts.REFERENCE, label=names[1])
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_title(title)
    ax.legend(frameon=False, loc="lower right")
    alt = f"{title}. " + "; ".join(
        f"{label}: {names[0]} {a:.1%}, {names[1]} {b:.1%}" for label, a, b in zip(labels, first, second, strict=True)
    )
    return charts.figure_html(fig, alt, caption)


def overview(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    s = pr.summary(page.ds)
    parts = [r.heading("2. What these records hold")]
    held = []
    if s.officers:
        sworn = f", {s.sworn:,} of them sworn officers" if s.sworn is not None else ""
        held.append(f"a roster of {s.officers:,} employees{sworn}")
    if s.complaints:
        held.append(f"{s.complaints:,} complaints")
    if s.allegations:
        held.append(f"{s.allegations:,} allegations naming {s.officers_named:,} different officers")
    if s.complainants:
        held.append(f"{s.complainants:,} people who complained")
    parts.append(r.paragraph(("The data holds " + "; ".join(held) + ".") if held else "The data holds no records."))
    if s.officers or s.complainants:
        parts.append(
            r.caveat(
                "Section 1 dates complaints and allegations by the day the complaint was made. Officers on the "
                "roster and complainants have no date of their own, so section 1 counts them as missing a date: "
                "that is expected, not a flaw of the data."
            )
        )
    if s.undated_allegations and (page.ds.start or page.ds.end):
        parts.append(
            r.caveat(
                f"{s.undated_allegations:,} allegations have no date, even through their complaint, and are left "
                "out of this date range. Add the publisher's complaints table as a source to date them."
            )
        )
    elif s.undated_allegations:
        parts.append(
            r.paragraph(
                f"{s.undated_allegations:,} allegations have no date, even through their complaint: they count in "
                "every table below but in no yearly figure."
            )
        )
    return "".join(parts)


def force(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    parts = [r.heading("3. Who serves on the force")]
    if not pr.summary(page.ds).officers:
        return "".join(parts) + r.paragraph(
            "This data has no roster of officers, so it cannot show who serves on the force. Ask the department "
            "for its roster with each officer's race, sex, rank and appointment date (never names are needed)."
        )
    frame = pr.force_by_race(page.ds, page.config.population)
    population = page.config.population
    who = "sworn officers" if pr.summary(page.ds).sworn is not None else "employees on the roster"
    known = frame[(frame["race"] != "unknown") & frame["resident_share"].notna()]
    if population and len(known):
        shown = common.chart_rows(page, known, "officers")
        parts.append(
            r.figure(
                _paired_bars(
                    shown["race"].tolist(),
                    shown["officer_share"].tolist(),
                    shown["resident_share"].tolist(),
                    ("officers", "residents"),
                    f"Race of {who} and of the city's residents",
                    "Each pair compares a group's share of the officers (of those whose race is recorded) with its "
                    f"share of the residents ({population.source or 'population figures in toolkit.yaml'}"
                    f"{', ' + str(population.year) if population.year else ''}). Residents include children and "
                    "people who could not be hired; a gap is a question about recruiting and retention, not a "
                    "measure of either.",
                )
            )
        )
    else:
        parts.append(
            r.paragraph(
                "Add the city's population by race under 'population:' in toolkit.yaml (the command "
                "'python -m safety_toolkit population' fetches it from the Census Bureau) to compare the force "
                "with the city's residents."
            )
        )
    table = frame.rename(
        columns={
            "race": "Race",
            "officers": who,
            "officer_share": "share of officers",
            "residents": "residents",
            "resident_share": "share of residents",
            "gap": "gap (percentage points)",
        }
    )
    if not population:
        table = table[["Race", who, "share of officers"]]
    parts.append(
        r.table(
            table,
            "force-by-race",
            f"Race of {who}" + (" and of the city's residents" if population else ""),
            page.small,
            counts=[who, "residents"] if population else [who],
            percents=["share of officers", "share of residents"] if population else ["share of officers"],
            base=who,
            decimals={"gap (percentage points)": 1},
        )
    )
    unknown = frame.loc[frame["race"] == "unknown", "officers"].sum()
    if unknown:
        parts.append(r.paragraph(f"{int(unknown):,} {who} have no race recorded; shares leave them out."))
    for column, title in (("officer_sex", "Sex"), ("officer_rank", "Rank or position")):
        if not page.ds.scalar(f"SELECT count({column}) FROM everything WHERE record_type = 'officer'"):
            continue
        counts = pr.officers_by(page.ds, column)
        parts.append(
            r.table(
                counts.rename(columns={"value": title, "officers": who, "share": "share"}),
                f"force-by-{column}",
                f"{who.capitalize()} by {title.lower()}",
                page.small,
                counts=[who],
                percents=["share"],
                base=who,
            )
        )
    hires = pr.hires_by_period(page.ds)
    if len(hires):
        races = [c for c in hires.columns if c not in ("appointed", "officers")]
        parts.append(
            r.table(
                hires,
                "force-by-appointment",
                f"{who.capitalize()} still serving, by when they were appointed, and the share of each race",
                page.small,
                counts=["officers"],
                percents=races,
                base="officers",
            )
        )
        parts.append(
            r.caveat("A roster lists only the people still serving: early periods show who stayed, not who was hired.")
        )
    return "".join(parts)


def complaints(page: Page) -> str:
    if not page.ready or page.ds is None:
        return ""
    s = pr.summary(page.ds)
    parts = [r.heading("4. Complaints over time")]
    if not (s.complaints or s.allegations):
        return "".join(parts) + r.paragraph(
            "This data has no complaints. Ask for complaints against officers with the date, the allegation, the "
            "finding and the discipline, and a number that links each complaint to the officers it names."
        )
    years = pr.complaints_by_year(page.ds)
    if len(years):
        parts.append(
            r.figure(
                charts.columns(
                    [str(y) for y in years["year"]],
                    years["complaints"].tolist(),
                    "Complaints made each year",
                    "complaints",
                    "Each bar counts the complaints made that year, each complaint once however many officers it "
                    "names. Changes in how complaints are taken or recorded move these bars as much as conduct "
                    "does; the first and last years may be partial.",
                )
            )
        )
        parts.append(
            r.table(
                years.assign(year=years["year"].astype(str)),
                "complaints-by-year",
                "Complaints made each year",
                page.small,
                counts=["complaints"],
                base="complaints",
            )
        )
    else:
        parts.append(r.paragraph("No complaint has a date, so this data cannot show complaints over time."))
    return "".join(parts)


def findings(page: Page) -> str:
    if not page.ready or page.ds is None or not pr.summary(page.ds).allegations:
        return ""
    parts = [r.heading("5. How allegations ended")]
    frame = pr.findings(page.ds)
    shown = common.chart_rows(page, frame, "allegations")
    parts.append(
        r.figure(
            charts.bars(
                shown["finding"].tolist(),
                shown["allegations"].tolist(),
                "Allegations by finding",
                "allegations",
                "Each bar counts allegations (one officer named in one complaint) by how they ended. 'unknown' "
                "means no finding was recorded: many of those complaints were still open.",
            )
        )
    )
    parts.append(
        r.table(
            frame.rename(columns={"finding": "Finding", "share": "share of allegations"}),
            "findings",
            "Allegations by finding",
            page.small,
            counts=["allegations"],
            percents=["share of allegations"],
            base="allegations",
        )
    )
    categories = pr.sustained_by_category(page.ds)
    if categories["category"].ne("not recorded").any():
        parts.append(
            r.table(
                categories.rename(
                    columns={"category": "Allegation category", "closed": "closed", "rate": "sustained rate"}
                ),
                "sustained-by-category",
                "Sustained rate by allegation category (the most frequent categories)",
                page.small,
                counts=["allegations", "closed", "sustained"],
                percents=["sustained rate"],
                base="closed",
            )
        )
        parts.append(
            r.caveat(
                "The sustained rate is sustained allegations divided by allegations closed with any finding, "
                "including those closed without a finding on their merits. Many publishers give a complaint "
                "one category, usually its most serious allegation, for every officer it names."
            )
        )
    return "".join(parts)


def _comparison_section(page: Page, comparison: pr.SustainedComparison, title: str, header: str) -> str:
    table = comparison.table
    labels = [f"{g} (reference)" if g == comparison.reference else g for g in table["group"]]
    shown = table if not page.small.suppress else table[table["closed"] >= page.small.threshold]
    shown_labels = [label for label, keep in zip(labels, table.index.isin(shown.index), strict=True) if keep]
    parts = [r.heading(title, 3)]
    if len(shown):
        parts.append(
            r.figure(
                charts.bars(
                    shown_labels,
                    shown["rate"].tolist(),
                    f"Sustained rate, {title.lower()}",
                    "share sustained",
                    f"Each bar is the share of closed {comparison.unit} that were sustained; grey is the reference "
                    f"group ({comparison.reference}). Groups with few closed {comparison.unit} swing widely.",
                    percent=True,
                    highlight=f"{comparison.reference} (reference)",
                )
            )
        )
    parts.append(
        r.table(
            pd.DataFrame(
                {
                    header: table["group"],
                    "closed": table["closed"],
                    "sustained": table["sustained"],
                    "rate": table["rate"],
                    f"times the {comparison.reference} rate": table["ratio"],
                    "p-value": table["p_value"],
                    "test": table["test"],
                }
            ),
            f"sustained-by-{comparison.group}",
            f"Sustained rate, {title.lower()}",
            page.small,
            counts=["closed", "sustained"],
            percents=["rate"],
            base="closed",
            decimals={f"times the {comparison.reference} rate": 2},
            pvalues=["p-value"],
        )
    )
    for row in table.itertuples():
        if row.group in (comparison.reference, "unknown") or row.closed < page.small.threshold:
            continue
        parts.append(r.finding(*comparison.finding(row.group)))
    return "".join(parts)


def sustained(page: Page) -> str:
    if not page.ready or page.ds is None or not pr.summary(page.ds).allegations:
        return ""
    parts = [r.heading("6. Sustained rates, by officer and by complainant")]
    ds = page.ds
    groups = (
        ("officer_race", "white", "By officer race", "Officer race"),
        ("officer_sex", "male", "By officer sex", "Sex"),
    )
    for column, reference, title, header in groups:
        comparison = pr.sustained_by_officer(ds, column, reference)
        if reference in set(comparison.table["group"]):
            parts.append(_comparison_section(page, comparison, title, header))
        else:
            parts.append(r.paragraph(f"This data cannot compare sustained rates {title.lower()}."))
    complainant = pr.sustained_by_complainant(ds)
    if "white" in set(complainant.table["group"]):
        parts.append(
            _comparison_section(page, complainant, "By complainant race", "Complainant race")
            + r.caveat(
                "Here the unit is the complaint: a closed complaint counts as sustained when at least one of its "
                "allegations was. Complaints without a recorded complainant are left out. Some complaints are made "
                "by supervisors or other officers rather than by the public, and such internal complaints are often "
                "sustained far more often; if the data does not say which is which, gaps by complainant race may "
                "reflect who files internal complaints. Ask the publisher."
            )
        )
    else:
        parts.append(r.paragraph("This data does not record who complained, so it cannot compare by complainant."))
    parts.append(
        r.caveat(
            "Each group is compared with a reference group by a chi-square test on the 2×2 table of sustained / "
            "not sustained, or Fisher's exact test for small tables. A small p-value says a gap is unlikely to be "
            "chance; it says nothing about why the gap exists. Groups of officers differ in assignments and "
            "years of service."
        )
    )
    return "".join(parts)


def repeats(page: Page) -> str:
    if not page.ready or page.ds is None or not pr.summary(page.ds).officers_named:
        return ""
    parts = [r.heading("7. Officers named in repeated complaints")]
    bands = pr.complaints_per_officer(page.ds)
    parts.append(
        r.table(
            bands,
            "complaints-per-officer",
            "Officers by the number of complaints that named them",
            page.small,
            counts=["officers"],
            percents=["share of officers", "share of complaints"],
            base="officers",
        )
    )
    many = bands[bands["complaints per officer"].isin(["3–4", "5–9", "10 or more"])]
    if many["officers"].sum():
        parts.append(
            r.paragraph(
                f"{int(many['officers'].sum()):,} officers ({many['share of officers'].sum():.1%} of those named) "
                f"were named in three complaints or more; together they account for "
                f"{many['share of complaints'].sum():.1%} of the times an officer was named in a complaint."
            )
        )
    top = pr.most_named(page.ds)
    if len(top):
        parts.append(
            r.table(
                top.rename(columns={"officer": "Officer (hashed id)"}),
                "most-named-officers",
                "The officers named in the most complaints, by hashed id",
                page.small,
                counts=["complaints", "allegations", "sustained"],
            )
        )
    parts.append(
        r.caveat(
            "Officers are told apart by a salted hash of their identifier, never by name; the same hash always "
            "means the same officer in this toolkit, and only someone holding the project's salt can link it back "
            "to the records. Counts are over the whole period, not per year of service."
        )
    )
    return "".join(parts)


def closing(page: Page) -> str:
    return common.closing(page, CAVEATS, NEXT_QUESTIONS)
