// Dictionary-encoded string vectors (vector.h): every path that meets one — decoding, gather,
// the evaluator's per-entry predicates, grouping by codes, operator boundaries — gives exactly the
// answer of the same rows held flat. Expected values are worked out by hand from the data below.
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ember/exec/hashtable/dictionary_key_map.h"
#include "ember/exec/hashtable/group_hash_table.h"
#include "ember/exec/operator.h"
#include "ember/exec/operators/runtime_filter_operator.h"
#include "ember/exec/runtime_filter.h"
#include "ember/expr/evaluator.h"
#include "ember/functions/registry.h"
#include "ember/io/parquet/parquet_reader.h"
#include "ember/io/parquet/parquet_writer.h"
#include "ember/vector/batch.h"

namespace ember {
namespace {

const DataType kString = DataType::string();

// A dictionary vector over `entries` (a trailing null entry added, as the Parquet reader does)
// with codes[i] = -1 meaning a null row.
VectorPtr make_coded(const std::vector<std::string>& entries, const std::vector<int>& codes) {
  std::vector<Value> values;
  for (const auto& e : entries) values.push_back(Value::string(e));
  values.push_back(Value::null(kString));
  VectorPtr dict = Vector::from_values(kString, values);
  const auto null_code = static_cast<int32_t>(entries.size());
  auto buf = make_buffer(codes.size() * sizeof(int32_t));
  auto* c = reinterpret_cast<int32_t*>(buf->data());
  BufferPtr validity;
  for (size_t i = 0; i < codes.size(); ++i) {
    c[i] = codes[i] < 0 ? null_code : codes[i];
    if (codes[i] < 0) {
      if (!validity) {
        validity = make_buffer(bitmap_bytes(codes.size()));
        std::memset(validity->data(), 0xff, validity->size());
      }
      clear_bit(validity->data(), i);
    }
  }
  return Vector::make_dictionary(dict, buf, validity, codes.size());
}

std::vector<Value> values_of(const Vector& v) {
  std::vector<Value> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(v.value_at(i));
  return out;
}

const std::vector<std::string> kEntries = {"AIR", "MAIL", "SHIP", "RAIL", ""};
const std::vector<int> kCodes = {0, 1, -1, 2, 2, 3, 0, 4, -1, 1, 3, 0};

TEST(DictionaryVectorTest, DecodesToTheRowsItStandsFor) {
  VectorPtr v = make_coded(kEntries, kCodes);
  ASSERT_TRUE(v->is_dictionary());
  VectorPtr flat = flatten(v);
  ASSERT_FALSE(flat->is_dictionary());
  ASSERT_EQ(flat->size(), kCodes.size());
  for (size_t i = 0; i < kCodes.size(); ++i) {
    if (kCodes[i] < 0) {
      EXPECT_TRUE(flat->is_null(i));
      EXPECT_TRUE(v->is_null(i));
    } else {
      EXPECT_EQ(flat->string_at(i), kEntries[static_cast<size_t>(kCodes[i])]);
      EXPECT_EQ(v->value_at(i).as_string(), kEntries[static_cast<size_t>(kCodes[i])]);
    }
  }
  EXPECT_EQ(v->count_nulls(), 2u);
  // decode_dictionary leaves flat and constant vectors alone.
  EXPECT_EQ(decode_dictionary(flat), flat);
  VectorPtr c = Vector::make_constant(Value::string("x"), 3);
  EXPECT_EQ(decode_dictionary(c), c);
}

TEST(DictionaryVectorTest, GatherKeepsTheEncodingAndConcatDecodes) {
  VectorPtr v = make_coded(kEntries, kCodes);
  uint32_t sel[] = {11, 2, 5, 7};
  VectorPtr g = gather(*v, sel, 4);
  ASSERT_TRUE(g->is_dictionary());
  EXPECT_EQ(g->dictionary(), v->dictionary());
  EXPECT_EQ(values_of(*g), (std::vector<Value>{Value::string("AIR"), Value::null(kString),
                                               Value::string("RAIL"), Value::string("")}));
  VectorPtr both = concat({g, Vector::from_values(kString, {Value::string("z")})});
  ASSERT_FALSE(both->is_dictionary());
  EXPECT_EQ(values_of(*both),
            (std::vector<Value>{Value::string("AIR"), Value::null(kString), Value::string("RAIL"),
                                Value::string(""), Value::string("z")}));
  auto grown = Vector::make(kString, 0);
  grown->append_from(*v, 3);
  grown->append_from(*v, 8);
  EXPECT_EQ(values_of(*grown), (std::vector<Value>{Value::string("SHIP"), Value::null(kString)}));
}

// A bound call of a registered scalar function over bound arguments.
ExprPtr call(const std::string& name, std::vector<ExprPtr> args) {
  const FunctionDef* def = FunctionRegistry::instance().find_scalar(name);
  EXPECT_NE(def, nullptr) << name;
  std::vector<DataType> types;
  BindContext ctx;
  for (const auto& a : args) {
    types.push_back(a->type);
    ctx.literals.push_back(a->kind == ExprKind::kLiteral ? std::optional<Value>(a->literal) : std::nullopt);
    ctx.arg_names.emplace_back();
  }
  auto bound = std::make_shared<BoundFunction>(def->bind(types, ctx));
  auto e = std::const_pointer_cast<Expr>(make_call(name, std::move(args)));
  e->function = bound;
  e->type = bound->result_type;
  return e;
}

ExprPtr lit(const std::string& s) { return make_literal(Value::string(s)); }

TEST(DictionaryVectorTest, PredicatesPerEntryEqualTheFlatPath) {
  VectorPtr coded = make_coded(kEntries, kCodes);
  Batch dict_batch({coded}, kCodes.size());
  Batch flat_batch({flatten(coded)}, kCodes.size());
  ExprPtr s = make_bound_ref(0, kString, true, "s");
  // Hand-checked rows where each predicate is true (null rows are never selected).
  const std::vector<std::pair<ExprPtr, std::vector<uint32_t>>> cases = {
      {call("=", {s, lit("AIR")}), {0, 6, 11}},
      {call("=", {lit("MAIL"), s}), {1, 9}},
      {call("<>", {s, lit("AIR")}), {1, 3, 4, 5, 7, 9, 10}},
      {call("<", {s, lit("MAIL")}), {0, 6, 7, 11}},
      {call(">=", {s, lit("RAIL")}), {3, 4, 5, 10}},
      {call("in", {s, lit("SHIP"), lit("RAIL")}), {3, 4, 5, 10}},
      {call("like", {s, lit("%AI%")}), {0, 1, 5, 6, 9, 10, 11}},
      {call("startswith", {s, lit("S")}), {3, 4}},
      {call("endswith", {s, lit("L")}), {1, 5, 9, 10}},
      {call("contains", {s, lit("I")}), {0, 1, 3, 4, 5, 6, 9, 10, 11}},
      {call("isnull", {s}), {2, 8}},
      {call("isnotnull", {s}), {0, 1, 3, 4, 5, 6, 7, 9, 10, 11}},
      {call("<=>", {s, make_literal(Value::null(kString))}), {2, 8}},
  };
  EvalContext ctx;
  ExpressionEvaluator on_dict(ctx);
  ExpressionEvaluator on_flat(ctx);
  for (const auto& [pred, want] : cases) {
    SelectionVector a, b;
    on_dict.select(*pred, dict_batch, a);
    on_flat.select(*pred, flat_batch, b);
    EXPECT_EQ(a, want) << pred->to_string();
    EXPECT_EQ(b, want) << pred->to_string();
    // Three-valued results agree row by row too (null where the flat path is null).
    EXPECT_EQ(values_of(*on_dict.eval(*pred, dict_batch)), values_of(*on_flat.eval(*pred, flat_batch)))
        << pred->to_string();
    // And on a selection of rows (the path AND and CASE take), twice: the second time from the
    // per-dictionary cache.
    SelectionVector some = {10, 2, 0, 7};
    for (int round = 0; round < 2; ++round) {
      EXPECT_EQ(values_of(*on_dict.eval(*pred, dict_batch, some)),
                values_of(*on_flat.eval(*pred, flat_batch, some)))
          << pred->to_string();
    }
  }
  // A new dictionary under the same expression is not answered from the cache.
  VectorPtr other = make_coded({"AIR", "TRUCK"}, {1, 1, 0});
  Batch other_batch({other}, 3);
  EXPECT_EQ(values_of(*on_dict.eval(*cases[0].first, other_batch)),
            (std::vector<Value>{Value::boolean(false), Value::boolean(false), Value::boolean(true)}));
  // A function the dictionary path does not take (upper) sees the decoded strings.
  ExprPtr up = call("upper", {s});
  EXPECT_EQ(values_of(*on_dict.eval(*up, Batch({make_coded({"ab", "c"}, {1, -1, 0})}, 3))),
            (std::vector<Value>{Value::string("C"), Value::null(kString), Value::string("AB")}));
}

TEST(DictionaryVectorTest, GroupingByCodesFindsTheGroupsOfTheFlatKeys) {
  // Two keys, three batches: the first two share dictionaries, the third brings new ones whose
  // entries partly repeat the old values (a new Parquet row group), and null keys form a group.
  const std::vector<std::string> flags = {"A", "N", "R"};
  const std::vector<std::string> status = {"F", "O"};
  std::vector<std::vector<VectorPtr>> batches = {
      {make_coded(flags, {0, 1, 2, 0, -1, 1}), make_coded(status, {0, 0, 1, 0, 1, -1})}};
  uint32_t again[] = {2, 2, 0};  // rows of the first batch, over the same dictionaries
  batches.push_back({gather(*batches[0][0], again, 3), gather(*batches[0][1], again, 3)});
  const std::vector<std::string> flags2 = {"R", "X", "A"};
  batches.push_back({make_coded(flags2, {0, 1, 2, -1}), make_coded({"O", "F"}, {0, 1, 1, 0})});

  GroupHashTable coded_table({kString, kString}, sizeof(int64_t), 8);
  GroupHashTable flat_table({kString, kString}, sizeof(int64_t), 8);
  DictionaryKeyMap map;
  auto init = [](uint8_t* p) { *reinterpret_cast<int64_t*>(p) = 0; };
  for (const auto& keys : batches) {
    const size_t n = keys[0]->size();
    std::vector<uint8_t*> rows(n), flat_rows(n);
    ASSERT_TRUE(map.find_or_insert(coded_table, keys, n, rows.data(), init));
    for (size_t i = 0; i < n; ++i) ++*reinterpret_cast<int64_t*>(rows[i]);
    flat_table.find_or_insert({flatten(keys[0]), flatten(keys[1])}, n, flat_rows.data(), init);
    for (size_t i = 0; i < n; ++i) ++*reinterpret_cast<int64_t*>(flat_rows[i]);
  }
  auto counts = [](const GroupHashTable& t) {
    std::map<std::string, int64_t> out;
    std::vector<VectorPtr> keys;
    std::vector<uint8_t*> payloads(t.size());
    t.read_groups(0, t.size(), keys, payloads.data());
    for (size_t g = 0; g < t.size(); ++g) {
      std::string k = keys[0]->value_at(g).to_string() + "|" + keys[1]->value_at(g).to_string();
      out[k] = *reinterpret_cast<const int64_t*>(payloads[g]);
    }
    return out;
  };
  // By hand: batch 1 rows (A,F) (N,F) (R,O) (A,F) (null,O) (N,null); batch 2 (R,O) (R,O) (A,F);
  // batch 3 (R,O) (X,F) (A,F) (null,O).
  const std::map<std::string, int64_t> want = {{"A|F", 4},    {"N|F", 1},    {"R|O", 4},
                                               {"NULL|O", 2}, {"N|NULL", 1}, {"X|F", 1}};
  EXPECT_EQ(counts(coded_table), want);
  EXPECT_EQ(counts(flat_table), want);

  // A flat key among them: the map declines and leaves the rows to the table.
  std::vector<uint8_t*> rows(3);
  EXPECT_FALSE(
      map.find_or_insert(coded_table, {batches[1][0], flatten(batches[1][1])}, 3, rows.data(), init));
}

TEST(DictionaryVectorTest, ParquetReaderHandsOnCodesAndFallsBackToFlat) {
  // Column m: five values and nulls, dictionary-encoded throughout. Column s: the dictionary
  // outgrows 4 KiB after the first pages, so the writer falls back to PLAIN within the chunk.
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("ember_dictionary_vector_" + std::to_string(::getpid()) + ".parquet"))
                               .string();
  Schema schema = parse_ddl_schema("m STRING, s STRING");
  const std::vector<std::string> modes = {"AIR", "MAIL", "SHIP", "", "TRUCK"};
  const size_t rows = 20000;
  {
    ParquetWriteOptions o;
    o.dictionary_page_size = 4096;
    o.page_size = 8192;
    ParquetFileWriter w(path, schema, o);
    std::vector<Value> m, s;
    for (size_t i = 0; i < rows; ++i) {
      m.push_back(i % 7 == 3 ? Value::null(kString) : Value::string(modes[(i * 31) % modes.size()]));
      s.push_back(Value::string("repeated value number " + std::to_string(i / 4)));
    }
    w.write(Batch({Vector::from_values(kString, m), Vector::from_values(kString, s)}, rows));
    w.close();
  }
  auto read = [&](bool dictionaries, size_t& coded_batches, size_t& flat_batches) {
    ParquetReadOptions o;
    o.dictionary_output = dictionaries;
    auto r = ParquetFileReader::open(path, o);
    std::vector<std::vector<Value>> out(2);
    coded_batches = flat_batches = 0;
    for (int g = 0; g < r->num_row_groups(); ++g) {
      auto rg = r->row_group_reader(g, {0, 1});
      Batch b;
      while (rg->next(b)) {
        for (size_t c = 0; c < 2; ++c) {
          (b.columns[c]->is_dictionary() ? coded_batches : flat_batches) += 1;
          for (size_t i = 0; i < b.num_rows; ++i) out[c].push_back(b.columns[c]->value_at(i));
        }
      }
    }
    return out;
  };
  size_t coded = 0, flat = 0;
  auto plain = read(false, coded, flat);
  EXPECT_EQ(coded, 0u);
  auto encoded = read(true, coded, flat);
  EXPECT_GT(coded, 0u);  // column m throughout, column s until the fallback
  EXPECT_GT(flat, 0u);   // column s after the fallback
  ASSERT_EQ(plain[0].size(), rows);
  EXPECT_EQ(encoded, plain);
  EXPECT_TRUE(plain[0][3].is_null());
  EXPECT_EQ(plain[0][1].as_string(), modes[31 % modes.size()]);
  std::filesystem::remove(path);
}

// A source of prepared batches, for the operator boundary.
class BatchesOperator final : public Operator {
 public:
  explicit BatchesOperator(std::vector<Batch> batches) : Operator("Batches"), batches_(std::move(batches)) {}

