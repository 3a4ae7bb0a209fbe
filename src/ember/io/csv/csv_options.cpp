#include "ember/io/csv/csv_options.h"

#include <charconv>

#include "ember/common/error.h"
#include "ember/io/source_options.h"
#include "ember/types/data_type.h"

namespace ember {

namespace {

[[noreturn]] void bad_option(const std::string& key, const std::string& value, const std::string& why) {
  throw_bad_source_option("CSV", key, value, why);
}

bool parse_bool(const std::string& key, const std::string& value) { return parse_bool_source_option("CSV", key, value); }

// Spark's getChar: "" disables the character, otherwise exactly one character.
char parse_char(const std::string& key, const std::string& value) {
  if (value.empty()) return '\0';
  if (value.size() == 1) return value[0];
  if (value == "\\t") return '\t';
  if (value == "\\u0000") return '\0';
  bad_option(key, value, "expected a single character");
}

// Spark's CSVExprUtils.toDelimiterStr accepts the escape sequences a user types in a shell.
char parse_delimiter(const std::string& key, const std::string& value) {
  if (value.size() == 1) return value[0];
  if (value == "\\t") return '\t';
  if (value == "\\|") return '|';
  if (value == "\\\\") return '\\';
  if (value == "\\'") return '\'';
  if (value == "\\\"") return '"';
  if (value == "\\u0000") return '\0';
  if (value.empty()) bad_option(key, value, "the delimiter cannot be empty");
  bad_option(key, value, "ember supports single-character delimiters only");
}

}  // namespace

const char* CsvOptions::mode_name(Mode mode) {
  switch (mode) {
    case Mode::kPermissive: return "PERMISSIVE";
    case Mode::kDropMalformed: return "DROPMALFORMED";
    case Mode::kFailFast: return "FAILFAST";
  }
  return "FAILFAST";
}

CsvOptions CsvOptions::parse(const std::map<std::string, std::string>& options) {
  CsvOptions o;
  bool leading_set = false, trailing_set = false;
  for (const auto& [raw_key, value] : options) {
    std::string key = to_lower(raw_key);
    if (key == "header") {
      o.header = parse_bool(raw_key, value);
    } else if (key == "sep" || key == "delimiter") {
      o.sep = parse_delimiter(raw_key, value);
    } else if (key == "quote") {
      o.quote = parse_char(raw_key, value);
    } else if (key == "escape") {
      o.escape = parse_char(raw_key, value);
    } else if (key == "chartoescapequoteescaping") {
      o.char_to_escape_quote_escaping = parse_char(raw_key, value);
    } else if (key == "comment") {
      o.comment = parse_char(raw_key, value);
    } else if (key == "nullvalue") {
      o.null_value = value;
    } else if (key == "emptyvalue") {
      o.empty_value = value;
      o.empty_value_set = true;
    } else if (key == "nanvalue") {
      o.nan_value = value;
    } else if (key == "positiveinf") {
      o.positive_inf = value;
    } else if (key == "negativeinf") {
      o.negative_inf = value;
    } else if (key == "dateformat") {
      o.date_format = value;
      o.date_format_set = true;
    } else if (key == "timestampformat") {
      o.timestamp_format = value;
    } else if (key == "inferschema") {
      o.infer_schema = parse_bool(raw_key, value);
    } else if (key == "preferdate") {
      o.prefer_date = parse_bool(raw_key, value);
    } else if (key == "multiline") {
      o.multi_line = parse_bool(raw_key, value);
    } else if (key == "mode") {
      o.mode = parse_read_mode_option("CSV", raw_key, value);
    } else if (key == "columnnameofcorruptrecord") {
      o.column_name_of_corrupt_record = value;
    } else if (key == "badrecordspath") {
      if (value.empty()) bad_option(raw_key, value, "expected a directory path");
      o.bad_records_path = value;
    } else if (key == "ignoreleadingwhitespace") {
      o.ignore_leading_white_space = parse_bool(raw_key, value);
      leading_set = true;
    } else if (key == "ignoretrailingwhitespace") {
      o.ignore_trailing_white_space = parse_bool(raw_key, value);
      trailing_set = true;
    } else if (key == "linesep") {
      if (value.empty()) bad_option(raw_key, value, "'lineSep' cannot be an empty string");
      if (value.size() > 2 || (value.size() == 2 && value != "\r\n")) {
        bad_option(raw_key, value, "'lineSep' can contain only 1 character");
      }
      o.line_sep = value;
    } else if (key == "samplingratio") {
      double r = 0;
      auto res = std::from_chars(value.data(), value.data() + value.size(), r);
      if (res.ec != std::errc() || res.ptr != value.data() + value.size() || !(r > 0) || r > 1) {
        bad_option(raw_key, value, "expected a number in (0, 1]");
      }
      o.sampling_ratio = r;
    } else if (key == "quoteall") {
      o.quote_all = parse_bool(raw_key, value);
    } else if (key == "escapequotes") {
      o.escape_quotes = parse_bool(raw_key, value);
    } else if (key == "timezone") {
      o.time_zone = value;
    } else if (key == "encoding" || key == "charset") {
      std::string e = to_lower(value);
      if (e != "utf-8" && e != "utf8" && e != "us-ascii" && e != "ascii") {
        bad_option(raw_key, value, "ember reads and writes UTF-8 only");
      }
      o.encoding = "UTF-8";
    } else if (key == "compression" || key == "codec") {
      std::string c = to_lower(value);
      if (c != "none" && c != "uncompressed") {
        bad_option(raw_key, value, "compressed CSV is not supported yet");
      }
    }
    // Any other key is ignored, as Spark ignores options a source does not know.
  }
  if (leading_set) o.ignore_leading_white_space_in_write = o.ignore_leading_white_space;
  if (trailing_set) o.ignore_trailing_white_space_in_write = o.ignore_trailing_white_space;
  return o;
}

}  // namespace ember
