"""ember and Apache Spark (PySpark from PyPI, local mode on the machine's Java) exchange files.

(a) Spark writes Parquet — every codec it offers (uncompressed, snappy, gzip, zstd, lz4, lz4_raw),
    dictionary on and off, the v2 writer (data page v2 with DELTA encodings), INT96 and
    TIMESTAMP_MILLIS timestamps, decimals of every physical width, dates, binary, booleans, nulls,
    nested arrays/maps/structs, and partition columns (`partitionBy`). ember reads the files
    (build/parquet_tool for the values of each file, `ember sql` for a partitioned directory) and
    must see exactly the rows Spark was given and Spark's types.
(b) ember writes Parquet (build/parquet_tool from-jsonl; `ember sql` CREATE TABLE ... PARTITIONED
    BY for datasets) and CSV/JSON (`ember sql`); Spark reads them and must find the same values and
    the same StructType, partition columns discovered with the right types.

The reference is the Python rows given to Spark (and, for the files Spark writes, what pyarrow says
about their codecs and encodings) — never ember's own output. One SparkSession serves the module;
the data is small so that the dozen or so Spark jobs stay cheap.
"""
import datetime
import decimal
import json
import pathlib
import re
import subprocess

import pyarrow.parquet as pq
import pytest

from spark_local import BUILD, EMBER, local_spark, require_binaries, require_pyspark

pyspark = require_pyspark()
from pyspark.sql import types as T  # noqa: E402

TOOL = BUILD / "parquet_tool"
EPOCH_DATE = datetime.date(1970, 1, 1)
EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
UTC = datetime.timezone.utc
decimal.getcontext().prec = 100


@pytest.fixture(scope="module")
def spark():
    require_binaries(TOOL, EMBER)
    session = local_spark("ember-interop", java_options="-Duser.timezone=UTC -XX:+UseSerialGC",
                          **{"spark.sql.shuffle.partitions": "2", "spark.sql.session.timeZone": "UTC"})
    yield session
    session.stop()


# ---------------------------------------------------------------------------------------------
# driving ember


