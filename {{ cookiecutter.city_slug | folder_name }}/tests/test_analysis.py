"""The stops analyses and the data-quality profile, checked against independent pandas and scipy."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import yaml
from scipy import stats

from safety_toolkit.analysis import police_stops as stops
from safety_toolkit.quality import date_problems, monthly_coverage, profile
from safety_toolkit.schema import get_schema
from safety_toolkit.standardize import report_path

from .stops_samples import RACE, sample_stops


def test_vehicle_search_rates_and_tests_match_scipy(project, raw_sample):
    comparison = stops.rate_by_group(sample_stops(project), "search_vehicle", "subject_race")
    recorded = raw_sample[raw_sample["vehicleSearch"] != ""].assign(race=lambda f: f["race"].map(RACE))
    expected = recorded.groupby("race")["vehicleSearch"].agg(stops="size", flagged=lambda s: (s == "YES").sum())
    table = comparison.table.set_index("group")
    for race, row in expected.iterrows():
        assert table.loc[race, "stops"] == row["stops"]
        assert table.loc[race, "flagged"] == row["flagged"]
        assert table.loc[race, "rate"] == pytest.approx(row["flagged"] / row["stops"])
    white, black = expected.loc["white"], expected.loc["black"]
    contingency = [[black.flagged, black.stops - black.flagged], [white.flagged, white.stops - white.flagged]]
    if stats.contingency.expected_freq(contingency).min() >= 5:
        assert table.loc["black", "p_value"] == pytest.approx(stats.chi2_contingency(contingency).pvalue)
    else:
        assert table.loc["black", "p_value"] == pytest.approx(stats.fisher_exact(contingency).pvalue)
    assert comparison.not_recorded == int((raw_sample["vehicleSearch"] == "").sum())


def test_findings_state_the_numbers_and_no_cause(project):
    comparison = stops.rate_by_group(sample_stops(project), "search_vehicle", "subject_sex")
    question, answer = comparison.finding("male")
    assert question == "Were men who were stopped more likely than women to have their vehicle searched?"
    row = comparison.table.set_index("group").loc["male"]
    assert f"{row['rate']:.1%}" in answer
    assert f"{int(row['flagged']):,} of {int(row['stops']):,}" in answer
    assert "cause" in answer or "chance" in answer or "Cannot say" in answer


def test_counts_and_months_cover_every_stop(project, raw_sample):
    ds = sample_stops(project)
    months = monthly_coverage(ds)
    assert months["rows"].sum() == len(raw_sample)
    expected = pd.to_datetime(raw_sample["date"]).dt.to_period("M").value_counts().sort_index()
    assert months["rows"].tolist() == expected.tolist()
    hours = stops.stops_by_hour(ds)
    assert hours["hour"].tolist() == list(range(24))
    assert hours["stops"].tolist() == [int((pd.to_datetime(raw_sample["date"]).dt.hour == h).sum()) for h in range(24)]
    reasons = stops.counts(ds, "reason_for_stop").set_index("value")["stops"]
    assert reasons.to_dict() == raw_sample["problem"].value_counts().to_dict()


def test_a_date_range_limits_every_figure(project, raw_sample):
    ds = sample_stops(project, dt.date(2017, 3, 1), dt.date(2017, 5, 31))
    dates = pd.to_datetime(raw_sample["date"]).dt.date
    assert ds.rows == int(((dates >= dt.date(2017, 3, 1)) & (dates <= dt.date(2017, 5, 31))).sum())
    assert monthly_coverage(ds)["month"].astype(str).str[:10].tolist() == ["2017-03-01", "2017-04-01", "2017-05-01"]


def test_a_month_without_data_is_flagged_as_a_gap(project):
    sample = project / "minneapolis_stops_2017_sample.csv"
    lines = sample.read_text().splitlines(keepends=True)
    sample.write_text("".join(line for line in lines if ",2017-06-" not in line))
    coverage = monthly_coverage(sample_stops(project))
    coverage["month"] = coverage["month"].astype(str).str[:7]
    coverage = coverage.set_index("month")
    assert coverage.loc["2017-06", "rows"] == 0
    assert coverage.loc["2017-06", "flag"] == "no rows"
    assert (coverage.drop("2017-06")["flag"] != "no rows").all()


def test_impossible_dates_are_counted(project):
    sample = project / "minneapolis_stops_2017_sample.csv"
    lines = sample.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("2017-01-01 00:00:42", "1900-01-01 00:00:00")
    lines[2] = lines[2].replace(lines[2].split(",")[1], "2068-04-28 10:00:00")
    sample.write_text("".join(lines))
    problems = date_problems(sample_stops(project), today=dt.date(2026, 11, 24)).set_index("problem")["rows"]
    assert problems["date in the future"] == 1
    assert problems["placeholder date (1900-01-01, 1970-01-01, 1980-01-01)"] == 1


def test_repeated_stop_ids_are_counted_within_each_source_not_across(project):
    sample = project / "minneapolis_stops_2017_sample.csv"
    lines = sample.read_text().splitlines(keepends=True)
    # The same stops again as a second source: the same ids in two sources are not repeats.
    (project / "second.csv").write_text("".join(lines))
    sample.write_text("".join([*lines, *lines[1:4], lines[1]]))  # three stops again, the first of them twice
    config_path = project / "toolkit.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    sources = config["topics"]["police_stops"]["sources"]
    sources.append({**sources[0], "location": "second.csv", "title": "The same stops, published again"})
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    ds = sample_stops(project)
    expected = sum(
        int(pd.read_csv(path, dtype=str)["idNum"].duplicated().sum()) for path in (sample, project / "second.csv")
    )
    assert expected == 4
    report = json.loads(report_path(project, "police_stops").read_text(encoding="utf-8"))
    found = profile(ds, get_schema("police_stops"), report)
    assert (found.duplicates, found.duplicate_key) == (expected, "raw_row_number")


def test_without_an_identifier_rows_repeating_every_standard_column_are_counted(project):
    sample = project / "minneapolis_stops_2017_sample.csv"
    lines = sample.read_text().splitlines(keepends=True)
    sample.write_text("".join([*lines, *lines[5:8], lines[5]]))  # three stops again, the first of them twice
    config_path = project / "toolkit.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    del config["topics"]["police_stops"]["sources"][0]["mapping"]["raw_row_number"]
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    ds = sample_stops(project)
    report = json.loads(report_path(project, "police_stops").read_text(encoding="utf-8"))
    found = profile(ds, get_schema("police_stops"), report)
    mapped = [c for c in report["sources"][0]["columns"] if c in ds.columns]
    expected = int(pd.read_parquet(ds.path)[mapped].duplicated().sum())
    assert expected >= 4  # the four added; stops alike in every standard column would add to them
    assert (found.duplicates, found.duplicate_key) == (expected, "all standard columns")
