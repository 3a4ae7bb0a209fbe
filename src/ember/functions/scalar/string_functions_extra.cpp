// More string functions: lpad, rpad, instr, locate/position, initcap, reverse, repeat, translate,
// format_number, format_string/printf, ascii, left, right, btrim. Positions and lengths count
// UTF-8 characters, as Spark's UTF8String does.
//
// format_string follows java.util.Formatter (Locale.US) for the conversions %s %S %d %x %X %o %f
// %e %E %c %b %B %% %n with flags '-', '0', '+', ' ', ',', '(' and '#', widths, precisions and
// explicit argument indices ("%2$s"). Not covered: %g/%G, %a, %h, %t (date/time) and the '<'
// relative index; they raise ILLEGAL_ARGUMENT. As in Spark, arguments are formatted from their
// internal values (a date is its day number, a timestamp its microseconds).
// format_number(x, d) takes the number of decimal places; the DecimalFormat-pattern form
// (a string second argument) is not supported yet.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/decimal.h"
#include "ember/types/unicode_case.h"
#include "ember/types/utf8.h"
#include "ember/types/value_format.h"

namespace ember {

namespace {

using namespace fn;

// ---- UTF-8 -------------------------------------------------------------------------------------

// Byte offset of character k (clamped to the end).
inline size_t char_offset(std::string_view s, int64_t k) {
  size_t b = 0;
  while (k > 0 && b < s.size()) {
    b += utf8_seq_len(static_cast<unsigned char>(s[b]));
    --k;
  }
  return std::min(b, s.size());
}

// The first `k` characters of s (all of it when shorter; empty for k <= 0).
inline std::string_view prefix_chars(std::string_view s, int64_t k) {
  return s.substr(0, k <= 0 ? 0 : char_offset(s, k));
}

// ---- lpad / rpad -------------------------------------------------------------------------------

// Spark's UTF8String.lpad/rpad: truncated to len characters when longer; padded with repetitions
// of pad (cut to fit) when shorter; an empty pad leaves a shorter string as it is.
template <bool kLeft>
void pad(std::string_view s, int32_t len, std::string_view p, std::string& out) {
  size_t n = utf8_length(s);
  if (len <= 0) return;
  if (static_cast<size_t>(len) <= n || p.empty()) {
    out.append(prefix_chars(s, len));
    return;
  }
  size_t need = static_cast<size_t>(len) - n;
  size_t plen = utf8_length(p);
  auto fill = [&]() {
    size_t full = need / plen, rest = need % plen;
    for (size_t k = 0; k < full; ++k) out.append(p);
    out.append(prefix_chars(p, static_cast<int64_t>(rest)));
  };
  if (kLeft) {
    fill();
    out.append(s);
  } else {
    out.append(s);
    fill();
  }
}

template <bool kLeft>
BoundFunction bind_pad(const std::vector<DataType>& args, const BindContext& ctx) {
  const char* name = kLeft ? "lpad" : "rpad";
  std::vector<DataType> types{string_param(name, 1, args[0], ctx.ansi),
                              int_param(name, 2, args[1], ctx.ansi)};
  if (args.size() > 2) types.push_back(string_param(name, 3, args[2], ctx.ansi));
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& len = *v[1];
    const Vector* p = v.size() > 2 ? v[2].get() : nullptr;
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      pad<kLeft>(s.string_at(i), value_at<int32_t>(len, i), p ? p->string_at(i) : std::string_view(" "), out);
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// ---- instr / locate ----------------------------------------------------------------------------

// 1-based character position of `sub` in `s` at or after character `from` (0-based); 0 when absent.
// An empty `sub` is found at 1 (Spark's UTF8String.indexOf returns 0 for it, whatever the start).
int32_t find_chars(std::string_view s, std::string_view sub, int64_t from) {
  if (sub.empty()) return 1;
  size_t b = char_offset(s, from);
  if (from > 0 && b >= s.size()) return 0;
  size_t at = s.find(sub, b);
  if (at == std::string_view::npos) return 0;
  return static_cast<int32_t>(utf8_length(s.substr(0, at)) + 1);
}

BoundFunction bind_instr(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{string_param("instr", 1, args[0], ctx.ansi),
                              string_param("instr", 2, args[1], ctx.ansi)};
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& sub = *v[1];
    auto out = Vector::make(DataType::int32(), n);
    if (!and_validity(*out, {&s, &sub}, n)) return Vector::make_null(DataType::int32(), n);
    int32_t* o = out->values<int32_t>();
    const uint8_t* valid = out->validity();
    for (size_t i = 0; i < n; ++i)
      o[i] = valid && !bit_is_set(valid, i) ? 0 : find_chars(s.string_at(i), sub.string_at(i), 0);
    return out;
  });
  return bound(DataType::int32(), types, kernel, true);
}

// locate(substr, str[, pos]): pos is 1-based; pos < 1 gives 0, and so does a NULL pos (Spark's
// StringLocate); otherwise NULL when substr or str is NULL.
BoundFunction bind_locate(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{string_param("locate", 1, args[0], ctx.ansi),
                              string_param("locate", 2, args[1], ctx.ansi)};
  if (args.size() > 2) types.push_back(int_param("locate", 3, args[2], ctx.ansi));
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& sub = *v[0];
    const Vector& s = *v[1];
    const Vector* pos = v.size() > 2 ? v[2].get() : nullptr;
    auto out = Vector::make(DataType::int32(), n);
    int32_t* o = out->values<int32_t>();
    for (size_t i = 0; i < n; ++i) {
      o[i] = 0;
      if (pos && pos->is_null(i)) continue;
      if (sub.is_null(i) || s.is_null(i)) {
        out->set_null(i);
        continue;
      }
      int32_t p = pos ? value_at<int32_t>(*pos, i) : 1;
      if (p < 1) continue;
      o[i] = find_chars(s.string_at(i), sub.string_at(i), p - 1);
    }
    return out;
  });
  return bound(DataType::int32(), types, kernel, true);
}

