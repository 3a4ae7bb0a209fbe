// Micro-benchmark of the hash join core, single-threaded: build a JoinHashTable from 1M rows and
// probe it with 10M rows, for a bigint key and for a string key, then a build with duplicate keys
// whose probe explodes tenfold. Input batches are generated before the clock starts. Reported:
//  - build:  JoinHashTable::build (key evaluation, hashing, payload chunks, directory);
//  - find:   JoinProbe::find + next_pairs only (hash, locate, list pairs: the table's own work);
//  - join:   a whole HashJoinOperator inner join (find, pairs, gathering both sides' columns into
//            output batches), whose output is consumed (summed) and checked.
//
// Reproduce:
//   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build micro_hash_join
//   ./build/micro_hash_join [build_rows=1000000] [probe_rows=10000000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "ember/exec/hashtable/join_hash_table.h"
#include "ember/exec/operators/batch_source_operator.h"
#include "ember/exec/operators/hash_join_operator.h"

using namespace ember;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string string_key(uint64_t k) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "Customer#%09llu", static_cast<unsigned long long>(k));
  return buf;
}

// Batches of [key, payload] where the payload is key * 2; keys from `key_of(row)`.
template <class KeyOf>
std::vector<Batch> make_batches(size_t rows, bool string_keys, KeyOf key_of) {
  std::vector<Batch> out;
  for (size_t done = 0; done < rows; done += kBatchSize) {
    const size_t n = std::min(kBatchSize, rows - done);
    auto key = Vector::make(string_keys ? DataType::string() : DataType::int64(), n);
    auto payload = Vector::make(DataType::int64(), n);
    if (string_keys) key->reserve_chars(n * 18);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t k = key_of(done + i);
      if (string_keys) key->set_string(i, string_key(k));
      else key->values<int64_t>()[i] = static_cast<int64_t>(k);
      payload->values<int64_t>()[i] = static_cast<int64_t>(k * 2);
    }
    out.push_back(Batch({key, payload}, n));
  }
  return out;
}

struct Case {
  const char* name;
  bool string_keys;
  size_t build_rows;
  size_t distinct;  // build keys are (row % distinct), shuffled
  size_t probe_rows;
};

void run(const Case& c) {
  const DataType key_type = c.string_keys ? DataType::string() : DataType::int64();
  const std::vector<DataType> types = {key_type, DataType::int64()};
  // Build keys: every key in [0, distinct) appears build_rows / distinct times, in random order.
  std::vector<uint64_t> build_keys(c.build_rows);
  for (size_t i = 0; i < c.build_rows; ++i) build_keys[i] = i % c.distinct;
  std::mt19937_64 rng(42);
  std::shuffle(build_keys.begin(), build_keys.end(), rng);
  uint64_t seed = 7;
  std::vector<uint64_t> probe_keys(c.probe_rows);
  uint64_t expected_sum = 0;  // of the build payloads in the output: 2 * key per matching pair
  const uint64_t dup = c.build_rows / c.distinct;
  for (auto& k : probe_keys) {
    k = splitmix(seed) % c.distinct;  // every probe key matches `dup` build rows
    expected_sum += 2 * k * dup;
  }

  auto build_batches = make_batches(c.build_rows, c.string_keys, [&](size_t r) { return build_keys[r]; });
  const std::vector<ExprPtr> keys = {make_bound_ref(0, key_type, false)};
  EvalContext ctx;

  // --- build ---
  BatchSourceOperator build_src("build", build_batches);
  auto t0 = Clock::now();
  auto table = JoinHashTable::build(build_src, types, keys, ctx, size_t{8} << 30);
  const double build_s = seconds_since(t0);

  // --- find + pairs only ---
  auto probe_batches = make_batches(c.probe_rows, c.string_keys, [&](size_t r) { return probe_keys[r]; });
  JoinProbe probe(table);
  std::vector<uint32_t> pr(kBatchSize), br(kBatchSize);
  size_t pairs = 0;
  uint64_t check = 0;
  t0 = Clock::now();
  for (const Batch& b : probe_batches) {
    probe.find({b.columns[0]}, b.num_rows);
    size_t n;
    while ((n = probe.next_pairs(pr.data(), br.data(), kBatchSize)) > 0) {
      pairs += n;
      check += br[n - 1];
    }
  }
  const double find_s = seconds_since(t0);

  // --- whole operator ---
  HashJoinSpec spec{JoinType::kInner, BuildSide::kRight, keys, nullptr, types};
  HashJoinOperator join(std::make_unique<BatchSourceOperator>("probe", std::move(probe_batches)), table, spec,
                        ctx);
  Batch out;
  size_t out_rows = 0;
  uint64_t sum = 0;
  t0 = Clock::now();
  while (join.next(out)) {
    out_rows += out.num_rows;
    const int64_t* v = out.columns[3]->values<int64_t>();
    for (size_t i = 0; i < out.num_rows; ++i) sum += static_cast<uint64_t>(v[i]);
  }
  const double join_s = seconds_since(t0);

  const bool ok = pairs == c.probe_rows * dup && out_rows == pairs && sum == expected_sum && check != 1;
  std::printf(
      "%-30s build %8zu rows %6.3f s %7.1f M rows/s | find+pairs %9zu rows %6.3f s %7.1f M rows/s | join "
      "%6.3f s "
      "%7.1f M probe rows/s, %7.1f M out rows/s | table %.1f MiB%s\n",
      c.name, c.build_rows, build_s, static_cast<double>(c.build_rows) / build_s / 1e6, c.probe_rows, find_s,
      static_cast<double>(c.probe_rows) / find_s / 1e6, join_s,
      static_cast<double>(c.probe_rows) / join_s / 1e6, static_cast<double>(out_rows) / join_s / 1e6,
      static_cast<double>(table->memory_bytes()) / (1 << 20), ok ? "" : "  CHECK FAILED");
}

}  // namespace

int main(int argc, char** argv) {
  const size_t build_rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const size_t probe_rows = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10'000'000;
  std::printf(
      "micro_hash_join: inner join, single thread, every probe row matches; rows/s are rows of that "
      "side per second\n");
  run({"bigint key, unique build", false, build_rows, build_rows, probe_rows});
  run({"string key, unique build", true, build_rows, build_rows, probe_rows});
  run({"bigint key, 10 dups per key", false, build_rows, std::max<size_t>(1, build_rows / 10),
       probe_rows / 10});
  return 0;
}
