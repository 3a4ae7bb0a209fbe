// Pattern matching: like, rlike/regexp/regexp_like, regexp_replace, regexp_extract, split.
// LIKE patterns are matched by a small hand-written matcher (with fast paths for the common
// exact / prefix / suffix / contains shapes); regular expressions use RE2, which accepts the
// Java syntax Spark users write except backreferences and lookaround.
#include <cstring>
#include <limits>
#include <optional>

#include <re2/re2.h>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/utf8.h"

namespace ember {

namespace {

using namespace fn;

// ---- LIKE --------------------------------------------------------------------------------------

class LikePattern {
 public:
  // Spark's StringUtils.escapeLikeRegex rules: the escape character may only precede '_', '%'
  // or itself.
  static LikePattern compile(std::string_view p, char escape) {
    LikePattern out;
    for (size_t i = 0; i < p.size(); ++i) {
      char c = p[i];
      if (c == escape) {
        if (i + 1 == p.size()) invalid(p, "the escape character is not allowed to end with");
        char next = p[i + 1];
        if (next != '_' && next != '%' && next != escape) {
          invalid(p, std::string("the escape character is not allowed to precede '") + next + "'");
        }
        out.units_.push_back({kLit, next});
        ++i;
      } else if (c == '%') {
        if (out.units_.empty() || out.units_.back().kind != kAnySeq) out.units_.push_back({kAnySeq, 0});
      } else if (c == '_') {
        out.units_.push_back({kAnyChar, 0});
      } else {
        out.units_.push_back({kLit, c});
      }
    }
    out.classify();
    return out;
  }

  bool matches(std::string_view s) const {
    switch (shape_) {
      case Shape::kExact: return s == lit_;
      case Shape::kPrefix: return s.starts_with(lit_);
      case Shape::kSuffix: return s.ends_with(lit_);
      case Shape::kContains: return s.find(lit_) != std::string_view::npos;
      case Shape::kSegments: return match_segments(s);
      case Shape::kGeneral: break;
    }
    return match_general(s);
  }

 private:
  enum Kind : uint8_t { kLit, kAnyChar, kAnySeq };
  struct Unit {
    Kind kind;
    char c;
  };
  // kSegments: literals separated by '%' and no '_' ('%special%requests%', 'a%b'): matched by
  // searching each literal after the previous one, which is exact for '%' alone (taking the
  // leftmost occurrence of each literal leaves the most room for the ones after it).
  enum class Shape { kExact, kPrefix, kSuffix, kContains, kSegments, kGeneral };

  [[noreturn]] static void invalid(std::string_view p, const std::string& why) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_LIKE_PATTERN",
                "The pattern '" + std::string(p) + "' is invalid, " + why + ".");
  }

  void classify() {
    size_t n = units_.size();
    bool lead = n > 0 && units_[0].kind == kAnySeq;
    bool trail = n > (lead ? 1u : 0u) && units_[n - 1].kind == kAnySeq;
    size_t b = lead ? 1 : 0, e = trail ? n - 1 : n;
    for (size_t i = b; i < e; ++i) {
      if (units_[i].kind != kLit) {
        classify_segments();
        return;
      }
      lit_ += units_[i].c;
    }
    shape_ = lead && trail ? Shape::kContains
             : lead        ? Shape::kSuffix
             : trail       ? Shape::kPrefix
                           : Shape::kExact;
  }

  void classify_segments() {
    shape_ = Shape::kGeneral;
    lit_.clear();
    std::vector<std::string> parts(1);
    for (const Unit& u : units_) {
      if (u.kind == kAnyChar) return;
      if (u.kind == kAnySeq) parts.emplace_back();
      else parts.back() += u.c;
    }
    // parts[0] is the prefix ("" when the pattern starts with '%'), parts.back() the suffix.
    prefix_ = parts.front();
    suffix_ = parts.back();
    middle_.assign(parts.begin() + 1, parts.end() - 1);
    shape_ = Shape::kSegments;
  }

  bool match_segments(std::string_view s) const {
    if (s.size() < prefix_.size() + suffix_.size() || !s.starts_with(prefix_) || !s.ends_with(suffix_))
      return false;
    // The middle literals must fit between the prefix and the suffix, in order.
    size_t pos = prefix_.size();
    const std::string_view inner = s.substr(0, s.size() - suffix_.size());
    for (const std::string& m : middle_) {
      const size_t at = inner.find(m, pos);
      if (at == std::string_view::npos) return false;
      pos = at + m.size();
    }
    return true;
  }

