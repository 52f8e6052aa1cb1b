"""The landing page, index.html: every topic with the state of its report, its rows and date coverage."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .config import Config
from .report import page
from .run import load_status, report_html_path
from .standardize import processed_path
from .store import atomic_path
from .topics import TOPICS


@dataclass(frozen=True)
class TopicSummary:
    topic: str
    title: str
    state: str  # "report", "failed", "no_source", "not_run"
    message: str
    report: str | None  # link, relative to index.html
    ran_at: str | None
    rows: int | None
    first: dt.date | None
    last: dt.date | None


def summarize(config: Config, topic: str) -> TopicSummary:
    root = config.root
    info = TOPICS[topic]
    status = load_status(root, topic)
    has_page = report_html_path(root, topic).exists()
    link = report_html_path(root, topic).relative_to(root).as_posix() if has_page else None
    rows = first = last = None
    data = processed_path(root, topic)
    if data.exists():
        try:
            rows, first, last = duckdb.execute(
                "SELECT count(*), min(date), max(date) FROM read_parquet(?)", [data.as_posix()]
            ).fetchone()
        except duckdb.Error:
            pass  # damaged or half-written: the landing page still lists the topic and its run status
    ran_at = status.ran_at if status else None
    if not config.sources(topic):
        state, message = "no_source", "No data source configured yet."
    elif status and not status.ok:
        state = "failed"
        message = f"The last run failed ({status.error}). " + (
            "The report below is from an earlier run." if has_page else f"See reports/{topic}/failed.ipynb."
        )
    elif has_page:
        state, message = "report", "" if data.exists() else "Data fetched; its columns are not mapped yet."
    else:
        state, message = "not_run", "Configured, not run yet: run make reports."
    return TopicSummary(topic, info.title, state, message, link, ran_at, rows, first, last)


def _row(s: TopicSummary) -> str:
    esc = html.escape
    title = f'<a href="{esc(s.report)}">{esc(s.title)}</a>' if s.report else esc(s.title)
    coverage = f"{s.first:%b %Y} – {s.last:%b %Y}" if s.first and s.last else "—"
    rows = f"{s.rows:,}" if s.rows is not None else "—"
    ran = esc(dt.datetime.fromisoformat(s.ran_at).strftime("%Y-%m-%d %H:%M UTC")) if s.ran_at else "—"
    label = {"report": "Report ready", "failed": "Last run failed", "no_source": "No data yet", "not_run": "Not run"}
    return (
        f'<tr class="{s.state}"><th scope="row">{title}<br><span class="msg">{esc(s.message)}</span></th>'
        f'<td class="state">{label[s.state]}</td><td>{rows}</td><td>{esc(coverage)}</td><td>{ran}</td></tr>'
    )


def render_index(config: Config) -> str:
    esc = html.escape
    summaries = [summarize(config, topic) for topic in TOPICS]
    place = f"{config.city}, {config.state}"
    contact = (
        f' Contact: <a href="mailto:{esc(config.contact_email)}">{esc(config.contact_email)}</a>.'
        if config.contact_email
        else ""
    )
    body = (
        f"<h1>Public safety data for {esc(place)}</h1>"
        f'<p class="lede">Reports on policing and public safety in {esc(config.city)}, built from public data. '
        "Each report starts with what the data holds and what it lacks: read that first.</p>"
        '<h2>Reports</h2><table class="topics"><thead><tr><th scope="col">Topic</th><th scope="col">Status</th>'
        '<th scope="col">Rows</th><th scope="col">Dates covered</th><th scope="col">Last run</th></tr></thead>'
        f"<tbody>{''.join(_row(s) for s in summaries)}</tbody></table>"
        f'<footer class="site"><p>Prepared by {esc(config.organization or "local volunteers")}.{contact} '
        "Numbers describe what was recorded; they do not by themselves explain why.</p></footer>"
    )
    return page(f"Public safety data for {place}", body, home="")


def write_site(config: Config) -> Path:
    target = config.root / "index.html"
    with atomic_path(target) as tmp:
        tmp.write_text(render_index(config), encoding="utf-8")
    return target
