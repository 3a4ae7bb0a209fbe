"""Dictionary-encoded strings through ember's filters and aggregation give DuckDB's answers.

One table is written by pyarrow four ways: dictionary-encoded (data pages v1), dictionary-encoded
with data pages v2, without dictionaries (PLAIN strings: ember's flat path), and with a dictionary
page limit so small that the high-cardinality column falls back to PLAIN in the middle of its
column chunks (batches that start encoded and end flat). Every query runs through `ember sql` on
each file and through DuckDB on the same file; the rows must be equal. Comparisons with constants,
IN, LIKE, startswith/endswith/contains and IS NULL take the per-dictionary-entry path on the
encoded files and the per-row path on the plain one, and grouping by dictionary keys takes the
group-by-code path, so both paths are checked against the same independent answer.
"""
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parquet_vs_duckdb import EMBER, run_duckdb, run_ember

NULL = "<null>"

MODES = ["AIR", "MAIL", "SHIP", "RAIL", "TRUCK", "FOB", "REG AIR", ""]
WORDS = ["quick", "fox", "slyly", "ironic", "deposits", "furiously", "regular", "pinto", "beans"]


def make_table(rows=30000, seed=7):
    rng = random.Random(seed)
    ids, modes, flags, status, comments, qty = [], [], [], [], [], []
    for i in range(rows):
        ids.append(i)
        modes.append(None if rng.random() < 0.07 else rng.choice(MODES))
        flags.append(rng.choice(["A", "N", "R"]))
        status.append(None if rng.random() < 0.02 else rng.choice(["F", "O"]))
        comments.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) + f" {rng.randint(0, 5000)}")
        qty.append(rng.randint(1, 50))
    return pa.table({"id": pa.array(ids, pa.int64()), "mode": modes, "flag": flags, "status": status,
                     "comment": comments, "qty": pa.array(qty, pa.int32())})


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if not EMBER.exists():
        pytest.fail(f"{EMBER} is missing: build first (./dev.sh test builds it)")
    d = tmp_path_factory.mktemp("dict")
    t = make_table()
    common = dict(row_group_size=7000, data_page_size=8192, compression="snappy")
    out = {
        "dictionary": d / "dictionary.parquet",
        "dictionary_v2": d / "dictionary_v2.parquet",
        "plain": d / "plain.parquet",
        "fallback": d / "fallback.parquet",
    }
    pq.write_table(t, out["dictionary"], use_dictionary=True, **common)
    pq.write_table(t, out["dictionary_v2"], use_dictionary=True, data_page_version="2.0", **common)
    pq.write_table(t, out["plain"], use_dictionary=False, **common)
    pq.write_table(t, out["fallback"], use_dictionary=True, dictionary_pagesize_limit=4096, **common)
    # The files are what their names say: the encoded ones hold dictionary pages for the string
    # columns, the plain one none, and the fallback file's comment chunks mix both.
    meta = pq.ParquetFile(out["fallback"]).metadata.row_group(0)
    comment = next(meta.column(i) for i in range(meta.num_columns) if meta.column(i).path_in_schema == "comment")
    assert comment.has_dictionary_page and "PLAIN" in comment.encodings
    plain = pq.ParquetFile(out["plain"]).metadata.row_group(0).column(1)
    assert not plain.has_dictionary_page
    return out


# (ember SQL, DuckDB SQL or None when the text is the same). Queries end in ORDER BY or return one
# row, and rows are compared after sorting anyway.
QUERIES = [
    ("SELECT id FROM t WHERE mode = 'MAIL'", None),
    ("SELECT id FROM t WHERE 'MAIL' = mode", None),
    ("SELECT id FROM t WHERE mode <> 'MAIL'", None),
    ("SELECT id FROM t WHERE mode < 'RAIL'", None),
    ("SELECT id FROM t WHERE mode >= 'RAIL' AND qty > 25", None),
    ("SELECT id FROM t WHERE mode IN ('AIR', 'SHIP', '')", None),
    ("SELECT id FROM t WHERE mode NOT IN ('AIR', 'SHIP')", None),
    ("SELECT id FROM t WHERE mode LIKE '%AI%'", None),
    ("SELECT id FROM t WHERE mode NOT LIKE 'R%'", None),
    ("SELECT id FROM t WHERE startswith(mode, 'T')", "SELECT id FROM t WHERE starts_with(mode, 'T')"),
    ("SELECT id FROM t WHERE endswith(mode, 'IL')", "SELECT id FROM t WHERE ends_with(mode, 'IL')"),
    ("SELECT id FROM t WHERE contains(mode, 'A')", None),
    ("SELECT id FROM t WHERE mode IS NULL", None),
    ("SELECT id, mode FROM t WHERE mode IS NOT NULL AND flag = 'R' AND status = 'O'", None),
    ("SELECT id FROM t WHERE mode = 'AIR' OR comment LIKE '%fox fox%'", None),
    ("SELECT id FROM t WHERE mode <=> NULL", "SELECT id FROM t WHERE mode IS NOT DISTINCT FROM NULL"),
    ("SELECT id, comment FROM t WHERE comment LIKE 'quick%' AND qty < 5", None),
    ("SELECT id, CASE WHEN mode = 'AIR' THEN 'air' ELSE mode END AS m FROM t WHERE flag = 'N'", None),
    ("SELECT flag, status, count(*) AS n, sum(qty) AS q FROM t GROUP BY flag, status", None),
    ("SELECT mode, count(*) AS n, min(comment) AS lo, max(comment) AS hi FROM t WHERE flag = 'R' GROUP BY mode",
     None),
    ("SELECT mode, flag, status, count(*) AS n FROM t WHERE qty > 10 GROUP BY mode, flag, status", None),
    ("SELECT upper(mode) AS u, count(*) AS n FROM t GROUP BY upper(mode)", None),
    ("SELECT comment, count(*) AS n FROM t GROUP BY comment HAVING count(*) > 1", None),
    ("SELECT count(DISTINCT comment) AS c, count(DISTINCT mode) AS m FROM t", None),
    ("SELECT mode, count(*) FILTER (WHERE status = 'F') AS n FROM t GROUP BY mode", None),
    ("SELECT mode, id FROM t WHERE id % 97 = 0 ORDER BY mode, id", None),
    ("SELECT a.id AS x, b.id AS y FROM t a JOIN t b ON a.comment = b.comment WHERE a.mode = 'FOB' "
     "AND b.mode = 'RAIL' AND a.qty = 1", None),
]


def canon(v):
    if v is None:
        return NULL
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


@pytest.mark.parametrize("kind", ["dictionary", "dictionary_v2", "plain", "fallback"])
@pytest.mark.parametrize("query", QUERIES, ids=[f"q{i:02d}" for i in range(len(QUERIES))])
def test_query_matches_duckdb(files, kind, query):
    ember_sql, duck_sql = query
    path = files[kind]
    names, expected = run_duckdb(path, duck_sql or ember_sql, canon)
    got = run_ember(path, ember_sql, names, canon)
    assert len(got) == len(expected), f"{kind}: {len(got)} rows, DuckDB {len(expected)}"
    assert got == expected
