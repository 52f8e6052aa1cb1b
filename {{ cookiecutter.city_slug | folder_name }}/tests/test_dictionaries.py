"""The data dictionaries are written from the schemas and show each source's mapping."""

from __future__ import annotations

from safety_toolkit.config import load_config
from safety_toolkit.dictionaries import write_dictionaries
from safety_toolkit.schema import get_schema
from safety_toolkit.topics import TOPICS


def test_every_standard_column_is_documented_with_its_privacy(project):
    config = load_config(project / "toolkit.yaml")
    written = write_dictionaries(config)
    assert sorted(p.stem for p in written) == sorted(TOPICS)
    for path in written:
        text = path.read_text(encoding="utf-8")
        schema = get_schema(path.stem)
        for column in schema.columns:
            assert f"| `{column.name}` |" in text
        for column in (c for c in schema.columns if c.private):
            line = next(row for row in text.splitlines() if row.startswith(f"| `{column.name}` |"))
            assert "private" in line
    stops = (project / "references" / "data_dictionaries" / "police_stops.md").read_text(encoding="utf-8")
    assert "| `subject_race` | column: race, values:" in stops
    assert "asian/pacific islander, black, hispanic, white, other, unknown" in stops


def test_a_mapping_that_folds_labels_says_so_and_where_the_labels_are_kept(project):
    config = load_config(project / "toolkit.yaml")
    write_dictionaries(config)
    stops = (project / "references" / "data_dictionaries" / "police_stops.md").read_text(encoding="utf-8")
    folds = [line for line in stops.splitlines() if "The standardized data keeps the publisher's label" in line]
    assert len(folds) == 2
    assert folds[0].startswith('- "East African" is counted as black together with "Black"')
    assert folds[1].startswith('- "Native American" is counted as other together with "Other"')
    assert all(line.endswith("in `subject_race_source`.") for line in folds)
    # Sex is mapped too, one label to each value: no fold, no sentence.
    assert "subject_sex_source" not in stops
