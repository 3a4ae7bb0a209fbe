#include "ember/runtime/allocator_tuning.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ember {

void tune_allocator_for_executors() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    const char* off = std::getenv("EMBER_MALLOC_TUNING");
    if (off != nullptr && std::strcmp(off, "0") == 0) return;
    if (std::getenv("GLIBC_TUNABLES") != nullptr || std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr ||
        std::getenv("MALLOC_TRIM_THRESHOLD_") != nullptr) {
      return;
    }
    // The largest mmap threshold glibc accepts (32 MiB on 64-bit): blocks up to that size come from
    // the heap, so a freed page buffer is reused by the next one. Larger blocks (big hash tables)
    // still get their own mapping, which is right for them.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    // Keep up to 1 GiB of free memory at the top of each heap instead of trimming it after every
    // large free; the memory is reused by the next batch or task.
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  });
#endif
}

}  // namespace ember
