#include "ember/sql/script_splitter.h"

namespace ember::sql {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// True when `s` holds only whitespace and comments.
bool is_blank(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
    } else if (s.compare(i, 2, "--") == 0) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.compare(i, 2, "/*") == 0) {
      size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) return false;
      i = end + 2;
    } else {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Line of s[pos], counting from `line` at s[from].
int advance_line(std::string_view s, size_t from, size_t pos, int line) {
  for (size_t i = from; i < pos; ++i) line += s[i] == '\n' ? 1 : 0;
  return line;
}

}  // namespace

ScriptSplit split_sql_script(std::string_view text) {
  ScriptSplit out;
  size_t start = 0;  // first character of the current statement
  size_t i = 0;
  bool unterminated = false;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\'' || c == '"' || c == '`') {
      // Backquoted identifiers double the quote to escape it; string literals use backslashes.
      size_t j = i + 1;
      for (;;) {
        if (j >= text.size()) {
          unterminated = true;
          break;
        }
        if (c != '`' && text[j] == '\\') {
          j += 2;
          continue;
        }
        if (text[j] == c) {
          if (c == '`' && j + 1 < text.size() && text[j + 1] == '`') {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      if (unterminated) break;
      i = j + 1;
    } else if (text.compare(i, 2, "--") == 0) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (text.compare(i, 2, "/*") == 0) {
      size_t end = text.find("*/", i + 2);
      if (end == std::string_view::npos) {
        unterminated = true;
        break;
      }
      i = end + 2;
    } else if (c == ';') {
      std::string_view piece = text.substr(start, i - start);
      if (!is_blank(piece)) {
        size_t first = start;
        while (first < i && is_space(text[first])) ++first;
        out.statements.push_back({std::string(trim(piece)), advance_line(text, 0, first, 1)});
      }
      start = ++i;
    } else {
      ++i;
    }
  }
  std::string_view rest = text.substr(start);
  out.unterminated = unterminated;
  if (unterminated || !is_blank(rest)) {
    size_t first = start;
    while (first < text.size() && is_space(text[first])) ++first;
    out.rest = std::string(trim(rest));
    out.rest_line = advance_line(text, 0, first, 1);
  }
  return out;
}

}  // namespace ember::sql
