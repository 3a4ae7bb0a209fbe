"""`ember sql`: batch runs (-e, -f, stdin), output modes, exit status, and the interactive shell
driven through a pseudo-terminal (multi-line statements, .mode, Ctrl-C cancelling a query while
the shell lives on). Expected tables are hand-written in Spark's show() layout; CSV and JSON
output is parsed back with Python's csv and json modules.
"""
import csv
import io
import json
import os
import pathlib
import pty
import select
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBER = ROOT / os.environ.get("EMBER_BUILD_DIR", "build") / "ember"


def run(*args, stdin=None):
    if not EMBER.exists():
        pytest.fail(f"{EMBER} is missing: build first (./dev.sh test builds it)")
    return subprocess.run([str(EMBER), "sql", "--master", "local[2]", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_inline_statements_print_aligned_tables():
    r = run("-e", "SELECT 1 AS a, 'x;y' AS b; SELECT id, id * 2 AS d FROM range(3) ORDER BY id")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("+---+---+\n|a  |b  |\n+---+---+\n|1  |x;y|\n+---+---+\n"
                        "+---+---+\n|id |d  |\n+---+---+\n|0  |0  |\n|1  |2  |\n|2  |4  |\n+---+---+\n")


def test_csv_and_json_modes():
    r = run("--mode", "csv", "-e", "SELECT 1 AS a, 'x,y' AS b, CAST(NULL AS INT) AS c, DATE '2024-01-02' AS d")
    assert r.returncode == 0, r.stderr
    assert list(csv.reader(io.StringIO(r.stdout))) == [["a", "b", "c", "d"], ["1", "x,y", "", "2024-01-02"]]
    r = run("--mode", "json", "-e", "SELECT 1 AS a, 'say \"hi\"' AS b, CAST(NULL AS INT) AS c, 2.50 AS e, true AS f")
    assert r.returncode == 0, r.stderr
    # Spark's toJSON leaves null fields out.
    assert [json.loads(line) for line in r.stdout.splitlines()] == [{"a": 1, "b": 'say "hi"', "e": 2.5, "f": True}]


def test_script_file_stops_at_the_first_error_and_names_its_line(tmp_path):
    script = tmp_path / "job.sql"
    script.write_text("CREATE TEMPORARY VIEW t AS SELECT id FROM range(5);\n"
                      "SELECT count(*) AS n FROM t;\n"
                      "\n"
                      "SELECT (id\n  FROM t;\n"
                      "SELECT 99 AS never;\n")
    r = run("-f", str(script))
    assert r.returncode == 1
    assert "|n  |\n+---+\n|5  |" in r.stdout
    assert "never" not in r.stdout
    assert f"Error in {script} (statement at line 4)" in r.stderr
    assert "PARSE_SYNTAX_ERROR" in r.stderr


def test_init_file_runs_first(tmp_path):
    init = tmp_path / "views.sql"
    init.write_text("CREATE TEMPORARY VIEW t AS SELECT id * 10 AS v FROM range(4);\nSET spark.sql.shuffle.partitions=2;\n")
    script = tmp_path / "q.sql"
    script.write_text("SELECT sum(v) AS total FROM t;")
    r = run("--mode", "csv", "-i", str(init), "-f", str(script))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-2:] == ["total", "60"]  # 0 + 10 + 20 + 30
    bad = tmp_path / "bad.sql"
    bad.write_text("SELECT nope;")
    r = run("-i", str(bad), "-e", "SELECT 1 AS never")
    assert r.returncode == 1 and "never" not in r.stdout and f"Error in {bad}" in r.stderr


def test_unknown_column_exits_1_and_lists_candidates():
    r = run("-e", "SELECT nme FROM range(3)")
    assert r.returncode == 1
    assert "nme" in r.stderr and "id" in r.stderr


def test_statements_from_stdin_and_conf():
    r = run("--conf", "spark.sql.shuffle.partitions=3", stdin="SET spark.sql.shuffle.partitions;\n")
    assert r.returncode == 0, r.stderr
    assert "spark.sql.shuffle.partitions" in r.stdout and "|3    |" in r.stdout


def test_usage_errors_exit_2():
    assert run("--mode", "xml", "-e", "SELECT 1").returncode == 2
    assert run("-e", "SELECT 1", "-f", "x.sql").returncode == 2
    assert run("--conf", "novalue", "-e", "SELECT 1").returncode == 2


class Shell:
    """ember sql on a pseudo-terminal, as a person would use it."""

    def __init__(self, home):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["HOME"] = str(home)
            os.environ["TERM"] = "dumb"
            os.execv(str(EMBER), [str(EMBER), "sql", "--master", "local[2]"])
        self.pid, self.fd, self.out = pid, fd, b""

    def send(self, text):
        os.write(self.fd, text.encode())

    def read_until(self, marker, timeout=60):
        deadline = time.time() + timeout
        while marker.encode() not in self.out:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {marker!r}; output so far:\n{self.out.decode(errors='replace')}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.out += os.read(self.fd, 65536)
                except OSError:
                    break
        return self.out.decode(errors="replace")

    def wait(self):
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def test_interactive_shell_multiline_mode_and_ctrl_c(tmp_path):
    if not EMBER.exists():
        pytest.fail(f"{EMBER} is missing: build first (./dev.sh test builds it)")
    sh = Shell(tmp_path)
    sh.read_until("ember> ")
    # A statement over two lines runs when the ';' arrives.
    sh.send("SELECT 40 + 2\n")
    sh.read_until("     > ")
    sh.send("  AS answer;\n")
    sh.read_until("|42    |")
    sh.read_until("Fetched 1 row(s)")
    sh.send(".mode csv\n")
    sh.send("SELECT 'a' AS x;\n")
    sh.read_until("x\r\na\r\n")
    # Ctrl-C cancels a query that would run for minutes; the shell stays and answers the next one.
    sh.send("SELECT sum(id) FROM range(0, 68719476736);\n")
    time.sleep(1.0)
    sh.send("\x03")  # the terminal turns Ctrl-C into SIGINT for the foreground process
    sh.read_until("SPARK_JOB_CANCELLED")
    sh.send("SELECT 7 AS after_cancel;\n")
    sh.read_until("after_cancel\r\n7\r\n")
    sh.send(".quit\n")
    assert sh.wait() == 0
    assert (tmp_path / ".ember_history").exists()
