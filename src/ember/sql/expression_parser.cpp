// The expression half of the Spark SQL parser (and the token helpers the other halves share).
#include <algorithm>
#include <cctype>
#include <cmath>

#include "ember/common/error.h"
#include "ember/functions/registry.h"
#include "ember/sql/parser.h"
#include "ember/types/decimal.h"
#include "ember/types/temporal.h"

namespace ember::sql {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Words that end an expression or a relation and so can never be an implicit alias (`SELECT a b`
// names a column b; `SELECT a FROM` does not). Spark's ANSI reserved keywords, restricted to the
// ones that can follow an expression or a table.
bool reserved(const std::string& upper_word) {
  static const char* const kWords[] = {
      "ALL",   "AND",    "ANTI",     "AS",         "ASC",    "BETWEEN", "BY",     "CASE",    "CLUSTER",
      "CROSS", "DESC",   "DISTINCT", "DISTRIBUTE", "ELSE",   "END",     "ESCAPE", "EXCEPT",  "FILTER",
      "FOR",   "FROM",   "FULL",     "GROUP",      "HAVING", "ILIKE",   "IN",     "INNER",   "INTERSECT",
      "IS",    "JOIN",   "LATERAL",  "LEFT",       "LIKE",   "LIMIT",   "MINUS",  "NATURAL", "NOT",
      "NULLS", "OFFSET", "ON",       "OR",         "ORDER",  "OUTER",   "OVER",   "QUALIFY", "REGEXP",
      "RIGHT", "RLIKE",  "SELECT",   "SEMI",       "SORT",   "THEN",    "UNION",  "USING",   "WHEN",
      "WHERE", "WINDOW", "WITH",     "VALUES"};
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* w) { return upper_word == w; });
}

ExprPtr lit(Value v) { return make_literal(std::move(v)); }
ExprPtr call(const char* name, std::vector<ExprPtr> args) { return make_call(name, std::move(args)); }

// An interval literal is a value of Spark's ANSI interval types (INTERVAL '2' HOUR is an
// INTERVAL HOUR), except one mixing year-month and day-time units (INTERVAL 1 MONTH 2 DAYS, Spark's
// CalendarIntervalType), which is kept as this marker call (months, days, microseconds, class 2)
// and only folded into date and timestamp arithmetic by + and -.
constexpr const char* kIntervalMarker = "__sql_interval";

bool is_calendar_interval(const ExprPtr& e) {
  return e->kind == ExprKind::kCall && e->name == kIntervalMarker;
}

bool is_interval(const ExprPtr& e) {
  return is_calendar_interval(e) || (e->kind == ExprKind::kLiteral && e->literal.type().is_interval());
}

// x + interval / x - interval: typed intervals are ordinary + / - (functions/scalar/
// interval_arithmetic.cpp); a calendar interval is __interval_add
// (functions/scalar/datetime_functions_extra.cpp), Spark's rules for dates and timestamps.
ExprPtr add_interval(ExprPtr x, const ExprPtr& interval, bool subtract) {
  if (!is_calendar_interval(interval)) return call(subtract ? "-" : "+", {std::move(x), interval});
  int64_t months = interval->children[0]->literal.as_int64();
  int64_t days = interval->children[1]->literal.as_int64();
  int64_t micros = interval->children[2]->literal.as_int64();
  if (subtract) {
    months = -months;
    days = -days;
    micros = -micros;
  }
  return call("__interval_add", {std::move(x), lit(Value::int32(static_cast<int32_t>(months))),
                                 lit(Value::int64(days)), lit(Value::int64(micros)), interval->children[3]});
}

}  // namespace

// --------------------------------------------------------------------------------------------
// Tokens

Parser::Parser(std::string_view text, const Catalog* catalog) : tokens_(tokenize(text)), catalog_(catalog) {}

const Token& Parser::peek(size_t ahead) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }

const Token& Parser::next() {
  const Token& t = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return t;
}

bool Parser::is_keyword(const char* kw, size_t ahead) const {
  const Token& t = peek(ahead);
  if (t.kind != TokenKind::kIdentifier || t.text.size() != std::char_traits<char>::length(kw)) return false;
  for (size_t i = 0; i < t.text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != kw[i]) return false;
  }
  return true;
}

bool Parser::accept_keyword(const char* kw) {
  if (!is_keyword(kw)) return false;
  next();
  return true;
}

void Parser::expect_keyword(const char* kw) {
  if (!accept_keyword(kw)) fail(std::string("expected '") + kw + "'");
}

bool Parser::is_op(const char* op, size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokenKind::kOperator && t.text == op;
}

bool Parser::accept_op(const char* op) {
  if (!is_op(op)) return false;
  next();
  return true;
}

void Parser::expect_op(const char* op) {
  if (!accept_op(op)) fail(std::string("expected '") + op + "'");
}

void Parser::fail(const std::string& expected) const {
  const Token& t = peek();
  throw_syntax_error(t.line, t.column, expected, t.kind == TokenKind::kEnd ? "" : t.raw);
}

std::string Parser::parse_identifier(const char* what) {
  const Token& t = peek();
  if (t.kind == TokenKind::kQuotedIdentifier ||
      (t.kind == TokenKind::kIdentifier && !reserved(upper(t.text)))) {
    return next().text;
  }
  fail(std::string("expected ") + what);
}

bool Parser::at_reserved_word(size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokenKind::kIdentifier && reserved(upper(t.text));
}

void Parser::expect_end() {
  while (accept_op(";")) {
  }
  if (peek().kind != TokenKind::kEnd) fail("expected end of input");
}

ExprPtr Parser::parse_standalone_expression() {
  ExprPtr e = parse_expression();
  expect_end();
  if (is_calendar_interval(e)) {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                "an INTERVAL mixing year-month and day-time units is supported only in date and timestamp "
                "arithmetic (x + INTERVAL ..., x - INTERVAL ...); ember has no calendar interval type");
  }
  return e;
}

