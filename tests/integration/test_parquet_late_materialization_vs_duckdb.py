"""Filters evaluated inside ember's Parquet scan (late materialisation) give DuckDB's rows.

pyarrow writes one table — nulls in every nullable column, pages of a few hundred rows, several
row groups — with every codec, dictionary encoding on and off, data pages v1 and v2, and the
DELTA / BYTE_STREAM_SPLIT encodings. Each query's filter is taken by the scan (ScanFilters in
explain): the filter columns are decoded first and the other columns only at the surviving rows,
or skipped when no row of a batch survives. Every answer must equal DuckDB's on the same file,
and ember's answer with spark.ember.parquet.lateMaterialization=false (the filter operator
above the scan) must be the same rows. Files ember writes (three codecs) are queried the same way.
"""
import datetime
import decimal
import random
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parquet_vs_duckdb import EMBER, run_duckdb, run_ember

LATE_OFF = ["spark.ember.parquet.lateMaterialization=false"]
NULL = "<null>"
ROWS = 12000


def make_table(seed=5):
    rng = random.Random(seed)
    cols = {"id": [], "k": [], "price": [], "amount": [], "day": [], "tag": [], "flag": []}
    tags = ["AIR", "MAIL", "RAIL", "SHIP", "TRUCK"]  # 'FOB' lies between them and never occurs
    for i in range(ROWS):
        cols["id"].append(i)
        cols["k"].append(None if rng.random() < 0.08 else rng.randint(0, 99))
        cols["price"].append(None if rng.random() < 0.05 else rng.randint(0, 400000) / 8)
        cols["amount"].append(None if rng.random() < 0.03 else decimal.Decimal(rng.randint(0, 99999)) / 100)
        cols["day"].append(datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 1500)))
        cols["tag"].append(None if rng.random() < 0.06 else rng.choice(tags))
        cols["flag"].append(None if rng.random() < 0.04 else rng.random() < 0.5)
    return pa.table({
        "id": pa.array(cols["id"], pa.int64()),
        "k": pa.array(cols["k"], pa.int32()),
        "price": pa.array(cols["price"], pa.float64()),
        "amount": pa.array(cols["amount"], pa.decimal128(15, 2)),
        "day": pa.array(cols["day"], pa.date32()),
        "tag": pa.array(cols["tag"], pa.string()),
        "flag": pa.array(cols["flag"], pa.bool_()),
    })


LAYOUTS = [(codec, dictionary, "1.0") for codec in ["NONE", "SNAPPY", "GZIP", "ZSTD", "LZ4"]
           for dictionary in [True, False]] + [("SNAPPY", True, "2.0"), ("ZSTD", False, "2.0"), ("SNAPPY", "delta", "1.0"),
                                                ("NONE", "delta", "2.0")]


@pytest.fixture(scope="module")
def table():
    if not EMBER.exists():
        pytest.fail(f"{EMBER} is missing: build first (./dev.sh test builds it)")
    return make_table()


def write(table, directory, codec, dictionary, page_version):
    path = directory / f"t_{codec}_{dictionary}_{page_version}.parquet"
    kwargs = dict(compression=codec, row_group_size=5000, data_page_size=2048, data_page_version=page_version,
                  write_page_index=True)
    if dictionary == "delta":
        kwargs.update(use_dictionary=False, store_decimal_as_integer=True,
                      column_encoding={"id": "DELTA_BINARY_PACKED", "k": "DELTA_BINARY_PACKED",
                                       "price": "BYTE_STREAM_SPLIT", "tag": "DELTA_LENGTH_BYTE_ARRAY"})
    else:
        kwargs.update(use_dictionary=dictionary)
    pq.write_table(table, path, **kwargs)
    return path


