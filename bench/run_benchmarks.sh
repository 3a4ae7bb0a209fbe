#!/usr/bin/env bash
# Runs ember's benchmarks next to the same work in DuckDB and prints an ember/DuckDB table.
# Normally started by `./dev.sh bench [options]` (which installs, builds and then execs this).
#
#   bash bench/run_benchmarks.sh [--size-mb MB] [--csv PATH] [--runs 3] [--range-rows 50000000]
#        [--fact-rows 60000000] [--dim-rows 1500000] [--window-rows 10000000]
#        [--threads "1 2"   (DuckDB thread counts)] [--tasks csv_read,group_by_low,group_by_high]
#        [--no-duckdb]
#
# Steps: generate the mixed CSV if missing (bench/generate_csv.py, ~1 GB by default), run every
# ember bench program (bench/<name>.cpp -> build/<name>), run bench/duckdb_peer.py, pair the lines.
#
# ember peer bench programs are the bench/*.cpp whose source prints peer=ember (others, e.g.
# micro-benchmarks, are skipped). Each is run once from the repo root with the arguments listed in
# bench_args() below (add a line there for a new program), e.g.
#     build/csv_read <csv> <runs>                  (does threads 1 and 2 itself)
#     build/filter_group_by <range-rows> <runs>    (threads = hardware concurrency)
# and prints one line per figure on stdout in the DuckDB peer's format, e.g.
#     peer=ember task=csv_read seconds=1.234 rows=11397672 mb_per_s=810.2 threads=1
#     peer=ember task=group_by_low seconds=0.456 rows=50000000 groups=989 rows_per_s=109649122 threads=2
# (tasks: csv_read, group_by_low, group_by_high; bench/duckdb_peer.py documents the exact work).
# Lines are paired with DuckDB's by (task, threads); other output passes through; a non-zero exit
# marks the program failed.
# The table compares mb_per_s when both lines have it, else rows_per_s; ratio = ember / DuckDB, so
# above 1.00 means ember is faster. Raw lines are kept in bench/data/last_results.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SIZE_MB=1000
CSV=""
THREADS="1 2"
RUNS=3
RANGE_ROWS=50000000
TASKS="csv_read,group_by_low,group_by_high,join_broadcast,join_shuffle,window_row_number"
FACT_ROWS=60000000
DIM_ROWS=1500000
WINDOW_ROWS=10000000
RUN_DUCKDB=1
BUILD_DIR="${EMBER_BUILD_DIR:-build}"
PY="${EMBER_BENCH_PYTHON:-$ROOT/.venv/bin/python}"
ARGS_FOR_REPRO=("$@")

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

while (($#)); do
  case "$1" in
    --size-mb) SIZE_MB="$2"; shift 2 ;;
    --csv) CSV="$2"; shift 2 ;;
    --threads) THREADS="${2//,/ }"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --range-rows) RANGE_ROWS="$2"; shift 2 ;;
    --fact-rows) FACT_ROWS="$2"; shift 2 ;;
    --dim-rows) DIM_ROWS="$2"; shift 2 ;;
    --window-rows) WINDOW_ROWS="$2"; shift 2 ;;
    --tasks) TASKS="$2"; shift 2 ;;
    --no-duckdb) RUN_DUCKDB=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run_benchmarks.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

[[ -x "$PY" ]] || { echo "no $PY: run ./dev.sh bench (it creates .venv)" >&2; exit 1; }

if [[ -z "$CSV" ]]; then
  if [[ "$SIZE_MB" == 1000 ]]; then CSV="bench/data/mixed_1gb.csv"; else CSV="bench/data/mixed_${SIZE_MB}mb.csv"; fi
fi

echo "==> Data: $CSV"
if [[ ! -f "$CSV" ]]; then
  "$PY" bench/generate_csv.py --size-mb "$SIZE_MB" --out "$CSV"
else
  echo "    present ($(du -h "$CSV" | cut -f1)); delete it to regenerate"
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
failed=0

