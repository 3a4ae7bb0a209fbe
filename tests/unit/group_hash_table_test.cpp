#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <unordered_map>

#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/vector/batch.h"

namespace ember {
namespace {

// A grouping key as the reference sees it: per column "N" for null or the normalised value's
// bytes, so -0.0 = 0.0 and NaN = NaN, as Spark groups them.
std::string ref_key(const std::vector<VectorPtr>& cols, size_t row) {
  std::string k;
  for (const auto& c : cols) {
    Value v = c->value_at(row);
    if (v.is_null()) {
      k += "N|";
      continue;
    }
    k += "V";
    switch (c->type().id()) {
      case TypeId::kFloat:
      case TypeId::kDouble: {
        double d = v.as_double();
        if (d == 0.0) d = 0.0;
        if (std::isnan(d)) k += "nan";
        else k += std::to_string(std::bit_cast<uint64_t>(d));
        break;
      }
      default: k += v.to_string(); break;
    }
    k += "|";
  }
  return k;
}

struct Payload {
  int64_t group_id;  // set by init: the table's insertion index
  int64_t rows;      // rows seen
};

// Inserts `batches` into a table and checks it against an unordered_map reference: same key ->
// same payload; init once per new group; read_groups in first-appearance order with equal keys.
void check_against_reference(const std::vector<DataType>& types, const std::vector<std::vector<VectorPtr>>& batches) {
  GroupHashTable table(types, sizeof(Payload), alignof(Payload));
  std::unordered_map<std::string, int64_t> ref;
  std::vector<std::string> order;
  std::vector<int64_t> ref_rows;
  int64_t next_id = 0;
  for (const auto& cols : batches) {
    size_t n = cols[0]->size();
    std::vector<uint8_t*> out(n);
    size_t before = table.size();
    table.find_or_insert(cols, n, out.data(), [&](uint8_t* p) {
      auto* pl = reinterpret_cast<Payload*>(p);
      pl->group_id = next_id++;
      pl->rows = 0;
    });
    for (size_t i = 0; i < n; ++i) {
      auto* pl = reinterpret_cast<Payload*>(out[i]);
      ++pl->rows;
      std::string k = ref_key(cols, i);
      auto [it, fresh] = ref.emplace(k, static_cast<int64_t>(order.size()));
      if (fresh) {
        order.push_back(k);
        ref_rows.push_back(0);
      }
      ++ref_rows[static_cast<size_t>(it->second)];
      ASSERT_EQ(pl->group_id, it->second) << "row " << i << " key " << k;
    }
    ASSERT_EQ(table.size(), order.size());
    ASSERT_EQ(static_cast<int64_t>(table.size()), next_id) << "init must run once per new group";
    ASSERT_GE(table.size(), before);
  }
  // Read back in chunks: insertion order, keys equal to the first row of each group.
  size_t chunk = 777;
  for (size_t start = 0; start < table.size(); start += chunk) {
    size_t count = std::min(chunk, table.size() - start);
    std::vector<VectorPtr> keys;
    std::vector<uint8_t*> payloads(count);
    table.read_groups(start, count, keys, payloads.data());
    ASSERT_EQ(keys.size(), types.size());
    for (size_t k = 0; k < count; ++k) {
      auto* pl = reinterpret_cast<Payload*>(payloads[k]);
      ASSERT_EQ(pl->group_id, static_cast<int64_t>(start + k));
      ASSERT_EQ(pl->rows, ref_rows[start + k]);
      ASSERT_EQ(ref_key(keys, k), order[start + k]);
      ASSERT_EQ(table.payload(start + k), payloads[k]);
    }
  }
  EXPECT_GT(table.memory_bytes(), 0u);
}

// Random batches of mixed-type keys drawn from small domains (so keys repeat) with nulls.
std::vector<std::vector<VectorPtr>> random_batches(const std::vector<DataType>& types, size_t batches, size_t rows,
                                                   int domain, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<VectorPtr>> out;
  for (size_t b = 0; b < batches; ++b) {
    std::vector<VectorPtr> cols;
    for (const DataType& t : types) {
      std::vector<Value> vals;
      for (size_t i = 0; i < rows; ++i) {
        int x = static_cast<int>(rng() % static_cast<uint32_t>(domain));
        if (rng() % 10 == 0) {
          vals.push_back(Value::null(t));
          continue;
        }
        switch (t.id()) {
          case TypeId::kInt: vals.push_back(Value::int32(x - domain / 2)); break;
          case TypeId::kLong: vals.push_back(Value::int64(static_cast<int64_t>(x) * 1000003)); break;
          case TypeId::kShort: vals.push_back(Value::short_(static_cast<int16_t>(x))); break;
          case TypeId::kBoolean: vals.push_back(Value::boolean(x % 2 == 0)); break;
          case TypeId::kDouble: {
            double d = x % 7 == 0 ? -0.0 : x % 7 == 1 ? std::numeric_limits<double>::quiet_NaN()
                                   : x % 7 == 2 ? 0.0 : x * 0.5;
            vals.push_back(Value::float64(d));
            break;
          }
          case TypeId::kDecimal: vals.push_back(Value::decimal((static_cast<int128_t>(x) << 70) - 5, t.precision(), t.scale())); break;
          case TypeId::kDate: vals.push_back(Value::date(18000 + x)); break;
          case TypeId::kTimestamp: vals.push_back(Value::timestamp(static_cast<int64_t>(x) * 1000000)); break;
          case TypeId::kString:
            // Mix of empty, short and long strings sharing prefixes.
            vals.push_back(Value::string(x % 5 == 0 ? std::string() : "key-" + std::string(static_cast<size_t>(x % 40), 'z') + std::to_string(x)));
            break;
          default: vals.push_back(Value::null(t)); break;
        }
      }
      cols.push_back(Vector::from_values(t, vals));
    }
    out.push_back(std::move(cols));
  }
  return out;
}

TEST(GroupHashTableTest, MixedTypeKeysMatchReference) {
  std::vector<DataType> types = {DataType::int32(), DataType::string(), DataType::float64(),
                                 DataType::decimal(38, 3), DataType::date()};
  check_against_reference(types, random_batches(types, 20, 1000, 6, 1));
}

TEST(GroupHashTableTest, EachTypeAloneMatchesReference) {
  for (DataType t : {DataType::int32(), DataType::int64(), DataType::short_(), DataType::boolean(), DataType::float64(),
                     DataType::decimal(20, 2), DataType::date(), DataType::timestamp(), DataType::string()}) {
    SCOPED_TRACE(t.simple_string());
    check_against_reference({t}, random_batches({t}, 10, 2000, 3000, 7));
  }
}

TEST(GroupHashTableTest, NullsAreOneGroupPerColumnCombination) {
  auto a = Vector::from_values(DataType::int32(), {Value::null(DataType::int32()), Value::int32(0),
                                                   Value::null(DataType::int32()), Value::int32(0)});
  auto b = Vector::from_values(DataType::string(), {Value::null(DataType::string()), Value::null(DataType::string()),
                                                    Value::null(DataType::string()), Value::string("")});
  GroupHashTable table({DataType::int32(), DataType::string()}, 8, 8);
  std::vector<uint8_t*> out(4);
  int inits = 0;
  table.find_or_insert({a, b}, 4, out.data(), [&](uint8_t*) { ++inits; });
  EXPECT_EQ(inits, 3);
  EXPECT_EQ(out[0], out[2]);
  EXPECT_NE(out[0], out[1]);
  EXPECT_NE(out[1], out[3]);  // null string vs empty string
  std::vector<VectorPtr> keys;
  table.read_groups(0, 3, keys, out.data());
  EXPECT_TRUE(keys[0]->is_null(0));
  EXPECT_TRUE(keys[1]->is_null(0));
  EXPECT_EQ(keys[0]->value_at(1).as_int64(), 0);
  EXPECT_TRUE(keys[1]->is_null(1));
  EXPECT_FALSE(keys[1]->is_null(2));
  EXPECT_EQ(keys[1]->string_at(2), "");
}

TEST(GroupHashTableTest, FloatKeysAreNormalisedOnOutput) {
  auto d = Vector::from_values(DataType::float64(), {Value::float64(-0.0), Value::float64(0.0),
                                                     Value::float64(-std::numeric_limits<double>::quiet_NaN()),
                                                     Value::float64(std::numeric_limits<double>::quiet_NaN())});
  GroupHashTable table({DataType::float64()}, 0, 1);
  std::vector<uint8_t*> out(4);
  table.find_or_insert({d}, 4, out.data(), [](uint8_t*) {});
  ASSERT_EQ(table.size(), 2u);
  std::vector<VectorPtr> keys;
  table.read_groups(0, 2, keys, out.data());
  double z = keys[0]->values<double>()[0];
  EXPECT_EQ(z, 0.0);
  EXPECT_FALSE(std::signbit(z));
  EXPECT_TRUE(std::isnan(keys[0]->values<double>()[1]));
}

TEST(GroupHashTableTest, MillionsOfGroupsGrowAndPayloadsStayPut) {
  // Single bigint key (the fast path): 3M distinct keys in shuffled order, each seen twice.
  const size_t groups = 3'000'000;
  std::vector<int64_t> keys(groups);
  for (size_t i = 0; i < groups; ++i) keys[i] = static_cast<int64_t>(i * 2654435761ULL);
  std::mt19937_64 rng(3);
  std::shuffle(keys.begin(), keys.end(), rng);
  GroupHashTable table({DataType::int64()}, sizeof(int64_t) * 2, 8);
  std::vector<uint8_t*> first_ptr(groups);
  std::vector<uint8_t*> out(kBatchSize);
  int64_t next = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t start = 0; start < groups; start += kBatchSize) {
      size_t n = std::min(kBatchSize, groups - start);
      auto v = Vector::make(DataType::int64(), n);
      std::memcpy(v->values<int64_t>(), keys.data() + start, n * sizeof(int64_t));
      table.find_or_insert({v}, n, out.data(), [&](uint8_t* p) {
        reinterpret_cast<int64_t*>(p)[0] = next++;
        reinterpret_cast<int64_t*>(p)[1] = 0;
      });
      for (size_t i = 0; i < n; ++i) {
        auto* p = reinterpret_cast<int64_t*>(out[i]);
        ++p[1];
        if (pass == 0) {
          ASSERT_EQ(p[0], static_cast<int64_t>(start + i));
          first_ptr[start + i] = out[i];
        } else {
          ASSERT_EQ(out[i], first_ptr[start + i]) << "payload moved";
        }
      }
    }
  }
  ASSERT_EQ(table.size(), groups);
  std::vector<VectorPtr> kout;
  std::vector<uint8_t*> pout(1000);
  table.read_groups(groups - 1000, 1000, kout, pout.data());
  for (size_t k = 0; k < 1000; ++k) {
    EXPECT_EQ(kout[0]->values<int64_t>()[k], keys[groups - 1000 + k]);
    EXPECT_EQ(reinterpret_cast<int64_t*>(pout[k])[1], 2);
  }
}

