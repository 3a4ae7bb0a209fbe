#include "ember/io/source_options.h"

#include "ember/common/error.h"
#include "ember/types/data_type.h"

namespace ember {

void throw_bad_source_option(std::string_view format, const std::string& key, const std::string& value,
                             const std::string& why) {
  throw_error(ErrorKind::kIllegalArgument,
              "invalid value '" + value + "' for " + std::string(format) + " option '" + key + "': " + why);
}

bool parse_bool_source_option(std::string_view format, const std::string& key, const std::string& value) {
  if (equals_ignore_case(value, "true")) return true;
  if (equals_ignore_case(value, "false")) return false;
  throw_bad_source_option(format, key, value, "expected true or false");
}

ReadMode parse_read_mode_option(std::string_view format, const std::string& key, const std::string& value) {
  if (equals_ignore_case(value, "permissive")) return ReadMode::kPermissive;
  if (equals_ignore_case(value, "dropmalformed")) return ReadMode::kDropMalformed;
  if (equals_ignore_case(value, "failfast")) return ReadMode::kFailFast;
  throw_bad_source_option(format, key, value, "expected PERMISSIVE, DROPMALFORMED or FAILFAST");
}

}  // namespace ember