  // Two-pointer wildcard matching: on a mismatch, retry from the last '%' one character later.
  bool match_general(std::string_view s) const {
    size_t si = 0, pi = 0, star = SIZE_MAX, mark = 0;
    const size_t np = units_.size();
    while (si < s.size()) {
      if (pi < np && units_[pi].kind == kLit && units_[pi].c == s[si]) {
        ++si;
        ++pi;
      } else if (pi < np && units_[pi].kind == kAnyChar) {
        si = std::min(s.size(), si + utf8_seq_len(static_cast<unsigned char>(s[si])));
        ++pi;
      } else if (pi < np && units_[pi].kind == kAnySeq) {
        star = pi++;
        mark = si;
      } else if (star != SIZE_MAX) {
        pi = star + 1;
        mark = std::min(s.size(), mark + utf8_seq_len(static_cast<unsigned char>(s[mark])));
        si = mark;
      } else {
        return false;
      }
    }
    while (pi < np && units_[pi].kind == kAnySeq) ++pi;
    return pi == np;
  }

  std::vector<Unit> units_;
  Shape shape_ = Shape::kGeneral;
  std::string lit_;
  std::string prefix_, suffix_;      // kSegments: before the first '%', after the last
  std::vector<std::string> middle_;  // kSegments: the literals between '%'s, in order
};

char like_escape(const BindContext& ctx, size_t nargs) {
  if (nargs < 3) return '\\';
  const auto& lit = ctx.literals.size() > 2 ? ctx.literals[2] : std::nullopt;
  if (!lit || lit->is_null() || lit->type().id() != TypeId::kString || lit->as_string().size() != 1) {
    throw_error(ErrorKind::kAnalysis, "INVALID_ESCAPE_CHAR",
                "The escape character of like must be a string literal of exactly one character.");
  }
  return lit->as_string()[0];
}

// Literal pattern (the usual case): compiled once here. Otherwise compiled per distinct pattern
// within each batch.
std::optional<std::string> literal_string(const BindContext& ctx, size_t i) {
  if (ctx.literals.size() > i && ctx.literals[i] && !ctx.literals[i]->is_null() &&
      ctx.literals[i]->type().id() == TypeId::kString) {
    return ctx.literals[i]->as_string();
  }
  return std::nullopt;
}

BoundFunction bind_like(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType a = string_param("like", 1, args[0], ctx.ansi);
  DataType b = string_param("like", 2, args[1], ctx.ansi);
  char escape = like_escape(ctx, args.size());
  std::shared_ptr<const LikePattern> fixed;
  if (auto p = literal_string(ctx, 1))
    fixed = std::make_shared<LikePattern>(LikePattern::compile(*p, escape));
  auto kernel = make_kernel([fixed, escape](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& p = *v[1];
    auto out = Vector::make(DataType::boolean(), n);
    if (!and_validity(*out, {&s, &p}, n)) return Vector::make_null(DataType::boolean(), n);
    uint8_t* o = out->values<uint8_t>();
    const uint8_t* valid = out->validity();
    if (fixed || p.is_constant()) {
      std::optional<LikePattern> local;
      if (!fixed) local = LikePattern::compile(p.string_at(0), escape);
      const LikePattern& pat = fixed ? *fixed : *local;
      for (size_t i = 0; i < n; ++i) o[i] = pat.matches(s.string_at(i));
      return out;
    }
    std::string last;
    std::optional<LikePattern> pat;
    for (size_t i = 0; i < n; ++i) {
      if (valid && !bit_is_set(valid, i)) {
        o[i] = 0;
        continue;
      }
      std::string_view ps = p.string_at(i);
      if (!pat || ps != last) {
        last.assign(ps);
        pat = LikePattern::compile(ps, escape);
      }
      o[i] = pat->matches(s.string_at(i));
    }
    return out;
  });
  std::vector<DataType> types{a, b};
  if (args.size() > 2) types.push_back(DataType::string());
  return per_value(bound(DataType::boolean(), types, kernel, true));
}

// ---- regular expressions -----------------------------------------------------------------------

