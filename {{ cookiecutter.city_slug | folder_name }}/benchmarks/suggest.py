"""How right the mapping suggester is, on every dataset that has a preset (the preset is the truth).

    python benchmarks/suggest.py

For each preset's real fixture it suggests a mapping as for an unknown city (the preset is not used), then
compares with the preset, and prints per dataset and in total:
  columns   standard columns right / wrong / missed / flagged for review (of those the preset maps)
  values    value-map entries right / wrong (raw values both map)
  key       key figures (row count, counts by race and by sex, search, frisk and force rates by race) that come
            out wrong, and of those how many have NO review flag on the column behind them: the goal is 0
  key cols  the key columns (race, sex, searches, frisks, force type) the suggestion got right
The suggested mapping is standardized with the toolkit's own engine, exactly as `map` then `standardize` would,
with the null tokens the suggestion proposes (read: null_values) in place of the preset's.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from safety_toolkit.config import load_config  # noqa: E402
from safety_toolkit.mapping_review import _raw_columns  # noqa: E402
from safety_toolkit.presets import Preset, all_presets  # noqa: E402
from safety_toolkit.schema import get_schema  # noqa: E402
from safety_toolkit.sources import fetch_topic  # noqa: E402
from safety_toolkit.standardize import MappingError, processed_path, standardize_topic  # noqa: E402
from safety_toolkit.store import Store  # noqa: E402
from safety_toolkit.suggest import Suggestion, suggest  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
KEY_COLUMNS = ("subject_race", "subject_sex", "search_conducted", "search_person", "search_vehicle",
               "frisk_performed", "force_type")  # fmt: skip
RATES = ("search_conducted", "search_person", "search_vehicle", "frisk_performed")


@dataclass
class Score:
    name: str
    right: int = 0
    wrong: int = 0
    missed: int = 0
    flagged: int = 0
    values_right: int = 0
    values_wrong: int = 0
    key_wrong: int = 0
    key_unflagged: int = 0
    key_columns: int = 0
    key_right: int = 0
    failure: str = ""
    details: list[str] = field(default_factory=list)


def _standardize(
    folder: Path, preset: Preset, mapping: dict[str, Any] | None, read: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Standardize the preset's fixture with a mapping, or with the preset itself (mapping None). `read` replaces
    the preset's own `read:` (the suggestion's null tokens, with the preset's way of reading the file)."""
    source: dict[str, Any] = {"location": str(FIXTURES / preset.fixture)}
    source.update({"preset": preset.name} if mapping is None else {"mapping": mapping})
    read = preset.source.get("read", {}) if read is None else read
    if read:
        source["read"] = read
    config = {
        "city": "B",
        "state": "MN",
        "timezone": "America/Chicago",
        "topics": {preset.topic: {"sources": [source]}},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "toolkit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    loaded = load_config(folder / "toolkit.yaml")
    store = Store(folder)
    fetch_topic(loaded, preset.topic, store)
    if standardize_topic(loaded, preset.topic, store) is None:
        raise ValueError("nothing was suggested")
    return pd.read_parquet(processed_path(folder, preset.topic))


def key_figures(frame: pd.DataFrame) -> dict[str, Any]:
    """Row count, counts by race and sex, search/frisk rates and force types by race: what reports lead with."""
    figures: dict[str, Any] = {"rows": len(frame)}
    for column in ("subject_race", "subject_sex"):
        if column in frame and frame[column].notna().any():
            figures[column] = frame[column].value_counts().sort_index().to_dict()
    race = frame.get("subject_race")
    for column in RATES:
        if column in frame and frame[column].notna().any() and race is not None:
            figures[column] = frame.groupby(race)[column].mean().round(4).dropna().sort_index().to_dict()
    if "force_type" in frame and frame["force_type"].notna().any():
        figures["force_type"] = frame["force_type"].value_counts().head(10).sort_index().to_dict()
    return figures


def _behind(figure: str) -> tuple[str, ...]:
    """The standard columns a key figure is built on."""
    if figure in RATES:
        return (figure, "subject_race")
    return () if figure == "rows" else (figure,)


def score(preset: Preset, work: Path) -> Score:
    result = Score(preset.name)
    schema = get_schema(preset.topic)
    assert schema is not None
    truth_folder, guess_folder = work / "truth", work / "guess"
    truth = _standardize(truth_folder, preset, None)
    store = Store(truth_folder)
    source = load_config(truth_folder / "toolkit.yaml").sources(preset.topic)[0]
    snap = store.current(preset.topic, source.key, source.location)
    suggestion: Suggestion = suggest(schema, store.path(snap))
    guesses = suggestion.guesses
    for column, spec in preset.mapping.items():
        raw = _raw_columns(spec)
        if not raw or not set(raw) <= set(snap.columns):
            continue  # a constant, a computed value, or a layout preset's column this file lacks
        key = column in KEY_COLUMNS
        result.key_columns += key
        guess = guesses.get(column)
        if guess is None:
            result.missed += 1
            if key:
                result.details.append(f"missed key column {column}: {spec}")
            continue
        result.flagged += guess.flagged
        if _raw_columns(guess.spec)[:1] == raw[:1]:
            result.right += 1
            result.key_right += key
        else:
            result.wrong += 1
            result.details.append(f"{column}: {_raw_columns(guess.spec)} for {raw}")
        truth_values = spec.get("values") if isinstance(spec, dict) else None
        guess_values = guess.spec.get("values") if isinstance(guess.spec, dict) else None
        if truth_values and guess_values:
            for raw_value, standard in guess_values.items():
                if raw_value in truth_values:
                    ok = truth_values[raw_value] == standard
                    result.values_right += ok
                    result.values_wrong += not ok
                    if not ok:
                        result.details.append(
                            f"{column}: {raw_value!r} -> {standard!r}, not {truth_values[raw_value]!r}"
                        )
    mapping = dict(suggestion.mapping)
    try:
        # The file is read as the preset says (sheet, header rows), but missing-value tokens are the suggestion's.
        read = {k: v for k, v in preset.source.get("read", {}).items() if k != "null_values"} | {
            k: v for k, v in suggestion.read.items() if k == "null_values"
        }
        guessed = _standardize(guess_folder, preset, mapping, read)
    except (MappingError, ValueError) as err:
        result.failure = str(err)[:200]
        return result
    real, got = key_figures(truth), key_figures(guessed)
    for figure, value in real.items():
        if figure not in got:
            continue  # not mapped: the report says the column is missing, it shows no number
        if got[figure] != value:
            result.key_wrong += 1
            if not any(guesses[c].flagged for c in _behind(figure) if c in guesses):
                result.key_unflagged += 1
                result.details.append(f"UNFLAGGED key figure {figure}: {got[figure]} vs {value}")
    return result


def main() -> None:
    presets = [p for p in all_presets() if p.fixture and (FIXTURES / p.fixture).exists()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for preset in presets:
            rows.append(score(preset, Path(tmp) / preset.name))
    header = (
        f"{'dataset':38} {'right':>5} {'wrong':>5} {'missed':>6} {'flagged':>7} {'val ok':>6} {'val bad':>7} "
        f"{'key bad':>7} {'unflagged':>9} {'key cols':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        keys = f"{r.key_right}/{r.key_columns}" if r.key_columns else "-"
        note = f"  standardize failed: {r.failure}" if r.failure else ""
        print(
            f"{r.name:38} {r.right:5} {r.wrong:5} {r.missed:6} {r.flagged:7} {r.values_right:6} {r.values_wrong:7} "
            f"{r.key_wrong:7} {r.key_unflagged:9} {keys:>8}{note}"
        )
    total = Score("TOTAL")
    for r in rows:
        for name in ("right", "wrong", "missed", "flagged", "values_right", "values_wrong", "key_wrong",
                     "key_unflagged", "key_columns", "key_right"):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(r, name))
    print("-" * len(header))
    share = f"{total.key_right}/{total.key_columns} ({total.key_right / max(total.key_columns, 1):.0%})"
    print(
        f"{'TOTAL':38} {total.right:5} {total.wrong:5} {total.missed:6} {total.flagged:7} {total.values_right:6} "
        f"{total.values_wrong:7} {total.key_wrong:7} {total.key_unflagged:9} {share:>8}"
    )
    failed = [r.name for r in rows if r.failure]
    print(f"\nSuggested mappings that did not standardize: {', '.join(failed) or 'none'}.")
    if "-v" in sys.argv:
        for r in rows:
            for line in r.details:
                print(f"{r.name}: {line}")


if __name__ == "__main__":
    main()
