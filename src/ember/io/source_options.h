#pragma once
// Checks shared by the text readers' and writers' option parsers (CSV, JSON): one error text for
// a bad option value, and Spark's boolean option spelling.
#include <string>
#include <string_view>

namespace ember {

// Spark's parse modes for malformed records (the `mode` option of the CSV and JSON readers).
enum class ReadMode { kPermissive, kDropMalformed, kFailFast };

// PERMISSIVE / DROPMALFORMED / FAILFAST in any case, else throw_bad_source_option.
ReadMode parse_read_mode_option(std::string_view format, const std::string& key, const std::string& value);

// Throws kIllegalArgument: "invalid value 'v' for <FORMAT> option 'key': why".
[[noreturn]] void throw_bad_source_option(std::string_view format, const std::string& key, const std::string& value,
                                          const std::string& why);

// "true" / "false" in any case, else throw_bad_source_option.
bool parse_bool_source_option(std::string_view format, const std::string& key, const std::string& value);

}  // namespace ember
