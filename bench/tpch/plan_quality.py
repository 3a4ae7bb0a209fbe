"""Plan quality of the 22 TPC-H queries: the join order and join strategies ember chooses.

For each query, `EXPLAIN COST` gives the optimized logical plan with each node's estimated
statistics and the physical plan. The script prints each query's join tree (tables, build side,
broadcast or shuffle, estimated rows) and fails (exit status 1) when a plan
  - joins two inputs without any condition (a cross product) where neither side is a single row
    (an uncorrelated scalar subquery is one row, so joining it is no cross product), or
  - builds the hash table of an inner join on the side estimated larger (broadcast or shuffled).

    bench/tpch/plan_quality.py --data DIR [--queries q02,q05] [--conf KEY=VALUE ...]

DIR holds the tables as <table>.parquet (`ember gen tpch --scale 0.1 --out DIR`).
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBER = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "ember"
QUERIES = ROOT / "bench" / "tpch" / "queries"
TABLES = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]

STATS = re.compile(r", Statistics\(sizeInBytes=([0-9.]+) (B|KiB|MiB|GiB|TiB|PiB|EiB)(?:, rowCount=([0-9.E+]+))?\)$")
UNITS = {"B": 0, "KiB": 1, "MiB": 2, "GiB": 3, "TiB": 4, "PiB": 5, "EiB": 6}
PHYSICAL_JOIN = re.compile(r"(BroadcastHashJoin|ShuffledHashJoin|BroadcastNestedLoopJoin)\b(.*)")


class Node:
    def __init__(self, text, depth):
        self.text, self.depth, self.children = text, depth, []
        m = STATS.search(text)
        self.bytes = float(m.group(1)) * 1024 ** UNITS[m.group(2)] if m else None
        self.rows = float(m.group(3)) if m and m.group(3) else None
        self.head = STATS.sub("", text)


def parse_tree(lines):
    """Spark's indented tree ("+- " / ":- " every three columns) into Nodes."""
    root, stack = None, []
    for line in lines:
        m = re.match(r"^((?:   |:  )*)([+:]- )", line)
        depth = len(m.group(1)) // 3 + 1 if m else 0
        node = Node(line[len(m.group(0)):] if m else line, depth)
        while stack and stack[-1].depth >= depth:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        stack.append(node)
    return root


def explain_cost(data, text, conf):
    views = "".join(f"CREATE TEMPORARY VIEW {t} USING parquet OPTIONS (path '{data}/{t}.parquet');\n"
                    for t in TABLES)
    args = [str(EMBER), "sql", "--master", "local[2]"]
    for c in conf:
        args += ["--conf", c]
    result = subprocess.run(args + ["-e", views + "EXPLAIN COST " + text.strip().rstrip(";") + ";"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip()[-400:])
    out = result.stdout
    logical = out.split("== Optimized Logical Plan ==\n", 1)[1].split("\n== Physical Plan ==\n", 1)
    return logical[0].rstrip("\n").split("\n"), logical[1].rstrip("\n").split("\n")


def leaf_name(node):
    m = re.search(r"parquet \[[^\]]*?([A-Za-z_]+)\.parquet\]", node.head)
    if m:
        return m.group(1)
    return node.head.split(" ")[0]


def join_tree(node):
    """A join tree as text: joins in brackets, the tables under each side (other operators elided)."""
    if node.head.startswith("Join "):
        return "(" + join_tree(node.children[0]) + " x " + join_tree(node.children[1]) + ")"
    if not node.children:
        return leaf_name(node)
    if node.head.startswith("Aggregate") and node.children:
        return "agg" + join_tree(node.children[0])
    parts = [join_tree(c) for c in node.children]
    return parts[0] if len(parts) == 1 else "union(" + ", ".join(parts) + ")"


def logical_joins(node, out):
    if node.head.startswith("Join "):
        out.append(node)
    for c in node.children:
        logical_joins(c, out)
    return out


def physical_joins(lines):
    out = []
    for line in lines:
        m = PHYSICAL_JOIN.search(line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def fmt_rows(r):
    return "?" if r is None else f"{r:,.0f}"


def check_query(name, logical_lines, physical_lines):
    problems, report = [], []
    root = parse_tree(logical_lines)
    joins = logical_joins(root, [])
    phys = physical_joins(physical_lines)
    if len(joins) != len(phys):
        return [f"{name}: {len(joins)} logical joins but {len(phys)} physical ones"], []
    report.append(f"{name}: {join_tree(root)}")
    for j, (kind, rest) in zip(joins, phys):
        left, right = j.children
        jtype = j.head.split(",")[0][len("Join "):]
        build = "right" if "BuildRight" in rest else "left"
        conditioned = "," in j.head
        report.append(f"    {kind} {jtype} build={build}  left={join_tree(left)} ({fmt_rows(left.rows)} rows, "
                      f"{left.bytes or 0:,.0f} B)  right={join_tree(right)} ({fmt_rows(right.rows)} rows, "
                      f"{right.bytes or 0:,.0f} B)")
        single_row = any(side.rows is not None and side.rows <= 1 for side in (left, right))
        if jtype in ("Inner", "Cross") and not conditioned and not single_row:
            problems.append(f"{name}: cross product {join_tree(left)} x {join_tree(right)}")
        if jtype in ("Inner", "Cross") and left.bytes is not None and right.bytes is not None:
            built, other = (right, left) if build == "right" else (left, right)
            if built.bytes > other.bytes:
                problems.append(f"{name}: {kind} builds the larger side {join_tree(built)} "
                                f"({built.bytes:,.0f} B > {other.bytes:,.0f} B)")
    return problems, report


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="directory with <table>.parquet")
    ap.add_argument("--queries", default="", help="comma-separated, e.g. q02,q05 (default: all 22)")
    ap.add_argument("--conf", action="append", default=[], help="KEY=VALUE session setting (repeatable)")
    args = ap.parse_args()
    wanted = {q.strip() for q in args.queries.split(",") if q.strip()}
    problems = []
    for path in sorted(QUERIES.glob("q*.sql")):
        if wanted and path.stem not in wanted:
            continue
        logical, physical = explain_cost(args.data, path.read_text(), args.conf)
        found, report = check_query(path.stem, logical, physical)
        print("\n".join(report))
        problems += found
    for p in problems:
        print("PROBLEM " + p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
