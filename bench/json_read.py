#!/usr/bin/env python3
"""JSON lines scan: ember beside DuckDB and Polars on the same file, in the same run.

Generates bench/data/events_<rows>.json if missing (id, price, qty, cat, tags array, pt object),
then times one aggregate over it in each engine with 2 threads, inferring the schema (every engine
its own way: ember reads every record as Spark does, DuckDB and Polars sample) and, for ember and
DuckDB, with the schema given. Prints the best of --runs wall-clock seconds and MB/s (10^6 bytes).
ember runs through `build/ember sql` (process start included, a few ms).

    .venv/bin/python bench/json_read.py --rows 1000000 --runs 3
"""
import argparse
import json
import os
import pathlib
import random
import subprocess
import time

import duckdb

os.environ.setdefault("POLARS_MAX_THREADS", "2")  # read when polars is imported
import polars as pl  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
EMBER = pathlib.Path(os.environ.get("EMBER_BUILD_DIR", ROOT / "build")) / "ember"
QUERY = "SELECT cat, count(*), sum(qty), round(sum(price), 2) FROM {src} GROUP BY cat ORDER BY cat"


def generate(path, rows):
    rng = random.Random(1)
    with open(path, "w") as f:
        for i in range(rows):
            f.write(json.dumps({"id": i, "price": round(rng.random() * 1000, 2), "qty": rng.randint(1, 50),
                                "cat": rng.choice("abcd"), "tags": [rng.randint(0, 9) for _ in range(3)],
                                "pt": {"x": i % 100, "y": f"s{i % 7}"}}) + "\n")


def best(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def ember(path, schema):
    view = f"CREATE TEMPORARY VIEW v {schema} USING json OPTIONS (path '{path}')"
    out = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--mode", "csv", "-e",
                          f"{view}; {QUERY.format(src='v')};"], capture_output=True, text=True, check=True)
    return [line.split(",") for line in out.stdout.splitlines()[1:]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    data = ROOT / "bench" / "data"
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"events_{args.rows}.json"
    if not path.exists():
        generate(path, args.rows)
    mb = path.stat().st_size / 1e6
    con = duckdb.connect()
    con.execute("SET threads = 2")
    duck_schema = "{'id': 'BIGINT', 'price': 'DOUBLE', 'qty': 'BIGINT', 'cat': 'VARCHAR'}"
    cases = [
        ("ember, inferred schema", lambda: ember(path, "")),
        ("ember, given schema", lambda: ember(path, "(id BIGINT, price DOUBLE, qty BIGINT, cat STRING)")),
        ("DuckDB, inferred schema", lambda: con.sql(QUERY.format(src=f"read_ndjson_auto('{path}')")).fetchall()),
        ("DuckDB, given schema",
         lambda: con.sql(QUERY.format(src=f"read_ndjson('{path}', columns = {duck_schema})")).fetchall()),
        ("Polars, scan_ndjson", lambda: pl.scan_ndjson(path).group_by("cat").agg(
            pl.len(), pl.col("qty").sum(), pl.col("price").sum().round(2)).sort("cat").collect()),
    ]
    print(f"file: {path.name}, {mb:.0f} MB, {args.rows} rows; best of {args.runs}")
    for name, fn in cases:
        seconds, _ = best(fn, args.runs)
        print(f"{name:28s} {seconds:6.2f} s  {mb / seconds:7.0f} MB/s")


if __name__ == "__main__":
    main()
