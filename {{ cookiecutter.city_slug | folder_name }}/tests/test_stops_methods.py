"""The stops methods as the literature runs them, on the whole of Minneapolis' 2017 stops (the demo city's data):
the fold of "East African" into black made explicit and undone, the veil of darkness with precinct fixed effects and
in the weeks around the clock changes, search rates within each stop purpose, outcomes by group, intervals, Holm's
adjustment, small counts and the span of calendar years. Each figure is checked against an independent pandas,
scipy or statsmodels computation on the published file."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
import yaml
from astral import Observer
from astral.sun import dusk, sunset
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from safety_toolkit.analysis import Dataset, compare
from safety_toolkit.analysis import folds as folding
from safety_toolkit.analysis import police_stops as stops
from safety_toolkit.config import load_config
from safety_toolkit.mapping import folds_in_values
from safety_toolkit.sources import fetch_topic
from safety_toolkit.standardize import processed_path, standardize_topic
from safety_toolkit.store import Store

from .presets import FIXTURES, PRESETS
from .stops_samples import made_up_stops, sample_stops

DATA = FIXTURES / "police_stops" / "minneapolis_stops_2017_nine_columns.csv.gz"
CENTER = (44.9778, -93.2650)  # Minneapolis City Hall
ZONE = "America/Chicago"
# The preset's reading of the publisher's labels, and the same without the fold of "East African" into black.
FOLDED = {
    "Asian": "asian/pacific islander", "Black": "black", "East African": "black", "Latino": "hispanic",
    "Native American": "other", "Other": "other", "Unknown": "unknown", "White": "white", "": "unknown",
}  # fmt: skip
UNFOLDED = {**FOLDED, "East African": "east african", "Native American": "native american"}


@pytest.fixture(scope="module")
def minneapolis(tmp_path_factory):
    """The demo preset's mapping (less the columns this file leaves out) over the whole of 2017: the config, the
    standardized data and the published rows as text."""
    root = tmp_path_factory.mktemp("mpls")
    preset = PRESETS["minneapolis_stops_cardata"]
    mapping = {k: v for k, v in preset["source"]["mapping"].items() if k not in ("lat", "lng", "neighborhood")}
    source = {**preset["source"], "mapping": mapping, "location": str(DATA)}
    config = {"city": "Minneapolis", "state": "MN", "timezone": ZONE, "topics": {"police_stops": {"sources": [source]}}}
    (root / "toolkit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    loaded = load_config(root / "toolkit.yaml")
    store = Store(root)
    fetch_topic(loaded, "police_stops", store)
    standardize_topic(loaded, "police_stops", store)
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    return loaded, Dataset(processed_path(root, "police_stops")), raw


def expected_rates(raw: pd.DataFrame, column: str, labels: dict[str, str]) -> pd.DataFrame:
    recorded = raw[raw[column] != ""].assign(group=lambda f: f["race"].map(labels))
    table = recorded.groupby("group")[column].agg(recorded="size", flagged=lambda s: int((s == "YES").sum()))
    table["rate"] = table["flagged"] / table["recorded"]
    table["ratio"] = table["rate"] / table.loc["white", "rate"]
    return table


def test_the_folds_are_read_from_the_mapping_as_it_stands(minneapolis):
    config, _, _ = minneapolis
    found = {(f.value, f.kept, f.folded) for f in folding.folds(config, "police_stops")}
    assert found == {("black", "Black", ("East African",)), ("other", "Other", ("Native American",))}
    # Spellings of one label are not a fold, and neither is everything sent to unknown.
    spellings = {"YES": "male", "Yes": "male", "U": "unknown", "": "unknown"}
    assert folds_in_values("subject_sex", "s", "sex", spellings) == []


def test_standardized_rows_keep_the_publishers_label_of_a_folded_column(minneapolis):
    _, ds, raw = minneapolis
    kept = ds.query("SELECT raw_row_number, subject_race, subject_race_source FROM data").set_index("raw_row_number")
    published = raw.set_index("idNum")["race"].str.strip().replace("", None)
    assert len(kept) == len(published)
    assert kept["subject_race_source"].to_dict() == published.reindex(kept.index).to_dict()
    # Each label sits beside the value the mapping made of it; "East African" beside black.
    assert (kept["subject_race"] == kept["subject_race_source"].map(FOLDED).fillna("unknown")).all()
    # A column the mapping does not fold carries no label.
    assert "subject_sex_source" not in ds.columns


def test_data_standardized_without_the_labels_is_named_not_misread(minneapolis, tmp_path):
    config, ds, _ = minneapolis
    older = tmp_path / "police_stops.parquet"
    ds.con.execute(f"COPY (SELECT * EXCLUDE (subject_race_source) FROM data) TO '{older}' (FORMAT parquet)")
    labelled = folding.with_labels(config, "police_stops", dataset=Dataset(older))
    assert labelled.dataset is None
    assert "Run: python -m safety_toolkit standardize --topic police_stops" in labelled.problem


@pytest.mark.parametrize(("column", "flag"), [("vehicleSearch", "search_vehicle"), ("personSearch", "frisk_performed")])
def test_search_rates_with_and_without_the_fold_equal_an_independent_count(minneapolis, column, flag):
    config, _, raw = minneapolis
    labelled = folding.with_labels(config, "police_stops")
    assert labelled.problem == ""
    effect = stops.fold_effect(labelled.dataset, flag, folding.folds(config, "police_stops"))
    for table, labels in ((effect.folded, FOLDED), (effect.unfolded, UNFOLDED)):
        expected = expected_rates(raw, column, labels)
        shown = table.set_index("group")
        assert set(shown.index) == set(expected.index)
        for group, row in expected.iterrows():
            assert (shown.loc[group, "recorded"], shown.loc[group, "flagged"]) == (row["recorded"], row["flagged"])
            assert shown.loc[group, "ratio"] == pytest.approx(row["ratio"])
    ratios = effect.ratios.set_index("group")
    # Folding East African stops, searched less often than white stops, lowers the Black/white ratio.
    assert ratios.loc["black", "with_fold"] < ratios.loc["black", "without_fold"]
    assert "east african" in set(effect.unfolded["group"])
    assert not effect.unfolded["small"].any()
    assert '"East African" is counted as black' in effect.note


def test_the_ratios_with_and_without_the_fold_side_by_side(minneapolis):
    config, _, raw = minneapolis
    labelled = folding.with_labels(config, "police_stops").dataset
    table = stops.fold_ratios(labelled, folding.folds(config, "police_stops"))
    assert set(table["flag"]) == {"search_vehicle", "frisk_performed"}
    for flag, column in (("search_vehicle", "vehicleSearch"), ("frisk_performed", "personSearch")):
        rows = table[table["flag"] == flag].set_index("group")
        folded, unfolded = expected_rates(raw, column, FOLDED), expected_rates(raw, column, UNFOLDED)
        assert rows.loc["black", "with_fold"] == pytest.approx(folded.loc["black", "ratio"])
        assert rows.loc["black", "without_fold"] == pytest.approx(unfolded.loc["black", "ratio"])
        assert rows.loc["east african", "without_fold"] == pytest.approx(unfolded.loc["east african", "ratio"])
        assert np.isnan(rows.loc["east african", "with_fold"])


def test_likelihood_of_search_within_each_purpose(minneapolis):
    _, ds, raw = minneapolis
    table = stops.search_by_purpose(ds, "search_vehicle")
    assert set(table["purpose"]) == {"traffic", "suspicious"}
    for purpose, rows in table.groupby("purpose"):
        expected = expected_rates(raw[raw["problem"] == purpose], "vehicleSearch", FOLDED)
        for row in rows.itertuples():
            counted = expected.loc[row.group]
            assert (row.recorded, row.flagged) == (counted["recorded"], counted["flagged"])
            assert row.likelihood == pytest.approx(expected.loc[row.group, "ratio"] - 1)
    tested = table.dropna(subset=["p_value"])
    assert tested["p_holm"].to_numpy() == pytest.approx(multipletests(tested["p_value"], method="holm")[1])
    black = table[table["group"] == "black"].set_index("purpose")
    # The gap is there within each purpose.
    assert (black["ratio"] > 2).all()
    assert black["significant"].all()


def test_outcomes_by_race_and_sex_are_tested_against_the_reference_group(minneapolis):
    _, ds, raw = minneapolis
    sexes = {"Female": "female", "Male": "male", "Gender Non-Conforming": "non-binary"}
    for group, column, labels, reference in (
        ("subject_race", "race", FOLDED, "white"),
        ("subject_sex", "gender", sexes, "female"),
    ):
        table = stops.outcomes_by_group(ds, group)
        assert set(table["outcome"]) == {"citation_issued"}  # the only outcome this file records
        recorded = raw[raw["citationIssued"] != ""]
        recorded = recorded.assign(g=recorded[column].map(labels).fillna("unknown"))
        counts = recorded.groupby("g")["citationIssued"].agg(n="size", yes=lambda s: int((s == "YES").sum()))
        ref = counts.loc[reference]
        for row in table.itertuples():
            assert (row.recorded, row.flagged) == (counts.loc[row.group, "n"], counts.loc[row.group, "yes"])
            if row.group not in (reference, "unknown"):
                contingency = [[row.flagged, row.recorded - row.flagged], [ref["yes"], ref["n"] - ref["yes"]]]
                assert row.p_value == pytest.approx(stats.chi2_contingency(contingency).pvalue)


def test_intervals_are_wilson_intervals_and_small_counts_are_flagged_and_suppressed(minneapolis):
    _, ds, _ = minneapolis
    january = Dataset(ds.path, dt.date(2017, 1, 1), dt.date(2017, 1, 31))
    table = stops.rates(january, "search_vehicle")
    for row in table.itertuples():
        low, high = proportion_confint(row.flagged, row.recorded, method="wilson")
        assert (row.low, row.high) == (pytest.approx(low), pytest.approx(high))
        assert row.small == (row.flagged < 10 or row.recorded < 10)
    # A month of stops: some groups too small to read, not all.
    assert table["small"].any()
    assert not table["small"].all()
    shown = compare.suppress(table, ["rate", "low", "high", "ratio"])
    assert shown.loc[table["small"], "rate"].isna().all()
    assert shown.loc[~table["small"], "rate"].notna().all()
    assert shown["flagged"].dropna().ge(10).all()


def test_rates_per_year_use_the_exact_span_of_calendar_years(minneapolis):
    _, ds, _ = minneapolis
    assert stops.calendar_years(ds) == 1.0  # all of 2017, where 365 / 365.25 days would give 0.9993
    spring = Dataset(ds.path, dt.date(2017, 3, 1), dt.date(2017, 5, 31))
    assert stops.calendar_years(spring) == pytest.approx(92 / 365)
    leap = made_up_stops(Path(ds.path).parent, pd.DataFrame({"date": [dt.date(2016, 7, 1), dt.date(2017, 6, 30)]}))
    assert stops.calendar_years(leap) == pytest.approx(184 / 366 + 181 / 365)


def test_the_clock_changes_are_the_days_daylight_saving_time_starts_and_ends():
    assert stops.clock_changes(range(2017, 2018), ZONE) == [dt.date(2017, 3, 12), dt.date(2017, 11, 5)]
    assert stops.clock_changes(range(2017, 2018), "America/Phoenix") == []  # Arizona keeps its clocks


def _independent_veil_sample(raw: pd.DataFrame, days_from_change: int | None = None) -> pd.DataFrame:
    """Traffic stops of Black and white drivers in the inter-twilight window, twilight dropped, written with pandas
    and astral alone."""
    frame = raw[(raw["problem"] == "traffic") & raw["race"].isin(["Black", "East African", "White"])].copy()
    when = pd.to_datetime(frame["date"])
    frame["day"], frame["minute"] = when.dt.date, when.dt.hour * 60 + when.dt.minute + when.dt.second / 60
    if days_from_change is not None:
        changes = [dt.date(2017, 3, 12), dt.date(2017, 11, 5)]
        frame = frame[frame["day"].map(lambda d: min(abs((d - c).days) for c in changes) <= days_from_change)]
    observer, zone = Observer(*CENTER), zoneinfo.ZoneInfo(ZONE)

    def clock(t: dt.datetime) -> float:
        return t.hour * 60 + t.minute + t.second / 60

    sun = {
        d: (clock(sunset(observer, d, tzinfo=zone)), clock(dusk(observer, d, tzinfo=zone))) for d in set(frame["day"])
    }
    frame["sunset"], frame["dusk"] = frame["day"].map(lambda d: sun[d][0]), frame["day"].map(lambda d: sun[d][1])
    frame = frame[frame["minute"].between(frame["dusk"].min(), frame["dusk"].max())]
    frame = frame[~((frame["minute"] > frame["sunset"]) & (frame["minute"] <= frame["dusk"]))]
    return frame.assign(
        is_black=(frame["race"] != "White").astype(int),
        is_dark=(frame["minute"] > frame["dusk"]).astype(int),
        place=frame["policePrecinct"],
    )


@pytest.mark.parametrize(("place", "days"), [(None, None), ("precinct", None), (None, 30), ("precinct", 30)])
def test_veil_of_darkness_with_place_control_and_around_the_clock_changes(minneapolis, place, days):
    _, ds, raw = minneapolis
    result = stops.veil_of_darkness(ds, stops.eligibility(ds), CENTER, ZONE, place, days)
    assert result.problem == ""
    kept = _independent_veil_sample(raw, days)
    assert (result.black, result.white) == (kept["is_black"].sum(), len(kept) - kept["is_black"].sum())
    formula = "is_black ~ is_dark + cr(minute, df=6, constraints='center')" + (" + C(place)" if place else "")
    fit = smf.logit(formula, data=kept).fit(disp=0)
    assert result.coefficient == pytest.approx(fit.params["is_dark"], rel=1e-6)
    assert result.std_error == pytest.approx(fit.bse["is_dark"], rel=1e-6)
    assert list(result.robustness["df"]) == [1, 2, 3, 4, 5, 6]
    assert result.places == (kept["place"].nunique() if place else 0)
    assert not place or result.places > 1


def test_the_fit_on_counts_equals_the_fit_on_each_stop(minneapolis):
    """The model sees counts per clock time, darkness and precinct, never the stops one by one: every spline degree
    must give the darkness coefficient, standard error and p-value of the logistic regression on single stops."""
    _, ds, raw = minneapolis
    result = stops.veil_of_darkness(ds, stops.eligibility(ds), CENTER, ZONE, "precinct")
    kept = _independent_veil_sample(raw)
    for row in result.robustness.itertuples():
        spline = "minute" if row.df == 1 else f"cr(minute, df={row.df}, constraints='center')"
        fit = smf.logit(f"is_black ~ is_dark + {spline} + C(place)", data=kept).fit(disp=0)
        assert row.coefficient == pytest.approx(fit.params["is_dark"], rel=1e-9)
        assert row.std_error == pytest.approx(fit.bse["is_dark"], rel=1e-9)
        assert row.p_value == pytest.approx(fit.pvalues["is_dark"], rel=1e-8)
    low, high = fit.conf_int().loc["is_dark"]
    assert result.ci == pytest.approx((low, high), rel=1e-9)
    # The chart's shares of Black drivers per quarter hour, light and dark, from the stops one by one.
    clock = (kept["minute"] // 15 * 15).astype(int)
    expected = kept.groupby([clock, "is_dark"])["is_black"].mean().unstack("is_dark")
    shares = result.shares.set_index("clock")
    assert shares["light"].to_numpy() == pytest.approx(expected[0].to_numpy(), nan_ok=True)
    assert shares["dark"].to_numpy() == pytest.approx(expected[1].to_numpy(), nan_ok=True)


def test_the_four_variants_side_by_side(minneapolis):
    _, ds, _ = minneapolis
    table = stops.veil_variants(ds, stops.eligibility(ds), CENTER, ZONE).set_index("variant")
    assert (table["problem"] == "").all()
    assert len(table) == 4
    whole, near = table.loc["whole year"], table.loc["within 30 days of a clock change"]
    assert near["stops"] < whole["stops"] / 2  # two months of the year
    assert table.loc["whole year, place controlled", "place"] == "precinct"
    assert np.isfinite(table["coefficient"]).all()
    assert (table["low"] < table["high"]).all()


def test_the_veil_of_darkness_runs_only_on_vehicle_stops(tmp_path, minneapolis):
    _, ds, raw = minneapolis
    steps = stops.veil_of_darkness(ds, stops.eligibility(ds), CENTER, ZONE).steps.set_index("filter")
    assert steps.loc["eligible stops (see the filters above)", "remaining"] == (raw["problem"] == "traffic").sum()
    one = pd.DataFrame({"date": [dt.date(2017, 1, 1)], "time": [dt.time(18)], "subject_race": "black"})
    no_type = made_up_stops(tmp_path, one)
    problem = stops.veil_of_darkness(no_type, stops.eligibility(no_type), CENTER, ZONE).problem
    assert "which stops were of vehicles" in problem


def test_the_outcome_test_keeps_discretionary_searches_and_gives_intervals(tmp_path):
    """No real file at hand records the basis of searches with their outcome, so these stops are made up."""
    rng = np.random.default_rng(3)
    n = 4000
    basis = rng.choice(["consent", "probable cause", "other", "k9"], n, p=[0.3, 0.4, 0.25, 0.05])
    race = rng.choice(["white", "black", "hispanic"], n)
    hit = rng.random(n) < np.where(race == "white", 0.3, 0.2)
    frame = pd.DataFrame(
        {"date": dt.date(2021, 1, 4), "type": "vehicular", "subject_race": race, "search_conducted": True,
         "search_basis": basis, "contraband_found": hit,
         "district": rng.choice(["1", "2", "3", "4"], n, p=[0.4, 0.3, 0.28, 0.02])}
    )  # fmt: skip
    ds = made_up_stops(tmp_path, frame.copy())
    result = stops.outcome_test(ds, stops.eligibility(ds))
    assert result.problem == ""
    assert result.basis_recorded
    assert "infra-marginality" in result.caveat
    discretionary = frame[frame["search_basis"] != "other"]
    assert result.left_out == (frame["search_basis"] == "other").sum()
    table = result.citywide.set_index("group")
    for race_, rows in discretionary.groupby("subject_race"):
        hits = int(rows["contraband_found"].sum())
        assert (table.loc[race_, "recorded"], table.loc[race_, "flagged"]) == (len(rows), hits)
        assert table.loc[race_, "low"] == pytest.approx(proportion_confint(hits, len(rows), method="wilson")[0])
    assert table.loc["black", "rate"] < table.loc["white", "rate"]
    assert table.loc["black", "significant"]
    assert result.area == "district"
    by_area = result.by_area.set_index(["area", "group"])
    counts = discretionary.groupby(["district", "subject_race"])["contraband_found"].agg(["size", "sum"])
    for (area, race_), row in counts.iterrows():
        if area == "4":  # too few searches to compare
            assert area not in set(result.by_area["area"])
            continue
        shown = by_area.loc[(area, race_)]
        assert (shown["recorded"], shown["flagged"]) == (row["size"], row["sum"])


def test_holm_matches_statsmodels_and_leaves_missing_p_values_alone():
    p = pd.Series([0.01, np.nan, 0.04, 0.03, 0.2])
    adjusted = compare.holm(p)
    assert np.isnan(adjusted[1])
    assert adjusted.dropna().to_numpy() == pytest.approx(multipletests(p.dropna(), method="holm")[1])
    family = compare.adjust_together(
        {"a": pd.DataFrame({"group": ["x"], "rate": [0.1], "ratio": [2.0], "p_value": [0.02]}),
         "b": pd.DataFrame({"group": ["y"], "rate": [0.2], "ratio": [1.5], "p_value": [0.03]})}
    )  # fmt: skip
    assert family["p_holm_all"].tolist() == pytest.approx([0.04, 0.04])
    # The note a report prints beside its tests says they were adjusted and why they are still too confident.
    assert "Holm" in compare.NOT_INDEPENDENT
    assert "same people and the same officers" in compare.NOT_INDEPENDENT


def test_a_veil_model_that_cannot_tell_darkness_from_clock_time_shows_no_estimate(project):
    """The 400-stop sample copied 300 times: around the clock changes its few evening clock times are each all light
    or all dark, so darkness cannot be estimated there; the whole-year tests still can."""
    sample = project / "minneapolis_stops_2017_sample.csv"
    raw = pd.read_csv(sample, dtype=str, keep_default_na=False)
    pd.concat([raw.assign(idNum=raw["idNum"] + f"-{i}") for i in range(300)]).to_csv(sample, index=False)
    ds = sample_stops(project)
    variants = stops.veil_variants(ds, stops.eligibility(ds), CENTER, ZONE).set_index("variant")
    whole = variants.loc["whole year"]
    assert whole["problem"] == ""
    assert whole["std_error"] < stops.MAX_VEIL_STD_ERROR
    near = variants.loc[f"within {stops.DST_DAYS} days of a clock change"]
    assert near["problem"].startswith("The model cannot tell darkness from clock time")
    assert np.isnan(near["coefficient"])
    assert np.isnan(near["high"])
