#include "ember/types/unicode_case.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cwctype>
#include <initializer_list>

#include <locale.h>

#include "ember/types/utf8.h"

namespace ember {

namespace {

// The C.UTF-8 locale: a process-global, read-only object, safe to use from every thread. Without
// it only ASCII changes case.
locale_t utf8_locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}

// A one-to-many mapping: up to three code points.
struct FullMapping {
  uint32_t from;
  std::array<uint32_t, 3> to;  // unused slots are 0
};

// SpecialCasing.txt, unconditional uppercase mappings (Unicode 16; sorted by code point).
constexpr FullMapping kUpper[] = {
    {0x00DF, {0x0053, 0x0053}},         {0x0149, {0x02BC, 0x004E}},
    {0x01F0, {0x004A, 0x030C}},         {0x0390, {0x0399, 0x0308, 0x0301}},
    {0x03B0, {0x03A5, 0x0308, 0x0301}}, {0x0587, {0x0535, 0x0552}},
    {0x1E96, {0x0048, 0x0331}},         {0x1E97, {0x0054, 0x0308}},
    {0x1E98, {0x0057, 0x030A}},         {0x1E99, {0x0059, 0x030A}},
    {0x1E9A, {0x0041, 0x02BE}},         {0x1F50, {0x03A5, 0x0313}},
    {0x1F52, {0x03A5, 0x0313, 0x0300}}, {0x1F54, {0x03A5, 0x0313, 0x0301}},
    {0x1F56, {0x03A5, 0x0313, 0x0342}}, {0x1FB2, {0x1FBA, 0x0399}},
    {0x1FB3, {0x0391, 0x0399}},         {0x1FB4, {0x0386, 0x0399}},
    {0x1FB6, {0x0391, 0x0342}},         {0x1FB7, {0x0391, 0x0342, 0x0399}},
    {0x1FBC, {0x0391, 0x0399}},         {0x1FC2, {0x1FCA, 0x0399}},
    {0x1FC3, {0x0397, 0x0399}},         {0x1FC4, {0x0389, 0x0399}},
    {0x1FC6, {0x0397, 0x0342}},         {0x1FC7, {0x0397, 0x0342, 0x0399}},
    {0x1FCC, {0x0397, 0x0399}},         {0x1FD2, {0x0399, 0x0308, 0x0300}},
    {0x1FD3, {0x0399, 0x0308, 0x0301}}, {0x1FD6, {0x0399, 0x0342}},
    {0x1FD7, {0x0399, 0x0308, 0x0342}}, {0x1FE2, {0x03A5, 0x0308, 0x0300}},
    {0x1FE3, {0x03A5, 0x0308, 0x0301}}, {0x1FE4, {0x03A1, 0x0313}},
    {0x1FE6, {0x03A5, 0x0342}},         {0x1FE7, {0x03A5, 0x0308, 0x0342}},
    {0x1FF2, {0x1FFA, 0x0399}},         {0x1FF3, {0x03A9, 0x0399}},
    {0x1FF4, {0x038F, 0x0399}},         {0x1FF6, {0x03A9, 0x0342}},
    {0x1FF7, {0x03A9, 0x0342, 0x0399}}, {0x1FFC, {0x03A9, 0x0399}},
    {0xFB00, {0x0046, 0x0046}},         {0xFB01, {0x0046, 0x0049}},
    {0xFB02, {0x0046, 0x004C}},         {0xFB03, {0x0046, 0x0046, 0x0049}},
    {0xFB04, {0x0046, 0x0046, 0x004C}}, {0xFB05, {0x0053, 0x0054}},
    {0xFB06, {0x0053, 0x0054}},         {0xFB13, {0x0544, 0x0546}},
    {0xFB14, {0x0544, 0x0535}},         {0xFB15, {0x0544, 0x053B}},
    {0xFB16, {0x054E, 0x0546}},         {0xFB17, {0x0544, 0x053D}},
};

// SpecialCasing.txt, unconditional titlecase mappings that are not one code point.
constexpr FullMapping kTitle[] = {
    {0x00DF, {0x0053, 0x0073}},         {0x0149, {0x02BC, 0x004E}},
    {0x01F0, {0x004A, 0x030C}},         {0x0390, {0x0399, 0x0308, 0x0301}},
    {0x03B0, {0x03A5, 0x0308, 0x0301}}, {0x0587, {0x0535, 0x0582}},
    {0x1E96, {0x0048, 0x0331}},         {0x1E97, {0x0054, 0x0308}},
    {0x1E98, {0x0057, 0x030A}},         {0x1E99, {0x0059, 0x030A}},
    {0x1E9A, {0x0041, 0x02BE}},         {0x1F50, {0x03A5, 0x0313}},
    {0x1F52, {0x03A5, 0x0313, 0x0300}}, {0x1F54, {0x03A5, 0x0313, 0x0301}},
    {0x1F56, {0x03A5, 0x0313, 0x0342}}, {0x1FB2, {0x1FBA, 0x0345}},
    {0x1FB4, {0x0386, 0x0345}},         {0x1FB6, {0x0391, 0x0342}},
    {0x1FB7, {0x0391, 0x0342, 0x0345}}, {0x1FC2, {0x1FCA, 0x0345}},
    {0x1FC4, {0x0389, 0x0345}},         {0x1FC6, {0x0397, 0x0342}},
    {0x1FC7, {0x0397, 0x0342, 0x0345}}, {0x1FD2, {0x0399, 0x0308, 0x0300}},
    {0x1FD3, {0x0399, 0x0308, 0x0301}}, {0x1FD6, {0x0399, 0x0342}},
    {0x1FD7, {0x0399, 0x0308, 0x0342}}, {0x1FE2, {0x03A5, 0x0308, 0x0300}},
    {0x1FE3, {0x03A5, 0x0308, 0x0301}}, {0x1FE4, {0x03A1, 0x0313}},
    {0x1FE6, {0x03A5, 0x0342}},         {0x1FE7, {0x03A5, 0x0308, 0x0342}},
    {0x1FF2, {0x1FFA, 0x0345}},         {0x1FF4, {0x038F, 0x0345}},
    {0x1FF6, {0x03A9, 0x0342}},         {0x1FF7, {0x03A9, 0x0342, 0x0345}},
    {0xFB00, {0x0046, 0x0066}},         {0xFB01, {0x0046, 0x0069}},
    {0xFB02, {0x0046, 0x006C}},         {0xFB03, {0x0046, 0x0066, 0x0069}},
    {0xFB04, {0x0046, 0x0066, 0x006C}}, {0xFB05, {0x0053, 0x0074}},
    {0xFB06, {0x0053, 0x0074}},         {0xFB13, {0x0544, 0x0576}},
    {0xFB14, {0x0544, 0x0565}},         {0xFB15, {0x0544, 0x056B}},
    {0xFB16, {0x054E, 0x0576}},         {0xFB17, {0x0544, 0x056D}},
};

// One-to-one pairs added by Unicode 16 (lower, upper), missing from older C libraries.
constexpr std::array<std::array<uint32_t, 2>, 5> kUnicode16Pairs = {
    {{0x019B, 0xA7DC}, {0x0264, 0xA7CB}, {0x1C8A, 0x1C89}, {0xA7CD, 0xA7CC}, {0xA7DB, 0xA7DA}}};

template <size_t N>
const FullMapping* find_full(const FullMapping (&table)[N], uint32_t cp) {
  const FullMapping* end = table + N;
  const FullMapping* it =
      std::lower_bound(table, end, cp, [](const FullMapping& m, uint32_t c) { return m.from < c; });
  return it != end && it->from == cp ? it : nullptr;
}

void append_full(const FullMapping& m, std::string& out) {
  for (uint32_t c : m.to) {
    if (c != 0) utf8_encode(out, c);
  }
}

uint32_t simple_upper(uint32_t cp) {
  for (const auto& [lower, upper] : kUnicode16Pairs) {
    if (cp == lower) return upper;
  }
  locale_t loc = utf8_locale();
  return loc ? static_cast<uint32_t>(towupper_l(static_cast<wint_t>(cp), loc)) : cp;
}

uint32_t simple_lower(uint32_t cp) {
  for (const auto& [lower, upper] : kUnicode16Pairs) {
    if (cp == upper) return lower;
  }
  locale_t loc = utf8_locale();
  return loc ? static_cast<uint32_t>(towlower_l(static_cast<wint_t>(cp), loc)) : cp;
}

// Unicode's Cased property, approximated as "has a case mapping" (true for every letter that
// changes case; the few cased letters without a mapping do not matter for final sigma).
bool is_cased(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return simple_lower(cp) != cp || simple_upper(cp) != cp;
}

// Case_Ignorable characters that occur inside words: combining marks, apostrophes, the middle dot,
// the soft hyphen, and the period and colon (MidLetter / MidNumLet).
bool is_case_ignorable(uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || cp == '\'' || cp == '.' || cp == ':' || cp == 0x00AD ||
         cp == 0x00B7 || cp == 0x2019 || cp == 0x2018 || cp == 0x2024 || cp == 0x2027;
}

// Final_Sigma's right side: no cased letter follows byte `after` (case-ignorable characters
// skipped). The left side (a cased letter before the sigma) is tracked by the callers.
bool ends_word(std::string_view s, size_t after) {
  for (size_t i = after; i < s.size();) {
    size_t len = utf8_char_len_at(s, i);
    uint32_t cp = utf8_decode(s, i, len);
    if (!is_case_ignorable(cp)) return !is_cased(cp);
    i += len;
  }
  return true;
}

void append_upper_cp(uint32_t cp, std::string& out) {
  // Greek with ypogegrammeni or prosgegrammeni (U+1F80..U+1FAF): the capital without it + IOTA.
  if (cp >= 0x1F80 && cp <= 0x1FAF) {
    constexpr uint32_t kBase[] = {0x1F08, 0x1F28, 0x1F68};
    utf8_encode(out, kBase[(cp - 0x1F80) / 16] + (cp & 0x7));
    utf8_encode(out, 0x0399);
    return;
  }
  if (const FullMapping* m = find_full(kUpper, cp)) return append_full(*m, out);
  utf8_encode(out, simple_upper(cp));
}

// Title case: the full mapping, else the titlecase letter of a digraph, else (Georgian Mkhedruli
// has no titlecase form) the character itself, else its uppercase. An uppercase or titlecase
// character stays as it is (initcap never lowers a word's first character first: 'İ' stays 'İ').
void append_title_cp(uint32_t cp, std::string& out) {
  if (const FullMapping* m = find_full(kTitle, cp)) return append_full(*m, out);
  if (cp >= 0x01C4 && cp <= 0x01CC) return utf8_encode(out, 0x01C5 + 3 * ((cp - 0x01C4) / 3));
  if (cp >= 0x01F1 && cp <= 0x01F3) return utf8_encode(out, 0x01F2);
  if (cp >= 0x10D0 && cp <= 0x10FF) return utf8_encode(out, cp);
  utf8_encode(out, simple_upper(cp));
}

// Lowers the character at byte i (length len, code point cp); `after_cased` is whether the last
// non-ignorable character before it was cased.
void append_lower_cp(std::string_view s, size_t i, size_t len, uint32_t cp, bool after_cased,
                     std::string& out) {
  if (cp == 0x0130) {  // İ: i followed by a combining dot above, keeping the dot
    out += 'i';
    utf8_encode(out, 0x0307);
    return;
  }
  if (cp == 0x03A3) {  // Σ: final form at the end of a word
    utf8_encode(out, after_cased && ends_word(s, i + len) ? 0x03C2 : 0x03C3);
    return;
  }
  utf8_encode(out, simple_lower(cp));
}

template <class Ascii, class Other>
void map_chars(std::string_view s, std::string& out, Ascii&& ascii, Other&& other) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ascii(static_cast<char>(c), i);
      ++i;
      continue;
    }
    size_t len = utf8_char_len_at(s, i);
    if (len == 1) {
      other(i, len, 0xFFFFFFFFu);  // an invalid byte
    } else {
      other(i, len, utf8_decode(s, i, len));
    }
    i += len;
  }
}

}  // namespace

