#pragma once
// `ember check spec.yaml` and `ember profile PATH`: data-quality checks from the command line.
namespace ember::cli {

// Runs a YAML check suite (quality/yaml_suite.h): prints the pass/fail table, writes the JSON and
// HTML reports and appends to the metrics repository when the suite names them. Exit code: 0 when
// no error-level check failed, 1 when one did, 2 when the suite or the data could not be read.
int run_check(int argc, char** argv, int first_arg);

// Prints the profile of a dataset, and with --suggest a YAML check suite built from it.
int run_profile(int argc, char** argv, int first_arg);

}  // namespace ember::cli
