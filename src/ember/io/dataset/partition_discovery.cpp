#include "ember/io/dataset/partition_discovery.h"

#include <cstdio>
#include <filesystem>
#include <optional>

#include "ember/common/error.h"
#include "ember/types/temporal.h"

namespace ember {

namespace {

constexpr const char* kDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The (key, raw value) pairs of the `key=value` directories between `base` and the file.
std::vector<std::pair<std::string, std::string>> partition_pairs(const std::filesystem::path& relative_dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& part : relative_dir) {
    std::string seg = part.string();
    size_t eq = seg.find('=');
    if (seg.empty() || seg == "." || eq == std::string::npos || eq == 0) continue;
    out.emplace_back(unescape(seg.substr(0, eq)), seg.substr(eq + 1));
  }
  return out;
}

enum class Inferred { kInt, kLong, kDouble, kDate, kString };

Inferred infer_one(const std::string& v) {
  if (v.empty()) return Inferred::kString;
  size_t used = 0;
  try {
    long long x = std::stoll(v, &used);
    if (used == v.size()) {
      return x >= INT32_MIN && x <= INT32_MAX ? Inferred::kInt : Inferred::kLong;
    }
  } catch (const std::exception&) {
  }
  try {
    std::stod(v, &used);
    if (used == v.size()) return Inferred::kDouble;
  } catch (const std::exception&) {
  }
  if (v.size() == 10 && parse_date(v)) return Inferred::kDate;
  return Inferred::kString;
}

Inferred widen(Inferred a, Inferred b) {
  if (a == b) return a;
  auto numeric = [](Inferred x) { return x == Inferred::kInt || x == Inferred::kLong || x == Inferred::kDouble; };
  if (numeric(a) && numeric(b)) return std::max(a, b);
  return Inferred::kString;
}

DataType type_of(Inferred t) {
  switch (t) {
    case Inferred::kInt: return DataType::int32();
    case Inferred::kLong: return DataType::int64();
    case Inferred::kDouble: return DataType::float64();
    case Inferred::kDate: return DataType::date();
    case Inferred::kString: return DataType::string();
  }
  return DataType::string();
}

Value value_of(const std::optional<std::string>& raw, const DataType& type) {
  if (!raw) return Value::null(type);
  switch (type.id()) {
    case TypeId::kInt: return Value::int32(static_cast<int32_t>(std::stoll(*raw)));
    case TypeId::kLong: return Value::int64(std::stoll(*raw));
    case TypeId::kDouble: return Value::float64(std::stod(*raw));
    case TypeId::kDate: return Value::date(*parse_date(*raw));
    default: return Value::string(*raw);
  }
}

}  // namespace

DiscoveredPartitions discover_partitions(const std::vector<std::string>& base_paths, const std::vector<FileInfo>& files) {
  namespace fs = std::filesystem;
  std::vector<fs::path> bases;
  for (const auto& b : base_paths) {
    fs::path p = fs::path(strip_file_scheme(b)).lexically_normal();
    bases.push_back(fs::is_directory(p) ? p : p.parent_path());
  }
  std::vector<std::string> names;
  std::string names_from;
  std::vector<std::vector<std::optional<std::string>>> raw(files.size());
  for (size_t f = 0; f < files.size(); ++f) {
    fs::path file = fs::path(files[f].path).lexically_normal();
    fs::path dir = file.parent_path();
    fs::path relative;
    for (const auto& base : bases) {
      auto rel = dir.lexically_relative(base);
      if (!rel.empty() && rel.native().rfind("..", 0) != 0) {
        relative = rel;
        break;
      }
    }
    auto pairs = partition_pairs(relative);
    std::vector<std::string> these;
    for (const auto& [k, v] : pairs) these.push_back(k);
    if (f == 0) {
      names = these;
      names_from = files[f].path;
    } else if (these.size() != names.size() ||
               !std::equal(these.begin(), these.end(), names.begin(),
                           [](const std::string& a, const std::string& b) { return equals_ignore_case(a, b); })) {
      throw_error(ErrorKind::kAnalysis, "CONFLICTING_PARTITION_COLUMN_NAMES",
                  "Conflicting partition column names detected: " + names_from + " is under [" +
                      [&] {
                        std::string s;
                        for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
                        return s;
                      }() +
                      "] but " + files[f].path + " is under [" +
                      [&] {
                        std::string s;
                        for (size_t i = 0; i < these.size(); ++i) s += (i ? ", " : "") + these[i];
                        return s;
                      }() +
                      "]. Partitioned directories must all have the same partition columns.");
    }
    for (const auto& [k, v] : pairs) {
      std::string value = unescape(v);
      raw[f].push_back(value == kDefaultPartition ? std::nullopt : std::optional<std::string>(value));
    }
  }
  DiscoveredPartitions out;
  std::vector<Field> fields;
  for (size_t c = 0; c < names.size(); ++c) {
    std::optional<Inferred> t;
    for (size_t f = 0; f < files.size(); ++f) {
      if (!raw[f][c]) continue;
      Inferred one = infer_one(*raw[f][c]);
      t = t ? widen(*t, one) : one;
    }
    fields.push_back(Field{names[c], type_of(t.value_or(Inferred::kString)), true});
  }
  out.schema = Schema(fields);
  for (size_t f = 0; f < files.size(); ++f) {
    std::vector<Value> values;
    for (size_t c = 0; c < names.size(); ++c) values.push_back(value_of(raw[f][c], fields[c].type));
    out.file_values.push_back(std::move(values));
  }
  return out;
}

std::string partition_directory_value(const std::string& text, bool is_null) {
  if (is_null || text.empty()) return kDefaultPartition;
  // Spark escapes these characters in partition directory names (ExternalCatalogUtils).
  static const std::string kSpecial = "\"#%'*/:=?\\\x7f{[]^";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || kSpecial.find(c) != std::string::npos) {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace ember
