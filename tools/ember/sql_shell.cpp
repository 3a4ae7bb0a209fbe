// `ember sql`: Spark's spark-sql CLI for ember. Statements end with ';' and may span lines; results
// print as aligned tables (or CSV / JSON lines); errors name the statement's line in the script.
//
// Ctrl-C cancels the running query, not the shell. SIGINT is blocked in every thread (the mask is
// set before the session starts its executor threads, which inherit it) and a watcher thread
// receives it with sigwait, so no async-signal-unsafe code runs in a handler: the watcher simply
// calls Session::cancel_all_jobs, and the running statement fails with SPARK_JOB_CANCELLED.
#include "sql_shell.h"

#include <editline/readline.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ember/api/session_state.h"
#include "ember/api/show_format.h"
#include "ember/ember.h"
#include "ember/sql/script_splitter.h"
#include "ember/types/json_text.h"

namespace ember::cli {
namespace {

enum class OutputMode { kTable, kCsv, kJson };

void sql_usage(std::ostream& out) {
  out << "usage: ember sql [options]\n"
         "\n"
         "Runs Spark SQL statements: interactively (statements end with ';'), from -e, from -f,\n"
         "or from standard input when it is not a terminal.\n"
         "\n"
         "options:\n"
         "  -e SQL              run these statements and exit\n"
         "  -f FILE             run the statements in FILE and exit\n"
         "  -i FILE             run FILE first (views, settings), then -e, -f or the shell\n"
         "  --master MASTER     local, local[N] or local[*] (default local[*])\n"
         "  --conf KEY=VALUE    a session setting (repeatable), e.g. spark.sql.shuffle.partitions=4\n"
         "  --warehouse DIR     spark.sql.warehouse.dir, where managed tables live\n"
         "  --mode MODE         output: table (default), csv or json\n"
         "  --timer             print each statement's time to stderr (always on in the shell)\n"
         "  -h, --help          show this help\n"
         "\n"
         "In the shell: .mode table|csv|json, .timer on|off, .help, .quit (or Ctrl-D).\n"
         "Ctrl-C cancels the running query.\n"
         "\n"
         "exit status: 0 when every statement succeeded, 1 when one failed, 2 for a usage error\n";
}

void shell_help() {
  std::cout << ".mode table|csv|json   how results print\n"
               ".timer on|off          print each statement's time (on by default in the shell)\n"
               ".help                  this text\n"
               ".quit, .exit           leave (or Ctrl-D)\n"
               "Statements end with ';' and may span lines. Ctrl-C cancels the running query.\n";
}

// Receives SIGINT on its own thread (see the file comment).
class InterruptWatcher {
 public:
  // Must run before any other thread starts, so that every thread inherits the blocked mask.
  InterruptWatcher() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  ~InterruptWatcher() {
    if (thread_.joinable()) {
      stopping_ = true;
      pthread_kill(thread_.native_handle(), SIGINT);
      thread_.join();
    }
  }
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  void start(const Session* session) {
    thread_ = std::thread([this, session] {
      for (;;) {
        int sig = 0;
        if (sigwait(&set_, &sig) != 0) continue;
        if (stopping_) return;
        if (running_.load()) {
          session->cancel_all_jobs();
          static const char kMsg[] = "\ncancelling the running query...\n";
          (void)!::write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
        } else if (!interactive_) {
          // A batch run between statements: stop like any interrupted command-line program.
          std::_Exit(130);
        }
      }
    });
  }
  void set_running(bool running) { running_ = running; }
  void set_interactive(bool interactive) { interactive_ = interactive; }