TEST(GroupHashTableTest, MillionsOfStringAndIntGroups) {
  std::vector<DataType> types = {DataType::string(), DataType::int32()};
  GroupHashTable table(types, 8, 8);
  const size_t n_groups = 1'200'000;
  std::vector<uint8_t*> out(kBatchSize);
  size_t created = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t start = 0; start < n_groups; start += kBatchSize) {
      size_t n = std::min(kBatchSize, n_groups - start);
      auto s = Vector::make(DataType::string(), n);
      auto x = Vector::make(DataType::int32(), n);
      for (size_t i = 0; i < n; ++i) {
        size_t g = start + i;
        s->set_string(i, "s" + std::to_string(g / 3));
        x->values<int32_t>()[i] = static_cast<int32_t>(g % 3);
      }
      table.find_or_insert({s, x}, n, out.data(), [&](uint8_t* p) {
        *reinterpret_cast<int64_t*>(p) = static_cast<int64_t>(created++);
      });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(*reinterpret_cast<int64_t*>(out[i]), static_cast<int64_t>(start + i));
    }
  }
  EXPECT_EQ(table.size(), n_groups);
  std::vector<VectorPtr> keys;
  std::vector<uint8_t*> p(3);
  table.read_groups(999'999, 3, keys, p.data());
  EXPECT_EQ(keys[0]->string_at(0), "s333333");
  EXPECT_EQ(keys[1]->values<int32_t>()[0], 0);
  EXPECT_EQ(keys[0]->string_at(2), "s333333");  // groups 999999..1000001 share the string
  EXPECT_EQ(keys[1]->values<int32_t>()[2], 2);
}

