"""ember's Parquet reader and writer against independent implementations.

(a) Files written by pyarrow — every codec, dictionary on and off, data page v1 and v2, each
    non-default encoding (DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
    BYTE_STREAM_SPLIT, RLE booleans), INT96 timestamps, many row groups and pages — are read by
    ember (through build/parquet_tool) and compared value by value with pyarrow's own reading.
(b) Files written by ember are read by pyarrow and DuckDB, which must see the same values, the
    types Spark writes, ember's statistics and the Spark schema metadata.

The tool is looked up in $EMBER_BUILD_DIR (default build/).
"""
import datetime
import decimal
import json
import math
import os
import pathlib
import subprocess
import uuid

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("EMBER_BUILD_DIR", ROOT / "build"))
TOOL = BUILD / "parquet_tool"
EPOCH_DATE = datetime.date(1970, 1, 1)
# Decimal arithmetic exact up to 38 digits and beyond (the default context rounds at 28).
decimal.getcontext().prec = 100


@pytest.fixture(scope="module", autouse=True)
def tool_exists():
    if not TOOL.exists():
        pytest.fail(f"{TOOL} is missing: build the parquet_tool target first (./dev.sh test builds it)")


def run_tool(*args, check=True):
    result = subprocess.run([str(TOOL), *map(str, args)], capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"parquet_tool {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result


def ember_dump(path, *flags):
    out = run_tool("dump", path, *flags).stdout.splitlines()
    header = json.loads(out[0])
    return header, [json.loads(line) for line in out[1:]]


def ember_meta(path):
    return json.loads(run_tool("meta", path).stdout)


# ---------------------------------------------------------------------------------------------
# canonical values: the form parquet_tool prints (see tools/parquet_tool/main.cpp)


def canon_float(x):
    if x is None:
        return None
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def canon_column(col):
    """A pyarrow (chunked) array as the list of values parquet_tool would print for it."""
    t = col.type
    if pa.types.is_timestamp(t):
        ints = col.cast(pa.int64()).to_pylist()
        scale = {"s": 1_000_000, "ms": 1000, "us": 1}.get(t.unit)
        if scale is None:  # ns: ember truncates toward negative infinity
            return [None if v is None else v // 1000 for v in ints]
        return [None if v is None else v * scale for v in ints]
    if pa.types.is_date32(t):
        return col.cast(pa.int32()).to_pylist()
    if pa.types.is_decimal(t):
        return [None if v is None else format(v, "f") for v in col.to_pylist()]
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return [None if v is None else v.hex() for v in col.to_pylist()]
    if pa.types.is_floating(t):
        return [canon_float(v) for v in col.to_pylist()]
    if pa.types.is_uint64(t):
        return [None if v is None else str(v) for v in col.to_pylist()]
    if pa.types.is_null(t):
        return [None] * len(col)
    return col.to_pylist()


def canon_uuid_column(col):
    storage = pa.chunked_array([c.storage for c in col.chunks]) if isinstance(col, pa.ChunkedArray) else col.storage
    return [None if v is None else str(uuid.UUID(bytes=v)) for v in storage.to_pylist()]


def table_rows(table):
    cols = []
    for name in table.column_names:
        col = table.column(name)
        if isinstance(col.type, pa.ExtensionType):
            cols.append(canon_uuid_column(col))
        else:
            cols.append(canon_column(col))
    return [list(r) for r in zip(*cols)] if cols else []


def assert_rows_equal(got, want):
    assert len(got) == len(want), f"{len(got)} rows, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"row {i}: ember {g} != reference {w}"


# ---------------------------------------------------------------------------------------------
# (a) pyarrow writes, ember reads

N = 2500


def reference_table(n=N):
    """Every type pyarrow writes that Spark (and ember) read, with nulls, empty strings, extremes."""
    def with_nulls(values, every=7, offset=0):
        return [None if (i + offset) % every == 3 else v for i, v in enumerate(values)]

    ints = [(-1) ** i * (i * 7919 % 100003) for i in range(n)]
    big = [2**63 - 1, -(2**63), 0] + [i * 1_000_000_007 for i in range(n - 3)]
    strings = ["", "a", "héllo ✓", "x" * 300] + [f"value-{i % 97}" for i in range(n - 4)]
    floats = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1.5e-300] + [i / 7 for i in range(n - 6)]
    dec = [decimal.Decimal(i * 31 - 5000).scaleb(-2) for i in range(n)]
    dec38 = [decimal.Decimal("9" * 38).scaleb(-10), decimal.Decimal("-" + "9" * 38).scaleb(-10)] + [
        decimal.Decimal(i * 1234567891011).scaleb(-10) for i in range(n - 2)]
    dates = [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)] + [
        EPOCH_DATE + datetime.timedelta(days=i * 13 - 10000) for i in range(n - 2)]
    ts = [datetime.datetime(1900, 1, 1, tzinfo=datetime.timezone.utc)] + [
        datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=i * 123456789)
        for i in range(n - 1)]
    return pa.table({
        "b": pa.array(with_nulls([i % 3 == 0 for i in range(n)]), pa.bool_()),
        "i8": pa.array(with_nulls([(i % 256) - 128 for i in range(n)]), pa.int8()),
        "i16": pa.array(with_nulls([(i * 37 % 65536) - 32768 for i in range(n)]), pa.int16()),
        "i32": pa.array(with_nulls(ints, offset=1), pa.int32()),
        "i64": pa.array(with_nulls(big, offset=2), pa.int64()),
        "u8": pa.array(with_nulls([i % 256 for i in range(n)]), pa.uint8()),
        "u16": pa.array(with_nulls([i * 31 % 65536 for i in range(n)]), pa.uint16()),
        "u32": pa.array(with_nulls([(i * 2654435761) % 2**32 for i in range(n)]), pa.uint32()),
        "u64": pa.array(with_nulls([2**64 - 1 - i for i in range(n)]), pa.uint64()),
        "f32": pa.array(with_nulls(floats, offset=3), pa.float32()),
        "f64": pa.array(with_nulls(floats, offset=4), pa.float64()),
        "s": pa.array(with_nulls(strings, offset=5), pa.string()),
        "bin": pa.array(with_nulls([s.encode() + b"\x00\xff" for s in strings], offset=6), pa.binary()),
        "fixed": pa.array(with_nulls([bytes([i % 256, 0, 255, 7, i // 256 % 256]) for i in range(n)]),
                          pa.binary(5)),
        "dt": pa.array(with_nulls(dates), pa.date32()),
        "ts_ms": pa.array(with_nulls(ts), pa.timestamp("ms", tz="UTC")),
        "ts_us": pa.array(with_nulls(ts, offset=1), pa.timestamp("us", tz="UTC")),
        "ts_ns": pa.array(with_nulls(ts, offset=2), pa.timestamp("ns", tz="UTC")),
        "ts_local": pa.array(with_nulls([t.replace(tzinfo=None) for t in ts]), pa.timestamp("us")),
        "d9": pa.array(with_nulls(dec), pa.decimal128(9, 2)),
        "d18": pa.array(with_nulls(dec, offset=1), pa.decimal128(18, 2)),
        "d38": pa.array(with_nulls(dec38, offset=2), pa.decimal128(38, 10)),
        "req": pa.array(list(range(n)), pa.int64()),
    }).cast(pa.schema([pa.field(name, t, nullable=(name != "req")) for name, t in [
        ("b", pa.bool_()), ("i8", pa.int8()), ("i16", pa.int16()), ("i32", pa.int32()), ("i64", pa.int64()),
        ("u8", pa.uint8()), ("u16", pa.uint16()), ("u32", pa.uint32()), ("u64", pa.uint64()),
        ("f32", pa.float32()), ("f64", pa.float64()), ("s", pa.string()), ("bin", pa.binary()),
        ("fixed", pa.binary(5)), ("dt", pa.date32()), ("ts_ms", pa.timestamp("ms", tz="UTC")),
        ("ts_us", pa.timestamp("us", tz="UTC")), ("ts_ns", pa.timestamp("ns", tz="UTC")),
        ("ts_local", pa.timestamp("us")), ("d9", pa.decimal128(9, 2)), ("d18", pa.decimal128(18, 2)),
        ("d38", pa.decimal128(38, 10)), ("req", pa.int64())]]))


EXPECTED_EMBER_TYPES = {
    "b": "boolean", "i8": "tinyint", "i16": "smallint", "i32": "int", "i64": "bigint",
    "u8": "smallint", "u16": "int", "u32": "bigint", "u64": "decimal(20,0)",
    "f32": "float", "f64": "double", "s": "string", "bin": "binary", "fixed": "binary", "dt": "date",
    "ts_ms": "timestamp", "ts_us": "timestamp", "ts_ns": "timestamp", "ts_local": "timestamp",
    "d9": "decimal(9,2)", "d18": "decimal(18,2)", "d38": "decimal(38,10)", "req": "bigint",
}


@pytest.fixture(scope="module")
def ref_table():
    return reference_table()


def check_ember_reads(path, table):
    header, rows = ember_dump(path)
    types = {f["name"]: f["type"] for f in header["schema"]}
    for name in table.column_names:
        assert types[name] == EXPECTED_EMBER_TYPES.get(name, types[name]), name
    nullable = {f["name"]: f["nullable"] for f in header["schema"]}
    if "req" in nullable:
        assert nullable["req"] is False
    # The reference is pyarrow reading the same file back (so its own conversions, e.g. INT96,
    # are what ember is compared with).
    assert_rows_equal(rows, table_rows(pq.read_table(path)))
    assert header["num_rows"] == table.num_rows


@pytest.mark.parametrize("compression", ["NONE", "SNAPPY", "GZIP", "ZSTD", "LZ4"])
@pytest.mark.parametrize("use_dictionary", [True, False])
@pytest.mark.parametrize("data_page_version", ["1.0", "2.0"])
def test_ember_reads_pyarrow_codecs_dictionary_and_page_versions(tmp_path, ref_table, compression, use_dictionary,
                                                                  data_page_version):
    path = tmp_path / "t.parquet"
    pq.write_table(ref_table, path, compression=compression, use_dictionary=use_dictionary,
                   data_page_version=data_page_version, row_group_size=1000, data_page_size=4096)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    check_ember_reads(path, ref_table)


@pytest.mark.parametrize("data_page_version", ["1.0", "2.0"])
def test_ember_reads_every_non_default_encoding(tmp_path, ref_table, data_page_version):
    encodings = {
        "i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "i16": "DELTA_BINARY_PACKED",
        "u64": "DELTA_BINARY_PACKED", "d9": "DELTA_BINARY_PACKED", "dt": "DELTA_BINARY_PACKED",
        "ts_us": "DELTA_BINARY_PACKED", "ts_ns": "DELTA_BINARY_PACKED",
        "s": "DELTA_LENGTH_BYTE_ARRAY", "bin": "DELTA_BYTE_ARRAY", "fixed": "DELTA_BYTE_ARRAY",
        "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "u32": "BYTE_STREAM_SPLIT",
        "ts_ms": "BYTE_STREAM_SPLIT", "d38": "BYTE_STREAM_SPLIT", "d18": "BYTE_STREAM_SPLIT",
        "b": "RLE",
    }
    path = tmp_path / "enc.parquet"
    pq.write_table(ref_table, path, use_dictionary=False, column_encoding=encodings,
                   data_page_version=data_page_version, row_group_size=1200, data_page_size=2048,
                   compression="SNAPPY", store_decimal_as_integer=True)
    md = pq.ParquetFile(path).metadata
    written = {md.schema.column(i).name: set(md.row_group(0).column(i).encodings) for i in range(md.num_columns)}
    for name, enc in encodings.items():
        assert enc in written[name], (name, written[name])
    check_ember_reads(path, ref_table)


def test_ember_reads_byte_stream_split_and_integer_decimals(tmp_path, ref_table):
    path = tmp_path / "bss.parquet"
    pq.write_table(ref_table, path, use_dictionary=["s"], store_decimal_as_integer=True,
                   use_byte_stream_split=["f32", "f64", "i32", "i64", "fixed", "d38", "d9", "d18", "ts_us"])
    md = pq.ParquetFile(path).metadata
    physical = {md.schema.column(i).name: md.schema.column(i).physical_type for i in range(md.num_columns)}
    assert physical["d9"] == "INT32" and physical["d18"] == "INT64"
    assert "BYTE_STREAM_SPLIT" in md.row_group(0).column(list(physical).index("d38")).encodings
    check_ember_reads(path, ref_table)


def test_ember_reads_int96_timestamps(tmp_path, ref_table):
    path = tmp_path / "int96.parquet"
    pq.write_table(ref_table, path, use_deprecated_int96_timestamps=True)
    md = pq.ParquetFile(path).metadata
    physical = {md.schema.column(i).name: md.schema.column(i).physical_type for i in range(md.num_columns)}
    assert physical["ts_us"] == "INT96"
    check_ember_reads(path, ref_table)


def test_ember_reads_uuid_null_type_and_binary_as_string(tmp_path):
    ids = [uuid.UUID(int=i * 0x1234567890ABCDEF1234567890ABCDEF % 2**128) for i in range(50)]
    table = pa.table({
        "id": pa.ExtensionArray.from_storage(pa.uuid(), pa.array([None if i % 9 == 4 else u.bytes
                                                                  for i, u in enumerate(ids)], pa.binary(16))),
        "nothing": pa.nulls(50),
        "raw": pa.array([f"text {i}".encode() for i in range(50)], pa.binary()),
    })
    path = tmp_path / "uuid.parquet"
    pq.write_table(table, path)
    header, rows = ember_dump(path)
    types = [f["type"] for f in header["schema"]]
    assert types == ["string", "void", "binary"]
    want_ids = [None if i % 9 == 4 else str(u) for i, u in enumerate(ids)]
    assert [r[0] for r in rows] == want_ids
    assert [r[1] for r in rows] == [None] * 50
    assert [r[2] for r in rows] == [f"text {i}".encode().hex() for i in range(50)]
    header, rows = ember_dump(path, "--binary-as-string")
    assert header["schema"][2]["type"] == "string"
    assert [r[2] for r in rows] == [f"text {i}" for i in range(50)]


def test_ember_reads_nanos_as_long_when_asked(tmp_path, ref_table):
    path = tmp_path / "ns.parquet"
    pq.write_table(ref_table.select(["ts_ns"]), path)
    header, rows = ember_dump(path, "--nanos-as-long")
    assert header["schema"][0]["type"] == "bigint"
    assert [r[0] for r in rows] == ref_table.column("ts_ns").cast(pa.int64()).to_pylist()


def test_ember_reads_only_projected_columns(tmp_path, ref_table):
    path = tmp_path / "proj.parquet"
    pq.write_table(ref_table, path, row_group_size=700)
    header, rows = ember_dump(path, "--columns", "s,i64,s", "--batch-size", "333")
    assert [f["name"] for f in header["schema"]] == ["s", "i64", "s"]
    want = table_rows(pq.read_table(path, columns=["s", "i64"]))
    assert_rows_equal(rows, [[s, i, s] for s, i in want])


def test_ember_statistics_match_pyarrow(tmp_path, ref_table):
    path = tmp_path / "stats.parquet"
    table = ref_table.select(["i32", "i64", "s", "dt", "d38", "u32"])
    pq.write_table(table, path, row_group_size=1000)
    meta = ember_meta(path)
    md = pq.ParquetFile(path).metadata
    for g, rg in enumerate(meta["row_groups"]):
        for c, col in enumerate(rg["columns"]):
            st = md.row_group(g).column(c).statistics
            assert col["null_count"] == st.null_count
            if col["name"] in ("i32", "i64", "s", "u32"):
                assert col["min"] == st.min and col["max"] == st.max, col
            if col["name"] == "dt":
                assert col["min"] == (st.min - EPOCH_DATE).days


@pytest.mark.parametrize("data_page_version", ["1.0", "2.0"])
def test_ember_reads_pyarrow_page_index_and_skips_pages(tmp_path, ref_table, data_page_version):
    table = ref_table.select(["i32", "i64", "s", "f64", "dt", "d38", "b", "fixed"])
    path = tmp_path / "pageindex.parquet"
    pq.write_table(table, path, write_page_index=True, data_page_size=512, write_batch_size=64,
                   data_page_version=data_page_version, row_group_size=2000)
    pages = json.loads(run_tool("pages", path).stdout)
    assert len(pages) == 2
    canon = [canon_column(table.column(n)) for n in table.column_names]
    raw = [table.column(n).to_pylist() for n in table.column_names]
    for g, group in enumerate(pages):
        for c, col_pages in enumerate(group):
            assert col_pages is not None and len(col_pages) >= 1, (g, c)
            if table.column_names[c] != "b":
                assert len(col_pages) > 1, (g, c)
            assert col_pages[0]["first_row"] == 0
            for p in col_pages:
                start = g * 2000 + p["first_row"]
                values = raw[c][start:start + p["num_rows"]]
                nulls = sum(v is None for v in values)
                assert p["null_count"] == nulls
                assert p["all_null"] == (nulls == len(values))
                present = [v for v in canon[c][start:start + p["num_rows"]] if v is not None]
                name = table.column_names[c]
                if name in ("i32", "i64", "dt") and present:
                    assert p["min"] == min(present) and p["max"] == max(present), (name, p)
                if name == "s" and present:
                    encoded = sorted(v.encode() for v in present)
                    assert p["min"].encode() <= encoded[0] and p["max"].encode() >= encoded[-1], p
    # Row ranges inside row group 1: only pages holding selected rows are decoded.
    result = ember_dump(path, "--row-group", "1", "--rows", "0:3,100:350,499:500")
    rows = result[1]
    want = table_rows(table.slice(2000, 500))
    assert_rows_equal(rows, want[0:3] + want[100:350] + want[499:500])


DUCKDB_QUERY = """
SELECT i % 3 = 0 AS b, (i % 100)::TINYINT AS t, (i * 7 - 30000)::SMALLINT AS s, (i * 7919 - 100000)::INTEGER AS i,
       (i * 1000000007)::BIGINT AS l, (i % 200)::UTINYINT AS ut, (i * 2654435761 % 4294967296)::UINTEGER AS ui,
       (18446744073709551615 - i)::UBIGINT AS ub, (i / 3)::FLOAT AS f, (i / 7)::DOUBLE AS d,
       CASE WHEN i % 11 = 0 THEN '' ELSE 'str' || (i % 37) END AS v, ('blob' || i)::BLOB AS bl,
       DATE '1900-01-01' + i::INTEGER * 13 AS dt, TIMESTAMP '2020-01-01' + to_microseconds(i * 1000003) AS ts,
       TIMESTAMPTZ '1960-01-01 00:00:00+00' + to_microseconds(i * 7) AS tstz, (i / 10)::DECIMAL(4, 1) AS d4,
       (i * 1.001)::DECIMAL(18, 3) AS d18, (i * 123.456789 - 99999)::DECIMAL(38, 10) AS d38,
       CASE WHEN i % 13 = 0 THEN NULL ELSE i END AS n
FROM range(5000) t(i)
"""


@pytest.mark.parametrize("parquet_version", ["V1", "V2"])
@pytest.mark.parametrize("compression", ["uncompressed", "snappy", "gzip", "zstd", "lz4"])
def test_ember_reads_duckdb_files(tmp_path, parquet_version, compression):
    path = tmp_path / "duck.parquet"
    con = duckdb.connect()
    con.execute(f"COPY ({DUCKDB_QUERY}) TO '{path}' (FORMAT parquet, COMPRESSION {compression}, "
                f"ROW_GROUP_SIZE 2048, PARQUET_VERSION {parquet_version})")
    header, rows = ember_dump(path)
    assert [f["type"] for f in header["schema"]] == [
        "boolean", "tinyint", "smallint", "int", "bigint", "smallint", "bigint", "decimal(20,0)", "float", "double",
        "string", "binary", "date", "timestamp", "timestamp", "decimal(4,1)", "decimal(18,3)", "decimal(38,10)",
        "bigint"]
    # DuckDB itself is the reference (pyarrow 21 rejects DuckDB's V2 files: their INT32
    # DELTA_BINARY_PACKED miniblocks use bit widths above 32, which ember accepts and wraps).
    want = con.execute(f"""
        SELECT b, t, s, i, l, ut, ui, ub::VARCHAR, f, d, v, lower(hex(bl)), datediff('day', DATE '1970-01-01', dt),
               epoch_us(ts), epoch_us(tstz), d4::VARCHAR, d18::VARCHAR, d38::VARCHAR, n
        FROM read_parquet('{path}')""").fetchall()
    assert_rows_equal(rows, [list(r) for r in want])
    if parquet_version == "V1":
        assert_rows_equal(rows, table_rows(pq.read_table(path)))


def test_ember_reads_duckdb_uuids(tmp_path):
    path = tmp_path / "uuid.parquet"
    duckdb.connect().execute(f"COPY (SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE uuid() END AS u, i FROM range(300) "
                             f"t(i)) TO '{path}' (FORMAT parquet)")
    _, rows = ember_dump(path)
    want = duckdb.connect().execute(f"SELECT u::VARCHAR, i FROM read_parquet('{path}')").fetchall()
    assert rows == [list(r) for r in want]


def test_ember_rejects_brotli_clearly(tmp_path, ref_table):
    # Nested columns are read since ember has maps and structs: test_parquet_nested_interop.py.
    path = tmp_path / "brotli.parquet"
    pq.write_table(ref_table.select(["i32"]), path, compression="BROTLI")
    result = run_tool("dump", path, check=False)
    assert result.returncode != 0
    assert "BROTLI" in result.stderr and "brotli.parquet" in result.stderr and "'i32'" in result.stderr


def test_corrupt_pyarrow_file_is_an_error_naming_the_file(tmp_path, ref_table):
    path = tmp_path / "corrupt.parquet"
    pq.write_table(ref_table.select(["i64", "s"]), path, compression="NONE", use_dictionary=False)
    md = pq.ParquetFile(path).metadata
    first_page = md.row_group(0).column(1).data_page_offset
    data = bytearray(path.read_bytes())
    # Garbage over the first page header of column 's'.
    data[first_page:first_page + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    # Column 'i64' alone is untouched and still reads (pruned columns are never read).
    assert run_tool("dump", path, "--columns", "i64").returncode == 0
    result = run_tool("dump", path, check=False)
    assert result.returncode == 1
    assert "corrupt.parquet" in result.stderr and "column 's'" in result.stderr, result.stderr
    assert "MalformedInput" in result.stderr or "Malformed" in result.stderr


# ---------------------------------------------------------------------------------------------
# (b) ember writes, pyarrow and DuckDB read

DDL = ("b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INT, i64 BIGINT, f FLOAT, d DOUBLE, s STRING, bin BINARY, "
       "dt DATE, ts TIMESTAMP, d9 DECIMAL(9,2), d18 DECIMAL(18,3), d38 DECIMAL(38,6), d25 DECIMAL(25,0)")

PYARROW_TYPES = [pa.bool_(), pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.float32(), pa.float64(), pa.string(),
                 pa.binary(), pa.date32(), pa.timestamp("us", tz="UTC"), pa.decimal128(9, 2),
                 pa.decimal128(18, 3), pa.decimal128(38, 6), pa.decimal128(25, 0)]
PHYSICAL = ["BOOLEAN", "INT32", "INT32", "INT32", "INT64", "FLOAT", "DOUBLE", "BYTE_ARRAY", "BYTE_ARRAY", "INT32",
            "INT64", "INT32", "INT64", "FIXED_LEN_BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]


def json_float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def ember_rows(n=3000):
    """Rows in parquet_tool's value format, with extremes, nulls and empty strings."""
    import struct
    rows = []
    for i in range(n):
        k = i % 9
        f32 = [0.0, -0.0, float("inf"), float("nan"), 3.4028234663852886e38, -1.5][k] if k < 6 else \
            struct.unpack("f", struct.pack("f", i / 3))[0]
        f64 = [0.0, -0.0, float("-inf"), float("nan"), 1.7976931348623157e308, 5e-324][k] if k < 6 else i / 7
        row = [
            i % 3 == 0,
            [-128, 127][k] if k < 2 else i % 50 - 25,
            [-32768, 32767][k] if k < 2 else i * 11 % 1000,
            [-(2**31), 2**31 - 1][k] if k < 2 else i * 7919 % 100000 - 50000,
            [-(2**63), 2**63 - 1][k] if k < 2 else i * 1_000_000_007,
            json_float(f32),
            json_float(f64),
            ["", "héllo ✓ \"quoted\" \\ back", "x" * 1000][k] if k < 3 else f"s{i % 40}",
            ["", "00ff80"][k] if k < 2 else f"{i:08x}",
            [-719162, 2932896][k] if k < 2 else i - 1500,
            [-62135596800000000, 253402300799999999][k] if k < 2 else 1_700_000_000_000_000 + i * 1_000_003,
            ["-9999999.99", "9999999.99"][k] if k < 2 else f"{i * 13 - 20000}.{i % 100:02d}",
            ["-999999999999999.999", "999999999999999.999"][k] if k < 2 else f"{i * 1234567}.{i % 1000:03d}",
            ["-" + "9" * 32 + ".999999", "9" * 32 + ".999999"][k] if k < 2 else f"{i * 98765432123}.{i:06d}"[:40],
            ["-" + "9" * 25, "9" * 25][k] if k < 2 else str(i * 10**20),
        ]
        # a null in every column now and then
        for c in range(len(row)):
            if (i + c) % 13 == 5:
                row[c] = None
        rows.append(row)
    return rows


def pyarrow_canon_rows(table):
    return table_rows(table)


def write_with_ember(tmp_path, rows, *flags, name="ember.parquet"):
    src = tmp_path / "rows.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / name
    run_tool("from-jsonl", src, DDL, out, *flags)
    return out


def expected_canon(rows):
    """The rows as table_rows() renders a pyarrow table of them (floats as numbers)."""
    out = []
    for r in rows:
        row = list(r)
        for c in (5, 6):
            if isinstance(row[c], float) or isinstance(row[c], int):
                row[c] = float(row[c])
        for c in (11, 12, 13, 14):
            if row[c] is not None:
                scale = [2, 3, 6, 0][c - 11]
                row[c] = format(decimal.Decimal(row[c]).quantize(decimal.Decimal(1).scaleb(-scale)), "f")
        out.append(row)
    return out


@pytest.fixture(scope="module")
def rows():
    return ember_rows()


@pytest.mark.parametrize("compression", ["none", "snappy", "gzip", "zstd", "lz4"])
def test_pyarrow_reads_ember_files_with_every_codec(tmp_path, rows, compression):
    path = write_with_ember(tmp_path, rows, "--compression", compression)
    pf = pq.ParquetFile(path)
    # pyarrow names the LZ4_RAW codec "LZ4" (Arrow's raw LZ4 block); ember's meta shows the number's name.
    codec = {"none": "UNCOMPRESSED", "lz4": "LZ4"}.get(compression, compression.upper())
    assert pf.metadata.row_group(0).column(0).compression == codec
    ember_codec = {"none": "UNCOMPRESSED", "lz4": "LZ4_RAW"}.get(compression, compression.upper())
    assert ember_meta(path)["row_groups"][0]["columns"][0]["codec"] == ember_codec
    table = pf.read()
    assert table.schema.types == PYARROW_TYPES
    assert [pf.metadata.schema.column(i).physical_type for i in range(len(PHYSICAL))] == PHYSICAL
    assert_rows_equal(table_rows(table), expected_canon(rows))
    # ember reads its own file to the same values.
    _, ember = ember_dump(path)
    assert_rows_equal(ember, expected_canon(rows))


@pytest.mark.parametrize("flags", [
    ("--no-dictionary",),
    ("--row-group-rows", "500", "--page-size", "1024"),
    ("--page-rows", "100", "--dictionary-page-size", "512"),
    ("--row-group-size", "20000", "--batch-size", "77"),
])
def test_pyarrow_reads_ember_layouts(tmp_path, rows, flags):
    path = write_with_ember(tmp_path, rows, *flags)
    pf = pq.ParquetFile(path)
    if "--row-group-rows" in flags:
        assert pf.metadata.num_row_groups == 6
    if "--row-group-size" in flags:
        assert pf.metadata.num_row_groups > 1
    assert_rows_equal(table_rows(pf.read()), expected_canon(rows))
    # Reading through the page index (pyarrow uses it for row-group/page selection) works too.
    assert pf.metadata.row_group(0).column(0).has_offset_index
    assert pf.metadata.row_group(0).column(3).has_column_index


def test_duckdb_reads_ember_files(tmp_path, rows):
    path = write_with_ember(tmp_path, rows, "--row-group-rows", "1000")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    # epoch_us: fetching TIMESTAMP WITH TIME ZONE into Python would need pytz.
    got = con.execute(f"SELECT * REPLACE (epoch_us(ts) AS ts) FROM read_parquet('{path}')").fetchall()
    want = expected_canon(rows)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        canon = []
        for c, v in enumerate(g):
            if v is None:
                canon.append(None)
            elif c in (5, 6):
                canon.append(canon_float(v))
            elif c == 8:
                canon.append(v.hex())
            elif c == 9:
                canon.append((v - EPOCH_DATE).days)
            elif c >= 11:
                canon.append(format(v, "f"))
            else:
                canon.append(v)
        assert canon == [canon_float(x) if c in (5, 6) and isinstance(x, float) else x for c, x in enumerate(w)], i
    types = [r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()]
    assert types == ["BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "VARCHAR", "BLOB",
                     "DATE", "TIMESTAMP WITH TIME ZONE", "DECIMAL(9,2)", "DECIMAL(18,3)", "DECIMAL(38,6)",
                     "DECIMAL(25,0)"]


def test_ember_statistics_as_duckdb_and_pyarrow_see_them(tmp_path, rows):
    path = write_with_ember(tmp_path, rows, "--row-group-rows", "1000")
    md = pq.ParquetFile(path).metadata
    table = pq.read_table(path)
    for g in range(md.num_row_groups):
        part = table.slice(g * 1000, 1000)
        for c, name in enumerate(["b", "i8", "i16", "i32", "i64", "s", "dt", "ts"]):
            idx = table.column_names.index(name)
            st = md.row_group(g).column(idx).statistics
            col = part.column(name)
            assert st.has_min_max
            assert st.null_count == col.null_count
            values = [v for v in col.to_pylist() if v is not None]
            if name == "s":  # unsigned byte order
                values = sorted(values, key=lambda s: s.encode())
                assert st.min == values[0] and st.max == values[-1]
            else:
                assert st.min == min(values) and st.max == max(values), name
    con = duckdb.connect()
    stats = con.execute(f"SELECT path_in_schema, stats_min_value, stats_max_value FROM parquet_metadata('{path}') "
                        "WHERE row_group_id = 0 AND path_in_schema IN ('i64', 'd38')").fetchall()
    got = {r[0]: (r[1], r[2]) for r in stats}
    part = [r for r in rows[:1000]]
    i64 = [r[4] for r in part if r[4] is not None]
    assert got["i64"] == (str(min(i64)), str(max(i64)))
    d38 = [decimal.Decimal(r[13]) for r in part if r[13] is not None]
    assert decimal.Decimal(got["d38"][0]) == min(d38) and decimal.Decimal(got["d38"][1]) == max(d38)


def test_spark_schema_metadata_and_created_by(tmp_path, rows):
    path = write_with_ember(tmp_path, rows[:10])
    pf = pq.ParquetFile(path)
    kv = pf.metadata.metadata
    schema = json.loads(kv[b"org.apache.spark.sql.parquet.row.metadata"])
    assert schema["type"] == "struct"
    assert [f["name"] for f in schema["fields"]] == ["b", "i8", "i16", "i32", "i64", "f", "d", "s", "bin", "dt",
                                                     "ts", "d9", "d18", "d38", "d25"]
    assert [f["type"] for f in schema["fields"]] == ["boolean", "byte", "short", "integer", "long", "float",
                                                     "double", "string", "binary", "date", "timestamp",
                                                     "decimal(9,2)", "decimal(18,3)", "decimal(38,6)",
                                                     "decimal(25,0)"]
    assert all(f["nullable"] is True and f["metadata"] == {} for f in schema["fields"])
    assert pf.metadata.created_by.startswith("ember version")
    logical = pf.schema.column(10).logical_type
    assert logical.type == "TIMESTAMP" and json.loads(logical.to_json()) == {
        "Type": "Timestamp", "isAdjustedToUTC": True, "timeUnit": "microseconds", "is_from_converted_type": False,
        "force_set_converted_type": False}


def test_required_columns_and_empty_files(tmp_path):
    src = tmp_path / "rows.jsonl"
    src.write_text("", encoding="utf-8")
    out = tmp_path / "empty.parquet"
    run_tool("from-jsonl", src, "id BIGINT, name STRING", out, "--required", "id")
    pf = pq.ParquetFile(out)
    assert pf.metadata.num_rows == 0
    assert pf.schema_arrow.field("id").nullable is False
    assert pf.schema_arrow.field("name").nullable is True
    assert pf.read().num_rows == 0
    assert duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone() == (0,)
