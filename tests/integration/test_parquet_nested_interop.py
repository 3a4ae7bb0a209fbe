"""Nested Parquet columns (LIST, MAP, struct groups) between ember and pyarrow / DuckDB.

(a) pyarrow writes random nested tables (nulls and empty collections at every level, several row
    groups and pages, data page v1 and v2, dictionary on and off, compliant and legacy element
    names); ember reads them through build/parquet_tool and must see exactly what pyarrow reads.
(b) ember writes nested columns; pyarrow and DuckDB read them back and must see the rows ember
    was given, with the Parquet shapes Spark writes (three-level LIST, MAP of key_value).
"""
import json
import os
import pathlib
import random
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("EMBER_BUILD_DIR", ROOT / "build"))
TOOL = BUILD / "parquet_tool"


def run_tool(*args, check=True):
    result = subprocess.run([str(TOOL), *map(str, args)], capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"parquet_tool {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result


def ember_dump(path, *flags):
    out = run_tool("dump", path, *flags).stdout.splitlines()
    return json.loads(out[0]), [json.loads(line) for line in out[1:]]


def canon(value, t):
    """A pyarrow Python value as parquet_tool prints it: maps as [key, value] pairs, structs as
    objects, dates/timestamps as integers."""
    if value is None:
        return None
    if pa.types.is_map(t):
        return [[canon(k, t.key_type), canon(v, t.item_type)] for k, v in value]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [canon(v, t.value_type) for v in value]
    if pa.types.is_struct(t):
        return {t.field(i).name: canon(value[t.field(i).name], t.field(i).type) for i in range(t.num_fields)}
    if pa.types.is_date32(t):
        return (value - __import__("datetime").date(1970, 1, 1)).days
    return value


def canon_rows(table):
    cols = [[canon(v, table.schema.field(i).type) for v in table.column(i).to_pylist()]
            for i in range(table.num_columns)]
    return [list(r) for r in zip(*cols)]


NESTED_TYPES = {
    "xs": pa.list_(pa.int32()),
    "tags": pa.list_(pa.string()),
    "s": pa.struct([("a", pa.int64()), ("b", pa.string()), ("c", pa.list_(pa.float64()))]),
    "m": pa.map_(pa.string(), pa.int32()),
    "grid": pa.list_(pa.list_(pa.int64())),
    "items": pa.list_(pa.struct([("p", pa.int32()), ("q", pa.map_(pa.int32(), pa.string()))])),
    "ms": pa.map_(pa.string(), pa.struct([("x", pa.int32()), ("d", pa.date32())])),
}

EMBER_TYPES = {
    "id": "bigint",
    "xs": "array<int>",
    "tags": "array<string>",
    "s": "struct<a:bigint,b:string,c:array<double>>",
    "m": "map<string,int>",
    "grid": "array<array<bigint>>",
    "items": "array<struct<p:int,q:map<int,string>>>",
    "ms": "map<string,struct<x:int,d:date>>",
}


def random_value(rng, t, depth=0):
    if rng.random() < 0.15:
        return None
    if pa.types.is_map(t):
        n = rng.choice([0, 0, 1, 2, 3, 5])
        keys = rng.sample(range(50), n)
        out = []
        for k in keys:
            key = f"k{k}" if pa.types.is_string(t.key_type) else k
            out.append((key, random_value(rng, t.item_type, depth + 1)))
        return out
    if pa.types.is_list(t):
        return [random_value(rng, t.value_type, depth + 1) for _ in range(rng.choice([0, 0, 1, 2, 3, 7]))]
    if pa.types.is_struct(t):
        return {t.field(i).name: random_value(rng, t.field(i).type, depth + 1) for i in range(t.num_fields)}
    if pa.types.is_string(t):
        return rng.choice(["", "a", "bb", "ümlaut", "x" * 30]) + str(rng.randrange(5))
    if pa.types.is_floating(t):
        return rng.choice([0.0, -1.5, 2.25, 1e10])
    if pa.types.is_date32(t):
        return __import__("datetime").date(2000, 1, 1) + __import__("datetime").timedelta(days=rng.randrange(9000))
    if pa.types.is_int32(t):
        return rng.randrange(-1000, 1000)
    return rng.randrange(-10**12, 10**12)


def nested_table(n, seed=7):
    rng = random.Random(seed)
    cols = {"id": pa.array(range(n), pa.int64())}
    for name, t in NESTED_TYPES.items():
        cols[name] = pa.array([random_value(rng, t) for _ in range(n)], t)
    return pa.table(cols)


@pytest.fixture(scope="module")
def table():
    return nested_table(2000)


# ---------------------------------------------------------------------------------------------
# (a) pyarrow writes, ember reads


@pytest.mark.parametrize("data_page_version", ["1.0", "2.0"])
@pytest.mark.parametrize("use_dictionary", [True, False])
@pytest.mark.parametrize("compliant", [True, False])
def test_ember_reads_pyarrow_nested_columns(tmp_path, table, data_page_version, use_dictionary, compliant):
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path, row_group_size=700, data_page_size=2048, data_page_version=data_page_version,
                   use_dictionary=use_dictionary, use_compliant_nested_type=compliant, compression="snappy")
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    header, rows = ember_dump(path, "--batch-size", "333")
    assert {f["name"]: f["type"] for f in header["schema"]} == EMBER_TYPES
    assert rows == canon_rows(pq.read_table(path))


