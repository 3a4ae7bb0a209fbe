"""ember's Arrow C Data Interface against pyarrow, in one process.

build/libember_arrow_bridge.so (tests/integration/ember_arrow_bridge.cpp) exposes ember's export
and import as C functions; ctypes hands it the ArrowSchema/ArrowArray structs pyarrow fills with
RecordBatch._export_to_c, and pyarrow imports the structs ember fills with
RecordBatch._import_from_c. Expected values are written out by hand (or are pyarrow's own data);
that pyarrow reads ember's export in place is checked by comparing buffer addresses.

The library is looked up in $EMBER_BUILD_DIR (default build/).
"""
import ctypes
import datetime
import decimal
import os
import pathlib

import pyarrow as pa
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("EMBER_BUILD_DIR", ROOT / "build"))
LIBRARY = BUILD / "libember_arrow_bridge.so"
UTC = datetime.timezone.utc


class ArrowSchema(ctypes.Structure):
    _fields_ = [("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_char_p),
                ("flags", ctypes.c_int64), ("n_children", ctypes.c_int64), ("children", ctypes.c_void_p),
                ("dictionary", ctypes.c_void_p), ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]


class ArrowArray(ctypes.Structure):
    _fields_ = [("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
                ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64), ("buffers", ctypes.c_void_p),
                ("children", ctypes.c_void_p), ("dictionary", ctypes.c_void_p), ("release", ctypes.c_void_p),
                ("private_data", ctypes.c_void_p)]


@pytest.fixture(scope="module")
def bridge():
    if not LIBRARY.exists():
        pytest.fail(f"{LIBRARY} is missing: build the ember_arrow_bridge target first (./dev.sh test builds it)")
    lib = ctypes.CDLL(str(LIBRARY))
    ptr = ctypes.c_void_p
    lib.ember_bridge_roundtrip.argtypes = [ptr, ptr, ptr, ptr, ctypes.c_char_p, ctypes.c_size_t]
    lib.ember_bridge_render.argtypes = [ptr, ptr, ctypes.c_char_p, ctypes.c_size_t]
    lib.ember_bridge_sample.argtypes = [ptr, ptr, ctypes.POINTER(ctypes.c_size_t)]
    lib.ember_bridge_stream.argtypes = [ptr, ctypes.c_int, ctypes.c_int]
    lib.ember_bridge_count_stream.argtypes = [ptr, ctypes.c_char_p, ctypes.c_size_t]
    lib.ember_bridge_count_stream.restype = ctypes.c_int64
    return lib


def export(batch):
    schema, array = ArrowSchema(), ArrowArray()
    batch._export_to_c(ctypes.addressof(array), ctypes.addressof(schema))
    return schema, array


def roundtrip(bridge, batch):
    in_schema, in_array = export(batch)
    out_schema, out_array = ArrowSchema(), ArrowArray()
    err = ctypes.create_string_buffer(4096)
    rc = bridge.ember_bridge_roundtrip(ctypes.addressof(in_schema), ctypes.addressof(in_array),
                                       ctypes.addressof(out_schema), ctypes.addressof(out_array), err, len(err))
    if rc != 0:
        raise RuntimeError(err.value.decode())
    assert in_array.release is None and in_schema.release is None  # ember consumed both
    return pa.RecordBatch._import_from_c(ctypes.addressof(out_array), ctypes.addressof(out_schema))


def render(bridge, batch):
    schema, array = export(batch)
    out = ctypes.create_string_buffer(1 << 20)
    rc = bridge.ember_bridge_render(ctypes.addressof(schema), ctypes.addressof(array), out, len(out))
    if rc != 0:
        raise RuntimeError(out.value.decode())
    return out.value.decode().splitlines()


def test_ember_batch_reaches_pyarrow_with_spark_types(bridge):
    schema, array = ArrowSchema(), ArrowArray()
    int_data = ctypes.c_size_t()
    assert bridge.ember_bridge_sample(ctypes.addressof(schema), ctypes.addressof(array), ctypes.byref(int_data)) == 0
    rb = pa.RecordBatch._import_from_c(ctypes.addressof(array), ctypes.addressof(schema))
    assert rb.column("i").buffers()[1].address == int_data.value  # ember's memory, not a copy
    point = pa.struct([("x", pa.float64()), ("tag", pa.string())])
    expected_schema = pa.schema([
        ("flag", pa.bool_()), ("b", pa.int8()), ("s", pa.int16()), pa.field("i", pa.int32(), nullable=False),
        ("l", pa.int64()), ("f", pa.float32()), ("d", pa.float64()), ("dec", pa.decimal128(38, 10)),
        ("str", pa.string()), ("bin", pa.binary()), ("day", pa.date32()), ("ts", pa.timestamp("us", tz="UTC")),
        ("arr", pa.list_(pa.int32())), ("m", pa.map_(pa.string(), pa.int64())), ("p", point)])
    assert rb.schema.equals(expected_schema), rb.schema
    rb.validate(full=True)
    rows = rb.to_pylist()
    assert rows[0] == {
        "flag": True, "b": -128, "s": 32767, "i": 1, "l": -9_000_000_000, "f": 1.5, "d": -0.25,
        "dec": decimal.Decimal("1000000000000000000000000000.0000000005"), "str": "héllo", "bin": b"\x00\xff",
        "day": datetime.date(2024, 2, 29), "ts": datetime.datetime(2024, 2, 29, 0, 0, 0, 123456, tzinfo=UTC),
        "arr": [1, None, 3], "m": [("a", 1)], "p": {"x": 2.5, "tag": "p"}}
    assert rows[1] == {name: (2 if name == "i" else None) for name in expected_schema.names}
    assert rows[2] == {
        "flag": False, "b": 7, "s": -1, "i": 3, "l": 0, "f": -2.0, "d": 1e300,
        "dec": decimal.Decimal("-0.0000012345"), "str": "", "bin": b"", "day": datetime.date(1969, 12, 31),
        "ts": datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "arr": [],
        "m": [("x", None), ("y", 2)], "p": {"x": None, "tag": None}}


def every_type_batch(n):
    ids = list(range(n))
    return pa.RecordBatch.from_pydict({
        "id": pa.array(ids, pa.int64()),
        "flag": pa.array([None if i % 7 == 0 else i % 2 == 0 for i in ids], pa.bool_()),
        "b": pa.array([i % 100 - 50 for i in ids], pa.int8()),
        "s": pa.array([i % 30000 for i in ids], pa.int16()),
        "i": pa.array([None if i % 5 == 0 else i * 3 for i in ids], pa.int32()),
        "f": pa.array([i / 4 for i in ids], pa.float32()),
        "d": pa.array([None if i % 11 == 0 else i / 3 for i in ids], pa.float64()),
        "dec": pa.array([decimal.Decimal(i).scaleb(-2) for i in ids], pa.decimal128(20, 2)),
        "str": pa.array([None if i % 3 == 0 else f"v{i}é" for i in ids], pa.string()),
        "bin": pa.array([bytes([i % 256]) * (i % 4) for i in ids], pa.binary()),
        "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in ids], pa.date32()),
        "ts": pa.array([i * 1_000_003 for i in ids], pa.timestamp("us", tz="UTC")),
        "arr": pa.array([None if i % 4 == 1 else [i, None, i + 1][: i % 4] for i in ids], pa.list_(pa.int64())),
        "m": pa.array([[("k", i)] if i % 2 else [] for i in ids], pa.map_(pa.string(), pa.int32())),
        "st": pa.array([{"a": i, "b": None if i % 2 else str(i)} for i in ids],
                       pa.struct([("a", pa.int64()), ("b", pa.string())])),
    })


def test_roundtrip_keeps_values_and_types(bridge):
    batch = every_type_batch(1000)
    back = roundtrip(bridge, batch)
    back.validate(full=True)
    assert back.schema.equals(batch.schema), back.schema
    assert back.equals(batch)


def test_fixed_width_buffers_cross_into_ember_and_back_without_copy(bridge):
    # Import shares pyarrow's fixed-width buffers and export lends them straight back, so the values
    # pyarrow gets back live at the very addresses it exported.
    batch = pa.RecordBatch.from_arrays([
        pa.array([i if i % 7 else None for i in range(1000)], pa.int64()),
        pa.array([i / 3 for i in range(1000)], pa.float64()),
        pa.array([decimal.Decimal(i) / 100 for i in range(1000)], pa.decimal128(10, 2)),
        pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(1000)], pa.date32()),
        pa.array([i * 1_000_001 for i in range(1000)], pa.timestamp("us", tz="UTC")),
    ], names=["i", "d", "dec", "day", "ts"])
    addresses = [column.buffers()[1].address for column in batch.columns]
    validity = batch.column("i").buffers()[0].address
    back = roundtrip(bridge, batch)
    assert [column.buffers()[1].address for column in back.columns] == addresses
    assert back.column("i").buffers()[0].address == validity
    assert back.equals(batch)


