"""What a report notebook starts from: its configuration and data (`open_report`), the page's title, the
"no data yet" states that end a report early, the data-quality appendix and the provenance footer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from IPython.display import display

from . import quality, show
from .analysis import Dataset
from .config import DEFAULT_CONFIG, Config, ConfigError, load_config
from .mapping_review import TopicReview, topic_review
from .schema import Schema, get_schema
from .standardize import processed_path, report_path
from .store import Snapshot, Store
from .topics import TOPICS

State = Literal["no_source", "not_fetched", "not_mapped", "ready"]


@dataclass
class Page:
    config: Config
    topic: str
    state: State
    small: show.SmallCounts
    schema: Schema | None = None
    ds: Dataset | None = None
    report: dict[str, Any] | None = None
    snapshots: tuple[Snapshot, ...] = ()
    review: TopicReview | None = None  # which columns are guessed, mapped, or present but not mapped (mapping_review)
    _profile: quality.Profile | None = None  # the data-quality profile, computed once for the page (profile())

    def profile(self) -> quality.Profile:
        """The data-quality profile of the page's data; the month chart and the appendix share one."""
        assert self.ds is not None
        assert self.schema is not None
        assert self.report is not None
        if self._profile is None:
            self._profile = quality.profile(self.ds, self.schema, self.report)
        return self._profile

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    def has(self, column: str) -> bool:
        """The data holds values in this standard column."""
        return self.ds is not None and self.ds.has_values(column)

    def needs(self, *columns: str, what: str = "") -> bool:
        """True when the data holds all these columns; otherwise shows one sentence saying what is not
        recorded, so that the section it guards is left out plainly."""
        missing = [c for c in columns if not self.has(c)]
        if missing:
            display(show.unavailable(self.why_missing(missing, what)))
        return not missing

    def why_missing(self, columns: list[str], what: str = "") -> str:
        """One sentence on why a section cannot be shown: the data does not record these columns, or it
        holds a column that looks like one of them that nobody has mapped yet."""
        described = what or " or ".join(self.label(c) for c in columns)
        statuses = [self.review.status(c) for c in columns] if self.review else []
        unmapped = [status for status in statuses if status.state == "not_mapped"]
        if unmapped:
            names = ", ".join(f"'{raw}'" for status in unmapped for raw in status.raw)
            return (
                f"The data has a column that may record {described} ({names}), but it is not matched to the "
                "toolkit's columns yet, so this part cannot be shown."
            )
        return f"This data does not record {described}, so this part cannot be shown."

    def label(self, column: str) -> str:
        """A standard column in words: its description, without the final full stop."""
        if self.schema is None:
            return column.replace("_", " ")
        try:
            text = self.schema.column(column).description
        except KeyError:
            return column.replace("_", " ")
        first = text.split(". ")[0].rstrip(".")
        return first[:1].lower() + first[1:]


class NotReady(Exception):
    """Raised by `open_report` when there is no data to analyse: the report ends after saying why.
    run.py renders the page up to this point; in Jupyter it shows as one line, not a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"The report stops here: {self}"]


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def find_config(start: Path | None = None) -> Path:
    """toolkit.yaml in this folder or the nearest one above it (notebooks run from their own folder)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / DEFAULT_CONFIG).is_file():
            return folder / DEFAULT_CONFIG
    raise ConfigError(f"no {DEFAULT_CONFIG} in {here} or above it; open the notebook inside the toolkit's folder.")


def load_page(
    topic: str | None = None, config_path: str | None = None, start_date: Any = None, end_date: Any = None
) -> Page:
    """Everything a report needs. Run by hand in Jupyter, the topic is the notebook's folder and the
    configuration the nearest toolkit.yaml; the dates given override those in toolkit.yaml."""
    topic = topic or Path.cwd().name
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}; pass one of: {', '.join(TOPICS)}")
    config = load_config(config_path or find_config())
    small = show.SmallCounts.of(config)
    sources = config.sources(topic)
    if not sources:
        return Page(config, topic, "no_source", small)
    store = Store(config.root)
    snaps = [store.current(topic, s.key, s.location) for s in sources]
    if not all(snaps):
        return Page(config, topic, "not_fetched", small)
    current = tuple(s for s in snaps if s)
    schema = get_schema(topic)
    path = report_path(config.root, topic)
    report = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    if schema is None or report is None or not all(s.mapping for s in sources):
        return Page(config, topic, "not_mapped", small, schema, snapshots=current)
    start = _date(start_date) or config.start_date
    end = _date(end_date) or config.end_date
    ds = Dataset(processed_path(config.root, topic), start, end)
    return Page(config, topic, "ready", small, schema, ds, report, current)


def _sources(page: Page) -> list[dict[str, Any]]:
    titles = {s.key: s.title for s in page.config.sources(page.topic)}
    return [
        {
            "title": titles.get(snap.source) or snap.source,
            "location": snap.location,
            "retrieved_at": snap.retrieved_at,
            "rows": snap.rows,
            "sha256": snap.sha256,
            "source_sha256": snap.source_sha256,
        }
        for snap in page.snapshots
    ]


