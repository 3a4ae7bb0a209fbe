#include "ember/sql/lexer.h"

#include <cctype>

#include "ember/common/error.h"
#include "ember/types/utf8.h"

namespace ember::sql {

namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool is_ident_char(char c) { return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }


class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      skip_space_and_comments();
      Token t;
      t.line = line_;
      t.column = column_;
      t.offset = pos_;
      const size_t start = pos_;
      if (pos_ >= s_.size()) {
        t.kind = TokenKind::kEnd;
        out.push_back(std::move(t));
        return out;
      }
      lex_one(t);
      t.raw = std::string(s_.substr(start, pos_ - start));
      out.push_back(std::move(t));
    }
  }

 private:
  char peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  void advance(size_t n = 1) {
    for (size_t i = 0; i < n && pos_ < s_.size(); ++i) {
      if (s_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else if ((static_cast<unsigned char>(s_[pos_]) & 0xC0) != 0x80) {
        ++column_;  // columns count characters, not UTF-8 continuation bytes
      }
      ++pos_;
    }
  }

  void skip_space_and_comments() {
    for (;;) {
      while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) advance();
      if (peek() == '-' && peek(1) == '-') {
        while (pos_ < s_.size() && s_[pos_] != '\n') advance();
      } else if (peek() == '/' && peek(1) == '*') {
        const int line = line_, column = column_;
        advance(2);
        // Spark's bracketed comments nest.
        int depth = 1;
        while (depth > 0) {
          if (pos_ >= s_.size()) throw_syntax_error(line, column, "unterminated comment", "/*");
          if (peek() == '/' && peek(1) == '*') {
            ++depth;
            advance(2);
          } else if (peek() == '*' && peek(1) == '/') {
            --depth;
            advance(2);
          } else {
            advance();
          }
        }
      } else {
        return;
      }
    }
  }

  void lex_one(Token& t) {
    const char c = peek();
    if ((c == 'x' || c == 'X') && peek(1) == '\'') {
      advance(2);
      t.kind = TokenKind::kBinary;
      while (peek() != '\'') {
        if (pos_ >= s_.size()) throw_syntax_error(t.line, t.column, "unterminated binary literal", "X'");
        t.text += peek();
        advance();
      }
      advance();
      return;
    }
    if (is_ident_start(c)) {
      t.kind = TokenKind::kIdentifier;
      while (is_ident_char(peek())) {
        t.text += peek();
        advance();
      }
      return;
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return lex_number(t);
    if (c == '`') {
      t.kind = TokenKind::kQuotedIdentifier;
      advance();
      for (;;) {
        if (pos_ >= s_.size()) throw_syntax_error(t.line, t.column, "unterminated quoted identifier", "`");
        if (peek() == '`') {
          if (peek(1) == '`') {
            t.text += '`';
            advance(2);
            continue;
          }
          advance();
          return;
        }
        t.text += peek();
        advance();
      }
    }
    if (c == '\'' || c == '"') {
      t.kind = TokenKind::kString;
      const char quote = c;
      advance();
      std::string body;
      for (;;) {
        if (pos_ >= s_.size())
          throw_syntax_error(t.line, t.column, "unterminated string literal", std::string(1, quote));
        char d = peek();
        if (d == '\\' && pos_ + 1 < s_.size()) {
          body += d;
          body += peek(1);
          advance(2);
          continue;
        }
        if (d == quote) {
          // A doubled quote inside the literal stands for one quote character.
          if (peek(1) == quote) {
            body += '\\';
            body += quote;
            advance(2);
            continue;
          }
          advance();
          break;
        }
        body += d;
        advance();
      }
      t.text = unescape_string_literal(body);
      return;
    }
    t.kind = TokenKind::kOperator;
    static const char* const kOps[] = {"<=>", "::", "||", "<>", "!=", "<=", ">=", "==", "&&", "->", "=>",
                                       "(",   ")",  ",",  ".",  ";",  "+",  "-",  "*",  "/",  "%",  "=",
                                       "<",   ">",  "[",  "]",  "&",  "|",  "^",  "~",  "!",  ":",  "?"};
    for (const char* op : kOps) {
      std::string_view o(op);
      if (s_.substr(pos_, o.size()) == o) {
        t.text = std::string(o);
        advance(o.size());
        return;
      }
    }
    throw_syntax_error(t.line, t.column, "unexpected character", std::string(1, c));
  }

  void lex_number(Token& t) {
    bool decimal = false;
    while (is_digit(peek())) {
      t.text += peek();
      advance();
    }
    if (peek() == '.' && is_digit(peek(1))) {
      decimal = true;
      t.text += '.';
      advance();
      while (is_digit(peek())) {
        t.text += peek();
        advance();
      }
    } else if (peek() == '.' && !is_ident_start(peek(1))) {
      // "1." is the decimal 1 (Spark's DECIMAL_VALUE allows a bare trailing point).
      decimal = true;
      advance();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
      decimal = true;
      t.text += 'E';
      advance();
      if (peek() == '+' || peek() == '-') {
        t.text += peek();
        advance();
      }
      while (is_digit(peek())) {
        t.text += peek();
        advance();
      }
    }
    t.kind = decimal ? TokenKind::kDecimal : TokenKind::kInteger;
    // Type suffixes: 1L, 1S, 1Y, 1.5D, 1.5F, 1.5BD. A suffix must end the word (1Lx is no number).
    std::string suffix;
    size_t ahead = 0;
    while (std::isalpha(static_cast<unsigned char>(peek(ahead)))) {
      suffix += static_cast<char>(std::toupper(static_cast<unsigned char>(peek(ahead))));
      ++ahead;
    }
    if (suffix == "L" || suffix == "S" || suffix == "Y" || suffix == "D" || suffix == "F" || suffix == "BD") {
      if (!is_ident_char(peek(ahead))) {
        t.suffix = suffix;
        advance(ahead);
        return;
      }
    }
    if (!suffix.empty() || is_ident_char(peek(ahead))) {
      // Digits followed by letters are an identifier, as in Spark's lexer (its IDENTIFIER rule is
      // (LETTER | DIGIT | '_')+ and the longest match wins): "10MB" in SET ...=10MB, "1abc" a
      // column name. A decimal ("1.5abc", "1e5x") cannot be one and is an error saying where.
      if (decimal)
        throw_syntax_error(t.line, t.column, "invalid number", t.text + std::string(s_.substr(pos_, ahead)));
      t.kind = TokenKind::kIdentifier;
      while (is_ident_char(peek())) {
        t.text += peek();
        advance();
      }
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

void throw_syntax_error(int line, int column, const std::string& what, const std::string& near) {
  throw_error(ErrorKind::kParse, "PARSE_SYNTAX_ERROR",
              "syntax error at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
                  what + " near " + (near.empty() ? std::string("end of input") : "'" + near + "'"));
}

std::vector<Token> tokenize(std::string_view text) { return Lexer(text).run(); }

std::string unescape_string_literal(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      continue;
    }
    char n = body[++i];
    switch (n) {
      case '0':
        // \NNN (three octal digits) or \0.
        if (i + 2 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7' && body[i + 2] >= '0' &&
            body[i + 2] <= '7') {
          out += static_cast<char>((n - '0') * 64 + (body[i + 1] - '0') * 8 + (body[i + 2] - '0'));
          i += 2;
        } else {
          out += '\0';
        }
        break;
      case 'b': out += '\b'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'Z': out += '\x1A'; break;
      // LIKE wildcards stay escaped so a pattern can still match them literally.
      case '%': out += "\\%"; break;
      case '_': out += "\\_"; break;
      case 'u': {
        uint32_t cp = 0;
        size_t j = 0;
        for (; j < 4 && i + 1 + j < body.size() && std::isxdigit(static_cast<unsigned char>(body[i + 1 + j]));
             ++j) {
          cp = cp * 16 + static_cast<uint32_t>(std::stoi(std::string(1, body[i + 1 + j]), nullptr, 16));
        }
        if (j == 4) {
          utf8_encode(out, cp);
          i += 4;
        } else {
          out += 'u';
        }
        break;
      }
      default:
        if (n >= '1' && n <= '3' && i + 2 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7' &&
            body[i + 2] >= '0' && body[i + 2] <= '7') {
          out += static_cast<char>((n - '0') * 64 + (body[i + 1] - '0') * 8 + (body[i + 2] - '0'));
          i += 2;
        } else {
          out += n;  // \' \" \\ and any other escaped character stand for themselves
        }
    }
  }
  return out;
}

}  // namespace ember::sql
