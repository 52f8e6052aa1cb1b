"""The generated toolkit recognises the platform of every default source the template can suggest."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys

from .conftest import TEMPLATE, TEMPLATE_DIR

# The catalog's kinds of data the toolkit's clients read from the suggested address, and the platform each is.
PLATFORMS = {"Socrata": {"socrata"}, "ArcGIS": {"arcgis"}, "Excel": {"file"}, "CSV": {"file", "socrata", "ckan"}}

DETECT = """
import json, sys
from safety_toolkit.sources.detect import detect
print(json.dumps([detect(url).platform for url in json.load(sys.stdin)]))
"""


def _dataset_url():
    spec = importlib.util.spec_from_file_location("local_extensions_for_urls", TEMPLATE / "local_extensions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.dataset_url


def test_every_suggested_socrata_arcgis_csv_and_excel_address_is_recognised():
    with open(TEMPLATE / "catalog" / "known_datasets.csv", encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.DictReader(fh) if row["DataType"] in PLATFORMS]
    dataset_url = _dataset_url()
    urls = [dataset_url(row) for row in rows]
    done = subprocess.run(
        [sys.executable, "-B", "-c", DETECT], input=json.dumps(urls), cwd=TEMPLATE_DIR, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    pairs = zip(rows, urls, found, strict=True)
    wrong = [(r["DataType"], url, got) for r, url, got in pairs if got not in PLATFORMS[r["DataType"]]]
    assert not wrong, wrong[:10]
    assert {"socrata", "arcgis", "file"} <= set(found) and len(found) > 1000
