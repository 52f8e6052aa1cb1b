"""The short interview's pieces that do not need a terminal (tests/test_interview.py runs it at one)."""

from __future__ import annotations

import io

import pytest

from toolkit_catalog.interview import federal_question, known_state_code


def test_a_federal_file_is_offered_with_its_page_the_city_and_the_state() -> None:
    question = federal_question("police_equipment", {"city": "Duluth", "state": "mn"})
    assert question is not None
    assert "https://" in question
    assert "Minnesota" in question
    assert "{" not in question
    assert federal_question("police_stops", {"city": "Duluth", "state": "MN"}) is None  # no federal file


def test_without_a_terminal_a_wrong_state_goes_on_to_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO())  # not a terminal: the hook reports it with the others
    assert known_state_code("Minnesotta") == ""
    assert known_state_code("Minnesota") == "MN"
