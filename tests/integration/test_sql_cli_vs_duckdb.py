"""`ember sql` on a generated CSV file, checked against DuckDB running the same query.

Covers -f scripts (several statements, a view over the file), --mode csv output, the exit codes,
and the error text for a misspelled column (the close match is suggested) and a syntax error
(line and column).
"""
import csv
import io
import os
import pathlib
import random
import subprocess

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / "build" / "ember"


def run(args, cwd):
    env = dict(os.environ, TERM="dumb")
    return subprocess.run([str(BINARY), "sql", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build first (./dev.sh test builds it)")
    d = tmp_path_factory.mktemp("sql_cli")
    rng = random.Random(5)
    with open(d / "sales.csv", "w") as f:
        f.write("id,region,amount,day\n")
        for i in range(2000):
            region = rng.choice(["north", "south", "east", "west", ""])
            f.write(f"{i},{region},{rng.randint(1, 99999) / 100:.2f},2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n")
    return d


def test_script_matches_duckdb(work):
    (work / "report.sql").write_text(
        "-- a report over one CSV file\n"
        "CREATE TEMP VIEW sales (id INT, region STRING, amount DECIMAL(10,2), day DATE)\n"
        "  USING csv OPTIONS (path 'sales.csv', header 'true');\n"
        "SELECT region, count(*) AS n, sum(amount) AS total, max(day) AS last_day\n"
        "FROM sales WHERE amount > 10 GROUP BY region ORDER BY region NULLS FIRST;\n")
    r = run(["-f", "report.sql", "--mode", "csv"], work)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == ["region", "n", "total", "last_day"]
    con = duckdb.connect()
    expected = con.execute(
        "SELECT region, count(*), sum(amount), max(day) FROM read_csv(?, header=true, "
        "columns={'id': 'INTEGER', 'region': 'VARCHAR', 'amount': 'DECIMAL(10,2)', 'day': 'DATE'}) "
        "WHERE amount > 10 GROUP BY region ORDER BY region NULLS FIRST", [str(work / "sales.csv")]).fetchall()
    got = [(r[0] or None, int(r[1]), r[2], r[3]) for r in rows[1:]]
    assert got == [(e[0], e[1], f"{e[2]:.2f}", e[3].isoformat()) for e in expected]


def test_misspelled_column_suggests_and_fails(work):
    r = run(["-e", "CREATE TEMP VIEW s USING csv OPTIONS (path 'sales.csv', header 'true'); SELECT regoin FROM s"], work)
    assert r.returncode == 1
    assert "UNRESOLVED_COLUMN.WITH_SUGGESTION" in r.stderr and "did you mean 'region'" in r.stderr


def test_syntax_error_names_line_and_column(work):
    r = run(["-e", "SELECT id,\n  substring(region FORM 2)\nFROM range(3)"], work)
    assert r.returncode == 1
    assert "syntax error at line 2, column 20: expected ')' near 'FORM'" in r.stderr


def test_stdin_statements_and_help(work):
    r = subprocess.run([str(BINARY), "sql"], input="SELECT 40 +\n 2 AS answer;\n.mode tsv\nSELECT 'x' AS c;\n",
                       cwd=work, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "|answer|" in r.stdout and "|42    |" in r.stdout and r.stdout.endswith("c\nx\n")
    assert run(["--help"], work).returncode == 0
    assert run(["--bogus"], work).returncode == 2
