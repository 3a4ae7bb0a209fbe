#pragma once
// `ember sql`: Spark SQL from the command line (-e, -f, or an interactive prompt).
namespace ember::cli {

int run_sql(int argc, char** argv, int first);

}  // namespace ember::cli
