// The Spark SQL lexer and parser: literal types, precedence, generated column names and syntax
// errors, checked against Spark's documented behaviour (SQL reference: literals, operator
// precedence; PARSE_SYNTAX_ERROR positions are 1-based line and column).
#include <gtest/gtest.h>

#include "ember/common/error.h"
#include "ember/sql/lexer.h"
#include "ember/sql/parser.h"

namespace ember::sql {
namespace {

ExprPtr parse(const std::string& text) { return Parser(text, nullptr).parse_standalone_expression(); }

std::string syntax_error(const std::string& text) {
  try {
    parse(text);
  } catch (const EmberError& e) {
    EXPECT_EQ(e.error_class(), "PARSE_SYNTAX_ERROR") << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return "";
}

TEST(SqlLexerTest, TokensCarryLineAndColumn) {
  auto tokens = tokenize("SELECT a,\n  `b c` -- comment\n /* x */ 'it''s' 1.5BD");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[3].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(tokens[3].text, "b c");
  EXPECT_EQ(tokens[3].line, 2);
  EXPECT_EQ(tokens[3].column, 3);
  EXPECT_EQ(tokens[4].text, "it's");
  EXPECT_EQ(tokens[4].line, 3);
  EXPECT_EQ(tokens[4].column, 10);
  EXPECT_EQ(tokens[5].suffix, "BD");
}

TEST(SqlLexerTest, StringEscapes) {
  EXPECT_EQ(tokenize(R"('a\tb\n\\ \'q\' \u0041 \101')")[0].text, "a\tb\n\\ 'q' A A");
  EXPECT_EQ(tokenize(R"("double ""quoted""")")[0].text, "double \"quoted\"");
  EXPECT_EQ(tokenize(R"('50\%')")[0].text, "50\\%");  // LIKE escapes survive
}

TEST(SqlParserTest, LiteralTypes) {
  auto type_of = [](const std::string& text) { return parse(text)->literal.type().simple_string(); };
  EXPECT_EQ(type_of("1"), "int");
  EXPECT_EQ(type_of("3000000000"), "bigint");
  EXPECT_EQ(type_of("1L"), "bigint");
  EXPECT_EQ(type_of("1S"), "smallint");
  EXPECT_EQ(type_of("1Y"), "tinyint");
  EXPECT_EQ(type_of("1.5"), "decimal(2,1)");
  EXPECT_EQ(type_of("0.05"), "decimal(2,2)");
  EXPECT_EQ(type_of("1.5D"), "double");
  EXPECT_EQ(type_of("1.5BD"), "decimal(2,1)");
  EXPECT_EQ(type_of("1e3"), "double");
  EXPECT_EQ(type_of("'s'"), "string");
  EXPECT_EQ(type_of("X'0A1b'"), "binary");
  EXPECT_EQ(type_of("DATE '2024-02-29'"), "date");
  EXPECT_EQ(type_of("TRUE"), "boolean");
  EXPECT_EQ(parse("-2147483648")->literal.as_int64(), -2147483648LL);
  EXPECT_EQ(type_of("-2147483648"), "int");
  EXPECT_EQ(parse("X'0A1b'")->literal.as_string(), std::string("\x0a\x1b"));
  EXPECT_TRUE(parse("NULL")->literal.is_null());
}

TEST(SqlParserTest, PrecedenceFollowsSpark) {
  EXPECT_EQ(parse("1 + 2 * 3")->to_string(), "(1 + (2 * 3))");
  EXPECT_EQ(parse("a - b - c")->to_string(), "(('a - 'b) - 'c)");
  EXPECT_EQ(parse("a OR b AND c")->to_string(), "('a OR ('b AND 'c))");
  EXPECT_EQ(parse("NOT a = b")->to_string(), "NOT ('a = 'b)");
  EXPECT_EQ(parse("a + 1 > b")->to_string(), "(('a + 1) > 'b)");
  EXPECT_EQ(parse("-x * 2")->to_string(), "(-'x * 2)");
  EXPECT_EQ(parse("a || b || c")->to_string(), "concat(concat('a, 'b), 'c)");
  EXPECT_EQ(parse("x::int + 1")->to_string(), "(CAST('x AS INT) + 1)");
  EXPECT_EQ(parse("t.a <> 3")->to_string(), "NOT ('t.a = 3)");
}

TEST(SqlParserTest, GeneratedNamesMatchSpark) {
  EXPECT_EQ(parse("sum(amount)")->pretty_name(), "sum(amount)");
  EXPECT_EQ(parse("count(*)")->pretty_name(), "count(1)");
  EXPECT_EQ(parse("count(DISTINCT a)")->pretty_name(), "count(DISTINCT a)");
  EXPECT_EQ(parse("sum(x) FILTER (WHERE x > 1)")->pretty_name(), "sum(x) FILTER (WHERE (x > 1))");
  EXPECT_EQ(parse("amount > 100")->pretty_name(), "(amount > 100)");
  EXPECT_EQ(parse("CASE WHEN a THEN 1 ELSE 2 END")->pretty_name(), "CASE WHEN a THEN 1 ELSE 2 END");
}

TEST(SqlParserTest, SpecialForms) {
  EXPECT_EQ(parse("x BETWEEN 1 AND 3")->to_string(), "(('x >= 1) AND ('x <= 3))");
  EXPECT_EQ(parse("x NOT IN (1, 2)")->to_string(), "NOT 'x IN (1, 2)");
  EXPECT_EQ(parse("x IS NOT NULL")->to_string(), "isnotnull('x)");
  EXPECT_EQ(parse("x IS DISTINCT FROM y")->to_string(), "NOT ('x <=> 'y)");
  EXPECT_EQ(parse("EXTRACT(YEAR FROM d)")->to_string(), "year('d)");
  EXPECT_EQ(parse("SUBSTRING(s FROM 2 FOR 3)")->to_string(), "substring('s, 2, 3)");
  // Interval literals are typed values (Spark's ANSI interval types), printed as Spark prints them.
  EXPECT_EQ(parse("d + INTERVAL '3' MONTH")->to_string(), "('d + INTERVAL '3' MONTH)");
  EXPECT_EQ(parse("d - INTERVAL 2 DAYS")->to_string(), "('d - INTERVAL '2' DAY)");
  EXPECT_EQ(parse("INTERVAL '1-2' YEAR TO MONTH + d")->to_string(), "(INTERVAL '1-2' YEAR TO MONTH + 'd)");
  EXPECT_EQ(parse("t - INTERVAL '1 02:03:04.5' DAY TO SECOND")->to_string(),
            "('t - INTERVAL '1 02:03:04.5' DAY TO SECOND)");
  EXPECT_EQ(parse("t + INTERVAL 1 DAY 90 MINUTES")->to_string(), "('t + INTERVAL '1 01:30' DAY TO MINUTE)");
  // Both kinds at once (Spark's calendar interval): (months, days, microseconds, class 2).
  EXPECT_EQ(parse("d + INTERVAL 1 MONTH 2 DAYS")->to_string(), "__interval_add('d, 1, 2, 0, 2)");
  EXPECT_EQ(parse("TRY_CAST(s AS DECIMAL(10, 2))")->to_string(), "TRY_CAST('s AS DECIMAL(10,2))");
  ExprPtr w =
      parse("sum(x) OVER (PARTITION BY g ORDER BY t DESC ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING)");
  ASSERT_EQ(w->kind, ExprKind::kWindow);
  EXPECT_EQ(w->frame_type, FrameType::kRows);
  EXPECT_EQ(w->frame_lower, -1);
  EXPECT_EQ(w->frame_upper, kUnboundedFollowing);
  EXPECT_EQ(w->to_string(),
            "sum('x) OVER (PARTITION BY 'g ORDER BY 't DESC NULLS LAST ROWS BETWEEN 1 PRECEDING AND "
            "UNBOUNDED FOLLOWING)");
}

TEST(SqlParserTest, SyntaxErrorsPointAtTheSpot) {
  EXPECT_EQ(syntax_error("substring(a\n\n  FORM 2)"),
            "[PARSE_SYNTAX_ERROR] syntax error at line 3, column 3: expected ')' near 'FORM'");
  EXPECT_EQ(
      syntax_error("1 +"),
      "[PARSE_SYNTAX_ERROR] syntax error at line 1, column 4: expected an expression near end of input");
  EXPECT_EQ(syntax_error("'open"),
            "[PARSE_SYNTAX_ERROR] syntax error at line 1, column 1: unterminated string literal near '''");
  EXPECT_EQ(syntax_error("a b c"),
            "[PARSE_SYNTAX_ERROR] syntax error at line 1, column 3: expected end of input near 'b'");
  EXPECT_EQ(syntax_error("CAST(a AS)"),
            "[PARSE_SYNTAX_ERROR] syntax error at line 1, column 10: expected a data type near ')'");
}

}  // namespace
}  // namespace ember::sql