TEST(GroupHashTableTest, FastPathThenNullsThenFastPath) {
  // A bigint key first without nulls (fast path), then with nulls (generic), then without.
  std::vector<std::vector<VectorPtr>> batches;
  auto plain = [](std::vector<int64_t> xs) {
    std::vector<Value> v;
    for (int64_t x : xs) v.push_back(Value::int64(x));
    return std::vector<VectorPtr>{Vector::from_values(DataType::int64(), v)};
  };
  batches.push_back(plain({1, 2, 3, 1}));
  batches.push_back({Vector::from_values(DataType::int64(), {Value::null(DataType::int64()), Value::int64(2),
                                                             Value::int64(4), Value::null(DataType::int64())})});
  batches.push_back(plain({4, 5, 0, 1}));
  check_against_reference({DataType::int64()}, batches);
}

TEST(GroupHashTableTest, ConstantKeysAndGlobalGroup) {
  GroupHashTable table({DataType::string()}, 8, 8);
  std::vector<uint8_t*> out(5);
  int inits = 0;
  table.find_or_insert({Vector::make_constant(Value::string("k"), 5)}, 5, out.data(), [&](uint8_t*) { ++inits; });
  EXPECT_EQ(inits, 1);
  EXPECT_EQ(out[0], out[4]);

  GroupHashTable global({}, 16, 16);
  inits = 0;
  global.find_or_insert({}, 5, out.data(), [&](uint8_t*) { ++inits; });
  global.find_or_insert({}, 3, out.data(), [&](uint8_t*) { ++inits; });
  EXPECT_EQ(inits, 1);
  EXPECT_EQ(global.size(), 1u);
  std::vector<VectorPtr> keys;
  std::vector<uint8_t*> p(1);
  global.read_groups(0, 1, keys, p.data());
  EXPECT_TRUE(keys.empty());
  EXPECT_EQ(p[0], out[0]);
}

