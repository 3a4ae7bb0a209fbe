// Struct and map functions with Spark's names and semantics: struct, named_struct,
// get_struct_field (`s.a`, Column::get_field), create_map / map, map_from_arrays, map_keys,
// map_values, map_entries, map_contains_key, get_map_value (`m[k]`) and element_at /
// try_element_at on maps.
//
// Kernels work on the Arrow layouts directly: a struct is built over its argument vectors without
// copying them, a field is read by taking the field vector, map_keys/map_values/map_entries share
// the map's offsets and entry columns, and building a map is one gather per entry column.
#include "ember/functions/scalar/complex_type_functions.h"

#include <algorithm>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/types/time_zone.h"
#include "ember/vector/json_text.h"
#include "ember/vector/nested_key_encoding.h"

namespace ember {

namespace {

using namespace fn;

// ---- errors -------------------------------------------------------------------------------------

[[noreturn]] void throw_null_map_key() {
  throw_error(ErrorKind::kIllegalArgument, "NULL_MAP_KEY", "Cannot use null as map key. SQLSTATE: 2200E");
}

[[noreturn]] void throw_duplicated_map_key(const Value& key) {
  throw_error(
      ErrorKind::kIllegalArgument, "DUPLICATED_MAP_KEY",
      "Duplicate map key " + key.to_sql_literal() +
          " was found, please check the input data. If you want to remove the duplicated keys, you can "
          "set \"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key inserted at last takes "
          "precedence over the keys inserted before. SQLSTATE: 23505");
}

// Any type but a map (or one holding a map) may be a map key, as in Spark's
// TypeUtils.checkForMapKeyType: maps have no equality to find a key by.
void require_valid_map_key(const DataType& key) {
  if (!type_contains_map(key)) return;
  throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE",
              "The key of map cannot be/contain \"" + key.sql_string() + "\".");
}

// ---- key comparison -------------------------------------------------------------------------------

// Calls fn(eq) with eq(k, i) = "row k of `keys` equals row i of `probe`" for a flat key type,
// resolved once per batch so the row loops stay free of type dispatch. `probe` may be constant.
template <class Fn>
void with_key_equal(const DataType& t, const Vector& keys, const Vector& probe, Fn&& fn) {
  if (t.is_nested()) {
    // Arrays and structs compare as their canonical key bytes (nested nulls equal each other,
    // -0.0 = 0.0, NaN = NaN: Spark's ordering-based equality for complex keys).
    const VectorPtr k = encode_keys(keys, keys.size());
    const VectorPtr p = encode_keys(probe, probe.size());
    fn([&](size_t a, size_t i) { return k->string_at(a) == p->string_at(i); });
    return;
  }
  if (t.is_string_like()) {
    fn([&](size_t k, size_t i) { return keys.string_at(k) == probe.string_at(i); });
    return;
  }
  if (t.id() == TypeId::kNull) {
    fn([](size_t, size_t) { return false; });
    return;
  }
  dispatch_physical(t, [&](auto tag) {
    using T = decltype(tag);
    const T* kv = keys.size() ? keys.values<T>() : nullptr;
    const T* pv = probe.values<T>();
    const bool pc = probe.is_constant();
    fn([=](size_t k, size_t i) { return same_value<T>(kv[k], pv[pc ? 0 : i]); });
  });
}

// Throws NULL_MAP_KEY / DUPLICATED_MAP_KEY for the entries [begin, end) of every row of a map
// being built (`offsets` has n + 1 entries into `keys`). Rows of up to 16 entries compare pairwise;
// longer rows sort their key positions and compare neighbours, so a map of many entries costs
// O(m log m). `order` is scratch reused across rows.
void check_map_keys(const Vector& keys, const int32_t* offsets, size_t n, const Vector* validity_of_rows) {
  if (keys.may_have_nulls()) {
    for (size_t i = 0; i < n; ++i) {
      if (validity_of_rows && validity_of_rows->is_null(i)) continue;
      for (int32_t e = offsets[i]; e < offsets[i + 1]; ++e) {
        if (keys.is_null(static_cast<size_t>(e))) throw_null_map_key();
      }
    }
  }
  const DataType& t = keys.type();
  std::vector<uint32_t> order;
  // Arrays and structs: their canonical key bytes, equal exactly for equal keys (the keys are
  // not null here), sorted as bytes when a row is long.
  const VectorPtr encoded = t.is_nested() ? encode_keys(keys, keys.size()) : nullptr;
  auto scan = [&](auto&& equal, auto&& less) {
    for (size_t i = 0; i < n; ++i) {
      if (validity_of_rows && validity_of_rows->is_null(i)) continue;
      const auto b = static_cast<size_t>(offsets[i]), e = static_cast<size_t>(offsets[i + 1]);
      if (e - b <= 16) {
        for (size_t x = b; x < e; ++x) {
          for (size_t y = x + 1; y < e; ++y) {
            if (equal(x, y)) throw_duplicated_map_key(keys.value_at(y));
          }
        }
        continue;
      }
      order.resize(e - b);
      for (size_t k = 0; k < order.size(); ++k) order[k] = static_cast<uint32_t>(b + k);
      std::sort(order.begin(), order.end(), less);
      for (size_t k = 1; k < order.size(); ++k) {
        if (equal(order[k - 1], order[k])) throw_duplicated_map_key(keys.value_at(order[k]));
      }
    }
  };
  if (encoded != nullptr || t.is_string_like()) {
    const Vector& b = encoded != nullptr ? *encoded : keys;
    scan([&](size_t x, size_t y) { return b.string_at(x) == b.string_at(y); },
         [&](uint32_t x, uint32_t y) { return b.string_at(x) < b.string_at(y); });
    return;
  }
  if (t.id() == TypeId::kNull) return;
  dispatch_physical(t, [&](auto tag) {
    using T = decltype(tag);
    const T* v = keys.size() ? keys.values<T>() : nullptr;
    // NaN sorts last and equals NaN; -0.0 equals 0.0 (same_value), so equal keys are adjacent.
    auto less = [v](uint32_t x, uint32_t y) {
      if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(v[x])) return false;
        if (std::isnan(v[y])) return true;
      }
      return v[x] < v[y];
    };
    scan([v](size_t x, size_t y) { return same_value<T>(v[x], v[y]); }, less);
  });
}