def title(page: Page, heading: str | None = None, about: str | None = None) -> show.Block:
    """The page's title, what the data is, and where and when it was retrieved."""
    info = TOPICS[page.topic]
    place = f"{page.config.city}, {page.config.state}"
    sources = _sources(page)
    if sources:
        named = "; ".join(
            f"{s['title']}, retrieved {dt.datetime.fromisoformat(s['retrieved_at']):%B %-d, %Y}" for s in sources
        )
        source = f"Data: {named}. Details at the end of the page."
    else:
        source = "No data yet."
    return show.Block(
        "title.html.j2",
        title=heading or f"{info.title} in {place}",
        about=about or info.about,
        source=source,
        organization=page.config.organization,
    )


def open_report(
    topic: str, config_path: str | None = None, start_date: Any = None, end_date: Any = None, **title_text: str
) -> Page:
    """Load the report's data and show its title. When there is nothing to analyse, say why and what to
    do, then stop the notebook (NotReady)."""
    return start(load_page(topic, config_path, start_date, end_date), **title_text)


def start(page: Page, **title_text: str) -> Page:
    """Show the page's title; when there is nothing to analyse, say why and stop the notebook (NotReady)."""
    display(title(page, **title_text))
    if page.ready:
        return page
    topic = page.topic
    name = TOPICS[topic].title.lower()
    if page.state == "no_source":
        display(
            show.box(
                "empty",
                f"This toolkit has no {name} data for {page.config.city} yet. If the city publishes it, the "
                "toolkit's maintainers can add it as a source. If it does not, ask for it.",
                heading="No data source configured yet",
                links=[
                    (f"../../tutorials/requests/{topic}.html", "A records-request letter for this topic"),
                    ("../../tutorials/request_data.html", "How your state's public records law works"),
                ],
            )
        )
    elif page.state == "not_fetched":
        display(show.box("empty", "The data has not been downloaded yet.", heading="No data yet"))
    else:
        display(
            show.box(
                "empty",
                "The data is here, but which of its columns hold the date, the people's race, the outcome and so "
                "on has not been set yet. Until then, here is what the data holds, column by column.",
                heading="The data's columns are not matched yet",
            )
        )
        for i, snap in enumerate(page.snapshots):
            frame = quality.raw_profile(page.config.root / snap.file)
            display(
                show.table(
                    frame,
                    f"raw-columns-{i}",
                    f"Columns of source {i + 1} as published",
                    page.small,
                    counts=["blank", "distinct values (approx.)"],
                    percents=["blank share"],
                )
            )
        footer(page)
    raise NotReady(f"no {name} data to analyse ({page.state.replace('_', ' ')})")


def mapping_review(page: Page) -> None:
    """Right after the data is loaded: a banner while the column mapping is still a guess (a source says
    `review: needed` in toolkit.yaml), with what each guess rests on, and what one row counts when a source
    declares it. Later sections name a column that is in the data but not mapped (Page.why_missing)."""
    review = topic_review(page.config, page.topic)
    page.review = review
    if review.needs_review:
        items = [f"{page.label(column)}: {evidence}" for column, evidence in review.guessed.items()]
        display(show.banner(review.banner, items))
    if review.unit and review.unit != TOPICS[page.topic].unit:
        display(show.caveat(f"Each row of this data is one of the {review.unit}; the counts below count rows."))


def data_quality(page: Page) -> None:
    """The appendix every report shares: how much data there is, and what is wrong with it."""
    assert page.ds is not None
    assert page.report is not None
    profile = page.profile()
    if page.ds.start or page.ds.end:
        period = f"{page.ds.start or 'the start'} – {page.ds.end or 'the end'}"
        display(show.caveat(f"This report is limited to {period}."))
    if len(profile.flagged_months):
        display(
            show.table(
                profile.flagged_months, "flagged-months", "Months to read with care", page.small, counts=["rows"]
            )
        )
    labels = profile.missing.assign(column=[page.label(c) for c in profile.missing["column"]])
    display(
        show.table(
            labels.rename(columns={"column": "What is recorded", "share": "share"}),
            "missing-values",
            "Missing or unknown values, for each thing the data records",
            page.small,
            counts=["missing"],
            percents=["share"],
        )
    )
    if len(profile.outside_mapping):
        display(
            show.table(
                profile.outside_mapping,
                "outside-mapping",
                "Values in the data that the column matching does not cover (counted as shown in 'became')",
                page.small,
                counts=["rows"],
            )
        )
    if len(profile.unreadable):
        display(
            show.table(
                profile.unreadable,
                "unreadable-values",
                "Dates and numbers that could not be read, or fell outside the valid range (now missing)",
                page.small,
                counts=["values present", "could not be read", "outside the valid range"],
            )
        )
    if len(profile.date_problems):
        display(show.table(profile.date_problems, "date-problems", "Dates that cannot be right", page.small,
                           counts=["rows"]))  # fmt: skip
    display(show.box("note", f"Duplicates: {profile.duplicates:,} rows repeat another row's {profile.duplicate_key}."))
    notes = [note for source in page.report["sources"] for note in source.get("notes", [])]
    if notes:
        display(show.box("note", heading="Notes on this data", items=notes))


def monthly_profile(page: Page) -> pd.DataFrame:
    """Rows per month, with the months to read with care flagged (gaps, partial months at the edges)."""
    return page.profile().months


def footer(page: Page) -> None:
    """Source, retrieval date, rows and checksums of every snapshot behind the page."""
    if page.snapshots:
        display(show.provenance(_sources(page)))
