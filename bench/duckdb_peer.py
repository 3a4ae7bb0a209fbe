#!/usr/bin/env python3
"""Runs ember's benchmark tasks in DuckDB and prints one machine-readable line per (task, threads):

    peer=duckdb task=csv_read seconds=S rows=R mb_per_s=M threads=N bytes=B mb_per_s_per_thread=...
    peer=duckdb task=group_by_low seconds=S rows=R rows_per_s=X threads=N groups=G checksum=C

ember's bench programs print the same keys with peer=ember; bench/run_benchmarks.sh pairs the lines
by (task, threads). Every figure is the best (lowest) of --runs timed runs in one connection.

Tasks:
  csv_read       read the whole mixed CSV (bench/generate_csv.py) with the explicit column types and
                 aggregate every column, so every field is parsed and converted; MB = 10^6 bytes.
  group_by_low   SELECT id % 1000 AS k, sum(v) FROM (SELECT id, (id * 7) % 1000 AS v
                 FROM ids) WHERE v > 10 GROUP BY k, where ids = range(50000000) materialised untimed
  group_by_high  the same with id % 10000000 (10M groups)
  The group-by result is consumed inside the engine (count of groups and sum of the sums, printed as
  groups= and checksum=) rather than shipped to Python, which would dominate the high-cardinality
  case. rows= / rows_per_s count input rows (50M).

    .venv/bin/python bench/duckdb_peer.py --csv bench/data/mixed_1gb.csv --threads 1,2
"""
import argparse
import os
import sys
import time

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_csv import COLUMNS  # noqa: E402  (one schema for generator and reader)

TASKS = ("csv_read", "group_by_low", "group_by_high", "join_broadcast", "join_shuffle", "window_row_number")
JOIN_TASKS = ("join_broadcast", "join_shuffle")
GROUP_BY_KEYS = {"group_by_low": 1000, "group_by_high": 10_000_000}


def best_of(runs: int, fn):
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def csv_read_sql(path: str) -> str:
    columns = "{" + ", ".join(f"'{name}': '{typ}'" for name, typ in COLUMNS.items()) + "}"
    source = (
        f"read_csv('{path}', columns = {columns}, header = true, auto_detect = false, delim = ',', "
        f"quote = '\"', escape = '\"', dateformat = '%Y-%m-%d')"
    )
    # One aggregate per column so no column can be pruned; max() on strings materialises them.
    return f"""
        SELECT count(*), sum(id), max(customer), count(region), sum(amount), sum(quantity),
               max(order_date), count_if(flag), max(note), sum(length(note))
        FROM {source}
    """


def group_by_sql(k: int, rows: int) -> str:
    return f"""
        SELECT count(*), sum(s) FROM (
          SELECT id % {k} AS k, sum(v) AS s
          FROM (SELECT id, (id * 7) % 1000 AS v FROM ids)
          WHERE v > 10
          GROUP BY k)
    """


# DuckDB picks its own join strategy (a parallel hash join), so both ember join tasks are compared
# with the same DuckDB figure.
JOIN_SQL = """
    SELECT count(*), sum(n), sum(s) FROM (
      SELECT category, count(*) AS n, sum(amount) AS s
      FROM fact JOIN dim USING (dim_id)
      GROUP BY category)
"""

WINDOW_SQL = """
    SELECT count(*), sum(rn) FROM (
      SELECT row_number() OVER (PARTITION BY id % 1000 ORDER BY id) AS rn FROM w)
"""


def fmt(x: float) -> str:
    return f"{x:.4f}" if x < 100 else f"{x:.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "mixed_1gb.csv"))
    ap.add_argument("--threads", default="1,2", help="comma/space separated thread counts (default 1,2)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per figure; the best is reported")
    ap.add_argument("--tasks", default=",".join(TASKS), help=f"comma separated subset of {','.join(TASKS)}")
    ap.add_argument("--range-rows", type=int, default=50_000_000, help="input rows of the group-by tasks")
    ap.add_argument("--fact-rows", type=int, default=60_000_000, help="fact rows of the join tasks")
    ap.add_argument("--dim-rows", type=int, default=1_500_000, help="dimension rows of the join tasks")
    ap.add_argument("--window-rows", type=int, default=10_000_000, help="rows of the window task")
    args = ap.parse_args()

    threads = [int(t) for t in args.threads.replace(",", " ").split()]
    tasks = [t for t in args.tasks.split(",") if t]
    for t in tasks:
        if t not in TASKS:
            ap.error(f"unknown task {t}")
    if "csv_read" in tasks and not os.path.exists(args.csv):
        ap.error(f"{args.csv} not found (run bench/generate_csv.py)")

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    print(f"# duckdb {duckdb.__version__}, runs={args.runs} (best of), cpus={os.cpu_count()}", flush=True)
    if any(t in JOIN_TASKS for t in tasks):
        con.execute(
            f"CREATE TABLE fact AS SELECT range AS id, (range * 7919) % {args.dim_rows} AS dim_id, range % 100 AS amount "
            f"FROM range({args.fact_rows})"
        )
        con.execute(f"CREATE TABLE dim AS SELECT range AS dim_id, range % 50 AS category FROM range({args.dim_rows})")
    if "window_row_number" in tasks:
        con.execute(f"CREATE TABLE w AS SELECT range AS id FROM range({args.window_rows})")
    if any(t in GROUP_BY_KEYS for t in tasks):
        # DuckDB's range() is a single-threaded source, so the group-by reads a materialised
        # table of ids instead (built once, untimed): the fair, harder peer for a parallel engine.
        con.execute(f"CREATE TABLE ids AS SELECT range AS id FROM range({args.range_rows})")
    for task in tasks:
        for n in threads:
            con.execute(f"SET threads = {n}")
            if task == "csv_read":
                size = os.path.getsize(args.csv)
                sql = csv_read_sql(os.path.abspath(args.csv))
                secs, res = best_of(args.runs, lambda: con.execute(sql).fetchone())
                rows = res[0]
                mbs = size / 1e6 / secs
                print(
                    f"peer=duckdb task={task} seconds={secs:.4f} rows={rows} mb_per_s={fmt(mbs)} threads={n} "
                    f"bytes={size} mb_per_s_per_thread={fmt(mbs / n)}",
                    flush=True,
                )
            elif task in JOIN_TASKS:
                secs, res = best_of(args.runs, lambda: con.execute(JOIN_SQL).fetchone())
                print(
                    f"peer=duckdb task={task} seconds={secs:.4f} rows={args.fact_rows} "
                    f"rows_per_s={args.fact_rows / secs:.0f} threads={n} groups={res[0]} joined={res[1]} checksum={res[2]}",
                    flush=True,
                )
            elif task == "window_row_number":
                secs, res = best_of(args.runs, lambda: con.execute(WINDOW_SQL).fetchone())
                print(
                    f"peer=duckdb task={task} seconds={secs:.4f} rows={res[0]} rows_per_s={args.window_rows / secs:.0f} "
                    f"threads={n} checksum={res[1]}",
                    flush=True,
                )
            else:
                sql = group_by_sql(GROUP_BY_KEYS[task], args.range_rows)
                secs, res = best_of(args.runs, lambda: con.execute(sql).fetchone())
                rows = args.range_rows
                print(
                    f"peer=duckdb task={task} seconds={secs:.4f} rows={rows} rows_per_s={rows / secs:.0f} "
                    f"threads={n} groups={res[0]} checksum={res[1]}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
