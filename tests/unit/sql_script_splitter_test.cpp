#include "ember/sql/script_splitter.h"

#include <gtest/gtest.h>

namespace ember::sql {
namespace {

std::vector<std::string> texts(const ScriptSplit& s) {
  std::vector<std::string> out;
  for (const auto& st : s.statements) out.push_back(st.text);
  return out;
}

TEST(SqlScriptSplitterTest, SplitsAtTopLevelSemicolonsWithLines) {
  ScriptSplit s = split_sql_script("SELECT 1;\n\nSELECT\n  2 ;  SELECT 3;\n");
  EXPECT_EQ(texts(s), (std::vector<std::string>{"SELECT 1", "SELECT\n  2", "SELECT 3"}));
  ASSERT_EQ(s.statements.size(), 3u);
  EXPECT_EQ(s.statements[0].line, 1);
  EXPECT_EQ(s.statements[1].line, 3);
  EXPECT_EQ(s.statements[2].line, 4);
  EXPECT_TRUE(s.rest.empty());
  EXPECT_FALSE(s.unterminated);
}

TEST(SqlScriptSplitterTest, SemicolonsInsideQuotesAndCommentsDoNotSplit) {
  ScriptSplit s = split_sql_script(
      "SELECT 'a;b', \"c;d\", `e;f``;` FROM t -- x; y\n WHERE s = 'it\\'s;' /* ; */;\nSELECT 2;");
  EXPECT_EQ(texts(s), (std::vector<std::string>{
                          "SELECT 'a;b', \"c;d\", `e;f``;` FROM t -- x; y\n WHERE s = 'it\\'s;' /* ; */",
                          "SELECT 2"}));
}

TEST(SqlScriptSplitterTest, EmptyStatementsAndCommentOnlyPiecesAreDropped) {
  ScriptSplit s = split_sql_script(";; -- only a comment\n; /* block */ ;SELECT 1;");
  EXPECT_EQ(texts(s), (std::vector<std::string>{"SELECT 1"}));
  EXPECT_TRUE(s.rest.empty());
}

TEST(SqlScriptSplitterTest, IncompleteTailIsReturnedAsRest) {
  ScriptSplit s = split_sql_script("SELECT 1;\nSELECT *\nFROM t");
  EXPECT_EQ(texts(s), (std::vector<std::string>{"SELECT 1"}));
  EXPECT_EQ(s.rest, "SELECT *\nFROM t");
  EXPECT_EQ(s.rest_line, 2);
  EXPECT_FALSE(s.unterminated);

  ScriptSplit trailing_comment = split_sql_script("SELECT 1; -- done\n");
  EXPECT_TRUE(trailing_comment.rest.empty());
}

TEST(SqlScriptSplitterTest, UnterminatedQuoteOrCommentIsReported) {
  ScriptSplit quote = split_sql_script("SELECT 'abc;\n");
  EXPECT_TRUE(quote.statements.empty());
  EXPECT_TRUE(quote.unterminated);
  EXPECT_EQ(quote.rest, "SELECT 'abc;");

  ScriptSplit comment = split_sql_script("SELECT 1; /* open ;");
  EXPECT_EQ(texts(comment), (std::vector<std::string>{"SELECT 1"}));
  EXPECT_TRUE(comment.unterminated);
}

}  // namespace
}  // namespace ember::sql