def test_ember_reads_projected_nested_columns_and_row_ranges(tmp_path, table):
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path, row_group_size=1000)
    header, rows = ember_dump(path, "--columns", "items,id")
    assert [f["name"] for f in header["schema"]] == ["items", "id"]
    want = canon_rows(pq.read_table(path, columns=["items", "id"]))
    assert rows == want
    # Row ranges within a row group: the nested reader slices the assembled rows.
    _, some = ember_dump(path, "--row-group", "1", "--rows", "10:20,500:503")
    full = canon_rows(pq.read_table(path))
    assert some == full[1010:1020] + full[1500:1503]


def test_ember_reads_duckdb_nested_columns(tmp_path):
    path = tmp_path / "duck.parquet"
    duckdb.sql(
        "COPY (SELECT i AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE [i, NULL, i * 2] END AS xs, "
        "{'a': i, 'b': 'v' || i} AS s, MAP(['k' || i], [i]) AS m FROM range(100) t(i)) "
        f"TO '{path}' (FORMAT PARQUET)")
    header, rows = ember_dump(path)
    assert [f["type"] for f in header["schema"]] == ["bigint", "array<bigint>", "struct<a:bigint,b:string>",
                                                     "map<string,bigint>"]
    assert rows == canon_rows(pq.read_table(path))
    assert rows[3] == [3, [3, None, 6], {"a": 3, "b": "v3"}, [["k3", 3]]]
    assert rows[5][1] is None


def test_corrupt_nested_levels_are_an_error_naming_the_file(tmp_path, table):
    path = tmp_path / "nested.parquet"
    pq.write_table(table.select(["id", "grid"]), path, compression="none", use_dictionary=False)
    data = bytearray(path.read_bytes())
    # Flip bytes inside the first data page of the grid column (after the id column's pages).
    meta = pq.ParquetFile(path).metadata.row_group(0).column(1)
    start = meta.data_page_offset + 40
    for k in range(start, start + 64):
        data[k] ^= 0x5A
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(bytes(data))
    result = run_tool("dump", bad, check=False)
    assert result.returncode != 0
    assert "bad.parquet" in result.stderr


# ---------------------------------------------------------------------------------------------
# (b) ember writes, pyarrow and DuckDB read

DDL = ("id BIGINT, xs ARRAY<INT>, tags ARRAY<STRING>, s STRUCT<a: BIGINT, b: STRING, c: ARRAY<DOUBLE>>, "
       "m MAP<STRING, INT>, grid ARRAY<ARRAY<BIGINT>>, items ARRAY<STRUCT<p: INT, q: MAP<INT, STRING>>>, "
       "ms MAP<STRING, STRUCT<x: INT, d: DATE>>")


def tool_value(value, t):
    """A pyarrow Python value in parquet_tool's from-jsonl format (structs as field arrays)."""
    if value is None:
        return None
    if pa.types.is_map(t):
        return [[tool_value(k, t.key_type), tool_value(v, t.item_type)] for k, v in value]
    if pa.types.is_list(t):
        return [tool_value(v, t.value_type) for v in value]
    if pa.types.is_struct(t):
        return [tool_value(value[t.field(i).name], t.field(i).type) for i in range(t.num_fields)]
    return canon(value, t)


def write_with_ember(tmp_path, table, *flags):
    src = tmp_path / "rows.jsonl"
    cols = [[tool_value(v, table.schema.field(i).type) for v in table.column(i).to_pylist()]
            for i in range(table.num_columns)]
    src.write_text("\n".join(json.dumps(list(r), ensure_ascii=False) for r in zip(*cols)) + "\n", encoding="utf-8")
    out = tmp_path / "ember.parquet"
    run_tool("from-jsonl", src, DDL, out, *flags)
    return out


@pytest.mark.parametrize("flags", [(), ("--no-dictionary", "--compression", "zstd"),
                                   ("--row-group-rows", "700", "--page-rows", "64", "--batch-size", "100")])
