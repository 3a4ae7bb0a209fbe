#include "ember/api/reader_writer.h"

#include <filesystem>
#include <map>

#include "ember/api/query_execution.h"
#include "ember/api/session_state.h"
#include "ember/common/error.h"
#include "ember/io/csv/csv_options.h"
#include "ember/io/csv/csv_reader.h"
#include "ember/io/csv/csv_schema_inference.h"
#include "ember/io/csv/csv_writer.h"
#include "ember/io/dataset/output_committer.h"
#include "ember/io/fs/local_file_system.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

void require_csv(const std::string& format) {
  if (to_lower(format) != "csv") {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_DATASOURCE",
                "data source '" + format + "' is not supported yet; ember reads and writes csv (parquet and json come next)");
  }
}

// Spark escapes these characters in partition directory names (ExternalCatalogUtils).
std::string escape_partition_value(const std::string& value) {
  static const std::string kSpecial = "\"#%'*/:=?\\\x7f{[]^";
  std::string out;
  for (char c : value) {
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

}  // namespace

DataFrameReader& DataFrameReader::format(const std::string& source) {
  format_ = source;
  return *this;
}

DataFrameReader& DataFrameReader::option(const std::string& key, const std::string& value) {
  options_[to_lower(key)] = value;
  return *this;
}

DataFrameReader& DataFrameReader::options(const std::map<std::string, std::string>& opts) {
  for (const auto& [k, v] : opts) option(k, v);
  return *this;
}

DataFrameReader& DataFrameReader::schema(const Schema& schema) {
  schema_ = std::make_unique<Schema>(schema);
  return *this;
}

DataFrameReader& DataFrameReader::schema(const std::string& ddl) { return schema(parse_ddl_schema(ddl)); }

DataFrame DataFrameReader::csv(const std::string& path) { return csv(std::vector<std::string>{path}); }

DataFrame DataFrameReader::csv(const std::vector<std::string>& paths) {
  session_->ensure_running();
  CsvOptions options = CsvOptions::parse(options_);
  std::vector<FileInfo> files = list_input_files(paths);
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kCsv;
  src->paths = paths;
  src->options = options_;
  for (const auto& f : files) src->files.emplace_back(f.path, f.size);
  if (schema_) {
    src->schema = *schema_;
  } else {
    src->schema = infer_csv_schema(files, options, session_->time_zone());
  }
  return DataFrame(session_, make_relation(src));
}

DataFrame DataFrameReader::load(const std::string& path) {
  require_csv(format_);
  return csv(path);
}

DataFrameWriter& DataFrameWriter::mode(const std::string& mode) {
  parse_save_mode(mode);  // validates now, as Spark does
  mode_ = mode;
  return *this;
}

DataFrameWriter& DataFrameWriter::format(const std::string& source) {
  format_ = source;
  return *this;
}

DataFrameWriter& DataFrameWriter::option(const std::string& key, const std::string& value) {
  options_[to_lower(key)] = value;
  return *this;
}

DataFrameWriter& DataFrameWriter::options(const std::map<std::string, std::string>& opts) {
  for (const auto& [k, v] : opts) option(k, v);
  return *this;
}

DataFrameWriter& DataFrameWriter::partition_by(const std::vector<std::string>& cols) {
  partition_by_ = cols;
  return *this;
}

void DataFrameWriter::save(const std::string& path) {
  require_csv(format_);
  csv(path);
}

void DataFrameWriter::csv(const std::string& path) {
  auto session = df_.session();
  session->ensure_running();
  QueryExecution qe(session, df_.logical_plan());
  const Schema schema = qe.analyzed()->schema();
  // Partition columns leave the data files and become key=value directories, in the order given.
  std::vector<int> partition_cols;
  for (const auto& name : partition_by_) {
    int i = schema.index_of(name);
    if (i < 0) {
      throw_error(ErrorKind::kAnalysis, "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION",
                  "partition column '" + name + "' does not exist. Available: " + schema.to_ddl());
    }
    partition_cols.push_back(i);
  }
  if (!partition_cols.empty() && partition_cols.size() == schema.size()) {
    throw_error(ErrorKind::kAnalysis, "ALL_PARTITION_COLUMNS_NOT_ALLOWED", "Cannot use all columns for partition columns");
  }
  std::vector<int> data_cols;
  std::vector<Field> data_fields;
  for (size_t i = 0; i < schema.size(); ++i) {
    if (std::find(partition_cols.begin(), partition_cols.end(), static_cast<int>(i)) == partition_cols.end()) {
      data_cols.push_back(static_cast<int>(i));
      data_fields.push_back(schema.field(i));
    }
  }
  const Schema data_schema(data_fields);
  const CsvOptions options = CsvOptions::parse(options_);
  const TimeZone& tz = session->time_zone();
  qe.physical();  // plan (and fail on a bad plan) before touching the file system
  OutputCommitter committer(path, parse_save_mode(mode_), "job_" + std::to_string(session->next_job_id));
  if (!committer.setup_job()) return;  // mode ignore and the target exists
  try {
    qe.run(
        [&](TaskContext& task, Operator& pipeline) {
          const std::string attempt = task.attempt_id();
          const std::filesystem::path dir = committer.task_attempt_dir(attempt);
          std::map<std::string, std::unique_ptr<CsvWriter>> writers;  // by partition directory
          try {
            Batch b;
            while (pipeline.next(b)) {
              task.check_cancelled();
              if (partition_cols.empty()) {
                auto& w = writers[""];
                if (!w) w = std::make_unique<CsvWriter>((dir / committer.part_file_name(task.partition, ".csv")).string(),
                                                        data_schema, options, tz);
                w->write(b);
                continue;
              }
              // Route each row to its partition directory's writer.
              std::map<std::string, SelectionVector> groups;
              for (size_t r = 0; r < b.num_rows; ++r) {
                std::string key;
                for (int c : partition_cols) {
                  const Vector& v = *b.columns[static_cast<size_t>(c)];
                  std::string value = v.is_null(r) ? "__HIVE_DEFAULT_PARTITION__"
                                                    : escape_partition_value(v.value_at(r).to_string(tz));
                  if (!v.is_null(r) && value.empty()) value = "__HIVE_DEFAULT_PARTITION__";
                  key += schema.field(static_cast<size_t>(c)).name + "=" + value + "/";
                }
                groups[key].push_back(static_cast<uint32_t>(r));
              }
              for (auto& [key, sel] : groups) {
                auto& w = writers[key];
                if (!w) {
                  std::filesystem::path sub = dir / key;
                  std::filesystem::create_directories(sub);
                  w = std::make_unique<CsvWriter>((sub / committer.part_file_name(task.partition, ".csv")).string(),
                                                  data_schema, options, tz);
                }
                Batch rows = b.select(sel.data(), sel.size());
                Batch data;
                data.num_rows = rows.num_rows;
                for (int c : data_cols) data.columns.push_back(rows.columns[static_cast<size_t>(c)]);
                w->write(data);
              }
            }
            if (partition_cols.empty() && writers.empty()) {
              // Spark writes an empty part file (with the header, if any) for an empty result.
              if (task.partition == 0) {
                CsvWriter w((dir / committer.part_file_name(task.partition, ".csv")).string(), data_schema, options, tz);
                w.close();
              }
            }
            for (auto& [key, w] : writers) w->close();
            writers.clear();
            committer.commit_task(attempt);
          } catch (...) {
            writers.clear();
            committer.abort_task(attempt);
            throw;
          }
        },
        df_.metrics_ptr());
    committer.commit_job();
  } catch (...) {
    committer.abort_job();
    throw;
  }
}

}  // namespace ember
