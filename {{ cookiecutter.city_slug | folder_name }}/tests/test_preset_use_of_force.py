"""The use of force presets: counts after standardizing equal an independent reading of the raw files.

Each test reads the fixture with pandas, applies the reading the preset's notes promise (written out again
here, not taken from the preset), and compares the counts of race, sex, kinds of force, injuries and flags."""

from __future__ import annotations

import pandas as pd

from .conftest import FIXTURES
from .test_presets import PRESETS, standardize_preset

HERE = FIXTURES / "use_of_force"


def raw(name: str, **read) -> pd.DataFrame:
    """A fixture as published: every value as text, blanks as ""."""
    return pd.read_csv(HERE / name, dtype=str, keep_default_na=False, encoding="utf-8-sig", **read)


def counts(values) -> dict:
    """Value counts with missing values counted as None, for comparing a standardized column with an expectation."""
    series = pd.Series(list(values), dtype=object)
    return series.where(series.notna(), None).value_counts(dropna=False).to_dict()


def flags(frame: pd.DataFrame, column: str) -> dict:
    return counts(None if pd.isna(v) else bool(v) for v in frame[column])


def yes_no(cells: pd.Series, yes: str, no: str) -> dict:
    return counts({yes: True, no: False}.get(c.strip()) for c in cells)


def test_every_fixture_of_this_folder_has_a_preset():
    fixtures = {p["fixture"] for p in PRESETS.values() if p["topic"] == "use_of_force"}
    assert fixtures == {f"use_of_force/{p.name}" for p in HERE.iterdir() if p.suffix in (".csv", ".xlsx")}


def test_austin_hispanic_ethnicity_overrides_race_and_injuries_need_an_injury(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "austin_use_of_force")
    source = raw("austin_use_of_force_2017_sample.csv")
    letters = {"W": "white", "B": "black", "A": "asian/pacific islander", "I": "other", "M": "other"}

    def race(letter: str, ethnicity: str) -> str:
        return "hispanic" if ethnicity == "H" else letters.get(letter, "unknown")

    expected = [race(a, b) for a, b in zip(source["Subject  Race"], source["Subject  Ethnicity"], strict=True)]
    assert counts(frame["subject_race"]) == counts(expected)
    # Without the ethnicity column, most Hispanic people would have been counted as white.
    assert ((source["Subject  Race"] == "W") & (source["Subject  Ethnicity"] == "H")).sum() > 10
    assert counts(frame["subject_sex"]) == counts(
        source["Subject  Sex"].map({"M": "male", "F": "female"}).fillna("unknown")
    )
    effects = source["Subject Effects"]
    injured = [
        None if e in ("", "-") else any(w in e for w in ("MINOR INJURY", "SERIOUS INJURY", "DEATH")) for e in effects
    ]
    assert flags(frame, "subject_injured") == counts(injured)
    assert flags(frame, "dispatched_911") == counts(source["Nature of Contact"] == "DISPATCHED CALL")
    assert counts(frame["force_type"]) == counts(source["Weapon Used 1"].replace({"": None, "-": None}))
    assert frame["incident_id"].nunique() == source["Primary Key"].nunique() < len(source)
    assert frame["time"].isna().sum() == (source["Time  Occurred"] == "").sum()


def test_bloomington_one_hot_race_sex_and_kinds_of_force(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "bloomington_in_use_of_force")
    source = pd.read_excel(HERE / "bloomington_in_use_of_force_2019q1.xlsx", dtype=str).fillna("")
    races = {
        "Caucasian, Non-Hispanic": "white",
        " Caucasian, Hispanic": "hispanic",
        "African American, Non-Hispanic": "black",
        "African American, Hispanic": "hispanic",
        "Indian/Alaskan Native, Non-Hispanic": "other",
        "Indian/Alaskan Native, Hispanic": "hispanic",
        "Asian/Pacific Islander, Non-Hispanic": "asian/pacific islander",
        "Asian/Pacific Islander, Hispanic": "hispanic",
    }
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
        one_of(row, races, "other", "Suspect Race ") or "unknown" for row in rows
    )
    assert counts(frame["force_type"]) == counts(one_of(row, kinds, "more than one kind") for row in rows)
    sexes = {"Suspect Gender Female": "female", "Suspect Gender Male": "male"}
    assert counts(frame["subject_sex"]) == counts(one_of(row, sexes, "other") or "unknown" for row in rows)
    assert flags(frame, "subject_armed") == yes_no(source["Suspect Armed"], "YES", "NO")
    assert flags(frame, "dispatched_911") == counts(source["How Received"] == "911")
    assert frame["incident_id"].nunique() == source["Event "].nunique()


def test_indianapolis_second_header_typo_column_and_empty_rows(tmp_path):
    frame, _, snapshot = standardize_preset(tmp_path, "indianapolis_use_of_force")
    source = raw("indianapolis_use_of_force_sample.csv", skiprows=[1])
    assert len(frame) == snapshot.rows == len(source)
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
    assert counts(frame["subject_race"]) == counts(source["SUBJECT_RACT"].map(races).fillna("unknown"))
    sexes = source["SUBJECT_GENDER"].map({"Male": "male", "Female": "female"}).fillna("unknown")
    assert counts(frame["subject_sex"]) == counts(sexes)
    for column, raw_column in (
        ("subject_injured", "SUBJECT_INJURY"),
        ("subject_hospitalized", "SUBJECT_HOSPITALIZATION"),
        ("subject_arrested", "SUBJECT_WAS_ARRESTED"),
        ("officer_injured", "OFFICER_INJURY"),
    ):
        assert flags(frame, column) == yes_no(source[raw_column], "TRUE", "FALSE"), column
    empty = source["INCIDENT_DATE"] == ""
    assert frame["date"].isna().sum() == empty.sum() > 0
    assert counts(frame["force_type"]) == counts(source["TYPE_OF_FORCE_USED"].replace("", None))


