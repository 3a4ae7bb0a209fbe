#pragma once
// Internal to the CSV reader: a record tokenizer over an in-memory byte range.
//
// Records are parsed one at a time straight from the read buffer. A field is reported to a sink
// as (offset, length, flags); its bytes stay in the read buffer unless the field had to be
// unescaped (doubled or escaped quotes), in which case they are written to a side buffer. No
// allocation happens per field or per row.
//
// Quoting follows univocity as Spark configures it: a field is quoted only when its first byte
// (after optional leading whitespace) is the quote; inside quotes both `""` and `<escape>"` stand
// for a quote and `<escape><escape>` for the escape; unquoted fields are taken verbatim;
// whitespace after a closing quote is ignored; text after a closing quote that is not a
// separator is kept verbatim up to the next separator (STOP_AT_DELIMITER).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ember/io/csv/csv_options.h"

namespace ember::csv_internal {

// Field flags, kept in the top bits of FieldRef::length_and_flags.
constexpr uint32_t kFieldQuoted = 1u << 31;     // the field was quoted
constexpr uint32_t kFieldUnescaped = 1u << 30;  // bytes live in the side buffer
constexpr uint32_t kFieldMissing = 1u << 29;    // the record had fewer fields
constexpr uint32_t kFieldLengthMask = (1u << 29) - 1;

struct FieldRef {
  uint32_t offset;            // into the read buffer, or the side buffer when kFieldUnescaped
  uint32_t length_and_flags;
};

struct Dialect {
  char sep = ',';
  char quote = '"';
  char escape = '\\';
  char escape_escape = '\\';
  char comment = '\0';
  char nl1 = '\n';  // record terminators; both the same for a custom lineSep
  char nl2 = '\r';
  bool crlf = true;  // "\r\n" is one terminator (default line endings)
  bool trim_leading = false;
  bool trim_trailing = false;

  static Dialect from(const CsvOptions& o) {
    Dialect d;
    d.sep = o.sep;
    d.quote = o.quote;
    d.escape = o.escape;
    d.escape_escape = o.effective_escape_escape();
    d.comment = o.comment;
    if (!o.line_sep.empty() && o.line_sep != "\r\n") {
      d.nl1 = d.nl2 = o.line_sep[0];
      d.crlf = false;
    }
    d.trim_leading = o.ignore_leading_white_space;
    d.trim_trailing = o.ignore_trailing_white_space;
    return d;
  }
  bool is_terminator(char c) const { return c == nl1 || c == nl2; }
};

enum class RecordStatus {
  kComplete,          // a whole record; `end` is just past its terminator
  kNeedMore,          // the buffer ended inside the record and more input exists
  kUnterminatedQuote  // end of input inside a quoted field; the record runs to the end
};

struct RecordResult {
  RecordStatus status;
  const char* end;
  uint32_t num_fields;
  bool single_unquoted_blank;  // one unquoted field made only of whitespace (Spark skips these)
};

// Java's String.trim notion of whitespace, which univocity and Spark use.
inline bool is_java_space(char c) { return static_cast<unsigned char>(c) <= ' ' && c != '\0'; }

// First byte in [p, end) equal to a, b or c; `end` when none. Reads up to 15 bytes past `end`
// inside the buffer's padding (see ReadBuffer), never past the allocation.
inline const char* find_any3(const char* p, const char* end, char a, char b, char c) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
  while (p < end) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                             _mm_cmpeq_epi8(x, vc));
    unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(m));
    if (bits != 0) {
      const char* hit = p + __builtin_ctz(bits);
      return hit < end ? hit : end;
    }
    p += 16;
  }
  return end;
#else
  while (p < end && *p != a && *p != b && *p != c) ++p;
  return p;
#endif
}

inline const char* find_any2(const char* p, const char* end, char a, char b) {
  return find_any3(p, end, a, b, b);
}

// Writes the content of a quoted field with its escapes resolved.
inline void unescape_into(const Dialect& d, const char* p, const char* end, std::string& out) {
  while (p < end) {
    char c = *p;
    if (c == d.quote && p + 1 < end && p[1] == d.quote) {
      out.push_back(d.quote);
      p += 2;
    } else if (d.escape != '\0' && c == d.escape && p + 1 < end &&
               (p[1] == d.quote || (d.escape_escape == d.escape && p[1] == d.escape))) {
      out.push_back(p[1]);
      p += 2;
    } else {
      out.push_back(c);
      ++p;
    }
  }
}

inline bool all_blank(const char* p, const char* end) {
  for (; p < end; ++p) {
    if (!is_java_space(*p)) return false;
  }
  return true;
}

