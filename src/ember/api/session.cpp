#include "ember/api/session.h"

#include <chrono>
#include <cstdlib>
#include <optional>

#include "ember/api/dataframe.h"
#include "ember/api/query_execution.h"
#include "ember/api/reader_writer.h"
#include "ember/api/session_state.h"
#include "ember/common/error.h"
#include "ember/optimizer/optimizer.h"
#include "ember/types/temporal.h"
#include "ember/types/time_zone.h"

namespace ember {

namespace {

std::mutex g_default_mu;
std::shared_ptr<SessionState> g_default_session;

bool parse_bool_setting(const std::string& key, const std::string& value) {
  std::string v = to_lower(value);
  if (v == "true") return true;
  if (v == "false") return false;
  throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
              "The value '" + value + "' in the config \"" + key + "\" is invalid: expected true or false");
}

int64_t parse_int_setting(const std::string& key, const std::string& value) {
  try {
    size_t used = 0;
    int64_t v = std::stoll(value, &used);
    if (used == value.size()) return v;
  } catch (const std::exception&) {
  }
  throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
              "The value '" + value + "' in the config \"" + key + "\" is invalid: expected an integer");
}

// Spark's byte-size settings accept a plain number of bytes or a unit: "10485760", "10m", "10MB".
int64_t parse_bytes_setting(const std::string& key, const std::string& value) {
  std::string v = to_lower(value);
  int64_t unit = 1;
  auto strip = [&](const char* suffix, int64_t scale) {
    size_t n = std::char_traits<char>::length(suffix);
    if (unit == 1 && v.size() > n && v.compare(v.size() - n, n, suffix) == 0) {
      v.resize(v.size() - n);
      unit = scale;
    }
  };
  strip("kb", 1LL << 10);
  strip("mb", 1LL << 20);
  strip("gb", 1LL << 30);
  strip("k", 1LL << 10);
  strip("m", 1LL << 20);
  strip("g", 1LL << 30);
  strip("b", 1);
  try {
    int64_t n = parse_int_setting(key, v.empty() ? value : v);
    return n < 0 ? n : n * unit;
  } catch (const EmberError&) {
    throw_error(
        ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
        "The value '" + value + "' in the config \"" + key +
            "\" is invalid: expected a number of bytes, optionally with a unit (10485760, 10m, 10MB, 1g)");
  }
}

std::shared_ptr<SessionState> start_session(std::map<std::string, std::string> settings) {
  auto state = std::make_shared<SessionState>();
  if (auto it = settings.find("spark.master"); it != settings.end()) state->master = it->second;
  if (auto it = settings.find("spark.app.name"); it != settings.end()) state->app_name = it->second;
  state->settings = std::move(settings);
  LocalMaster master = parse_local_master_spec(state->master);
  state->backend = std::make_unique<LocalExecutorBackend>(master.threads);
  int64_t shuffle_memory = parse_int_setting(
      "spark.ember.shuffle.memoryLimitBytes", state->setting("spark.ember.shuffle.memoryLimitBytes", "1073741824"));
  state->shuffle = std::make_unique<LocalShuffleManager>(shuffle_memory);
  SchedulerOptions options;
  options.max_task_attempts = static_cast<int>(
      parse_int_setting("spark.task.maxFailures", state->setting("spark.task.maxFailures", std::to_string(master.max_failures))));
  options.show_progress = parse_bool_setting("spark.ui.showConsoleProgress", state->setting("spark.ui.showConsoleProgress", "true"));
  state->scheduler = std::make_unique<Scheduler>(*state->backend, *state->shuffle, options);
  state->blocks = std::make_unique<BlockManager>(state->storage_memory_limit());
  return state;
}

}  // namespace

