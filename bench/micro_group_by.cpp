// Micro-benchmark of the hash-aggregation core: `SELECT k, sum(v) GROUP BY k` over 50M rows of
// one bigint key, with ~1K and ~10M distinct keys, single-threaded. Measures exactly what the
// aggregate operator does per batch: GroupHashTable::find_or_insert (hashing, probing, group
// creation, state init) plus the sum kernel's vectorised update, then the final read-out.
// Input batches are generated before the clock starts.
// The key shape (second argument) compares nested keys with flat ones over the same groups:
// `bigint` (default) k; `pair` the two bigint columns (k, 3k); `struct` struct<a: k, b: 3k>;
// `array` array(k, 3k). Nested keys go through their canonical key bytes
// (vector/nested_key_encoding.h), so `struct` against `pair` is the cost of the encoding.
//
// Reproduce:
//   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --target micro_group_by
//   ./build/micro_group_by [rows=50000000] [bigint|pair|struct|array]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
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

// The key columns of one batch for the chosen shape, built from the bigint keys k.
std::vector<VectorPtr> key_columns(const VectorPtr& k, const std::string& shape) {
  if (shape == "bigint") return {k};
  const size_t n = k->size();
  auto b = Vector::make(DataType::int64(), n);
  for (size_t i = 0; i < n; ++i) b->values<int64_t>()[i] = 3 * k->values<int64_t>()[i];
  if (shape == "pair") return {k, b};
  if (shape == "struct") {
    DataType t =
        DataType::struct_({Field{"a", DataType::int64(), true}, Field{"b", DataType::int64(), true}});
    return {Vector::make_struct(t, n, {k, b})};
  }
  auto arr = Vector::make(DataType::array(DataType::int64()), n);
  Vector& child = arr->mutable_child();
  for (size_t i = 0; i < n; ++i) {
    const size_t at = child.append_rows(2);
    child.values<int64_t>()[at] = k->values<int64_t>()[i];
    child.values<int64_t>()[at + 1] = b->values<int64_t>()[i];
    arr->finish_array(i);
  }
  return {arr};
}

void run(size_t rows, uint64_t distinct, const std::string& shape) {
  // Input: uniformly random keys in [0, distinct), values in [0, 1000).
  std::vector<std::vector<VectorPtr>> keys;
  std::vector<VectorPtr> vals;
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
    keys.push_back(key_columns(k, shape));
    vals.push_back(std::move(v));
  }

  const AggregateDef* def = FunctionRegistry::instance().find_aggregate("sum");
  BoundAggregate sum = def->bind({DataType::int64()}, false, BindContext{});
  const AggregateKernel& kernel = *sum.kernel;
  EvalContext ctx;  // ANSI on: the overflow-checked path, as Spark 4 runs by default

  auto start = std::chrono::steady_clock::now();
  std::vector<DataType> key_types;
  for (const VectorPtr& c : keys[0]) key_types.push_back(c->type());
  GroupHashTable table(key_types, kernel.state_size(), kernel.state_align());
  std::vector<uint8_t*> states(kBatchSize);
  std::vector<VectorPtr> args(1);
  for (size_t b = 0; b < keys.size(); ++b) {
    size_t n = vals[b]->size();
    args[0] = vals[b];
    table.find_or_insert(keys[b], n, states.data(), [&](uint8_t* p) { kernel.init(p); });
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
  const std::string shape = argc > 2 ? argv[2] : "bigint";
  if (shape != "bigint" && shape != "pair" && shape != "struct" && shape != "array") {
    std::fprintf(stderr, "usage: micro_group_by [rows] [bigint|pair|struct|array]\n");
    return 2;
  }
  std::printf("micro_group_by: SELECT k, sum(v) GROUP BY k, %s key, single thread\n", shape.c_str());
  run(rows, 1000, shape);
  run(rows, 10'000'000, shape);
  return 0;
}