void append_upper_case(std::string_view s, std::string& out) {
  map_chars(
      s, out, [&](char c, size_t) { out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; },
      [&](size_t i, size_t len, uint32_t cp) {
        if (cp == 0xFFFFFFFFu) out.append(s.substr(i, len));
        else append_upper_cp(cp, out);
      });
}

void append_lower_case(std::string_view s, std::string& out) {
  bool after_cased = false;
  map_chars(
      s, out,
      [&](char c, size_t) {
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
        if (!is_case_ignorable(static_cast<unsigned char>(c)))
          after_cased = is_cased(static_cast<unsigned char>(c));
      },
      [&](size_t i, size_t len, uint32_t cp) {
        if (cp == 0xFFFFFFFFu) {
          out.append(s.substr(i, len));
          after_cased = false;
          return;
        }
        append_lower_cp(s, i, len, cp, after_cased, out);
        if (!is_case_ignorable(cp)) after_cased = is_cased(cp);
      });
}

void append_initcap(std::string_view s, std::string& out) {
  bool start = true;
  bool after_cased = false;
  map_chars(
      s, out,
      [&](char c, size_t) {
        if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        else if (!start && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        out += c;
        if (!is_case_ignorable(static_cast<unsigned char>(c)))
          after_cased = is_cased(static_cast<unsigned char>(c));
        start = c == ' ';
      },
      [&](size_t i, size_t len, uint32_t cp) {
        if (cp == 0xFFFFFFFFu) {
          out.append(s.substr(i, len));
          after_cased = false;
        } else {
          if (start) append_title_cp(cp, out);
          else append_lower_cp(s, i, len, cp, after_cased, out);
          if (!is_case_ignorable(cp)) after_cased = is_cased(cp);
        }
        start = false;
      });
}

}  // namespace ember
