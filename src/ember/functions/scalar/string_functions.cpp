// String functions: upper, lower, trim/ltrim/rtrim, substring/substr, concat, concat_ws,
// length/char_length/character_length, startswith, endswith, contains. Positions and lengths
// count UTF-8 characters, not bytes, as Spark's UTF8String does.
#include <limits>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/unicode_case.h"
#include "ember/types/utf8.h"

namespace ember {

namespace {

using namespace fn;

// Parameter checks: the argument must reach the parameter type by an implicit cast.
// ---- UTF-8 -------------------------------------------------------------------------------------

template <bool kUpper>
BoundFunction bind_case(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = string_param(kUpper ? "upper" : "lower", 1, args[0], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      if constexpr (kUpper) append_upper_case(s.string_at(i), out);
      else append_lower_case(s.string_at(i), out);
      return true;
    });
  });
  return bound(DataType::string(), {t}, kernel, true);
}

// ---- trim --------------------------------------------------------------------------------------

enum class Trim { kBoth, kLeft, kRight };

// Does `s` at byte `pos` start with one of the characters of `chars`? Returns its byte length.
size_t match_trim_char(std::string_view s, size_t pos, std::string_view chars) {
  size_t len = std::min(utf8_seq_len(static_cast<unsigned char>(s[pos])), s.size() - pos);
  std::string_view ch = s.substr(pos, len);
  for (size_t k = 0; k < chars.size();) {
    size_t l = std::min(utf8_seq_len(static_cast<unsigned char>(chars[k])), chars.size() - k);
    if (chars.substr(k, l) == ch) return len;
    k += l;
  }
  return 0;
}

// Length of the character ending at byte `end` (exclusive).
size_t last_char_len(std::string_view s, size_t end) {
  size_t b = end - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80 && end - b < 4) --b;
  return end - b;
}

template <Trim kMode>
std::string_view trim(std::string_view s, const std::string_view* chars) {
  size_t b = 0, e = s.size();
  if (!chars) {
    // Spark's default trims the space character only (UTF8String.trim), not tabs or newlines.
    if (kMode != Trim::kRight)
      while (b < e && s[b] == ' ') ++b;
    if (kMode != Trim::kLeft)
      while (e > b && s[e - 1] == ' ') --e;
    return s.substr(b, e - b);
  }
  if (kMode != Trim::kRight) {
    while (b < e) {
      size_t l = match_trim_char(s, b, *chars);
      if (!l) break;
      b += l;
    }
  }
  if (kMode != Trim::kLeft) {
    while (e > b) {
      size_t l = last_char_len(s, e);
      if (l > e - b || match_trim_char(s, e - l, *chars) != l) break;
      e -= l;
    }
  }
  return s.substr(b, e - b);
}