// A map vector of n rows over `offsets` (n + 1, starting anywhere) and the entry columns.
VectorPtr make_map(const DataType& type, size_t n, const int32_t* offsets, VectorPtr keys, VectorPtr values) {
  auto out = Vector::make(type, n);
  std::memcpy(out->mutable_offsets(), offsets, (n + 1) * sizeof(int32_t));
  const size_t m = keys->size();
  out->set_child(Vector::make_struct(type.element_type(), m, {std::move(keys), std::move(values)}));
  return out;
}

// The first n rows of v as a flat vector of exactly n rows (fields of a struct may be longer).
VectorPtr first_rows(const VectorPtr& v, size_t n) {
  if (v->size() == n) return flatten(v);
  std::vector<uint32_t> sel(n);
  for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(i);
  return gather(*v, sel.data(), n);
}

// ---- struct / named_struct -----------------------------------------------------------------------

// The kernel of both: the field vectors are the value arguments themselves (every `stride`-th
// argument from `first`); a struct built here is never null.
std::shared_ptr<const ScalarKernel> struct_kernel(DataType type, size_t first, size_t stride) {
  return make_kernel([type, first, stride](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    std::vector<VectorPtr> fields;
    for (size_t k = first; k < v.size(); k += stride) fields.push_back(v[k]);
    return Vector::make_struct(type, n, std::move(fields));
  });
}

// struct(a, b, ...): fields named after the argument columns (aliases, attributes, fields), else
// col1, col2, ... by position, as Spark's CreateStruct names them.
BoundFunction bind_struct(const std::vector<DataType>& args, const BindContext& ctx) {
  std::vector<Field> fields;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = i < ctx.arg_names.size() ? ctx.arg_names[i] : std::string();
    if (name.empty()) name = "col" + std::to_string(i + 1);
    fields.push_back(Field{std::move(name), args[i], true});
  }
  DataType type = DataType::struct_(std::move(fields));
  return bound(type, args, struct_kernel(type, 0, 1), false, /*nullable=*/false);
}

