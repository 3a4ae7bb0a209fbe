#pragma once
// Case conversion of UTF-8 strings as Spark 4's upper, lower and initcap do it: Unicode full case
// mapping in the root locale (ICU's, which Spark 4 calls), not only the one-to-one simple mapping.
// So upper('straße') is 'STRASSE', lower('İ') is 'i' + U+0307, a capital sigma that ends a word
// lowers to 'ς', and initcap title-cases each word's first character ('ǆ' -> 'ǅ', 'ß' -> 'Ss')
// and lowers the rest.
//
// The one-to-one mappings come from the C library's C.UTF-8 locale, plus the pairs Unicode 16
// added that older C libraries lack; the one-to-many mappings (SpecialCasing.txt's unconditional
// entries) are tabled here. ASCII takes a fast path. Invalid UTF-8 bytes are copied unchanged.
#include <string>
#include <string_view>

namespace ember {

void append_upper_case(std::string_view s, std::string& out);
void append_lower_case(std::string_view s, std::string& out);
// Spark's initcap: words are separated by spaces (' ' only).
void append_initcap(std::string_view s, std::string& out);

}  // namespace ember
