// `ember gen tpch`: TPC-H tables for the SQL tests and bench/tpch. ember does not carry its own
// dbgen: tpchgen-cli (PyPI, a port of dbgen whose output matches the reference generator row for
// row) writes Parquet and CSV directly and takes seconds per scale factor, so ember drives it. The
// binary is looked up as $EMBER_TPCHGEN, then in the repository's .venv (./dev.sh installs it from
// requirements-dev.txt), then on PATH.
#include "gen_tpch.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace ember::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTpchgen = "tpchgen-cli";

void gen_tpch_usage(std::ostream& out) {
  out << "usage: ember gen tpch [--scale SF] [--format parquet|csv] [--out DIR] [--tables t1,t2]\n"
         "\n"
         "Writes the eight TPC-H tables (one file per table: DIR/lineitem.parquet, ...) with\n"
         "tpchgen-cli. Defaults: --scale 1, --format parquet, --out tpch-sf<SF>.\n";
}

bool is_executable(const fs::path& path) {
  return !path.empty() && ::access(path.c_str(), X_OK) == 0 && fs::is_regular_file(path);
}

// The tpchgen-cli to run: explicit override, the venv next to the build tree, or PATH.
std::string find_tpchgen(const char* argv0) {
  if (const char* env = std::getenv("EMBER_TPCHGEN"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  fs::path exe = fs::canonical(fs::path("/proc/self/exe"), ec);
  if (ec) exe = fs::absolute(argv0, ec);
  // build/ember -> <repo>/.venv/bin; walk up a few levels to cover build/<subdir>/ember too.
  for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    fs::path candidate = dir / ".venv" / "bin" / kTpchgen;
    if (is_executable(candidate)) return candidate.string();
  }
  return kTpchgen;  // execvp searches PATH
}

bool valid_scale(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text.c_str(), &end);
  return errno == 0 && end != text.c_str() && *end == '\0' && value > 0;
}

// Runs argv (no shell) and returns its exit status, or 127 when it could not start.
int run_process(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    std::cerr << "ember gen tpch: fork failed: " << std::strerror(errno) << "\n";
    return 1;
  }
  if (pid == 0) {
    ::execvp(argv[0], argv.data());
    std::cerr << "ember gen tpch: cannot run '" << args[0] << "': " << std::strerror(errno)
              << "\n  install it with `./dev.sh run` (it is in requirements-dev.txt), "
                 "`pip install tpchgen-cli`, or point EMBER_TPCHGEN at it\n";
    std::_Exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

int run_gen_tpch(int argc, char** argv, int first_option) {
  std::string scale = "1";
  std::string format = "parquet";
  std::string out;
  std::string tables;
  for (int i = first_option; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "-h" || arg == "--help") {
      gen_tpch_usage(std::cout);
      return 0;
    } else if ((arg == "--scale" || arg == "-s") && (v = value())) {
      scale = v;
    } else if (arg == "--format" && (v = value())) {
      format = v;
    } else if (arg == "--out" && (v = value())) {
      out = v;
    } else if (arg == "--tables" && (v = value())) {
      tables = v;
    } else {
      std::cerr << "ember gen tpch: unknown or incomplete option '" << arg << "'\n";
      gen_tpch_usage(std::cerr);
      return 2;
    }
  }
  if (!valid_scale(scale)) {
    std::cerr << "ember gen tpch: --scale must be a positive number, got '" << scale << "'\n";
    return 2;
  }
  if (format != "parquet" && format != "csv") {
    std::cerr << "ember gen tpch: --format must be parquet or csv, got '" << format << "'\n";
    return 2;
  }
  if (out.empty()) out = "tpch-sf" + scale;

  std::vector<std::string> args = {find_tpchgen(argv[0]), format, "--scale-factor", scale,
                                   "--output-dir",        out,    "--overwrite"};
  if (!tables.empty()) {
    args.push_back("--tables");
    args.push_back(tables);
  }
  int rc = run_process(args);
  if (rc != 0) {
    std::cerr << "ember gen tpch: " << args[0] << " failed with exit status " << rc << "\n";
    return 1;
  }
  std::cout << "wrote TPC-H scale factor " << scale << " as " << format << " into " << out << "/\n";
  return 0;
}

}  // namespace ember::cli