const std::map<std::string, std::string>& default_settings() {
  static const std::map<std::string, std::string> kDefaults = {
      {"spark.sql.ansi.enabled", "true"},
      {"spark.sql.caseSensitive", "false"},
      {"spark.sql.statistics.ndv.maxError", "0.05"},
      {"spark.sql.statistics.size.autoUpdate.enabled", "false"},
      {"spark.sql.optimizer.excludedRules", ""},
      {"spark.sql.files.maxPartitionBytes", "134217728"},
      {"spark.sql.autoBroadcastJoinThreshold", "10485760"},
      {"spark.ember.join.maxBuildBytes", "4294967296"},
      {"spark.ember.parquet.lateMaterialization", "true"},
      {"spark.ui.showConsoleProgress", "true"},
      {"spark.ember.shuffle.memoryLimitBytes", "1073741824"},
      {"spark.ember.storage.memoryLimitBytes", "2147483648"},
      {"spark.rdd.compress", "false"},
      {"spark.sql.adaptive.enabled", "true"},
      {"spark.sql.adaptive.coalescePartitions.enabled", "true"},
      {"spark.sql.adaptive.coalescePartitions.parallelismFirst", "true"},
      {"spark.sql.adaptive.coalescePartitions.minPartitionSize", "1MB"},
      {"spark.sql.adaptive.advisoryPartitionSizeInBytes", "64MB"},
      {"spark.sql.adaptive.skewJoin.enabled", "true"},
      {"spark.sql.adaptive.skewJoin.skewedPartitionFactor", "5.0"},
      {"spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "256MB"},
      {"spark.sql.optimizer.runtime.bloomFilter.enabled", "true"},
      {"spark.sql.cbo.enabled", "true"},
      {"spark.sql.cbo.joinReorder.enabled", "true"},
      {"spark.sql.cbo.joinReorder.dpThreshold", "12"},
  };
  return kDefaults;
}

std::string SessionState::setting(const std::string& key, const std::string& fallback) const {
  auto it = settings.find(key);
  return it == settings.end() ? fallback : it->second;
}

bool SessionState::ansi() const {
  return parse_bool_setting("spark.sql.ansi.enabled", setting("spark.sql.ansi.enabled", "true"));
}

const TimeZone& SessionState::time_zone() const {
  return *TimeZone::find(setting("spark.sql.session.timeZone", TimeZone::system_default_id()));
}

int SessionState::shuffle_partitions() const {
  // Spark's default is 200 with adaptive coalescing. ember coalesces adaptively too, but writing
  // 200 partitions per map task costs more than the coalescing saves on one machine, so the
  // default stays one partition per executor thread (measured: see docs/deviations.md).
  std::string v = setting("spark.sql.shuffle.partitions", "");
  if (v.empty()) return backend->parallelism();
  int64_t n = parse_int_setting("spark.sql.shuffle.partitions", v);
  if (n < 1) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE", "spark.sql.shuffle.partitions must be positive");
  }
  return static_cast<int>(n);
}

// Runtime filters (physical/runtime_filter_planner.cpp): Spark's keys.
constexpr const char* kRuntimeFilterEnabledConf = "spark.sql.optimizer.runtime.bloomFilter.enabled";
constexpr const char* kRuntimeFilterApplicationSideConf =
    "spark.sql.optimizer.runtime.bloomFilter.applicationSideScanSizeThreshold";
constexpr const char* kRuntimeFilterMaxItemsConf = "spark.sql.optimizer.runtime.bloomFilter.maxNumItems";
constexpr const char* kRuntimeFilterMaxBitsConf = "spark.sql.optimizer.runtime.bloomFilter.maxNumBits";

