"""How fast and how exact the portal clients are, against the fake Socrata and ArcGIS servers of the tests.

    python benchmarks/fetch.py            (100,000 and 1,000,000 rows; several minutes)
    python benchmarks/fetch.py --rows 20000

For each size it prints rows per second and the number of requests of a full fetch (download and snapshot),
and of a second fetch of the unchanged data. Then it downloads the same data naively, as many scripts do (no
order asked for, each page starting where the size asked for says rather than where the rows received say),
while a row is added in the middle of the download, and counts the duplicate and missing rows; the toolkit's
clients are run on the same case. Everything runs on this machine, so the figures include the fake servers'
own work: real portals are slower, but the number of requests is the same.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from safety_toolkit.config import Source, load_config  # noqa: E402
from safety_toolkit.sources import fetch_source  # noqa: E402
from safety_toolkit.sources.web import Http, Settings  # noqa: E402
from safety_toolkit.store import Store  # noqa: E402
from tests.fake_portals import ArcGISFake, SocrataFake  # noqa: E402
from tests.fake_portals.data import sample_rows  # noqa: E402
from tests.fake_portals.socrata import row_id  # noqa: E402

TOPIC = "police_stops"


# -- the toolkit's clients
def fetch(location: str, page_size: int | None = None) -> tuple[float, int, Store, Source]:
    """One fetch into a fresh data folder: seconds and requests."""
    source = Source(topic=TOPIC, index=0, location=location, page_size=page_size)
    store = Store(Path(tempfile.mkdtemp(prefix="benchmark-")))
    seconds, requests, _ = timed(source, store)
    return seconds, requests, store, source


def timed(source: Source, store: Store) -> tuple[float, int, int]:
    """Seconds, requests, and rows downloaded (0 when the source was unchanged)."""
    config = load_config(ROOT / "toolkit.yaml")
    with Http(Settings(timeout=120)) as http:
        started = time.perf_counter()
        result = fetch_source(config, source, store, http)
        seconds = time.perf_counter() - started
    return seconds, http.stats.requests, result.snapshot.rows if result.changed else 0


def stored_keys(store: Store, source: Source, column: str) -> list[str]:
    snapshot = store.current(TOPIC, source.key, source.location)
    assert snapshot is not None
    return list(store.read(snapshot)[column])


# -- speed
def _serve(kind: str, rows: int, pipe: Connection) -> None:
    """A fake server in a process of its own, so that it does not share the client's interpreter."""
    data = sample_rows(rows)
    fake: Any = SocrataFake(rows=data) if kind == "Socrata" else ArcGISFake(rows=data, max_record_count=2000)
    with fake:
        pipe.send(f"{fake.url}/resource/{fake.dataset}.json" if kind == "Socrata" else fake.layer_url)
        pipe.recv()  # until the benchmark is done with it


def speed(rows: int) -> None:
    print(f"\n{rows:,} rows")
    for kind in ("Socrata", "ArcGIS"):
        ours, theirs = multiprocessing.Pipe()
        server = multiprocessing.Process(target=_serve, args=(kind, rows, theirs), daemon=True)
        server.start()
        seconds, requests, store, source = fetch(ours.recv())
        snapshot = store.current(TOPIC, source.key, source.location)
        assert snapshot is not None, kind
        assert snapshot.rows == rows, (kind, snapshot)
        print(f"  {kind:8} full fetch:  {rows / seconds:>9,.0f} rows/s  {seconds:7.1f} s  {requests:>4} requests")
        seconds, requests, got = timed(source, store)
        print(f"  {kind:8} unchanged:   {got:>9,} rows    {seconds:7.2f} s  {requests:>4} request(s)")
        ours.send("done")
        server.join()


# -- exactness
def _early_id(fake: SocrataFake, page: int) -> str:
    """A new row id among the rows already read, in either order: early in the fake's storage order (the
    order of results when none is asked for) and before the third page in :id order."""
    n = 0
    while True:
        rid = row_id(f"benchmark-{n}")
        if hashlib.md5(rid.encode()).hexdigest() < "01" and rid < fake.by_id[page] and rid not in fake.values:
            return rid
        n += 1


