"""Checks shared by the report tests: the counts a page's tables show."""

from __future__ import annotations

import re
from html import unescape

COUNT_CELL = re.compile(r'<t[dh][^>]*class="count[^"]*"[^>]*>([^<]*)</t[dh]>')


def small_counts_shown(page: str) -> list[str]:
    """The counts under 10 (other than 0) that the tables of a page show."""
    return [c for c in COUNT_CELL.findall(page) if c not in ("&lt;10", "—") and 0 < int(c.replace(",", "")) < 10]


def assert_small_counts_hidden(page: str, at_least: int = 20) -> None:
    """Every count in every table of the page is 0, 10 or more, or shown as "<10"; some were hidden."""
    counts = COUNT_CELL.findall(page)
    assert len(counts) >= at_least
    assert "&lt;10" in counts, "the data has small groups; none was hidden"
    assert small_counts_shown(page) == []
    assert "Counts under 10 are hidden" in unescape(page)