TEST(GroupHashTableTest, PayloadAlignmentIsHonoured) {
  GroupHashTable table({DataType::int32()}, 20, 16);  // 20-byte payload, 16-byte aligned
  std::vector<int32_t> keys(50000);
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = static_cast<int32_t>(i);
  auto v = Vector::make(DataType::int32(), keys.size());
  std::memcpy(v->values<int32_t>(), keys.data(), keys.size() * 4);
  std::vector<uint8_t*> out(keys.size());
  table.find_or_insert({v}, keys.size(), out.data(), [](uint8_t* p) { std::memset(p, 0xab, 20); });
  for (uint8_t* p : out) ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
  // Payloads must not overlap: neighbouring groups are at least the stride apart.
  std::vector<uint8_t*> sorted(out);
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 1; i < sorted.size(); ++i) ASSERT_GE(sorted[i] - sorted[i - 1], 20);
}

TEST(GroupHashTableTest, EmptyBatchIsANoOp) {
  GroupHashTable table({DataType::int64()}, 8, 8);
  auto v = Vector::make(DataType::int64(), 0);
  table.find_or_insert({v}, 0, nullptr, [](uint8_t*) { FAIL(); });
  EXPECT_EQ(table.size(), 0u);
  std::vector<VectorPtr> keys;
  table.read_groups(0, 0, keys, nullptr);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]->size(), 0u);
}

}  // namespace
}  // namespace ember
