#include "quality_commands.h"

#include <iostream>
#include <map>
#include <string>

#include "ember/ember.h"
#include "ember/quality/metrics_repository.h"
#include "ember/quality/profile.h"
#include "ember/quality/quality.h"
#include "ember/quality/yaml_suite.h"

namespace ember::cli {

namespace {

Session cli_session() {
  return Session::builder().app_name("ember").config("spark.ui.showConsoleProgress", "false").get_or_create();
}

void check_usage(std::ostream& out) {
  out << "usage: ember check SPEC.yaml [--dataset PATH] [--tag KEY=VALUE]... [--json PATH] [--html PATH] "
         "[--quiet]\n"
         "\n"
         "Runs the check suite SPEC.yaml against the dataset it names (or --dataset PATH, e.g. today's\n"
         "partition; paths are relative to the current directory), prints a pass/fail table and\n"
         "writes the reports the suite (or --json/--html) names. --tag adds to the suite's tags (the\n"
         "metrics history is kept per tag set). Exit code: 0 when no error-level check failed, 1\n"
         "when one did, 2 when the suite or the data could not be read.\n";
}

void profile_usage(std::ostream& out) {
  out << "usage: ember profile PATH [--format csv|parquet] [--schema DDL] [--option KEY=VALUE]... "
         "[--suggest]\n"
         "\n"
         "Prints per-column statistics of the dataset at PATH (CSV files are read with header=true\n"
         "and inferSchema=true unless --option says otherwise). --suggest also prints a YAML check\n"
         "suite built from the profile, to start `ember check` from.\n";
}

}  // namespace

int run_check(int argc, char** argv, int first_arg) {
  std::string spec, json, html, dataset;
  std::map<std::string, std::string> tags;
  bool quiet = false;
  for (int i = first_arg; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      check_usage(std::cout);
      return 0;
    }
    if (arg == "--json" && i + 1 < argc) json = argv[++i];
    else if (arg == "--dataset" && i + 1 < argc) dataset = argv[++i];
    else if (arg == "--tag" && i + 1 < argc) {
      std::string kv = argv[++i];
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "ember check: --tag takes KEY=VALUE, got '" << kv << "'\n";
        return 2;
      }
      tags[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else if (arg == "--html" && i + 1 < argc) html = argv[++i];
    else if (arg == "--quiet") quiet = true;
    else if (!arg.empty() && arg[0] != '-' && spec.empty()) spec = arg;
    else {
      std::cerr << "ember check: unexpected argument '" << arg << "'\n";
      check_usage(std::cerr);
      return 2;
    }
  }
  if (spec.empty()) {
    check_usage(std::cerr);
    return 2;
  }
  quality::VerificationResult result;
  quality::CheckSuite suite;
  try {
    Session spark = cli_session();
    suite = quality::load_check_suite(spec, spark);
    if (!dataset.empty()) suite.dataset.path = dataset;
    for (const auto& [k, v] : tags) suite.tags[k] = v;
    DataFrame data = quality::read_dataset(spark, suite.dataset);
    quality::VerifyOptions options;
    options.dataset = suite.dataset.path;
    options.tags = suite.tags;
    result = quality::verify(data, suite.checks, options);
    // Reports first: a failing run still leaves them behind for whoever looks into it.
    if (!suite.metrics_repository.empty()) {
      quality::attach_history(spark.state(), suite.metrics_repository, result);
    }
    if (json.empty()) json = suite.json_report;
    if (html.empty()) html = suite.html_report;
    if (!json.empty()) quality::write_text_file(json, quality::to_json(result));
    if (!html.empty()) quality::write_text_file(html, quality::to_html(result));
    if (!suite.metrics_repository.empty()) quality::append_metrics(spark, suite.metrics_repository, result);
  } catch (const EmberError& e) {
    std::cerr << "ember check: " << e.what() << "\n";
    return 2;
  }
  if (!quiet) std::cout << quality::summary_text(result);
  if (!json.empty()) std::cout << "JSON report: " << json << "\n";
  if (!html.empty()) std::cout << "HTML report: " << html << "\n";
  return result.failed() ? 1 : 0;
}

int run_profile(int argc, char** argv, int first_arg) {
  quality::DatasetSpec spec;
  spec.options = {{"header", "true"}, {"inferSchema", "true"}};
  bool suggest = false;
  for (int i = first_arg; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      profile_usage(std::cout);
      return 0;
    }
    if (arg == "--format" && i + 1 < argc) {
      spec.format = argv[++i];
    } else if (arg == "--schema" && i + 1 < argc) {
      spec.schema = argv[++i];
    } else if (arg == "--option" && i + 1 < argc) {
      std::string kv = argv[++i];
      size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        std::cerr << "ember profile: --option takes KEY=VALUE, got '" << kv << "'\n";
        return 2;
      }
      spec.options[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else if (arg == "--suggest") {
      suggest = true;
    } else if (!arg.empty() && arg[0] != '-' && spec.path.empty()) {
      spec.path = arg;
    } else {
      std::cerr << "ember profile: unexpected argument '" << arg << "'\n";
      profile_usage(std::cerr);
      return 2;
    }
  }
  if (spec.path.empty()) {
    profile_usage(std::cerr);
    return 2;
  }
  if (spec.format == "parquet") spec.options.clear();
  try {
    Session spark = cli_session();
    quality::DataProfile p = quality::profile(quality::read_dataset(spark, spec));
    std::cout << quality::profile_text(p);
    if (suggest) {
      std::cout << "\n# Suggested checks (ember check):\n"
                << quality::check_suite_yaml(spec,
                                             {quality::suggest_checks(p, "suggested from " + spec.path)});
    }
  } catch (const EmberError& e) {
    std::cerr << "ember profile: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace ember::cli
