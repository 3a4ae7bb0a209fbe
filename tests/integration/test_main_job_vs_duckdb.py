"""The main job's output, checked against DuckDB computing the same query on the same data.

Runs build/sales_by_region in a scratch directory (it generates data/sales.csv and writes
out/by_region partitioned by year), then reads ember's partitioned CSV output back with DuckDB
(hive partitioning) and compares it row by row with DuckDB's own answer over the input file.
"""
import os
import pathlib
import subprocess

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / "build" / "sales_by_region"


@pytest.fixture(scope="module")
def job_dir(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build first (./dev.sh test builds it)")
    work = tmp_path_factory.mktemp("main_job")
    env = dict(os.environ, TERM="dumb")
    result = subprocess.run([str(BINARY)], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return work, result.stdout


def test_output_layout_is_sparks(job_dir):
    work, _ = job_dir
    out = work / "out" / "by_region"
    assert (out / "_SUCCESS").exists()
    years = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert years == ["year=2022", "year=2023", "year=2024"]
    for year in years:
        parts = list((out / year).glob("part-*.csv"))
        assert parts, f"no part files under {year}"
    leftovers = [p for p in work.rglob("*") if "_temporary" in p.name or "staging" in p.name]
    assert not leftovers, leftovers


def test_written_rows_match_duckdb(job_dir):
    work, _ = job_dir
    con = duckdb.connect()
    expected = con.execute(
        f"""
        SELECT region, year(order_date) AS year, round(sum(amount), 6) AS revenue, count(*) AS orders
        FROM read_csv('{work}/data/sales.csv', header=true)
        WHERE amount > 100
        GROUP BY region, year
        ORDER BY region, year
        """
    ).fetchall()
    got = con.execute(
        f"""
        SELECT region, CAST(year AS INTEGER) AS year, round(revenue, 6), orders
        FROM read_csv('{work}/out/by_region/*/*.csv', header=true, hive_partitioning=true)
        ORDER BY region, year
        """
    ).fetchall()
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g[0] == e[0] and g[1] == e[1] and g[3] == e[3]
        assert g[2] == pytest.approx(e[2], rel=1e-9)


def test_show_prints_sparks_table(job_dir):
    _, stdout = job_dir
    assert "== Physical Plan ==" in stdout
    assert "Exchange hashpartitioning" in stdout
    assert "|region|year|" in stdout.replace(" ", "")
    assert stdout.count("+------") >= 3
