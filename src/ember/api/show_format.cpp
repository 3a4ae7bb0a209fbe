#include "ember/api/show_format.h"

#include <algorithm>
#include <cstdint>

#include "ember/types/utf8.h"

namespace ember {

namespace {

// Decodes UTF-8 into code points; invalid bytes count as one code point each.
std::vector<uint32_t> code_points(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    auto len = static_cast<int>(utf8_seq_len(c));
    if (i + static_cast<size_t>(len) > s.size()) len = 1;
    uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

bool is_wide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x2FFFD) ||
         (cp >= 0x30000 && cp <= 0x3FFFD);
}

// Byte offset of the first `n` code points.
size_t prefix_bytes(const std::string& s, size_t n) {
  size_t i = 0;
  for (size_t k = 0; k < n && i < s.size(); ++k) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = utf8_seq_len(c);
    i = std::min(s.size(), i + len);
  }
  return i;
}

// Spark escapes control characters so a cell stays on one line.
std::string escape_meta(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\f': out += "\\f"; break;
      case '\b': out += "\\b"; break;
      case '\v': out += "\\v"; break;
      case '\a': out += "\\a"; break;
      default: out += c;
    }
  }
  return out;
}

std::string truncate_cell(const std::string& cell, int truncate) {
  std::string s = escape_meta(cell);
  if (truncate <= 0) return s;
  size_t chars = code_points(s).size();
  if (chars <= static_cast<size_t>(truncate)) return s;
  if (truncate < 4) return s.substr(0, prefix_bytes(s, static_cast<size_t>(truncate)));
  return s.substr(0, prefix_bytes(s, static_cast<size_t>(truncate - 3))) + "...";
}

std::string pad(const std::string& s, size_t width, bool left) {
  size_t w = display_width(s);
  if (w >= width) return s;
  std::string fill(width - w, ' ');
  return left ? fill + s : s + fill;
}

}  // namespace

size_t display_width(const std::string& utf8) {
  size_t w = 0;
  for (uint32_t cp : code_points(utf8)) w += is_wide(cp) ? 2 : 1;
  return w;
}

std::string format_show_table(const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows_in, int num_rows,
                              int truncate, bool vertical, bool has_more) {
  const size_t min_width = 3;
  std::vector<std::string> head;
  for (const auto& h : header) head.push_back(truncate_cell(h, truncate));
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : rows_in) {
    std::vector<std::string> cells;
    for (const auto& c : r) cells.push_back(truncate_cell(c, truncate));
    rows.push_back(std::move(cells));
  }
  std::string out;
  if (!vertical) {
    std::vector<size_t> widths(head.size(), min_width);
    for (size_t i = 0; i < head.size(); ++i) widths[i] = std::max(widths[i], display_width(head[i]));
    for (const auto& r : rows) {
      for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], display_width(r[i]));
    }
    std::string sep = "+";
    for (size_t w : widths) sep += std::string(w, '-') + "+";
    sep += "\n";
    auto line = [&](const std::vector<std::string>& cells) {
      std::string l = "|";
      for (size_t i = 0; i < cells.size(); ++i) l += pad(cells[i], widths[i], truncate > 0) + "|";
      return l + "\n";
    };
    out += sep + line(head) + sep;
    for (const auto& r : rows) out += line(r);
    out += sep;
  } else {
    size_t name_width = min_width, data_width = min_width;
    for (const auto& h : head) name_width = std::max(name_width, display_width(h));
    for (const auto& r : rows) {
      for (const auto& c : r) data_width = std::max(data_width, display_width(c));
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      std::string record = "-RECORD " + std::to_string(i);
      size_t total = name_width + data_width + 5;
      if (record.size() < total) record += std::string(total - record.size(), '-');
      out += record + "\n";
      for (size_t j = 0; j < rows[i].size(); ++j) {
        out += " " + pad(head[j], name_width, false) + " | " + pad(rows[i][j], data_width, false) + " \n";
      }
    }
  }
  if (vertical && rows.empty()) {
    out += "(0 rows)\n";
  } else if (has_more) {
    out += "only showing top " + std::to_string(num_rows) + (num_rows == 1 ? " row\n" : " rows\n");
  }
  return out;
}

}  // namespace ember
