#include "ember/api/table_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "ember/common/error.h"

namespace ember {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCatalogDir = ".ember_catalog";
constexpr const char* kSuffix = ".table";

// Metadata lines are "key<TAB>value"; a value's backslashes, tabs and newlines are escaped.
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char n = s[++i];
    out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

void check_name(const std::string& name) {
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!ok) {
    throw_error(ErrorKind::kAnalysis, "INVALID_IDENTIFIER",
                "table name `" + name + "`: ember's warehouse tables use letters, digits and '_'");
  }
}

// Statistics lines, after Spark's table properties (spark.sql.statistics.totalSize, .numRows,
// .colStats.<column>.<field>): "stats.totalSize", "stats.numRows", "stats.col.<column>.<field>".
// Bounds are stored exactly (encode_stat_value), not as DESCRIBE prints them.
void write_statistics(std::ostream& out, const TableStatistics& s) {
  out << "stats.totalSize\t" << s.size_in_bytes << "\n";
  if (s.row_count) out << "stats.numRows\t" << *s.row_count << "\n";
  auto number = [](double x) { return std::to_string(static_cast<int64_t>(x)); };
  for (const auto& [column, c] : s.columns) {
    const std::string key = escape("stats.col." + column + ".");
    out << key << "present\ttrue\n";
    if (c.distinct_count) out << key << "distinctCount\t" << number(*c.distinct_count) << "\n";
    if (c.null_count) out << key << "nullCount\t" << number(*c.null_count) << "\n";
    if (c.avg_len) out << key << "avgLen\t" << number(*c.avg_len) << "\n";
    if (c.max_len) out << key << "maxLen\t" << number(*c.max_len) << "\n";
    if (c.min) out << key << "min\t" << escape(encode_stat_value(*c.min)) << "\n";
    if (c.max) out << key << "max\t" << escape(encode_stat_value(*c.max)) << "\n";
  }
}

// The inverse of write_statistics. A figure that does not parse, or a column the schema no longer
// has, is dropped rather than failing the table: statistics only steer planning.
TableStatistics read_statistics(const std::map<std::string, std::string>& stats, const Schema& schema) {
  TableStatistics s;
  auto number = [](const std::string& text) -> std::optional<int64_t> {
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
    return static_cast<int64_t>(v);
  };
  for (const auto& [key, value] : stats) {
    if (key == "totalSize") {
      s.size_in_bytes = number(value).value_or(0);
    } else if (key == "numRows") {
      s.row_count = number(value);
    } else if (key.rfind("col.", 0) == 0) {
      const size_t dot = key.rfind('.');
      const std::string column = key.substr(4, dot - 4), field = key.substr(dot + 1);
      const int index = schema.index_of(column);
      if (dot <= 4 || index < 0) continue;
      const DataType& type = schema.field(static_cast<size_t>(index)).type;
      ColumnStat& c = s.columns[to_lower(column)];
      auto as_double = [&]() -> std::optional<double> {
        auto n = number(value);
        return n ? std::optional<double>(static_cast<double>(*n)) : std::nullopt;
      };
      if (field == "distinctCount") c.distinct_count = as_double();
      else if (field == "nullCount") c.null_count = as_double();
      else if (field == "avgLen") c.avg_len = as_double();
      else if (field == "maxLen") c.max_len = as_double();
      else if (field == "min") c.min = decode_stat_value(value, type);
      else if (field == "max") c.max = decode_stat_value(value, type);
    }
  }
  return s;
}

}  // namespace

TableCatalog::TableCatalog(std::string warehouse_dir) : warehouse_(fs::absolute(warehouse_dir).lexically_normal().string()) {}

std::string TableCatalog::metadata_path(const std::string& name) const {
  return (fs::path(warehouse_) / kCatalogDir / (to_lower(name) + kSuffix)).string();
}

std::string TableCatalog::default_location(const std::string& name) const {
  return (fs::path(warehouse_) / to_lower(name)).string();
}

