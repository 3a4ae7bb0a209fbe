#pragma once

namespace ember::cli {

// `ember gen tpch [options]`; argv[first_option..] are the options. Returns the exit status.
int run_gen_tpch(int argc, char** argv, int first_option);

}  // namespace ember::cli
