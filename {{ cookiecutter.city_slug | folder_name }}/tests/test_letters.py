"""The request guide and the letters are written from toolkit.yaml's records_law, and only from it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safety_toolkit import letters
from safety_toolkit.config import ConfigError, load_config
from safety_toolkit.guide import render_guide
from safety_toolkit.letters import render_letter, standard_fields, write_letters
from safety_toolkit.topics import TOPICS

from .report_helpers import PROJECT, toolkit

LAW = {
    "state": {
        "law_name": "Test Records Act",
        "citation": "T.S. § 1",
        "response_deadline": "Within 5 business days (T.S. § 1(b)).",
        "response_deadline_days": 5,
        "deadline_business_days": True,
        "residency_required": True,
        "fees": None,
        "appeal_route": None,
        "police_records": "<b>bold</b> *stars* | pipe",
        "stop_data_law": None,
        "sources": ["https://example.org/law", "https://example.org/s(1) (statute text)"],
    },
    "federal": {"law_name": "Freedom of Information Act (FOIA)", "citation": "5 U.S.C. § 552", "sources": []},
}


def with_law(project: Path, law: dict | None = LAW):
    """The test configuration, with this records_law block (or none)."""
    path = project / "toolkit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if law is not None:
        data["records_law"] = law
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def test_the_projects_own_toolkit_yaml_holds_its_states_law_with_sources():
    law = load_config(PROJECT / "toolkit.yaml").records_law
    assert law is not None
    assert law.state.law_name
    assert law.state.citation
    assert law.state.sources
    assert law.federal is not None
    assert law.federal.citation == "5 U.S.C. § 552"


def test_every_topic_without_a_source_gets_a_letter_citing_the_law_and_its_deadline(project):
    config = with_law(project)
    written = write_letters(config)
    folder = project / "tutorials" / "requests"
    assert sorted(p.stem for p in folder.glob("*.md")) == sorted(t for t in TOPICS if not config.sources(t))
    assert {w.outcome for w in written} == {"written"}
    assert written[-1].path == project / "tutorials" / "request_data.md"
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        for words in ("Under the Test Records Act, T.S. § 1, I request",
                      "The law sets this timeline for a response: Within 5 business days (T.S. § 1(b)).",
                      "I am a resident of Minnesota.", "machine-readable", "data dictionary", "[name of the agency]"):
            assert words in text, words
        fields = standard_fields(path.stem) or []
        for name, _ in fields:
            assert f"`{name}`:" in text, (path.stem, name)


def test_letters_ask_for_the_public_standard_fields_and_never_the_private_ones(project):
    config = with_law(project)
    for topic in TOPICS:
        fields = dict(standard_fields(topic) or [])
        text = render_letter(config, topic)
        from safety_toolkit.schema import get_schema

        schema = get_schema(topic)
        for column in schema.columns if schema else ():
            asked = not column.private and column.requestable
            assert (f"`{column.name}`:" in text) == asked, (topic, column.name)
            assert not asked or fields[column.name] == column.description


def test_a_topic_without_a_schema_is_asked_for_in_plain_words(project, monkeypatch):
    config = with_law(project)
    monkeypatch.setattr(letters, "standard_fields", lambda _topic: None)
    text = render_letter(config, "warrants")
    assert "All the fields the agency records for each of the warrants" in text


def test_the_guide_gives_each_fact_with_its_sources_and_never_guesses_a_blank(project):
    config = with_law(project)
    guide = render_guide(config)
    assert "| The law | Test Records Act |" in guide
    assert "| Fees | *not verified* |" in guide
    assert "| Stop-data law | *not verified* |" in guide
    assert "| Days are counted as | business (working) days |" in guide
    assert "| Who may ask | Only residents or citizens of Minnesota" in guide
    assert "&lt;b&gt;bold&lt;/b&gt; \\*stars\\* \\| pipe" in guide  # Markdown and HTML in a fact stay text
    assert "- [https://example.org/law](<https://example.org/law>)" in guide
    assert "- [https://example.org/s(1)](<https://example.org/s(1)>) (statute text)" in guide
    assert "5 U.S.C. § 552" in guide


def test_without_records_law_the_law_is_left_to_fill_in(project):
    config = with_law(project, None)
    assert config.records_law is None
    assert "[the public records law and its citation]" in render_letter(config, "arrests")
    assert "has no `records_law:` block" in render_guide(config)


def test_a_letter_edited_by_hand_is_never_overwritten(project):
    config = with_law(project)
    write_letters(config)
    edited = project / "tutorials" / "requests" / "arrests.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("[name of the agency]", "Springfield PD"))
    before = edited.read_text(encoding="utf-8")
    assert {w.path.name: w.outcome for w in write_letters(config)}["warrants.md"] == "unchanged"

    config = with_law(project, {**LAW, "state": {**LAW["state"], "law_name": "Renamed Records Act"}})
    outcomes = {w.path.name: w.outcome for w in write_letters(config)}
    assert outcomes["arrests.md"] == "kept"
    assert outcomes["warrants.md"] == "written"
    assert edited.read_text(encoding="utf-8") == before
    assert "Renamed Records Act" in (project / "tutorials" / "requests" / "warrants.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("response_deadline_days", "ten", "records_law.state.response_deadline_days"),
        ("residency_required", "yes", "records_law.state.residency_required"),
        ("sources", "https://example.org", "records_law.state.sources"),
        ("law_nam", "Typo Act", "Did you mean 'law_name'?"),
    ],
)
def test_mistakes_in_records_law_name_the_key(project, key, value, message):
    with pytest.raises(ConfigError) as err:
        with_law(project, {"state": {**LAW["state"], key: value}})
    assert message in str(err.value)


def test_the_letters_command(project):
    with_law(project)
    done = toolkit(project, "letters")
    assert done.returncode == 0, done.stderr
    assert "tutorials/requests/warrants.md: written" in done.stdout
    assert "tutorials/request_data.md: written" in done.stdout


MINNESOTA = {
    "law_name": "Minnesota Government Data Practices Act (MGDPA)",
    "citation": "Minn. Stat. ch. 13 (access: § 13.03)",
    "response_deadline": "No fixed deadline for public data (reasonable time); 10 business days for requests by data "
    "subjects",
    "response_deadline_days": None,
    "residency_required": False,
    "fees": "Inspection free (including remote access and download where the entity offers it); 100 or fewer "
    "black-and-white paper pages: at most 25 cents a page",
    "sources": ["https://www.revisor.mn.gov/statutes/cite/13.03"],
}


def test_a_letter_never_quotes_a_deadline_meant_for_another_kind_of_requester(project):
    config = with_law(project, {"state": MINNESOTA})
    text = render_letter(config, "police_stops")
    assert "10 business days" not in text
    assert "data subjects" not in text
    assert "within the time the law allows" in text
    # Where the law sets days for every requester, its words are quoted.
    assert "Within 5 business days (T.S. § 1(b))" in render_letter(with_law(project), "police_stops")


def test_a_letter_offers_inspection_first_only_where_it_is_free(project):
    free = render_letter(with_law(project, {"state": MINNESOTA}), "arrests")
    assert "I would first like to inspect these records, or download them" in free
    assert "inspect these records" not in render_letter(with_law(project), "arrests")  # fees not verified


def test_a_letter_cites_the_rule_on_electronic_formats_where_it_is_known(project):
    rule = "an agency must provide records in the electronic format in which they are kept (T.S. § 2)"
    config = with_law(project, {"state": {**LAW["state"], "electronic_format": rule}})
    assert f"The law says: {rule}." in render_letter(config, "arrests")
    assert "The law says:" not in render_letter(with_law(project), "arrests")


def test_letters_ask_for_data_a_records_officer_can_give_and_an_analyst_can_join(project):
    config = with_law(project)
    topics = ("arrests", "police_stops", "police_personnel_records")
    arrests, stops_, personnel = (render_letter(config, topic) for topic in topics)
    asked_of_all = ("race, ethnicity and sex as recorded", "rather than a combined or derived category",
                    "badge or employee number", "redact only that part, release the rest")  # fmt: skip
    for text in (arrests, stops_, personnel):
        for words in asked_of_all:
            assert words in text, words
    assert "case or incident number" in arrests
    assert "charge and its disposition" in arrests
    assert "Which records are arrests and which are citations" in arrests
    assert "complaints and their outcomes can be joined to the roster" in personnel
    assert "civilian oversight office" in personnel
    assert "civilian oversight" not in arrests
    assert "legal basis" in stops_
    assert "badge or employee number" not in render_letter(config, "police_equipment")


def test_the_guide_says_who_may_ask_with_the_requester_notes(project):
    note = "Requester must be a legal resident of the United States (65 P.S. § 67.102)"
    config = with_law(project, {"state": {**LAW["state"], "residency_required": False, "requester_notes": note}})
    guide = render_guide(config)
    assert "| Who may ask | Anyone: the sources found no rule limiting requests to residents of Minnesota." in guide
    assert "legal resident of the United States (65 P.S. § 67.102)." in guide
