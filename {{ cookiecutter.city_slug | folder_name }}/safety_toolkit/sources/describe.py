"""What a raw snapshot holds, column by column, for `inspect`: the publisher's type, what the values look
like, blanks, distinct values and the most common ones. DuckDB reads the Parquet file, so big snapshots stay cheap."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..sql import one_row, quote_ident
from ..store import Snapshot, Store


def describe_snapshot(store: Store, snap: Snapshot, examples: int = 3) -> pd.DataFrame:
    con = duckdb.connect()
    path = "'" + store.path(snap).as_posix().replace("'", "''") + "'"  # views take no parameters
    con.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet({path})")
    records = []
    for column in [row[0] for row in con.execute("DESCRIBE raw").fetchall()]:
        ident = quote_ident(column)
        present = f"NULLIF(trim({ident}), '')"
        filled, distinct, numbers, stamps = one_row(
            con,
            f"SELECT count({present}), count(DISTINCT {present}), "
            f"count(TRY_CAST(replace({present}, ',', '') AS DOUBLE)), count(TRY_CAST({present} AS TIMESTAMP)) FROM raw"
        )
        common = con.execute(
            f"SELECT {present} AS v, count(*) AS n FROM raw WHERE {present} IS NOT NULL "
            f"GROUP BY v ORDER BY n DESC, v LIMIT {examples}"
        ).fetchall()
        if not filled:
            looks = "(all blank)"
        elif numbers == filled:
            looks = "number"
        elif stamps == filled:
            looks = "date/time"
        else:
            looks = "text"
        records.append(
            {
                "column": column,
                "type": snap.types.get(column, ""),
                "looks like": looks,
                "blank": snap.rows - int(filled),
                "distinct": int(distinct),
                "most common": ", ".join(f"{str(v)[:30]} ({n:,})" for v, n in common),
            }
        )
    frame = pd.DataFrame(records)
    if records and not any(snap.types.values()):
        frame = frame.drop(columns="type")  # a file says nothing of its column types
    return frame
