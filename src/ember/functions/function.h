#pragma once
// The contract between the analyzer, the expression evaluator and every function ember knows.
//
// A function is defined once, in the registry (functions/registry.h), by a FunctionDef: Spark's
// name, its arity, and a bind() that, given the argument types (and the values of arguments that
// are literals), either rejects the call with an analysis error or returns a BoundFunction: the
// result type, the type each argument must be cast to first (the analyzer inserts those casts),
// and the kernel that computes it over whole vectors.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/types/data_type.h"
#include "ember/types/value.h"
#include "ember/vector/vector.h"

namespace ember {

class TimeZone;

// What a kernel may read about the running query. One per task; never shared across threads.
struct EvalContext {
  bool ansi = true;                 // spark.sql.ansi.enabled
  const TimeZone* time_zone = nullptr;  // spark.sql.session.timeZone
  int32_t current_date = 0;         // days, fixed at query start (Spark's current_date())
  int64_t current_timestamp = 0;    // micros, fixed at query start
  // The task's partition (spark_partition_id, monotonically_increasing_id); set per task.
  int32_t partition_index = 0;
  // Rows the evaluating operator had seen in this task before the current batch, and, during one
  // kernel call, which input rows the n rows are (null: rows 0..n). monotonically_increasing_id
  // numbers a row by its position in the operator's input, as Spark counts rows per expression.
  int64_t row_offset = 0;
  const std::vector<uint32_t>* row_selection = nullptr;
};

// Computes one function over n rows. Arguments are flat vectors of n rows, or constant vectors
// when the function accepts them (BoundFunction::accepts_constants). Kernels are immutable and
// shared by every task, so eval() must be thread-safe; per-call state lives on the stack.
class ScalarKernel {
 public:
  virtual ~ScalarKernel() = default;
  virtual VectorPtr eval(const std::vector<VectorPtr>& args, size_t n, const EvalContext& ctx) const = 0;
};

struct BoundFunction {
  DataType result_type;
  std::vector<DataType> arg_types;  // the analyzer casts argument i to arg_types[i]
  std::shared_ptr<const ScalarKernel> kernel;
  bool accepts_constants = false;   // kernel handles constant vectors itself
  bool nullable = true;             // can the result be null when no argument is?
  // Row i's result depends on row i's argument values only and the kernel never raises an error,
  // so with one dictionary-encoded argument (the others constant) the evaluator may compute it
  // once per dictionary entry, for entries no selected row uses too, and look rows up by code.
  bool per_value = false;
};

// Facts bind() may use. `literals[i]` holds argument i's value when it is a literal.
struct BindContext {
  bool ansi = true;
  std::vector<std::optional<Value>> literals;
  // Argument i's name when it is a column or an alias (empty otherwise): struct(a, b) names its
  // fields after them, as Spark's CreateStruct does.
  std::vector<std::string> arg_names;
};

struct FunctionDef {
  std::string name;  // Spark's name, lower case
  int min_args = 0;
  int max_args = 0;  // -1: variadic
  // Throws EmberError(kAnalysis) naming the function and the types when the call is invalid.
  BoundFunction (*bind)(const std::vector<DataType>& arg_types, const BindContext& ctx) = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Aggregates. A hash aggregate keeps one row of state per group; each aggregate owns
// [offset, offset + state_size) of that row. Updates are vectorised: `rows[i]` is the state row
// of input row i (rows repeat when groups repeat).
class AggregateKernel {
 public:
  virtual ~AggregateKernel() = default;
  virtual size_t state_size() const = 0;
  virtual size_t state_align() const { return 8; }
  // Does the state own heap memory that destroy() must free?
  virtual bool needs_destroy() const { return false; }
  virtual void init(uint8_t* state) const = 0;
  virtual void destroy(uint8_t* state) const {}
  // Adds input rows: args are the bound argument vectors (flat), n rows.
  virtual void update(uint8_t* const* rows, size_t offset, const std::vector<VectorPtr>& args,
                      size_t n, const EvalContext& ctx) const = 0;
  // Partial aggregation ships states between stages as ordinary columns of these types.
  virtual std::vector<DataType> intermediate_types() const = 0;
  virtual void write_intermediate(uint8_t* const* rows, size_t offset, size_t n,
                                  std::vector<VectorPtr>& out) const = 0;
  virtual void merge_intermediate(uint8_t* const* rows, size_t offset,
                                  const std::vector<VectorPtr>& intermediate, size_t n,
                                  const EvalContext& ctx) const = 0;
  // Writes the final value of n groups into out (a vector of result_type, n rows).
  virtual void finalize(uint8_t* const* rows, size_t offset, size_t n, Vector& out,
                        const EvalContext& ctx) const = 0;
};

struct BoundAggregate {
  DataType result_type;
  std::vector<DataType> arg_types;
  std::shared_ptr<const AggregateKernel> kernel;
  bool nullable = true;
  // Aggregates whose partial states cannot be shipped (distinct) run in one complete phase.
  bool supports_partial = true;
};

struct AggregateDef {
  std::string name;
  int min_args = 0;
  int max_args = 0;
  BoundAggregate (*bind)(const std::vector<DataType>& arg_types, bool distinct, const BindContext& ctx) = nullptr;
};

}  // namespace ember