// Parses one record starting at `p` (which is neither a comment nor an empty line). `base` is
// the start of the read buffer (field offsets are relative to it). Escaped fields are unescaped
// into `side`. For each field the sink's field(index, FieldRef) is called.
template <class Sink>
RecordResult parse_record(const Dialect& d, const char* base, const char* p, const char* end,
                          bool at_eof, std::string& side, Sink& sink) {
  const char* record_start = p;
  uint32_t index = 0;
  bool last_quoted = false;
  for (;;) {
    if (d.trim_leading) {
      while (p < end && is_java_space(*p) && *p != d.sep && !d.is_terminator(*p)) ++p;
    }
    const char* after;  // position of the separator / terminator ending the field, or end
    if (d.quote != '\0' && p < end && *p == d.quote) {
      // Quoted field.
      const char* content = p + 1;
      const char* q = content;
      bool needs_unescape = false;
      const char* closing = nullptr;
      for (;;) {
        q = (d.escape != '\0' && d.escape != d.quote) ? find_any2(q, end, d.quote, d.escape)
                                                       : static_cast<const char*>(std::memchr(q, d.quote, static_cast<size_t>(end - q)));
        if (q == nullptr || q >= end) {
          if (!at_eof) return {RecordStatus::kNeedMore, end, index, false};
          // Unterminated at end of input: the rest of the input is the value.
          closing = end;
          break;
        }
        if (*q == d.quote) {
          if (q + 1 >= end && !at_eof) return {RecordStatus::kNeedMore, end, index, false};
          if (q + 1 < end && q[1] == d.quote) {
            needs_unescape = true;  // RFC 4180 doubled quote
            q += 2;
            continue;
          }
          closing = q;
          break;
        }
        // The escape character.
        if (q + 1 >= end) {
          if (!at_eof) return {RecordStatus::kNeedMore, end, index, false};
          ++q;
          continue;
        }
        if (q[1] == d.quote || (d.escape_escape == d.escape && q[1] == d.escape)) {
          needs_unescape = true;
          q += 2;
        } else {
          ++q;
        }
      }
      if (closing == end) {
        // Unterminated quote at end of input.
        uint32_t off, len;
        if (needs_unescape) {
          off = static_cast<uint32_t>(side.size());
          unescape_into(d, content, end, side);
          len = static_cast<uint32_t>(side.size()) - off;
          sink.field(index, FieldRef{off, len | kFieldQuoted | kFieldUnescaped});
        } else {
          off = static_cast<uint32_t>(content - base);
          len = static_cast<uint32_t>(end - content);
          sink.field(index, FieldRef{off, len | kFieldQuoted});
        }
        return {RecordStatus::kUnterminatedQuote, end, index + 1, false};
      }
      // Skip whitespace after the closing quote.
      const char* r = closing + 1;
      while (r < end && *r != d.sep && !d.is_terminator(*r) && is_java_space(*r)) ++r;
      if (r == end && !at_eof) return {RecordStatus::kNeedMore, end, index, false};
      if (r < end && *r != d.sep && !d.is_terminator(*r)) {
        // Text after the closing quote: keep the quote and the text up to the next separator.
        const char* stop = find_any3(r, end, d.sep, d.nl1, d.nl2);
        if (stop == end && !at_eof) return {RecordStatus::kNeedMore, end, index, false};
        uint32_t off = static_cast<uint32_t>(side.size());
        unescape_into(d, content, closing, side);
        side.append(closing, static_cast<size_t>(stop - closing));
        uint32_t len = static_cast<uint32_t>(side.size()) - off;
        sink.field(index, FieldRef{off, len | kFieldQuoted | kFieldUnescaped});
        after = stop;
      } else {
        if (needs_unescape) {
          uint32_t off = static_cast<uint32_t>(side.size());
          unescape_into(d, content, closing, side);
          uint32_t len = static_cast<uint32_t>(side.size()) - off;
          sink.field(index, FieldRef{off, len | kFieldQuoted | kFieldUnescaped});
        } else {
          sink.field(index, FieldRef{static_cast<uint32_t>(content - base),
                                     static_cast<uint32_t>(closing - content) | kFieldQuoted});
        }
        after = r;
      }
      last_quoted = true;
    } else {
      const char* stop = find_any3(p, end, d.sep, d.nl1, d.nl2);
      if (stop == end && !at_eof) return {RecordStatus::kNeedMore, end, index, false};
      const char* value_end = stop;
      if (d.trim_trailing) {
        while (value_end > p && is_java_space(value_end[-1])) --value_end;
      }
      sink.field(index, FieldRef{static_cast<uint32_t>(p - base), static_cast<uint32_t>(value_end - p)});
      after = stop;
      last_quoted = false;
    }
    ++index;
    if (after == end) {
      return {RecordStatus::kComplete, end, index, index == 1 && !last_quoted && all_blank(record_start, end)};
    }
    if (*after == d.sep) {
      p = after + 1;
      continue;
    }
    // A record terminator.
    const char* rec_end = after + 1;
    if (d.crlf && *after == '\r') {
      if (rec_end == end && !at_eof) return {RecordStatus::kNeedMore, end, index, false};
      if (rec_end < end && *rec_end == '\n') ++rec_end;
    }
    return {RecordStatus::kComplete, rec_end, index,
            index == 1 && !last_quoted && all_blank(record_start, after)};
  }
}

}  // namespace ember::csv_internal
