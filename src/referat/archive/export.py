"""The archive's tables as Parquet files (one per table), for pandas, DuckDB or Spark."""

from __future__ import annotations

from pathlib import Path

from referat.archive.schema import TABLES, open_archive

# SQLite declared type -> Arrow type name (booleans are stored as 0/1 integers)
_ARROW_TYPES = {"INTEGER": "int64", "REAL": "float64", "TEXT": "string"}
_BOOLEAN_COLUMNS = {("members", "absent"), ("items", "closed"), ("decisions", "amended")}


def export_parquet(db: str | Path, folder: str | Path) -> list[Path]:
    """Write every plain table of the archive to `folder`/<table>.parquet (the folder is
    made if needed); columns keep their types, an empty table keeps its columns. Returns
    the files written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    conn = open_archive(db)
    written = []
    try:
        for table in TABLES:
            columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
            names = [column["name"] for column in columns]
            rows = conn.execute(f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM {table}").fetchall()
            fields, arrays = [], []
            for position, column in enumerate(columns):
                name = column["name"]
                kind = pa.bool_() if (table, name) in _BOOLEAN_COLUMNS else getattr(
                    pa, _ARROW_TYPES.get(column["type"].upper(), "string"))()
                values = [row[position] for row in rows]
                if kind == pa.bool_():
                    values = [None if v is None else bool(v) for v in values]
                fields.append(pa.field(name, kind))
                arrays.append(pa.array(values, type=kind))
            path = out / f"{table}.parquet"
            pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)
            written.append(path)
    finally:
        conn.close()
    return written