def test_roundtrip_of_a_slice_and_many_batches(bridge):
    batch = every_type_batch(10_000)
    sliced = batch.slice(3, 9_990)  # an offset that is not a multiple of 8: bitmaps are re-based
    back = roundtrip(bridge, sliced)
    back.validate(full=True)
    assert back.equals(sliced)


def test_conversions_from_other_arrow_layouts(bridge):
    batch = pa.RecordBatch.from_pydict({
        "ls": pa.array(["a", None, "ccc"], pa.large_string()),
        "lb": pa.array([b"x", b"", None], pa.large_binary()),
        "ll": pa.array([[1], None, [2, 3]], pa.large_list(pa.int32())),
        "ms": pa.array([0, -1, 1_500], pa.timestamp("ms", tz="Europe/Paris")),
        "ns": pa.array([1_999, -1, None], pa.timestamp("ns")),
        "sec": pa.array([1, None, -86_400], pa.timestamp("s")),
        "d64": pa.array([0, -1, 86_400_000], pa.date64()),
    })
    back = roundtrip(bridge, batch)
    assert back.schema.types == [pa.string(), pa.binary(), pa.list_(pa.int32()), pa.timestamp("us", tz="UTC"),
                                 pa.timestamp("us", tz="UTC"), pa.timestamp("us", tz="UTC"), pa.date32()]
    rows = back.to_pydict()
    assert rows["ls"] == ["a", None, "ccc"]
    assert rows["lb"] == [b"x", b"", None]
    assert rows["ll"] == [[1], None, [2, 3]]
    epoch = datetime.datetime(1970, 1, 1, tzinfo=UTC)
    us = datetime.timedelta(microseconds=1)
    assert rows["ms"] == [epoch, epoch - 1000 * us, epoch + 1_500_000 * us]
    assert rows["ns"] == [epoch + 1 * us, epoch - 1 * us, None]  # nanoseconds floor to microseconds
    assert rows["sec"] == [epoch + 1_000_000 * us, None, epoch - datetime.timedelta(days=1)]
    assert rows["d64"] == [datetime.date(1970, 1, 1), datetime.date(1969, 12, 31), datetime.date(1970, 1, 2)]


