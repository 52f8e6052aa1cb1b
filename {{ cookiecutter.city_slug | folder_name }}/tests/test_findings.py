"""Sentences whose words depend on the numbers."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from safety_toolkit import findings


def test_span_and_undated_records():
    text = findings.span(51920, "stops", dt.date(2017, 1, 1), dt.date(2017, 12, 31), undated=3)
    assert text == (
        "The data holds 51,920 stops from January 1, 2017 to December 31, 2017. "
        "3 stops have no date and appear in no monthly figure."
    )
    assert findings.span(5, "stops", None, None) == "The data holds 5 stops, with no dates."


def test_shares_never_round_to_none_or_all():
    assert findings.share(1, 5000) == "under 0.1%"
    assert findings.share(4999, 5000) == "over 99.9%"
    assert (findings.share(0, 5), findings.share(5, 5), findings.share(1, 4)) == ("none", "all", "25.0%")


def test_the_largest_group_leaves_unknown_out():
    frame = pd.DataFrame({"value": ["unknown", "black", "white"], "stops": [500, 300, 100]})
    assert findings.largest(frame, "value", "stops", "stops", "race") == (
        "The largest group by race is black: 300 stops, 75.0% of those whose race is recorded."
    )
    assert findings.largest(frame.iloc[:1], "value", "stops", "stops", "race") == ""


def test_rate_gaps_say_chance_higher_or_lower():
    assert findings.rate_gap("the vehicle was searched", "Black people", 0.114, "white people", 0.042, 0.0001) == (
        "The vehicle was searched in 11.4% of stops of Black people: 2.7 times the rate for white people (4.2%)."
    )
    lower = findings.rate_gap("the vehicle was searched", "women", 0.02, "men", 0.04, 0.01)
    assert "50% lower than the rate for men (4.0%)" in lower
    assert "could arise by chance" in findings.rate_gap("x", "a", 0.05, "b", 0.04, 0.3)
    assert findings.rate_gap("x", "a", 0.05, "b", 0.04, float("nan")) == ""


def test_veil_answers_follow_the_direction_and_the_p_value():
    args = {"ci": (math.log(0.8), math.log(0.95)), "black": 2506, "white": 1747, "window": (17 * 60 + 5, 21 * 60 + 41)}
    assert findings.veil(0.87, p=0.01, **args).startswith("Yes: at the same clock time")
    assert "between 17:05 and 21:41" in findings.veil(0.87, p=0.01, **args)
    assert findings.veil(0.94, p=0.448, **args).startswith("Not clearly")
    assert findings.veil(1.2, p=0.01, **args).startswith("No, a larger share")
