#include "sql_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "ember/ember.h"
#include "ember/sql/lexer.h"

namespace ember::cli {

namespace {

void sql_usage(std::ostream& out) {
  out << "usage: ember sql [-e SQL | -f FILE] [--master local[N]] [--conf KEY=VALUE]... [--mode "
         "table|csv|tsv]\n"
         "                 [--time]\n"
         "\n"
         "Runs Spark SQL statements (separated by ';'). Query results print as a table (or CSV / TSV\n"
         "with --mode). Without -e or -f, reads statements from standard input, with a prompt on a\n"
         "terminal; there `.mode table|csv|tsv`, `.timer on|off` and `.quit` are commands.\n"
         "Exit status: 0 when every statement succeeded, 1 at the first failure (-e / -f), 2 for bad\n"
         "arguments.\n";
}

std::string csv_field(const std::string& s, char sep) {
  bool quote = s.find(sep) != std::string::npos || s.find('"') != std::string::npos ||
               s.find('\n') != std::string::npos;
  if (!quote) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

struct Shell {
  Session spark;
  std::string mode = "table";
  bool timer = false;

  // Runs one statement and prints its result; false (after printing the error) when it fails.
  bool run(const std::string& statement) {
    const auto start = std::chrono::steady_clock::now();
    try {
      DataFrame df = spark.sql(statement);
      const std::vector<std::string> columns = df.columns();
      size_t rows = 0;
      if (!columns.empty()) {
        if (mode == "table") {
          // One job: the table is show()'s, whose lines are 3 borders, the header, and a row each.
          const std::string table = df.show_string(std::numeric_limits<int>::max() - 1, 0);
          const size_t lines = static_cast<size_t>(std::count(table.begin(), table.end(), '\n'));
          rows = lines >= 4 ? lines - 4 : 0;
          std::cout << table;
        } else {
          const char sep = mode == "csv" ? ',' : '\t';
          for (size_t c = 0; c < columns.size(); ++c)
            std::cout << (c ? std::string(1, sep) : "") << csv_field(columns[c], sep);
          std::cout << "\n";
          for (const Row& r : df.collect()) {
            for (size_t c = 0; c < r.values().size(); ++c) {
              const Value& v = r.values()[c];
              std::cout << (c ? std::string(1, sep) : "")
                        << (v.is_null() ? std::string() : csv_field(v.to_string(), sep));
            }
            std::cout << "\n";
            ++rows;
          }
        }
      }
      if (timer) {
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "Time taken: %.3f seconds, Fetched %zu row(s)\n", seconds, rows);
      }
      std::cout << std::flush;
      return true;
    } catch (const std::exception& e) {
      std::cout << std::flush;
      std::cerr << "Error: " << e.what() << "\n";
      return false;
    }
  }

  int run_script(const std::string& text) {
    std::vector<std::string> statements;
    try {
      statements = sql::split_statements(text);
    } catch (const std::exception& e) {
      std::cerr << "Error: " << e.what() << "\n";
      return 1;
    }
    for (const auto& s : statements) {
      if (!run(s)) return 1;
    }
    return 0;
  }

  // Statements end with ';' at the end of a line; dot commands stand alone.
  int interactive() {
    const bool tty = isatty(STDIN_FILENO) != 0;
    std::string pending;
    int status = 0;
    for (;;) {
      if (tty) std::cout << (pending.empty() ? "ember-sql> " : "       ...> ") << std::flush;
      std::string line;
      if (!std::getline(std::cin, line)) break;
      if (pending.empty() && !line.empty() && line[0] == '.') {
        std::istringstream words(line);
        std::string cmd, arg;
        words >> cmd >> arg;
        if (cmd == ".quit" || cmd == ".exit") break;
        if (cmd == ".mode" && (arg == "table" || arg == "csv" || arg == "tsv")) {
          mode = arg;
        } else if (cmd == ".timer" && (arg == "on" || arg == "off")) {
          timer = arg == "on";
        } else {
          std::cerr << "Error: unknown command '" << line
                    << "' (.mode table|csv|tsv, .timer on|off, .quit)\n";
        }
        continue;
      }
      pending += (pending.empty() ? "" : "\n") + line;
      size_t last = line.find_last_not_of(" \t\r");
      if (last == std::string::npos || line[last] != ';') continue;
      std::vector<std::string> statements;
      try {
        statements = sql::split_statements(pending);
      } catch (const std::exception& e) {
        std::cerr << "Error: " << e.what() << "\n";
        status = 1;
      }
      pending.clear();
      for (const auto& s : statements) {
        if (!run(s)) status = 1;
      }
    }
    if (!pending.empty() && !run(pending)) status = 1;
    return status;
  }
};

}  // namespace

int run_sql(int argc, char** argv, int first) {
  std::string inline_sql, file, master = "local[*]", mode = "table";
  bool have_inline = false, timer = false;
  std::map<std::string, std::string> conf;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument("option " + arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "-h" || arg == "--help") {
        sql_usage(std::cout);
        return 0;
      } else if (arg == "-e") {
        inline_sql = value();
        have_inline = true;
      } else if (arg == "-f") {
        file = value();
      } else if (arg == "--master") {
        master = value();
      } else if (arg == "--conf") {
        std::string kv = value();
        size_t eq = kv.find('=');
        if (eq == std::string::npos) throw std::invalid_argument("--conf takes KEY=VALUE, got '" + kv + "'");
        conf[kv.substr(0, eq)] = kv.substr(eq + 1);
      } else if (arg == "--mode") {
        mode = value();
        if (mode != "table" && mode != "csv" && mode != "tsv")
          throw std::invalid_argument("--mode is table, csv or tsv");
      } else if (arg == "--time") {
        timer = true;
      } else {
        throw std::invalid_argument("unknown option '" + arg + "'");
      }
    } catch (const std::invalid_argument& e) {
      std::cerr << "ember sql: " << e.what() << "\n";
      sql_usage(std::cerr);
      return 2;
    }
  }
  auto builder = Session::builder().app_name("ember-sql").master(master);
  for (const auto& [k, v] : conf) builder.config(k, v);
  Shell shell{builder.get_or_create()};
  shell.mode = mode;
  shell.timer = timer;
  if (have_inline) return shell.run_script(inline_sql);
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "ember sql: cannot read " << file << "\n";
      return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    return shell.run_script(text.str());
  }
  return shell.interactive();
}

}  // namespace ember::cli
