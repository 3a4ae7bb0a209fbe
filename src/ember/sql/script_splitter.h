#pragma once
// Splitting SQL text into statements at top-level semicolons, for `ember sql -f script.sql` and
// the interactive shell (which reads lines until a statement is complete). Quotes ('...', "...",
// `...`, with Spark's backslash escapes inside string literals), line comments (-- ...) and block
// comments (/* ... */) are skipped, so a ';' inside them never ends a statement.
#include <string>
#include <string_view>
#include <vector>

namespace ember::sql {

struct ScriptStatement {
  std::string text;  // the statement without its ';', trimmed; comments kept
  int line = 1;      // 1-based line of the statement's first character in the script
};

struct ScriptSplit {
  std::vector<ScriptStatement> statements;  // complete statements, each ended by ';'
  // Text after the last ';' that is not only whitespace and comments (the shell keeps reading;
  // a script ending without ';' runs it as a last statement).
  std::string rest;
  int rest_line = 1;
  // True when the text ends inside a quote or a block comment.
  bool unterminated = false;
};

ScriptSplit split_sql_script(std::string_view text);

}  // namespace ember::sql
