#!/usr/bin/env python3
"""Fills in the expected results of sqllogictest files from a reference engine (DuckDB).

    .venv/bin/python tests/sql/generate_expected.py tests/sql/**/*.test

Every `statement ok` record runs in DuckDB too (so views exist there), and every `query` record's
result block is replaced by DuckDB's answer, formatted as ember_sqllogictest formats ember's:
one row per line, tab-separated; NULL, (empty) for '', R columns with 3 decimals, booleans
true/false; rowsort/valuesort applied; "<n> values hashing to <md5>" past hash-threshold.

Comment lines directly above a record steer the script:
  # hand-checked: <why>   the record's result block is kept as written (Spark differs from
                          DuckDB here, e.g. NULL ordering, ANSI errors, Spark-only functions)
  # ember-only            the record is not run in DuckDB (Spark-only statements: SET, CACHE ...)
  # duckdb: <sql>         run this SQL in DuckDB instead of the record's own (same answer,
                          different spelling, e.g. LATERAL VIEW -> UNNEST)
"""
import datetime
import decimal
import hashlib
import math
import os
import sys

import duckdb


def render(value, kind):
    if value is None:
        return "NULL"
    if kind == "R":
        d = float(value)
        if math.isnan(d):
            return "NaN"
        if math.isinf(d):
            return "Infinity" if d > 0 else "-Infinity"
        s = "%.3f" % d
        return "0.000" if s == "-0.000" else s
    if kind == "I" and isinstance(value, float):
        return "%.0f" % math.trunc(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        s = value.strftime("%Y-%m-%d %H:%M:%S")
        if value.microsecond:
            s += (".%06d" % value.microsecond).rstrip("0")
        return s
    if isinstance(value, decimal.Decimal):
        return str(value)
    s = str(value)
    return s if s else "(empty)"


def format_result(rows, types, sort, threshold):
    table = [[render(v, types[c]) for c, v in enumerate(row)] for row in rows]
    if sort == "valuesort":
        values = sorted(v for row in table for v in row)
        width = max(len(types), 1)
        lines = ["\t".join(values[i:i + width]) for i in range(0, len(values), width)]
    else:
        if sort == "rowsort":
            table.sort()
        lines = ["\t".join(row) for row in table]
    n = len(table) * len(types)
    if threshold and n > threshold:
        text = "".join(v + "\n" for line in lines for v in line.split("\t"))
        return ["%d values hashing to %s" % (n, hashlib.md5(text.encode()).hexdigest())]
    return lines


def process(path, con):
    lines = open(path).read().split("\n")
    out = []
    i = 0
    threshold = 0
    comments = []
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("#"):
            comments = comments + [line] if line.startswith("#") else []
            out.append(line)
            i += 1
            continue
        words = line.split()
        if words[0] == "hash-threshold":
            threshold = int(words[1])
            out.append(line)
            i += 1
            continue
        header = line
        i += 1
        sql_lines = []
        while i < len(lines) and lines[i].strip() and lines[i] != "----":
            sql_lines.append(lines[i])
            i += 1
        expected = []
        has_block = i < len(lines) and lines[i] == "----"
        if has_block:
            i += 1
            while i < len(lines) and lines[i].strip():
                expected.append(lines[i])
                i += 1
        sql = "\n".join(sql_lines)
        test_dir = os.path.dirname(os.path.abspath(path))
        hand = any(c.startswith("# hand-checked") for c in comments)
        ember_only = any(c.startswith("# ember-only") for c in comments)
        override = [c[len("# duckdb:"):].strip() for c in comments if c.startswith("# duckdb:")]
        reference_sql = (override[0] if override else sql).replace("__TEST_DIR__", test_dir)
        comments = []
        out.append(header)
        out.extend(sql_lines)
        if words[0] == "statement":
            if words[1] == "ok" and not ember_only:
                con.execute(reference_sql)
            if has_block:
                out.append("----")
                out.extend(expected)
            continue
        if words[0] != "query":
            # explain records check ember's own plan text: kept as written.
            if has_block:
                out.append("----")
                out.extend(expected)
            continue
        types = words[1]
        sort = words[2] if len(words) > 2 else "nosort"
        if hand or ember_only:
            result = expected
        else:
            try:
                rows = con.execute(reference_sql).fetchall()
            except Exception as e:  # noqa: BLE001 - report which record the reference rejects
                sys.exit("%s: DuckDB cannot run\n%s\n%s" % (path, reference_sql, e))
            result = format_result(rows, types, sort, threshold)
        out.append("----")
        out.extend(result)
    open(path, "w").write("\n".join(out))


def main():
    for path in sys.argv[1:]:
        process(path, duckdb.connect())
        print("updated", path)


if __name__ == "__main__":
    main()