ExprPtr Parser::parse_standalone_named_expression() {
  ExprPtr e = parse_named_expression();
  expect_end();
  return e;
}

// expression [[AS] alias]; `*` and `t.*` stand alone.
ExprPtr Parser::parse_named_expression() {
  ExprPtr e = parse_expression();
  if (e->kind == ExprKind::kStar) {
    // * EXCEPT (a, t.b): every column but these (Spark's star except).
    if (is_keyword("EXCEPT") && is_op("(", 1) && !is_keyword("SELECT", 2)) {
      next();
      next();
      auto star = std::make_shared<Expr>(*e);
      do {
        ExprPtr c = parse_primary();
        if (c->kind != ExprKind::kColumn) fail("expected a column name in the EXCEPT list");
        star->children.push_back(c);
      } while (accept_op(","));
      expect_op(")");
      return star;
    }
    return e;
  }
  if (accept_keyword("AS")) {
    if (is_op("(")) fail("expected a single alias");  // AS (a, b) is for generators, handled by callers
    return make_alias(e, parse_identifier("an alias"));
  }
  const Token& t = peek();
  if (t.kind == TokenKind::kQuotedIdentifier ||
      (t.kind == TokenKind::kIdentifier && !reserved(upper(t.text)))) {
    return make_alias(e, next().text);
  }
  return e;
}

// --------------------------------------------------------------------------------------------
// Boolean levels

ExprPtr Parser::parse_expression() { return parse_or(); }

ExprPtr Parser::parse_or() {
  ExprPtr e = parse_and();
  while (accept_keyword("OR")) e = make_or(e, parse_and());
  return e;
}

ExprPtr Parser::parse_and() {
  ExprPtr e = parse_not();
  while (accept_keyword("AND")) e = make_and(e, parse_not());
  return e;
}

ExprPtr Parser::parse_not() {
  if (is_keyword("NOT") || is_op("!")) {
    next();
    return make_not(parse_not());
  }
  if (is_keyword("EXISTS") && is_op("(", 1)) {
    next();
    next();
    ExprPtr e = parse_subquery(Subquery::Kind::kExists, nullptr);
    expect_op(")");
    return e;
  }
  return parse_predicate();
}

ExprPtr Parser::parse_predicate() {
  ExprPtr e = parse_comparison();
  const size_t start = pos_;
  bool negated = accept_keyword("NOT");
  auto wrap = [&](ExprPtr x) { return negated ? make_not(std::move(x)) : x; };
  if (accept_keyword("BETWEEN")) {
    ExprPtr lo = parse_additive();
    expect_keyword("AND");
    ExprPtr hi = parse_additive();
    // Spark defines BETWEEN as lower <= x AND x <= upper.
    return wrap(make_and(call(">=", {e, lo}), call("<=", {e, hi})));
  }
  if (accept_keyword("IN")) {
    expect_op("(");
    if (is_keyword("SELECT") || is_keyword("WITH") || is_keyword("VALUES")) {
      ExprPtr in = parse_subquery(Subquery::Kind::kIn, e);
      expect_op(")");
      return wrap(in);
    }
    std::vector<ExprPtr> args{e};
    do {
      args.push_back(parse_expression());
    } while (accept_op(","));
    expect_op(")");
    return wrap(call("in", std::move(args)));
  }
  if (accept_keyword("LIKE") || is_keyword("ILIKE") || is_keyword("RLIKE") || is_keyword("REGEXP")) {
    const std::string kind = upper(tokens_[pos_ - 1].text) == "LIKE" ? "LIKE" : upper(next().text);
    ExprPtr pattern = parse_additive();
    // LIKE p ESCAPE 'c': like's third argument (the default escape is '\\').
    ExprPtr escape;
    if (accept_keyword("ESCAPE")) {
      if (kind == "RLIKE" || kind == "REGEXP") fail("expected no ESCAPE after RLIKE");
      const Token t = peek();
      if (t.kind != TokenKind::kString || t.text.size() != 1)
        fail("expected a one-character string after ESCAPE");
      next();
      escape = lit(Value::string(t.text));
    }
    auto like = [&](ExprPtr x, ExprPtr p) {
      std::vector<ExprPtr> args{std::move(x), std::move(p)};
      if (escape) args.push_back(escape);
      return call("like", std::move(args));
    };
    if (kind == "LIKE") return wrap(like(e, pattern));
    // Spark's ilike is lower(x) LIKE lower(pattern), as Column::ilike builds it.
    if (kind == "ILIKE") return wrap(like(call("lower", {e}), call("lower", {pattern})));
    return wrap(call("rlike", {e, pattern}));
  }
  if (negated) {
    pos_ = start;  // a NOT that starts no predicate belongs to someone else
    return e;
  }
  if (accept_keyword("IS")) {
    bool is_not = accept_keyword("NOT");
    ExprPtr out;
    if (accept_keyword("NULL")) {
      return call(is_not ? "isnotnull" : "isnull", {e});
    } else if (accept_keyword("TRUE")) {
      out = call("<=>", {e, lit(Value::boolean(true))});
    } else if (accept_keyword("FALSE")) {
      out = call("<=>", {e, lit(Value::boolean(false))});
    } else if (accept_keyword("UNKNOWN")) {
      return call(is_not ? "isnotnull" : "isnull", {e});
    } else if (accept_keyword("DISTINCT")) {
      expect_keyword("FROM");
      ExprPtr other = parse_comparison();
      // IS DISTINCT FROM is NOT (a <=> b).
      return is_not ? call("<=>", {e, other}) : make_not(call("<=>", {e, other}));
    } else {
      fail("expected NULL, TRUE, FALSE or DISTINCT FROM after IS");
    }
    return is_not ? make_not(out) : out;
  }
  return e;
}

