#pragma once
// The operator contract. A task builds a tree of operators for one partition and pulls batches
// from its root until it returns false. Operators:
//  - own their children and any state they build (hash tables, sort buffers);
//  - may allocate per batch, never per row;
//  - return batches of at most about kBatchSize rows with flat or constant vectors; a returned
//    batch stays valid until the next call to next(). Dictionary-encoded string vectors (see
//    vector.h) reach only a parent that asked for them with request_dictionaries(): next() is the
//    one place that decodes them for every other consumer;
//  - count rows and batches out and time spent (including children) in `metrics`.
// Blocking operators (aggregate, sort) consume their whole input on the first next() call.
#include <memory>
#include <string>

#include "ember/vector/batch.h"

namespace ember {

struct OperatorStats {
  std::string name;
  int64_t rows_out = 0;
  int64_t batches_out = 0;
  int64_t nanos = 0;  // inclusive of children
};

class Operator {
 public:
  explicit Operator(std::string name) { stats_.name = std::move(name); }
  virtual ~Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  // Produces the next non-empty batch into `out`; false when the input is exhausted.
  bool next(Batch& out);
  const OperatorStats& stats() const { return stats_; }
  // Called by a parent that reads dictionary vectors (the filter, the projection, the hash
  // aggregate), before its first next(): this operator's batches then keep them as produced.
  // Producers (the Parquet scan) start making them; operators that pass their input through
  // forward the request to their child (on_dictionaries_requested).
  void request_dictionaries() {
    keep_dictionaries_ = true;
    on_dictionaries_requested();
  }
  // Appends this operator's and its descendants' stats (pre-order).
  virtual void collect_stats(std::vector<OperatorStats>& out) const { out.push_back(stats_); }

 protected:
  virtual bool produce(Batch& out) = 0;
  virtual void on_dictionaries_requested() {}

 private:
  OperatorStats stats_;
  bool keep_dictionaries_ = false;
};

using OperatorPtr = std::unique_ptr<Operator>;

// An operator with one child.
class UnaryOperator : public Operator {
 public:
  UnaryOperator(std::string name, OperatorPtr child) : Operator(std::move(name)), child_(std::move(child)) {}
  void collect_stats(std::vector<OperatorStats>& out) const override {
    Operator::collect_stats(out);
    child_->collect_stats(out);
  }

 protected:
  OperatorPtr child_;
};

}  // namespace ember
