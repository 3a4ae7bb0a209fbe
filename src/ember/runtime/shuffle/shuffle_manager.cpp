#include "ember/runtime/shuffle/shuffle_manager.h"

namespace ember {

ShuffleManager::~ShuffleManager() = default;

int64_t MapOutputStatistics::total_bytes() const {
  int64_t total = 0;
  for (int64_t b : bytes_by_partition) total += b;
  return total;
}

}  // namespace ember
