"""The police stops report on the full real Minneapolis 2017 data: its numbers equal an independent
pandas computation, it states its caveats and provenance, and its pages stand alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from html import unescape
from typing import cast

import pandas as pd
import pytest

from .baking import DEMO_DATA, run
from .demo import layer
from .pages import Page

# The Open Policing Project's reading of Minneapolis' race labels; the mapping preset claims the same.
RACE = {
    "Asian": "asian/pacific islander", "Black": "black", "East African": "black", "Latino": "hispanic",
    "Native American": "other", "Other": "other", "Unknown": "unknown", "White": "white", "": "unknown",
}
# The same labels without the mapping's folds: each folded label its own group.
UNFOLDED = {**RACE, "East African": "east african", "Native American": "native american"}


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(DEMO_DATA, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def stops_page(demo) -> Page:
    return Page((demo / "reports" / "police_stops" / "police_stops.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stops_html(stops_page) -> str:
    """The stops report's HTML, character references unescaped."""
    return unescape(stops_page.html)


@pytest.mark.parametrize(("flag_column", "table_id"), [("vehicleSearch", "search_vehicle-by-subject_race"),
                                                       ("personSearch", "frisk_performed-by-subject_race")])
def test_search_rates_by_race_equal_an_independent_computation(stops_page, raw, flag_column, table_id):
    recorded = raw[raw[flag_column] != ""]
    expected = (
        recorded.assign(race=recorded["race"].map(RACE))
        .groupby("race")[flag_column]
        .agg(stops="size", searched=lambda s: int((s == "YES").sum()))
    )
    shown = stops_page.table(table_id).set_index("Race")
    assert set(shown.index) == set(expected.index)
    for race, row in expected.iterrows():
        assert shown.loc[race, "stops recorded"] == f"{row['stops']:,}"
        assert shown.iloc[:, 1][race] == f"{row['searched']:,}"
        assert shown.loc[race, "rate"] == f"{row['searched'] / row['stops']:.1%}"


def test_search_rates_by_sex_equal_an_independent_computation(stops_page, raw):
    recorded = raw[raw["vehicleSearch"] != ""]
    sex = recorded["gender"].map({"Male": "male", "Female": "female", "Gender Non-Conforming": "non-binary"})
    expected = recorded.assign(sex=sex.fillna("unknown")).groupby("sex")["vehicleSearch"].agg(
        stops="size", searched=lambda s: int((s == "YES").sum())
    )
    shown = stops_page.table("search_vehicle-by-subject_sex").set_index("Sex")
    for sex, row in expected.iterrows():
        assert shown.loc[sex, "rate"] == f"{row['searched'] / row['stops']:.1%}"


def test_the_report_covers_what_the_original_notebook_did(stops_page, raw):
    for table in ("stops-by-subject_sex", "stops-by-subject_race", "stops-by-reason_for_stop",
                  "reason-by-subject_race", "reason-by-subject_sex", "without-citation-by-subject_race",
                  "missing-values", "search_vehicle-by-subject_sex", "frisk_performed-by-subject_sex"):
        assert table in stops_page.tables, table
    reasons = stops_page.table("stops-by-reason_for_stop").set_index("Reason for stop")["stops"]
    assert reasons.to_dict() == {k: f"{v:,}" for k, v in raw["problem"].value_counts().items()}
    cited = raw[raw["citationIssued"] != ""]
    without = stops_page.table("without-citation-by-subject_race").set_index("Race")
    white = cited[cited["race"] == "White"]
    assert without.loc["white", "without citation"] == f"{int((white['citationIssued'] == 'NO').sum()):,}"


def test_the_report_states_caveats_gaps_and_provenance(stops_html, raw):
    assert "51,920 stops from January 1, 2017 to December 31, 2017" in stops_html
    no_race_no_search = int(((raw["race"] == "") & (raw["vehicleSearch"] == "") & (raw["personSearch"] == "")).sum())
    assert no_race_no_search == 8221
    assert "8,221 stops (15.8%) record neither the person's race nor whether anyone was searched" in stops_html
    assert "officer's perception" in stops_html
    assert "not, by itself, proof of discrimination" in stops_html
    assert "Were other groups more likely than white people to have their vehicle searched?" in stops_html
    assert "Yes: 11.4% of stops of Black people (1,978 of 17,408) against 4.2% of stops of white people" in stops_html
    assert hashlib.sha256(DEMO_DATA.read_bytes()).hexdigest() in stops_html
    assert f"Retrieved: {dt.datetime.now(dt.UTC):%Y-%m-%d}" in stops_html
    assert "Rows: 51,920" in stops_html