// ---- initcap / reverse / repeat / translate ------------------------------------------------------

BoundFunction bind_initcap(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = string_param("initcap", 1, args[0], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      append_initcap(s.string_at(i), out);
      return true;
    });
  });
  return bound(DataType::string(), {t}, kernel, true);
}

BoundFunction bind_reverse(const std::vector<DataType>& args, const BindContext& ctx) {
  if (args[0].is_nested()) {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                "The feature is not supported: ember cannot reverse an array yet.");
  }
  DataType t = string_param("reverse", 1, args[0], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      std::string_view x = s.string_at(i);
      out.resize(x.size());
      size_t w = x.size();
      for (size_t b = 0; b < x.size();) {
        size_t len = utf8_char_len_at(x, b);
        w -= len;
        std::memcpy(out.data() + w, x.data() + b, len);
        b += len;
      }
      return true;
    });
  });
  return bound(DataType::string(), {t}, kernel, true);
}

BoundFunction bind_repeat(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{string_param("repeat", 1, args[0], ctx.ansi),
                              int_param("repeat", 2, args[1], ctx.ansi)};
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& k = *v[1];
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      std::string_view x = s.string_at(i);
      int32_t times = value_at<int32_t>(k, i);
      if (times > 0 &&
          x.size() * static_cast<size_t>(times) > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
        throw_error(ErrorKind::kIllegalArgument, "",
                    "repeat: the result would exceed " + std::to_string(std::numeric_limits<int32_t>::max()) +
                        " bytes.");
      }
      for (int32_t r = 0; r < times; ++r) out.append(x);
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// translate(input, from, to): each character of `from` found in input becomes the character at the
// same position of `to`, or is removed when `to` is shorter; the first occurrence in `from` wins.
struct TranslateMap {
  // code point -> replacement code point, or -1 to delete.
  std::vector<std::pair<uint32_t, int64_t>> entries;
  static TranslateMap build(std::string_view from, std::string_view to) {
    TranslateMap m;
    size_t j = 0;
    for (size_t i = 0; i < from.size();) {
      size_t len = utf8_char_len_at(from, i);
      uint32_t cp = utf8_decode(from, i, len);
      int64_t rep = -1;
      if (j < to.size()) {
        size_t l2 = utf8_char_len_at(to, j);
        rep = utf8_decode(to, j, l2);
        j += l2;
      }
      bool seen = false;
      for (const auto& e : m.entries) seen = seen || e.first == cp;
      if (!seen) m.entries.emplace_back(cp, rep);
      i += len;
    }
    return m;
  }
  const std::pair<uint32_t, int64_t>* find(uint32_t cp) const {
    for (const auto& e : entries) {
      if (e.first == cp) return &e;
    }
    return nullptr;
  }
};

BoundFunction bind_translate(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types;
  for (int i = 0; i < 3; ++i)
    types.push_back(string_param("translate", i + 1, args[static_cast<size_t>(i)], ctx.ansi));
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& from = *v[1];
    const Vector& to = *v[2];
    std::optional<TranslateMap> map;
    std::string last_from, last_to;
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      std::string_view f = from.string_at(i), t = to.string_at(i);
      if (!map || f != last_from || t != last_to) {
        last_from.assign(f);
        last_to.assign(t);
        map = TranslateMap::build(f, t);
      }
      std::string_view x = s.string_at(i);
      for (size_t b = 0; b < x.size();) {
        size_t len = utf8_char_len_at(x, b);
        const auto* e = map->find(utf8_decode(x, b, len));
        if (!e) out.append(x.substr(b, len));
        else if (e->second >= 0) utf8_encode(out, static_cast<uint32_t>(e->second));
        b += len;
      }
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// ---- ascii / left / right ----------------------------------------------------------------------

BoundFunction bind_ascii(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = string_param("ascii", 1, args[0], ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    auto out = Vector::make(DataType::int32(), n);
    if (!and_validity(*out, {&s}, n)) return Vector::make_null(DataType::int32(), n);
    int32_t* o = out->values<int32_t>();
    for (size_t i = 0; i < n; ++i) {
      std::string_view x = s.string_at(i);
      o[i] = x.empty() ? 0 : static_cast<int32_t>(utf8_decode(x, 0, utf8_char_len_at(x, 0)));
    }
    return out;
  });
  return bound(DataType::int32(), {t}, kernel, true);
}

// left(str, len): the first len characters; right(str, len): the last len; '' for len <= 0.
template <bool kLeft>
BoundFunction bind_left_right(const std::vector<DataType>& args, const BindContext& ctx) {
  const char* name = kLeft ? "left" : "right";
  std::vector<DataType> types{string_param(name, 1, args[0], ctx.ansi),
                              int_param(name, 2, args[1], ctx.ansi)};
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& len = *v[1];
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      std::string_view x = s.string_at(i);
      int32_t k = value_at<int32_t>(len, i);
      if (k <= 0) return true;
      if constexpr (kLeft) {
        out.append(prefix_chars(x, k));
      } else {
        int64_t total = static_cast<int64_t>(utf8_length(x));
        out.append(x.substr(char_offset(x, std::max<int64_t>(0, total - k))));
      }
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// ---- format_number -----------------------------------------------------------------------------

// Inserts ',' every three digits of the integral part of a plain decimal number ("-1234.5").
void append_grouped(std::string& out, std::string_view num) {
  size_t start = 0;
  if (!num.empty() && num[0] == '-') {
    out += '-';
    start = 1;
  }
  size_t dot = num.find('.');
  size_t int_end = dot == std::string_view::npos ? num.size() : dot;
  for (size_t k = start; k < int_end; ++k) {
    out += num[k];
    size_t left = int_end - k - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  out.append(num.substr(int_end));
}

// Spark's FormatNumber: DecimalFormat("#,###,###,###,###,###,##0.000") (d zeros) in Locale.US,
// HALF_EVEN on the exact value (doubles: their exact binary value, as JDK 8+ does).
void format_number_double(double x, int32_t d, std::string& out) {
  if (std::isnan(x)) {
    out += "NaN";
    return;
  }
  if (std::isinf(x)) {
    out += x < 0 ? "-\xE2\x88\x9E" : "\xE2\x88\x9E";  // DecimalFormat's infinity sign
    return;
  }
  // glibc's printf rounds the exact binary value to nearest, ties to even.
  int len = std::snprintf(nullptr, 0, "%.*f", d, x);
  std::string buf(static_cast<size_t>(len) + 1, '\0');
  std::snprintf(buf.data(), buf.size(), "%.*f", d, x);
  buf.resize(static_cast<size_t>(len));
  append_grouped(out, buf);
}

void format_number_decimal(int128_t v, int scale, int32_t d, std::string& out) {
  if (d < scale) {
    int k = scale - d;
    if (k > 38) {
      v = 0;
    } else {
      int128_t div = pow10_int128(k);
      int128_t q = v / div, r = v % div;
      int128_t ar = r < 0 ? -r : r;
      if (ar * 2 > div || (ar * 2 == div && q % 2 != 0)) q += v < 0 ? -1 : 1;
      v = q;
    }
    scale = d;
  }
  std::string text = format_decimal(v, scale);
  if (d > scale) {
    if (scale == 0) text += '.';
    text.append(static_cast<size_t>(d - scale), '0');
  }
  // DecimalFormat keeps the sign of a negative value rounded to zero ("-0.00").
  append_grouped(out, text);
}

BoundFunction bind_format_number(const std::vector<DataType>& args, const BindContext& ctx) {
  const DataType& x = args[0];
  if (!(x.is_numeric() || x.id() == TypeId::kNull || x.id() == TypeId::kString))
    throw_input_type("format_number", 1, "\"NUMERIC\"", x);
  if (args[1].id() == TypeId::kString) {
    throw_error(
        ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
        "The feature is not supported: format_number with a DecimalFormat pattern; pass the number of "
        "decimal places instead.");
  }
  DataType d = int_param("format_number", 2, args[1], ctx.ansi);
  DataType t = x.is_numeric() ? x : DataType::float64();
  if (t.id() == TypeId::kFloat) t = DataType::float64();
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& num = *v[0];
    const Vector& places = *v[1];
    return string_map(v, n, DataType::string(), n * 16, [&](size_t i, std::string& out) {
      int32_t d = value_at<int32_t>(places, i);
      if (d < 0) return false;
      switch (t.id()) {
        case TypeId::kDouble: format_number_double(value_at<double>(num, i), d, out); break;
        case TypeId::kDecimal: format_number_decimal(value_at<int128_t>(num, i), t.scale(), d, out); break;
        default: {
          int64_t k = dispatch_physical(t, [&](auto tag) -> int64_t {
            using T = decltype(tag);
            if constexpr (std::is_integral_v<T>) return static_cast<int64_t>(value_at<T>(num, i));
            else return 0;
          });
          format_number_decimal(k, 0, d, out);
        }
      }
      return true;
    });
  });
  return bound(DataType::string(), {t, d}, kernel, true);
}

// ---- format_string -----------------------------------------------------------------------------

[[noreturn]] void throw_format(const std::string& what) {
  throw_error(ErrorKind::kIllegalArgument, "ILLEGAL_ARGUMENT", "format_string: " + what);
}

struct Spec {
  std::string literal;  // text before the conversion (conversion == 0: trailing text only)
  char conversion = 0;
  int arg = -1;  // 0-based argument, -1 for %% and %n
  bool left = false, zero = false, plus = false, space = false, group = false, paren = false, alt = false;
  int width = -1, precision = -1;
};

std::vector<Spec> parse_format(std::string_view f) {
  std::vector<Spec> out;
  Spec cur;
  int next_arg = 0;
  for (size_t i = 0; i < f.size();) {
    if (f[i] != '%') {
      cur.literal += f[i++];
      continue;
    }
    ++i;
    // [argument_index$][flags][width][.precision]conversion
    size_t j = i;
    int num = 0;
    bool has_num = false;
    while (j < f.size() && std::isdigit(static_cast<unsigned char>(f[j])))
      num = num * 10 + (f[j++] - '0'), has_num = true;
    int explicit_arg = -1;
    if (has_num && j < f.size() && f[j] == '$') {
      explicit_arg = num - 1;
      i = j + 1;
    }
    for (; i < f.size(); ++i) {
      char c = f[i];
      if (c == '-') cur.left = true;
      else if (c == '0') cur.zero = true;
      else if (c == '+') cur.plus = true;
      else if (c == ' ') cur.space = true;
      else if (c == ',') cur.group = true;
      else if (c == '(') cur.paren = true;
      else if (c == '#') cur.alt = true;
      else if (c == '<') throw_format("the relative index '<' is not supported");
      else break;
    }
    if (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) {
      cur.width = 0;
      while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])))
        cur.width = cur.width * 10 + (f[i++] - '0');
    }
    if (i < f.size() && f[i] == '.') {
      ++i;
      cur.precision = 0;
      if (i >= f.size() || !std::isdigit(static_cast<unsigned char>(f[i])))
        throw_format("illegal precision in '" + std::string(f) + "'");
      while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])))
        cur.precision = cur.precision * 10 + (f[i++] - '0');
    }
    if (i >= f.size()) throw_format("unknown format conversion '%' at the end of '" + std::string(f) + "'");
    char conv = f[i++];
    if (conv == '%' || conv == 'n') {
      if (conv == 'n') {
        cur.literal += '\n';
      } else {
        // %% honours a width and '-' like any other conversion.
        std::string pct = "%";
        if (cur.width > 1)
          pct = cur.left ? pct + std::string(static_cast<size_t>(cur.width - 1), ' ')
                         : std::string(static_cast<size_t>(cur.width - 1), ' ') + pct;
        cur.literal += pct;
      }
      std::string keep = std::move(cur.literal);
      cur = Spec{};
      cur.literal = std::move(keep);
      continue;
    }
    switch (conv) {
      case 's':
      case 'S':
      case 'd':
      case 'x':
      case 'X':
      case 'o':
      case 'f':
      case 'e':
      case 'E':
      case 'c':
      case 'b':
      case 'B': break;
      default: throw_format(std::string("unsupported format conversion '") + conv + "'");
    }
    cur.conversion = conv;
    cur.arg = explicit_arg >= 0 ? explicit_arg : next_arg++;
    out.push_back(std::move(cur));
    cur = Spec{};
  }
  if (!cur.literal.empty()) out.push_back(std::move(cur));
  return out;
}