def test_ember_sees_pyarrow_values(bridge):
    batch = pa.RecordBatch.from_pydict({
        "n": pa.array([1, None], pa.int32()),
        "s": pa.array(["x", "y"], pa.string()),
        "arr": pa.array([[1, None], []], pa.list_(pa.int16())),
        "m": pa.array([[("a", 1.5)], None], pa.map_(pa.string(), pa.float64())),
        "st": pa.array([{"p": True}, {"p": None}], pa.struct([("p", pa.bool_())])),
        "ts": pa.array([1_709_164_800_000_000, 0], pa.timestamp("us", tz="UTC")),
    })
    assert render(bridge, batch) == [
        "n int, s string, arr array<smallint>, m map<string,double>, st struct<p:boolean>, ts timestamp",
        "1 | x | [1, NULL] | {a -> 1.5} | {true} | 2024-02-29 00:00:00",
        "NULL | y | [] | NULL | {NULL} | 1970-01-01 00:00:00",
    ]


def test_unsupported_arrow_type_names_the_column(bridge):
    batch = pa.RecordBatch.from_pydict({"ok": pa.array([1], pa.int64()), "counts": pa.array([1], pa.uint32())})
    with pytest.raises(RuntimeError, match="Unsupported arrow type 'I' of column 'counts'"):
        roundtrip(bridge, batch)


class ArrowArrayStream(ctypes.Structure):
    _fields_ = [("get_schema", ctypes.c_void_p), ("get_next", ctypes.c_void_p), ("get_last_error", ctypes.c_void_p),
                ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]


def test_stream_of_batches_both_ways(bridge):
    stream = ArrowArrayStream()
    assert bridge.ember_bridge_stream(ctypes.addressof(stream), 3, 1000) == 0
    reader = pa.RecordBatchReader._import_from_c(ctypes.addressof(stream))
    batches = list(reader)
    assert [b.num_rows for b in batches] == [1000, 1000, 1000]  # one per ember batch
    table = pa.Table.from_batches(batches)
    assert table.schema.field("id").type == pa.int64() and not table.schema.field("id").nullable
    assert table.column("id").to_pylist() == list(range(3000))
    assert table.column("s").to_pylist() == [f"v{i}" for i in range(3000)]
    # pyarrow's stream into ember.
    source = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=700))
    out = ArrowArrayStream()
    source._export_to_c(ctypes.addressof(out))
    err = ctypes.create_string_buffer(1024)
    assert bridge.ember_bridge_count_stream(ctypes.addressof(out), err, len(err)) == 3000, err.value
    assert out.release is None  # consumed and released
