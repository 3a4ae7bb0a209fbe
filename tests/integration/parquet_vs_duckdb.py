"""Runs one query over one Parquet file (or directory) in ember and in DuckDB, each answer as a
sorted list of row tuples passed through the caller's `canon` (how values compare in that test)."""
import json
import os
import pathlib
import subprocess

import duckdb

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBER = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "ember"


def run_ember(path, query, names, canon, conf=()):
    """ember over view `t` of `path`; rows as JSON lines (Spark's toJSON leaves null fields out, so an
    empty string and a null differ), read back by the column `names` DuckDB reported."""
    view = f"CREATE TEMPORARY VIEW t USING parquet OPTIONS (path '{path}');\n"
    confs = [arg for kv in conf for arg in ("--conf", kv)]
    result = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--mode", "json", *confs,
                             "-e", view + query], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return sorted(tuple(canon(r.get(n)) for n in names) for r in rows)


def run_duckdb(path, query, canon):
    """DuckDB over view `t` of `path` (a glob for a directory); returns (column names, rows)."""
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{path}')")
    cur = con.execute(query)
    names = [d[0] for d in cur.description]
    return names, sorted(tuple(canon(v) for v in row) for row in cur.fetchall())