# --- ember programs ---
shopt -s nullglob
bench_sources=(bench/*.cpp)
shopt -u nullglob
ember_programs=()
for src in "${bench_sources[@]}"; do
  name="$(basename "$src" .cpp)"
  if ! grep -q 'peer=ember' "$src"; then
    echo "    skipping $name: not a peer benchmark (its source never prints peer=ember); run $BUILD_DIR/$name directly"
  elif [[ -x "$BUILD_DIR/$name" ]]; then
    ember_programs+=("$BUILD_DIR/$name")
  else
    echo "!!  $src has no built $BUILD_DIR/$name (run ./dev.sh bench to build)" >&2
    failed=1
  fi
done
if ((${#ember_programs[@]} == 0)); then
  echo "==> ember: no bench programs built (bench/*.cpp -> $BUILD_DIR/<name>); showing DuckDB figures only"
fi
# Arguments of each ember peer program (positional, as the programs define them).
bench_args() {
  case "$1" in
    csv_read) ARGS=("$CSV" "$RUNS") ;;
    filter_group_by) ARGS=("$RANGE_ROWS" "$RUNS") ;;
    join_window) ARGS=("$FACT_ROWS" "$DIM_ROWS" "$WINDOW_ROWS" "$RUNS") ;;
    *) ARGS=() ;;
  esac
}
for prog in "${ember_programs[@]}"; do
  bench_args "$(basename "$prog")"
  echo "==> $prog ${ARGS[*]}"
  out="$(mktemp)"
  if "$prog" "${ARGS[@]}" | tee "$out"; then :; else
    echo "!!  $prog failed (exit ${PIPESTATUS[0]})" >&2
    failed=1
  fi
  grep -E '^peer=ember ' "$out" >>"$results" || echo "!!  $prog printed no peer=ember lines" >&2
  rm -f "$out"
done

# --- DuckDB peer ---
if ((RUN_DUCKDB)); then
  echo "==> DuckDB peer: bench/duckdb_peer.py --csv $CSV --threads ${THREADS// /,} --runs $RUNS --tasks $TASKS --range-rows $RANGE_ROWS"
  out="$(mktemp)"
  if "$PY" bench/duckdb_peer.py --csv "$CSV" --threads "${THREADS// /,}" --runs "$RUNS" --tasks "$TASKS" \
    --range-rows "$RANGE_ROWS" --fact-rows "$FACT_ROWS" --dim-rows "$DIM_ROWS" --window-rows "$WINDOW_ROWS" | tee "$out"; then :; else
    echo "!!  duckdb_peer.py failed" >&2
    failed=1
  fi
  grep -E '^peer=duckdb ' "$out" >>"$results" || true
  rm -f "$out"
fi

mkdir -p bench/data
cat "$results" >bench/data/last_results.txt

# --- table ---
echo
echo "==> Results (best of $RUNS; ratio = ember / DuckDB, > 1.00 means ember is faster)"
printf "%-14s %7s  %-18s %9s  %-18s %9s  %6s\n" task threads ember seconds duckdb seconds ratio
awk '
  function kv(line, key,    n, i, parts, f) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) { split(parts[i], f, "="); if (f[1] == key) return substr(parts[i], length(key) + 2) }
    return ""
  }
  {
    peer = kv($0, "peer"); id = kv($0, "task") SUBSEP kv($0, "threads")
    if (!(id in seen)) { seen[id] = 1; order[++count] = id }
    unit = (kv($0, "mb_per_s") != "") ? "MB/s" : "rows/s"
    val = (unit == "MB/s") ? kv($0, "mb_per_s") : kv($0, "rows_per_s")
    metric[peer, id] = val; units[peer, id] = unit; secs[peer, id] = kv($0, "seconds")
  }
  function show(x, unit) {
    if (x == "") return "-"
    return (unit == "rows/s") ? sprintf("%.1fM rows/s", x / 1e6) : sprintf("%.1f MB/s", x)
  }
  END {
    for (i = 1; i <= count; i++) {
      id = order[i]; split(id, p, SUBSEP)
      e = metric["ember", id]; d = metric["duckdb", id]
      u = (units["duckdb", id] != "") ? units["duckdb", id] : units["ember", id]
      ratio = (e != "" && d != "" && units["ember", id] == units["duckdb", id] && d > 0) ? sprintf("%.2f", e / d) : "-"
      printf "%-14s %7s  %-18s %9s  %-18s %9s  %6s\n", p[1], p[2], show(e, u), (secs["ember", id] == "" ? "-" : secs["ember", id]),
             show(d, u), (secs["duckdb", id] == "" ? "-" : secs["duckdb", id]), ratio
    }
  }' "$results" | sort -s -k1,1 -k2,2n

echo
if ((${#ember_programs[@]} == 0)); then
  echo "note: no ember bench programs are built yet (bench/csv_read.cpp, bench/filter_group_by.cpp will"
  echo "      plug in here); the ratio column fills in once they print peer=ember lines."
fi
printf 'raw lines: bench/data/last_results.txt\nreproduce: ./dev.sh bench'
for a in "${ARGS_FOR_REPRO[@]}"; do
  if [[ "$a" =~ ^[A-Za-z0-9_./,=:+-]+$ ]]; then printf ' %s' "$a"; else printf ' %q' "$a"; fi
done
printf '\n'
exit "$failed"
