"""The 22 TPC-H queries on ember give DuckDB's answers on the same data (scale factor 0.1).

`ember gen tpch` writes the tables as Parquet; each query in bench/tpch/queries runs through
`ember sql --mode csv` over temporary views of those files, and through DuckDB over the same files.

The comparison rules are in bench/tpch/answers.py (shared with bench/tpch/run).
"""
import csv
import io
import os
import pathlib
import subprocess
import sys

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "tpch"))
from answers import first_difference  # noqa: E402

EMBER = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "ember"
QUERIES = sorted((ROOT / "bench" / "tpch" / "queries").glob("q*.sql"))
TABLES = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]
SCALE = "0.1"


@pytest.fixture(scope="module")
def tpch_dir(tmp_path_factory):
    if not EMBER.exists():
        pytest.fail(f"{EMBER} is missing: build first (./dev.sh test builds it)")
    out = tmp_path_factory.mktemp("tpch") / "sf"
    result = subprocess.run([str(EMBER), "gen", "tpch", "--scale", SCALE, "--out", str(out)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def duck(tpch_dir):
    con = duckdb.connect()
    for t in TABLES:
        con.execute(f"create view {t} as select * from read_parquet('{tpch_dir}/{t}.parquet')")
    return con


def run_ember(tpch_dir, query_text):
    views = "".join(f"CREATE TEMPORARY VIEW {t} USING parquet OPTIONS (path '{tpch_dir}/{t}.parquet');\n"
                    for t in TABLES)
    result = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--mode", "csv", "-e", views + query_text],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    return rows[0], rows[1:]


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_query_matches_duckdb(tpch_dir, duck, query):
    text = query.read_text()
    expected = duck.execute(text).fetchall()
    header, rows = run_ember(tpch_dir, text)
    assert len(header) == len(duck.description)
    difference = first_difference(header, rows, expected)
    assert difference is None, f"{query.stem}: {difference}"
