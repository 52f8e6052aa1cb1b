"""Every state's public-records guide says exactly what the catalog says, with its sources; a blank stays
"not verified"; a project with no data gets a letter per topic that cites its state's law and deadline."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from .baking import NO_SOURCES, TEMPLATE, TEMPLATE_DIR, TOPICS, csv_rows, run
from .pages import Page, normal
from .shared import once

LAWS = csv_rows(TEMPLATE / "catalog" / "state_public_records.csv")
STATES = csv_rows(TEMPLATE_DIR / "safety_toolkit" / "states.csv")
# Column of the catalog -> the question the guide's table answers with it.
QUESTIONS = {
    "law_name": "The law",
    "citation": "Where it is written",
    "response_deadline": "How long the agency has to answer, as written",
    "response_deadline_days": "The first deadline, in days",
    "fees_notes": "Fees",
    "appeal_route": "If the agency refuses or does not answer",
    "police_records_notes": "Police records",
    "state_stop_data_law": "Stop-data law",
}
# Writes the guide, the letters and their HTML pages for every project given, with the projects' own code.
WRITE_PAGES = """
import sys
from pathlib import Path
from safety_toolkit.cli import main
from safety_toolkit.config import load_config
from safety_toolkit.site import write_markdown_pages
for folder in sys.argv[1:]:
    assert main(["--config", str(Path(folder) / "toolkit.yaml"), "letters"]) == 0, folder
    write_markdown_pages(load_config(Path(folder) / "toolkit.yaml"))
"""


def addresses(row: dict[str, str]) -> list[str]:
    """The web addresses of a row's sources (a few carry a note after the address)."""
    return [source.split()[0] for source in row["source_urls"].split(";") if source.strip()]


def _bake_every_state(out: Path) -> None:
    from cookiecutter.main import cookiecutter

    for state in STATES:
        slug = f"springfield-{state['code'].lower()}"
        context = {**NO_SOURCES, "city": "Springfield", "state": state["code"], "city_slug": slug}
        cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(out), extra_context=context)
    projects = [out / f"springfield-{state['code'].lower()}" for state in STATES]
    done = run([sys.executable, "-c", WRITE_PAGES, *map(str, projects)], cwd=projects[0])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def guides(tmp_path_factory, worker_id) -> dict[str, Path]:
    """A project with no data sources for every state, its guide, letters and their pages written."""
    out = once(tmp_path_factory, worker_id, "every-state", _bake_every_state)
    return {state["code"]: out / f"springfield-{state['code'].lower()}" for state in STATES}


def compiled_laws() -> Path:
    """The compiled law facts kept beside the repository (`../shared/data/laws` in CI), found in the nearest folder
    above the checkout that holds them."""
    for folder in TEMPLATE.parents:
        candidate = folder / "shared" / "data" / "laws" / "state_public_records.csv"
        if candidate.exists():
            return candidate
    message = (
        "The compiled law facts (shared/data/laws/state_public_records.csv) are not in any folder above "
        f"{TEMPLATE}; CI keeps them beside the checkout as ../shared."
    )
    if os.environ.get("CI"):  # in CI they must be there: a missing copy is a failure, not a skip
        raise AssertionError(message)
    pytest.skip(message)


def test_the_catalogs_law_facts_equal_the_compiled_facts():
    compiled = compiled_laws()
    rows = csv_rows(compiled)
    assert rows == LAWS, f"catalog/state_public_records.csv differs from {compiled}: copy it over"
    assert "requester_notes" in LAWS[0]
    pennsylvania = next(row for row in LAWS if row["state_code"] == "PA")
    assert "United States" in pennsylvania["requester_notes"]
    assert pennsylvania["residency_required"] == "false"


def test_the_catalog_has_one_sourced_row_per_state_and_says_where_it_comes_from():
    assert [row["state_code"] for row in LAWS] == [state["code"] for state in STATES]
    assert [row["state_name"] for row in LAWS] == [state["name"] for state in STATES]
    for row in LAWS:
        assert addresses(row), row
        assert all(url.startswith(("http://", "https://")) for url in addresses(row)), row
        assert row["law_name"].strip(), row["state_code"]
        assert row["citation"].strip(), row["state_code"]
        assert row["residency_required"] in ("true", "false", "")
        assert row["deadline_business_days"] in ("true", "false", "")
        assert row["response_deadline_days"] == "" or row["response_deadline_days"].isdigit()
    readme = (TEMPLATE / "catalog" / "README.md").read_text(encoding="utf-8")
    for name in ("state_public_records.csv", "federal_sources.yaml", "LICENSE-openpolicedata.txt"):
        assert f"`{name}`" in readme, name
    provenance = (TEMPLATE / "catalog" / "state_public_records.md").read_text(encoding="utf-8")
    assert "never" in provenance
    assert "not verified" in provenance
    federal = yaml.safe_load((TEMPLATE / "catalog" / "federal_sources.yaml").read_text(encoding="utf-8"))
    assert federal["foia"]["citation"] == "5 U.S.C. § 552"
    assert federal["foia"]["sources"]
    for source in federal["datasets"]:
        assert source["links"]
        assert all(link["url"].startswith("https://") for link in source["links"])