ExprPtr Parser::parse_comparison() {
  ExprPtr e = parse_additive();
  for (;;) {
    const Token& t = peek();
    if (t.kind != TokenKind::kOperator) return e;
    std::string op = t.text;
    if (op == "==") op = "=";
    if (op == "=" || op == "<" || op == "<=" || op == ">" || op == ">=" || op == "<=>") {
      next();
      e = call(op.c_str(), {e, parse_additive()});
    } else if (op == "<>" || op == "!=") {
      next();
      e = make_not(call("=", {e, parse_additive()}));
    } else {
      return e;
    }
  }
}

ExprPtr Parser::parse_additive() {
  ExprPtr e = parse_multiplicative();
  for (;;) {
    if (accept_op("+")) {
      ExprPtr r = parse_multiplicative();
      if (is_interval(r)) {
        e = add_interval(e, r, false);
      } else if (is_calendar_interval(e)) {
        e = add_interval(r, e, false);
      } else {
        e = call("+", {e, r});
      }
    } else if (accept_op("-")) {
      ExprPtr r = parse_multiplicative();
      e = is_interval(r) ? add_interval(e, r, true) : call("-", {e, r});
    } else if (accept_op("||")) {
      // a || b || c is concat(concat(a, b), c), as Spark's parser builds (and names) it.
      e = call("concat", {e, parse_multiplicative()});
    } else {
      return e;
    }
  }
}

ExprPtr Parser::parse_multiplicative() {
  ExprPtr e = parse_unary();
  for (;;) {
    if (accept_op("*")) {
      e = call("*", {e, parse_unary()});
    } else if (accept_op("/")) {
      e = call("/", {e, parse_unary()});
    } else if (accept_op("%")) {
      e = call("%", {e, parse_unary()});
    } else if (accept_keyword("DIV")) {
      e = call("div", {e, parse_unary()});
    } else {
      return e;
    }
  }
}

ExprPtr Parser::parse_unary() {
  if (is_op("-")) {
    next();
    const Token& t = peek();
    if (t.kind == TokenKind::kInteger || t.kind == TokenKind::kDecimal) {
      next();
      return parse_number(t, true);
    }
    return call("negative", {parse_unary()});
  }
  if (accept_op("+")) return parse_unary();
  if (is_op("~")) {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE", "bitwise NOT (~) is not supported yet");
  }
  return parse_postfix();
}

ExprPtr Parser::parse_postfix() {
  ExprPtr e = parse_primary();
  for (;;) {
    if (accept_op("::")) {
      e = make_cast(e, parse_type());
    } else if (accept_op("[")) {
      ExprPtr index = parse_expression();
      expect_op("]");
      // Spark's UnresolvedExtractValue: arr[i], m[key] or s['field'] by the operand's type.
      e = call("extract_value", {e, index});
    } else {
      return e;
    }
  }
}

// A subquery after its '(' (the caller consumes the ')'): one SELECT block stays unplanned so the
// enclosing block can decorrelate it; any other query is planned now (it cannot be correlated).
ExprPtr Parser::parse_subquery(Subquery::Kind kind, ExprPtr tested) {
  if (catalog_ == nullptr) {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                "subqueries need a session: use Session::sql");
  }
  Subquery sub;
  sub.kind = kind;
  const size_t start = pos_;
  if (is_keyword("SELECT")) {
    sub.parts = std::make_shared<SelectParts>(parse_select_block());
    if (!is_op(")")) {
      // ORDER BY / LIMIT / set operations: plan the whole query instead.
      pos_ = start;
      sub.parts.reset();
    }
  }
  if (!sub.parts) sub.plan = parse_query();
  subqueries_->push_back(std::move(sub));
  std::vector<ExprPtr> args;
  if (tested) args.push_back(tested);
  args.push_back(lit(Value::int64(static_cast<int64_t>(subqueries_->size() - 1))));
  return call(kSubqueryMarker, std::move(args));
}

// --------------------------------------------------------------------------------------------
// Primary expressions

ExprPtr Parser::parse_number(const Token& t, bool negative) {
  const std::string text = (negative ? "-" : "") + t.text;
  const std::string& suffix = t.suffix;
  auto out_of_range = [&](const char* type) -> ExprPtr {
    throw_error(ErrorKind::kParse, "INVALID_NUMERIC_LITERAL_RANGE",
                "Numeric literal " + text + suffix + " at line " + std::to_string(t.line) + ", column " +
                    std::to_string(t.column) + " is outside the valid range for " + type);
  };
  if (suffix == "D") return lit(Value::float64(std::stod(text)));
  if (suffix == "F") return lit(Value::float32(std::stof(text)));
  const bool has_exponent = t.text.find('E') != std::string::npos;
  if (t.kind == TokenKind::kDecimal && suffix.empty() && has_exponent)
    return lit(Value::float64(std::stod(text)));
  if (t.kind == TokenKind::kDecimal || suffix == "BD" || t.text.size() > 18) {
    // A decimal of the literal's own precision and scale, as Spark types 1.50 as DECIMAL(3,2).
    std::string digits = t.text;
    size_t point = digits.find('.');
    int scale = 0;
    if (has_exponent) {
      // 1.5E3BD: scale by the exponent (Java BigDecimal's rule; a negative scale becomes 0).
      double d = std::stod(text);
      return lit(Value::float64(d));
    }
    if (point != std::string::npos) {
      scale = static_cast<int>(digits.size() - point - 1);
      digits.erase(point, 1);
    }
    size_t first = digits.find_first_not_of('0');
    int precision = first == std::string::npos ? 1 : static_cast<int>(digits.size() - first);
    precision = std::max(precision, scale);
    if (precision > 38) {
      if (suffix == "BD") out_of_range("decimal(38)");
      return lit(Value::float64(std::stod(text)));
    }
    auto unscaled = parse_decimal(text, precision, scale);
    if (!unscaled) out_of_range("decimal");
    return lit(Value::decimal(*unscaled, precision, scale));
  }
  // Integers: tinyint/smallint/bigint by suffix; otherwise int when it fits, else bigint.
  __int128 v = 0;
  for (char c : t.text) v = v * 10 + (c - '0');
  if (negative) v = -v;
  auto fits = [&](__int128 lo, __int128 hi) { return v >= lo && v <= hi; };
  if (suffix == "Y")
    return fits(INT8_MIN, INT8_MAX) ? lit(Value::byte(static_cast<int8_t>(v))) : out_of_range("tinyint");
  if (suffix == "S") {
    return fits(INT16_MIN, INT16_MAX) ? lit(Value::short_(static_cast<int16_t>(v)))
                                      : out_of_range("smallint");
  }
  if (suffix == "L")
    return fits(INT64_MIN, INT64_MAX) ? lit(Value::int64(static_cast<int64_t>(v))) : out_of_range("bigint");
  if (fits(INT32_MIN, INT32_MAX)) return lit(Value::int32(static_cast<int32_t>(v)));
  return lit(Value::int64(static_cast<int64_t>(v)));
}

