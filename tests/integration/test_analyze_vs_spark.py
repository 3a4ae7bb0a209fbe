"""ANALYZE TABLE in ember beside Apache Spark (PySpark from PyPI, local mode): the same table made by
the same SQL in both engines' warehouses, ANALYZE TABLE ... FOR ALL COLUMNS in both, and every row of
`DESCRIBE EXTENDED t col` (min, max, num_nulls, distinct_count, avg_col_len, max_col_len, histogram,
as Spark prints them) compared, then the row count of DESCRIBE EXTENDED's Statistics row and the
error classes of the failing forms. The reference is Spark's own output. The distinct count is an
HyperLogLog++ estimate in both; ember's is Spark's algorithm and hash, so they agree exactly.
"""
import csv
import subprocess

import pytest

from spark_local import EMBER, local_spark, require_binaries, require_pyspark

require_pyspark()

# 5000 rows: integers with 3001 distinct values, doubles and strings with nulls, strings of 0..16
# characters, dates over 400 days, decimals, booleans and timestamps (midnights, UTC).
CREATE = """CREATE TABLE gen USING parquet AS SELECT
  id,
  CAST((id * 7919) % 3001 AS INT) AS a,
  CASE WHEN id % 7 = 0 THEN NULL ELSE CAST((id * 31) % 1000 AS DOUBLE) / 8 END AS d,
  CASE WHEN id % 9 = 0 THEN NULL ELSE repeat('x', CAST(id % 17 AS INT)) END AS s,
  date_add(DATE'2020-01-01', CAST(id % 400 AS INT)) AS dt,
  CAST(CAST(id % 1000 AS DECIMAL(12,3)) / 8 AS DECIMAL(12,3)) AS m,
  id % 3 = 0 AS b,
  CAST(date_add(DATE'2021-06-01', CAST(id % 50 AS INT)) AS TIMESTAMP) AS ts
FROM range(5000)"""
COLUMNS = ["id", "a", "d", "s", "dt", "m", "b", "ts"]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    require_binaries(EMBER)
    session = local_spark("ember-analyze", log_level="OFF", java_options="-Duser.timezone=UTC -XX:+UseSerialGC",
                          **{"spark.sql.shuffle.partitions": "2", "spark.sql.session.timeZone": "UTC",
                             "spark.sql.warehouse.dir": str(tmp_path_factory.mktemp("spark_wh"))})
    yield session
    session.stop()


def ember(warehouse, *statements):
    """Runs statements through `ember sql`; returns (stdout, stderr, exit status)."""
    result = subprocess.run([str(EMBER), "sql", "--master", "local[2]", "--warehouse", str(warehouse),
                             "--conf", "spark.sql.session.timeZone=UTC", "--mode", "csv", "-e",
                             "; ".join(statements)], capture_output=True, text=True, timeout=300)
    return result.stdout, result.stderr, result.returncode


def ember_rows(warehouse, statement):
    """The rows of one statement's result (CSV without its header line)."""
    out, err, status = ember(warehouse, statement)
    assert status == 0, err
    return list(csv.reader(out.splitlines()))[1:]


def test_column_statistics_match_spark(spark, tmp_path):
    spark.sql("DROP TABLE IF EXISTS gen")
    spark.sql(CREATE)
    spark.sql("ANALYZE TABLE gen COMPUTE STATISTICS FOR ALL COLUMNS")
    wh = tmp_path / "wh"
    ember(wh, CREATE, "ANALYZE TABLE gen COMPUTE STATISTICS FOR ALL COLUMNS")
    for col in COLUMNS:
        expected = [[r.info_name, r.info_value] for r in spark.sql(f"DESCRIBE EXTENDED gen {col}").collect()]
        got = ember_rows(wh, f"DESCRIBE EXTENDED gen {col}")
        assert got == expected, col
    spark_stats = [r.data_type for r in spark.sql("DESCRIBE EXTENDED gen").collect() if r.col_name == "Statistics"]
    ember_stats = [r[1] for r in ember_rows(wh, "DESCRIBE EXTENDED gen") if r[0] == "Statistics"]
    # The bytes differ with the Parquet writer; the row count is the table's.
    assert [s.split(", ")[1] for s in ember_stats] == [s.split(", ")[1] for s in spark_stats] == ["5000 rows"]


def spark_error_class(spark, statement):
    try:
        spark.sql(statement).collect()
    except Exception as e:  # noqa: BLE001 - PySpark raises several exception types
        return e.getCondition()
    return None


def test_errors_match_spark(spark, tmp_path):
    spark.sql("DROP TABLE IF EXISTS e")
    spark.sql("CREATE TABLE e USING parquet AS SELECT 1 AS a, array(1) AS arr")
    spark.sql("CREATE OR REPLACE TEMP VIEW v AS SELECT 1 AS x")
    setup = ["CREATE TABLE e USING parquet AS SELECT 1 AS a, array(1) AS arr",
             "CREATE TEMP VIEW v AS SELECT 1 AS x"]
    for i, statement in enumerate(["ANALYZE TABLE e COMPUTE STATISTICS FOR ALL COLUMNS",
                      "ANALYZE TABLE e COMPUTE STATISTICS FOR COLUMNS arr",
                      "ANALYZE TABLE e COMPUTE STATISTICS FOR COLUMNS nope",
                      "ANALYZE TABLE nope COMPUTE STATISTICS",
                      "ANALYZE TABLE v COMPUTE STATISTICS",
                      "ANALYZE TABLE v COMPUTE STATISTICS FOR COLUMNS x",
                      "ANALYZE TABLES IN nope COMPUTE STATISTICS",
                      "DESCRIBE EXTENDED e nope"]):
        expected = spark_error_class(spark, statement)
        assert expected is not None, statement
        _, err, status = ember(tmp_path / f"wh{i}", *setup, statement)
        assert status != 0 and f"[{expected}]" in err, (statement, expected, err)