void apply_width(const Spec& s, std::string& text, bool numeric) {
  if (s.width < 0 || static_cast<int>(utf8_length(text)) >= s.width) return;
  size_t padn = static_cast<size_t>(s.width) - utf8_length(text);
  if (s.left) {
    text.append(padn, ' ');
  } else if (numeric && s.zero) {
    // Zeros go after the sign / prefix.
    size_t at = 0;
    while (at < text.size() && (text[at] == '-' || text[at] == '+' || text[at] == ' ' || text[at] == '('))
      ++at;
    if (text.compare(at, 2, "0x") == 0 || text.compare(at, 2, "0X") == 0) at += 2;
    text.insert(at, padn, '0');
  } else {
    text.insert(0, padn, ' ');
  }
}

std::string group_digits(std::string_view digits) {
  std::string out;
  for (size_t k = 0; k < digits.size(); ++k) {
    out += digits[k];
    size_t left = digits.size() - k - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out;
}

// Sign handling shared by %d, %f and %e: '+', ' ', '(' for the sign of `neg` numbers.
std::string signed_text(const Spec& s, bool neg, std::string body) {
  if (neg) return s.paren ? "(" + body + ")" : "-" + body;
  if (s.plus) return "+" + body;
  if (s.space) return " " + body;
  return body;
}

// Java's Formatter rounds the shortest decimal representation of the double HALF_UP.
// Returns the digits (no dot) and the decimal exponent of the first digit: value = 0.d1d2... * 10^e.
void shortest_digits(double x, std::string& digits, int& exp10) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  size_t e = sci.find('e');
  digits.clear();
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int ex = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), ex);
  exp10 = ex + 1;
}