def run(cmd, *args):
    result = subprocess.run([str(cmd), *map(str, args)], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"{cmd.name} {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result.stdout


def ember_dump(path):
    out = run(TOOL, "dump", path).splitlines()
    return json.loads(out[0]), [json.loads(line) for line in out[1:]]


def ember_sql(warehouse, *statements):
    """Runs statements through `ember sql` (its table catalog in `warehouse`); returns the JSON rows
    of the last result."""
    out = run(EMBER, "sql", "--master", "local[2]", "--warehouse", warehouse, "--mode", "json", "-e",
              "; ".join(statements))
    return [json.loads(line, parse_float=decimal.Decimal) for line in out.splitlines() if line.strip()]


def only_part_file(directory):
    parts = sorted(pathlib.Path(directory).glob("part-*.parquet"))
    assert len(parts) == 1, parts
    return parts[0]


# ---------------------------------------------------------------------------------------------
# the rows, as PySpark takes them (maps as dicts, structs as tuples)

SCHEMA = T.StructType([
    T.StructField("id", T.LongType(), False),
    T.StructField("b", T.BooleanType()),
    T.StructField("i8", T.ByteType()),
    T.StructField("i16", T.ShortType()),
    T.StructField("i32", T.IntegerType()),
    T.StructField("i64", T.LongType()),
    T.StructField("f32", T.FloatType()),
    T.StructField("f64", T.DoubleType()),
    T.StructField("s", T.StringType()),
    T.StructField("bin", T.BinaryType()),
    T.StructField("dt", T.DateType()),
    T.StructField("ts", T.TimestampType()),
    T.StructField("d9", T.DecimalType(9, 2)),
    T.StructField("d18", T.DecimalType(18, 4)),
    T.StructField("d38", T.DecimalType(38, 10)),
    T.StructField("arr", T.ArrayType(T.IntegerType())),
    T.StructField("m", T.MapType(T.StringType(), T.LongType())),
    T.StructField("st", T.StructType([T.StructField("a", T.IntegerType()), T.StructField("b", T.StringType()),
                                      T.StructField("c", T.ArrayType(T.DoubleType()))])),
    T.StructField("items", T.ArrayType(T.StructType([
        T.StructField("p", T.IntegerType()),
        T.StructField("q", T.MapType(T.IntegerType(), T.StringType()))]))),
])

# ember's names for the same types (parquet_tool prints them).
EMBER_TYPES = {
    "id": "bigint", "b": "boolean", "i8": "tinyint", "i16": "smallint", "i32": "int", "i64": "bigint",
    "f32": "float", "f64": "double", "s": "string", "bin": "binary", "dt": "date", "ts": "timestamp",
    "d9": "decimal(9,2)", "d18": "decimal(18,4)", "d38": "decimal(38,10)", "arr": "array<int>",
    "m": "map<string,bigint>", "st": "struct<a:int,b:string,c:array<double>>",
    "items": "array<struct<p:int,q:map<int,string>>>",
}

N = 3000


def make_rows(n=N):
    """Deterministic rows: extremes first, then repeating values (so dictionaries pay off) with a
    different null pattern per column, empty and null collections, nulls inside collections."""
    # Floats are exact in binary32 so that float columns compare exactly after widening.
    floats = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e10, -0.375]
    strings = ["", "a", "héllo ✓", "x" * 300, "tab\tquote\"comma,", "ünïcödé"]
    rows = []
    for i in range(n):
        def null(every, offset=0):
            return (i + offset) % every == 3

        if i < 2:
            i32, i64, i16, i8 = [(2**31 - 1, 2**63 - 1, 32767, 127), (-(2**31), -(2**63), -32768, -128)][i]
        else:
            i32, i64, i16, i8 = ((-1) ** i * (i * 7919 % 100003), i * 1_000_000_007 - 10**12,
                                 (i * 37) % 65536 - 32768, i % 256 - 128)
        if i == 0:
            d9, d18, d38 = decimal.Decimal("9999999.99"), decimal.Decimal("99999999999999.9999"), \
                decimal.Decimal("9" * 28 + "." + "9" * 10)
        elif i == 1:
            d9, d18, d38 = decimal.Decimal("-9999999.99"), decimal.Decimal("-99999999999999.9999"), \
                decimal.Decimal("-" + "9" * 28 + "." + "9" * 10)
        else:
            d9 = decimal.Decimal(i * 31 - 5000).scaleb(-2)
            d18 = decimal.Decimal(i * 987654321 + 1).scaleb(-4)
            d38 = decimal.Decimal(i * 12345678910111213 - 7).scaleb(-10)
        dt = [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)][i] if i < 2 else \
            EPOCH_DATE + datetime.timedelta(days=i * 13 - 20000)
        ts = datetime.datetime(1900, 1, 1, 0, 0, 0, 1, tzinfo=UTC) if i == 0 else \
            datetime.datetime(2024, 2, 29, tzinfo=UTC) + datetime.timedelta(microseconds=i * 123_456_789_123 - 10**15)
        arr = None if null(11) else [None if (i + k) % 5 == 0 else i * k - 50 for k in range(i % 4)]
        m = None if null(13, 1) else {f"k{(i + k) % 9}": (None if k == 2 else i * 10 + k) for k in range(i % 3)}
        st = None if null(17, 2) else (None if i % 5 == 1 else i, strings[i % len(strings)] if i % 6 else None,
                                       [float(i) / 4, None][: i % 3])
        items = None if null(19, 3) else [(i + k, None if k == 1 else {k: f"v{i}", k + 100: None})
                                          for k in range(i % 3)]
        rows.append((
            i,
            None if null(7) else i % 3 == 0,
            None if null(7, 1) else i8,
            None if null(7, 2) else i16,
            None if null(7, 3) else i32,
            None if null(7, 4) else i64,
            None if null(7, 5) else floats[i] if i < len(floats) else (i % 500) * 0.5 - 60,
            None if null(7, 6) else floats[i] if i < len(floats) else i / 8 - 100.125,
            None if null(9) else strings[i] if i < len(strings) else f"value-{i % 97}",
            None if null(9, 1) else (strings[i % len(strings)].encode() + bytes([0, 255, i % 256])),
            None if null(9, 2) else dt,
            None if null(9, 3) else ts,
            None if null(9, 4) else d9,
            None if null(9, 5) else d18,
            None if null(9, 6) else d38,
            arr, m, st, items,
        ))
    return rows


@pytest.fixture(scope="module")
def rows():
    return make_rows()


# ---------------------------------------------------------------------------------------------
# one canonical form for values from Python, from Spark's collect() and from ember's dump


def canon_float(x):
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    return float(x)


def micros(ts):
    if ts.tzinfo is not None:
        return (ts - EPOCH_UTC) // datetime.timedelta(microseconds=1)
    # PySpark's collect() gives naive datetimes in the Python process's local time zone.
    return int(ts.replace(microsecond=0).timestamp()) * 1_000_000 + ts.microsecond


def canon(value, t):
    """A Python value (as given to or collected from Spark) of Spark type t in canonical form:
    dates as days, timestamps as microseconds, decimals as plain strings at their scale, binary
    as hex, maps as key-sorted [key, value] pairs, structs as dicts."""
    if value is None:
        return None
    if isinstance(t, T.MapType):
        items = value.items() if isinstance(value, dict) else value
        return sorted([canon(k, t.keyType), canon(v, t.valueType)] for k, v in items)
    if isinstance(t, T.ArrayType):
        return [canon(v, t.elementType) for v in value]
    if isinstance(t, T.StructType):
        return {f.name: canon(value[i], f.dataType) for i, f in enumerate(t.fields)}
    if isinstance(t, T.DecimalType):
        return format(decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-t.scale)), "f")
    if isinstance(t, T.TimestampType):
        return micros(value)
    if isinstance(t, T.DateType):
        return (value - EPOCH_DATE).days
    if isinstance(t, T.BinaryType):
        return bytes(value).hex()
    if isinstance(t, (T.FloatType, T.DoubleType)):
        return canon_float(value)
    return value


