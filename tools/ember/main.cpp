// The `ember` command line. Today: --help, --version, `ember gen workshop` (the sample data the
// examples use), `ember gen tpch`, `ember sql` (sql_shell.cpp) and the data-quality commands
// `ember check` and `ember profile`.
#include <cstring>
#include <iostream>
#include <string>

#include "ember/api/sample_data.h"
#include "ember/common/error.h"

#include "gen_tpch.h"
#include "quality_commands.h"
#include "sql_shell.h"

namespace {

constexpr const char* kVersion = "0.1.0";

void usage(std::ostream& out) {
  out << "usage: ember <command> [options]\n"
         "\n"
         "commands:\n"
         "  sql [-e SQL | -f FILE] [--master M] [--conf K=V] [--warehouse DIR] [--mode table|csv|json]\n"
         "                                        the Spark SQL shell, or a batch run (`ember sql --help`)\n"
         "  gen workshop [--out DIR] [--rows N]   write the workshop sample data (sales, customers,\n"
         "                                        employees CSV files) into DIR (default: data)\n"
         "  gen tpch [--scale SF] [--format parquet|csv] [--out DIR]\n"
         "                                        write the TPC-H tables (see `ember gen tpch --help`)\n"
         "  check SPEC.yaml [--json P] [--html P]  run a data-quality check suite; exit 1 when an\n"
         "                                        error-level check fails (see `ember check --help`)\n"
         "  profile PATH [--suggest]              per-column statistics, and suggested checks as YAML\n"
         "\n"
         "options:\n"
         "  -h, --help       show this help\n"
         "  -V, --version    show the version\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    usage(std::cout);
    return 0;
  }
  if (cmd == "-V" || cmd == "--version") {
    std::cout << "ember " << kVersion << "\n";
    return 0;
  }
  try {
    if (cmd == "check") return ember::cli::run_check(argc, argv, 2);
    if (cmd == "profile") return ember::cli::run_profile(argc, argv, 2);
    if (cmd == "sql") return ember::cli::run_sql_command(argc, argv, 2);
    if (cmd == "gen" && argc >= 3 && std::strcmp(argv[2], "tpch") == 0) {
      return ember::cli::run_gen_tpch(argc, argv, 3);
    }
    if (cmd == "gen" && argc >= 3 && std::strcmp(argv[2], "workshop") == 0) {
      std::string out = "data";
      ember::sample::WorkshopDataSizes sizes;
      for (int i = 3; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--out" && i + 1 < argc) {
          out = argv[++i];
        } else if (arg == "--rows" && i + 1 < argc) {
          sizes.sales = std::stoll(argv[++i]);
        } else {
          std::cerr << "ember gen workshop: unknown option '" << arg << "'\n";
          return 2;
        }
      }
      ember::sample::write_workshop_data(out, sizes);
      std::cout << "wrote " << out << "/sales.csv, customers.csv, employees.csv\n";
      return 0;
    }
  } catch (const ember::EmberError& e) {
    std::cerr << "ember: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "ember: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "ember: unknown command '" << cmd << "'\n";
  usage(std::cerr);
  return 2;
}
