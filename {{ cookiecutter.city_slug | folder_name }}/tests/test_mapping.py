"""Each mapping feature on the real data trap it exists for, checked against an independent reading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from safety_toolkit.standardize import MappingError

from .presets import FIXTURES, standardize_sources

PIECES = FIXTURES / "mapping"


def standardize(
    tmp_path: Path, topic: str, fixture: str, mapping: dict[str, Any], read: dict[str, Any] | None = None,
    extra: str = "",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A one-source toolkit over a fixture: fetch, standardize; the processed rows and the report."""
    mapping = {"date": None, **mapping}  # "date: null" (not recorded) unless the test maps it
    source = {"location": str(PIECES / fixture), "mapping": mapping, **({"read": read} if read else {})}
    if extra:
        tmp_path.mkdir(parents=True, exist_ok=True)
        (tmp_path / "custom_mappings.py").write_text(extra, encoding="utf-8")
    done = standardize_sources(tmp_path, topic, [source])
    return done.frame(), done.report


def raw(fixture: str, **read) -> pd.DataFrame:
    return pd.read_csv(PIECES / fixture, dtype=str, keep_default_na=False, **read)


def test_double_spaced_columns_codes_lat_lng_text_and_hhmm_times(tmp_path):
    frame, report = standardize(
        tmp_path,
        "use_of_force",
        "austin_use_of_force_2017_head.csv",
        {
            "incident_id": "Primary Key",
            "date": {"column": "Date  Occurred", "format": "%m/%d/%Y %I:%M:%S %p"},
            "time": {"column": "Time  Occurred", "pad": 4, "format": "%H%M"},
            "subject_race": {
                "column": "Subject  Race",
                "values": {
                    "W": "white",
                    "B": "black",
                    "H": "hispanic",
                    "A": "asian/pacific islander",
                    "I": "other",
                    "M": "other",
                    "U": "unknown",
                },
            },
            "lat": {"column": "Location 1", "parse": "lat"},
            "lng": {"column": "Location 1", "parse": "lng"},
        },
    )
    source = raw("austin_use_of_force_2017_head.csv")
    assert frame["subject_race"].value_counts().to_dict() == (
        source["Subject  Race"]
        .map({"W": "white", "B": "black", "H": "hispanic", "": "unknown"})
        .fillna("other")
        .value_counts()
        .to_dict()
    )
    coordinates = source["Location 1"].str.extract(r"\((-?[\d.]+), (-?[\d.]+)\)").astype(float)
    assert frame["lat"].tolist() == pytest.approx(coordinates[0].tolist(), nan_ok=True)
    assert frame["lng"].tolist() == pytest.approx(coordinates[1].tolist(), nan_ok=True)
    times = source["Time  Occurred"].str.zfill(4)
    expected = [f"{t[:2]}:{t[2:]}:00" if t.strip("0") or t == "0000" else None for t in times]
    assert [str(t) if pd.notna(t) else None for t in frame["time"]] == [
        e if s else None for e, s in zip(expected, source["Time  Occurred"], strict=True)
    ]
    assert (
        frame["date"].astype(str).str[:10].tolist()
        == pd.to_datetime(source["Date  Occurred"], format="%m/%d/%Y %I:%M:%S %p").dt.strftime("%Y-%m-%d").tolist()
    )
    unreadable = int((source["Location 1"].ne("") & coordinates[0].isna()).sum())
    assert report["sources"][0]["columns"]["lat"]["parsing"]["failed"] == unreadable


def test_one_hot_columns_in_an_excel_file_fold_into_one_category(tmp_path):
    prefix = "Suspect Race "
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
    frame, _ = standardize(
        tmp_path,
        "use_of_force",
        "../use_of_force/bloomington_in_use_of_force_2019q1.xlsx",
        {
            "date": "Date",
            "subject_race": {"one_hot": {prefix + k: v for k, v in races.items()}},
            "subject_sex": {"one_hot": {"Suspect Gender Female": "female", "Suspect Gender Male": "male"}},
        },
    )
    source = pd.read_excel(FIXTURES / "use_of_force" / "bloomington_in_use_of_force_2019q1.xlsx", dtype=str)
    flags = source[[prefix + k for k in races]].fillna("").apply(lambda c: c.str.strip() == "1")
    expected = []
    for _, row in flags.iterrows():
        chosen = [races[k] for k in races if row[prefix + k]]
        expected.append("other" if len(chosen) > 1 else (chosen[0] if chosen else "unknown"))
    assert frame["subject_race"].tolist() == expected
    assert frame["subject_sex"].value_counts().sum() == len(source)