def canon_dump(value, t):
    """A value as parquet_tool dump prints it, in the canonical form (map pairs sorted)."""
    if value is None:
        return None
    if isinstance(t, T.MapType):
        return sorted([canon_dump(k, t.keyType), canon_dump(v, t.valueType)] for k, v in value)
    if isinstance(t, T.ArrayType):
        return [canon_dump(v, t.elementType) for v in value]
    if isinstance(t, T.StructType):
        return {f.name: canon_dump(value[f.name], f.dataType) for f in t.fields}
    if isinstance(t, (T.FloatType, T.DoubleType)):
        return value if isinstance(value, str) else float(value)
    return value


def canon_rows(rows, schema):
    return [[canon(v, f.dataType) for v, f in zip(r, schema.fields)] for r in rows]


def assert_rows_equal(got, want):
    assert len(got) == len(want), f"{len(got)} rows, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"row {i}:\n  got  {g}\n  want {w}"


# ---------------------------------------------------------------------------------------------
# (a) Spark writes, ember reads


@pytest.fixture(scope="module")
def spark_df(spark, rows):
    # Two input partitions coalesced into one output file: file order = input order.
    return spark.createDataFrame(rows, SCHEMA).coalesce(1)


def spark_write(df, path, **options):
    writer = df.write.mode("overwrite")
    for k, v in options.items():
        writer = writer.option(k, v)
    writer.parquet(str(path))
    return only_part_file(path)


def column_chunks(path):
    md = pq.ParquetFile(path).metadata
    return {md.schema.column(i).path: md.row_group(0).column(i) for i in range(md.num_columns)}


def check_ember_reads(path, rows, schema=SCHEMA, ts_unit=1):
    header, got = ember_dump(path)
    assert {f["name"]: f["type"] for f in header["schema"]} == {f.name: EMBER_TYPES[f.name] for f in schema.fields}
    got = [[canon_dump(v, f.dataType) for v, f in zip(r, schema.fields)] for r in got]
    want = canon_rows(rows, schema)
    if ts_unit != 1:  # TIMESTAMP_MILLIS: Spark floors the microseconds to milliseconds
        ts = [f.name for f in schema.fields].index("ts")
        for r in want:
            if r[ts] is not None:
                r[ts] = r[ts] // ts_unit * ts_unit
    assert_rows_equal(got, want)


# How pyarrow names the codec Spark's `compression` option writes: `lz4` is the deprecated
# Hadoop-framed LZ4 (codec 5), which pyarrow's metadata calls UNKNOWN, and `lz4_raw` (codec 7) it
# calls LZ4.
PYARROW_CODEC_NAMES = {"uncompressed": "UNCOMPRESSED", "snappy": "SNAPPY", "gzip": "GZIP", "zstd": "ZSTD",
                       "lz4": "UNKNOWN", "lz4_raw": "LZ4"}


@pytest.mark.parametrize("codec", ["uncompressed", "snappy", "gzip", "zstd", "lz4", "lz4_raw"])
@pytest.mark.parametrize("dictionary", [True, False])
def test_ember_reads_spark_codecs_with_and_without_dictionary(tmp_path, spark_df, rows, codec, dictionary):
    path = spark_write(spark_df, tmp_path / "out", compression=codec,
                       **{"parquet.enable.dictionary": str(dictionary).lower()})
    chunks = column_chunks(path)
    # pyarrow says what Spark wrote: the codec, and dictionary pages or not.
    assert {c.compression for c in chunks.values()} == {PYARROW_CODEC_NAMES[codec]}
    has_dict = {name: c.has_dictionary_page for name, c in chunks.items()}
    assert has_dict["s"] is dictionary and has_dict["m.key_value.key"] is dictionary
    check_ember_reads(path, rows)


@pytest.mark.parametrize("dictionary", [True, False])
def test_ember_reads_spark_v2_pages_and_delta_encodings(tmp_path, spark_df, rows, dictionary):
    # Small pages and row groups, and a small dictionary limit: several row groups, many pages,
    # and chunks that start dictionary-encoded and fall back to plain/delta pages midway.
    path = spark_write(spark_df, tmp_path / "out", compression="zstd",
                       **{"parquet.writer.version": "v2", "parquet.enable.dictionary": str(dictionary).lower(),
                          "parquet.page.size": "2048", "parquet.block.size": "65536",
                          "parquet.dictionary.page.size": "4096"})
    md = pq.ParquetFile(path).metadata
    assert md.num_row_groups > 1
    encodings = {name: set(c.encodings) for name, c in column_chunks(path).items()}
    if dictionary:
        assert "RLE_DICTIONARY" in encodings["s"]
        assert any("RLE_DICTIONARY" in e and "DELTA_BYTE_ARRAY" in e for e in encodings.values())
    else:
        # parquet-mr's v2 writer: DELTA_BINARY_PACKED for integers, DELTA_BYTE_ARRAY for binary.
        assert "DELTA_BINARY_PACKED" in encodings["i32"] and "DELTA_BINARY_PACKED" in encodings["i64"]
        assert "DELTA_BINARY_PACKED" in encodings["arr.list.element"]
        assert "DELTA_BYTE_ARRAY" in encodings["s"] and "DELTA_BYTE_ARRAY" in encodings["bin"]
    check_ember_reads(path, rows)


