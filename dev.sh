#!/usr/bin/env bash
# ember's front door. `./dev.sh help` lists the commands.
#
#   ./dev.sh run     set up, build (Release), run every program in examples/
#   ./dev.sh test    set up, build, run ctest, pytest tests/integration, then the fuzz target (60 s)
#   ./dev.sh fuzz    build the libFuzzer target (clang, ASan+UBSan, build-fuzz/) and run it
#   ./dev.sh bench   set up, build, run bench/run_benchmarks.sh
#   ./dev.sh format  clang-format in place (--check: report only, exit 1 on differences)
#   ./dev.sh lint    clang-tidy over src/ (slow; not part of test)
#
# Set-up is idempotent and quick when everything is present: it installs missing Debian packages,
# keeps a Python venv in .venv in sync with requirements-dev.txt, configures build/ with Ninja and
# builds everything. Environment knobs:
#   CI=true            plain output, no prompts (sudo -n, pip --no-input)
#   CCACHE_DIR         compiler cache (default ~/.cache/ccache)
#   EMBER_PYTHON       interpreter that creates .venv (default python3)
#   EMBER_CMAKE_ARGS   extra cmake configure arguments (forces a re-configure)
#   EMBER_JOBS         build parallelism (default nproc)
#   EMBER_FUZZ_SECONDS how long `test` and `fuzz` run the Parquet fuzz target (default 60; 0 skips it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

BUILD_DIR="build"
VENV_DIR=".venv"
REQUIREMENTS="requirements-dev.txt"
DEB_PACKAGES=(cmake ninja-build g++ pkg-config ccache libre2-dev libgtest-dev libsqlite3-dev sqlite3 tzdata
  python3-venv python3-pip libsnappy-dev libzstd-dev zlib1g-dev liblz4-dev libyaml-cpp-dev libedit-dev
  libsimdjson-dev)
# Wanted but not required: chromium renders the data-quality HTML report in
# tests/integration/test_quality_html_render.py, which is skipped without a working chromium (Ubuntu
# ships it as a snap only).
OPTIONAL_DEB_PACKAGES=(chromium)
# A Java runtime for PySpark (tests/integration/test_pyspark_interop.py), installed only when no
# `java` is on the PATH; the first package the distribution has wins (Spark 4 runs on Java 17 or 21).
JAVA_DEB_PACKAGES=(openjdk-17-jre-headless default-jre-headless)
# The Parquet reader's libFuzzer target (tests/fuzz/) builds with clang and its runtime libraries.
FUZZ_DEB_PACKAGES=(clang-14 libclang-rt-14-dev)
FUZZ_BUILD_DIR="build-fuzz"

# ----------------------------------------------------------------------------------------------------------
# output helpers

is_ci() {
  case "${CI:-}" in
    true | TRUE | True | 1 | yes) return 0 ;;
    *) return 1 ;;
  esac
}

if ! is_ci && [[ -t 1 && -z "${NO_COLOR:-}" && "${TERM:-dumb}" != dumb ]]; then
  C_BOLD=$'\033[1m' C_RED=$'\033[31m' C_GREEN=$'\033[32m' C_YELLOW=$'\033[33m' C_OFF=$'\033[0m'
else
  C_BOLD="" C_RED="" C_GREEN="" C_YELLOW="" C_OFF=""
fi
if is_ci; then
  export GTEST_COLOR=no
  export PIP_NO_INPUT=1 PIP_PROGRESS_BAR=off
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '%s==> %s%s\n' "$C_BOLD" "$*" "$C_OFF"; }
info() { printf '    %s\n' "$*"; }
ok() { printf '%s[ OK ]%s %s\n' "$C_GREEN" "$C_OFF" "$*"; }
warn() { printf '%s[WARN]%s %s\n' "$C_YELLOW" "$C_OFF" "$*" >&2; }
fail() { printf '%s[FAIL]%s %s\n' "$C_RED" "$C_OFF" "$*" >&2; }
die() {
  fail "$*"
  exit 1
}

