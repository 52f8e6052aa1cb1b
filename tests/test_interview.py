"""The first bake at a terminal: a wrong state stops at once; only the questions that help are asked."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import yaml

from .baking import TEMPLATE

# A question ends with its default in brackets and a colon; a yes/no question with [y/n] (default):
QUESTION = r"[^\]]\): ?$"
YES_NO = r"\[y/n\] \([^)]*\): ?$"


def _interview(tmp_path: Path, answers: dict[str, str], other_sources: str = "n") -> tuple[list[str], str, int]:
    """Run cookiecutter at a pseudo-terminal; answer by the words of each question, Enter for the rest.
    The questions asked (their last words), the rest of the output, the exit status."""
    env = {"TERM": "dumb", "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home")}
    child = pexpect.spawn(
        sys.executable, ["-m", "cookiecutter", str(TEMPLATE), "--output-dir", str(tmp_path / "out")],
        encoding="utf-8", timeout=120, env=env, dimensions=(50, 300),
    )
    asked = []
    while (kind := child.expect([QUESTION, YES_NO, pexpect.EOF])) != 2:
        question = " ".join(child.before.split())[-400:]
        asked.append(question)
        if kind == 1:
            child.sendline(other_sources)
        else:
            child.sendline(next((answer for words, answer in answers.items() if words in question), ""))
    child.close()
    return asked, child.before, child.exitstatus


def test_a_misspelt_state_stops_at_once_with_the_closest_name(tmp_path):
    asked, rest, status = _interview(tmp_path, {"Which city is this": "Chicago", "Which state or": "Ilinois"})
    assert status == 1
    assert len(asked) == 2  # the city, the state: nothing after
    assert "'Ilinois' is not a US state, DC or Puerto Rico. Did you mean Illinois (IL)?" in rest
    assert "Traceback" not in rest
    assert not (tmp_path / "out").exists()


def test_a_city_the_catalog_knows_is_asked_about_its_datasets_only(tmp_path):
    asked, rest, status = _interview(tmp_path, {"Which city is this": "Minneapolis", "Which state or": "MN"})
    assert status == 0, rest
    # city, state, folder, organization, email, "other sources?", the three topics with a Minneapolis
    # dataset (incidents, stops, use of force), the two federal files, the time zone: 12 (15 before).
    assert len(asked) == 12, "\n".join(asked)
    assert sum("Add other data sources now?" in q for q in asked) == 1
    assert any("Police_Stop_Data/FeatureServer/" in q.replace(" ", "") for q in asked)  # offered as the answer
    assert sum("its columns are then mapped for you" in q for q in asked) == 2
    toolkit = yaml.safe_load((tmp_path / "out" / "minneapolis" / "toolkit.yaml").read_text(encoding="utf-8"))
    assert toolkit["topics"]["police_stops"]["sources"][0]["location"].endswith("/Police_Stop_Data/FeatureServer/0")
    assert toolkit["topics"]["arrests"]["sources"] == []


def test_a_city_the_catalog_does_not_know_gets_no_blank_dataset_questions(tmp_path):
    asked, rest, status = _interview(tmp_path, {"Which city is this": "Smallville", "Which state or": "Kansas"})
    assert status == 0, rest
    assert len(asked) == 9, "\n".join(asked)  # 15 before: nine dataset questions, seven of them blank
    assert f"cd {tmp_path / 'out' / 'smallville'}" in rest


def test_saying_yes_to_other_sources_asks_every_topic(tmp_path):
    asked, rest, status = _interview(
        tmp_path, {"Which city is this": "Smallville", "Which state or": "KS"}, other_sources="y"
    )
    assert status == 0, rest
    assert len(asked) == 9 + 7, "\n".join(asked)