std::shared_ptr<const RE2> compile_regex(std::string_view pattern, const char* fn) {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
  if (!re->ok()) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_PARAMETER_VALUE.PATTERN",
                std::string("The value of parameter(s) `regexp` in `") + fn + "` is invalid: '" +
                    std::string(pattern) + "': " + re->error());
  }
  return re;
}

// Compiled regexes for one kernel call: the bound literal, or the last pattern seen.
class RegexCache {
 public:
  RegexCache(std::shared_ptr<const RE2> fixed, const char* fn) : fixed_(std::move(fixed)), fn_(fn) {}
  const RE2& get(std::string_view pattern) {
    if (fixed_) return *fixed_;
    if (!last_ || pattern != last_pattern_) {
      last_pattern_.assign(pattern);
      last_ = compile_regex(pattern, fn_);
    }
    return *last_;
  }

 private:
  std::shared_ptr<const RE2> fixed_;
  const char* fn_;
  std::string last_pattern_;
  std::shared_ptr<const RE2> last_;
};

BoundFunction bind_rlike(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType a = string_param("rlike", 1, args[0], ctx.ansi);
  DataType b = string_param("rlike", 2, args[1], ctx.ansi);
  std::shared_ptr<const RE2> fixed;
  if (auto p = literal_string(ctx, 1)) fixed = compile_regex(*p, "rlike");
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& p = *v[1];
    auto out = Vector::make(DataType::boolean(), n);
    if (!and_validity(*out, {&s, &p}, n)) return Vector::make_null(DataType::boolean(), n);
    uint8_t* o = out->values<uint8_t>();
    const uint8_t* valid = out->validity();
    RegexCache cache(fixed, "rlike");
    for (size_t i = 0; i < n; ++i) {
      if (valid && !bit_is_set(valid, i)) {
        o[i] = 0;
        continue;
      }
      std::string_view x = s.string_at(i);
      // Java's Matcher.find(): a match anywhere in the string.
      o[i] = RE2::PartialMatch(re2::StringPiece(x.data(), x.size()), cache.get(p.string_at(i)));
    }
    return out;
  });
  return bound(DataType::boolean(), {a, b}, kernel, true);
}