now() { printf '%s' "${EPOCHREALTIME:-$(date +%s.%N)}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

jobs_count() { printf '%s' "${EMBER_JOBS:-$(nproc 2>/dev/null || echo 2)}"; }

# ----------------------------------------------------------------------------------------------------------
# set-up

# Installs the given Debian packages that are missing (apt-get update runs once, only if needed).
ensure_deb_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    warn "not a Debian/Ubuntu system: make sure these (or equivalents) are installed: $*"
    return 0
  fi
  local installed missing=() pkg
  # One dpkg-query call for all packages; unknown packages only print to stderr.
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null | awk '$NF == "installed" { print $1 }' || true)"
  for pkg in "$@"; do
    grep -qxF "$pkg" <<<"$installed" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    info "Debian packages: all present"
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "missing packages (${missing[*]}) and not root and no sudo"
    if is_ci; then sudo=(sudo -n); else sudo=(sudo); fi
  fi
  step "Installing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Creates .venv if needed and installs requirements-dev.txt when it changed since the last install.
ensure_venv() {
  local python="${EMBER_PYTHON:-python3}"
  if [[ ! -x "$VENV_DIR/bin/python" ]] || ! "$VENV_DIR/bin/python" -c 'import sys' >/dev/null 2>&1; then
    command -v "$python" >/dev/null 2>&1 || die "no $python to create $VENV_DIR (set EMBER_PYTHON)"
    step "Creating Python venv in $VENV_DIR ($("$python" --version 2>&1))"
    rm -rf "$VENV_DIR"
    "$python" -m venv "$VENV_DIR" || die "could not create $VENV_DIR (is python3-venv installed?)"
  fi
  [[ -f "$REQUIREMENTS" ]] || {
    warn "$REQUIREMENTS not found; venv left as is"
    return 0
  }
  local stamp="$VENV_DIR/.requirements-dev.stamp" want
  want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1) $("$VENV_DIR/bin/python" -c 'import sys; print(sys.version.split()[0])')"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    info "Python venv: $REQUIREMENTS unchanged"
    return 0
  fi
  step "Installing $REQUIREMENTS into $VENV_DIR"
  local quiet=()
  is_ci && quiet=(--progress-bar off)
  "$VENV_DIR/bin/python" -m pip install "${quiet[@]}" -q -r "$REQUIREMENTS"
  printf '%s\n' "$want" >"$stamp"
}

cache_value() { # cache_value KEY -> value from build/CMakeCache.txt (empty if absent)
  sed -n "s/^$1:[A-Z]*=//p" "$BUILD_DIR/CMakeCache.txt" 2>/dev/null | head -n1
}

