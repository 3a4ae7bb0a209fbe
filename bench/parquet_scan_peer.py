#!/usr/bin/env python3
"""Parquet scan and write beside DuckDB and Polars, in one run over one lineitem file.

Runs build/parquet_scan (ember) and the same three tasks in DuckDB and Polars, 2 threads each,
best of --runs, and prints one line per (engine, task) plus a table of ember / peer time ratios
(below 1.00: ember is faster):

  parquet_q1     TPC-H Q1's scan and aggregation (bench/parquet_scan.cpp has the text)
  parquet_q6     TPC-H Q6's selective scan
  parquet_write  read the file and write it back as SNAPPY Parquet

    ./build/ember gen tpch --scale 1 --out /tmp/tpch-sf1
    .venv/bin/python bench/parquet_scan_peer.py --file /tmp/tpch-sf1/lineitem.parquet --runs 3
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

Q1 = """select l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice),
  sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)),
  avg(l_quantity), avg(l_extendedprice), avg(l_discount), count(*) from lineitem
  where l_shipdate <= date '1998-09-02' group by l_returnflag, l_linestatus
  order by l_returnflag, l_linestatus"""
Q6 = """select sum(l_extendedprice * l_discount) from lineitem where l_shipdate >= date '1994-01-01'
  and l_shipdate < date '1995-01-01' and l_discount between 0.05 and 0.07 and l_quantity < 24"""


def best_of(runs, fn):
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def run_duckdb(path, runs, out_dir):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"CREATE VIEW lineitem AS SELECT * FROM read_parquet('{path}')")
    res = {}
    for task, text in (("parquet_q1", Q1), ("parquet_q6", Q6)):
        res[task], answer = best_of(runs, lambda: con.execute(text).fetchall())
        print(f"peer=duckdb task={task} seconds={res[task]:.4f} answer={answer[-1]}")
    target = os.path.join(out_dir, "duckdb.parquet")
    res["parquet_write"], _ = best_of(
        runs, lambda: con.execute(f"COPY (SELECT * FROM lineitem) TO '{target}' (FORMAT parquet, COMPRESSION snappy)"))
    print(f"peer=duckdb task=parquet_write seconds={res['parquet_write']:.4f}")
    return res


def run_polars(path, runs, out_dir):
    os.environ.setdefault("POLARS_MAX_THREADS", "2")
    import polars as pl
    ctx = pl.SQLContext(lineitem=pl.scan_parquet(path))
    res = {}
    for task, text in (("parquet_q1", Q1), ("parquet_q6", Q6)):
        res[task], answer = best_of(runs, lambda: ctx.execute(text).collect())
        print(f"peer=polars task={task} seconds={res[task]:.4f} answer={answer.rows()[-1]}")
    target = os.path.join(out_dir, "polars.parquet")
    res["parquet_write"], _ = best_of(
        runs, lambda: pl.scan_parquet(path).sink_parquet(target, compression="snappy"))
    print(f"peer=polars task=parquet_write seconds={res['parquet_write']:.4f}")
    return res


def run_ember(path, runs, out_dir):
    exe = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "parquet_scan"
    out = subprocess.run([str(exe), path, str(runs), os.path.join(out_dir, "ember")], check=True,
                         capture_output=True, text=True).stdout
    print(out, end="")
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"task=(\S+) seconds=(\S+)", out)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", required=True)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    out_dir = tempfile.mkdtemp(prefix="parquet_scan_bench_")
    try:
        ember = run_ember(args.file, args.runs, out_dir)
        duck = run_duckdb(args.file, args.runs, out_dir)
        polars = run_polars(args.file, args.runs, out_dir)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    print("\n| task | ember s | DuckDB s | Polars s | ember/DuckDB | ember/Polars |")
    print("|---|---|---|---|---|---|")
    for task in ("parquet_q1", "parquet_q6", "parquet_write"):
        e, d, p = ember.get(task), duck.get(task), polars.get(task)
        print(f"| {task} | {e:.3f} | {d:.3f} | {p:.3f} | {e / d:.2f} | {e / p:.2f} |")


if __name__ == "__main__":
    main()
