"""Run the report notebooks: papermill executes each with its parameters, nbconvert turns it into a
page (templates/nbconvert/report) with the code hidden. Topics run in parallel worker processes that die
with the command that started them. A failed run keeps the previous report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import Config
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
    headline: str = ""  # the report's first finding, for the landing page


def notebook_path(root: Path, topic: str) -> Path:
    return root / "notebooks" / topic / f"{topic}.ipynb"


def report_html_path(root: Path, topic: str) -> Path:
    return root / "reports" / topic / f"{topic}.html"


def status_path(root: Path, topic: str) -> Path:
    return root / "reports" / topic / "status.json"


TEMPLATES = Path(__file__).parent / "templates"
CSS = Path(__file__).parent / "assets" / "toolkit.css"
STOP = "NotReady"  # the exception a notebook raises when it has no data to analyse (page.open_report)


def arrange(nb) -> str:  # type: ignore[no-untyped-def]
    """Ready the executed notebook for its page, in place, and return its headline finding: papermill's
    error banner goes; a notebook that stopped early (no data yet) ends at the cell that said why; cells
    tagged "appendix" move to a fold at the end, before those tagged "footer"."""
    import nbformat

    cells, headline = [], ""
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "papermill-error-cell-tag" in tags:
            continue
        outputs = cell.get("outputs", [])
        stopped = any(o.get("output_type") == "error" and o.get("ename") == STOP for o in outputs)
        if stopped:
            cell.outputs = [o for o in outputs if o.get("output_type") != "error"]
        for output in outputs:
            marks = output.get("metadata", {}).get("text/html", {}).get("toolkit", {})
            headline = headline or marks.get("headline", "")
        cells.append(cell)
        if stopped:
            break
    main = [c for c in cells if not {"appendix", "footer"} & set(c.metadata.get("tags", []))]
    appendix = [c for c in cells if "appendix" in c.metadata.get("tags", [])]
    footer = [c for c in cells if "footer" in c.metadata.get("tags", []) and c not in appendix]
    if appendix:
        appendix = [nbformat.v4.new_raw_cell(metadata={"toolkit": {"role": "appendix-start"}}), *appendix,
                    nbformat.v4.new_raw_cell(metadata={"toolkit": {"role": "appendix-end"}})]  # fmt: skip
    nb.cells = main + appendix + footer
    return headline


def to_html(executed: Path, title: str, home: str = "../../index.html") -> tuple[str, str]:
    """The executed notebook as a standalone page (outputs only, our own styles, nothing fetched), and its
    headline finding. A notebook whose metadata says `"toolkit": {"show_code": true}` gets a "Show the
    code" fold under each cell."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    headline = arrange(nb)
    show_code = bool(nb.metadata.get("toolkit", {}).get("show_code"))
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
        template_name="report",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    resources = {"toolkit": {"title": title, "css": CSS.read_text(encoding="utf-8"), "home": home,
                             "show_code": show_code}}  # fmt: skip
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body, headline


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
    error = headline = ""
    executed = out_dir / f".{topic}.running.ipynb"
    parameters = {"topic": topic, "config_path": str(config_path), "start_date": start_date, "end_date": end_date}
    try:
        try:
            execute(notebook_path(root, topic), executed, root, parameters)
        except Exception as err:  # a notebook that stops early because it has no data yet still has a page
            if getattr(err, "ename", "") != STOP:
                raise
        page, headline = to_html(executed, f"{TOPICS[topic].title} – report")
        with atomic_path(html_path) as tmp:
            tmp.write_text(page, encoding="utf-8")
        executed.replace(out_dir / f"{topic}.ipynb")
        failed.unlink(missing_ok=True)
    except Exception as err:  # one failing notebook must not stop the other topics
        error = _describe(err)
        if executed.exists():
            executed.replace(failed)
    finally:
        executed.unlink(missing_ok=True)
    status = RunStatus(
        topic=topic,
        ok=not error,
        ran_at=started.isoformat(timespec="seconds"),
        seconds=round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
        report=html_path.relative_to(root).as_posix(),
        error=error,
        headline=headline,
    )
    write_json(status_path(root, topic), asdict(status))
    return status


def execute(notebook: Path, output: Path, cwd: Path, parameters: Mapping[str, object]) -> None:
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


def _die_with(parent: int) -> None:
    """Make this worker process end when the command that started it ends, even by kill -9: on Linux the
    kernel sends SIGKILL at once (PR_SET_PDEATHSIG); elsewhere a thread notices within half a second. Its
    notebook kernel then stops too (Jupyter kernels watch their parent)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def run_reports(config: Config, topics: list[str] | None = None, workers: int | None = None) -> list[RunStatus]:
    """Run the given topics (default: all nine) in parallel processes."""
    topics = topics or list(TOPICS)
    start = config.start_date.isoformat() if config.start_date else None
    end = config.end_date.isoformat() if config.end_date else None
    workers = workers or min(len(topics), os.cpu_count() or 1)
    if workers == 1:  # one at a time: in this process, which spares starting a worker and its memory
        return [run_topic(config.root, config.path, t, start, end) for t in topics]
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(run_topic, config.root, config.path, t, start, end) for t in topics]
        return [f.result() for f in futures]


def load_status(root: Path, topic: str) -> RunStatus | None:
    path = status_path(root, topic)
    if not path.exists():
        return None
    return RunStatus(**json.loads(path.read_text(encoding="utf-8")))
