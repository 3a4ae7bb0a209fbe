"""ember's JSON lines reader against DuckDB's read_ndjson and pyarrow.json on the same files.

A generated JSON lines dataset (numbers that widen from bigint to double, strings with escapes and
non-ASCII text, booleans, nulls, missing fields, arrays, nested objects) is read by ember through
`ember sql` (CREATE TEMP VIEW ... USING json) and by DuckDB and pyarrow; where their semantics agree
with Spark's the values must be equal. The binary is looked up in $EMBER_BUILD_DIR (default build/).
"""
import csv
import datetime
import io
import json
import os
import pathlib
import random
import subprocess

import duckdb
import pyarrow.json as pj
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("EMBER_BUILD_DIR", ROOT / "build"))
EMBER = BUILD / "ember"


def ember_sql(path, query):
    script = f"CREATE TEMPORARY VIEW v USING json OPTIONS (path '{path}'); {query};"
    result = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--mode", "csv", "-e", script],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    if not EMBER.exists():
        pytest.fail(f"{EMBER} is missing: build the ember target first")
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("json") / "data.json"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(5000):
            rec = {"id": i, "score": i * 0.5 if i % 3 else i, "name": rng.choice(["a", "b\"q", "é ü", "tab\tx"])}
            if i % 7:
                rec["flag"] = i % 2 == 0
            if i % 11 == 0:
                rec["name"] = None
            rec["tags"] = [rng.randint(0, 9) for _ in range(i % 4)]
            rec["pt"] = {"x": i % 10, "y": str(i)}
            f.write(json.dumps(rec, ensure_ascii=i % 2 == 0) + "\n")
    return path


def test_schema_matches_spark_and_duckdb_types(dataset):
    rows = ember_sql(dataset, "DESCRIBE v")
    ember_types = {r[0]: r[1] for r in rows[1:]}
    assert ember_types == {"flag": "boolean", "id": "bigint", "name": "string", "pt": "struct<x:bigint,y:string>",
                           "score": "double", "tags": "array<bigint>"}
    duck = dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_ndjson_auto('{dataset}')").fetchall()[i][:2]
                for i in range(6))
    assert duck["id"] == "BIGINT" and duck["score"] == "DOUBLE" and duck["flag"] == "BOOLEAN"
    # Spark (and ember) sort the inferred fields by name.
    assert [r[0] for r in rows[1:]] == sorted(ember_types)


def test_values_equal_duckdb(dataset):
    query = "SELECT id, score, name, flag, size(tags), pt.x, pt.y FROM v ORDER BY id"
    got = ember_sql(dataset, query)[1:]
    want = duckdb.sql(f"SELECT id, score, name, flag, len(tags), pt.x, pt.y FROM read_ndjson_auto('{dataset}') "
                      f"ORDER BY id").fetchall()
    assert len(got) == len(want) == 5000
    for g, w in zip(got, want):
        assert int(g[0]) == w[0]
        assert float(g[1]) == w[1]
        assert (g[2] if g[2] != "" else None) == w[2] or (g[2] == "" and w[2] == "")
        assert g[3] == ("" if w[3] is None else str(w[3]).lower())
        assert int(g[4]) == w[4] and int(g[5]) == w[5] and g[6] == w[6]


def test_aggregates_equal_pyarrow(dataset):
    table = pj.read_json(dataset)
    got = ember_sql(dataset, "SELECT count(*), sum(id), sum(score), count(flag), count(name), sum(pt.x) FROM v")[1]
    assert int(got[0]) == table.num_rows
    assert int(got[1]) == sum(table.column("id").to_pylist())
    assert float(got[2]) == pytest.approx(sum(table.column("score").to_pylist()))
    assert int(got[3]) == table.column("flag").drop_null().__len__()
    assert int(got[4]) == table.column("name").drop_null().__len__()
    assert int(got[5]) == sum(p["x"] for p in table.column("pt").to_pylist())


def test_files_ember_writes_are_read_by_duckdb_and_pyarrow(tmp_path):
    out = tmp_path / "written"
    script = (f"CREATE TABLE t USING json LOCATION '{out}' AS "
              "SELECT id, CAST(id AS DECIMAL(10, 2)) / 4 AS price, CONCAT('n\"', CAST(id AS STRING)) AS name, "
              "CASE WHEN id % 3 = 0 THEN NULL ELSE id * 1.5D END AS d, id % 2 = 0 AS flag, "
              "ARRAY(id, id + 1) AS arr, NAMED_STRUCT('a', id, 'b', CAST(NULL AS STRING)) AS st, "
              "DATE_ADD(DATE'2024-02-28', CAST(id AS INT)) AS day FROM range(0, 1000)")
    result = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--warehouse", str(tmp_path / "warehouse"),
                             "-e", script + ";"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (out / "_SUCCESS").exists()
    files = sorted(out.glob("part-*.json"))
    assert files
    duck = duckdb.sql(f"SELECT id, price, name, d, flag, arr, st.a, day FROM read_ndjson_auto('{out}/part-*.json') "
                      "ORDER BY id").fetchall()
    assert len(duck) == 1000
    for row in duck:
        i = row[0]
        assert float(row[1]) == i / 4
        assert row[2] == f'n"{i}'
        assert row[3] == (None if i % 3 == 0 else i * 1.5)
        assert row[4] == (i % 2 == 0)
        assert row[5] == [i, i + 1]
        assert row[6] == i
        assert str(row[7]) == str(datetime.date(2024, 2, 28) + datetime.timedelta(days=i))
    # Null fields are left out of the objects, as Spark writes them.
    first = json.loads(open(files[0], encoding="utf-8").readline())
    assert "b" not in first["st"]
    table = pa_concat([pj.read_json(f) for f in files])
    assert sorted(table.column("id").to_pylist()) == list(range(1000))


def pa_concat(tables):
    import pyarrow as pa
    return pa.concat_tables([t.select(["id"]) for t in tables])
