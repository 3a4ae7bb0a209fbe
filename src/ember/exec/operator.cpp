#include "ember/exec/operator.h"

#include <chrono>

namespace ember {

bool Operator::next(Batch& out) {
  auto start = std::chrono::steady_clock::now();
  bool produced = produce(out);
  while (produced && out.num_rows == 0) produced = produce(out);
  if (produced && !keep_dictionaries_) {
    for (auto& c : out.columns) {
      if (c->is_dictionary()) c = decode_dictionary(c);
    }
  }
  stats_.nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
  if (produced) {
    stats_.rows_out += static_cast<int64_t>(out.num_rows);
    stats_.batches_out += 1;
  }
  return produced;
}

}  // namespace ember