@pytest.mark.parametrize("row", LAWS, ids=[row["state_code"] for row in LAWS])
def test_the_state_facts_reach_toolkit_yaml_unchanged_with_blanks_left_null(guides, row):
    law = yaml.safe_load((guides[row["state_code"]] / "toolkit.yaml").read_text(encoding="utf-8"))["records_law"]
    state = law["state"]
    assert state["law_name"] == row["law_name"]
    assert state["citation"] == row["citation"]
    assert state["fees"] == (row["fees_notes"] or None)
    assert state["requester_notes"] == (row["requester_notes"] or None)
    assert state["stop_data_law"] == (row["state_stop_data_law"] or None)
    assert state["residency_required"] == {"true": True, "false": False, "": None}[row["residency_required"]]
    assert state["response_deadline_days"] == (
        int(row["response_deadline_days"]) if row["response_deadline_days"] else None
    )
    assert state["sources"] == [s.strip() for s in row["source_urls"].split(";") if s.strip()]
    assert law["federal"]["citation"] == "5 U.S.C. § 552"


@pytest.mark.parametrize("row", LAWS, ids=[row["state_code"] for row in LAWS])
def test_the_guide_states_every_fact_of_its_row_with_its_sources(guides, row):
    project = guides[row["state_code"]]
    html = (project / "tutorials" / "request_data.html").read_text(encoding="utf-8")
    page = Page(html)
    facts = {normal(question): normal(answer) for question, answer in page.tables["table-0"][1:]}
    crumb = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
    assert page.text.startswith(f"Home {crumb} Tutorials Asking for public records in {row['state_name']}")
    for column, question in QUESTIONS.items():
        value = normal(row[column])
        assert facts[question] == (value or "not verified"), (column, facts[question])
    counted = {"true": "business (working) days", "false": "calendar days", "": "not verified"}
    assert facts["Days are counted as"] == counted[row["deadline_business_days"]]
    who = {"true": "Only residents or citizens of ", "false": "Anyone: ", "": "not verified: "}
    assert facts["Who may ask"].startswith(who[row["residency_required"]])
    if row["requester_notes"]:
        assert normal(row["requester_notes"]) in facts["Who may ask"]
    for url in addresses(row):
        assert url in page.links, url
    # The federal FOIA facts and their sources follow; the guide links only to pages that exist
    # (index.html is written by `site`, which this fixture does not run).
    assert "5 U.S.C. § 552" in page.text
    for link in page.links:
        if not link.startswith(("http://", "https://", "#", "../index.html")):
            assert (project / "tutorials" / link.split("#")[0]).exists(), link


@pytest.mark.parametrize("row", LAWS, ids=[row["state_code"] for row in LAWS])
def test_a_project_with_no_sources_gets_a_letter_per_topic_citing_its_law(guides, row):
    project = guides[row["state_code"]]
    for topic in TOPICS:
        letter = Page((project / "tutorials" / "requests" / f"{topic}.html").read_text(encoding="utf-8")).text
        assert normal(row["law_name"]) in letter, topic
        assert normal(row["citation"]) in letter, topic
        # The law's words on deadlines are quoted only where it sets days for every requester (Minnesota's 10 days
        # are for data subjects asking about themselves, not for a request for public data).
        quoted = normal(row["response_deadline"]).rstrip(". ") in letter
        assert quoted == bool(row["response_deadline_days"] and row["response_deadline"]), topic
        assert "machine-readable" in letter
        assert "data dictionary" in letter
        assert "[name of the agency]" in letter
        assert "[first date" in letter
        assert ("I am a resident of" in letter) == (row["residency_required"] == "true")


@pytest.mark.parametrize("state", ["MN", "CT", "CA", "AL", "PR"])
def test_the_state_data_sources_list_the_known_datasets_of_its_agencies(guides, state):
    name = next(s["name"] for s in STATES if s["code"] == state)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    folder = guides[state] / "references" / "data_sources"
    page = Page((folder / f"{slug}.html").read_text(encoding="utf-8"))
    known = [
        r
        for r in csv_rows(TEMPLATE / "catalog" / "known_datasets.csv")
        if r["State"] == name
    ]
    for row in known:
        assert (row["source_url"].strip() or row["URL"].strip()) in page.links, row["source_table_id"]
    assert (folder / "LICENSE-openpolicedata.txt").read_text(encoding="utf-8").startswith("BSD 3-Clause License")
    assert "Copyright (c) 2022, openpolicedata" in page.text
    assert f"../../tutorials/request_data.html#what-the-law-says-in-{slug}" in page.links
    federal = Page((folder / "federal.html").read_text(encoding="utf-8"))
    assert "https://www.dla.mil/Disposition-Services/Offers/Law-Enforcement/Public-Information/" in federal.links


def test_answers_are_escaped_in_every_page_written_from_them(tmp_path):
    from cookiecutter.main import cookiecutter

    city = "<script>alert(1)</script> *Star* [x](javascript:alert(1)) & Co"
    project = Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(tmp_path),
            extra_context={**NO_SOURCES, "city": city, "city_slug": "hostile", "organization": city},
        )
    )
    done = run([sys.executable, "-c", WRITE_PAGES, str(project)], cwd=project)
    assert done.returncode == 0, done.stderr
    pages = [*project.glob("tutorials/**/*.html"), *project.glob("references/**/*.html")]
    assert len(pages) >= 9 + 4 + 2
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html, path
        assert not any(link.startswith("javascript:") for link in Page(html).links), path
    letter = Page((project / "tutorials" / "requests" / "warrants.html").read_text(encoding="utf-8")).text
    assert city in letter