ExprPtr Parser::parse_primary() {
  const Token t = peek();
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal: next(); return parse_number(t, false);
    case TokenKind::kString: {
      next();
      std::string s = t.text;
      // Adjacent string literals are one literal ('a' 'b' = 'ab'), as in Spark.
      while (peek().kind == TokenKind::kString) s += next().text;
      return lit(Value::string(std::move(s)));
    }
    case TokenKind::kBinary: {
      next();
      std::string hex = t.text;
      if (hex.size() % 2 == 1) hex = "0" + hex;
      std::string bytes;
      for (size_t i = 0; i < hex.size(); i += 2) {
        if (!std::isxdigit(static_cast<unsigned char>(hex[i])) ||
            !std::isxdigit(static_cast<unsigned char>(hex[i + 1]))) {
          throw_syntax_error(t.line, t.column, "invalid hexadecimal digits in binary literal", t.raw);
        }
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      }
      return lit(Value::binary(std::move(bytes)));
    }
    case TokenKind::kOperator:
      if (t.text == "(") {
        next();
        if (is_keyword("SELECT") || is_keyword("WITH") || is_keyword("VALUES")) {
          ExprPtr sub = parse_subquery(Subquery::Kind::kScalar, nullptr);
          expect_op(")");
          return sub;
        }
        ExprPtr e = parse_expression();
        if (is_op(",")) {
          // (a, b): Spark's row constructor, a struct; `(a, b) IN (SELECT x, y ...)` tests both.
          std::vector<ExprPtr> fields{e};
          while (accept_op(",")) fields.push_back(parse_expression());
          expect_op(")");
          return call("struct", std::move(fields));
        }
        expect_op(")");
        return e;
      }
      if (t.text == "*") {
        next();
        return make_star();
      }
      fail("expected an expression");
    case TokenKind::kEnd: fail("expected an expression");
    case TokenKind::kQuotedIdentifier:
    case TokenKind::kIdentifier: break;
  }
  const std::string word = upper(t.text);
  if (t.kind == TokenKind::kIdentifier) {
    if (word == "NULL") return next(), lit(Value());
    if (word == "TRUE") return next(), lit(Value::boolean(true));
    if (word == "FALSE") return next(), lit(Value::boolean(false));
    if (word == "CASE") return next(), parse_case();
    if ((word == "CAST" || word == "TRY_CAST") && is_op("(", 1)) {
      next();
      return parse_cast(word == "TRY_CAST");
    }
    if (word == "EXTRACT" && is_op("(", 1)) return next(), parse_extract();
    if (word == "INTERVAL" &&
        (peek(1).kind != TokenKind::kOperator ||
         (is_op("-", 1) && (peek(2).kind == TokenKind::kString || peek(2).kind == TokenKind::kInteger ||
                            peek(2).kind == TokenKind::kDecimal)))) {
      return next(), parse_interval();
    }
    if ((word == "DATE" || word == "TIMESTAMP" || word == "TIMESTAMP_LTZ" || word == "TIMESTAMP_NTZ") &&
        peek(1).kind == TokenKind::kString) {
      next();
      const Token s = next();
      if (word == "DATE") {
        auto days = parse_date(s.text);
        if (!days) {
          throw_error(ErrorKind::kParse, "INVALID_TYPED_LITERAL",
                      "The value of the typed literal \"DATE\" is invalid: '" + s.text + "' at line " +
                          std::to_string(s.line) + ", column " + std::to_string(s.column));
        }
        return lit(Value::date(*days));
      }
      // A timestamp literal is read in the session time zone, which the analyzer and the
      // evaluator know and the parser does not: it is a cast of the string.
      return make_cast(lit(Value::string(s.text)), DataType::timestamp());
    }
    if ((word == "CURRENT_DATE" || word == "CURRENT_TIMESTAMP") && !is_op("(", 1)) {
      next();
      return call(word == "CURRENT_DATE" ? "current_date" : "current_timestamp", {});
    }
  }
  // Names: column, t.column, t.*, or a function call.
  next();
  if (t.kind == TokenKind::kIdentifier && is_op("(")) return parse_function_call(t.text);
  std::vector<std::string> parts{t.text};
  while (is_op(".")) {
    if (is_op("*", 1)) {
      next();
      next();
      auto star = std::make_shared<Expr>(*make_star());
      for (size_t i = 0; i < parts.size(); ++i) star->qualifier += (i ? "." : "") + parts[i];
      return star;
    }
    next();
    const Token& n = peek();
    if (n.kind != TokenKind::kIdentifier && n.kind != TokenKind::kQuotedIdentifier)
      fail("expected a column name after '.'");
    parts.push_back(next().text);
  }
  if (parts.size() == 1) return make_column(parts[0]);
  std::string qualifier;
  for (size_t i = 0; i + 1 < parts.size(); ++i) qualifier += (i ? "." : "") + parts[i];
  return make_column(parts.back(), qualifier);
}