@pytest.mark.parametrize("output_type, physical, unit", [("INT96", "INT96", 1), ("TIMESTAMP_MILLIS", "INT64", 1000),
                                                         ("TIMESTAMP_MICROS", "INT64", 1)])
def test_ember_reads_spark_timestamp_output_types(tmp_path, spark, spark_df, rows, output_type, physical, unit):
    spark.conf.set("spark.sql.parquet.outputTimestampType", output_type)
    try:
        path = spark_write(spark_df, tmp_path / "out")
    finally:
        spark.conf.unset("spark.sql.parquet.outputTimestampType")
    schema = pq.ParquetFile(path).schema
    ts = next(schema.column(i) for i in range(len(schema)) if schema.column(i).path == "ts")
    assert ts.physical_type == physical
    if output_type == "TIMESTAMP_MILLIS":
        assert "milliseconds" in ts.logical_type.to_json()
    check_ember_reads(path, rows, ts_unit=unit)


def test_ember_reads_spark_decimals_as_integers_or_legacy_fixed(tmp_path, spark, spark_df, rows):
    # Spark's default stores decimals p<=9 as INT32 and p<=18 as INT64; the legacy format writes
    # every decimal as FIXED_LEN_BYTE_ARRAY (and lists with the two-level `bag`/`array` shape).
    default = spark_write(spark_df, tmp_path / "default")
    physical = {c.path: c.physical_type for c in pq.ParquetFile(default).schema}
    assert (physical["d9"], physical["d18"], physical["d38"]) == ("INT32", "INT64", "FIXED_LEN_BYTE_ARRAY")
    spark.conf.set("spark.sql.parquet.writeLegacyFormat", "true")
    try:
        legacy = spark_write(spark_df, tmp_path / "legacy")
    finally:
        spark.conf.unset("spark.sql.parquet.writeLegacyFormat")
    physical = {c.path: c.physical_type for c in pq.ParquetFile(legacy).schema}
    assert (physical["d9"], physical["d18"]) == ("FIXED_LEN_BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY")
    assert "arr.bag.array" in physical  # the legacy two-level list shape
    check_ember_reads(legacy, rows)


# Timestamps, decimals of each width, dates, binary and booleans inside arrays, maps and structs:
# the physical forms Spark chooses (INT96, TIMESTAMP_MILLIS, legacy FIXED_LEN_BYTE_ARRAY decimals
# and two-level lists) must decode the same below a repetition level as at the top.
NESTED_SCHEMA = T.StructType([
    T.StructField("id", T.LongType()),
    T.StructField("tss", T.ArrayType(T.TimestampType())),
    T.StructField("md", T.MapType(T.StringType(), T.DecimalType(38, 10))),
    T.StructField("st", T.StructType([T.StructField("d", T.DateType()), T.StructField("ts", T.TimestampType()),
                                      T.StructField("dec", T.DecimalType(9, 2)),
                                      T.StructField("dec18", T.DecimalType(18, 3))])),
    T.StructField("ab", T.ArrayType(T.BinaryType())),
    T.StructField("mb", T.MapType(T.IntegerType(), T.ArrayType(T.BooleanType()))),
])
NESTED_EMBER_TYPES = {"id": "bigint", "tss": "array<timestamp>", "md": "map<string,decimal(38,10)>",
                      "st": "struct<d:date,ts:timestamp,dec:decimal(9,2),dec18:decimal(18,3)>",
                      "ab": "array<binary>", "mb": "map<int,array<boolean>>"}


def nested_rows(n=500):
    def ts(seconds, micros=0):
        return datetime.datetime(2000, 1, 1, tzinfo=UTC) + datetime.timedelta(seconds=seconds, microseconds=micros)

    return [(i,
             None if i % 7 == 1 else [None if k == 1 else ts(i * 1000 + k, k * 17) for k in range(i % 4)],
             None if i % 5 == 2 else {f"k{k}": decimal.Decimal(i * 1000 + k).scaleb(-10) if k else None
                                      for k in range(i % 3)},
             None if i % 9 == 4 else (datetime.date(1999, 1, 1) + datetime.timedelta(days=i), ts(-(10**9) + i * 46800),
                                      decimal.Decimal(i - 250).scaleb(-2), decimal.Decimal(i * 1000003).scaleb(-3)),
             None if i % 6 == 5 else [None if k == 2 else bytes([i % 256, k]) for k in range(i % 4)],
             None if i % 8 == 3 else {k: None if k == 1 else [True, None, False][: (i + k) % 4] for k in range(i % 3)})
            for i in range(n)]


