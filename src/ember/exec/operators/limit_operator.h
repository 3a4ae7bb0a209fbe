#pragma once
#include "ember/exec/operator.h"

namespace ember {

// Passes the first `limit` rows and then stops pulling from its child, so a scan under a limit
// reads no further than it must.
class LimitOperator final : public UnaryOperator {
 public:
  LimitOperator(OperatorPtr child, int64_t limit) : UnaryOperator("Limit", std::move(child)), remaining_(limit) {}

 protected:
  bool produce(Batch& out) override {
    if (remaining_ <= 0) return false;
    if (!child_->next(out)) return false;
    if (static_cast<int64_t>(out.num_rows) > remaining_) {
      SelectionVector first(static_cast<size_t>(remaining_));
      for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<uint32_t>(i);
      out = out.select(first.data(), first.size());
    }
    remaining_ -= static_cast<int64_t>(out.num_rows);
    return true;
  }

 private:
  int64_t remaining_;
};

}  // namespace ember