std::optional<CatalogTable> TableCatalog::find(const std::string& name) const {
  std::ifstream in(metadata_path(name));
  if (!in) return std::nullopt;
  CatalogTable t;
  std::string line;
  std::map<std::string, std::string> stats;  // "stats.*" lines, read once the schema is known
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string key = unescape(line.substr(0, tab)), value = unescape(line.substr(tab + 1));
    if (key.rfind("stats.", 0) == 0) {
      stats[key.substr(6)] = value;
      continue;
    }
    if (key == "name") t.name = value;
    else if (key == "provider") t.provider = value;
    else if (key == "location") t.location = value;
    else if (key == "managed") t.managed = value == "true";
    else if (key == "schema") t.schema = value.empty() ? Schema() : parse_ddl_schema(value);
    else if (key == "partition_columns") t.partition_columns = split(value);
    else if (key.rfind("option.", 0) == 0) t.options[key.substr(7)] = value;
  }
  if (t.name.empty() || t.provider.empty() || t.location.empty()) {
    throw_error(ErrorKind::kMalformedInput, "CORRUPT_TABLE_METADATA",
                "the catalog entry " + metadata_path(name) + " is incomplete (name, provider and location are required)");
  }
  if (!stats.empty()) t.statistics = read_statistics(stats, t.schema);
  return t;
}

std::vector<std::string> TableCatalog::table_names() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(warehouse_) / kCatalogDir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string file = it->path().filename().string();
    if (file.size() > std::string(kSuffix).size() && file.ends_with(kSuffix)) {
      if (auto t = find(file.substr(0, file.size() - std::string(kSuffix).size()))) names.push_back(t->name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void TableCatalog::create(const CatalogTable& table, bool replace) const {
  check_name(table.name);
  const std::string path = metadata_path(table.name);
  if (!replace && fs::exists(path)) {
    throw_error(ErrorKind::kAnalysis, "TABLE_OR_VIEW_ALREADY_EXISTS",
                "Cannot create table `" + table.name +
                    "` because it already exists. Choose a different name, drop the existing table, or add "
                    "the IF NOT EXISTS clause to tolerate a pre-existing table.");
  }
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  fs::create_directories(table.location, ec);
  // Written to a temporary file and renamed, so a reader never sees half an entry.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "name\t" << escape(table.name) << "\n"
        << "provider\t" << escape(table.provider) << "\n"
        << "location\t" << escape(table.location) << "\n"
        << "managed\t" << (table.managed ? "true" : "false") << "\n"
        << "schema\t" << escape(table.schema.to_ddl()) << "\n"
        << "partition_columns\t" << escape(join(table.partition_columns)) << "\n";
    for (const auto& [k, v] : table.options) out << "option." << k << "\t" << escape(v) << "\n";
    if (table.statistics) write_statistics(out, *table.statistics);
    out.flush();
    if (!out) throw_error(ErrorKind::kIo, "cannot write the catalog entry " + tmp);
  }
  fs::rename(tmp, path, ec);
  if (ec) throw_error(ErrorKind::kIo, "cannot write the catalog entry " + path + ": " + ec.message());
}

void TableCatalog::set_statistics(const std::string& name, std::optional<TableStatistics> statistics) const {
  std::optional<CatalogTable> t = find(name);
  if (!t) {
    throw_error(ErrorKind::kAnalysis, "TABLE_OR_VIEW_NOT_FOUND", "The table `" + name + "` cannot be found.");
  }
  t->statistics = std::move(statistics);
  create(*t, true);
}

bool TableCatalog::drop(const std::string& name) const {
  std::optional<CatalogTable> t = find(name);
  if (!t) return false;
  std::error_code ec;
  if (t->managed) fs::remove_all(t->location, ec);
  fs::remove(metadata_path(name), ec);
  return true;
}

}  // namespace ember
