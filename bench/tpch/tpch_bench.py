"""TPC-H on ember beside DuckDB, Polars and Spark: same Parquet files, same query text, same run.

Each engine runs each query `--runs` times and keeps the fastest. DuckDB and Polars run in this
process (Polars through its SQL context over lazy Parquet scans); ember runs `ember sql --timer`
once per query with the views and the query repeated, and its own per-statement times are read
back, so process start-up and view creation are not counted for any engine. Spark (PySpark in
local[threads] mode, on the machine's Java; `--engines ...,spark`) keeps one session for the whole
run, its views over the same files created once, and each query is timed as `spark.sql(q).collect()`
in this process, so JVM start-up is not counted either (the first runs do warm its JIT: with
`--runs 1` Spark pays for that). ember's and Spark's answers are compared value by value with
DuckDB's (rules in answers.py); a difference is printed on the line.
"""
import argparse
import csv
import datetime
import decimal
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
        frame = ctx.execute(text.rstrip().rstrip(";"), eager=True)
        best = min(best, time.perf_counter() - t0)
    # Converted after the clock stops, as Spark's rows are, so the answer check costs no time.
    rows = (frame.columns, [[spark_text(v) for v in r] for r in frame.rows()])
    return best, rows


def spark_available():
    import importlib.util
    import shutil
    return (shutil.which("java") is not None or "JAVA_HOME" in os.environ) and \
        importlib.util.find_spec("pyspark") is not None


def start_spark(data, threads):
    from pyspark.sql import SparkSession
    # Spark's defaults (adaptive execution on, 200 shuffle partitions that AQE coalesces) except
    # the UI, and a driver heap large enough for SF1-SF10 on one machine.
    spark = (SparkSession.builder.master(f"local[{threads}]").appName("tpch")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "6g"))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    for t in TABLES:
        spark.read.parquet(f"{data}/{t}.parquet").createOrReplaceTempView(t)
    return spark


