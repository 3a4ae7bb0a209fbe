#pragma once

namespace ember::cli {

// `ember sql [options]`: the interactive SQL shell, or a batch run with -e / -f (or SQL on a
// non-terminal stdin). argv[first_option..] are the options. Returns the exit status: 0 when
// every statement succeeded, 1 when one failed (a batch stops at the first failure), 2 for usage.
int run_sql_command(int argc, char** argv, int first_option);

}  // namespace ember::cli