PhysicalPlannerOptions SessionState::planner_options() const {
  PhysicalPlannerOptions o;
  o.default_parallelism = backend->parallelism();
  o.shuffle_partitions = shuffle_partitions();
  o.max_partition_bytes = parse_int_setting("spark.sql.files.maxPartitionBytes",
                                            setting("spark.sql.files.maxPartitionBytes", "134217728"));
  o.ansi = ansi();
  o.auto_broadcast_threshold = parse_bytes_setting("spark.sql.autoBroadcastJoinThreshold",
                                                 setting("spark.sql.autoBroadcastJoinThreshold", "10485760"));
  o.join_max_build_bytes = parse_bytes_setting("spark.ember.join.maxBuildBytes",
                                             setting("spark.ember.join.maxBuildBytes", "4294967296"));
  o.subexpression_elimination =
      parse_bool_setting("spark.sql.subexpressionElimination.enabled",
                         setting("spark.sql.subexpressionElimination.enabled", "true"));
  o.runtime_filter_enabled =
      parse_bool_setting(kRuntimeFilterEnabledConf, setting(kRuntimeFilterEnabledConf, "true"));
  o.runtime_filter_application_side_bytes = parse_bytes_setting(
      kRuntimeFilterApplicationSideConf, setting(kRuntimeFilterApplicationSideConf, "8388608"));
  o.runtime_filter_max_items =
      parse_int_setting(kRuntimeFilterMaxItemsConf, setting(kRuntimeFilterMaxItemsConf, "1000000"));
  o.runtime_filter_max_bits =
      parse_int_setting(kRuntimeFilterMaxBitsConf, setting(kRuntimeFilterMaxBitsConf, "67108864"));
  o.cbo_enabled = cbo_options().enabled;
  o.parquet_late_materialization = parse_bool_setting(
      "spark.ember.parquet.lateMaterialization", setting("spark.ember.parquet.lateMaterialization", "true"));
  return o;
}

SessionState::StatisticsOptions SessionState::statistics_options() const {
  StatisticsOptions o;
  const std::string key = "spark.sql.statistics.ndv.maxError";
  const std::string value = setting(key, "0.05");
  char* end = nullptr;
  o.ndv_max_error = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !(o.ndv_max_error > 0)) {
    throw_error(
        ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
        "The value '" + value + "' in the config \"" + key + "\" is invalid: expected a positive number");
  }
  o.size_auto_update = parse_bool_setting("spark.sql.statistics.size.autoUpdate.enabled",
                                          setting("spark.sql.statistics.size.autoUpdate.enabled", "false"));
  return o;
}

CboOptions SessionState::cbo_options() const {
  CboOptions o;
  o.enabled = parse_bool_setting("spark.sql.cbo.enabled", setting("spark.sql.cbo.enabled", "true"));
  o.join_reorder = o.enabled && parse_bool_setting("spark.sql.cbo.joinReorder.enabled",
                                                   setting("spark.sql.cbo.joinReorder.enabled", "true"));
  const int64_t dp = parse_int_setting("spark.sql.cbo.joinReorder.dpThreshold",
                                       setting("spark.sql.cbo.joinReorder.dpThreshold", "12"));
  if (dp < 1 || dp > 20) {
    // Spark checks > 0; past 20 inputs exhaustive search would take minutes, so ember stops there.
    throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
                "The value '" + std::to_string(dp) +
                    "' in the config \"spark.sql.cbo.joinReorder.dpThreshold\" is invalid: expected 1 to 20");
  }
  o.dp_threshold = static_cast<int>(dp);
  return o;
}

int64_t SessionState::storage_memory_limit() const {
  return parse_bytes_setting("spark.ember.storage.memoryLimitBytes",
                             setting("spark.ember.storage.memoryLimitBytes", "2147483648"));
}

bool SessionState::rdd_compress() const {
  return parse_bool_setting("spark.rdd.compress", setting("spark.rdd.compress", "false"));
}