def test_pages_stand_alone_and_their_links_resolve(demo, stops_page):
    html = stops_page.html
    assert stops_page.images == []
    assert html.count('class="chart"') >= 5
    assert "/tmp/" not in html
    assert str(DEMO_DATA.parent) not in html
    index = Page((demo / "index.html").read_text(encoding="utf-8"))
    for page, folder in ((stops_page, demo / "reports" / "police_stops"), (index, demo)):
        for link in page.links:
            if link.startswith(("mailto:", "#", "data:text/csv")):
                continue
            assert not link.startswith("http"), link
            assert (folder / link).resolve().exists(), link
    for text in [(demo / "reports" / t / f"{t}.html").read_text(encoding="utf-8") for t in ("warrants", "arrests")]:
        Page(text)
        assert "No data source configured yet" in text


def _rates(raw: pd.DataFrame, flag: str, races: dict[str, str], by: list[str] | None = None) -> pd.DataFrame:
    """recorded, flagged and rate per race (and `by` columns) over the stops that record `flag`."""
    recorded = raw[raw[flag] != ""].assign(race=lambda f: f["race"].map(races), hit=lambda f: f[flag] == "YES")
    out = recorded.groupby([*(by or []), "race"])["hit"].agg(recorded="size", flagged="sum")
    rates: pd.DataFrame = out.assign(rate=out["flagged"] / out["recorded"])
    return rates


def test_the_fold_is_said_beside_each_search_finding_with_the_ratio_without_it(stops_html, stops_page, raw):
    ratios = stops_page.table("fold-ratios")
    for flag, title in (("vehicleSearch", "vehicle searched"), ("personSearch", "frisked")):
        folded, unfolded = _rates(raw, flag, RACE)["rate"], _rates(raw, flag, UNFOLDED)["rate"]
        with_fold, without = folded["black"] / folded["white"], unfolded["black"] / unfolded["white"]
        assert f"{with_fold:.2f}" != f"{without:.2f}"  # the fold moves the finding
        beside = (
            '"East African" is counted as black together with "Black" (a choice of the mapping of \'race\'); '
            "the tables without the fold show it apart. "
            f"Without the fold: {without:.2f} times the white rate (with it, {with_fold:.2f})."
        )
        # In the opening findings (vehicle searches) and in the answer of each search section.
        assert stops_html.count(beside) == (2 if flag == "vehicleSearch" else 1), beside
        shown = ratios[ratios["search"] == title].set_index("Race")
        for group in ("black", "other"):
            assert shown.loc[group, "as mapped"] == f"{folded[group] / folded['white']:.2f}"
        for group in ("black", "other", "east african", "native american"):
            ratio = unfolded[group] / unfolded["white"]
            assert shown.loc[group, "without the fold"] == f"{ratio:.2f}"


def test_search_rates_within_each_reason_and_outcomes_by_group_equal_pandas(stops_page, raw):
    expected = _rates(raw, "vehicleSearch", RACE, by=["problem"])
    shown = stops_page.table("search-by-purpose").set_index(["Reason for stop", "Race"])
    assert set(shown.index) == set(expected.index)
    for key, row in expected.iterrows():
        purpose, race = cast("tuple[str, str]", key)
        white = expected.loc[(purpose, "white"), "rate"]
        assert shown.loc[(purpose, race), "stops recorded"] == f"{int(row['recorded']):,}"
        assert shown.loc[(purpose, race), "rate"] == f"{row['rate']:.1%}"
        assert shown.loc[(purpose, race), "times the white rate"] == f"{row['rate'] / white:.2f}"
    cited = _rates(raw.rename(columns={"citationIssued": "cited"}), "cited", RACE)
    outcomes = stops_page.table("outcomes-by-subject_race")
    assert set(outcomes["outcome"]) == {"cited"}  # the demo records citations only, not arrests or warnings
    outcomes = outcomes.set_index("Race")
    for group, row in cited.iterrows():
        assert outcomes.loc[group, "stops with this outcome"] == f"{int(row['flagged']):,}"
        assert outcomes.loc[group, "times the white rate"] == f"{row['rate'] / cited.loc['white', 'rate']:.2f}"


