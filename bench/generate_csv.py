#!/usr/bin/env python3
"""Writes the mixed-type CSV that the CSV benchmarks read (ember's bench/csv_read and the DuckDB peer).

    .venv/bin/python bench/generate_csv.py                    # ~1 GB -> bench/data/mixed_1gb.csv
    .venv/bin/python bench/generate_csv.py --size-mb 50       # ~50 MB -> bench/data/mixed_50mb.csv
    .venv/bin/python bench/generate_csv.py --rows 1000000 --out /tmp/m.csv

Columns (header line first; NULL is an empty unquoted field, an empty string is ""):
    id BIGINT, customer VARCHAR, region VARCHAR, amount DOUBLE (always 2 decimals), quantity INTEGER,
    order_date DATE (yyyy-MM-dd), flag BOOLEAN (true/false), note VARCHAR (0..69 chars, may hold commas
    and so be quoted)

Every value is derived arithmetically from the row id, so the file is byte-identical on every run and
machine for the same row count (no random()).
"""
import argparse
import os
import sys
import tempfile
import time

import duckdb

DEFAULT_SIZE_MB = 1000  # MB = 10^6 bytes, as in the benchmarks' mb_per_s
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# The explicit schema, shared with duckdb_peer.py (and mirrored by ember's csv_read bench).
COLUMNS = {
    "id": "BIGINT",
    "customer": "VARCHAR",
    "region": "VARCHAR",
    "amount": "DOUBLE",
    "quantity": "INTEGER",
    "order_date": "DATE",
    "flag": "BOOLEAN",
    "note": "VARCHAR",
}

NOTE_TEXT = (
    "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua"
)


def select_sql(rows: int) -> str:
    # Nulls: each nullable column is null on its own residue class, so rows mix 0..n null fields.
    # amount is cast to DECIMAL(12,2) so the text always has two decimals; readers type it DOUBLE.
    return f"""
        SELECT
          id,
          CASE WHEN id % 101 = 7 THEN NULL
               ELSE 'cust_' || lpad(((id * 7919) % 100000)::VARCHAR, 6, '0') END AS customer,
          (['north', 'south', 'east', 'west', 'central'])[1 + (id * 31) % 5] AS region,
          CASE WHEN id % 53 = 11 THEN NULL
               ELSE (((id * 104729) % 1000000) / 100.0 - 2000)::DECIMAL(12, 2) END AS amount,
          CASE WHEN id % 89 = 5 THEN NULL ELSE ((id * 13) % 100 + 1)::INTEGER END AS quantity,
          CASE WHEN id % 97 = 3 THEN NULL
               ELSE DATE '2020-01-01' + ((id * 17) % 1826)::INTEGER END AS order_date,
          CASE WHEN id % 67 = 1 THEN NULL ELSE (id * 11) % 3 = 0 END AS flag,
          CASE WHEN id % 41 = 2 THEN NULL
               ELSE substr('{NOTE_TEXT}', 1 + ((id * 7) % 40)::INTEGER, ((id * 37) % 70)::INTEGER) END AS note
        FROM (SELECT range AS id FROM range({rows}))
    """


def copy_to(con, rows: int, path: str) -> None:
    con.execute(f"COPY ({select_sql(rows)}) TO '{path}' (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"')")


def rows_for_size(con, size_mb: float) -> int:
    """Estimates the row count for a target size from a 200k-row sample (rows have a stable mix)."""
    sample_rows = 200_000
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sample.csv")
        copy_to(con, sample_rows, path)
        bytes_per_row = os.path.getsize(path) / (sample_rows + 1)
    return max(1, int(size_mb * 1e6 / bytes_per_row))


def default_out(args) -> str:
    if args.rows is not None:
        name = f"mixed_{args.rows}rows.csv"
    elif args.size_mb == DEFAULT_SIZE_MB:
        name = "mixed_1gb.csv"
    else:
        name = f"mixed_{args.size_mb:g}mb.csv"
    return os.path.join(DATA_DIR, name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--size-mb", type=float, default=DEFAULT_SIZE_MB, help="target size in MB (10^6 bytes)")
    size.add_argument("--rows", type=int, help="exact number of data rows (overrides --size-mb)")
    ap.add_argument("--out", help="output path (default bench/data/mixed_1gb.csv, or mixed_<N>mb.csv)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2, help="DuckDB threads for writing")
    ap.add_argument("--force", action="store_true", help="rewrite the file even if it exists")
    args = ap.parse_args()

    out = os.path.abspath(args.out or default_out(args))
    if os.path.exists(out) and not args.force:
        print(f"exists: {out} ({os.path.getsize(out) / 1e6:.1f} MB); use --force to rewrite")
        return 0
    os.makedirs(os.path.dirname(out), exist_ok=True)

    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    # Ordered output keeps the file deterministic regardless of thread count.
    con.execute("SET preserve_insertion_order = true")
    t0 = time.perf_counter()
    rows = args.rows if args.rows is not None else rows_for_size(con, args.size_mb)
    tmp = out + ".tmp"
    copy_to(con, rows, tmp)
    os.replace(tmp, out)  # never leave a truncated file under the real name
    secs = time.perf_counter() - t0
    size_mb = os.path.getsize(out) / 1e6
    print(f"wrote {out}: rows={rows} size_mb={size_mb:.1f} seconds={secs:.2f} (duckdb {duckdb.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