# (ember SQL, DuckDB SQL or None when the text is the same).
QUERIES = [
    ("SELECT id, price, tag FROM t WHERE k < 5", None),                      # filter column not projected
    ("SELECT id, k, amount FROM t WHERE k = 42", None),                      # and projected
    ("SELECT id, tag FROM t WHERE id >= 4998 AND id <= 5003", None),        # across a row group boundary
    ("SELECT id, price FROM t WHERE tag = 'FOB'", None),                     # nothing
    ("SELECT id, k, price, amount, day, tag, flag FROM t WHERE id >= 0", None),  # everything
    ("SELECT id, amount FROM t WHERE amount BETWEEN 100.00 AND 120.50 AND tag = 'MAIL'", None),
    ("SELECT id, day FROM t WHERE day >= DATE '2021-03-01' AND day < DATE '2021-04-01' AND price < 20000", None),
    ("SELECT id, price FROM t WHERE tag IS NULL OR k IS NULL", None),
    ("SELECT id, flag FROM t WHERE flag = true AND k IN (1, 2, 3, 97)", None),
    ("SELECT id FROM t WHERE NOT (tag = 'AIR') AND price > 49000", None),
    ("SELECT tag, count(*) AS n, sum(k) AS s FROM t WHERE amount < 10.00 GROUP BY tag", None),
    ("SELECT id, price FROM t WHERE k < 50 AND id % 11 = 0", None),            # a conjunct left to the filter
]


def canon(v):
    if v is None:
        return NULL
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (float, decimal.Decimal)):
        return f"{float(v):.6f}"
    return str(v)


@pytest.mark.parametrize("layout", LAYOUTS, ids=[f"{c}-{d}-v{v}" for c, d, v in LAYOUTS])
def test_scan_filters_match_duckdb(tmp_path, table, layout):
    path = write(table, tmp_path, *layout)
    for ember_sql, duck_sql in QUERIES:
        names, expected = run_duckdb(path, duck_sql or ember_sql, canon)
        got = run_ember(path, ember_sql, names, canon)
        assert got == expected, f"{ember_sql}: {len(got)} rows, DuckDB {len(expected)}"


def test_scan_filter_off_gives_the_same_rows(tmp_path, table):
    path = write(table, tmp_path, "SNAPPY", True, "1.0")
    for ember_sql, duck_sql in QUERIES:
        names, expected = run_duckdb(path, duck_sql or ember_sql, canon)
        assert run_ember(path, ember_sql, names, canon, LATE_OFF) == expected, ember_sql


def test_explain_shows_the_filter_in_the_scan(tmp_path, table):
    path = write(table, tmp_path, "SNAPPY", True, "1.0")
    view = f"CREATE TEMPORARY VIEW t USING parquet OPTIONS (path '{path}');\n"
    result = subprocess.run([str(EMBER), "sql", "-e", view + "EXPLAIN SELECT id FROM t WHERE k < 5 AND id % 11 = 0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ScanFilters: [(k#" in result.stdout, result.stdout
    assert "Filter ((id#" in result.stdout, result.stdout


@pytest.mark.parametrize("compression", ["snappy", "zstd", "none"])
def test_ember_written_files_match_duckdb(tmp_path, table, compression):
    # ember writes the table (its own dictionary encoding, pages of 300 rows with the page index),
    # then both engines query ember's files.
    src = write(table, tmp_path, "NONE", True, "1.0")
    out = tmp_path / "ember_out"
    script = (f"CREATE TEMPORARY VIEW src USING parquet OPTIONS (path '{src}');\n"
              f"CREATE TABLE e USING parquet OPTIONS (compression '{compression}', "
              f"'parquet.page.row.count.limit' '300') LOCATION '{out}' AS SELECT * FROM src")
    result = subprocess.run([str(EMBER), "sql", "--warehouse", str(tmp_path / "warehouse"), "-e", script],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.parquet"))
    assert files and pq.ParquetFile(files[0]).metadata.row_group(0).column(0).compression == compression.upper().replace(
        "NONE", "UNCOMPRESSED")
    for ember_sql, duck_sql in QUERIES:
        names, expected = run_duckdb(f"{out}/*.parquet", duck_sql or ember_sql, canon)
        got = run_ember(out, ember_sql, names, canon)
        assert got == expected, f"{ember_sql}: {len(got)} rows, DuckDB {len(expected)}"
