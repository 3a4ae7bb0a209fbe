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
#include "ember/io/dataset/partition_discovery.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/io/parquet/parquet_writer.h"
#include "ember/io/fs/local_file_system.h"
#include "ember/io/json/json_reader.h"
#include "ember/io/json/json_writer.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

// The corrupt-record column's name (CSV and JSON) defaults to the session's
// spark.sql.columnNameOfCorruptRecord.
void default_corrupt_record_column(const SessionState& session, std::map<std::string, std::string>& options) {
  bool corrupt_named = false;
  for (const auto& [key, value] : options) corrupt_named |= equals_ignore_case(key, "columnNameOfCorruptRecord");
  std::string session_corrupt = session.setting("spark.sql.columnNameOfCorruptRecord", "");
  if (!corrupt_named && !session_corrupt.empty()) options["columnNameOfCorruptRecord"] = session_corrupt;
}

std::string checked_format(const std::string& format) {
  std::string f = to_lower(format);
  if (f != "csv" && f != "parquet" && f != "json") {
    throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_DATASOURCE",
                "data source '" + format + "' is not supported yet; ember reads and writes csv, parquet and json");
  }
  return f;
}

// One part file being written, whatever the format.
class PartFileWriter {
 public:
  virtual ~PartFileWriter() = default;
  virtual void write(const Batch& batch) = 0;
  virtual void close() = 0;
};

class CsvPartWriter final : public PartFileWriter {
 public:
  CsvPartWriter(const std::string& path, const Schema& schema, const CsvOptions& options, const TimeZone& tz)
      : writer_(path, schema, options, tz) {}
  void write(const Batch& batch) override { writer_.write(batch); }
  void close() override { writer_.close(); }

 private:
  CsvWriter writer_;
};

class JsonPartWriter final : public PartFileWriter {
 public:
  JsonPartWriter(const std::string& path, const Schema& schema, const TimeZone& tz) : writer_(path, schema, tz) {}
  void write(const Batch& batch) override { writer_.write(batch); }
  void close() override { writer_.close(); }

 private:
  JsonWriter writer_;
};

class ParquetPartWriter final : public PartFileWriter {
 public:
  ParquetPartWriter(const std::string& path, const Schema& schema, const ParquetWriteOptions& options)
      : writer_(path, schema, options) {}
  void write(const Batch& batch) override { writer_.write(batch); }
  void close() override { writer_.close(); }

 private:
  ParquetFileWriter writer_;
};

// Spark's part-file suffix for a Parquet codec: part-00000-<uuid>-c000.snappy.parquet.
std::string parquet_extension(parquet::CompressionCodec codec) {
  switch (codec) {
    case parquet::CompressionCodec::kSnappy: return ".snappy.parquet";
    case parquet::CompressionCodec::kGzip: return ".gz.parquet";
    case parquet::CompressionCodec::kZstd: return ".zstd.parquet";
    case parquet::CompressionCodec::kLz4Raw: return ".lz4raw.parquet";
    default: return ".parquet";
  }
}

// Spark checks a file format can hold every column before any job runs: every type but void
// (at any depth) and structs without fields.
bool parquet_can_hold(const DataType& t) {
  switch (t.id()) {
    case TypeId::kNull: return false;
    case TypeId::kArray: return parquet_can_hold(t.element_type());
    case TypeId::kMap: return parquet_can_hold(t.key_type()) && parquet_can_hold(t.value_type());
    case TypeId::kStruct:
      if (t.fields().empty()) return false;
      for (const Field& f : t.fields()) {
        if (!parquet_can_hold(f.type)) return false;
      }
      return true;
    default: return true;
  }
}

void verify_parquet_schema(const Schema& schema) {
  for (const auto& f : schema.fields()) {
    if (parquet_can_hold(f.type)) continue;
    throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                "The Parquet datasource doesn't support the column `" + f.name + "` of the type \"" +
                    f.type.sql_string() + "\".");
  }
}

