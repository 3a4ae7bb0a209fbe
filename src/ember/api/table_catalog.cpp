#include "ember/api/table_catalog.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
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
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string key = line.substr(0, tab), value = unescape(line.substr(tab + 1));
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
    out.flush();
    if (!out) throw_error(ErrorKind::kIo, "cannot write the catalog entry " + tmp);
  }
  fs::rename(tmp, path, ec);
  if (ec) throw_error(ErrorKind::kIo, "cannot write the catalog entry " + path + ": " + ec.message());
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