// named_struct(name1, value1, ...): the names must be non-null string literals.
BoundFunction bind_named_struct(const std::vector<DataType>& args, const BindContext& ctx) {
  if (args.size() % 2 != 0) {
    throw_error(ErrorKind::kAnalysis, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                "The `named_struct` requires an even number of arguments (names and values), but the actual "
                "number is " +
                    std::to_string(args.size()) + ".");
  }
  std::vector<Field> fields;
  for (size_t i = 0; i < args.size(); i += 2) {
    const auto& lit = i < ctx.literals.size() ? ctx.literals[i] : std::nullopt;
    if (!lit || lit->is_null() || lit->type().id() != TypeId::kString) {
      throw_error(
          ErrorKind::kAnalysis, "DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING",
          "Cannot resolve \"named_struct\" due to data type mismatch: Only foldable `STRING` expressions are "
          "allowed to appear at odd position, but the argument at position " +
              std::to_string(i + 1) + " is not a string literal.");
    }
    fields.push_back(Field{lit->as_string(), args[i + 1], true});
  }
  DataType type = DataType::struct_(std::move(fields));
  return bound(type, args, struct_kernel(type, 1, 2), false, /*nullable=*/false);
}

// ---- get_struct_field ----------------------------------------------------------------------------

// get_struct_field(s, 'a'): Spark's GetStructField (`s.a`, s.getField("a"), s["a"]). The field is
// null where the struct is.
BoundFunction bind_get_struct_field(const std::vector<DataType>& args, const BindContext& ctx) {
  if (args[0].id() != TypeId::kStruct) throw_input_type("get_struct_field", 1, "\"STRUCT\"", args[0]);
  const auto& lit = ctx.literals.size() > 1 ? ctx.literals[1] : std::nullopt;
  if (!lit || lit->is_null() || lit->type().id() != TypeId::kString) {
    throw_error(ErrorKind::kAnalysis, "INVALID_EXTRACT_FIELD_TYPE",
                "Field name should be a non-null string literal, but it's not one.");
  }
  const int index = args[0].field_index(lit->as_string());
  if (index < 0) {
    std::string names;
    for (const Field& f : args[0].fields()) names += (names.empty() ? "`" : ", `") + f.name + "`";
    throw_error(ErrorKind::kAnalysis, "FIELD_NOT_FOUND",
                "No such struct field `" + lit->as_string() + "` in " + names + ". SQLSTATE: 42704");
  }
  const auto k = static_cast<size_t>(index);
  auto kernel = make_kernel([k](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    VectorPtr s = flatten(v[0]);
    VectorPtr field = first_rows(s->field(k), n);
    if (!s->may_have_nulls()) return field;
    // A copy whose validity is the field's and the struct's.
    std::vector<uint32_t> sel(n);
    for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(i);
    VectorPtr out = gather(*field, sel.data(), n);
    for (size_t i = 0; i < n; ++i) {
      if (s->is_null(i)) out->set_null(i);
    }
    return out;
  });
  return bound(args[0].fields()[k].type, args, kernel);
}

// ---- create_map / map ----------------------------------------------------------------------------

// The common type of every `stride`-th argument from `first`, or DATA_DIFF_TYPES.
DataType common_type(const char* fn, const std::vector<DataType>& args, size_t first, size_t stride,
                     bool ansi, const char* what) {
  DataType t = DataType::null();
  for (size_t i = first; i < args.size(); i += stride) {
    auto w = wider_type(t, args[i], ansi);
    if (!w) {
      std::string list;
      for (size_t k = first; k < args.size(); k += stride)
        list += (list.empty() ? "\"" : ", \"") + sql_type(args[k]) + "\"";
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.CREATE_MAP_" + std::string(what) + "_DIFF_TYPES",
                  std::string("Cannot resolve \"") + fn + "\" due to data type mismatch: The given " +
                      to_lower(what) + "s of function `" + fn +
                      "` should all be the same type, but they are [" + list + "].");
    }
    t = *w;
  }
  return t;
}

