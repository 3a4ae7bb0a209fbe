#include <gtest/gtest.h>

#include "ember/api/show_format.h"

namespace ember {
namespace {

// Expected texts are Spark 4's df.show() output for the same cells, checked by hand against
// Dataset.showString: minimum width 3, right-aligned when truncating, "NULL" for nulls.
TEST(ShowFormatTest, TableLikeSpark) {
  std::string got = format_show_table({"name", "age"}, {{"Alice", "1"}, {"Bob", "NULL"}}, 20, 20, false, false);
  EXPECT_EQ(got,
            "+-----+----+\n"
            "| name| age|\n"
            "+-----+----+\n"
            "|Alice|   1|\n"
            "|  Bob|NULL|\n"
            "+-----+----+\n");
}

TEST(ShowFormatTest, TruncatesLongCellsAndNotesMoreRows) {
  std::string got = format_show_table({"s"}, {{"abcdefghijklmnopqrstuvwxyz"}}, 1, 20, false, true);
  EXPECT_EQ(got,
            "+--------------------+\n"
            "|                   s|\n"
            "+--------------------+\n"
            "|abcdefghijklmnopq...|\n"
            "+--------------------+\n"
            "only showing top 1 row\n");
}

TEST(ShowFormatTest, NoTruncationLeftAligns) {
  std::string got = format_show_table({"a", "b"}, {{"x", "long value"}}, 20, 0, false, false);
  EXPECT_EQ(got,
            "+---+----------+\n"
            "|a  |b         |\n"
            "+---+----------+\n"
            "|x  |long value|\n"
            "+---+----------+\n");
}

TEST(ShowFormatTest, Vertical) {
  std::string got = format_show_table({"name", "age"}, {{"Alice", "1"}}, 20, 20, true, false);
  EXPECT_EQ(got,
            "-RECORD 0-----\n"
            " name | Alice \n"
            " age  | 1     \n");
  EXPECT_EQ(format_show_table({"a"}, {}, 20, 20, true, false), "(0 rows)\n");
}

TEST(ShowFormatTest, EmptyTableAndWideCharacters) {
  EXPECT_EQ(format_show_table({"id"}, {}, 20, 20, false, false), "+---+\n| id|\n+---+\n+---+\n");
  EXPECT_EQ(display_width("日本"), 4u);
  std::string got = format_show_table({"c"}, {{"日本"}}, 20, 20, false, false);
  EXPECT_EQ(got, "+----+\n|   c|\n+----+\n|日本|\n+----+\n");
}

TEST(ShowFormatTest, EscapesLineBreaks) {
  std::string got = format_show_table({"c"}, {{"a\nb"}}, 20, 20, false, false);
  EXPECT_NE(got.find("a\\nb"), std::string::npos) << got;
}

}  // namespace
}  // namespace ember