AdaptiveOptions SessionState::adaptive_options() const {
  AdaptiveOptions o;
  auto flag = [&](const char* key, const char* fallback) {
    return parse_bool_setting(key, setting(key, fallback));
  };
  auto bytes = [&](const char* key, const char* fallback) {
    return parse_bytes_setting(key, setting(key, fallback));
  };
  o.enabled = flag("spark.sql.adaptive.enabled", "true");
  o.coalesce_partitions = flag("spark.sql.adaptive.coalescePartitions.enabled", "true");
  o.advisory_partition_bytes = bytes("spark.sql.adaptive.advisoryPartitionSizeInBytes", "64MB");
  o.min_partition_bytes = bytes("spark.sql.adaptive.coalescePartitions.minPartitionSize", "1MB");
  // Spark's parallelismFirst: at least as many coalesced partitions as executor threads.
  const std::string min_num = setting("spark.sql.adaptive.coalescePartitions.minPartitionNum", "");
  if (!min_num.empty()) {
    o.min_partition_num =
        static_cast<int>(parse_int_setting("spark.sql.adaptive.coalescePartitions.minPartitionNum", min_num));
  } else {
    o.min_partition_num =
        flag("spark.sql.adaptive.coalescePartitions.parallelismFirst", "true") ? backend->parallelism() : 1;
  }
  if (o.min_partition_num < 1 || o.advisory_partition_bytes <= 0) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
                "spark.sql.adaptive.advisoryPartitionSizeInBytes and coalescePartitions.minPartitionNum must "
                "be positive");
  }
  o.skew_join = flag("spark.sql.adaptive.skewJoin.enabled", "true");
  const std::string factor_key = "spark.sql.adaptive.skewJoin.skewedPartitionFactor";
  const std::string factor = setting(factor_key, "5.0");
  try {
    size_t used = 0;
    o.skewed_partition_factor = std::stod(factor, &used);
    if (used != factor.size() || o.skewed_partition_factor < 0) throw std::invalid_argument(factor);
  } catch (const std::exception&) {
    throw_error(ErrorKind::kIllegalArgument, "INVALID_CONF_VALUE",
                "The value '" + factor + "' in the config \"" + factor_key +
                    "\" is invalid: expected a non-negative number");
  }
  o.skewed_partition_threshold_bytes =
      bytes("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "256MB");
  // Spark: defaults to spark.sql.autoBroadcastJoinThreshold.
  const std::string broadcast = setting("spark.sql.adaptive.autoBroadcastJoinThreshold", "");
  o.broadcast_threshold =
      broadcast.empty() ? planner_options().auto_broadcast_threshold
                        : parse_bytes_setting("spark.sql.adaptive.autoBroadcastJoinThreshold", broadcast);
  return o;
}

EvalContext SessionState::new_eval_context() const {
  EvalContext ctx;
  ctx.ansi = ansi();
  ctx.time_zone = &time_zone();
  auto now = std::chrono::system_clock::now();
  ctx.current_timestamp = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  ctx.current_date = micros_to_days(ctx.current_timestamp, *ctx.time_zone);
  return ctx;
}

void SessionState::ensure_running() const {
  if (stopped) throw_error(ErrorKind::kIllegalArgument, "this session has been stopped");
}

void SessionState::check_settings() const {
  (void)ansi();
  (void)time_zone();
  (void)planner_options();
  (void)storage_memory_limit();
  (void)rdd_compress();
  (void)adaptive_options();
  (void)statistics_options();
  (void)Optimizer::parse_excluded(setting("spark.sql.optimizer.excludedRules", ""));
  (void)optimizer_options(*this);
}

void RuntimeConfig::set(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->settings.find(key);
  std::optional<std::string> previous;
  if (it != state_->settings.end()) previous = it->second;
  state_->settings[key] = value;
  try {
    state_->check_settings();
  } catch (...) {
    // A rejected value leaves the setting as it was, so the session keeps working.
    if (previous) state_->settings[key] = *previous;
    else state_->settings.erase(key);
    throw;
  }
}

std::optional<std::string> SessionState::effective_setting(const std::string& key) const {
  if (auto it = settings.find(key); it != settings.end()) return it->second;
  // Defaults that depend on the session: the executor's thread count, the machine's time zone.
  if (key == "spark.sql.shuffle.partitions") return std::to_string(backend->parallelism());
  if (key == "spark.sql.session.timeZone") return TimeZone::system_default_id();
  if (auto it = default_settings().find(key); it != default_settings().end()) return it->second;
  return std::nullopt;
}

std::string RuntimeConfig::get(const std::string& key) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (std::optional<std::string> v = state_->effective_setting(key)) return *v;
  throw_error(ErrorKind::kIllegalArgument, "SQL_CONF_NOT_FOUND", "The SQL config \"" + key + "\" cannot be found");
}

std::string RuntimeConfig::get(const std::string& key, const std::string& fallback) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->setting(key, fallback);
}

