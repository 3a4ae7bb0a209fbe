// A C-ABI shared library over ember's Arrow C Data Interface (src/ember/interop), so that
// test_arrow_interop.py can hand pyarrow's exported structs to ember and ember's to pyarrow
// through ctypes, in one process. It links only the layers the interop
// needs (vectors, types, errors), compiled position-independent for this library alone.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "ember/common/error.h"
#include "ember/interop/arrow_interop.h"
#include "ember/types/value.h"

using namespace ember;

namespace {

int fail(char* err, size_t err_size, const char* what) {
  if (err != nullptr && err_size > 0) std::snprintf(err, err_size, "%s", what);
  return 1;
}

std::vector<Batch> import_all(ArrowSchema* schema, ArrowArray* array, Schema* out_schema) {
  try {
    *out_schema = import_arrow_schema(schema);
    auto batches = import_arrow_array(*out_schema, schema, array);
    schema->release(schema);
    return batches;
  } catch (...) {
    if (schema->release != nullptr) schema->release(schema);
    if (array->release != nullptr) array->release(array);
    throw;
  }
}

}  // namespace

extern "C" {

// Imports (consumes) a record batch and exports ember's vectors of it again into out_*.
int ember_bridge_roundtrip(ArrowSchema* in_schema, ArrowArray* in_array, ArrowSchema* out_schema,
                           ArrowArray* out_array, char* err, size_t err_size) {
  try {
    Schema schema;
    auto batches = import_all(in_schema, in_array, &schema);
    Batch all;
    if (batches.size() == 1) {
      all = batches[0];
    } else if (batches.empty()) {
      for (const auto& f : schema.fields()) all.columns.push_back(Vector::make(f.type, 0));
    } else {
      all = concat_batches(batches);
    }
    export_arrow_schema(schema, out_schema);
    export_arrow_array(all, out_array);
    return 0;
  } catch (const std::exception& e) {
    return fail(err, err_size, e.what());
  }
}

// Imports (consumes) a record batch and writes ember's schema DDL, then one line per row with
// each value as ember's show() text (timestamps in UTC), separated by " | ".
int ember_bridge_render(ArrowSchema* in_schema, ArrowArray* in_array, char* out, size_t out_size) {
  try {
    Schema schema;
    auto batches = import_all(in_schema, in_array, &schema);
    std::string text = schema.to_ddl() + "\n";
    for (const Batch& b : batches) {
      for (size_t r = 0; r < b.num_rows; ++r) {
        for (size_t c = 0; c < b.num_columns(); ++c) {
          if (c > 0) text += " | ";
          text += b.columns[c]->value_at(r).to_string();
        }
        text += "\n";
      }
    }
    if (text.size() + 1 > out_size) return fail(out, out_size, "output buffer too small");
    std::memcpy(out, text.c_str(), text.size() + 1);
    return 0;
  } catch (const std::exception& e) {
    return fail(out, out_size, e.what());
  }
}

// Exports a batch ember builds from values (every type, nulls at every level): the rows the test
// expects, written out in test_arrow_interop.py by hand. *int_data receives the address of the
// int column's values in ember's memory, so the test can see that pyarrow reads them in place.
int ember_bridge_sample(ArrowSchema* out_schema, ArrowArray* out_array, uintptr_t* int_data) {
  const DataType ints = DataType::array(DataType::int32());
  const DataType map_type = DataType::map(DataType::string(), DataType::int64());
  const DataType point =
      DataType::struct_({Field{"x", DataType::float64(), true}, Field{"tag", DataType::string(), true}});
  Schema schema({Field{"flag", DataType::boolean(), true}, Field{"b", DataType::byte(), true},
                 Field{"s", DataType::short_(), true}, Field{"i", DataType::int32(), false},
                 Field{"l", DataType::int64(), true}, Field{"f", DataType::float32(), true},
                 Field{"d", DataType::float64(), true}, Field{"dec", DataType::decimal(38, 10), true},
                 Field{"str", DataType::string(), true}, Field{"bin", DataType::binary(), true},
                 Field{"day", DataType::date(), true}, Field{"ts", DataType::timestamp(), true},
                 Field{"arr", ints, true}, Field{"m", map_type, true}, Field{"p", point, true}});
  auto null = [&](size_t c) { return Value::null(schema.field(c).type); };
  int128_t big = 1;
  for (int k = 0; k < 37; ++k) big *= 10;  // 10^37: beyond 64 bits
  std::vector<std::vector<Value>> rows = {
      {Value::boolean(true), Value::byte(-128), Value::short_(32767), Value::int32(1),
       Value::int64(-9'000'000'000), Value::float32(1.5f), Value::float64(-0.25),
       Value::decimal(big + 5, 38, 10), Value::string("héllo"), Value::binary(std::string("\x00\xff", 2)),
       Value::date(19'782), Value::timestamp(1'709'164'800'123'456),
       Value::array(DataType::int32(), {Value::int32(1), Value::null(DataType::int32()), Value::int32(3)}),
       Value::map(map_type, {Value::string("a")}, {Value::int64(1)}),
       Value::struct_(point, {Value::float64(2.5), Value::string("p")})},
      {null(0), null(1), null(2), Value::int32(2), null(4), null(5), null(6), null(7), null(8), null(9),
       null(10), null(11), null(12), null(13), null(14)},
      {Value::boolean(false), Value::byte(7), Value::short_(-1), Value::int32(3), Value::int64(0),
       Value::float32(-2.0f), Value::float64(1e300), Value::decimal(-12345, 38, 10), Value::string(""),
       Value::binary(""), Value::date(-1), Value::timestamp(-1), Value::array(DataType::int32(), {}),
       Value::map(map_type, {Value::string("x"), Value::string("y")},
                  {Value::null(DataType::int64()), Value::int64(2)}),
       Value::struct_(point, {Value::null(DataType::float64()), Value::null(DataType::string())})}};
  Batch batch;
  batch.num_rows = rows.size();
  for (size_t c = 0; c < schema.size(); ++c) {
    std::vector<Value> column;
    for (const auto& r : rows) column.push_back(r[c]);
    batch.columns.push_back(Vector::from_values(schema.field(c).type, column));
  }
  export_arrow_schema(schema, out_schema);
  export_arrow_array(batch, out_array);
  *int_data = reinterpret_cast<uintptr_t>(batch.columns[3]->data_buffer()->data());
  return 0;
}

// Exports a stream of `batches` batches of `rows` rows each (id bigint = 0, 1, 2, ... across the
// stream, s string = "v<id>").
int ember_bridge_stream(ArrowArrayStream* out, int batches, int rows) {
  Schema schema({Field{"id", DataType::int64(), false}, Field{"s", DataType::string(), true}});
  std::vector<Batch> all;
  int64_t id = 0;
  for (int b = 0; b < batches; ++b) {
    auto ids = Vector::make(DataType::int64(), static_cast<size_t>(rows));
    auto strings = Vector::make(DataType::string(), static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r, ++id) {
      ids->values<int64_t>()[r] = id;
      strings->set_string(static_cast<size_t>(r), "v" + std::to_string(id));
    }
    all.push_back(Batch({ids, strings}, static_cast<size_t>(rows)));
  }
  export_arrow_stream(std::move(all), schema, out);
  return 0;
}

// Reads (consumes) a stream with ember and returns its row count, or -1 with the error in err.
int64_t ember_bridge_count_stream(ArrowArrayStream* in, char* err, size_t err_size) {
  try {
    int64_t rows = 0;
    for (const Batch& b : import_arrow_stream(in).second) rows += static_cast<int64_t>(b.num_rows);
    return rows;
  } catch (const std::exception& e) {
    fail(err, err_size, e.what());
    return -1;
  }
}

}  // extern "C"
