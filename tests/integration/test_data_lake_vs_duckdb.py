"""Workshop Exercise 3 (the Parquet data lake), checked with DuckDB and pyarrow as readers.

Runs build/exercise3_data_lake in a scratch directory: it generates data/sales.csv, writes
out/sales_lake as Parquet partitioned by year and region, and reads it back with a partition
filter. DuckDB then reads ember's dataset with hive partitioning and must find the same rows as
its own cleaning of the CSV; pyarrow must read every part file with ember's types.
"""
import os
import pathlib
import subprocess

import duckdb
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "exercise3_data_lake"


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build first (./dev.sh test builds it)")
    work = tmp_path_factory.mktemp("data_lake")
    result = subprocess.run([str(BINARY)], cwd=work, env=dict(os.environ, TERM="dumb"), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return work, result.stdout


def test_layout_and_pruning_in_explain(lake):
    work, stdout = lake
    out = work / "out" / "sales_lake"
    assert (out / "_SUCCESS").exists()
    years = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert years == ["year=2022", "year=2023", "year=2024"]
    regions = sorted(p.name for p in (out / "year=2024").iterdir())
    assert regions == ["region=CENTRAL", "region=EAST", "region=NORTH", "region=SOUTH", "region=WEST"]
    assert all(f.name.endswith(".snappy.parquet") for f in out.rglob("part-*"))
    assert "PartitionFilters: [(year" in stdout
    assert "SelectedFiles: 1 of 15" in stdout


def test_duckdb_reads_the_lake_with_the_same_rows(lake):
    work, _ = lake
    con = duckdb.connect()
    cleaned = f"""
        SELECT order_id, upper(trim(region)) AS region, year(order_date) AS year, amount
        FROM read_csv('{work}/data/sales.csv', header=true)
        WHERE amount IS NOT NULL AND amount > 0 AND region IS NOT NULL
    """
    lake_rows = f"""
        SELECT order_id, region, CAST(year AS INTEGER), amount
        FROM read_parquet('{work}/out/sales_lake/*/*/*.parquet', hive_partitioning=true)
    """
    missing = con.execute(f"SELECT count(*) FROM (({cleaned}) EXCEPT ALL ({lake_rows}))").fetchone()[0]
    extra = con.execute(f"SELECT count(*) FROM (({lake_rows}) EXCEPT ALL ({cleaned}))").fetchone()[0]
    total = con.execute(f"SELECT count(*) FROM ({lake_rows})").fetchone()[0]
    assert total > 0
    assert (missing, extra) == (0, 0)


def test_pyarrow_reads_every_part_file_with_embers_types(lake):
    work, _ = lake
    files = sorted((work / "out" / "sales_lake").rglob("*.parquet"))
    assert files
    for f in files:
        pf = pq.ParquetFile(f)  # the file alone: no partition columns from the path
        table = pf.read()
        assert table.num_rows == pf.metadata.num_rows > 0
        types = {field.name: str(field.type) for field in pf.schema_arrow}
        assert types["order_id"] == "int32"
        assert types["amount"] == "double"
        assert types["order_date"] == "date32[day]"
        assert "year" not in types and "region" not in types  # partition columns live in the path
        meta = pq.ParquetFile(f).metadata.metadata
        assert b"org.apache.spark.sql.parquet.row.metadata" in meta