def _once(condition: Callable[[dict[str, str]], bool], change: Callable[[], object]) -> Callable[[Any], None]:
    """A hook for a fake server: make the change before the first request that meets the condition."""
    done: list[object] = []

    def hook(request: Any) -> None:
        if not done and condition(request.params):
            done.append(change())

    return hook


def naive_socrata(fake: SocrataFake, page: int, change: Callable[[], object]) -> list[str]:
    """sodapy's get_all: no $order, and the offset moves on by $limit."""
    keys, offset = [], 0
    with httpx.Client(timeout=120) as client:
        while True:
            if offset == 3 * page:
                change()
            answer = client.get(f"{fake.url}/resource/{fake.dataset}.json", params={"$limit": page, "$offset": offset})
            rows = answer.json()
            if not rows:
                return keys
            keys += [row["idnum"] for row in rows]
            offset += page


def naive_arcgis(fake: ArcGISFake, change: Callable[[], object]) -> list[str]:
    """No orderByFields, and the offset moves on by the resultRecordCount asked for."""
    keys, offset, asked = [], 0, 2000
    with httpx.Client(timeout=120) as client:
        while True:
            if offset == 3 * asked:
                change()
            params = {"where": "1=1", "outFields": "*", "resultOffset": offset, "resultRecordCount": asked, "f": "json"}
            body = client.get(f"{fake.layer_url}/query", params=params).json()
            keys += [feature["attributes"]["idNum"] for feature in body["features"]]
            if not body.get("exceededTransferLimit"):
                return keys
            offset += asked


def _count(label: str, keys: list[str], server: set[str]) -> None:
    duplicates = len(keys) - len(set(keys))
    missing = len(server - set(keys))
    print(f"  {label:50} {len(keys):>9,} rows  {duplicates:>6,} duplicate  {missing:>6,} missing")


def exactness(rows: int) -> None:
    print(f"\nA row added in the middle of downloading {rows:,} rows (the server then holds {rows + 1:,})")
    new = dict(sample_rows()[7], idNum="benchmark-new-row")
    page = max(1000, rows // 10)  # Socrata rows per page: several pages, so the row is added between two

    with SocrataFake(rows=sample_rows(rows)) as fake:
        keys = naive_socrata(fake, page, lambda: fake.insert(new, _early_id(fake, page)))
        _count(f"Socrata, naive (no $order, {page:,} a page)", keys, {r["idnum"] for r in fake.values.values()})
    with SocrataFake(rows=sample_rows(rows)) as fake:
        third = str(3 * page)
        fake.on_request(_once(lambda p: p.get("$offset") == third, lambda: fake.insert(new, _early_id(fake, page))))
        _, requests, store, source = fetch(f"{fake.url}/resource/{fake.dataset}.json", page_size=page)
        label = f"Socrata, toolkit ($order=:id, checked; {requests} requests)"
        _count(label, stored_keys(store, source, "idnum"), {r["idnum"] for r in fake.values.values()})

    with ArcGISFake(rows=sample_rows(rows), max_record_count=2000, page_cap=1000) as fake:
        keys = naive_arcgis(fake, lambda: fake.insert(new))
        _count("ArcGIS, naive (asks 2,000 a page, is sent 1,000)", keys, {r["idNum"] for r in fake.records.values()})
    with ArcGISFake(rows=sample_rows(rows), max_record_count=2000, page_cap=1000) as fake:
        fake.on_request(_once(lambda p: p.get("resultOffset") == "6000", lambda: fake.insert(new)))
        _, requests, store, source = fetch(fake.layer_url)
        label = f"ArcGIS, toolkit (by rows received; {requests} requests)"
        _count(label, stored_keys(store, source, "idNum"), {r["idNum"] for r in fake.records.values()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000], help="dataset sizes")
    args = parser.parse_args()
    for rows in args.rows:
        speed(rows)
    exactness(min(args.rows))


if __name__ == "__main__":
    main()