# Configures build/ (only when needed: Ninja re-runs cmake itself when CMakeLists or globs change).
configure() {
  export CCACHE_DIR="${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" # relative paths: copies of the tree share hits
  local reason=""
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    reason="no $BUILD_DIR/CMakeCache.txt"
  elif [[ "$(cache_value CMAKE_HOME_DIRECTORY)" != "$ROOT" || "$(cache_value CMAKE_GENERATOR)" != Ninja ]]; then
    reason="$BUILD_DIR/ was configured for another source tree or generator; starting afresh"
    rm -rf "$BUILD_DIR/CMakeCache.txt" "$BUILD_DIR/CMakeFiles"
  elif [[ "$(cache_value CMAKE_BUILD_TYPE)" != Release ]]; then
    reason="build type was $(cache_value CMAKE_BUILD_TYPE)"
  elif [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    reason="no $BUILD_DIR/build.ninja"
  elif [[ -n "${EMBER_CMAKE_ARGS:-}" ]]; then
    reason="EMBER_CMAKE_ARGS set"
  fi
  if [[ -z "$reason" ]]; then
    info "CMake: $BUILD_DIR/ already configured (Ninja, Release)"
    return 0
  fi
  step "Configuring $BUILD_DIR/ ($reason)"
  # shellcheck disable=SC2086 # EMBER_CMAKE_ARGS is a word list on purpose
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release ${EMBER_CMAKE_ARGS:-} ||
    die "cmake configure failed (output above)"
}

build() {
  step "Building ($BUILD_DIR/, -j$(jobs_count))"
  local log="$BUILD_DIR/last-build.log"
  if ! cmake --build "$BUILD_DIR" -j"$(jobs_count)" 2>&1 | tee "$log"; then
    echo
    fail "build failed. Failing targets:"
    grep -E '^FAILED: ' "$log" | sed 's/^/    /' >&2 || true
    info "first compiler errors (project files first, duplicates dropped):"
    { grep -E "^$ROOT/.*: (fatal )?error: " "$log" || true
      grep -E ': (fatal )?error: ' "$log" | grep -v "^$ROOT/" || true; } |
      awk '!seen[$0]++' | head -n 12 | cut -c1-300 | sed 's/^/    /' >&2
    die "build failed (full log: $log)"
  fi
}

# Installs a Java runtime when `java` is missing; a machine without one skips the PySpark tests.
ensure_java() {
  if command -v java >/dev/null 2>&1; then
    info "Java: $(java -version 2>&1 | head -n1)"
    return 0
  fi
  local pkg
  for pkg in "${JAVA_DEB_PACKAGES[@]}"; do
    # A subshell: a package this distribution lacks must not end the set-up (die/set -e).
    if (ensure_deb_packages "$pkg") && command -v java >/dev/null 2>&1; then
      return 0
    fi
  done
  warn "no Java runtime could be installed (${JAVA_DEB_PACKAGES[*]}): the PySpark interop tests will be skipped"
}

T_SETUP_PACKAGES="" T_SETUP_VENV="" T_SETUP_CONFIGURE="" T_SETUP_BUILD=""
setup() {
  local t0 t
  t0="$(now)"
  step "Set-up"
  t="$(now)"; ensure_deb_packages "${DEB_PACKAGES[@]}"
  ensure_deb_packages "${OPTIONAL_DEB_PACKAGES[@]}" ||
    warn "optional packages not installed (${OPTIONAL_DEB_PACKAGES[*]}): the HTML report render test will be skipped"
  ensure_java
  T_SETUP_PACKAGES="$(elapsed "$t")"
  t="$(now)"; ensure_venv; T_SETUP_VENV="$(elapsed "$t")"
  t="$(now)"; configure; T_SETUP_CONFIGURE="$(elapsed "$t")"
  t="$(now)"; build; T_SETUP_BUILD="$(elapsed "$t")"
  ok "set-up done in $(elapsed "$t0") (packages $T_SETUP_PACKAGES, venv $T_SETUP_VENV," \
    "configure $T_SETUP_CONFIGURE, build $T_SETUP_BUILD)"
}

# ----------------------------------------------------------------------------------------------------------
# commands

cmd_run() {
  setup
  local examples=() src name failed=() t
  shopt -s nullglob
  examples=(examples/*.cpp)
  shopt -u nullglob
  if ((${#examples[@]} == 0)); then
    ok "no examples yet (examples/*.cpp is empty): nothing to run"
    return 0
  fi
  for src in "${examples[@]}"; do
    name="$(basename "$src" .cpp)"
    step "Running example $name"
    if [[ ! -x "$BUILD_DIR/$name" ]]; then
      fail "$BUILD_DIR/$name was not built"
      failed+=("$name")
      continue
    fi
    t="$(now)"
    if "$BUILD_DIR/$name"; then
      ok "$name ($(elapsed "$t"))"
    else
      fail "$name exited with status $? ($(elapsed "$t"))"
      failed+=("$name")
    fi
  done
  echo
  if ((${#failed[@]})); then
    die "${#failed[@]} of ${#examples[@]} examples failed: ${failed[*]}"
  fi
  ok "all ${#examples[@]} examples ran"
}

cmd_test() {
  setup
  local ctest_rc=0 pytest_rc=0 pytest_status
  step "ctest"
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 || ctest_rc=$?

  shopt -s nullglob globstar
  local py_tests=(tests/integration/**/*.py)
  shopt -u nullglob globstar
  if ((${#py_tests[@]} == 0)); then
    pytest_status="no Python integration tests (tests/integration is missing or empty)"
    info "$pytest_status"
  else
    step "pytest tests/integration"
    local color=()
    is_ci && color=(--color=no)
    "$VENV_DIR/bin/python" -m pytest "${color[@]}" tests/integration || pytest_rc=$?
    case "$pytest_rc" in
      0) pytest_status="passed" ;;
      5)
        pytest_status="no tests collected (ok)"
        info "pytest collected no tests in tests/integration"
        pytest_rc=0
        ;;
      *) pytest_status="FAILED (exit $pytest_rc)" ;;
    esac
  fi

  local fuzz_rc=0 fuzz_status="skipped (EMBER_FUZZ_SECONDS=0)"
  if [[ "${EMBER_FUZZ_SECONDS:-60}" != 0 ]]; then
    # A subshell: a finding (die) is reported in the summary with the other results.
    if (run_fuzz); then fuzz_status="passed"; else fuzz_rc=1 fuzz_status="FAILED"; fi
  fi

  echo
  step "Summary"
  if ((ctest_rc == 0)); then info "ctest:  passed"; else info "ctest:  FAILED (exit $ctest_rc)"; fi
  info "pytest: $pytest_status"
  info "fuzz:   $fuzz_status"
  if ((ctest_rc != 0 || pytest_rc != 0 || fuzz_rc != 0)); then
    die "tests failed"
  fi
  ok "all tests passed"
}

# Builds the Parquet reader fuzz target in build-fuzz/ (clang, -fsanitize=fuzzer,address,undefined;
# only the sources the reader needs) and runs it for EMBER_FUZZ_SECONDS (default 60) from the
# committed seed corpus. The working corpus grows in build-fuzz/corpus/ between runs; a crashing
# input lands in build-fuzz/artifacts/ and fails the command.
run_fuzz() {
  local seconds="${1:-${EMBER_FUZZ_SECONDS:-60}}"
  ensure_deb_packages "${FUZZ_DEB_PACKAGES[@]}"
  command -v clang++-14 >/dev/null 2>&1 || die "clang++-14 not found (${FUZZ_DEB_PACKAGES[*]})"
  export CCACHE_DIR="${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"
  if [[ ! -f "$FUZZ_BUILD_DIR/build.ninja" ]]; then
    step "Configuring $FUZZ_BUILD_DIR/ (clang, EMBER_FUZZ=ON)"
    cmake -S . -B "$FUZZ_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
      -DEMBER_FUZZ=ON -DEMBER_BUILD_TESTS=OFF -DEMBER_BUILD_BENCH=OFF >/dev/null || die "fuzz configure failed"
  fi
  step "Building parquet_reader_fuzz ($FUZZ_BUILD_DIR/, -j$(jobs_count))"
  cmake --build "$FUZZ_BUILD_DIR" -j"$(jobs_count)" --target parquet_reader_fuzz || die "fuzz build failed"
  local corpus="$FUZZ_BUILD_DIR/corpus/parquet_reader" artifacts="$FUZZ_BUILD_DIR/artifacts/"
  mkdir -p "$corpus" "$artifacts"
  local seed
  for seed in tests/fuzz/corpus/parquet_reader/*; do
    [[ -e "$corpus/${seed##*/}" ]] || cp "$seed" "$corpus/"
  done
  step "Fuzzing the Parquet reader for ${seconds}s (crashes go to $artifacts)"
  # -malloc_limit_mb: a single allocation beyond it is a finding (a length taken from the file
  # unchecked); -timeout: one input taking longer is a hang.
  if ! "$FUZZ_BUILD_DIR/parquet_reader_fuzz" "$corpus" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=512 -artifact_prefix="$artifacts" -print_final_stats=1 \
    >"$FUZZ_BUILD_DIR/last-fuzz.log" 2>&1; then
    grep -E 'ERROR|runtime error|SUMMARY|internal error|Test unit written' "$FUZZ_BUILD_DIR/last-fuzz.log" | head -n 20 >&2
    die "the fuzz target found a crash (log: $FUZZ_BUILD_DIR/last-fuzz.log). Fix it, and add the input to" \
      "tests/fuzz/regressions/parquet_reader/ (replayed by ember_tests)"
  fi
  ok "fuzzing: $(grep -oE 'stat::number_of_executed_units: [0-9]+' "$FUZZ_BUILD_DIR/last-fuzz.log" |
    awk '{print $2}') inputs in ${seconds}s, no crash"
}