// The source's schema: the data files' columns, then the partition columns (key=value
// directories), unless the data files hold a column of the same name.
void attach_partition_columns(DataSource& src, const Schema& data, const DiscoveredPartitions& partitions) {
  std::vector<Field> fields = data.fields();
  std::vector<size_t> kept_partitions;
  for (size_t c = 0; c < partitions.schema.size(); ++c) {
    if (data.index_of(partitions.schema.field(c).name) >= 0) continue;
    fields.push_back(partitions.schema.field(c));
    kept_partitions.push_back(c);
  }
  src.partition_columns = static_cast<int>(kept_partitions.size());
  for (const auto& values : partitions.file_values) {
    std::vector<Value> kept;
    for (size_t c : kept_partitions) kept.push_back(values[c]);
    src.file_partition_values.push_back(std::move(kept));
  }
  src.schema = Schema(std::move(fields));
}

// The schema of a set of Parquet files: the first file's, or (mergeSchema) the union of all by
// name; every field nullable, as Spark's file sources make them.
Schema parquet_schema_of(const std::vector<FileInfo>& files, bool merge, const ParquetReadOptions& options) {
  std::vector<Field> fields;
  std::vector<std::string> field_file;
  const size_t count = merge ? files.size() : 1;
  for (size_t i = 0; i < count; ++i) {
    auto reader = ParquetFileReader::open(files[i].path, options);
    for (const auto& f : reader->schema().fields()) {
      auto it = std::find_if(fields.begin(), fields.end(), [&](const Field& g) { return equals_ignore_case(g.name, f.name); });
      if (it == fields.end()) {
        fields.push_back(Field{f.name, f.type, true});
        field_file.push_back(files[i].path);
      } else if (it->type != f.type) {
        throw_error(ErrorKind::kAnalysis, "CANNOT_MERGE_SCHEMAS",
                    "Failed merging schemas: column '" + f.name + "' is " + it->type.simple_string() + " in " +
                        field_file[static_cast<size_t>(it - fields.begin())] + " but " + f.type.simple_string() + " in " +
                        files[i].path);
      }
    }
  }
  return Schema(std::move(fields));
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
  default_corrupt_record_column(*session_, options_);
  CsvOptions options = CsvOptions::parse(options_);
  std::vector<FileInfo> files = list_input_files(paths);
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kCsv;
  src->paths = paths;
  src->options = options_;
  for (const auto& f : files) src->files.emplace_back(f.path, f.size);
  if (schema_) {
    CsvWriter::verify_schema(*schema_);  // CSV reads and writes the same (atomic) types
    check_corrupt_record_column(*schema_, options);
    src->schema = *schema_;
  } else {
    src->schema = infer_csv_schema(files, options, session_->time_zone());
  }
  return DataFrame(session_, make_relation(src));
}

DataFrame DataFrameReader::parquet(const std::string& path) { return parquet(std::vector<std::string>{path}); }

DataFrame DataFrameReader::parquet(const std::vector<std::string>& paths) {
  session_->ensure_running();
  const ParquetReadOptions read_options = ParquetReadOptions::parse(options_);
  std::vector<FileInfo> files = list_input_files(paths);
  DiscoveredPartitions partitions = discover_partitions(paths, files);
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kParquet;
  src->paths = paths;
  src->options = options_;
  for (const auto& f : files) src->files.emplace_back(f.path, f.size);
  Schema data;
  if (schema_) {
    data = *schema_;
  } else {
    if (files.empty()) {
      throw_error(ErrorKind::kAnalysis, "UNABLE_TO_INFER_SCHEMA",
                  "Unable to infer schema for Parquet at " + paths[0] + ": it holds no data files. It must be specified manually.");
    }
    auto merge = options_.find("mergeschema");
    data = parquet_schema_of(files, merge != options_.end() && to_lower(merge->second) == "true", read_options);
  }
  attach_partition_columns(*src, data, partitions);
  return DataFrame(session_, make_relation(src));
}

