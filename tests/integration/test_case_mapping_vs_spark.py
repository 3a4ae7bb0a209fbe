"""upper, lower and initcap of every Basic Multilingual Plane character, and of words where the
context matters (a final capital sigma, a word's first letter), in ember beside Apache Spark
(PySpark from PyPI, local mode). The reference is Spark's own output: Spark 4 maps case with ICU's
full (one-to-many) mappings, which ember reproduces (types/unicode_case.cpp).
"""
import csv
import io
import subprocess

import pytest

from spark_local import EMBER, local_spark, require_binaries, require_pyspark

require_pyspark()

WORDS = ["straße STRASSE", "ΟΔΟΣ ΟΔΟΣ.", "ΣΑΣ", "aΣ b", "Σ", "ΌΣΟΣ'Σ", "İstanbul İSTANBUL", "ǆungla ǉubav ǋ",
         "ﬁne ﬂow ﬀ ﬃ ﬄ ﬅ ﬆ", "ŉ ǰ ΐ ΰ և", "ᾳ ᾼ ῳ ᾀ ᾈ", "ẖẗẘẙẚ", "ﬓﬔﬕﬖﬗ", "hello wORLD  x", "K Å Ω ẞ ϴ",
         "ა ბ Ა", "ab\u0301c ΑΣ\u0301", ""]


def texts():
    chars = [chr(c) for c in range(0xA0, 0x10000) if not 0xD800 <= c <= 0xDFFF]
    return chars + WORDS


@pytest.fixture(scope="module")
def spark():
    require_binaries(EMBER)
    session = local_spark("ember-case-mapping", threads=1, log_level="OFF")
    yield session
    session.stop()


def test_upper_lower_initcap_equal_sparks(spark, tmp_path):
    values = texts()
    df = spark.createDataFrame(list(enumerate(values)), "i int, w string")
    expected = {r.i: (r.u, r.l, r.t) for r in
                df.selectExpr("i", "upper(w) u", "lower(w) l", "initcap(w) t").collect()}
    path = tmp_path / "words.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["i", "w"])
        w.writerows(enumerate(values))
    result = subprocess.run(
        [str(EMBER), "sql", "--master", "local[2]", "--mode", "csv", "-e",
         f"CREATE TEMPORARY VIEW t USING csv OPTIONS (path '{path}', header 'true', multiLine 'true');"
         "SELECT i, upper(w) u, lower(w) l, initcap(w) t FROM t ORDER BY i"],
        capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))[1:]
    assert len(rows) == len(values)
    differences = []
    for row in rows:
        i = int(row[0])
        got = tuple(row[1:])
        # ember's CSV output writes an empty string and NULL alike; Spark's value is "" here.
        want = tuple(v if v is not None else "" for v in expected[i])
        if got != want:
            differences.append((values[i], [hex(ord(c)) for c in values[i]], want, got))
    assert not differences, f"{len(differences)} differ, first: {differences[:5]}"