ExprPtr Parser::parse_case() {
  std::vector<ExprPtr> kids;
  ExprPtr operand;
  if (!is_keyword("WHEN")) operand = parse_expression();
  if (!is_keyword("WHEN")) fail("expected WHEN");
  while (accept_keyword("WHEN")) {
    ExprPtr cond = parse_expression();
    // CASE x WHEN v THEN ...: each branch tests x = v.
    if (operand) cond = call("=", {operand, cond});
    expect_keyword("THEN");
    kids.push_back(cond);
    kids.push_back(parse_expression());
  }
  if (accept_keyword("ELSE")) kids.push_back(parse_expression());
  expect_keyword("END");
  return make_case(std::move(kids));
}

std::string Parser::type_text() {
  const Token& t = peek();
  if (t.kind != TokenKind::kIdentifier) fail("expected a data type");
  std::string text = next().text;
  if (upper(text) == "INTERVAL") {
    // INTERVAL DAY [TO SECOND], INTERVAL YEAR [TO MONTH], ...: the fields follow as words.
    static const char* const kFields[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
    auto is_field = [&](size_t ahead) {
      return std::any_of(std::begin(kFields), std::end(kFields),
                         [&](const char* f) { return is_keyword(f, ahead); });
    };
    if (is_field(0)) {
      text += " " + next().text;
      if (is_keyword("TO") && is_field(1)) {
        next();
        text += " TO " + next().text;
      }
    }
    return text;
  }
  if (is_op("(")) {
    next();
    text += "(";
    while (!is_op(")")) {
      if (peek().kind == TokenKind::kEnd) fail("expected ')'");
      text += next().raw;
    }
    next();
    text += ")";
  }
  if (is_op("<")) {
    next();
    text += "<";
    int depth = 1;
    while (depth > 0) {
      if (peek().kind == TokenKind::kEnd) fail("expected '>'");
      if (is_op("<")) ++depth;
      if (is_op(">")) --depth;
      const Token& x = next();
      text += x.raw;
      if (x.kind == TokenKind::kIdentifier && !is_op(">") && !is_op(",") && !is_op("<") && !is_op("("))
        text += " ";
    }
  }
  return text;
}

DataType Parser::parse_type() {
  const Token start = peek();
  std::string text = type_text();
  try {
    return parse_data_type(text);
  } catch (const EmberError& e) {
    throw_error(ErrorKind::kParse, "UNSUPPORTED_DATATYPE",
                "Unsupported data type \"" + text + "\" at line " + std::to_string(start.line) + ", column " +
                    std::to_string(start.column) + ": " + e.what());
  }
}

ExprPtr Parser::parse_cast(bool try_cast) {
  expect_op("(");
  ExprPtr e = parse_expression();
  expect_keyword("AS");
  DataType type = parse_type();
  expect_op(")");
  return make_cast(e, type, try_cast);
}

ExprPtr Parser::parse_extract() {
  expect_op("(");
  const Token field_token = peek();
  std::string field = upper(parse_identifier("a date or time field"));
  expect_keyword("FROM");
  ExprPtr source = parse_expression();
  expect_op(")");
  static const std::pair<const char*, const char*> kFields[] = {
      {"YEAR", "year"},        {"YEARS", "year"},          {"Y", "year"},         {"YR", "year"},
      {"YRS", "year"},         {"QUARTER", "quarter"},     {"QTR", "quarter"},    {"MONTH", "month"},
      {"MONTHS", "month"},     {"MON", "month"},           {"MONS", "month"},     {"WEEK", "weekofyear"},
      {"WEEKS", "weekofyear"}, {"W", "weekofyear"},        {"DAY", "dayofmonth"}, {"DAYS", "dayofmonth"},
      {"D", "dayofmonth"},     {"DAYOFWEEK", "dayofweek"}, {"DOW", "dayofweek"},  {"DOY", "dayofyear"},
      {"HOUR", "hour"},        {"HOURS", "hour"},          {"H", "hour"},         {"HR", "hour"},
      {"MINUTE", "minute"},    {"MINUTES", "minute"},      {"M", "minute"},       {"MIN", "minute"},
      {"SECOND", "second"},    {"SECONDS", "second"},      {"S", "second"},       {"SEC", "second"}};
  for (const auto& [name, function] : kFields) {
    if (field == name) return call(function, {source});
  }
  throw_error(
      ErrorKind::kParse, "INVALID_EXTRACT_FIELD",
      "Cannot extract " + field + " at line " + std::to_string(field_token.line) + ", column " +
          std::to_string(field_token.column) +
          "; supported fields: YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DOY, HOUR, MINUTE, SECOND");
}

// INTERVAL '3' MONTH, INTERVAL 2 DAYS, INTERVAL 1 YEAR 2 MONTHS, INTERVAL '1 day',
// INTERVAL '1-2' YEAR TO MONTH, INTERVAL '1 02:03:04.5' DAY TO SECOND, INTERVAL '1.5' SECOND.
ExprPtr Parser::parse_interval() {
  int64_t months = 0, days = 0, micros = 0;
  bool year_month = false, whole_days = false, time_part = false;
  // The interval type's fields: the first and last unit written of each kind.
  int ym_from = 9, ym_to = -1, dt_from = 9, dt_to = -1;
  // Units in Spark's order; a unit's index says which class it belongs to.
  static const char* const kUnits[] = {"YEAR",   "MONTH",  "WEEK",        "DAY",        "HOUR",
                                       "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"};
  constexpr int kSecond = 6, kMicrosecond = 8;
  auto unit_index = [&](const std::string& word, const Token& at) {
    std::string unit = upper(word);
    if (unit.size() > 1 && unit.back() == 'S') unit.pop_back();
    for (int k = 0; k < 9; ++k) {
      if (unit == kUnits[k]) return k;
    }
    throw_syntax_error(at.line, at.column, "expected an interval unit (YEAR, MONTH, WEEK, DAY, HOUR, ...)",
                       at.raw);
  };
  // n units of `unit` (microseconds for kMicrosecond, which seconds with a fraction use).
  auto add_unit = [&](int64_t n, int unit, const Token& at) {
    static const int64_t kScale[] = {
        12, 1, 7, 1, 3600 * kMicrosPerSecond, 60 * kMicrosPerSecond, kMicrosPerSecond, 1000, 1};
    int64_t* target = unit <= 1 ? &months : unit <= 3 ? &days : &micros;
    int64_t v;
    if (__builtin_mul_overflow(n, kScale[unit], &v) || __builtin_add_overflow(*target, v, target)) {
      throw_syntax_error(at.line, at.column, "the interval is out of range", at.raw);
    }
    (unit <= 1 ? year_month : unit <= 3 ? whole_days : time_part) = true;
    // YEAR, MONTH -> 0, 1; WEEK, DAY -> DAY; HOUR, MINUTE -> 1, 2; SECOND and below -> SECOND.
    if (unit <= 1) {
      ym_from = std::min(ym_from, unit);
      ym_to = std::max(ym_to, unit);
    } else {
      const int field = unit <= 3 ? 0 : std::min(unit - 3, 3);
      dt_from = std::min(dt_from, field);
      dt_to = std::max(dt_to, field);
    }
  };
  auto number = [&](const std::string& s, const Token& at) -> int64_t {
    try {
      size_t used = 0;
      int64_t n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (const std::exception&) {
    }
    throw_syntax_error(at.line, at.column, "expected a whole number in the interval", at.raw);
  };
  // "12.5" seconds as microseconds (at most six fraction digits).
  auto seconds = [&](const std::string& s, const Token& at) -> int64_t {
    size_t dot = s.find('.');
    if (dot == std::string::npos) return number(s, at) * kMicrosPerSecond;
    const std::string whole = s.substr(0, dot), frac = s.substr(dot + 1);
    if (frac.empty() || frac.size() > 6 || frac.find_first_not_of("0123456789") != std::string::npos) {
      throw_syntax_error(at.line, at.column, "expected seconds with at most six fraction digits", at.raw);
    }
    const bool minus = !whole.empty() && whole[0] == '-';
    const int64_t w = whole.empty() || whole == "-" || whole == "+" ? 0 : number(whole, at);
    int64_t f = std::stoll(frac);
    for (size_t k = frac.size(); k < 6; ++k) f *= 10;
    return w * kMicrosPerSecond + (minus ? -f : f);
  };
  auto trimmed = [](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
  };
  // n units; seconds may have a fraction.
  auto add_number = [&](const std::string& text, int unit, bool negative, const Token& at) {
    if (unit == kSecond) {
      int64_t us = seconds(text, at);
      add_unit(negative ? -us : us, kMicrosecond, at);
    } else {
      int64_t n = number(text, at);
      add_unit(negative ? -n : n, unit, at);
    }
  };
  // 'value' FROM TO FROM: one number per field from `from` to `to`, as Spark's ANSI forms:
  // 'y-m' YEAR TO MONTH, 'd h:m:s.f' DAY TO SECOND, 'h:m' HOUR TO MINUTE, ...
  auto parse_fields = [&](const std::string& text, int from, int to, bool negative, const Token& at) {
    std::string s = trimmed(text);
    bool minus = negative;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      minus = minus != (s[0] == '-');
      s.erase(0, 1);
    }
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t k = 0; k <= s.size(); ++k) {
      if (k == s.size() || s[k] == ' ' || s[k] == ':' || (from <= 1 && s[k] == '-')) {
        parts.push_back(s.substr(start, k - start));
        start = k + 1;
      }
    }
    std::vector<int> fields;
    for (int f = from; f <= to; ++f) {
      if (f != 2) fields.push_back(f);
    }
    if (parts.size() != fields.size()) {
      throw_syntax_error(at.line, at.column,
                         std::string("the interval string does not match the ") + kUnits[from] +
                             (from == to ? "" : std::string(" TO ") + kUnits[to]) + " format",
                         at.raw);
    }
    static const int64_t kLimit[] = {0, 11, 0, 0, 23, 59, 59};
    for (size_t k = 0; k < fields.size(); ++k) {
      const int f = fields[k];
      if (parts[k].empty() || parts[k][0] == '-' || parts[k][0] == '+') {
        throw_syntax_error(at.line, at.column, "the interval string has a misplaced sign or an empty field",
                           at.raw);
      }
      // Fields after the first stay within their range (months 0-11, minutes 0-59, ...).
      const int64_t v = f == kSecond ? seconds(parts[k], at) : number(parts[k], at);
      if (k > 0 && (f == kSecond ? v >= 60 * kMicrosPerSecond : v > kLimit[f])) {
        throw_syntax_error(at.line, at.column,
                           std::string("the ") + kUnits[f] + " field of the interval is out of range",
                           at.raw);
      }
      add_unit(minus ? -v : v, f == kSecond ? kMicrosecond : f, at);
    }
  };
  bool any = false;
  for (;;) {
    bool negative = false;
    if (is_op("-") && (peek(1).kind == TokenKind::kInteger || peek(1).kind == TokenKind::kDecimal ||
                       peek(1).kind == TokenKind::kString)) {
      negative = true;
      next();
    }
    const Token v = peek();
    if (v.kind == TokenKind::kString) {
      next();
      if (peek().kind == TokenKind::kIdentifier && !at_reserved_word()) {
        // '3' MONTH, '1.5' SECOND, or '1 02:03' DAY TO MINUTE.
        const Token unit_token = next();
        const int from = unit_index(unit_token.text, unit_token);
        int to = from;
        if (accept_keyword("TO")) {
          const Token to_token = next();
          to = unit_index(to_token.text, to_token);
          if (to <= from || (from <= 1) != (to <= 1) || from == 2 || to > kSecond) {
            throw_syntax_error(to_token.line, to_token.column, "not a valid interval qualifier",
                               to_token.raw);
          }
        }
        if (from == to) {
          add_number(trimmed(v.text), from, negative, v);
        } else {
          parse_fields(v.text, from, to, negative, v);
        }
      } else {
        // A whole interval in the string: '1 day', '2 years 3 months'.
        size_t i = 0;
        const std::string& s = v.text;
        while (i < s.size()) {
          while (i < s.size() && s[i] == ' ') ++i;
          size_t j = i;
          while (j < s.size() && s[j] != ' ') ++j;
          std::string n = s.substr(i, j - i);
          i = j;
          while (i < s.size() && s[i] == ' ') ++i;
          j = i;
          while (j < s.size() && s[j] != ' ') ++j;
          if (n.empty() || j == i)
            throw_syntax_error(v.line, v.column, "cannot parse the interval string", v.raw);
          add_number(n, unit_index(s.substr(i, j - i), v), negative, v);
          i = j;
        }
      }
      any = true;
    } else if (v.kind == TokenKind::kInteger || v.kind == TokenKind::kDecimal) {
      next();
      const Token unit = peek();
      if (unit.kind != TokenKind::kIdentifier) fail("expected an interval unit");
      next();
      add_number(v.text, unit_index(unit.text, unit), negative, v);
      any = true;
    } else {
      if (!any) fail("expected an interval value");
      break;
    }
  }
  const int32_t cls = year_month && (whole_days || time_part) ? 2 : year_month ? 0 : time_part ? 3 : 1;
  if (cls == 2) {
    // Both kinds: Spark's CalendarIntervalType, which ember has no type for; it lives on as a
    // marker that only date and timestamp arithmetic accepts.
    return call(kIntervalMarker, {lit(Value::int64(months)), lit(Value::int64(days)),
                                  lit(Value::int64(micros)), lit(Value::int32(cls))});
  }
  if (cls == 0) {
    if (months < INT32_MIN || months > INT32_MAX) fail("an interval within the INT range of months");
    return lit(Value::year_month_interval(static_cast<int32_t>(months),
                                          DataType::year_month_interval(ym_from, ym_to)));
  }
  int64_t total;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &total) || __builtin_add_overflow(total, micros, &total)) {
    fail("an interval within the BIGINT range of microseconds");
  }
  return lit(Value::day_time_interval(total, DataType::day_time_interval(dt_from, dt_to)));
}