// Keeps `keep` digits of `digits` (value 0.digits * 10^exp10), rounding HALF_UP; may carry.
void round_half_up(std::string& digits, int& exp10, long keep) {
  if (keep < 0) {
    digits = "0";
    exp10 = 1;
    return;
  }
  if (keep >= static_cast<long>(digits.size())) return;
  bool up = digits[static_cast<size_t>(keep)] >= '5';
  digits.resize(static_cast<size_t>(keep));
  if (up) {
    long k = keep - 1;
    while (k >= 0 && digits[static_cast<size_t>(k)] == '9') digits[static_cast<size_t>(k--)] = '0';
    if (k >= 0) ++digits[static_cast<size_t>(k)];
    else digits.insert(digits.begin(), '1'), ++exp10;
  }
  if (digits.empty()) digits = "0", exp10 = 1;
}

std::string format_fixed(double x, int prec, bool group) {
  bool neg = std::signbit(x);
  double a = std::fabs(x);
  std::string digits;
  int e10 = 1;
  if (a == 0) {
    digits = "0";
  } else {
    shortest_digits(a, digits, e10);
    round_half_up(digits, e10, static_cast<long>(e10) + prec);
  }
  std::string int_part, frac_part;
  for (int k = 0; k < e10; ++k)
    int_part += k < static_cast<int>(digits.size()) ? digits[static_cast<size_t>(k)] : '0';
  if (int_part.empty()) int_part = "0";
  for (int k = 0; k < prec; ++k) {
    int idx = e10 + k;
    frac_part += idx >= 0 && idx < static_cast<int>(digits.size()) ? digits[static_cast<size_t>(idx)] : '0';
  }
  std::string body = group ? group_digits(int_part) : int_part;
  if (prec > 0) body += "." + frac_part;
  return (neg ? "-" : "") + body;
}

