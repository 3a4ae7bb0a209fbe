#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/parquet_reader_fuzz.cpp: small Parquet files (a few KB
each) covering what the reader decodes — every codec, dictionary and plain, data page v1 and v2,
the DELTA and BYTE_STREAM_SPLIT encodings, INT96, decimals of each physical width, nested lists,
maps and structs, page indexes, several row groups — written by pyarrow and by ember's own writer
(build/parquet_tool from-jsonl). The committed corpus (tests/fuzz/corpus/parquet_reader/) was made
by this script; run it again after changing it:

    .venv/bin/python tests/fuzz/make_seeds.py [--out DIR] [--tool build/parquet_tool]
"""
import argparse
import datetime
import decimal
import functools
import json
import pathlib
import subprocess
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[2]
N = 24  # rows: enough for runs, dictionaries and a few pages, small enough to mutate quickly


def flat_table():
    def nulls(values, every=5):
        return [None if i % every == 2 else v for i, v in enumerate(values)]

    return pa.table({
        "b": pa.array(nulls([i % 3 == 0 for i in range(N)]), pa.bool_()),
        "i8": pa.array(nulls([i - 12 for i in range(N)]), pa.int8()),
        "i32": pa.array(nulls([i * 7919 - 50000 for i in range(N)]), pa.int32()),
        "i64": pa.array([i * 1_000_000_007 for i in range(N)], pa.int64()),
        "f32": pa.array(nulls([i / 4 for i in range(N)]), pa.float32()),
        "f64": pa.array(nulls([i / 3 for i in range(N)]), pa.float64()),
        "s": pa.array(nulls([f"v{i % 5}" for i in range(N)]), pa.string()),
        "bin": pa.array(nulls([bytes([i, 0, 255]) for i in range(N)]), pa.binary()),
        "dt": pa.array(nulls([datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(N)]),
                       pa.date32()),
        "ts": pa.array(nulls([datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
                              + datetime.timedelta(seconds=i * 3601) for i in range(N)]),
                       pa.timestamp("us", tz="UTC")),
        "d9": pa.array(nulls([decimal.Decimal(i * 31 - 300).scaleb(-2) for i in range(N)]), pa.decimal128(9, 2)),
        "d38": pa.array(nulls([decimal.Decimal(i * 1234567891).scaleb(-10) for i in range(N)]),
                        pa.decimal128(38, 10)),
    })


def nested_table():
    return pa.table({
        "xs": pa.array([None if i % 7 == 3 else [i, None, i * 2][: i % 4] for i in range(N)], pa.list_(pa.int32())),
        "m": pa.array([None if i % 6 == 1 else [(f"k{i % 3}", i), ("z", None)][: i % 3] for i in range(N)],
                      pa.map_(pa.string(), pa.int64())),
        "st": pa.array([None if i % 5 == 4 else {"a": i, "b": None if i % 2 else f"s{i}", "c": [i / 2] * (i % 3)}
                        for i in range(N)],
                       pa.struct([("a", pa.int32()), ("b", pa.string()), ("c", pa.list_(pa.float64()))])),
    })


def pyarrow_seeds(out):
    flat, nested = flat_table(), nested_table()
    # Without the ARROW:schema footer entry (base64 of pyarrow's own schema): smaller seeds.
    write = functools.partial(pq.write_table, store_schema=False)
    for codec in ["NONE", "SNAPPY", "GZIP", "ZSTD", "LZ4"]:
        write(flat, out / f"pyarrow_flat_{codec.lower()}.parquet", compression=codec, row_group_size=12,
                       data_page_size=256, write_page_index=True)
    write(flat, out / "pyarrow_flat_plain_v2.parquet", use_dictionary=False, data_page_version="2.0",
                   compression="NONE", write_statistics=True)
    write(flat, out / "pyarrow_flat_delta.parquet", use_dictionary=False, compression="NONE",
                   data_page_version="2.0", store_decimal_as_integer=True,
                   column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED",
                                    "dt": "DELTA_BINARY_PACKED", "d9": "DELTA_BINARY_PACKED",
                                    "s": "DELTA_LENGTH_BYTE_ARRAY", "bin": "DELTA_BYTE_ARRAY",
                                    "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT",
                                    "d38": "BYTE_STREAM_SPLIT", "b": "RLE"})
    write(flat, out / "pyarrow_flat_int96.parquet", compression="NONE",
                   use_deprecated_int96_timestamps=True)
    write(nested, out / "pyarrow_nested_v1.parquet", compression="NONE", row_group_size=12)
    write(nested, out / "pyarrow_nested_v2_legacy.parquet", compression="NONE", data_page_version="2.0",
                   use_dictionary=False, use_compliant_nested_type=False)


def tool_value(value, t):
    if value is None:
        return None
    if pa.types.is_map(t):
        return [[tool_value(k, t.key_type), tool_value(v, t.item_type)] for k, v in value]
    if pa.types.is_list(t):
        return [tool_value(v, t.value_type) for v in value]
    if pa.types.is_struct(t):
        return [tool_value(value[f.name], f.type) for f in t]
    if pa.types.is_date32(t):
        return (value - datetime.date(1970, 1, 1)).days
    if pa.types.is_timestamp(t):
        return (value - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // datetime.timedelta(
            microseconds=1)
    if pa.types.is_decimal(t):
        return format(value, "f")
    if pa.types.is_binary(t):
        return value.hex()
    return value


def ember_seeds(out, tool):
    ddl = {
        "flat": "b BOOLEAN, i8 TINYINT, i32 INT, i64 BIGINT, f32 FLOAT, f64 DOUBLE, s STRING, bin BINARY, dt DATE, "
                "ts TIMESTAMP, d9 DECIMAL(9,2), d38 DECIMAL(38,10)",
        "nested": "xs ARRAY<INT>, m MAP<STRING, BIGINT>, st STRUCT<a: INT, b: STRING, c: ARRAY<DOUBLE>>",
    }
    tables = {"flat": flat_table(), "nested": nested_table()}
    with tempfile.TemporaryDirectory() as tmp:
        for name, table in tables.items():
            rows = [[tool_value(v, table.schema.field(c).type) for c, v in enumerate(r)]
                    for r in zip(*(table.column(c).to_pylist() for c in range(table.num_columns)))]
            src = pathlib.Path(tmp) / f"{name}.jsonl"
            src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
            for variant, flags in [("snappy", ["--row-group-rows", "12", "--page-rows", "5"]),
                                   ("plain", ["--compression", "none", "--no-dictionary"])]:
                subprocess.run([str(tool), "from-jsonl", str(src), ddl[name],
                                str(out / f"ember_{name}_{variant}.parquet"), *flags], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=ROOT / "tests/fuzz/corpus/parquet_reader", type=pathlib.Path)
    parser.add_argument("--tool", default=ROOT / "build/parquet_tool", type=pathlib.Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pyarrow_seeds(args.out)
    ember_seeds(args.out, args.tool)
    files = sorted(args.out.glob("*.parquet"))
    print(f"{len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes in {args.out}")


if __name__ == "__main__":
    main()