ExprPtr Parser::parse_function_call(const std::string& written_name) {
  expect_op("(");
  const std::string name = lower(written_name);
  const FunctionRegistry& registry = FunctionRegistry::instance();
  // SUBSTRING(x FROM a [FOR b]) and POSITION(a IN b), Spark's SQL-standard call forms.
  if ((name == "substring" || name == "substr") && !is_op(")")) {
    ExprPtr x = parse_expression();
    if (accept_keyword("FROM")) {
      ExprPtr from = parse_expression();
      std::vector<ExprPtr> args{x, from};
      if (accept_keyword("FOR")) args.push_back(parse_expression());
      expect_op(")");
      return call("substring", std::move(args));
    }
    std::vector<ExprPtr> args{x};
    while (accept_op(",")) args.push_back(parse_expression());
    expect_op(")");
    return make_call(name, std::move(args));
  }
  // IF(cond, a, b) / IFF: a CASE, so only the chosen branch is evaluated for each row (an ANSI
  // error in the other branch, e.g. IF(x = 0, NULL, 1 / x), never fires), as in Spark.
  if ((name == "if" || name == "iff") && !is_op(")")) {
    std::vector<ExprPtr> args{parse_expression()};
    while (accept_op(",")) args.push_back(parse_expression());
    expect_op(")");
    if (args.size() != 3) {
      throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                  "The `" + name + "` requires 3 parameters but the actual number is " + std::to_string(args.size()) +
                      ".");
    }
    return make_case({args[0], args[1], args[2]});
  }
  if (name == "position" && !is_op(")")) {
    ExprPtr needle = parse_additive();
    if (accept_keyword("IN")) {
      ExprPtr haystack = parse_expression();
      expect_op(")");
      return call("locate", {needle, haystack});
    }
    std::vector<ExprPtr> args{needle};
    while (accept_op(",")) args.push_back(parse_expression());
    expect_op(")");
    return call("position", std::move(args));
  }
  bool distinct = false;
  if (accept_keyword("DISTINCT")) {
    distinct = true;
  } else {
    accept_keyword("ALL");
  }
  std::vector<ExprPtr> args;
  if (!is_op(")")) {
    do {
      args.push_back(parse_expression());
    } while (accept_op(","));
  }
  expect_op(")");
  const bool aggregate = registry.find_scalar(name) == nullptr && registry.is_aggregate(name);
  // count(*) is count(1), and Spark names it so.
  if (name == "count" && args.size() == 1 && args[0]->kind == ExprKind::kStar && args[0]->qualifier.empty()) {
    args[0] = lit(Value::int32(1));
  }
  bool ignore_nulls = false;
  auto null_treatment = [&] {
    if (is_keyword("IGNORE") && is_keyword("NULLS", 1)) {
      next();
      next();
      ignore_nulls = true;
    } else if (is_keyword("RESPECT") && is_keyword("NULLS", 1)) {
      next();
      next();
    }
  };
  null_treatment();
  ExprPtr filter;
  if (is_keyword("FILTER") && is_op("(", 1)) {
    next();
    next();
    expect_keyword("WHERE");
    filter = parse_expression();
    expect_op(")");
    if (!aggregate) {
      throw_error(ErrorKind::kAnalysis, "INVALID_SQL_SYNTAX",
                  "FILTER (WHERE ...) is only allowed on aggregate functions, not on " + name + "()");
    }
  }
  null_treatment();
  ExprPtr fn;
  if (aggregate) {
    // first/last(x) IGNORE NULLS is first(x, true), as functions::first(c, true) builds it.
    if (ignore_nulls && (name == "first" || name == "last" || name == "any_value") && args.size() == 1) {
      args.push_back(lit(Value::boolean(true)));
      ignore_nulls = false;
    }
    auto agg = std::make_shared<Expr>(*make_aggregate(name, std::move(args), distinct));
    if (filter) {
      agg->children.push_back(filter);
      agg->has_filter = true;
    }
    agg->ignore_nulls = ignore_nulls;
    fn = agg;
  } else {
    if (distinct) {
      throw_error(ErrorKind::kAnalysis, "INVALID_SQL_SYNTAX",
                  "DISTINCT is only allowed in aggregate functions, not in " + name + "()");
    }
    auto c = std::make_shared<Expr>(*make_call(name, std::move(args)));
    c->ignore_nulls = ignore_nulls;
    fn = c;
  }
  if (is_keyword("OVER")) {
    next();
    return parse_over(fn);
  }
  return fn;
}