std::string format_sci(double x, int prec, bool upper) {
  bool neg = std::signbit(x);
  double a = std::fabs(x);
  std::string digits;
  int e10 = 1;
  if (a == 0) {
    digits = "0";
  } else {
    shortest_digits(a, digits, e10);
    round_half_up(digits, e10, 1 + prec);
  }
  while (static_cast<int>(digits.size()) < 1 + prec) digits += '0';
  std::string body(1, digits[0]);
  if (prec > 0) body += "." + digits.substr(1, static_cast<size_t>(prec));
  int exp = a == 0 ? 0 : e10 - 1;
  std::string es = std::to_string(std::abs(exp));
  if (es.size() < 2) es = "0" + es;
  body += std::string(upper ? "E" : "e") + (exp < 0 ? "-" : "+") + es;
  return (neg ? "-" : "") + body;
}

// One argument's value as formatting sees it.
struct Arg {
  enum Kind { kNull, kBool, kInt, kFloat, kString, kDecimal } kind = kNull;
  bool b = false;
  int64_t i = 0;
  int bits = 32;  // width of the integral type (for %x / %o of negatives)
  double d = 0;
  bool is_float = false;  // Float vs Double for %s
  std::string_view s;
  int128_t dec = 0;
  int scale = 0;
};

Arg arg_at(const Vector& v, const DataType& t, size_t row) {
  Arg a;
  if (t.id() == TypeId::kNull || v.is_null(row)) return a;
  switch (t.id()) {
    case TypeId::kBoolean: a.kind = Arg::kBool, a.b = value_at<uint8_t>(v, row) != 0; break;
    case TypeId::kByte: a.kind = Arg::kInt, a.i = value_at<int8_t>(v, row), a.bits = 8; break;
    case TypeId::kShort: a.kind = Arg::kInt, a.i = value_at<int16_t>(v, row), a.bits = 16; break;
    case TypeId::kInt:
    case TypeId::kDate: a.kind = Arg::kInt, a.i = value_at<int32_t>(v, row), a.bits = 32; break;
    case TypeId::kLong:
    case TypeId::kTimestamp: a.kind = Arg::kInt, a.i = value_at<int64_t>(v, row), a.bits = 64; break;
    case TypeId::kFloat: a.kind = Arg::kFloat, a.d = value_at<float>(v, row), a.is_float = true; break;
    case TypeId::kDouble: a.kind = Arg::kFloat, a.d = value_at<double>(v, row); break;
    case TypeId::kDecimal:
      a.kind = Arg::kDecimal, a.dec = value_at<int128_t>(v, row), a.scale = t.scale();
      break;
    case TypeId::kString:
    case TypeId::kBinary: a.kind = Arg::kString, a.s = v.string_at(row); break;
    default: throw_format("cannot format a value of type " + t.simple_string());
  }
  return a;
}