@pytest.mark.parametrize("conf, options", [
    ({}, {}),
    ({"spark.sql.parquet.outputTimestampType": "INT96"}, {"parquet.writer.version": "v2"}),
    ({"spark.sql.parquet.writeLegacyFormat": "true"}, {"parquet.enable.dictionary": "false"}),
    ({"spark.sql.parquet.outputTimestampType": "TIMESTAMP_MILLIS"},
     {"parquet.writer.version": "v2", "parquet.enable.dictionary": "false"}),
])
def test_ember_reads_spark_nested_timestamps_decimals_and_binary(tmp_path, spark, conf, options):
    rows = nested_rows()
    for k, v in conf.items():
        spark.conf.set(k, v)
    try:
        path = spark_write(spark.createDataFrame(rows, NESTED_SCHEMA).coalesce(1), tmp_path / "out", **options)
    finally:
        for k in conf:
            spark.conf.unset(k)
    header, got = ember_dump(path)
    assert {f["name"]: f["type"] for f in header["schema"]} == NESTED_EMBER_TYPES
    got = [[canon_dump(v, f.dataType) for v, f in zip(r, NESTED_SCHEMA.fields)] for r in got]
    want = canon_rows(rows, NESTED_SCHEMA)
    if "TIMESTAMP_MILLIS" in conf.values():
        def floor_ms(x):
            return None if x is None else x // 1000 * 1000
        for r in want:
            r[1] = None if r[1] is None else [floor_ms(x) for x in r[1]]
            if r[3] is not None:
                r[3]["ts"] = floor_ms(r[3]["ts"])
    assert_rows_equal(got, want)
    # The same file through the engine's scan (tasks over row groups, nested column assembly in the
    # scan operator), checked with aggregates over the nested values.
    agg = ember_sql(tmp_path / "warehouse", f"CREATE TEMP VIEW n USING parquet OPTIONS (path '{path.parent}')",
                    "SELECT count(*) AS n, sum(size(tss)) AS tss, count(st.ts) AS st_ts, sum(st.dec) AS dec, "
                    "sum(st.dec18) AS dec18, sum(size(ab)) AS ab, sum(size(mb)) AS mb, sum(size(md)) AS md FROM n")
    present = [r for r in rows if r[3] is not None]
    assert agg == [{"n": len(rows), "tss": sum(len(r[1]) for r in rows if r[1] is not None), "st_ts": len(present),
                    "dec": sum(r[3][2] for r in present), "dec18": sum(r[3][3] for r in present),
                    "ab": sum(len(r[4]) for r in rows if r[4] is not None),
                    "mb": sum(len(r[5]) for r in rows if r[5] is not None),
                    "md": sum(len(r[2]) for r in rows if r[2] is not None)}]


def test_spark_reads_ember_nested_timestamps_decimals_and_binary(tmp_path, spark):
    rows = nested_rows()
    out = tmp_path / "ember"
    out.mkdir()
    ember_write(out / "part-0.parquet", rows, NESTED_SCHEMA,
                ", ".join(f"{f.name} {NESTED_EMBER_TYPES[f.name]}" for f in NESTED_SCHEMA.fields))
    df = spark.read.parquet(str(out))
    assert df.schema == as_nullable(NESTED_SCHEMA)
    got = canon_rows(sorted(df.collect(), key=lambda r: r["id"]), NESTED_SCHEMA)
    assert_rows_equal(got, canon_rows(rows, NESTED_SCHEMA))


PART_SCHEMA = T.StructType([
    T.StructField("id", T.LongType(), False),
    T.StructField("d9", T.DecimalType(9, 2)),
    T.StructField("pi", T.IntegerType()),
    T.StructField("ps", T.StringType()),
    T.StructField("pd", T.DateType()),
])
# Strings that need escaping in a path (Spark escapes '/', '=', '%', ':' ... as %XX) and a null
# (written as __HIVE_DEFAULT_PARTITION__).
PART_STRINGS = ["plain", "a/b", "x=y", "50%", "sp ace", "é", None]
SPARK_TO_EMBER = {"IntegerType()": "int", "LongType()": "bigint", "StringType()": "string", "DateType()": "date",
                  "DecimalType(9,2)": "decimal(9,2)"}


def partition_rows(n=120):
    return [(i, decimal.Decimal(i * 7 - 300).scaleb(-2), None if i % 10 == 9 else i % 3,
             PART_STRINGS[i % len(PART_STRINGS)], datetime.date(2024, 1, 30) + datetime.timedelta(days=i % 4))
            for i in range(n)]