// OVER w | OVER (PARTITION BY ... ORDER BY ... frame). A named window is kept by name in the
// kWindow node's `name` until the WINDOW clause defines it (select_planner.cpp).
ExprPtr Parser::parse_over(ExprPtr function) {
  auto w = std::make_shared<Expr>(
      *make_window(function, {}, {}, FrameType::kDefault, kUnboundedPreceding, kCurrentRow));
  if (!is_op("(")) {
    w->name = parse_identifier("a window name");
    return w;
  }
  next();
  parse_window_spec(*w);
  expect_op(")");
  return w;
}

void Parser::parse_window_spec(Expr& w) {
  if (peek().kind == TokenKind::kIdentifier && !is_keyword("PARTITION") && !is_keyword("ORDER") &&
      !is_keyword("ROWS") && !is_keyword("RANGE") && !is_keyword("DISTRIBUTE") && !is_keyword("SORT") &&
      !is_keyword("CLUSTER")) {
    w.name = parse_identifier("a window name");  // OVER (w ORDER BY ...) refines a named window
  }
  std::vector<ExprPtr> partitions, orders;
  if (accept_keyword("PARTITION") || accept_keyword("DISTRIBUTE")) {
    expect_keyword("BY");
    do {
      partitions.push_back(parse_expression());
    } while (accept_op(","));
  }
  if (accept_keyword("ORDER") || accept_keyword("SORT")) {
    expect_keyword("BY");
    orders = parse_sort_items();
  }
  ExprPtr fn = w.children[0];
  w.children = {fn};
  w.window_partitions = static_cast<int>(partitions.size());
  for (auto& p : partitions) w.children.push_back(p);
  for (auto& o : orders) w.children.push_back(o);
  if (is_keyword("ROWS") || is_keyword("RANGE")) {
    w.frame_type = upper(next().text) == "ROWS" ? FrameType::kRows : FrameType::kRange;
    bool following = false;
    if (accept_keyword("BETWEEN")) {
      w.frame_lower = parse_frame_bound(following);
      expect_keyword("AND");
      w.frame_upper = parse_frame_bound(following);
    } else {
      w.frame_lower = parse_frame_bound(following);
      w.frame_upper = kCurrentRow;
    }
  }
}