def test_lincoln_maps_only_what_needs_no_codebook(tmp_path):
    frame, report, _ = standardize_preset(tmp_path, "lincoln_use_of_force")
    source = raw("lincoln_use_of_force.csv")
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


def test_minneapolis_blank_race_and_injury_and_age_zero(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "minneapolis_use_of_force_openintro")
    source = raw("minneapolis_use_of_force_sample.csv")
    races = {
        "Black": "black",
        "White": "white",
        "Asian": "asian/pacific islander",
        "Pacific Islander": "asian/pacific islander",
        "Native American": "other",
        "Other / Mixed Race": "other",
    }
    assert counts(frame["subject_race"]) == counts(source["race"].map(races).fillna("unknown"))
    assert counts(frame["subject_sex"]) == counts(
        source["sex"].map({"Male": "male", "Female": "female"}).fillna("unknown")
    )
    assert flags(frame, "subject_injured") == yes_no(source["subject_injury"], "Yes", "No")
    assert flags(frame, "dispatched_911") == yes_no(source["is_911_call"], "Yes", "No")
    assert counts(frame["force_type"]) == counts(source["force_type"])
    zero = (source["age"] == "0").sum()
    assert zero > 0 and frame["subject_age"].isna().sum() == (source["age"] == "").sum() + zero
    assert counts(frame["call_type"]) == counts(source["problem"].str.strip())  # trailing spaces trimmed


def test_new_orleans_rows_per_officer_and_shifted_columns(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "new_orleans_use_of_force")
    source = raw("new_orleans_use_of_force_sample.csv")
    races = {
        "Black": "black",
        "White": "white",
        "W": "white",
        "Hispanic": "hispanic",
        "Asian": "asian/pacific islander",
        "Indian": "other",
    }
    assert counts(frame["subject_race"]) == counts(source["Subject Ethnicity"].map(races).fillna("unknown"))
    sexes = source["Subject Gender"].map({"Male": "male", "Female": "female"}).fillna("unknown")
    assert counts(frame["subject_sex"]) == counts(sexes)
    for column, raw_column in (
        ("subject_injured", "Subject Injured"),
        ("subject_hospitalized", "Subject Hospitalized"),
        ("subject_arrested", "Subject Arrested"),
    ):
        assert flags(frame, column) == yes_no(source[raw_column], "Yes", "No"), column
    assert counts(frame["force_type"]) == counts(source["Use of Force Type"])
    assert counts(frame["force_level"]) == counts(source["Use of Force Level"])
    assert frame["incident_id"].nunique() == source["PIB File Number"].nunique() < len(source)
    # The rows whose last columns are shifted hold a reason in "Officer Injured": officer injuries are not mapped.
    assert (source["Officer Injured"] == "refuse verbal commands").sum() > 0
    assert frame["officer_injured"].isna().all()


def test_seattle_levels_and_hashed_ids(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "seattle_use_of_force")
    source = raw("seattle_use_of_force_sample.csv")
    races = {
        "White": "white",
        "Black or African American": "black",
        "Hispanic or Latino": "hispanic",
        "Asian": "asian/pacific islander",
        "Nat Hawaiian/Oth Pac Islander": "asian/pacific islander",
        "American Indian/Alaska Native": "other",
    }
    assert counts(frame["subject_race"]) == counts(source["Subject_Race"].map(races).fillna("unknown"))
    sexes = source["Subject_Gender"].map({"Male": "male", "Female": "female"}).fillna("unknown")
    assert counts(frame["subject_sex"]) == counts(sexes)
    assert counts(frame["force_level"]) == counts(source["Incident_Type"])
    assert counts(frame["precinct"]) == counts(source["Precinct"].replace({"-": None, "": None}))
    assert "officer_id" not in frame.columns and "subject_id" not in frame.columns
    assert frame["officer_id_hash"].nunique() == source["Officer_ID"].nunique()
    assert not set(frame["officer_id_hash"]) & set(source["Officer_ID"])


def test_south_bend_flags_and_no_race(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "south_bend_use_of_force")
    source = raw("south_bend_use_of_force.csv")
    assert flags(frame, "subject_injured") == yes_no(source["Force_Caused_Injury"], "Yes", "No")
    assert flags(frame, "officer_injured") == yes_no(source["Off_Injured"], "Yes", "No")
    assert flags(frame, "dispatched_911") == yes_no(source["Call_Dispatched_via_911"], "Yes", "No")
    assert counts(frame["force_type"]) == counts(source["Response"])
    assert counts(frame["city"]) == counts(source["City_1"].replace({"-1": None, "": None}))
    assert frame["subject_race"].isna().all()  # the data records no race
    assert frame["lat"].round(6).fillna(0).tolist() == pd.to_numeric(source["Y"]).round(6).fillna(0).tolist()


def test_washington_post_several_races_count_as_other(tmp_path):
    frame, _, _ = standardize_preset(tmp_path, "wapo_fatal_police_shootings")
    source = raw("wapo_fatal_police_shootings_sample.csv")
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
