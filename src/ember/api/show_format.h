#pragma once
// Spark's Dataset.showString: the exact table (or vertical record) text df.show() prints.
#include <string>
#include <vector>

namespace ember {

// `rows` holds the cells already converted to strings (nulls as "NULL"); `has_more` adds the
// "only showing top N rows" footer. truncate > 0 cuts cells longer than truncate characters
// and right-aligns; truncate == 0 keeps them whole and left-aligns.
std::string format_show_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                              int num_rows, int truncate, bool vertical, bool has_more);

// Characters as a terminal shows them: East Asian wide characters count twice (Spark's
// Utils.stringHalfWidth).
size_t display_width(const std::string& utf8);

}  // namespace ember
