"""Use of force counted in honest units on the real samples: rows, incidents, people and officers are told apart,
blank identifiers are reported instead of being counted as units, kinds of force that occur together are counted
as "incidents involving X", and the publisher's spellings of one label are merged by a rule that lists its
merges. Each figure is checked against pandas on the published file."""

from __future__ import annotations

import pandas as pd
import pytest

from safety_toolkit.analysis import Dataset
from safety_toolkit.analysis import use_of_force as uof

from .presets import read_raw


@pytest.fixture
def new_orleans(standardized) -> tuple[Dataset, pd.DataFrame]:
    return standardized("new_orleans_use_of_force").dataset(), read_raw("new_orleans_use_of_force")


@pytest.fixture
def minneapolis(standardized) -> tuple[Dataset, pd.DataFrame]:
    name = "minneapolis_use_of_force_openintro"
    return standardized(name).dataset(), read_raw(name)


def test_rows_incidents_and_officers_are_different_counts(new_orleans):
    ds, raw = new_orleans
    counted = uof.units(ds)
    assert counted.rows == len(raw)
    assert counted.incidents == raw["PIB File Number"].nunique() < counted.rows  # several rows per incident
    assert counted.without_incident == 0
    assert counted.people is None  # the file names no person, so people cannot be counted
    table = counted.table().set_index("unit")
    assert table.loc[uof.UNIT_NAMES["incidents"], "count"] == counted.incidents
    assert list(table.index) == list(uof.UNIT_NAMES.values())


def test_people_and_officers_are_counted_by_their_identifiers(standardized):
    raw = read_raw("seattle_use_of_force")
    counted = uof.units(standardized("seattle_use_of_force").dataset())
    assert counted.officers == raw["Officer_ID"].nunique()
    assert counted.people == raw["Subject_ID"].nunique()
    assert counted.incidents == raw["Incident_Num"].nunique()
    assert len({counted.rows, counted.incidents, counted.people, counted.officers}) == 4


def test_blank_identifiers_are_reported_not_counted_as_units(standardized, minneapolis):
    raw = read_raw("austin_use_of_force")
    counted = uof.units(standardized("austin_use_of_force").dataset())
    blank = raw["Master Subject ID"].str.strip().isin(["", "-"])
    assert counted.without_person == blank.sum() > 0
    assert counted.people == raw.loc[~blank, "Master Subject ID"].nunique()
    # Minneapolis numbers no incident: no count of incidents at all, every row reported without one.
    ds, raw = minneapolis
    counted = uof.units(ds)
    assert counted.incidents is None
    assert counted.without_incident == len(raw) == counted.rows


def test_kinds_of_force_are_counted_as_incidents_involving_them(new_orleans):
    ds, raw = new_orleans
    table = uof.incidents_involving(ds, "force_type").set_index("value")
    for kind, rows in raw.groupby("Use of Force Type"):
        assert table.loc[kind, "uses"] == len(rows)
        assert table.loc[kind, "incidents"] == rows["PIB File Number"].nunique()
    assert table["share"].sum() > 1  # incidents involve several kinds: the shares are not exclusive
    assert table.loc["Firearm (Exhibited)", "share"] == pytest.approx(
        raw.loc[raw["Use of Force Type"] == "Firearm (Exhibited)", "PIB File Number"].nunique()
        / raw["PIB File Number"].nunique()
    )


def test_spellings_of_one_label_are_merged_and_listed(minneapolis):
    ds, raw = minneapolis
    merges = uof.label_merges(ds, "force_action")
    pairs = {(row.label, row.merged_into) for row in merges.itertuples()}
    for one, other in (("Knee", "Knees"), ("Punch", "Punches"), ("Body Weight Pin", "Body Weight to Pin")):
        assert {one, other} <= set(merges["label"]), (one, other)
        target = merges.set_index("label").loc[one, "merged_into"]
        assert merges.set_index("label").loc[other, "merged_into"] == target
        assert target == raw["force_type_action"][raw["force_type_action"].isin([one, other])].value_counts().index[0]
    # Labels that only look alike stay apart.
    assert not {"Conscious Neck Restraint", "Takedown", "Joint Lock"} & set(merges["label"])
    assert ("Knee", "Knee") in pairs or ("Knees", "Knees") in pairs  # the kept spelling is listed too
    merged = uof.incidents_involving(ds, "force_action", merges).set_index("value")
    knees = raw["force_type_action"].isin(["Knee", "Knees"]).sum()
    assert merged.loc[merges.set_index("label").loc["Knee", "merged_into"], "uses"] == knees
    assert merged["incidents"].isna().all()  # no incident number: uses only
    kept_apart = uof.label_merges(ds, "force_action", keep_apart=("Knees",))
    assert "Knee" not in set(kept_apart["label"])
    assert "Punch" in set(kept_apart["label"])


def test_the_merge_rule():
    assert uof.label_key("Body Weight to Pin") == uof.label_key("Body Weight Pin") == "body weight pin"
    assert uof.label_key("Firearms As Striking Tool") == uof.label_key("Firearm as striking tool")
    assert uof.label_key("Punches") == uof.label_key("Punch")
    assert uof.label_key("Takedown (no injury)") != uof.label_key("Takedown (w/injury)")
    assert uof.label_key("Chemical Irritant") != uof.label_key("Chemical Munitions")
    assert uof.label_key("Press") == "press"


def test_a_blank_incident_number_is_reported_not_counted_as_an_incident(new_orleans, tmp_path):
    """The real New Orleans rows with the incident number of every 7th row blanked, as some publishers leave it."""
    ds, _ = new_orleans
    frame = ds.query("SELECT * FROM data")
    blanked = frame.index % 7 == 0
    frame.loc[blanked, "incident_id"] = None
    frame.to_parquet(tmp_path / "blanked.parquet")
    holed = Dataset(tmp_path / "blanked.parquet")
    totals, counted = uof.totals(holed), uof.units(holed)
    assert totals["incidents"] == counted.incidents == frame["incident_id"].nunique()  # blanks add no incident
    assert totals["without_incident"] == counted.without_incident == blanked.sum()
    table = uof.incidents_involving(holed, "force_type")
    assert table["rows_without_incident"].sum() == blanked.sum()
    assert uof.counts(holed, "force_type")["incidents"].max() <= frame["incident_id"].nunique()
