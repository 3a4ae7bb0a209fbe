"""TPC-H on ember beside DuckDB and Polars: same Parquet files, same query text, same run.

Each engine runs each query `--runs` times and keeps the fastest. DuckDB and Polars run in this
process (Polars through its SQL context over lazy Parquet scans); ember runs `ember sql --timer`
once per query with the views and the query repeated, and its own per-statement times are read
back, so process start-up and view creation are not counted for any engine. ember's answer is
compared value by value with DuckDB's (rules in answers.py); a difference is printed on the line.
"""
import argparse
import csv
import io
import math
import os
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBER = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "ember"
QUERIES = sorted((ROOT / "bench" / "tpch" / "queries").glob("q*.sql"))
sys.path.insert(0, str(ROOT / "bench" / "tpch"))
from answers import first_difference  # noqa: E402

TABLES = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]


def generate(scale, data_root):
    out = data_root / f"tpch-sf{scale}"
    if all((out / f"{t}.parquet").exists() for t in TABLES):
        return out
    subprocess.run([str(EMBER), "gen", "tpch", "--scale", scale, "--out", str(out)], check=True)
    return out


def time_duckdb(data, text, runs, threads):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    for t in TABLES:
        con.execute(f"create view {t} as select * from read_parquet('{data}/{t}.parquet')")
    best, rows = math.inf, None
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = con.execute(text).fetchall()
        best = min(best, time.perf_counter() - t0)
    return best, rows


def time_polars(data, text, runs):
    import polars as pl
    ctx = pl.SQLContext()
    for t in TABLES:
        ctx.register(t, pl.scan_parquet(f"{data}/{t}.parquet"))
    best, rows = math.inf, None
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = ctx.execute(text.rstrip().rstrip(";"), eager=True).height
        best = min(best, time.perf_counter() - t0)
    return best, rows


TIME_TAKEN = re.compile(r"Time taken: ([0-9.]+) seconds(?:, Fetched (\d+) row)?")


def time_ember(data, text, runs, threads):
    views = "".join(f"CREATE TEMPORARY VIEW {t} USING parquet OPTIONS (path '{data}/{t}.parquet');\n"
                    for t in TABLES)
    query = text.rstrip().rstrip(";") + ";\n"
    result = subprocess.run([str(EMBER), "sql", "--master", f"local[{threads}]", "--timer", "--mode", "csv",
                             "-e", views + query * runs], capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1][:100] if result.stderr.strip() else "failed"
    times = [m for m in TIME_TAKEN.finditer(result.stderr)][len(TABLES):]
    best = min(float(m.group(1)) for m in times)
    # The output holds one CSV block (header + rows) per run; keep the last.
    fetched = int(times[-1].group(2))
    lines = list(csv.reader(io.StringIO(result.stdout)))
    last = lines[len(lines) - fetched - 1:]
    return best, (last[0], last[1:])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="1")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--engines", default="ember,duckdb,polars")
    ap.add_argument("--queries", default="", help="comma-separated, e.g. q01,q06 (default: all 22)")
    ap.add_argument("--data", default=str(ROOT / "bench" / "data"))
    args = ap.parse_args()
    engines = args.engines.split(",")
    wanted = set(args.queries.split(",")) if args.queries else None
    if "polars" in engines:
        os.environ.setdefault("POLARS_MAX_THREADS", str(args.threads))
    data = generate(args.scale, pathlib.Path(args.data))
    cmd = " ".join(["bench/tpch/run", *sys.argv[1:]])
    print(f"TPC-H SF{args.scale}, {args.threads} threads, best of {args.runs}; reproduce: {cmd}")
    print(f"{'query':6} " + " ".join(f"{e + ' s':>10}" for e in engines) + f" {'ember/duckdb':>13} {'ember/polars':>13}")
    ratios = {"duckdb": [], "polars": []}
    for q in QUERIES:
        if wanted and q.stem not in wanted:
            continue
        text = q.read_text()
        res = {}
        if "duckdb" in engines:
            res["duckdb"] = time_duckdb(data, text, args.runs, args.threads)
        if "polars" in engines:
            res["polars"] = time_polars(data, text, args.runs)
        if "ember" in engines:
            res["ember"] = time_ember(data, text, args.runs, args.threads)
        cells = []
        for e in engines:
            t, _ = res[e]
            cells.append(f"{t:10.3f}" if t is not None else f"{'error':>10}")
        line = f"{q.stem:6} " + " ".join(cells)
        ember_t, ember_rows = res.get("ember", (None, None))
        for peer in ("duckdb", "polars"):
            if ember_t is not None and peer in res:
                r = ember_t / res[peer][0]
                ratios[peer].append(r)
                line += f" {r:13.2f}"
            else:
                line += f" {'-':>13}"
        if ember_t is None and "ember" in res:
            line += f"   ember: {ember_rows}"
        elif "duckdb" in res and ember_t is not None:
            difference = first_difference(ember_rows[0], ember_rows[1], res["duckdb"][1])
            line += "   answer = DuckDB's" if difference is None else f"   WRONG ANSWER: {difference}"
        print(line, flush=True)
    for peer, rs in ratios.items():
        if rs:
            geo = math.exp(sum(math.log(r) for r in rs) / len(rs))
            print(f"geometric mean ember/{peer} over {len(rs)} queries: {geo:.2f}")


if __name__ == "__main__":
    main()