def test_ember_reads_spark_partitioned_dataset(tmp_path, spark):
    rows = partition_rows()
    out = tmp_path / "lake"
    spark.createDataFrame(rows, PART_SCHEMA).write.partitionBy("pi", "ps", "pd").parquet(str(out))
    dirs = {p.relative_to(out).parts[0] for p in out.rglob("*.parquet")}
    assert "pi=__HIVE_DEFAULT_PARTITION__" in dirs
    assert any("a%2Fb" in str(p) for p in out.rglob("*.parquet"))
    # The types Spark itself discovers for the partition columns (schema inference only: no job).
    spark_types = [(f.name, SPARK_TO_EMBER[repr(f.dataType)]) for f in spark.read.parquet(str(out)).schema.fields]
    view = f"CREATE TEMP VIEW lake USING parquet OPTIONS (path '{out}')"
    ember_types = [(r["col_name"], r["data_type"]) for r in ember_sql(tmp_path / "warehouse", view, "DESCRIBE lake")]
    assert ember_types == spark_types == [("id", "bigint"), ("d9", "decimal(9,2)"), ("pi", "int"), ("ps", "string"),
                                          ("pd", "date")]
    got = ember_sql(tmp_path / "warehouse", view, "SELECT id, d9, pi, ps, CAST(pd AS STRING) AS pd FROM lake ORDER BY id")
    assert [[r.get("id"), format(r["d9"], "f"), r.get("pi"), r.get("ps"), r.get("pd")] for r in got] == \
        [[i, format(d, "f"), pi, ps, pd.isoformat()] for i, d, pi, ps, pd in rows]
    # A partition filter is answered from the directory names.
    count = ember_sql(tmp_path / "warehouse", view, "SELECT count(*) AS n FROM lake WHERE ps = 'a/b' AND pi IS NULL")
    assert count == [{"n": sum(1 for r in rows if r[3] == "a/b" and r[2] is None)}]


# ---------------------------------------------------------------------------------------------
# (b) ember writes, Spark reads

EMBER_DDL = ", ".join(f"{f.name} {EMBER_TYPES[f.name]}" for f in SCHEMA.fields)


def tool_value(value, t):
    """A Python value in parquet_tool from-jsonl's format (structs as field arrays, maps as pairs)."""
    if value is None:
        return None
    if isinstance(t, T.MapType):
        return [[tool_value(k, t.keyType), tool_value(v, t.valueType)] for k, v in value.items()]
    if isinstance(t, T.ArrayType):
        return [tool_value(v, t.elementType) for v in value]
    if isinstance(t, T.StructType):
        return [tool_value(value[i], f.dataType) for i, f in enumerate(t.fields)]
    return canon(value, t)


