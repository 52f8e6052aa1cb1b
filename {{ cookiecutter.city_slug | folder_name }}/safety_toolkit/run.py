"""Run the report notebooks: papermill executes each with its parameters, nbconvert turns it into a
page with the code hidden. Topics run in parallel. A failed run keeps the previous report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import Config
from .report import page
from .store import atomic_path, write_json
from .topics import TOPICS


@dataclass(frozen=True)
class RunStatus:
    topic: str
    ok: bool
    ran_at: str
    seconds: float
    report: str  # path of the HTML page, relative to the project
    error: str = ""


def notebook_path(root: Path, topic: str) -> Path:
    return root / "notebooks" / topic / f"{topic}.ipynb"


def report_html_path(root: Path, topic: str) -> Path:
    return root / "reports" / topic / f"{topic}.html"


def status_path(root: Path, topic: str) -> Path:
    return root / "reports" / topic / "status.json"


def to_html(executed: Path, title: str) -> str:
    """The executed notebook as a standalone page: outputs only, our own styles, nothing fetched."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    return page(title, body)


def run_topic(
    root: Path, config_path: Path, topic: str, start_date: str | None = None, end_date: str | None = None
) -> RunStatus:
    """Execute one topic's notebook and write its page; on failure the old page stays and the
    executed notebook is kept as reports/<topic>/failed.ipynb to show where it stopped."""
    started = dt.datetime.now(dt.UTC)
    out_dir = root / "reports" / topic
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = report_html_path(root, topic)
    failed = out_dir / "failed.ipynb"
    error = ""
    executed = out_dir / f".{topic}.running.ipynb"
    parameters = {"topic": topic, "config_path": str(config_path), "start_date": start_date, "end_date": end_date}
    try:
        execute(notebook_path(root, topic), executed, root, parameters)
        page = to_html(executed, f"{TOPICS[topic].title} – report")
        with atomic_path(html_path) as tmp:
            tmp.write_text(page, encoding="utf-8")
        os.replace(executed, out_dir / f"{topic}.ipynb")
        failed.unlink(missing_ok=True)
    except Exception as err:  # one failing notebook must not stop the other topics
        error = _describe(err)
        if executed.exists():
            os.replace(executed, failed)
    finally:
        executed.unlink(missing_ok=True)
    status = RunStatus(
        topic=topic,
        ok=not error,
        ran_at=started.isoformat(timespec="seconds"),
        seconds=round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
        report=html_path.relative_to(root).as_posix(),
        error=error,
    )
    write_json(status_path(root, topic), asdict(status))
    return status


def execute(notebook: Path, output: Path, cwd: Path, parameters: dict[str, object]) -> None:
    """Run a notebook with papermill on a kernel of our own that talks over local sockets in a private
    folder, not TCP ports: notebooks starting at once cannot race for a port, and nothing listens on
    the network."""
    import papermill as pm
    from jupyter_client.manager import KernelManager

    with tempfile.TemporaryDirectory(prefix="toolkit-kernel-") as sockets:
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        try:
            pm.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                cwd=str(cwd),
                kernel_name="python3",
                km=kernel,
                progress_bar=False,
                extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no start-up chatter on the terminal
            )
        finally:
            if kernel.has_kernel:  # papermill leaves stopping a kernel it was given to its owner
                kernel.shutdown_kernel(now=True)


def _describe(err: Exception) -> str:
    name = type(err).__name__
    if name == "PapermillExecutionError":
        return f"{err.ename}: {err.evalue} (cell {err.exec_count})"  # type: ignore[attr-defined]
    return f"{name}: {err}"


def run_reports(config: Config, topics: list[str] | None = None, workers: int | None = None) -> list[RunStatus]:
    """Run the given topics (default: all nine) in parallel processes."""
    topics = topics or list(TOPICS)
    start = config.start_date.isoformat() if config.start_date else None
    end = config.end_date.isoformat() if config.end_date else None
    workers = workers or min(len(topics), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_topic, config.root, config.path, t, start, end) for t in topics]
        return [f.result() for f in futures]


def load_status(root: Path, topic: str) -> RunStatus | None:
    path = status_path(root, topic)
    if not path.exists():
        return None
    return RunStatus(**json.loads(path.read_text(encoding="utf-8")))