 private:
  sigset_t set_{};
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> interactive_{false};
};

bool needs_csv_quotes(const std::string& s) {
  if (s.empty()) return false;
  if (s.front() == ' ' || s.back() == ' ') return true;
  return s.find_first_of(",\"\n\r") != std::string::npos;
}

void append_csv_cell(std::string& out, const std::string& s) {
  if (!needs_csv_quotes(s)) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

bool is_json_number(const DataType& t) {
  return t.is_integral() || t.id() == TypeId::kDecimal || t.id() == TypeId::kBoolean;
}

void append_json_value(std::string& out, const Value& v, const TimeZone& tz) {
  const DataType& t = v.type();
  std::string text = v.to_string(tz);
  if (is_json_number(t)) {
    out += text;
  } else if (t.is_floating() && text != "NaN" && text != "Infinity" && text != "-Infinity") {
    out += text;
  } else {
    append_json_string(out, text);
  }
}

class ResultPrinter {
 public:
  explicit ResultPrinter(const Session& session) : session_(session) {}
  OutputMode mode = OutputMode::kTable;

  void print(const Schema& schema, const std::vector<Row>& rows) const {
    if (schema.size() == 0) return;  // a command (CREATE VIEW, ...) with no result columns
    if (schema.size() == 1 && schema.field(0).name == "plan" && rows.size() == 1 && !rows[0][0].is_null()) {
      // EXPLAIN: the plan text as it is, as spark-sql prints it, not a one-cell table.
      std::cout << rows[0][0].as_string() << (rows[0][0].as_string().ends_with('\n') ? "" : "\n") << std::flush;
      return;
    }
    // Read per result: SET spark.sql.session.timeZone=... changes it between statements.
    const TimeZone& tz_ = session_.state()->time_zone();
    std::string out;
    switch (mode) {
      case OutputMode::kTable: {
        std::vector<std::vector<std::string>> cells;
        cells.reserve(rows.size());
        for (const Row& row : rows) {
          std::vector<std::string> line;
          line.reserve(row.size());
          for (const Value& v : row.values()) line.push_back(v.to_string(tz_));
          cells.push_back(std::move(line));
        }
        out = format_show_table(schema.names(), cells, static_cast<int>(cells.size()), 0, false, false);
        break;
      }
      case OutputMode::kCsv: {
        for (size_t i = 0; i < schema.size(); ++i) {
          if (i > 0) out += ',';
          append_csv_cell(out, schema.field(i).name);
        }
        out += '\n';
        for (const Row& row : rows) {
          for (size_t i = 0; i < row.size(); ++i) {
            if (i > 0) out += ',';
            if (!row[i].is_null()) append_csv_cell(out, row[i].to_string(tz_));
          }
          out += '\n';
        }
        break;
      }
      case OutputMode::kJson: {
        // One object per row, null fields left out: Spark's DataFrame.toJSON.
        for (const Row& row : rows) {
          out += '{';
          bool first = true;
          for (size_t i = 0; i < row.size(); ++i) {
            if (row[i].is_null()) continue;
            if (!first) out += ',';
            first = false;
            append_json_string(out, schema.field(i).name);
            out += ':';
            append_json_value(out, row[i], tz_);
          }
          out += "}\n";
        }
        break;
      }
    }
    std::cout << out << std::flush;
  }

 private:
  const Session& session_;
};

bool parse_mode(const std::string& name, OutputMode& mode) {
  if (name == "table") {
    mode = OutputMode::kTable;
  } else if (name == "csv") {
    mode = OutputMode::kCsv;
  } else if (name == "json") {
    mode = OutputMode::kJson;
  } else {
    return false;
  }
  return true;
}

struct ShellState {
  Session* session = nullptr;
  InterruptWatcher* watcher = nullptr;
  ResultPrinter* printer = nullptr;
  bool timer = false;
  std::string source;  // "" for the terminal / -e, else the script's path
};

// Runs one statement; false when it failed (the error is printed).
bool run_statement(ShellState& st, const sql::ScriptStatement& statement) {
  auto start = std::chrono::steady_clock::now();
  st.watcher->set_running(true);
  bool ok = true;
  size_t fetched = 0;
  try {
    DataFrame df = st.session->sql(statement.text);
    Schema schema = df.schema();
    std::vector<Row> rows = df.collect();
    fetched = rows.size();
    st.watcher->set_running(false);
    st.printer->print(schema, rows);
  } catch (const std::exception& e) {
    ok = false;
    std::cerr << "Error";
    if (!st.source.empty()) std::cerr << " in " << st.source << " (statement at line " << statement.line << ")";
    std::cerr << ": " << e.what() << "\n";
  }
  st.watcher->set_running(false);
  if (st.timer) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char buf[96];
    std::snprintf(buf, sizeof(buf), "Time taken: %.3f seconds%s", seconds, ok ? "" : " (failed)");
    std::cerr << buf;
    if (ok) std::cerr << ", Fetched " << fetched << " row(s)";
    std::cerr << "\n";
  }
  return ok;
}

// A batch: every statement in order, stopping at the first failure.
int run_script(ShellState& st, const std::string& text) {
  sql::ScriptSplit split = sql::split_sql_script(text);
  if (split.unterminated) {
    std::cerr << "Error" << (st.source.empty() ? "" : " in " + st.source) << ": the statement at line "
              << split.rest_line << " has an unterminated quote or comment\n";
    return 1;
  }
  std::vector<sql::ScriptStatement> statements = std::move(split.statements);
  if (!split.rest.empty()) statements.push_back({split.rest, split.rest_line});
  for (const auto& statement : statements) {
    if (!run_statement(st, statement)) return 1;
  }
  return 0;
}

// Handles a '.command' line; false to quit.
bool run_dot_command(ShellState& st, const std::string& line) {
  std::istringstream in(line);
  std::string cmd, arg;
  in >> cmd >> arg;
  if (cmd == ".quit" || cmd == ".exit") return false;
  if (cmd == ".help") {
    shell_help();
  } else if (cmd == ".mode") {
    if (!parse_mode(arg, st.printer->mode)) std::cerr << "usage: .mode table|csv|json\n";
  } else if (cmd == ".timer") {
    if (arg == "on" || arg == "off") {
      st.timer = arg == "on";
    } else {
      std::cerr << "usage: .timer on|off\n";
    }
  } else {
    std::cerr << "unknown command " << cmd << " (.help lists them)\n";
  }
  return true;
}

std::string history_path() {
  const char* home = std::getenv("HOME");
  return home != nullptr && *home != '\0' ? std::string(home) + "/.ember_history" : std::string();
}

int run_interactive(ShellState& st) {
  st.timer = true;
  std::string history = history_path();
  using_history();
  if (!history.empty()) read_history(history.c_str());
  std::cout << "ember " << st.session->version() << " SQL shell. Statements end with ';'. "
            << ".help for help, Ctrl-D to quit.\n";
  std::string buffer;
  int buffer_line = 1;
  int last_status = 0;
  for (;;) {
    char* raw = readline(buffer.empty() ? "ember> " : "     > ");
    if (raw == nullptr) {  // Ctrl-D
      std::cout << "\n";
      break;
    }
    std::string line(raw);
    std::free(raw);
    if (buffer.empty() && line.find_first_not_of(" \t") != std::string::npos &&
        line[line.find_first_not_of(" \t")] == '.') {
      add_history(line.c_str());
      if (!run_dot_command(st, line.substr(line.find_first_not_of(" \t")))) break;
      continue;
    }
    if (buffer.empty() && line.find_first_not_of(" \t") == std::string::npos) continue;
    buffer += line;
    buffer += '\n';
    sql::ScriptSplit split = sql::split_sql_script(buffer);
    if (split.statements.empty()) continue;  // keep reading until a ';' ends the statement
    std::string entry = buffer.substr(0, buffer.size() - 1);
    add_history(entry.c_str());
    for (auto& statement : split.statements) {
      statement.line += buffer_line - 1;
      last_status = run_statement(st, statement) ? 0 : 1;
    }
    buffer = split.rest.empty() ? std::string() : split.rest + "\n";
    buffer_line = 1;
  }
  if (!history.empty()) write_history(history.c_str());
  return last_status;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "ember sql: cannot read " << path << "\n";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

}  // namespace

int run_sql_command(int argc, char** argv, int first_option) {
  std::string master = "local[*]";
  std::vector<std::pair<std::string, std::string>> confs;
  std::string inline_sql, file, init_file, warehouse;
  bool have_inline = false;
  bool timer = false;
  OutputMode mode = OutputMode::kTable;
  for (int i = first_option; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "-h" || arg == "--help") {
      sql_usage(std::cout);
      return 0;
    } else if (arg == "-e" && (v = value())) {
      inline_sql = v;
      have_inline = true;
    } else if (arg == "-i" && (v = value())) {
      init_file = v;
    } else if (arg == "-f" && (v = value())) {
      file = v;
    } else if (arg == "--master" && (v = value())) {
      master = v;
    } else if (arg == "--conf" && (v = value())) {
      std::string kv = v;
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "ember sql: --conf expects KEY=VALUE, got '" << kv << "'\n";
        return 2;
      }
      confs.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    } else if (arg == "--timer") {
      timer = true;
    } else if (arg == "--warehouse" && (v = value())) {
      warehouse = v;
    } else if (arg == "--mode" && (v = value())) {
      if (!parse_mode(v, mode)) {
        std::cerr << "ember sql: --mode must be table, csv or json, got '" << v << "'\n";
        return 2;
      }
    } else {
      std::cerr << "ember sql: unknown or incomplete option '" << arg << "'\n";
      sql_usage(std::cerr);
      return 2;
    }
  }
  if (have_inline && !file.empty()) {
    std::cerr << "ember sql: give -e or -f, not both\n";
    return 2;
  }
  std::string script, init_script;
  if (!file.empty() && !read_file(file, script)) return 1;
  if (!init_file.empty() && !read_file(init_file, init_script)) return 1;
  const bool interactive = !have_inline && file.empty() && ::isatty(STDIN_FILENO) == 1;
  if (!have_inline && file.empty() && !interactive) {
    std::ostringstream text;
    text << std::cin.rdbuf();
    script = text.str();
  }

  InterruptWatcher watcher;  // before the session starts any thread
  watcher.set_interactive(interactive);
  auto builder = Session::builder().app_name("ember sql").master(master);
  if (!warehouse.empty()) builder.config("spark.sql.warehouse.dir", warehouse);
  for (const auto& [k, val] : confs) builder.config(k, val);
  Session session = builder.get_or_create();
  watcher.start(&session);

  ResultPrinter printer(session);
  printer.mode = mode;
  ShellState st;
  st.session = &session;
  st.watcher = &watcher;
  st.printer = &printer;
  st.timer = timer;
  if (!init_file.empty()) {
    st.source = init_file;
    if (run_script(st, init_script) != 0) return 1;
  }
  st.source.clear();
  if (interactive) return run_interactive(st);
  st.source = file;
  return run_script(st, have_inline ? inline_sql : script);
}

}  // namespace ember::cli