template <Trim kMode>
BoundFunction bind_trim(const std::vector<DataType>& args, const BindContext& ctx) {
  const char* name = kMode == Trim::kBoth ? "trim" : kMode == Trim::kLeft ? "ltrim" : "rtrim";
  std::vector<DataType> types;
  for (size_t i = 0; i < args.size(); ++i)
    types.push_back(string_param(name, static_cast<int>(i) + 1, args[i], ctx.ansi));
  // The DataFrame form: trim(str[, trim_chars]).
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector* chars = v.size() > 1 ? v[1].get() : nullptr;
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      std::string_view c;
      if (chars) c = chars->string_at(i);
      out.append(trim<kMode>(s.string_at(i), chars ? &c : nullptr));
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// ---- substring ---------------------------------------------------------------------------------

// Byte offset of character `k` (clamped to the end).
size_t char_offset(std::string_view s, int64_t k) {
  size_t b = 0;
  while (k > 0 && b < s.size()) {
    b += utf8_seq_len(static_cast<unsigned char>(s[b]));
    --k;
  }
  return std::min(b, s.size());
}

// Spark's UTF8String.substringSQL: 1-based pos, 0 acts as 1, negative counts from the end.
std::string_view substring_sql(std::string_view s, int32_t pos, int64_t len) {
  int64_t start;
  if (pos > 0) start = pos - 1;
  else if (pos < 0) start = static_cast<int64_t>(utf8_length(s)) + pos;
  else start = 0;
  int64_t end = start + len;
  if (start < 0) start = 0;
  if (start >= end) return {};
  size_t b = char_offset(s, start);
  size_t e = b + char_offset(s.substr(b), end - start);
  return s.substr(b, e - b);
}

BoundFunction bind_substring(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{string_param("substring", 1, args[0], ctx.ansi),
                              int_param("substring", 2, args[1], ctx.ansi)};
  if (args.size() > 2) types.push_back(int_param("substring", 3, args[2], ctx.ansi));
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& pos = *v[1];
    const Vector* len = v.size() > 2 ? v[2].get() : nullptr;
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      int64_t l = len ? value_at<int32_t>(*len, i) : std::numeric_limits<int32_t>::max();
      out.append(substring_sql(s.string_at(i), value_at<int32_t>(pos, i), l));
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// ---- concat ------------------------------------------------------------------------------------

BoundFunction bind_concat(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types;
  for (size_t i = 0; i < args.size(); ++i)
    types.push_back(string_param("concat", static_cast<int>(i) + 1, args[i], ctx.ansi));
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    size_t bytes = 0;
    for (const auto& a : v) bytes += total_chars(*a);
    return string_map(v, n, DataType::string(), bytes, [&](size_t i, std::string& out) {
      for (const auto& a : v) out.append(a->string_at(i));
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// concat_ws(sep, ...): NULL only when sep is NULL; NULL arguments are skipped.
BoundFunction bind_concat_ws(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types;
  for (size_t i = 0; i < args.size(); ++i)
    types.push_back(string_param("concat_ws", static_cast<int>(i) + 1, args[i], ctx.ansi));
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    size_t bytes = 0;
    for (const auto& a : v) bytes += total_chars(*a);
    const Vector& sep = *v[0];
    return string_map({v[0]}, n, DataType::string(), bytes, [&](size_t i, std::string& out) {
      bool first = true;
      for (size_t k = 1; k < v.size(); ++k) {
        if (v[k]->is_null(i)) continue;
        if (!first) out.append(sep.string_at(i));
        out.append(v[k]->string_at(i));
        first = false;
      }
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true, /*nullable=*/false);
}

// ---- length ------------------------------------------------------------------------------------

BoundFunction bind_length(const std::vector<DataType>& args, const BindContext& ctx) {
  // Binary counts bytes; everything else is a string and counts characters.
  bool binary = args[0].id() == TypeId::kBinary;
  DataType t = binary ? DataType::binary() : string_param("length", 1, args[0], ctx.ansi);
  auto kernel = make_kernel([binary](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    auto out = Vector::make(DataType::int32(), n);
    if (!and_validity(*out, {&s}, n)) return Vector::make_null(DataType::int32(), n);
    int32_t* o = out->values<int32_t>();
    for (size_t i = 0; i < n; ++i) {
      std::string_view x = s.string_at(i);
      o[i] = static_cast<int32_t>(binary ? x.size() : utf8_length(x));
    }
    return out;
  });
  return bound(DataType::int32(), {t}, kernel, true);
}

// ---- startswith / endswith / contains -----------------------------------------------------------

enum class Match { kStarts, kEnds, kContains };

template <Match kMode>
BoundFunction bind_match(const std::vector<DataType>& args, const BindContext& ctx) {
  const char* name = kMode == Match::kStarts ? "startswith" : kMode == Match::kEnds ? "endswith" : "contains";
  DataType a = string_param(name, 1, args[0], ctx.ansi);
  DataType b = string_param(name, 2, args[1], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& p = *v[1];
    auto out = Vector::make(DataType::boolean(), n);
    if (!and_validity(*out, {&s, &p}, n)) return Vector::make_null(DataType::boolean(), n);
    uint8_t* o = out->values<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      std::string_view x = s.string_at(i), y = p.string_at(i);
      if constexpr (kMode == Match::kStarts) o[i] = x.starts_with(y);
      else if constexpr (kMode == Match::kEnds) o[i] = x.ends_with(y);
      else o[i] = x.find(y) != std::string_view::npos;
    }
    return out;
  });
  return per_value(bound(DataType::boolean(), {a, b}, kernel, true));
}

}  // namespace

void register_string_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"upper", 1, 1, &bind_case<true>});
  r.add(FunctionDef{"lower", 1, 1, &bind_case<false>});
  r.add(FunctionDef{"trim", 1, 2, &bind_trim<Trim::kBoth>});
  r.add(FunctionDef{"ltrim", 1, 2, &bind_trim<Trim::kLeft>});
  r.add(FunctionDef{"rtrim", 1, 2, &bind_trim<Trim::kRight>});
  r.add(FunctionDef{"substring", 2, 3, &bind_substring});
  r.add(FunctionDef{"concat", 0, -1, &bind_concat});
  r.add(FunctionDef{"concat_ws", 1, -1, &bind_concat_ws});
  r.add(FunctionDef{"length", 1, 1, &bind_length});
  r.add(FunctionDef{"startswith", 2, 2, &bind_match<Match::kStarts>});
  r.add(FunctionDef{"endswith", 2, 2, &bind_match<Match::kEnds>});
  r.add(FunctionDef{"contains", 2, 2, &bind_match<Match::kContains>});
  r.add_alias("ucase", "upper");
  r.add_alias("lcase", "lower");
  r.add_alias("substr", "substring");
  r.add_alias("char_length", "length");
  r.add_alias("character_length", "length");
  r.add_alias("len", "length");
}

}  // namespace ember