// Java replacement syntax -> RE2 rewrite: $n and ${name} name groups, a backslash quotes the
// next character; RE2 itself treats backslash as its group marker, so literal ones double.
std::string java_replacement_to_re2(std::string_view rep, const RE2& re) {
  std::string out;
  for (size_t i = 0; i < rep.size(); ++i) {
    char c = rep[i];
    if (c == '\\' && i + 1 < rep.size()) {
      char next = rep[++i];
      if (next == '\\') out += "\\\\";
      else out += next;
    } else if (c == '$' && i + 1 < rep.size() && rep[i + 1] >= '0' && rep[i + 1] <= '9') {
      out += '\\';
      out += rep[++i];
    } else if (c == '$' && i + 1 < rep.size() && rep[i + 1] == '{') {
      size_t close = rep.find('}', i + 2);
      std::string name(rep.substr(i + 2, close == std::string_view::npos ? 0 : close - i - 2));
      auto groups = re.NamedCapturingGroups();
      auto it = groups.find(name);
      if (close == std::string_view::npos || it == groups.end()) {
        throw_error(ErrorKind::kIllegalArgument, "INVALID_PARAMETER_VALUE.PATTERN",
                    "No group with name {" + name + "} in regexp_replace's pattern");
      }
      out += '\\' + std::to_string(it->second);
      i = close;
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out;
}

BoundFunction bind_regexp_replace(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types;
  for (size_t i = 0; i < 3; ++i)
    types.push_back(string_param("regexp_replace", static_cast<int>(i) + 1, args[i], ctx.ansi));
  if (args.size() > 3) {
    if (!args[3].is_integral() && args[3].id() != TypeId::kNull)
      throw_input_type("regexp_replace", 4, "\"INT\"", args[3]);
    types.push_back(DataType::int32());
  }
  std::shared_ptr<const RE2> fixed;
  if (auto p = literal_string(ctx, 1)) fixed = compile_regex(*p, "regexp_replace");
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& p = *v[1];
    const Vector& r = *v[2];
    const Vector* pos = v.size() > 3 ? v[3].get() : nullptr;
    RegexCache cache(fixed, "regexp_replace");
    std::string rewrite, last_rep;
    const RE2* last_re = nullptr;
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      const RE2& re = cache.get(p.string_at(i));
      std::string_view rep = r.string_at(i);
      if (&re != last_re || rep != last_rep) {
        rewrite = java_replacement_to_re2(rep, re);
        last_rep.assign(rep);
        last_re = &re;
      }
      std::string_view x = s.string_at(i);
      size_t skip = 0;
      if (pos) {
        int32_t at = value_at<int32_t>(*pos, i);
        if (at <= 0) {
          throw_error(
              ErrorKind::kIllegalArgument, "INVALID_PARAMETER_VALUE.REGEX_POSITION",
              "The value of parameter(s) `position` in `regexp_replace` is invalid: expects a positive "
              "value, but got " +
                  std::to_string(at) + ".");
        }
        for (int32_t k = 1; k < at && skip < x.size(); ++k)
          skip += utf8_seq_len(static_cast<unsigned char>(x[skip]));
        skip = std::min(skip, x.size());
      }
      out.assign(x.substr(skip));
      RE2::GlobalReplace(&out, re, re2::StringPiece(rewrite));
      out.insert(0, x.substr(0, skip));
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// regexp_extract(str, regexp[, idx = 1]): group idx of the first match, "" when none matches.
BoundFunction bind_regexp_extract(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{string_param("regexp_extract", 1, args[0], ctx.ansi),
                              string_param("regexp_extract", 2, args[1], ctx.ansi)};
  if (args.size() > 2) {
    if (!args[2].is_integral() && args[2].id() != TypeId::kNull)
      throw_input_type("regexp_extract", 3, "\"INT\"", args[2]);
    types.push_back(DataType::int32());
  }
  std::shared_ptr<const RE2> fixed;
  if (auto p = literal_string(ctx, 1)) fixed = compile_regex(*p, "regexp_extract");
  auto kernel = make_kernel([fixed](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& p = *v[1];
    const Vector* idx = v.size() > 2 ? v[2].get() : nullptr;
    RegexCache cache(fixed, "regexp_extract");
    std::vector<re2::StringPiece> groups;
    return string_map(v, n, DataType::string(), total_chars(s), [&](size_t i, std::string& out) {
      const RE2& re = cache.get(p.string_at(i));
      int g = idx ? value_at<int32_t>(*idx, i) : 1;
      if (g < 0 || g > re.NumberOfCapturingGroups()) {
        throw_error(
            ErrorKind::kIllegalArgument, "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX",
            "The value of parameter(s) `idx` in `regexp_extract` is invalid: Expects group index between 0 "
            "and " +
                std::to_string(re.NumberOfCapturingGroups()) + ", but got " + std::to_string(g) + ".");
      }
      std::string_view x = s.string_at(i);
      groups.assign(static_cast<size_t>(g) + 1, re2::StringPiece());
      if (re.Match(re2::StringPiece(x.data(), x.size()), 0, x.size(), RE2::UNANCHORED, groups.data(),
                   g + 1)) {
        const auto& m = groups[static_cast<size_t>(g)];
        if (m.data()) out.append(m.data(), m.size());
      }
      return true;
    });
  });
  return bound(DataType::string(), types, kernel, true);
}

// ---- split --------------------------------------------------------------------------------------

// A pattern without regex metacharacters matches itself, so a plain substring search splits on it
// (Java's String.split takes the same shortcut). '\0' counts as a metacharacter: strchr finds
// the terminator.
bool is_plain_literal(std::string_view pattern) {
  for (char c : pattern) {
    if (std::strchr(".$|()[]{}^?*+\\", c) != nullptr) return false;
  }
  return true;
}

// One piece of a split string: bytes [begin, end).
struct Piece {
  size_t begin;
  size_t end;
};

// Where Spark's split(str, regex, limit) cuts `s` (UTF8String.split): Java's
// Pattern.split(s, limit) with limit <= 0 meaning "unlimited, trailing empty strings kept" (Spark
// passes -1 for 0), except that an empty pattern splits a non-empty string into characters. Java's
// rules: a zero-width match at the start yields no leading empty piece; after a zero-width match
// the next search starts one character later; no match at all yields the whole string; with
// limit > 0 the last piece holds the rest. `literal` is set when the pattern needs no regex.
void split_pieces(std::string_view s, std::string_view pattern, const RE2* re, bool literal, int32_t limit,
                  std::vector<Piece>& out) {
  out.clear();
  const size_t n = s.size();
  if (n != 0 && pattern.empty()) {
    size_t chars = utf8_length(s);
    size_t count = limit <= 0 || static_cast<size_t>(limit) > chars ? chars : static_cast<size_t>(limit);
    size_t at = 0;
    for (size_t k = 0; k + 1 < count; ++k) {
      size_t len = std::min(utf8_seq_len(static_cast<unsigned char>(s[at])), n - at);
      out.push_back({at, at + len});
      at += len;
    }
    out.push_back({at, n});
    return;
  }
  const bool limited = limit > 0;
  const size_t max_pieces = limited ? static_cast<size_t>(limit) : SIZE_MAX;
  size_t index = 0;   // where the next piece starts
  size_t search = 0;  // where the next match search starts
  re2::StringPiece text(s.data(), s.size());
  re2::StringPiece match;
  while (search <= n) {
    size_t ms, me;
    if (literal) {
      size_t at = s.find(pattern, search);
      if (at == std::string_view::npos) break;
      ms = at;
      me = at + pattern.size();
    } else {
      if (!re->Match(text, search, n, RE2::UNANCHORED, &match, 1)) break;
      ms = static_cast<size_t>(match.data() - s.data());
      me = ms + match.size();
    }
    search = me > ms
                 ? me
                 : (me < n ? me + std::min(utf8_seq_len(static_cast<unsigned char>(s[me])), n - me) : n + 1);
    if (out.size() + 1 < max_pieces) {
      if (index == 0 && ms == 0 && me == 0) continue;
      out.push_back({index, ms});
      index = me;
    } else {
      out.push_back({index, n});
      index = me;
      break;
    }
  }
  if (index == 0) {
    out.assign(1, Piece{0, n});
    return;
  }
  if (out.size() < max_pieces) out.push_back({index, n});
}

// split(str, regex[, limit]) -> array<string> (containsNull = false, as Spark's StringSplit).
BoundFunction bind_split(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<DataType> types{string_param("split", 1, args[0], ctx.ansi),
                              string_param("split", 2, args[1], ctx.ansi)};
  if (args.size() > 2) {
    if (!args[2].is_integral() && args[2].id() != TypeId::kNull)
      throw_input_type("split", 3, "\"INT\"", args[2]);
    types.push_back(DataType::int32());
  }
  std::shared_ptr<const RE2> fixed;
  std::optional<std::string> fixed_pattern = literal_string(ctx, 1);
  if (fixed_pattern && !is_plain_literal(*fixed_pattern)) fixed = compile_regex(*fixed_pattern, "split");
  const DataType result = DataType::array(DataType::string(), /*contains_null=*/false);
  auto kernel = make_kernel([fixed, result](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& s = *v[0];
    const Vector& p = *v[1];
    const Vector* lim = v.size() > 2 ? v[2].get() : nullptr;
    auto out = Vector::make(result, n);
    if (!and_validity(*out, v, n)) return Vector::make_null(result, n);
    const uint8_t* valid = out->validity();
    Vector& elements = out->mutable_child();
    elements.reserve_chars(total_chars(s));
    RegexCache cache(fixed, "split");
    std::vector<Piece> pieces;
    for (size_t i = 0; i < n; ++i) {
      if (valid && !bit_is_set(valid, i)) {
        out->finish_array(i);
        continue;
      }
      std::string_view x = s.string_at(i);
      std::string_view pattern = p.string_at(i);
      const bool literal = is_plain_literal(pattern);
      const RE2* re = literal ? nullptr : &cache.get(pattern);
      split_pieces(x, pattern, re, literal, lim ? value_at<int32_t>(*lim, i) : -1, pieces);
      for (const Piece& piece : pieces)
        elements.append_string(x.substr(piece.begin, piece.end - piece.begin));
      out->finish_array(i);
    }
    return out;
  });
  return bound(result, types, kernel, /*accepts_constants=*/true);
}

}  // namespace

void register_regex_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"like", 2, 3, &bind_like});
  r.add(FunctionDef{"rlike", 2, 2, &bind_rlike});
  r.add(FunctionDef{"regexp_replace", 3, 4, &bind_regexp_replace});
  r.add(FunctionDef{"regexp_extract", 2, 3, &bind_regexp_extract});
  r.add(FunctionDef{"split", 2, 3, &bind_split});
  r.add_alias("regexp", "rlike");
  r.add_alias("regexp_like", "rlike");
}

}  // namespace ember