def spark_text(value):
    """A value Spark returned, as `ember sql --mode csv` would print it (what answers.py reads)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def time_spark(spark, text, runs):
    best, rows = math.inf, None
    query = text.rstrip().rstrip(";")
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            df = spark.sql(query)
            rows = df.collect()
            best = min(best, time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - the error is printed on the query's line
        return None, str(e).strip().splitlines()[0][:100]
    return best, (df.columns, [[spark_text(v) for v in r] for r in rows])


TIME_TAKEN = re.compile(r"Time taken: ([0-9.]+) seconds(?:, Fetched (\d+) row)?")


def time_ember(data, text, runs, threads, conf=()):
    views = "".join(f"CREATE TEMPORARY VIEW {t} USING parquet OPTIONS (path '{data}/{t}.parquet');\n"
                    for t in TABLES)
    query = text.rstrip().rstrip(";") + ";\n"
    confs = [arg for kv in conf for arg in ("--conf", kv)]
    result = subprocess.run([str(EMBER), "sql", "--master", f"local[{threads}]", "--timer", "--mode", "csv", *confs,
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
    ap.add_argument("--engines", default=None,
                    help="comma-separated from ember, duckdb, polars, spark (default: all four, spark only "
                         "where Java and pyspark are present)")
    ap.add_argument("--queries", default="", help="comma-separated, e.g. q01,q06 (default: all 22)")
    ap.add_argument("--data", default=str(ROOT / "bench" / "data"))
    ap.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                    help="an ember session setting (repeatable), e.g. spark.sql.adaptive.enabled=false")
    ap.add_argument("--baseline-conf", action="append", default=[], metavar="KEY=VALUE",
                    help="run ember a second time with these settings (repeatable) as the 'before' column "
                         "ember0, so before and after are measured in the same run with the same binary")
    args = ap.parse_args()
    engines = args.engines.split(",") if args.engines else ["ember", "duckdb", "polars"] + (
        ["spark"] if spark_available() else [])
    unknown = set(engines) - {"ember", "duckdb", "polars", "spark"}
    if unknown:
        ap.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    wanted = set(args.queries.split(",")) if args.queries else None
    if "polars" in engines:
        os.environ.setdefault("POLARS_MAX_THREADS", str(args.threads))
    data = generate(args.scale, pathlib.Path(args.data))
    spark = start_spark(data, args.threads) if "spark" in engines else None
    if args.baseline_conf and "ember" in engines:
        engines.insert(engines.index("ember"), "ember0")
    peers = [p for p in ("ember0", "duckdb", "polars", "spark") if p in engines]
    cmd = " ".join(["bench/tpch/run", *sys.argv[1:]])
    print(f"TPC-H SF{args.scale}, {args.threads} threads, best of {args.runs}; reproduce: {cmd}")
    print(f"{'query':6} " + " ".join(f"{e + ' s':>10}" for e in engines) + "".join(f" {'ember/' + p:>13}" for p in peers))
    ratios = {p: [] for p in peers}
    baseline_ratios = {p: [] for p in peers if p != "ember0"}  # ember0 / peer
    ember_times = []
    for q in QUERIES:
        if wanted and q.stem not in wanted:
            continue
        text = q.read_text()
        res = {}
        # ember first: the JVM keeps compiling in the background for a while after Spark's runs,
        # which would slow whatever is timed right after them.
        if "ember" in engines:
            res["ember"] = time_ember(data, text, args.runs, args.threads, args.conf)
        if "ember0" in engines:
            res["ember0"] = time_ember(data, text, args.runs, args.threads, args.conf + args.baseline_conf)
        if "duckdb" in engines:
            res["duckdb"] = time_duckdb(data, text, args.runs, args.threads)
        if "polars" in engines:
            res["polars"] = time_polars(data, text, args.runs)
        if "spark" in engines:
            res["spark"] = time_spark(spark, text, args.runs)
        if "ember0" in engines:
            for peer in baseline_ratios:
                if res["ember0"][0] is not None and res[peer][0] is not None:
                    baseline_ratios[peer].append(res["ember0"][0] / res[peer][0])
        cells = []
        for e in engines:
            t, _ = res[e]
            cells.append(f"{t:10.3f}" if t is not None else f"{'error':>10}")
        line = f"{q.stem:6} " + " ".join(cells)
        ember_t, ember_rows = res.get("ember", (None, None))
        if ember_t is not None:
            ember_times.append(ember_t)
        for peer in peers:
            if ember_t is not None and res[peer][0] is not None:
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
        # A peer's time means something only when its answer is right: check it as ember's is.
        for peer in ("ember0", "polars", "spark"):
            if peer not in res or "duckdb" not in res:
                continue
            peer_t, peer_rows = res[peer]
            if peer_t is None:
                line += f"   {peer}: {peer_rows}"
            else:
                difference = first_difference(peer_rows[0], peer_rows[1], res["duckdb"][1])
                line += "" if difference is None else f"   {peer.upper()} DIFFERS: {difference}"
        print(line, flush=True)
    if ember_times:
        geo = math.exp(sum(math.log(max(t, 1e-6)) for t in ember_times) / len(ember_times))
        print(f"ember: total {sum(ember_times):.3f} s, geometric mean {geo:.3f} s over {len(ember_times)} queries")
    for peer, rs in ratios.items():
        if rs:
            geo = math.exp(sum(math.log(r) for r in rs) / len(rs))
            print(f"geometric mean ember/{peer} over {len(rs)} queries: {geo:.2f}"
                  + (f" (slowest relative to Spark: {max(rs):.2f})" if peer == "spark" else ""))
    for peer, rs in baseline_ratios.items():
        if rs:
            geo = math.exp(sum(math.log(r) for r in rs) / len(rs))
            print(f"geometric mean ember0/{peer} over {len(rs)} queries: {geo:.2f} (ember0: {' '.join(args.baseline_conf)})")
    if spark is not None:
        spark.stop()


if __name__ == "__main__":
    main()