int64_t Parser::parse_frame_bound(bool& is_following) {
  if (accept_keyword("UNBOUNDED")) {
    if (accept_keyword("PRECEDING")) return kUnboundedPreceding;
    expect_keyword("FOLLOWING");
    is_following = true;
    return kUnboundedFollowing;
  }
  if (accept_keyword("CURRENT")) {
    expect_keyword("ROW");
    return kCurrentRow;
  }
  const Token t = peek();
  if (t.kind != TokenKind::kInteger) fail("expected UNBOUNDED, CURRENT ROW or a number of rows");
  next();
  int64_t n = std::stoll(t.text);
  if (accept_keyword("PRECEDING")) return -n;
  expect_keyword("FOLLOWING");
  is_following = true;
  return n;
}

std::vector<ExprPtr> Parser::parse_sort_items() {
  std::vector<ExprPtr> out;
  do {
    ExprPtr e = parse_expression();
    bool ascending = true;
    if (accept_keyword("DESC")) {
      ascending = false;
    } else {
      accept_keyword("ASC");
    }
    // Spark: ascending puts nulls first, descending last, unless NULLS FIRST/LAST says otherwise.
    bool nulls_first = ascending;
    if (accept_keyword("NULLS")) {
      if (accept_keyword("FIRST")) {
        nulls_first = true;
      } else {
        expect_keyword("LAST");
        nulls_first = false;
      }
    }
    out.push_back(make_sort_order(e, ascending, nulls_first));
  } while (accept_op(","));
  return out;
}

}  // namespace ember::sql