[[noreturn]] void throw_conversion(char conv, const Arg& a) {
  static const char* kNames[] = {"null",
                                 "java.lang.Boolean",
                                 "java.lang.Long",
                                 "java.lang.Double",
                                 "java.lang.String",
                                 "org.apache.spark.sql.types.Decimal"};
  throw_format(std::string(1, conv) + " != " + kNames[a.kind]);
}

void format_one(const Spec& s, const Arg& a, std::string& out) {
  std::string text;
  bool numeric = false;
  switch (s.conversion) {
    case 's':
    case 'S': {
      switch (a.kind) {
        case Arg::kNull: text = "null"; break;
        case Arg::kBool: text = a.b ? "true" : "false"; break;
        case Arg::kInt: text = std::to_string(a.i); break;
        case Arg::kFloat:
          text = a.is_float ? format_float(static_cast<float>(a.d)) : format_double(a.d);
          break;
        case Arg::kString: text.assign(a.s); break;
        case Arg::kDecimal: text = format_decimal(a.dec, a.scale); break;
      }
      if (s.precision >= 0) text = std::string(prefix_chars(text, s.precision));
      if (s.conversion == 'S') {
        for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      break;
    }
    case 'b':
    case 'B':
      text = a.kind == Arg::kNull ? "false" : a.kind == Arg::kBool ? (a.b ? "true" : "false") : "true";
      if (s.precision >= 0) text = text.substr(0, static_cast<size_t>(s.precision));
      if (s.conversion == 'B') {
        for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      break;
    case 'c':
      if (a.kind == Arg::kNull) {
        text = "null";
      } else if (a.kind == Arg::kInt && a.bits >= 32) {
        utf8_encode(text, static_cast<uint32_t>(a.i));
      } else {
        throw_conversion('c', a);
      }
      break;
    case 'd':
      if (a.kind == Arg::kNull) {
        text = "null";
        break;
      }
      if (a.kind != Arg::kInt) throw_conversion('d', a);
      {
        numeric = true;
        uint64_t mag = a.i < 0 ? 0 - static_cast<uint64_t>(a.i) : static_cast<uint64_t>(a.i);
        std::string digits = std::to_string(mag);
        text = signed_text(s, a.i < 0, s.group ? group_digits(digits) : digits);
      }
      break;
    case 'x':
    case 'X':
    case 'o':
      if (a.kind == Arg::kNull) {
        text = "null";
        break;
      }
      if (a.kind != Arg::kInt) throw_conversion(s.conversion, a);
      {
        numeric = true;
        uint64_t u = static_cast<uint64_t>(a.i);
        if (a.bits < 64) u &= (uint64_t{1} << a.bits) - 1;  // two's complement of the type's width
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, u, s.conversion == 'o' ? 8 : 16);
        text.assign(buf, r.ptr);
        if (s.alt) text = (s.conversion == 'o' ? "0" : "0x") + text;
        if (s.conversion == 'X') {
          for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
      }
      break;
    case 'f':
    case 'e':
    case 'E': {
      if (a.kind == Arg::kNull) {
        text = "null";
        break;
      }
      if (a.kind != Arg::kFloat) throw_conversion(s.conversion, a);
      numeric = true;
      int prec = s.precision >= 0 ? s.precision : 6;
      if (std::isnan(a.d)) {
        text = "NaN";
        numeric = false;
      } else if (std::isinf(a.d)) {
        text = signed_text(s, a.d < 0, "Infinity");
        numeric = false;
      } else {
        std::string body = s.conversion == 'f' ? format_fixed(a.d, prec, s.group)
                                               : format_sci(a.d, prec, s.conversion == 'E');
        bool neg = !body.empty() && body[0] == '-';
        text = signed_text(s, neg, neg ? body.substr(1) : body);
      }
      break;
    }
    default: throw_format(std::string("unsupported format conversion '") + s.conversion + "'");
  }
  apply_width(s, text, numeric);
  out += text;
}

BoundFunction bind_format_string(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{string_param("format_string", 1, args[0], ctx.ansi)};
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].is_nested()) throw_input_type("format_string", static_cast<int>(i) + 1, "atomic", args[i]);
    types.push_back(args[i]);
  }
  std::shared_ptr<const std::vector<Spec>> fixed;
  if (!ctx.literals.empty() && ctx.literals[0] && !ctx.literals[0]->is_null() &&
      ctx.literals[0]->type().id() == TypeId::kString) {
    fixed = std::make_shared<const std::vector<Spec>>(parse_format(ctx.literals[0]->as_string()));
  }
  auto kernel = make_kernel([types, fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& f = *v[0];
    std::vector<Spec> local;
    std::string last;
    bool have_local = false;
    // NULL only when the format is NULL; NULL arguments print as "null".
    return string_map({v[0]}, n, DataType::string(), n * 16, [&](size_t i, std::string& out) {
      const std::vector<Spec>* specs = fixed.get();
      if (!specs) {
        std::string_view fs = f.string_at(i);
        if (!have_local || fs != last) {
          last.assign(fs);
          local = parse_format(fs);
          have_local = true;
        }
        specs = &local;
      }
      for (const Spec& s : *specs) {
        out += s.literal;
        if (!s.conversion) continue;
        size_t k = static_cast<size_t>(s.arg) + 1;
        if (k >= v.size())
          throw_format("missing argument for format specifier '%" + std::string(1, s.conversion) + "'");
        format_one(s, arg_at(*v[k], types[k], i), out);
      }
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true, /*nullable=*/true);
}

}  // namespace

void register_string_extra_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"lpad", 2, 3, &bind_pad<true>});
  r.add(FunctionDef{"rpad", 2, 3, &bind_pad<false>});
  r.add(FunctionDef{"instr", 2, 2, &bind_instr});
  r.add(FunctionDef{"locate", 2, 3, &bind_locate});
  r.add(FunctionDef{"initcap", 1, 1, &bind_initcap});
  r.add(FunctionDef{"reverse", 1, 1, &bind_reverse});
  r.add(FunctionDef{"repeat", 2, 2, &bind_repeat});
  r.add(FunctionDef{"translate", 3, 3, &bind_translate});
  r.add(FunctionDef{"format_number", 2, 2, &bind_format_number});
  r.add(FunctionDef{"format_string", 1, -1, &bind_format_string});
  r.add(FunctionDef{"ascii", 1, 1, &bind_ascii});
  r.add(FunctionDef{"left", 2, 2, &bind_left_right<true>});
  r.add(FunctionDef{"right", 2, 2, &bind_left_right<false>});
  r.add_alias("position", "locate");
  r.add_alias("printf", "format_string");
  // btrim(str[, trimStr]) is trim(str[, trimStr]) (register_string_functions runs first).
  r.add_alias("btrim", "trim");
}

}  // namespace ember
