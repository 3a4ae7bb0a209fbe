#pragma once
// Writing JSON text: string escaping per RFC 8259, shared by everything ember writes as JSON
// (bad-record files, data-quality reports).
#include <string>
#include <string_view>

namespace ember {

// Appends `s` as a quoted JSON string: quote, backslash and control characters are escaped;
// other bytes (UTF-8) are copied as they are. `upper_hex` writes \u001F rather than \u001f, as
// Jackson (and so Spark's to_json and JSON writer) does.
void append_json_string(std::string& out, std::string_view s, bool upper_hex = false);

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace ember
