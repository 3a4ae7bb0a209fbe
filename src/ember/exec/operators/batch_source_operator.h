#pragma once
#include <functional>

#include "ember/exec/operator.h"

namespace ember {

// Emits batches it was given (local relations, shuffle blocks), keeping the listed columns.
class BatchSourceOperator final : public Operator {
 public:
  BatchSourceOperator(std::string name, std::vector<Batch> batches, std::vector<int> columns = {})
      : Operator(std::move(name)), batches_(std::move(batches)), columns_(std::move(columns)) {}

 protected:
  bool produce(Batch& out) override {
    if (next_ >= batches_.size()) return false;
    Batch& b = batches_[next_++];
    if (columns_.empty()) {
      out = std::move(b);
    } else {
      out.columns.clear();
      for (int c : columns_) out.columns.push_back(b.columns[static_cast<size_t>(c)]);
      out.num_rows = b.num_rows;
    }
    return true;
  }

 private:
  std::vector<Batch> batches_;
  std::vector<int> columns_;
  size_t next_ = 0;
};

// Emits the output of several child pipelines one after another (union branches, coalesced
// partitions). Children are created lazily, so only one is open at a time.
class ConcatOperator final : public Operator {
 public:
  using Factory = std::function<OperatorPtr()>;
  explicit ConcatOperator(std::vector<Factory> parts) : Operator("Concat"), parts_(std::move(parts)) {}
  void collect_stats(std::vector<OperatorStats>& out) const override {
    Operator::collect_stats(out);
    for (const auto& s : finished_stats_) out.push_back(s);
  }

 protected:
  bool produce(Batch& out) override {
    while (true) {
      if (!current_) {
        if (next_ >= parts_.size()) return false;
        current_ = parts_[next_++]();
      }
      if (current_->next(out)) return true;
      current_->collect_stats(finished_stats_);
      current_.reset();
    }
  }

 private:
  std::vector<Factory> parts_;
  size_t next_ = 0;
  OperatorPtr current_;
  std::vector<OperatorStats> finished_stats_;
};

}  // namespace ember
