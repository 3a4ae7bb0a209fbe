#pragma once
// spark.read and df.write, as PySpark's DataFrameReader and DataFrameWriter.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/api/dataframe.h"

namespace ember {

class DataFrameReader {
 public:
  explicit DataFrameReader(std::shared_ptr<SessionState> session) : session_(std::move(session)) {}
  DataFrameReader& format(const std::string& source);
  DataFrameReader& option(const std::string& key, const std::string& value);
  DataFrameReader& option(const std::string& key, const char* value) { return option(key, std::string(value)); }
  DataFrameReader& option(const std::string& key, bool value) { return option(key, std::string(value ? "true" : "false")); }
  DataFrameReader& option(const std::string& key, int64_t value) { return option(key, std::to_string(value)); }
  DataFrameReader& options(const std::map<std::string, std::string>& opts);
  DataFrameReader& schema(const Schema& schema);
  DataFrameReader& schema(const std::string& ddl);
  // Files, directories or globs. Lists the files and settles the schema now (inferring it when
  // inferSchema is set), as Spark does; a missing path fails here.
  DataFrame csv(const std::string& path);
  DataFrame csv(const std::vector<std::string>& paths);
  // Parquet files, directories (with partition discovery: key=value subdirectories become
  // columns) or globs. The schema comes from the files' footers (one file's, or all files' merged
  // with option mergeSchema=true), or from schema().
  DataFrame parquet(const std::string& path);
  DataFrame parquet(const std::vector<std::string>& paths);
  template <class... Ps>
  DataFrame parquet(const std::string& first, const std::string& second, const Ps&... more) {
    return parquet(std::vector<std::string>{first, second, std::string(more)...});
  }
  // JSON lines files (or, with multiLine, one JSON value per file), directories or globs. The
  // schema is inferred from every record, as Spark does, unless schema() gives it.
  DataFrame json(const std::string& path);
  DataFrame json(const std::vector<std::string>& paths);
  DataFrame load(const std::string& path);

 private:
  std::shared_ptr<SessionState> session_;
  std::string format_ = "csv";
  std::map<std::string, std::string> options_;
  std::unique_ptr<Schema> schema_;
};

class DataFrameWriter {
 public:
  explicit DataFrameWriter(DataFrame df) : df_(std::move(df)) {}
  // "error"/"errorifexists" (default), "overwrite", "append", "ignore".
  DataFrameWriter& mode(const std::string& mode);
  DataFrameWriter& format(const std::string& source);
  DataFrameWriter& option(const std::string& key, const std::string& value);
  DataFrameWriter& option(const std::string& key, const char* value) { return option(key, std::string(value)); }
  DataFrameWriter& option(const std::string& key, bool value) { return option(key, std::string(value ? "true" : "false")); }
  DataFrameWriter& options(const std::map<std::string, std::string>& opts);
  DataFrameWriter& partition_by(const std::vector<std::string>& cols);
  template <class... Ns>
  DataFrameWriter& partition_by(const std::string& col, const Ns&... more) {
    return partition_by(std::vector<std::string>{col, std::string(more)...});
  }
  // Writes a directory of part files plus _SUCCESS, atomically (see io/dataset/output_committer.h).
  void csv(const std::string& path);
  // Parquet part files (SNAPPY unless option compression says otherwise), same layout and commit.
  void parquet(const std::string& path);
  // JSON lines part files (part-*.json): one object per row, null fields left out; same layout
  // and commit.
  void json(const std::string& path);
  void save(const std::string& path);

 private:
  void write_files(const std::string& path, const std::string& format);

  DataFrame df_;
  std::string mode_ = "error";
  std::string format_ = "csv";
  std::map<std::string, std::string> options_;
  std::vector<std::string> partition_by_;
};

}  // namespace ember
