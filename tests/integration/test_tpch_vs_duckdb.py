"""The 22 TPC-H queries on ember give DuckDB's answers on the same data (scale factor 0.1).

`ember gen tpch` writes the tables as Parquet; each query in bench/tpch/queries runs through
`ember sql --mode csv` over temporary views of those files, and through DuckDB over the same files.

Comparison rules (the answers are compared value by value, in order, since every query ends in an
ORDER BY that is total on this data or returns one row):
- integers, strings and dates must be equal;
- two exact decimals must be equal after rounding both to the smaller of their scales (Spark and
  DuckDB choose different result scales for decimal arithmetic, e.g. for avg);
- when one side is a double (DuckDB's avg or division of decimals, Spark's double arithmetic), the
  values must agree within half a unit in the last place of the decimal side, or within a relative
  1e-9 when both are doubles.
"""
import csv
import decimal
import io
import os
import pathlib
import subprocess

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
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


def scale_of(d):
    return max(0, -d.as_tuple().exponent)


def same_value(ember_text, ref):
    if ref is None:
        return ember_text == ""
    if isinstance(ref, bool):
        return ember_text == ("true" if ref else "false")
    if isinstance(ref, int):
        return ember_text == str(ref)
    if isinstance(ref, decimal.Decimal):
        mine = decimal.Decimal(ember_text)
        scale = min(scale_of(mine), scale_of(ref))
        q = decimal.Decimal(1).scaleb(-scale)
        return mine.quantize(q, decimal.ROUND_HALF_UP) == ref.quantize(q, decimal.ROUND_HALF_UP)
    if isinstance(ref, float):
        # Half a unit in ember's last printed place (a decimal result such as avg's scale 6), or a
        # relative 1e-9 (both doubles), whichever is looser.
        mine = decimal.Decimal(ember_text)
        return abs(float(mine) - ref) <= max(0.5 * 10.0 ** -scale_of(mine), 1e-9 * abs(ref))
    return ember_text == str(ref)


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_query_matches_duckdb(tpch_dir, duck, query):
    text = query.read_text()
    expected = duck.execute(text).fetchall()
    header, rows = run_ember(tpch_dir, text)
    assert len(header) == len(duck.description)
    assert len(rows) == len(expected), f"{query.stem}: {len(rows)} rows, DuckDB has {len(expected)}"
    for i, (mine, ref) in enumerate(zip(rows, expected)):
        for j, (a, b) in enumerate(zip(mine, ref)):
            assert same_value(a, b), f"{query.stem} row {i} column {header[j]}: ember {a!r}, DuckDB {b!r}"