void RuntimeConfig::unset(const std::string& key) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->settings.erase(key);
}

Session::Builder Session::builder() { return Builder(); }

Session::Builder& Session::Builder::app_name(const std::string& name) {
  settings_["spark.app.name"] = name;
  return *this;
}

Session::Builder& Session::Builder::master(const std::string& master) {
  settings_["spark.master"] = master;
  return *this;
}

Session::Builder& Session::Builder::config(const std::string& key, const std::string& value) {
  settings_[key] = value;
  return *this;
}

Session Session::Builder::get_or_create() {
  std::lock_guard<std::mutex> lock(g_default_mu);
  if (g_default_session && !g_default_session->stopped) {
    // As in Spark, options given to a later builder apply to the existing session's SQL conf.
    for (const auto& [k, v] : settings_) {
      if (k != "spark.master") g_default_session->settings[k] = v;
    }
    return Session(g_default_session);
  }
  g_default_session = start_session(settings_);
  return Session(g_default_session);
}

Session Session::new_session() const { return Session(start_session(state_->settings)); }

DataFrameReader Session::read() const { return DataFrameReader(state_); }

DataFrame Session::range(int64_t end) const { return range(0, end, 1, 0); }

PlanPtr make_range_plan(const SessionState& state, int64_t start, int64_t end, int64_t step, int num_partitions) {
  if (step == 0) throw_error(ErrorKind::kIllegalArgument, "range(): step cannot be 0");
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kRange;
  src->schema = Schema({Field{"id", DataType::int64(), false}});
  src->start = start;
  src->end = end;
  src->step = step;
  src->num_partitions = num_partitions > 0 ? num_partitions : state.backend->parallelism();
  return make_relation(src);
}

DataFrame Session::range(int64_t start, int64_t end, int64_t step, int num_partitions) const {
  return DataFrame(state_, make_range_plan(*state_, start, end, step, num_partitions));
}

DataFrame Session::create_data_frame(const std::vector<std::vector<Value>>& rows, const Schema& schema) const {
  auto src = std::make_shared<DataSource>();
  src->kind = SourceKind::kLocalRows;
  src->schema = schema;
  for (size_t start = 0; start < rows.size() || (start == 0 && rows.empty()); start += kBatchSize) {
    size_t n = std::min(kBatchSize, rows.size() - start);
    Batch b;
    b.num_rows = n;
    for (size_t c = 0; c < schema.size(); ++c) {
      std::vector<Value> col;
      for (size_t r = start; r < start + n; ++r) {
        const auto& row = rows[r];
        if (row.size() != schema.size()) {
          throw_error(ErrorKind::kIllegalArgument, "AXIS_LENGTH_MISMATCH",
                      "row " + std::to_string(r) + " has " + std::to_string(row.size()) + " values but the schema has " +
                          std::to_string(schema.size()) + " fields");
        }
        const Value& v = row[c];
        if (!v.is_null() && v.type() != schema.field(c).type) {
          throw_error(ErrorKind::kIllegalArgument, "FIELD_DATA_TYPE_UNACCEPTABLE",
                      "row " + std::to_string(r) + ", field '" + schema.field(c).name + "': value of type " +
                          v.type().simple_string() + " does not match the schema type " +
                          schema.field(c).type.simple_string());
        }
        col.push_back(v);
      }
      b.columns.push_back(Vector::from_values(schema.field(c).type, col));
    }
    if (n > 0) src->batches.push_back(std::move(b));
    if (rows.empty()) break;
  }
  return DataFrame(state_, make_relation(src));
}

DataFrame Session::create_data_frame(const std::vector<std::vector<Value>>& rows, const std::string& ddl_schema) const {
  return create_data_frame(rows, parse_ddl_schema(ddl_schema));
}

const std::string& Session::version() const {
  static const std::string kVersion = "0.1.0";
  return kVersion;
}

int Session::cancel_all_jobs() const { return state_->scheduler->cancel_all_jobs(); }

void Session::stop() {
  std::lock_guard<std::mutex> lock(state_->job_mu);
  state_->stopped = true;
}

}  // namespace ember