// create_map(k1, v1, k2, v2, ...): keys meet at their wider type, values likewise; a null key is
// NULL_MAP_KEY and a repeated key DUPLICATED_MAP_KEY (spark.sql.mapKeyDedupPolicy=EXCEPTION).
BoundFunction bind_create_map(const std::vector<DataType>& args, const BindContext& ctx) {
  if (args.size() % 2 != 0) {
    throw_error(
        ErrorKind::kAnalysis, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
        "The `map` requires an even number of arguments (keys and values), but the actual number is " +
            std::to_string(args.size()) + ".");
  }
  const DataType key = common_type("map", args, 0, 2, ctx.ansi, "KEY");
  const DataType value = common_type("map", args, 1, 2, ctx.ansi, "VALUE");
  require_valid_map_key(key);
  const DataType type = DataType::map(key, value);
  std::vector<DataType> casts;
  for (size_t i = 0; i < args.size(); ++i) casts.push_back(i % 2 == 0 ? key : value);
  auto kernel = make_kernel([type](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const size_t k = v.size() / 2;
    if (n * k > static_cast<size_t>(INT32_MAX)) {
      throw_error(ErrorKind::kUnsupported, "a map column batch holds more than 2^31 entries");
    }
    std::vector<int32_t> off(n + 1);
    for (size_t i = 0; i <= n; ++i) off[i] = static_cast<int32_t>(i * k);
    // Row i's entries are pairs 0..k-1 at row i: one gather over the keys (values) laid end to end.
    std::vector<uint32_t> sel(n * k);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < k; ++j) sel[i * k + j] = static_cast<uint32_t>(j * n + i);
    }
    auto column = [&](size_t first, const DataType& t) {
      if (k == 0) return Vector::make(t, 0);
      std::vector<VectorPtr> parts;
      for (size_t j = first; j < v.size(); j += 2) parts.push_back(v[j]);
      return gather(*concat(parts), sel.data(), sel.size());
    };
    VectorPtr keys = column(0, type.key_type());
    VectorPtr values = column(1, type.value_type());
    check_map_keys(*keys, off.data(), n, nullptr);
    return make_map(type, n, off.data(), std::move(keys), std::move(values));
  });
  return bound(type, casts, kernel, false, /*nullable=*/false);
}

// ---- map_from_arrays -----------------------------------------------------------------------------

BoundFunction bind_map_from_arrays(const std::vector<DataType>& args, const BindContext&) {
  for (int i = 0; i < 2; ++i) {
    if (args[i].id() != TypeId::kArray) throw_input_type("map_from_arrays", i + 1, "\"ARRAY\"", args[i]);
  }
  const DataType key = args[0].element_type();
  require_valid_map_key(key);
  const DataType type = DataType::map(key, args[1].element_type(), args[1].contains_null());
  auto kernel = make_kernel([type](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& ka = *v[0];
    const Vector& va = *v[1];
    std::vector<int32_t> off(n + 1, 0);
    std::vector<uint32_t> ksel, vsel;
    auto out_validity = Vector::make(DataType::boolean(), n);  // carries the result's nulls
    for (size_t i = 0; i < n; ++i) {
      off[i + 1] = off[i];
      if (ka.is_null(i) || va.is_null(i)) {
        out_validity->set_null(i);
        continue;
      }
      const size_t m = ka.array_size(i);
      if (va.array_size(i) != m) {
        throw_error(
            ErrorKind::kIllegalArgument, "INVALID_PARAMETER_VALUE.MAP_FROM_ARRAYS_LENGTH",
            "The key array and value array of MapData must have the same length (map_from_arrays got " +
                std::to_string(m) + " keys and " + std::to_string(va.array_size(i)) + " values).");
      }
      for (size_t e = 0; e < m; ++e) {
        ksel.push_back(static_cast<uint32_t>(ka.array_offset(i) + e));
        vsel.push_back(static_cast<uint32_t>(va.array_offset(i) + e));
      }
      if (ksel.size() > static_cast<size_t>(INT32_MAX)) {
        throw_error(ErrorKind::kUnsupported, "a map column batch holds more than 2^31 entries");
      }
      off[i + 1] = static_cast<int32_t>(ksel.size());
    }
    VectorPtr keys = gather(*ka.child(), ksel.data(), ksel.size());
    VectorPtr values = gather(*va.child(), vsel.data(), vsel.size());
    check_map_keys(*keys, off.data(), n, nullptr);
    VectorPtr out = make_map(type, n, off.data(), std::move(keys), std::move(values));
    if (out_validity->may_have_nulls()) out->set_validity_buffer(out_validity->validity_buffer());
    return out;
  });
  return bound(type, args, kernel);
}

