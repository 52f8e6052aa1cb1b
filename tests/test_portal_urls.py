"""The generated toolkit recognises the platform and the dataset of every default source the template can suggest."""

from __future__ import annotations

import json
import subprocess
import sys

from toolkit_catalog.datasets import FETCHED, all_datasets, dataset_url

from .baking import TEMPLATE_DIR

# The catalog's kinds of data the toolkit's clients read from the suggested address, and the platform each is.
PLATFORMS = {
    "Socrata": {"socrata"},
    "ArcGIS": {"arcgis"},
    "CKAN": {"ckan"},
    "Opendatasoft": {"opendatasoft"},
    "Carto": {"carto"},
    "Excel": {"file"},
    "CSV": {"file", "socrata", "ckan"},
}

PORTALS = ("Socrata", "CKAN", "Opendatasoft", "Carto")  # platforms whose address names the catalog's dataset id
DETECT = """
import json, sys
from safety_toolkit.sources.detect import detect
print(json.dumps([[detect(url).platform, detect(url).dataset] for url in json.load(sys.stdin)]))
"""


def test_every_suggested_address_is_recognised_with_its_dataset() -> None:
    assert set(PLATFORMS) == set(FETCHED)
    rows = [row for row in all_datasets() if row["DataType"] in PLATFORMS]
    urls = [dataset_url(row) for row in rows]
    done = subprocess.run(
        [sys.executable, "-B", "-c", DETECT],
        input=json.dumps(urls),
        cwd=TEMPLATE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    pairs = list(zip(rows, urls, found, strict=True))
    wrong = [(r["DataType"], url, got) for r, url, (got, _) in pairs if got not in PLATFORMS[r["DataType"]]]
    assert not wrong, wrong[:10]
    # A portal's dataset is the one the catalog names (ArcGIS layers and files are their address).
    portals = [(r["dataset_id"].strip(), url, got) for r, url, (_, got) in pairs if r["DataType"] in PORTALS]
    wrong_ids = [(url, got) for dataset, url, got in portals if dataset and got != dataset]
    assert not wrong_ids, wrong_ids[:10]
    assert {"socrata", "arcgis", "ckan", "opendatasoft", "carto", "file"} <= {platform for platform, _ in found}
    assert len(found) > 1000
