#include "ember/io/json/json_options.h"

#include "ember/common/error.h"
#include "ember/io/source_options.h"
#include "ember/types/data_type.h"

namespace ember {

namespace {

[[noreturn]] void bad_option(const std::string& key, const std::string& value, const std::string& why) {
  throw_bad_source_option("JSON", key, value, why);
}

bool parse_bool(const std::string& key, const std::string& value) { return parse_bool_source_option("JSON", key, value); }

}  // namespace

JsonOptions JsonOptions::parse(const std::map<std::string, std::string>& options) {
  JsonOptions o;
  for (const auto& [raw_key, value] : options) {
    const std::string key = to_lower(raw_key);
    if (key == "multiline") {
      o.multi_line = parse_bool(raw_key, value);
    } else if (key == "mode") {
      o.mode = parse_read_mode_option("JSON", raw_key, value);
    } else if (key == "columnnameofcorruptrecord") {
      o.column_name_of_corrupt_record = value;
    } else if (key == "badrecordspath") {
      if (value.empty()) bad_option(raw_key, value, "expected a directory path");
      o.bad_records_path = value;
    } else if (key == "dateformat") {
      o.date_format = value;
    } else if (key == "timestampformat") {
      o.timestamp_format = value;
    } else if (key == "primitivesasstring") {
      o.primitives_as_string = parse_bool(raw_key, value);
    } else if (key == "timezone") {
      o.time_zone = value;
    }
  }
  return o;
}

}  // namespace ember
