"""`ember check` and `ember profile` on generated data with known defects, checked against DuckDB.

Every metric in the JSON report `ember check` writes is recomputed by DuckDB from the same CSV
files (DuckDB's regular expressions are RE2, as ember's); the exit code follows the error-level
checks; the metrics repository is a Parquet dataset DuckDB reads; and the checks `ember profile
--suggest` proposes pass on the data they were suggested from.
"""
import json
import os
import pathlib
import random
import subprocess

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / "build" / "ember"
EMAIL = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"


def run(args, cwd):
    env = dict(os.environ, TERM="dumb")
    return subprocess.run([str(BINARY), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build first (./dev.sh test builds it)")
    d = tmp_path_factory.mktemp("quality_cli")
    rng = random.Random(11)
    with open(d / "customers.csv", "w") as f:
        f.write("id,name\n")
        for c in range(1, 301):
            f.write(f"{c},customer {c}\n")
    with open(d / "orders.csv", "w") as f:
        f.write("id,customer_id,amount,status,email,code\n")
        for i in range(5000):
            oid = "" if rng.random() < 0.01 else str(i // 2 if rng.random() < 0.05 else 10_000 + i)
            cust = "" if rng.random() < 0.02 else str(rng.randint(1, 320))
            amount = "" if rng.random() < 0.03 else f"{rng.choice([-1, 1, 1, 1, 1]) * rng.randint(0, 99999) / 100:.2f}"
            status = rng.choice(["new", "paid", "shipped", "refund", "lost", ""])
            user = f"user{rng.randint(0, 999)}"
            email = rng.choice([f"{user}@mail.example.com"] * 8 + [f"{user}.example.com", f"{user}@localhost", ""])
            code = rng.choice([str(rng.randint(0, 99999))] * 9 + [f"X{rng.randint(0, 99)}"])
            f.write(f"{oid},{cust},{amount},{status},{email},{code}\n")
    return d


SPEC = """
dataset:
  path: orders.csv
  options: {header: true}
  schema: "id INT, customer_id INT, amount DOUBLE, status STRING, email STRING, code STRING"
references:
  customers: {path: customers.csv, options: {header: true, inferSchema: true}}
reports: {json: out/report.json, html: out/report.html}
metrics_repository: out/metrics
tags: {pipeline: nightly}
checks:
  - description: keys
    level: %(level)s
    constraints:
      - is_complete: id
      - is_unique: id
      - is_contained_in_reference: {column: customer_id, reference: customers, reference_column: id}
  - description: values
    level: warning
    constraints:
      - has_completeness: {column: amount, ge: 0.9}
      - is_non_negative: amount
      - is_between: {column: amount, min: 0, max: 500}
      - has_min: {column: amount, ge: -1000}
      - has_max: {column: amount, le: 1000}
      - has_mean: {column: amount, between: [0, 1000]}
      - has_stddev: {column: amount, lt: 1000}
      - has_sum: {column: amount, gt: 0}
      - is_contained_in: {column: status, values: [new, paid, shipped, refund]}
      - has_distinct_count: {column: status, eq: 5}
      - contains_email: email
      - is_castable_to: {column: code, type: int}
      - has_size: {eq: 5000}
      - satisfies: "amount >= 0 OR status = 'refund'"
      - has_metric: {expression: "sum(CASE WHEN status = 'refund' THEN amount END) / sum(amount)", name: refund share, lt: 0.5}
"""

DUCKDB_METRICS = {
    "Completeness(id) == 1": "avg(CASE WHEN id IS NOT NULL THEN 1 ELSE 0 END)",
    "Completeness(amount) >= 0.9": "avg(CASE WHEN amount IS NOT NULL THEN 1 ELSE 0 END)",
    "NonNegative(amount) == 1": "avg(CASE WHEN amount IS NULL OR amount >= 0 THEN 1 ELSE 0 END)",
    "Between(amount IN [0, 500]) == 1": "avg(CASE WHEN amount IS NULL OR amount BETWEEN 0 AND 500 THEN 1 ELSE 0 END)",
    "Minimum(amount) >= -1000": "min(amount)",
    "Maximum(amount) <= 1000": "max(amount)",
    "Mean(amount) between 0 and 1000": "avg(amount)",
    "StandardDeviation(amount) < 1000": "stddev_pop(amount)",
    "Sum(amount) > 0": "sum(amount)",
    "ContainedIn(status IN (new, paid, shipped, refund)) == 1":
        "avg(CASE WHEN status IS NULL OR status IN ('new', 'paid', 'shipped', 'refund') THEN 1 ELSE 0 END)",
    "CountDistinct(status) == 5": "count(DISTINCT status)",
    "PatternMatch(email ~ email) == 1":
        f"avg(CASE WHEN email IS NULL OR regexp_full_match(email, '{EMAIL}') THEN 1 ELSE 0 END)",
    "Castable(code AS int) == 1": "avg(CASE WHEN code IS NULL OR TRY_CAST(code AS INTEGER) IS NOT NULL THEN 1 ELSE 0 END)",
    "Size(*) == 5000": "count(*)",
    "Compliance(amount >= 0 OR status = 'refund') == 1":
        "avg(CASE WHEN coalesce(amount >= 0 OR status = 'refund', false) THEN 1 ELSE 0 END)",
    "Metric(refund share) < 0.5": "sum(CASE WHEN status = 'refund' THEN amount END) / sum(amount)",
}


def duckdb_orders(con, work):
    con.execute(
        f"""CREATE OR REPLACE VIEW o AS SELECT * FROM read_csv('{work}/orders.csv', header=true,
        columns={{'id': 'INTEGER', 'customer_id': 'INTEGER', 'amount': 'DOUBLE', 'status': 'VARCHAR',
                  'email': 'VARCHAR', 'code': 'VARCHAR'}})"""
    )
    con.execute(f"CREATE OR REPLACE VIEW c AS SELECT * FROM read_csv('{work}/customers.csv', header=true)")


def test_check_metrics_match_duckdb_and_error_level_fails(work):
    (work / "spec.yaml").write_text(SPEC % {"level": "error"})
    result = run(["check", "spec.yaml"], work)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL" in result.stdout and "Error:" in result.stdout
    report = json.loads((work / "out" / "report.json").read_text())
    assert report["status"] == "Error"
    values = {k["constraint"]: k["value"] for c in report["checks"] for k in c["constraints"]}
    con = duckdb.connect()
    duckdb_orders(con, work)
    for constraint, expr in DUCKDB_METRICS.items():
        expected = con.execute(f"SELECT {expr} FROM o").fetchone()[0]
        assert values[constraint] == pytest.approx(expected, rel=1e-9), constraint
    uniqueness = con.execute(
        "SELECT sum(CASE WHEN n = 1 THEN 1 ELSE 0 END) / sum(n) FROM "
        "(SELECT count(*) AS n FROM o WHERE id IS NOT NULL GROUP BY id)"
    ).fetchone()[0]
    assert values["Uniqueness(id) == 1"] == pytest.approx(uniqueness, rel=1e-12)
    integrity = con.execute(
        "SELECT avg(CASE WHEN customer_id IN (SELECT id FROM c) THEN 1 ELSE 0 END) FROM o WHERE customer_id IS NOT NULL"
    ).fetchone()[0]
    assert values["ReferentialIntegrity(customer_id -> reference.id) == 1"] == pytest.approx(integrity, rel=1e-12)

    html = (work / "out" / "report.html").read_text()
    assert "Failing constraints" in html and "Uniqueness(id) == 1" in html
    for external in ("<script", "<link", "src=", "url("):
        assert external not in html


def test_warning_level_failures_exit_zero_and_metrics_accumulate(work):
    (work / "spec.yaml").write_text(SPEC % {"level": "warning"})
    result = run(["check", "spec.yaml", "--quiet"], work)
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect()
    runs = con.execute(
        f"SELECT count(DISTINCT run_time), count(*), min(tags) FROM read_parquet('{work}/out/metrics/*.parquet') "
        "WHERE metric = 'Size'"
    ).fetchone()
    assert runs[0] >= 1 and runs[0] == runs[1] and runs[2] == "pipeline=nightly"


def test_dataset_and_tags_from_the_command_line(work):
    (work / "spec.yaml").write_text(SPEC % {"level": "error"})
    # The first 1,000 orders as "today's partition": same suite, other data, its own tag set.
    lines = (work / "orders.csv").read_text().splitlines()
    (work / "today.csv").write_text("\n".join(lines[:1001]) + "\n")
    result = run(["check", "spec.yaml", "--dataset", "today.csv", "--tag", "day=2024-06-01", "--json", "out/today.json"],
                 work)
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads((work / "out" / "today.json").read_text())
    assert report["dataset"] == "today.csv"
    sizes = [k["value"] for c in report["checks"] for k in c["constraints"] if k["metric"] == "Size"]
    assert sizes == [1000]
    con = duckdb.connect()
    tags = con.execute(
        f"SELECT DISTINCT tags FROM read_parquet('{work}/out/metrics/*.parquet') WHERE dataset = 'today.csv'"
    ).fetchall()
    assert tags == [("day=2024-06-01,pipeline=nightly",)]


def test_bad_spec_names_the_line_and_exits_two(work):
    (work / "bad.yaml").write_text("dataset: orders.csv\nchecks:\n  - constraints:\n      - is_complet: id\n")
    result = run(["check", "bad.yaml"], work)
    assert result.returncode == 2
    assert "bad.yaml, line 4" in result.stderr and "unknown constraint 'is_complet'" in result.stderr


def test_profile_suggestions_pass_on_their_own_data(work):
    result = run(["profile", "orders.csv", "--suggest"], work)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "5000 rows" in out
    suggested = out[out.index("dataset:"):]
    (work / "suggested.yaml").write_text(suggested)
    check = run(["check", "suggested.yaml"], work)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Success" in check.stdout
