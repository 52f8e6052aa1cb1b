"""The use of force presets: counts after standardizing equal an independent reading of the raw files.

Each test reads the fixture with pandas, applies the reading the preset's notes promise (written out again
here, not taken from the preset), and compares the counts of race, sex, kinds of force, injuries and flags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .labels import BLOOMINGTON_RACE, NEW_ORLEANS_RACE
from .presets import FIXTURES, PRESETS, read_raw

HERE = FIXTURES / "use_of_force"
SEXES = {"Male": "male", "Female": "female"}


def counts(values: Iterable[Any]) -> dict[Any, int]:
    """Value counts with missing values counted as None, for comparing a standardized column with an expectation."""
    series = pd.Series(list(values), dtype=object)
    return series.where(series.notna(), None).value_counts(dropna=False).to_dict()


def flags(frame: pd.DataFrame, column: str) -> dict[Any, int]:
    return counts(None if pd.isna(v) else bool(v) for v in frame[column])


def yes_no(cells: pd.Series, yes: str, no: str) -> dict[Any, int]:
    return counts({yes: True, no: False}.get(c.strip()) for c in cells)


def assert_race_and_sex(frame: pd.DataFrame, race: pd.Series, races: dict[str, str], sex: pd.Series) -> None:
    """Race read with `races`, sex as "Male" or "Female"; any other label, or none, is unknown."""
    assert counts(frame["subject_race"]) == counts(race.map(races).fillna("unknown"))
    assert counts(frame["subject_sex"]) == counts(sex.map(SEXES).fillna("unknown"))


def assert_flags(frame: pd.DataFrame, source: pd.DataFrame, columns: dict[str, str], yes: str, no: str) -> None:
    """Each standard flag column (key) is true, false or missing as its raw column (value) says yes, no or else."""
    for column, raw_column in columns.items():
        assert flags(frame, column) == yes_no(source[raw_column], yes, no), column


def test_every_fixture_of_this_folder_has_a_preset():
    fixtures = {p["fixture"] for p in PRESETS.values() if p["topic"] == "use_of_force"}
    assert fixtures == {f"use_of_force/{p.name}" for p in HERE.iterdir() if p.suffix in (".csv", ".xlsx")}


def test_austin_hispanic_ethnicity_overrides_race_and_injuries_need_an_injury(standardized):
    frame, source = standardized("austin_use_of_force").frame(), read_raw("austin_use_of_force")
    letters = {"W": "white", "B": "black", "A": "asian/pacific islander", "I": "other", "M": "other"}

    def race(letter: str, ethnicity: str) -> str:
        return "hispanic" if ethnicity == "H" else letters.get(letter, "unknown")

    expected = [race(a, b) for a, b in zip(source["Subject  Race"], source["Subject  Ethnicity"], strict=True)]
    assert counts(frame["subject_race"]) == counts(expected)
    # Without the ethnicity column, most Hispanic people would have been counted as white.
    assert ((source["Subject  Race"] == "W") & (source["Subject  Ethnicity"] == "H")).sum() > 10
    sexes = source["Subject  Sex"].map({"M": "male", "F": "female"}).fillna("unknown")
    assert counts(frame["subject_sex"]) == counts(sexes)
    effects = source["Subject Effects"]
    injured = [
        None if e in ("", "-") else any(w in e for w in ("MINOR INJURY", "SERIOUS INJURY", "DEATH")) for e in effects
    ]
    assert flags(frame, "subject_injured") == counts(injured)
    assert flags(frame, "dispatched_911") == counts(source["Nature of Contact"] == "DISPATCHED CALL")
    assert counts(frame["force_type"]) == counts(source["Weapon Used 1"].replace({"": None, "-": None}))
    assert frame["incident_id"].nunique() == source["Primary Key"].nunique() < len(source)
    assert frame["time"].isna().sum() == (source["Time  Occurred"] == "").sum()


def test_bloomington_one_hot_race_sex_and_kinds_of_force(standardized):
    frame = standardized("bloomington_in_use_of_force").frame()
    source = pd.read_excel(HERE / "bloomington_in_use_of_force_2019q1.xlsx", dtype=str).fillna("")
    kinds = {
        "Physical Contact": "physical contact",
        "Less Lethal": "less-lethal weapon used",
        "Draw Less Lethal": "less-lethal weapon drawn",
        "Draw Weapon": "firearm drawn",
        "Weapon Fired": "firearm fired",
    }

    def one_of(row: pd.Series, columns: dict[str, str], several: str, prefix: str = "") -> str | None:
        marked = [value for column, value in columns.items() if row[prefix + column].strip().upper() in ("1", "YES")]
        return several if len(marked) > 1 else (marked[0] if marked else None)

    rows = [row for _, row in source.iterrows()]
    assert counts(frame["subject_race"]) == counts(
        one_of(row, BLOOMINGTON_RACE, "other", "Suspect Race ") or "unknown" for row in rows
    )
    assert counts(frame["force_type"]) == counts(one_of(row, kinds, "more than one kind") for row in rows)
    sexes = {"Suspect Gender Female": "female", "Suspect Gender Male": "male"}
    assert counts(frame["subject_sex"]) == counts(one_of(row, sexes, "other") or "unknown" for row in rows)
    assert flags(frame, "subject_armed") == yes_no(source["Suspect Armed"], "YES", "NO")
    assert flags(frame, "dispatched_911") == counts(source["How Received"] == "911")
    assert frame["incident_id"].nunique() == source["Event "].nunique()


def test_indianapolis_second_header_typo_column_and_empty_rows(standardized):
    done = standardized("indianapolis_use_of_force")
    frame, source = done.frame(), read_raw("indianapolis_use_of_force", skiprows=[1])
    assert len(frame) == done.snapshots[0].rows == len(source)
    assert "residentRace" not in set(frame["subject_race"])  # IMPD's own header row is not data
    races = {
        "Black": "black",
        "White": "white",
        "Hispanic": "hispanic",
        "Asian": "asian/pacific islander",
        "Polynesian": "asian/pacific islander",
        "Bi-Racial": "other",
        "Native Amer": "other",
        "Other": "other",
    }
    assert_race_and_sex(frame, source["SUBJECT_RACT"], races, source["SUBJECT_GENDER"])
    injuries = {"subject_injured": "SUBJECT_INJURY", "subject_hospitalized": "SUBJECT_HOSPITALIZATION",
                "subject_arrested": "SUBJECT_WAS_ARRESTED", "officer_injured": "OFFICER_INJURY"}  # fmt: skip
    assert_flags(frame, source, injuries, "TRUE", "FALSE")
    empty = source["INCIDENT_DATE"] == ""
    assert frame["date"].isna().sum() == empty.sum() > 0
    assert counts(frame["force_type"]) == counts(source["TYPE_OF_FORCE_USED"].replace("", None))


def test_lincoln_maps_only_what_needs_no_codebook(standardized):
    done = standardized("lincoln_use_of_force")
    frame, report, source = done.frame(), done.report, read_raw("lincoln_use_of_force")
    assert len(frame) == len(source) == 391
    for column in ("subject_race", "subject_sex", "subject_injured", "force_type"):  # coded: left unmapped
        assert frame[column].isna().all(), column
    ages = pd.to_numeric(source["susage"].replace(".", None))
    assert frame["subject_age"].notna().sum() == ages.between(10, 110).sum()
    assert frame["date"].astype(str).tolist() == source["date"].str[:10].str.replace("/", "-").tolist()
    clock = source["time"].str.zfill(4)
    readable = clock.str[:2].astype(int).lt(24) & clock.str[2:].astype(int).lt(60)
    assert frame["time"].notna().sum() == readable.sum() < len(source)  # "1273" is not a time
    assert report["sources"][0]["columns"]["time"]["parsing"]["failed"] == (~readable).sum()


def test_minneapolis_blank_race_and_injury_and_age_zero(standardized):
    name = "minneapolis_use_of_force_openintro"
    frame, source = standardized(name).frame(), read_raw(name)
    races = {
        "Black": "black",
        "White": "white",
        "Asian": "asian/pacific islander",
        "Pacific Islander": "asian/pacific islander",
        "Native American": "other",
        "Other / Mixed Race": "other",
    }
    assert_race_and_sex(frame, source["race"], races, source["sex"])
    assert flags(frame, "subject_injured") == yes_no(source["subject_injury"], "Yes", "No")
    assert flags(frame, "dispatched_911") == yes_no(source["is_911_call"], "Yes", "No")
    assert counts(frame["force_type"]) == counts(source["force_type"])
    zero = (source["age"] == "0").sum()
    assert zero > 0
    assert frame["subject_age"].isna().sum() == (source["age"] == "").sum() + zero
    assert counts(frame["call_type"]) == counts(source["problem"].str.strip())  # trailing spaces trimmed


def test_new_orleans_rows_per_officer_and_shifted_columns(standardized):
    frame, source = standardized("new_orleans_use_of_force").frame(), read_raw("new_orleans_use_of_force")
    assert_race_and_sex(frame, source["Subject Ethnicity"], NEW_ORLEANS_RACE, source["Subject Gender"])
    injuries = {"subject_injured": "Subject Injured", "subject_hospitalized": "Subject Hospitalized",
                "subject_arrested": "Subject Arrested"}  # fmt: skip
    assert_flags(frame, source, injuries, "Yes", "No")
    assert counts(frame["force_type"]) == counts(source["Use of Force Type"])
    assert counts(frame["force_level"]) == counts(source["Use of Force Level"])
    assert frame["incident_id"].nunique() == source["PIB File Number"].nunique() < len(source)
    # The rows whose last columns are shifted hold a reason in "Officer Injured": officer injuries are not mapped.
    assert (source["Officer Injured"] == "refuse verbal commands").sum() > 0
    assert frame["officer_injured"].isna().all()


def test_seattle_levels_and_hashed_ids(standardized):
    frame, source = standardized("seattle_use_of_force").frame(), read_raw("seattle_use_of_force")
    races = {
        "White": "white",
        "Black or African American": "black",
        "Hispanic or Latino": "hispanic",
        "Asian": "asian/pacific islander",
        "Nat Hawaiian/Oth Pac Islander": "asian/pacific islander",
        "American Indian/Alaska Native": "other",
    }
    assert_race_and_sex(frame, source["Subject_Race"], races, source["Subject_Gender"])
    assert counts(frame["force_level"]) == counts(source["Incident_Type"])
    assert counts(frame["precinct"]) == counts(source["Precinct"].replace({"-": None, "": None}))
    assert "officer_id" not in frame.columns
    assert "subject_id" not in frame.columns
    assert frame["officer_id_hash"].nunique() == source["Officer_ID"].nunique()
    assert not set(frame["officer_id_hash"]) & set(source["Officer_ID"])


def test_south_bend_flags_and_no_race(standardized):
    frame, source = standardized("south_bend_use_of_force").frame(), read_raw("south_bend_use_of_force")
    flagged = {"subject_injured": "Force_Caused_Injury", "officer_injured": "Off_Injured",
               "dispatched_911": "Call_Dispatched_via_911"}  # fmt: skip
    assert_flags(frame, source, flagged, "Yes", "No")
    assert counts(frame["force_type"]) == counts(source["Response"])
    assert counts(frame["city"]) == counts(source["City_1"].replace({"-1": None, "": None}))
    assert frame["subject_race"].isna().all()  # the data records no race
    assert frame["lat"].round(6).fillna(0).tolist() == pd.to_numeric(source["Y"]).round(6).fillna(0).tolist()


def test_washington_post_several_races_count_as_other(standardized):
    frame, source = standardized("wapo_fatal_police_shootings").frame(), read_raw("wapo_fatal_police_shootings")
    letters = {"W": "white", "B": "black", "H": "hispanic", "A": "asian/pacific islander", "N": "other", "O": "other"}

    def race(cell: str) -> str:
        found = {letters[c] for c in cell.split(";") if c}
        return "unknown" if not found else (found.pop() if len(found) == 1 else "other")

    assert counts(frame["subject_race"]) == counts(source["race"].map(race))
    assert counts(frame["subject_sex"]) == counts(source["gender"].replace("", "unknown"))
    assert counts(frame["state"]) == counts(source["state"])
    assert set(frame["force_type"]) == {"fatal shooting"}
    assert counts(frame["subject_weapon"]) == counts(source["armed_with"].replace("", None))
    assert "name" not in source.columns  # the fixture leaves out people's names
