"""Plan quality of the 22 TPC-H queries at scale factor 0.1 (bench/tpch/plan_quality.py).

No plan may contain a cross product between inputs that conditions connect, or build the hash
table of an inner join on the side the estimator thinks larger. The data comes from the same
fixture as test_tpch_vs_duckdb.py.
"""
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "tpch"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import plan_quality  # noqa: E402
from test_tpch_vs_duckdb import QUERIES, tpch_dir  # noqa: E402,F401  (tpch_dir is a fixture)


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_plan_has_no_cross_product_and_builds_the_smaller_side(tpch_dir, query):  # noqa: F811
    logical, physical = plan_quality.explain_cost(tpch_dir, query.read_text(), [])
    problems, report = plan_quality.check_query(query.stem, logical, physical)
    assert not problems, "\n".join(problems + report)


def test_checker_catches_a_cross_product(tpch_dir):  # noqa: F811
    # With both join reordering rules off, the written order of Q2 (FROM part, supplier, ...)
    # starts with a cross product, and the checker must say so.
    query = ROOT / "bench" / "tpch" / "queries" / "q02.sql"
    logical, physical = plan_quality.explain_cost(
        tpch_dir, query.read_text(),
        ["spark.sql.optimizer.excludedRules=CostBasedJoinReorder,ReorderJoin"])
    problems, _ = plan_quality.check_query("q02", logical, physical)
    assert any("cross product" in p for p in problems), problems
