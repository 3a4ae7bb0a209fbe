"""Comparing ember's TPC-H answers (CSV text from `ember sql --mode csv`) with DuckDB's (Python
values), shared by tests/integration/test_tpch_vs_duckdb.py and bench/tpch/run.

Rules (every query ends in an ORDER BY that is total on the data, or returns one row, so rows are
compared in order):
- integers, strings and dates must be equal;
- two exact decimals must be equal after rounding both to the smaller of their scales (Spark and
  DuckDB choose different result scales for decimal arithmetic, e.g. for avg);
- when DuckDB's value is a double (its avg or division of decimals), ember's must agree within
  half a unit in ember's last printed place (a decimal result such as avg's scale 6), or within a
  relative 1e-9 (both doubles), whichever is looser.
"""
import decimal


def scale_of(d):
    return max(0, -d.as_tuple().exponent)


def same_value(ember_text, ref):
    if ref is None:
        return ember_text == ""
    if isinstance(ref, bool):
        return ember_text == ("true" if ref else "false")
    if isinstance(ref, int):
        return ember_text == str(ref)
    if isinstance(ref, decimal.Decimal):
        mine = decimal.Decimal(ember_text)
        scale = min(scale_of(mine), scale_of(ref))
        q = decimal.Decimal(1).scaleb(-scale)
        return mine.quantize(q, decimal.ROUND_HALF_UP) == ref.quantize(q, decimal.ROUND_HALF_UP)
    if isinstance(ref, float):
        mine = decimal.Decimal(ember_text)
        return abs(float(mine) - ref) <= max(0.5 * 10.0 ** -scale_of(mine), 1e-9 * abs(ref))
    return ember_text == str(ref)


def first_difference(header, ember_rows, duckdb_rows):
    """None when the answers agree, else a sentence naming the first difference."""
    if len(ember_rows) != len(duckdb_rows):
        return f"{len(ember_rows)} rows, DuckDB has {len(duckdb_rows)}"
    for i, (mine, ref) in enumerate(zip(ember_rows, duckdb_rows)):
        if len(mine) != len(ref):
            return f"row {i}: {len(mine)} columns, DuckDB has {len(ref)}"
        for j, (a, b) in enumerate(zip(mine, ref)):
            if not same_value(a, b):
                return f"row {i} column {header[j]}: ember {a!r}, DuckDB {b!r}"
    return None