DataFrame DataFrameReader::json(const std::string& path) { return json(std::vector<std::string>{path}); }

DataFrame DataFrameReader::json(const std::vector<std::string>& paths) {
  session_->ensure_running();
  default_corrupt_record_column(*session_, options_);
  JsonOptions options = JsonOptions::parse(options_);
  std::vector<FileInfo> files = list_input_files(paths);
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kJson;
  src->paths = paths;
  src->options = options_;
  for (const auto& f : files) src->files.emplace_back(f.path, f.size);
  Schema data = schema_ ? *schema_ : infer_json_schema(files, options, session_->backend->parallelism());
  check_json_read_schema(data, options);
  attach_partition_columns(*src, data, discover_partitions(paths, files));
  return DataFrame(session_, make_relation(src));
}

DataFrame DataFrameReader::load(const std::string& path) {
  if (to_lower(format_) == "json") return json(path);
  if (checked_format(format_) == "parquet") return parquet(path);
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

void DataFrameWriter::save(const std::string& path) { write_files(path, checked_format(format_)); }

void DataFrameWriter::csv(const std::string& path) { write_files(path, "csv"); }

void DataFrameWriter::parquet(const std::string& path) { write_files(path, "parquet"); }

void DataFrameWriter::json(const std::string& path) { write_files(path, "json"); }

void DataFrameWriter::write_files(const std::string& path, const std::string& format) {
  auto session = df_.session();
  session->ensure_running();
  QueryExecution qe(session, df_.analyzed());
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
  // Formats and options are checked before the target is touched, as Spark checks at planning.
  const bool is_parquet = format == "parquet";
  const bool is_json = format == "json";  // every type has a JSON form
  if (is_parquet) verify_parquet_schema(data_schema);
  else if (!is_json) CsvWriter::verify_schema(data_schema);
  if (is_json) {
    auto compression = options_.find("compression");
    if (compression != options_.end() && to_lower(compression->second) != "none" &&
        to_lower(compression->second) != "uncompressed") {
      throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                  "ember writes uncompressed JSON only; got compression '" + compression->second + "'");
    }
    // The JSON text is the shared formatter's (Spark's defaults); refuse to ignore a request for
    // another form rather than write something else than asked.
    for (const char* option : {"dateformat", "timestampformat", "ignorenullfields", "timestampntzformat"}) {
      if (options_.count(option) > 0) {
        throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_FEATURE",
                    std::string("ember's JSON writer does not support the option '") + option +
                        "' yet; it writes Spark's default forms");
      }
    }
  }
  const CsvOptions options = is_parquet || is_json ? CsvOptions() : CsvOptions::parse(options_);
  const ParquetWriteOptions parquet_options = is_parquet ? ParquetWriteOptions::parse(options_) : ParquetWriteOptions();
  const std::string extension = is_parquet ? parquet_extension(parquet_options.compression) : is_json ? ".json" : ".csv";
  const TimeZone& tz = session->time_zone();
  auto open_part = [&](const std::string& file) -> std::unique_ptr<PartFileWriter> {
    if (is_parquet) return std::make_unique<ParquetPartWriter>(file, data_schema, parquet_options);
    if (is_json) return std::make_unique<JsonPartWriter>(file, data_schema, tz);
    return std::make_unique<CsvPartWriter>(file, data_schema, options, tz);
  };
  qe.physical();  // plan (and fail on a bad plan) before touching the file system
  // maxRecordsPerFile (option, or spark.sql.files.maxRecordsPerFile; 0: unlimited).
  auto option_or_conf = [&](const char* option, const char* conf, const std::string& fallback) {
    auto it = options_.find(to_lower(option));
    return it != options_.end() ? it->second : session->setting(conf, fallback);
  };
  int64_t max_records = 0;
  {
    std::string v = option_or_conf("maxRecordsPerFile", "spark.sql.files.maxRecordsPerFile", "0");
    try {
      size_t used = 0;
      max_records = std::stoll(v, &used);
      if (used != v.size()) throw std::invalid_argument(v);
    } catch (const std::exception&) {
      throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE", "maxRecordsPerFile must be an integer, got '" + v + "'");
    }
  }
  const std::string overwrite_mode =
      to_lower(option_or_conf("partitionOverwriteMode", "spark.sql.sources.partitionOverwriteMode", "static"));
  if (overwrite_mode != "static" && overwrite_mode != "dynamic") {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
                "partitionOverwriteMode must be 'static' or 'dynamic', got '" + overwrite_mode + "'");
  }
  OutputCommitter committer(path, parse_save_mode(mode_), "job_" + std::to_string(session->next_job_id));
  committer.set_dynamic_partition_overwrite(overwrite_mode == "dynamic" && !partition_cols.empty());
  if (!committer.setup_job()) return;  // mode ignore and the target exists
  try {
    qe.run(
        [&](TaskContext& task, Operator& pipeline) {
          const std::string attempt = task.attempt_id();
          const std::filesystem::path dir = committer.task_attempt_dir(attempt);
          // The open part file of each partition directory ("" without partitioning).
          struct OpenPart {
            std::unique_ptr<PartFileWriter> writer;
            int64_t rows = 0;
            int file_number = 0;
          };
          std::map<std::string, OpenPart> writers;
          // Appends rows to a directory's part file, starting a new file (c001, c002, ...) each
          // time maxRecordsPerFile rows have gone into the current one.
          auto emit = [&](const std::string& key, const Batch& data) {
            OpenPart& part = writers[key];
            size_t offset = 0;
            while (offset < data.num_rows) {
              if (part.writer && max_records > 0 && part.rows >= max_records) {
                part.writer->close();
                part.writer.reset();
                ++part.file_number;
                part.rows = 0;
              }
              if (!part.writer) {
                std::filesystem::path sub = dir / key;
                std::filesystem::create_directories(sub);
                part.writer = open_part((sub / committer.part_file_name(task.partition, extension, part.file_number)).string());
              }
              size_t take = data.num_rows - offset;
              if (max_records > 0) take = std::min<size_t>(take, static_cast<size_t>(max_records - part.rows));
              if (offset == 0 && take == data.num_rows) {
                part.writer->write(data);
              } else {
                SelectionVector sel(take);
                for (size_t i = 0; i < take; ++i) sel[i] = static_cast<uint32_t>(offset + i);
                part.writer->write(data.select(sel.data(), sel.size()));
              }
              part.rows += static_cast<int64_t>(take);
              offset += take;
            }
          };
          try {
            Batch b;
            while (pipeline.next(b)) {
              task.check_cancelled();
              if (partition_cols.empty()) {
                emit("", b);
                continue;
              }
              // Route each row to its partition directory's writer.
              std::map<std::string, SelectionVector> groups;
              for (size_t r = 0; r < b.num_rows; ++r) {
                std::string key;
                for (int c : partition_cols) {
                  const Vector& v = *b.columns[static_cast<size_t>(c)];
                  std::string value =
                      partition_directory_value(v.is_null(r) ? std::string() : v.value_at(r).to_string(tz), v.is_null(r));
                  key += schema.field(static_cast<size_t>(c)).name + "=" + value + "/";
                }
                groups[key].push_back(static_cast<uint32_t>(r));
              }
              for (auto& [key, sel] : groups) {
                Batch rows = b.select(sel.data(), sel.size());
                Batch data;
                data.num_rows = rows.num_rows;
                for (int c : data_cols) data.columns.push_back(rows.columns[static_cast<size_t>(c)]);
                emit(key, data);
              }
            }
            if (partition_cols.empty() && writers.empty()) {
              // Spark writes an empty part file (with the header, if any) for an empty result.
              if (task.partition == 0) {
                open_part((dir / committer.part_file_name(task.partition, extension)).string())->close();
              }
            }
            for (auto& [key, part] : writers) {
              if (part.writer) part.writer->close();
            }
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