def test_comparisons_are_adjusted_together_and_never_below_their_own_p_value(stops_html, stops_page):
    family = stops_page.table("comparisons-adjusted")
    number = {"< 0.001": 0.0005}
    raw_p = family["p-value"].map(lambda t: number.get(t) or float(t))
    adjusted = family["adjusted p-value"].map(lambda t: number.get(t) or float(t))
    assert (adjusted >= raw_p - 1e-9).all()
    assert set(family["comparison"]) >= {"vehicle searched by race", "frisked by sex", "cited by race"}
    assert f"of {len(family):,} comparisons" in stops_html
    assert "the same people and the same officers appear many times" in stops_html


VEIL_SCRIPT = """
import json
from safety_toolkit.analysis import police_stops as stops
from safety_toolkit.page import load_page
page = load_page("police_stops", None, None, None)
eligible = stops.eligibility(page.ds)
center = page.config.center or stops.median_location(page.ds)
variants = stops.veil_variants(page.ds, eligible, center, page.config.timezone)
print(variants[["variant", "stops", "odds_ratio", "p_value"]].to_json(orient="records"))
"""


def test_veil_of_darkness_four_ways_in_one_table(demo, stops_page, stops_html):
    done = run([sys.executable, "-c", VEIL_SCRIPT], cwd=demo, timeout=300)
    assert done.returncode == 0, done.stderr
    variants = json.loads(done.stdout)
    shown = stops_page.table("veil-variants").set_index("Test run")
    assert list(shown.index) == [v["variant"] for v in variants]
    assert "whole year, place controlled" in shown.index
    assert "within 30 days of a clock change" in shown.index
    for variant in variants:
        row = shown.loc[variant["variant"]]
        assert row["stops"] == f"{variant['stops']:,}"
        assert row["odds ratio"] == f"{variant['odds_ratio']:.2f}"
    agree = sum(v["p_value"] < 0.05 and v["odds_ratio"] < 1 for v in variants)
    assert f"{agree} of the {len(variants)} ways the test was run" in stops_html


def test_the_precinct_map_counts_stops_as_shapely_places_them(stops_html, stops_page, raw):
    import shapely

    precincts = layer("minneapolis_police_precincts.geojson.gz")
    points = shapely.points(raw["long"].astype(float).to_numpy(), raw["lat"].astype(float).to_numpy())
    area = pd.Series(pd.NA, index=raw.index, dtype="string")
    for name, polygon in zip(precincts["PRECINCT"], precincts.geometry, strict=True):
        area[area.isna().to_numpy() & shapely.covers(polygon, points)] = str(name)  # the first area wins on a border
    placed = int(area.notna().sum())
    left = len(raw) - placed
    summary = f"{placed:,} of {len(raw):,} rows were placed in an area by their coordinates; {left:,} could not"
    assert summary in stops_html
    assert "Share of stops with a vehicle search, by precinct" in stops_html
    expected = _rates(raw.assign(precinct=area), "vehicleSearch", RACE, by=["precinct"])
    shown = stops_page.table("search-by-precinct").set_index(["Precinct", "Race"])
    for (precinct, race), row in shown.iterrows():
        assert row["stops recorded"] == f"{expected.loc[(precinct, race), 'recorded']:,}"
        assert row["search rate"] == f"{expected.loc[(precinct, race), 'rate']:.1%}"


def test_stops_per_resident_divide_by_whole_calendar_years(stops_page, raw):
    # 2017 is one whole calendar year: 1.0, not the 0.9993 of days / 365.25 (which would show 47.2 for white people).
    rates = stops_page.table("stop-rate-by-race").set_index("Race")
    for race in ("white", "black"):
        stops = int((raw["race"].map(RACE) == race).sum())
        residents = int(rates.loc[race, "residents"].replace(",", ""))
        assert rates.loc[race, "stops a year per 1,000 residents"] == f"{stops / residents * 1000:.1f}"