def test_pyarrow_and_duckdb_read_ember_nested_columns(tmp_path, table, flags):
    path = write_with_ember(tmp_path, table, *flags)
    got = pq.read_table(path)
    # Spark's shapes: three-level LIST (list/element), MAP of key_value (key, value).
    pf = pq.ParquetFile(path)
    names = [pf.schema.column(i).path for i in range(len(pf.schema))]
    assert "xs.list.element" in names and "m.key_value.key" in names and "m.key_value.value" in names
    assert "items.list.element.q.key_value.value" in names
    assert canon_rows(got) == canon_rows(table)
    # ember reads its own file back to the same rows.
    _, rows = ember_dump(path)
    assert rows == canon_rows(table)
    # DuckDB, an independent reader: spot-check a few aggregates over the nested values.
    con = duckdb.connect()
    duck = con.sql(f"SELECT count(*), sum(len(xs)), sum(cardinality(m)), count(s.b), sum(len(grid)) "
                   f"FROM '{path}'").fetchone()
    py = table.to_pylist()
    assert duck[0] == len(py)
    assert duck[1] == sum(len(r["xs"]) for r in py if r["xs"] is not None)
    assert duck[2] == sum(len(r["m"]) for r in py if r["m"] is not None)
    assert duck[3] == sum(1 for r in py if r["s"] is not None and r["s"]["b"] is not None)
    assert duck[4] == sum(len(r["grid"]) for r in py if r["grid"] is not None)
    if "--row-group-rows" in flags:
        assert pf.metadata.num_row_groups == 3
        # Pages start at rows, so a row range read through the page index is exact.
        _, some = ember_dump(path, "--row-group", "2", "--rows", "5:9,500:503")
        assert some == canon_rows(table)[1405:1409] + canon_rows(table)[1900:1903]
    meta = json.loads(pf.metadata.metadata[b"org.apache.spark.sql.parquet.row.metadata"])
    m_type = next(f for f in meta["fields"] if f["name"] == "m")["type"]
    assert m_type == {"type": "map", "keyType": "string", "valueType": "integer", "valueContainsNull": True}


def test_ember_reads_highly_compressed_nested_chunks(tmp_path):
    # 300k map entries whose keys and values repeat: the key chunk holds a few KB of RLE runs for
    # 300k level entries, which must not be mistaken for a corrupt entry count.
    n = 300_000
    t = pa.table({"m": pa.array([[("k", 1)]] * n, pa.map_(pa.string(), pa.int32())),
                  "xs": pa.array([[0, 0, 0]] * n, pa.list_(pa.int32()))})
    path = tmp_path / "runs.parquet"
    pq.write_table(t, path, row_group_size=n)
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).total_compressed_size < 20_000
    _, rows = ember_dump(path)
    assert len(rows) == n
    assert rows[0] == [[["k", 1]], [0, 0, 0]] and rows[-1] == rows[0]


def test_maps_with_array_and_struct_keys_round_trip(tmp_path):
    # Arrays and structs may be map keys (Spark allows any key but a map); pyarrow writes them,
    # ember reads exactly what pyarrow reads, and ember's own file reads back the same in pyarrow.
    key_types = {"ma": pa.map_(pa.list_(pa.int32()), pa.string()),
                 "ms": pa.map_(pa.struct([("x", pa.int32()), ("y", pa.string())]), pa.int64())}
    rows = {"id": [1, 2, 3, 4],
            "ma": [[([1, 2], "a"), ([1], "b")], None, [], [([None], "n"), ([], "e")]],
            "ms": [[({"x": 1, "y": "a"}, 10)], [({"x": None, "y": None}, 20), ({"x": 2, "y": "b"}, 30)], None, []]}
    table = pa.table({"id": pa.array(rows["id"], pa.int64()),
                      **{name: pa.array(rows[name], t) for name, t in key_types.items()}})
    path = tmp_path / "map_keys.parquet"
    pq.write_table(table, path)
    header, got = ember_dump(path)
    assert {f["name"]: f["type"] for f in header["schema"]} == {
        "id": "bigint", "ma": "map<array<int>,string>", "ms": "map<struct<x:int,y:string>,bigint>"}
    assert got == canon_rows(pq.read_table(path))
    src = tmp_path / "rows.jsonl"
    cols = [[tool_value(v, table.schema.field(i).type) for v in table.column(i).to_pylist()]
            for i in range(table.num_columns)]
    src.write_text("\n".join(json.dumps(list(r)) for r in zip(*cols)) + "\n", encoding="utf-8")
    out = tmp_path / "ember_map_keys.parquet"
    run_tool("from-jsonl", src, "id BIGINT, ma MAP<ARRAY<INT>, STRING>, ms MAP<STRUCT<x: INT, y: STRING>, BIGINT>",
             out)
    assert canon_rows(pq.read_table(out)) == canon_rows(table)
