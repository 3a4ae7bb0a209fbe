"""`ember gen tpch`: the eight tables with the TPC-H specification's cardinalities.

The expected row counts are the specification's (clause 4.2.5: SF x 10,000 suppliers, 150,000
customers, 200,000 parts, 800,000 partsupp rows, 1,500,000 orders; 25 nations, 5 regions), counted
by pyarrow for Parquet and DuckDB for CSV. lineitem has 1 to 7 lines per order, so its count is
checked against the orders it references.
"""
import os
import pathlib
import subprocess

import duckdb
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBER = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "ember"
SCALE = 0.01
PER_SCALE = {"supplier": 10_000, "customer": 150_000, "part": 200_000, "partsupp": 800_000, "orders": 1_500_000}
FIXED = {"nation": 25, "region": 5}


def generate(tmp_path, fmt):
    if not EMBER.exists():
        pytest.fail(f"{EMBER} is missing: build first (./dev.sh test builds it)")
    out = tmp_path / fmt
    result = subprocess.run([str(EMBER), "gen", "tpch", "--scale", str(SCALE), "--format", fmt, "--out", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def expected_count(table):
    return FIXED.get(table) or round(PER_SCALE[table] * SCALE)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables_have_spec_cardinalities(tmp_path, fmt):
    out = generate(tmp_path, fmt)
    con = duckdb.connect()
    counts = {}
    for table in [*PER_SCALE, *FIXED, "lineitem"]:
        path = out / f"{table}.{fmt}"
        assert path.exists(), f"{path} was not written"
        if fmt == "parquet":
            counts[table] = pq.ParquetFile(path).metadata.num_rows
        else:
            counts[table] = con.execute(f"select count(*) from read_csv('{path}', header=true)").fetchone()[0]
    for table in [*PER_SCALE, *FIXED]:
        assert counts[table] == expected_count(table), table
    assert counts["orders"] <= counts["lineitem"] <= 7 * counts["orders"]


def test_bad_scale_is_a_usage_error(tmp_path):
    result = subprocess.run([str(EMBER), "gen", "tpch", "--scale", "-1", "--out", str(tmp_path)], capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "--scale must be a positive number" in result.stderr


def test_missing_generator_is_named(tmp_path):
    env = dict(os.environ, EMBER_TPCHGEN=str(tmp_path / "no-such-tpchgen"))
    result = subprocess.run([str(EMBER), "gen", "tpch", "--scale", "0.01", "--out", str(tmp_path / "x")], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "cannot run" in result.stderr and "tpchgen-cli" in result.stderr