cmd_fuzz() {
  local seconds="${1:-${EMBER_FUZZ_SECONDS:-60}}"
  [[ "$seconds" =~ ^[0-9]+$ ]] || die "fuzz: seconds must be a number, got '$seconds'"
  ensure_deb_packages "${DEB_PACKAGES[@]}"
  run_fuzz "$seconds"
}

cmd_bench() {
  setup
  [[ -f bench/run_benchmarks.sh ]] || die "bench/run_benchmarks.sh not found"
  step "bench/run_benchmarks.sh $*"
  exec bash bench/run_benchmarks.sh "$@"
}

cxx_sources() { # every C++ source/header we own, NUL-separated
  local dirs=() d
  for d in src tests tools examples bench; do [[ -d "$d" ]] && dirs+=("$d"); done
  ((${#dirs[@]})) || return 0
  find "${dirs[@]}" -path bench/data -prune -o -type f \
    \( -name '*.h' -o -name '*.hpp' -o -name '*.cc' -o -name '*.cpp' \) -print0 | sort -z
}

cmd_format() {
  local mode=apply
  case "${1:-}" in
    "") ;;
    --check | check) mode=check ;;
    *) die "format: unknown option '$1' (use --check)" ;;
  esac
  ensure_deb_packages clang-format
  local files=()
  mapfile -d '' files < <(cxx_sources)
  ((${#files[@]})) || {
    ok "no C++ files to format"
    return 0
  }
  if [[ $mode == check ]]; then
    step "clang-format --dry-run over ${#files[@]} files"
    local bad=() f
    for f in "${files[@]}"; do
      clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
    done
    if ((${#bad[@]})); then
      printf '    %s\n' "${bad[@]}" >&2
      die "${#bad[@]} files need formatting: run ./dev.sh format"
    fi
    ok "all ${#files[@]} files are formatted"
  else
    step "clang-format -i over ${#files[@]} files"
    clang-format -i "${files[@]}"
    ok "formatted ${#files[@]} files"
  fi
}

cmd_lint() {
  ensure_deb_packages clang-tidy cmake ninja-build g++ pkg-config libre2-dev libgtest-dev libsqlite3-dev
  configure # clang-tidy only needs compile_commands.json
  local files=()
  if (($#)); then
    files=("$@")
  else
    mapfile -d '' files < <(find src -type f -name '*.cpp' -print0 | sort -z)
  fi
  ((${#files[@]})) || {
    ok "no sources to lint"
    return 0
  }
  step "clang-tidy over ${#files[@]} files (-j$(jobs_count))"
  local statuses
  # clang-tidy prints "N warnings generated." for suppressed system-header noise; drop those lines.
  set +e
  printf '%s\0' "${files[@]}" |
    xargs -0 -n 1 -P "$(jobs_count)" clang-tidy -p "$BUILD_DIR" --quiet \
      --extra-arg=-Wno-unknown-warning-option 2>&1 |
    grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$'
  statuses=("${PIPESTATUS[@]}")
  set -e
  local rc="${statuses[1]}"
  ((rc == 0)) || die "clang-tidy reported problems"
  ok "clang-tidy clean"
}

usage() {
  cat <<EOF
usage: ./dev.sh <command> [args]

commands:
  run            set up, build (Release) and run every program in examples/ from the repo root
  test           set up, build, then ctest (build/), pytest tests/integration and 60 s of fuzzing;
                 non-zero on failure
  bench [args]   set up, build, then bench/run_benchmarks.sh [args]
  fuzz [seconds] build the Parquet reader fuzz target (clang, ASan+UBSan, build-fuzz/) and run it
                 (default 60 s; \`test\` runs it too unless EMBER_FUZZ_SECONDS=0)
  format         clang-format all C++ sources in place
  format --check report files that are not formatted (exit 1 if any)
  lint [files]   clang-tidy over src/**/*.cpp (or the given files); slow, not part of test
  help           this text

set-up (shared by run/test/bench): installs missing Debian packages with apt-get
(${DEB_PACKAGES[*]}),
keeps .venv in sync with $REQUIREMENTS, configures build/ with Ninja (Release) and builds.

environment: CI=true (plain output, no prompts), CCACHE_DIR, EMBER_PYTHON, EMBER_CMAKE_ARGS, EMBER_JOBS
EOF
}

main() {
  local cmd="${1:-help}"
  (($#)) && shift
  case "$cmd" in
    run) cmd_run "$@" ;;
    test) cmd_test "$@" ;;
    bench) cmd_bench "$@" ;;
    fuzz) cmd_fuzz "$@" ;;
    format) cmd_format "$@" ;;
    lint) cmd_lint "$@" ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      echo >&2
      die "unknown command: $cmd"
      ;;
  esac
}

main "$@"
