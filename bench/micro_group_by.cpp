// Micro-benchmark of the hash-aggregation core: `SELECT k, sum(v) GROUP BY k` over 50M rows of
// one bigint key, with ~1K and ~10M distinct keys, single-threaded. Measures exactly what the
// aggregate operator does per batch: GroupHashTable::find_or_insert (hashing, probing, group
// creation, state init) plus the sum kernel's vectorised update, then the final read-out.
// Input batches are generated before the clock starts.
//
// Reproduce:
//   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --target micro_group_by
//   ./build/micro_group_by [rows=50000000]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/functions/registry.h"
#include "ember/vector/batch.h"

using namespace ember;

namespace {

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void run(size_t rows, uint64_t distinct) {
  // Input: uniformly random keys in [0, distinct), values in [0, 1000).
  std::vector<VectorPtr> keys, vals;
  uint64_t seed = 42 + distinct;
  int64_t expected_total = 0;
  for (size_t done = 0; done < rows; done += kBatchSize) {
    size_t n = std::min(kBatchSize, rows - done);
    auto k = Vector::make(DataType::int64(), n);
    auto v = Vector::make(DataType::int64(), n);
    for (size_t i = 0; i < n; ++i) {
      uint64_t r = splitmix(seed);
      k->values<int64_t>()[i] = static_cast<int64_t>(r % distinct);
      v->values<int64_t>()[i] = static_cast<int64_t>((r >> 40) % 1000);
      expected_total += v->values<int64_t>()[i];
    }
    keys.push_back(std::move(k));
    vals.push_back(std::move(v));
  }

  const AggregateDef* def = FunctionRegistry::instance().find_aggregate("sum");
  BoundAggregate sum = def->bind({DataType::int64()}, false, BindContext{});
  const AggregateKernel& kernel = *sum.kernel;
  EvalContext ctx;  // ANSI on: the overflow-checked path, as Spark 4 runs by default

  auto start = std::chrono::steady_clock::now();
  GroupHashTable table({DataType::int64()}, kernel.state_size(), kernel.state_align());
  std::vector<uint8_t*> states(kBatchSize);
  std::vector<VectorPtr> key_cols(1), args(1);
  for (size_t b = 0; b < keys.size(); ++b) {
    size_t n = keys[b]->size();
    key_cols[0] = keys[b];
    args[0] = vals[b];
    table.find_or_insert(key_cols, n, states.data(), [&](uint8_t* p) { kernel.init(p); });
    kernel.update(states.data(), 0, args, n, ctx);
  }
  auto built = std::chrono::steady_clock::now();
  // Read-out, as the operator emits its result batches.
  int64_t total = 0;
  std::vector<VectorPtr> out_keys;
  for (size_t g = 0; g < table.size(); g += kBatchSize) {
    size_t n = std::min<size_t>(kBatchSize, table.size() - g);
    table.read_groups(g, n, out_keys, states.data());
    Vector out(sum.result_type, n);
    kernel.finalize(states.data(), 0, n, out, ctx);
    for (size_t i = 0; i < n; ++i) total += out.values<int64_t>()[i];
  }
  auto end = std::chrono::steady_clock::now();

  double build_s = std::chrono::duration<double>(built - start).count();
  double total_s = std::chrono::duration<double>(end - start).count();
  std::printf("keys=%-9" PRIu64 " rows=%zu groups=%zu  build %.3f s  total %.3f s  %.1f M rows/s  "
              "table %.1f MiB%s\n",
              distinct, rows, table.size(), build_s, total_s, static_cast<double>(rows) / total_s / 1e6,
              static_cast<double>(table.memory_bytes()) / (1 << 20),
              total == expected_total ? "" : "  CHECKSUM MISMATCH");
}

}  // namespace

int main(int argc, char** argv) {
  size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50'000'000;
  std::printf("micro_group_by: SELECT k, sum(v) GROUP BY k, bigint key, single thread\n");
  run(rows, 1000);
  run(rows, 10'000'000);
  return 0;
}