def ember_write(path, rows, schema, ddl, *flags):
    src = path.with_suffix(".jsonl")
    src.write_text("\n".join(json.dumps([tool_value(v, f.dataType) for v, f in zip(r, schema.fields)],
                                        ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    run(TOOL, "from-jsonl", src, ddl, path, *flags)
    src.unlink()
    return path


def as_nullable(t):
    """Spark's file sources read every column, element and value as nullable."""
    if isinstance(t, T.StructType):
        return T.StructType([T.StructField(f.name, as_nullable(f.dataType), True) for f in t.fields])
    if isinstance(t, T.ArrayType):
        return T.ArrayType(as_nullable(t.elementType), True)
    if isinstance(t, T.MapType):
        return T.MapType(as_nullable(t.keyType), as_nullable(t.valueType), True)
    return t


@pytest.mark.parametrize("flags", [(), ("--compression", "zstd", "--no-dictionary"),
                                   ("--compression", "gzip", "--row-group-rows", "1000", "--page-rows", "100"),
                                   ("--compression", "lz4"), ("--compression", "none")])
def test_spark_reads_ember_parquet_values_and_types(tmp_path, spark, rows, flags):
    out = tmp_path / "ember"
    out.mkdir()
    ember_write(out / "part-0.parquet", rows, SCHEMA, EMBER_DDL, "--required", "id", *flags)
    df = spark.read.parquet(str(out))
    assert df.schema == as_nullable(SCHEMA)
    got = canon_rows(sorted(df.collect(), key=lambda r: r["id"]), SCHEMA)
    assert_rows_equal(got, canon_rows(rows, SCHEMA))


def test_spark_row_reader_reads_ember_parquet(tmp_path, spark, rows):
    # parquet-mr's record reader (Spark's fallback when the vectorized reader is off) assembles
    # rows from the levels itself: a second, stricter reader of ember's nested shredding.
    out = tmp_path / "ember"
    out.mkdir()
    ember_write(out / "part-0.parquet", rows, SCHEMA, EMBER_DDL, "--row-group-rows", "1000", "--page-rows", "64")
    spark.conf.set("spark.sql.parquet.enableVectorizedReader", "false")
    try:
        got = spark.read.parquet(str(out)).collect()
    finally:
        spark.conf.unset("spark.sql.parquet.enableVectorizedReader")
    assert_rows_equal(canon_rows(sorted(got, key=lambda r: r["id"]), SCHEMA), canon_rows(rows, SCHEMA))


def test_spark_reads_ember_partitioned_dataset(tmp_path, spark):
    rows = partition_rows()
    src = ember_write(tmp_path / "src.parquet", rows, PART_SCHEMA,
                      "id BIGINT, d9 DECIMAL(9,2), pi INT, ps STRING, pd DATE")
    out = tmp_path / "lake"
    ember_sql(tmp_path / "warehouse", f"CREATE TABLE lake USING parquet PARTITIONED BY (pi, ps, pd) LOCATION '{out}' "
              f"AS SELECT * FROM parquet.`{src}`")
    assert (out / "_SUCCESS").exists()
    assert (out / "pi=__HIVE_DEFAULT_PARTITION__").is_dir()
    df = spark.read.parquet(str(out))
    # Spark discovers the partition columns from the paths, with the types it infers.
    assert df.schema == as_nullable(PART_SCHEMA)
    got = canon_rows(sorted(df.collect(), key=lambda r: r["id"]), PART_SCHEMA)
    assert_rows_equal(got, canon_rows(rows, PART_SCHEMA))


FLAT = ["id", "b", "i8", "i16", "i32", "i64", "f32", "f64", "s", "dt", "ts", "d9", "d18", "d38"]


@pytest.mark.parametrize("fmt, options", [("csv", "header 'true'"), ("json", "")])
def test_spark_reads_ember_csv_and_json(tmp_path, spark, rows, fmt, options):
    src = ember_write(tmp_path / "src.parquet", rows, SCHEMA, EMBER_DDL)
    out = tmp_path / fmt
    opts = f"OPTIONS ({options}) " if options else ""
    ember_sql(tmp_path / "warehouse", f"CREATE TABLE t USING {fmt} {opts}LOCATION '{out}' "
              f"AS SELECT {', '.join(FLAT)} FROM parquet.`{src}`")
    flat = T.StructType([f for f in SCHEMA.fields if f.name in FLAT])
    reader = spark.read.schema(flat).option("mode", "FAILFAST")
    df = reader.option("header", "true").csv(str(out)) if fmt == "csv" else reader.json(str(out))
    got = canon_rows(sorted(df.collect(), key=lambda r: r["id"]), flat)
    want = canon_rows([[r[SCHEMA.names.index(n)] for n in FLAT] for r in rows], flat)
    s, ts = FLAT.index("s"), FLAT.index("ts")
    for r in want:
        # Spark's default timestampFormat for text output, yyyy-MM-dd'T'HH:mm:ss.SSSXXX, keeps
        # milliseconds (Spark writing these rows would write the same text).
        if r[ts] is not None:
            r[ts] = r[ts] // 1000 * 1000
        # CSV: Spark writes an empty string as "" and reads it back as null (so does ember's file).
        if fmt == "csv" and r[s] == "":
            r[s] = None
    assert_rows_equal(got, want)


# ---------------------------------------------------------------------------------------------
# statistics and page indexes: each engine prunes with the other's, and must lose no row

SORTED_SCHEMA = T.StructType([
    T.StructField("id", T.LongType()),
    T.StructField("k", T.StringType()),
    T.StructField("dt", T.DateType()),
    T.StructField("amount", T.DecimalType(18, 2)),
    T.StructField("ts", T.TimestampType()),
    T.StructField("grp", T.IntegerType()),
])
SORTED_N = 5000


def sorted_rows():
    # Sorted on every column but grp, with nulls sprinkled in: min/max statistics and the page
    # index can rule out most row groups and pages for a range predicate.
    return [(i, None if i % 97 == 5 else f"k{i:06d}", datetime.date(2000, 1, 1) + datetime.timedelta(days=i // 3),
             decimal.Decimal(i * 25 - 40000).scaleb(-2),
             datetime.datetime(2020, 1, 1, tzinfo=UTC) + datetime.timedelta(minutes=i * 7), i * 7919 % 13)
            for i in range(SORTED_N)]


# (Spark SQL predicate, the same test in Python)
PREDICATES = [
    ("id = 1234", lambda r: r[0] == 1234),
    ("id BETWEEN 2000 AND 2100", lambda r: 2000 <= r[0] <= 2100),
    ("id IN (0, 999, 1000, 4999)", lambda r: r[0] in (0, 999, 1000, 4999)),
    ("k = 'k004321'", lambda r: r[1] == "k004321"),
    ("k >= 'k004990'", lambda r: r[1] is not None and r[1] >= "k004990"),
    ("k IS NULL AND id < 1000", lambda r: r[1] is None and r[0] < 1000),
    ("dt < DATE '2000-02-01'", lambda r: r[2] < datetime.date(2000, 2, 1)),
    ("amount > 800.00", lambda r: r[3] > 800),
    ("ts <= TIMESTAMP '2020-01-02 00:00:00'", lambda r: r[4] <= datetime.datetime(2020, 1, 2, tzinfo=UTC)),
    ("grp = 3 AND id > 4500", lambda r: r[5] == 3 and r[0] > 4500),
]


def test_spark_filters_with_embers_statistics_and_page_index(tmp_path, spark):
    rows = sorted_rows()
    out = tmp_path / "sorted"
    out.mkdir()
    ember_write(out / "part-0.parquet", rows, SORTED_SCHEMA,
                "id BIGINT, k STRING, dt DATE, amount DECIMAL(18,2), ts TIMESTAMP, grp INT",
                "--row-group-rows", "1000", "--page-rows", "100")
    md = pq.ParquetFile(out / "part-0.parquet").metadata
    assert md.num_row_groups == 5 and md.row_group(0).column(0).has_column_index
    df = spark.read.parquet(str(out))
    # Spark pushes each filter into parquet-mr, which skips row groups by ember's statistics and
    # pages by ember's column index: a wrong bound would lose rows.
    for predicate, test in PREDICATES:
        assert df.filter(predicate).count() == sum(1 for r in rows if test(r)), predicate


def test_ember_filters_with_sparks_statistics_and_page_index(tmp_path, spark):
    rows = sorted_rows()
    out = tmp_path / "sorted"
    (spark.createDataFrame(rows, SORTED_SCHEMA).coalesce(1).write
     .option("parquet.block.size", "32768").option("parquet.page.size", "1024")
     .option("parquet.page.row.count.limit", "100").parquet(str(out)))
    md = pq.ParquetFile(only_part_file(out)).metadata
    assert md.num_row_groups > 1 and md.row_group(0).column(0).has_column_index
    view = f"CREATE TEMP VIEW sorted USING parquet OPTIONS (path '{out}')"
    union = " UNION ALL ".join(f"SELECT {i} AS p, count(*) AS n FROM sorted WHERE {p}"
                               for i, (p, _) in enumerate(PREDICATES))
    got = {r["p"]: r["n"] for r in ember_sql(tmp_path / "warehouse", view, union)}
    assert got == {i: sum(1 for r in rows if test(r)) for i, (_, test) in enumerate(PREDICATES)}
    # And the pruning happened: Spark's statistics and column index ruled out row groups and pages.
    plan = run(EMBER, "sql", "--master", "local[2]", "--warehouse", tmp_path / "warehouse", "-e",
               f"{view}; EXPLAIN SELECT count(*) FROM sorted WHERE id = 1234")
    selected = re.search(r"SelectedRowGroups: (\d+) of (\d+)", plan)
    assert selected and selected.group(1) == "1" and int(selected.group(2)) == md.num_row_groups, plan
    assert "PageIndexSelectedRows" in plan, plan


def test_ember_merges_spark_schemas_like_spark(tmp_path, spark):
    out = tmp_path / "evolving"
    spark.createDataFrame([(i, i * 10) for i in range(5)], "id long, a int").coalesce(1) \
        .write.parquet(str(out / "k=1"))
    spark.createDataFrame([(i, f"s{i}", i / 2) for i in range(5, 8)], "id long, b string, c double").coalesce(1) \
        .write.parquet(str(out / "k=2"))
    merged = spark.read.option("mergeSchema", "true").parquet(str(out))
    spark_types = [(f.name, f.dataType.simpleString()) for f in merged.schema.fields]
    want = sorted([list(r) for r in merged.collect()])
    view = f"CREATE TEMP VIEW evolving USING parquet OPTIONS (path '{out}', mergeSchema 'true')"
    assert [(r["col_name"], r["data_type"]) for r in ember_sql(tmp_path / "wh", view, "DESCRIBE evolving")] == \
        spark_types == [("id", "bigint"), ("a", "int"), ("b", "string"), ("c", "double"), ("k", "int")]
    got = ember_sql(tmp_path / "wh", view, "SELECT * FROM evolving ORDER BY id")
    assert [[r.get(n) for n, _ in spark_types] for r in got] == want

    # A column whose type differs between files: Spark refuses to merge; ember reads without
    # merging and fails on the file that disagrees with Spark's error class, naming file and column.
    conflict = tmp_path / "conflict"
    spark.createDataFrame([(1, 2)], "id long, a int").write.parquet(str(conflict / "k=1"))
    spark.createDataFrame([(1, "x")], "id long, a string").write.parquet(str(conflict / "k=2"))
    with pytest.raises(Exception, match="(?i)merge"):
        spark.read.option("mergeSchema", "true").parquet(str(conflict)).schema
    result = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--warehouse", str(tmp_path / "wh"), "-e",
                             f"SELECT * FROM parquet.`{conflict}`"], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "PARQUET_COLUMN_DATA_TYPE_MISMATCH" in result.stderr and "Column: [a]" in result.stderr, result.stderr
    assert str(conflict) in result.stderr and ".parquet" in result.stderr, result.stderr
    result = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--warehouse", str(tmp_path / "wh"), "-e",
                             f"CREATE TEMP VIEW c USING parquet OPTIONS (path '{conflict}', mergeSchema 'true'); "
                             "SELECT * FROM c"], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "CANNOT_MERGE_SCHEMAS" in result.stderr and "column 'a' is int" in result.stderr, result.stderr
