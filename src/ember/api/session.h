#pragma once
// The entry point, as PySpark's SparkSession: Session::builder().master("local[2]").get_or_create().
// A session owns the configuration, the executor backend (threads in local mode), the shuffle
// manager and the scheduler; DataFrames hold a reference to the session that made them.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/api/row.h"
#include "ember/types/data_type.h"

namespace ember {

class DataFrame;
class DataFrameReader;
struct SessionState;

// spark.conf: string-valued settings with Spark's keys.
class RuntimeConfig {
 public:
  explicit RuntimeConfig(std::shared_ptr<SessionState> state) : state_(std::move(state)) {}
  void set(const std::string& key, const std::string& value);
  std::string get(const std::string& key) const;  // throws when unset and no default exists
  std::string get(const std::string& key, const std::string& fallback) const;
  void unset(const std::string& key);

 private:
  std::shared_ptr<SessionState> state_;
};

class Session {
 public:
  class Builder {
   public:
    Builder& app_name(const std::string& name);
    Builder& master(const std::string& master);  // "local", "local[N]", "local[*]"
    Builder& config(const std::string& key, const std::string& value);
    // The session made earlier by get_or_create in this process, or a new one.
    Session get_or_create();

   private:
    std::map<std::string, std::string> settings_;
  };

  static Builder builder();
  // A new session with its own configuration but sharing nothing else (Spark's newSession).
  Session new_session() const;

  DataFrameReader read() const;
  DataFrame range(int64_t end) const;
  DataFrame range(int64_t start, int64_t end, int64_t step = 1, int num_partitions = 0) const;
  // A DataFrame from rows (values must match the schema's types; nulls allowed).
  DataFrame create_data_frame(const std::vector<std::vector<Value>>& rows, const Schema& schema) const;
  DataFrame create_data_frame(const std::vector<std::vector<Value>>& rows, const std::string& ddl_schema) const;

  // Runs one Spark SQL statement (api/sql_session.cpp). A query returns a lazy DataFrame; a
  // command (CREATE/DROP VIEW, SET, SHOW TABLES, DESCRIBE, EXPLAIN, CACHE/UNCACHE TABLE) runs now
  // and returns its result rows, as spark.sql() does. Syntax errors are PARSE_SYNTAX_ERROR naming
  // the line and column.
  DataFrame sql(const std::string& query) const;

  RuntimeConfig conf() const { return RuntimeConfig(state_); }
  const std::string& version() const;
  // Stops the executors; DataFrames of a stopped session fail when run.
  void stop();
  // Cancels every job running in this session, from any thread (SparkContext.cancelAllJobs); each
  // cancelled action throws EmberError(kCancelled, SPARK_JOB_CANCELLED). Returns how many.
  int cancel_all_jobs() const;

  const std::shared_ptr<SessionState>& state() const { return state_; }

 private:
  explicit Session(std::shared_ptr<SessionState> state) : state_(std::move(state)) {}
  std::shared_ptr<SessionState> state_;
};

}  // namespace ember