// ---- map_keys / map_values / map_entries -----------------------------------------------------------

DataType map_param(const char* fn, int i, const DataType& t) {
  if (t.id() == TypeId::kMap) return t;
  throw_input_type(fn, i, "\"MAP\"", t);
}

// An array over the map's own offsets and validity whose child is one entry column (or the
// entries struct itself): no element is copied.
enum class MapPart { kKeys, kValues, kEntries };

template <MapPart kPart>
BoundFunction bind_map_part(const std::vector<DataType>& args, const BindContext&) {
  const char* name = kPart == MapPart::kKeys     ? "map_keys"
                     : kPart == MapPart::kValues ? "map_values"
                                                 : "map_entries";
  const DataType m = map_param(name, 1, args[0]);
  const DataType type = kPart == MapPart::kKeys     ? DataType::array(m.key_type(), false)
                        : kPart == MapPart::kValues ? DataType::array(m.value_type(), m.contains_null())
                                                    : DataType::array(m.element_type(), false);
  auto kernel = make_kernel([type](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    VectorPtr map = flatten(v[0]);
    auto out = Vector::make(type, n);
    std::memcpy(out->mutable_offsets(), map->offsets(), (n + 1) * sizeof(int32_t));
    if (map->may_have_nulls()) out->set_validity_buffer(map->validity_buffer());
    if constexpr (kPart == MapPart::kKeys) out->set_child(map->map_keys());
    else if constexpr (kPart == MapPart::kValues) out->set_child(map->map_values());
    else out->set_child(map->child());
    return out;
  });
  return bound(type, args, kernel);
}

// ---- lookups ----------------------------------------------------------------------------------------

// The map type a lookup works on and the key type it probes with: the map's key type and the key
// argument meet at their wider type (Spark's MapContainsKey / ElementAt coercion).
std::pair<DataType, DataType> lookup_types(const char* fn, const std::vector<DataType>& args, bool ansi) {
  const DataType m = map_param(fn, 1, args[0]);
  require_valid_map_key(m.key_type());
  auto key = args[1].id() == TypeId::kNull ? std::optional<DataType>(m.key_type())
                                           : wider_type(m.key_type(), args[1], ansi);
  if (!key || key->is_nested() != m.key_type().is_nested()) {
    throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.MAP_FUNCTION_DIFF_TYPES",
                std::string("Cannot resolve \"") + fn + "\" due to data type mismatch: Input to `" + fn +
                    "` should have been \"MAP\" followed by a value with same key type, but it's [\"" +
                    sql_type(args[0]) + "\", \"" + sql_type(args[1]) + "\"].");
  }
  return {DataType::map(*key, m.value_type(), m.contains_null()), *key};
}

// For each row the entry index whose key equals the probe, or -1 (also for null maps or keys).
std::vector<int64_t> find_entries(const Vector& map, const Vector& probe, size_t n) {
  std::vector<int64_t> found(n, -1);
  const Vector& keys = *map.map_keys();
  with_key_equal(keys.type(), keys, probe, [&](auto&& equal) {
    for (size_t i = 0; i < n; ++i) {
      if (map.is_null(i) || probe.is_null(i)) continue;
      const size_t b = map.array_offset(i), e = b + map.array_size(i);
      for (size_t k = b; k < e; ++k) {
        if (equal(k, i)) {
          found[i] = static_cast<int64_t>(k);
          break;
        }
      }
    }
  });
  return found;
}