def test_a_second_header_row_is_skipped_and_short_dates_read(tmp_path):
    frame, _ = standardize(
        tmp_path,
        "use_of_force",
        "indianapolis_use_of_force_head.csv",
        {
            "incident_id": "INCIDENT_UNIQUE_IDENTIFIER",
            "date": {"column": "INCIDENT_DATE", "format": "%m/%d/%y %H:%M"},
            "district": "LOCATION_DISTRICT",
        },
        read={"skip_rows": [1]},
    )
    source = raw("indianapolis_use_of_force_head.csv", skiprows=[1])
    assert len(frame) == len(source) == 40
    assert "occurredDate" not in set(frame["date"].astype(str))
    assert (
        frame["date"].astype(str).tolist()
        == pd.to_datetime(source["INCIDENT_DATE"], format="%m/%d/%y %H:%M").dt.strftime("%Y-%m-%d").tolist()
    )


def test_null_tokens_and_numeric_codes(tmp_path):
    frame, report = standardize(
        tmp_path,
        "use_of_force",
        "lincoln_use_of_force_head.csv",
        {"incident_id": "incid", "subject_age": "susage", "officer_age": "ofcage"},
        read={"null_values": ["."]},
    )
    source = pd.read_csv(
        PIECES / "lincoln_use_of_force_head.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    ages = pd.to_numeric(source["susage"].replace(".", None))
    assert frame["subject_age"].isna().sum() == (ages.isna() | (ages < 10) | (ages > 110)).sum()
    assert report["sources"][0]["columns"]["subject_age"]["parsing"]["failed"] == 0  # "." is missing, not bad
    assert frame["incident_id"].iloc[0] == source["incid"].iloc[0]  # the byte-order mark is gone


def test_several_values_in_one_cell(tmp_path):
    frame, report = standardize(
        tmp_path,
        "use_of_force",
        "wapo_fatal_police_shootings_sample.csv",
        {
            "incident_id": "id",
            "date": "date",
            "subject_race": {
                "column": "race",
                "split": ";",
                "values": {
                    "W": "white",
                    "B": "black",
                    "H": "hispanic",
                    "A": "asian/pacific islander",
                    "N": "other",
                    "O": "other",
                },
            },
        },
    )
    source = raw("wapo_fatal_police_shootings_sample.csv")
    single = {"W": "white", "B": "black", "H": "hispanic", "A": "asian/pacific islander", "N": "other", "O": "other"}

    def expected(cell: str) -> str:
        parts = {single[p] for p in cell.split(";") if p}
        return "unknown" if not parts else (parts.pop() if len(parts) == 1 else "other")

    assert frame["subject_race"].tolist() == source["race"].map(expected).tolist()
    statuses = {v["raw"]: v["status"] for v in report["sources"][0]["columns"]["subject_race"]["values"]}
    assert statuses["W;B"] == "mapped"


def test_two_digit_years_are_read_in_the_past(tmp_path):
    mapping = {
        "record_type": {"value": "officer"},
        "date": {"column": "APPOINTED_DATE", "format": "%d-%b-%y"},
        "officer_race": {
            "column": "RACE",
            "values": {
                "WHITE": "white",
                "BLACK": "black",
                "HISPANIC": "hispanic",
                "ASIAN/PACIFIC ISLANDER": "asian/pacific islander",
            },
        },
    }
    naive, _ = standardize(tmp_path / "naive", "police_personnel_records", "chicago_officer_roster_sample.csv", mapping)
    assert (naive["date"].dt.year > 2050).sum() > 0  # the trap is real
    mapping["date"]["two_digit_years"] = "past"
    frame, _ = standardize(tmp_path / "fixed", "police_personnel_records", "chicago_officer_roster_sample.csv", mapping)
    source = raw("chicago_officer_roster_sample.csv")
    years = source["APPOINTED_DATE"].str[-2:].astype(int)
    expected = [1900 + y if y > 30 else 2000 + y for y in years]
    assert frame["date"].dt.year.tolist() == expected
    assert (frame["record_type"] == "officer").all()


def test_padded_values_are_trimmed_and_addresses_never_kept(tmp_path):
    frame, _ = standardize(
        tmp_path,
        "non_emergency_incidents",
        "minneapolis_police_incidents_2018_pims_head.csv",
        {"request_id": "caseNumber", "precinct": "precinct", "location": "publicaddress", "request_type": "offense"},
    )
    source = raw("minneapolis_police_incidents_2018_pims_head.csv")
    assert frame["request_id"].tolist() == source["caseNumber"].str.strip().tolist()
    assert frame["precinct"].tolist() == source["precinct"].str.strip().tolist()
    assert "location" not in frame.columns
    flat = frame.astype(str).to_numpy().ravel().tolist()
    assert not any(address.strip() and address.strip() in flat for address in source["publicaddress"])


def test_officer_ids_are_hashed_consistently(tmp_path):
    mapping = {"record_type": {"value": "officer"}, "officer_id": "STAR_NO", "officer_unit": "UNITASGDESC"}
    frame, _ = standardize(tmp_path, "police_personnel_records", "chicago_officer_roster_sample.csv", mapping)
    source = raw("chicago_officer_roster_sample.csv")
    assert "officer_id" not in frame.columns
    hashes = frame["officer_id_hash"]
    assert not set(hashes) & set(source["STAR_NO"])
    assert hashes.nunique() == source["STAR_NO"].replace("", None).nunique()
    assert hashes.isna().sum() == (source["STAR_NO"] == "").sum()
    again, _ = standardize(tmp_path, "police_personnel_records", "chicago_officer_roster_sample.csv", mapping)
    assert again["officer_id_hash"].tolist() == hashes.tolist()  # the project's salt is kept


def test_flags_from_contains_and_a_python_escape_hatch(tmp_path):
    extra = (
        "def armed(raw):\n"
        "    # WaPo's armed_with: anything but unarmed/undetermined counts as armed\n"
        "    answer = {'': '', 'undetermined': '', 'unarmed': 'no'}\n"
        "    return raw['armed_with'].map(lambda v: answer.get(v, 'yes'))\n"
    )
    frame, _ = standardize(
        tmp_path,
        "use_of_force",
        "wapo_fatal_police_shootings_sample.csv",
        {
            "incident_id": "id",
            "subject_armed": {"python": "armed"},
            "officer_injured": {"column": "threat_type", "contains": ["shoot"]},
        },
        extra=extra,
    )
    source = raw("wapo_fatal_police_shootings_sample.csv")
    expected = source["armed_with"].map(lambda v: None if v in ("", "undetermined") else v != "unarmed")
    as_list = lambda column: [None if pd.isna(v) else bool(v) for v in column]  # noqa: E731
    assert as_list(frame["subject_armed"]) == as_list(expected)
    shoot = source["threat_type"].map(lambda v: None if v == "" else "shoot" in v.lower())
    assert as_list(frame["officer_injured"]) == as_list(shoot)


def test_a_mapping_that_covers_no_value_is_an_error_with_examples(tmp_path):
    with pytest.raises(MappingError) as err:
        standardize(
            tmp_path,
            "use_of_force",
            "austin_use_of_force_2017_head.csv",
            {"subject_race": {"column": "Subject  Race", "values": {"White": "white"}}},
        )
    message = str(err.value)
    assert "mapping.subject_race" in message
    assert "'W' (" in message
    assert "rows)" in message


def test_a_value_meaning_not_known_can_map_to_missing(tmp_path):
    values = {"unarmed": False, "undetermined": None, "gun": True, "knife": True}
    frame, report = standardize(
        tmp_path,
        "use_of_force",
        "wapo_fatal_police_shootings_sample.csv",
        {"incident_id": "id", "subject_armed": {"column": "armed_with", "values": values}},
    )
    source = raw("wapo_fatal_police_shootings_sample.csv")
    undetermined = source["armed_with"] == "undetermined"
    assert undetermined.any()
    assert frame.loc[undetermined, "subject_armed"].isna().all()
    assert (frame.loc[source["armed_with"] == "gun", "subject_armed"] == True).all()  # noqa: E712
    statuses = {v["raw"]: v["status"] for v in report["sources"][0]["columns"]["subject_armed"]["values"]}
    assert statuses["undetermined"] == "mapped"


def test_blank_means_false_when_the_mapping_says_so(tmp_path):
    roster = FIXTURES / "police_personnel_records" / "chicago_officer_roster_active_sample.csv"
    source = pd.read_csv(roster, dtype=str, keep_default_na=False)
    mapping = {"record_type": {"value": "officer"},
               "sworn": {"column": "SWORN_OFFICER_I", "values": {"Y": True, "N": False, "": False}}}  # fmt: skip
    done = standardize_sources(tmp_path, "police_personnel_records", [{"location": str(roster), "mapping": mapping}])
    frame, report = done.frame(), done.report
    blank = (source["SWORN_OFFICER_I"] == "").sum()
    assert blank > 0
    assert (frame["sworn"] == False).sum() == (source["SWORN_OFFICER_I"] == "N").sum() + blank  # noqa: E712
    assert frame["sworn"].notna().all()
    statuses = {v["raw"]: v["status"] for v in report["sources"][0]["columns"]["sworn"]["values"]}
    assert statuses[None] == "mapped"  # counted as mapped, not as missing
