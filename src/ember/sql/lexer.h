#pragma once
// Tokens of the Spark SQL dialect and the hand-written lexer that produces them.
//
// Keywords are not a token kind: Spark's keywords are mostly non-reserved, so the lexer returns
// every bare word as kIdentifier and the parser decides from context whether `year` is a keyword
// or a column. Each token carries its 1-based line and column so errors can point at the spot.
#include <string>
#include <string_view>
#include <vector>

namespace ember::sql {

enum class TokenKind {
  kIdentifier,        // bare word: a name or a keyword (`text` as written)
  kQuotedIdentifier,  // `back quoted` (`text` without quotes, `` unescaped)
  kInteger,           // 42, with an optional type suffix in `suffix` (L, S, Y, BD, D, F)
  kDecimal,           // 1.5, .5, 1e3 (with an optional suffix)
  kString,            // 'text' or "text" (`text` unescaped)
  kBinary,            // X'0A1B' (`text` holds the hex digits)
  kOperator,  // punctuation and operators: ( ) , . ; + - * / % = == <> != < <= > >= <=> || :: [ ] etc.
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;    // see TokenKind
  std::string suffix;  // numeric literal type suffix, upper case ("L", "BD", ...)
  int line = 1;
  int column = 1;
  size_t offset = 0;  // byte offset of the token's first character in the text
  // The token as it appeared in the source (for "near '...'" in error messages).
  std::string raw;
};

// Splits SQL text into tokens, ending with one kEnd token. Comments (-- to end of line, /* ... */)
// and whitespace are skipped. An unterminated string, quoted identifier or comment, or a character
// that starts no token, is a PARSE_SYNTAX_ERROR naming its line and column.
std::vector<Token> tokenize(std::string_view text);

// Throws PARSE_SYNTAX_ERROR: "syntax error at line L, column C: <what> near '<near>'" (`near` is
// "end of input" at the end of the text).
[[noreturn]] void throw_syntax_error(int line, int column, const std::string& what, const std::string& near);

// Spark's unescapeSQLString applied to the body of a quoted string literal.
std::string unescape_string_literal(std::string_view body);

}  // namespace ember::sql