BoundFunction bind_map_value(const char* name, const std::vector<DataType>& args, const BindContext& ctx) {
  auto [m, key] = lookup_types(name, args, ctx.ansi);
  const DataType value = m.value_type();
  auto kernel = make_kernel([value](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    VectorPtr map = flatten(v[0]);
    std::vector<int64_t> found = find_entries(*map, *v[1], n);
    if (std::all_of(found.begin(), found.end(), [](int64_t f) { return f < 0; }))
      return Vector::make_null(value, n);
    std::vector<uint32_t> sel(n);
    for (size_t i = 0; i < n; ++i) sel[i] = static_cast<uint32_t>(found[i] < 0 ? 0 : found[i]);
    VectorPtr out = gather(*map->map_values(), sel.data(), n);
    for (size_t i = 0; i < n; ++i) {
      if (found[i] < 0) out->set_null(i);
    }
    return out;
  });
  return bound(value, {m, key}, kernel, /*accepts_constants=*/true);
}

BoundFunction bind_get_map_value(const std::vector<DataType>& args, const BindContext& ctx) {
  return bind_map_value("get_map_value", args, ctx);
}

// map_contains_key(m, k): false for a missing key, null for a null map or key.
BoundFunction bind_map_contains_key(const std::vector<DataType>& args, const BindContext& ctx) {
  auto [m, key] = lookup_types("map_contains_key", args, ctx.ansi);
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    VectorPtr map = flatten(v[0]);
    std::vector<int64_t> found = find_entries(*map, *v[1], n);
    auto out = Vector::make(DataType::boolean(), n);
    uint8_t* o = out->values<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      o[i] = found[i] >= 0;
      if (map->is_null(i) || v[1]->is_null(i)) out->set_null(i);
    }
    return out;
  });
  return bound(DataType::boolean(), {m, key}, kernel, /*accepts_constants=*/true);
}

// ---- to_json -----------------------------------------------------------------------------------

// to_json(struct | map | array): Spark's JSON text (vector/json_text.h); null for a null input.
BoundFunction bind_to_json(const std::vector<DataType>& args, const BindContext&) {
  if (!args[0].is_nested()) {
    throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.INVALID_JSON_SCHEMA",
                "Cannot resolve \"to_json\" due to data type mismatch: Input schema \"" + sql_type(args[0]) +
                    "\" must be a struct, an array or a map.");
  }
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ctx) {
    const Vector& in = *v[0];
    auto out = Vector::make(DataType::string(), n);
    const TimeZone& tz = ctx.time_zone ? *ctx.time_zone : *TimeZone::utc();
    std::string text;
    for (size_t i = 0; i < n; ++i) {
      if (in.is_null(i)) {
        out->set_null_string(i);
        continue;
      }
      text.clear();
      append_json_value(text, in, i, tz);
      out->set_string(i, text);
    }
    return out;
  });
  return bound(DataType::string(), args, kernel);
}

}  // namespace

BoundFunction bind_map_lookup(const char* name, const std::vector<DataType>& args, const BindContext& ctx) {
  return bind_map_value(name, args, ctx);
}

void register_complex_type_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"struct", 0, -1, &bind_struct});
  r.add(FunctionDef{"named_struct", 0, -1, &bind_named_struct});
  // Not Spark function names: the `s.a` and `m[k]` operators (GetStructField, GetMapValue), which
  // the analyzer and Column::get_field / get_item build.
  r.add(FunctionDef{"get_struct_field", 2, 2, &bind_get_struct_field});
  r.add(FunctionDef{"get_map_value", 2, 2, &bind_get_map_value});
  r.add(FunctionDef{"map", 0, -1, &bind_create_map});
  r.add_alias("create_map", "map");
  r.add(FunctionDef{"map_from_arrays", 2, 2, &bind_map_from_arrays});
  r.add(FunctionDef{"map_keys", 1, 1, &bind_map_part<MapPart::kKeys>});
  r.add(FunctionDef{"map_values", 1, 1, &bind_map_part<MapPart::kValues>});
  r.add(FunctionDef{"map_entries", 1, 1, &bind_map_part<MapPart::kEntries>});
  r.add(FunctionDef{"map_contains_key", 2, 2, &bind_map_contains_key});
  r.add(FunctionDef{"to_json", 1, 1, &bind_to_json});
}

}  // namespace ember