 protected:
  bool produce(Batch& out) override {
    if (next_ == batches_.size()) return false;
    out = batches_[next_++];
    return true;
  }

 private:
  std::vector<Batch> batches_;
  size_t next_ = 0;
};

TEST(DictionaryVectorTest, OperatorsHandOnDictionariesOnlyWhenAsked) {
  Batch b({make_coded(kEntries, kCodes)}, kCodes.size());
  BatchesOperator plain({b});
  Batch out;
  ASSERT_TRUE(plain.next(out));
  EXPECT_FALSE(out.columns[0]->is_dictionary());
  EXPECT_EQ(values_of(*out.columns[0]), values_of(*b.columns[0]));

  BatchesOperator asked({b});
  asked.request_dictionaries();
  ASSERT_TRUE(asked.next(out));
  EXPECT_TRUE(out.columns[0]->is_dictionary());
}

// A runtime filter passes rows through, so a parent's request for dictionaries reaches the scan
// below it: the kept rows arrive still coded (only their codes gathered), with the right values.
TEST(DictionaryVectorTest, RuntimeFilterForwardsTheRequestAndKeepsCodes) {
  const size_t n = kCodes.size();
  auto ids = Vector::make(DataType::int64(), n);
  for (size_t i = 0; i < n; ++i) ids->values<int64_t>()[i] = static_cast<int64_t>(i);
  Batch b({ids, make_coded(kEntries, kCodes)}, n);
  auto filter = std::make_shared<RuntimeFilter>();
  filter->key_types = {DataType::int64()};
  filter->ranges = {RuntimeFilter::KeyRange{true, 3, 8}};  // keeps rows 3..8
  filter->creation_rows = 6;
  RuntimeFilterOperator op(std::make_unique<BatchesOperator>(std::vector<Batch>{b}),
                           {AppliedRuntimeFilter{filter, {0}}});
  op.request_dictionaries();
  Batch out;
  ASSERT_TRUE(op.next(out));
  ASSERT_EQ(out.num_rows, 6u);
  EXPECT_TRUE(out.columns[1]->is_dictionary());
  const std::vector<Value> all = values_of(*make_coded(kEntries, kCodes));
  const std::vector<Value> kept = values_of(*out.columns[1]);
  ASSERT_EQ(kept.size(), 6u);
  for (size_t i = 0; i < kept.size(); ++i) EXPECT_EQ(kept[i], all[3 + i]) << i;
}

}  // namespace
}  // namespace ember
