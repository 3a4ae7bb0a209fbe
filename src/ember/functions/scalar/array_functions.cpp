// Array functions: array(...), size/cardinality, element_at/try_element_at, get, array_contains,
// and get_array_item, the `arr[i]` operator behind Column::get_item (Spark's GetArrayItem).
// split, which makes arrays from strings, lives with the other regex functions.
//
// Kernels work on the Arrow list layout directly: offsets pick each row's elements out of the
// child vector, and results that are elements (element_at) are one gather of the child.
#include <cmath>
#include <type_traits>

#include "ember/functions/scalar/complex_type_functions.h"
#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"

namespace ember {

namespace {

using namespace fn;

// An array parameter. An untyped NULL is accepted as an array of void, as Spark's implicit cast of
// NullType to ArrayType does.
DataType array_param(const char* fn, int i, const DataType& t, const char* required = "\"ARRAY\"") {
  if (t.id() == TypeId::kArray) return t;
  if (t.id() == TypeId::kNull) return DataType::array(DataType::null());
  throw_input_type(fn, i, required, t);
}

// An array index: Spark's ElementAt and GetArrayItem take an integral type other than bigint,
// cast to int.
DataType index_param(const char* fn, int i, const DataType& t) {
  if (t.id() == TypeId::kByte || t.id() == TypeId::kShort || t.id() == TypeId::kInt ||
      t.id() == TypeId::kNull) {
    return DataType::int32();
  }
  throw_input_type(fn, i, "\"INT\"", t);
}

// ---- array(...) -----------------------------------------------------------------------------

// array(a, b, ...): the arguments meet at their wider type; array() is an array<void>. Spark sets
// containsNull from the arguments' nullability, which bind() cannot see: ember says true.
BoundFunction bind_array(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType element = DataType::null();
  for (const DataType& a : args) {
    auto w = wider_type(element, a, ctx.ansi);
    if (!w) {
      std::string list;
      for (size_t k = 0; k < args.size(); ++k) list += (k ? ", \"" : "\"") + sql_type(args[k]) + "\"";
      throw_error(
          ErrorKind::kAnalysis, "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
          "Cannot resolve \"array\" due to data type mismatch: Input to `array` should all be the same type, "
          "but it's [" +
              list + "].");
    }
    element = *w;
  }
  const DataType result = DataType::array(element);
  auto kernel = make_kernel([result](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const size_t k = v.size();
    auto out = Vector::make(result, n);
    int32_t* off = out->mutable_offsets();
    if (n * k > static_cast<size_t>(INT32_MAX)) {
      throw_error(ErrorKind::kUnsupported, "an array column batch holds more than 2^31 elements");
    }
    for (size_t i = 0; i <= n; ++i) off[i] = static_cast<int32_t>(i * k);
    if (k == 0) return out;
    // Row i's elements are argument 0..k-1 at row i: one gather over the arguments laid end to end.
    VectorPtr all = concat(v);
    std::vector<uint32_t> sel(n * k);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < k; ++j) sel[i * k + j] = static_cast<uint32_t>(j * n + i);
    }
    out->set_child(gather(*all, sel.data(), sel.size()));
    return out;
  });
  return bound(result, std::vector<DataType>(args.size(), element), kernel, /*accepts_constants=*/false,
               /*nullable=*/false);
}

// ---- size -------------------------------------------------------------------------------------

// size(arr) / cardinality(arr): the number of elements. A null array gives null under ANSI (the
// Spark 4 default); without ANSI, Spark's spark.sql.legacy.sizeOfNull (default true) makes it -1,
// and that is what ember does (the legacy flag itself is not read).
BoundFunction bind_size(const std::vector<DataType>& args, const BindContext& ctx) {
  // A map's offsets count its entries exactly as an array's count its elements.
  DataType a =
      args[0].id() == TypeId::kMap ? args[0] : array_param("size", 1, args[0], "(\"ARRAY\" or \"MAP\")");
  const bool minus_one_for_null = !ctx.ansi;
  auto kernel =
      make_kernel([minus_one_for_null](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
        const Vector& arr = *v[0];
        auto out = Vector::make(DataType::int32(), n);
        int32_t* o = out->values<int32_t>();
        const int32_t* off = arr.offsets();
        for (size_t i = 0; i < n; ++i) o[i] = off[i + 1] - off[i];
        if (arr.may_have_nulls()) {
          if (minus_one_for_null) {
            for (size_t i = 0; i < n; ++i) {
              if (arr.is_null(i)) o[i] = -1;
            }
          } else {
            std::memcpy(out->mutable_validity(), arr.validity(), bitmap_bytes(n));
          }
        }
        return out;
      });
  return bound(DataType::int32(), {a}, kernel, /*accepts_constants=*/false, /*nullable=*/!minus_one_for_null);
}

// ---- element access ---------------------------------------------------------------------------

// How an index picks an element and what an index outside the array does.
enum class IndexMode {
  kElementAt,     // element_at: 1-based, negative from the end; out of range: ANSI error, else null
  kTryElementAt,  // try_element_at: as element_at, out of range always null
  kGet,           // get: 0-based, out of range null
  kGetArrayItem,  // arr[i]: 0-based; out of range: ANSI error (INVALID_ARRAY_INDEX), else null
};

[[noreturn]] void throw_index_of_zero() {
  throw_error(ErrorKind::kIllegalArgument, "INVALID_INDEX_OF_ZERO",
              "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1). "
              "SQLSTATE: 22003");
}

[[noreturn]] void throw_index_out_of_bounds(IndexMode mode, int32_t index, size_t size) {
  const bool element_at = mode == IndexMode::kElementAt;
  throw_error(
      ErrorKind::kIllegalArgument, element_at ? "INVALID_ARRAY_INDEX_IN_ELEMENT_AT" : "INVALID_ARRAY_INDEX",
      "The index " + std::to_string(index) + " is out of bounds. The array has " + std::to_string(size) +
          " elements. " +
          (element_at ? "Use `try_element_at` to tolerate accessing element at invalid index and return "
                        "NULL instead. "
                      : "Use the SQL function `get()` to tolerate accessing element at invalid index and "
                        "return NULL instead. ") +
          kAnsiHint + " SQLSTATE: 22003");
}

// Row i's element at index[i]: one gather of the child at the chosen positions; rows whose array
// or index is null, or whose index falls outside the array (when that is not an error), are null.
VectorPtr extract_elements(const Vector& arr, const Vector& index, size_t n, const DataType& element_type,
                           IndexMode mode, bool ansi) {
  const bool one_based = mode == IndexMode::kElementAt || mode == IndexMode::kTryElementAt;
  const bool error_out_of_range = ansi && (mode == IndexMode::kElementAt || mode == IndexMode::kGetArrayItem);
  const int32_t* off = arr.offsets();
  std::vector<uint32_t> sel(n, 0);
  std::vector<uint8_t> present(n, 0);
  bool any_present = false;
  for (size_t i = 0; i < n; ++i) {
    if (arr.is_null(i) || index.is_null(i)) continue;
    const int32_t k = value_at<int32_t>(index, i);
    const auto size = static_cast<int64_t>(off[i + 1] - off[i]);
    int64_t pos;
    if (one_based) {
      if (k == 0) throw_index_of_zero();
      pos = k > 0 ? int64_t{k} - 1 : size + k;
    } else {
      pos = k;
    }
    if (pos < 0 || pos >= size) {
      if (error_out_of_range) throw_index_out_of_bounds(mode, k, static_cast<size_t>(size));
      continue;
    }
    sel[i] = static_cast<uint32_t>(off[i] + pos);
    present[i] = 1;
    any_present = true;
  }
  if (!any_present) return Vector::make_null(element_type, n);
  // Rows without an element point at element 0 (which exists) and are nulled afterwards.
  VectorPtr out = gather(*arr.child(), sel.data(), n);
  for (size_t i = 0; i < n; ++i) {
    if (!present[i]) out->set_null(i);
  }
  return out;
}

template <IndexMode kMode>
BoundFunction bind_extract(const std::vector<DataType>& args, const BindContext& ctx) {
  const char* name = kMode == IndexMode::kElementAt      ? "element_at"
                     : kMode == IndexMode::kTryElementAt ? "try_element_at"
                     : kMode == IndexMode::kGet          ? "get"
                                                         : "get_array_item";
  if (args[0].id() == TypeId::kMap) return bind_map_lookup(name, args, ctx);
  DataType a = array_param(name, 1, args[0]);
  DataType i = index_param(name, 2, args[1]);
  const DataType element = a.element_type();
  auto kernel = make_kernel([element](const std::vector<VectorPtr>& v, size_t n, const EvalContext& ectx) {
    return extract_elements(*v[0], *v[1], n, element, kMode, ectx.ansi);
  });
  return bound(element, {a, i}, kernel);
}

// ---- array_contains ---------------------------------------------------------------------------

// array_contains(arr, value): true when an element equals value; otherwise null when the array
// holds a null element, else false. A null array or value gives null.
template <class Get, class Equal>
VectorPtr contains_rows(const Vector& arr, const Vector& value, size_t n, Get element_is_null, Equal equal) {
  auto out = Vector::make(DataType::boolean(), n);
  if (!and_validity(*out, {&arr, &value}, n)) return Vector::make_null(DataType::boolean(), n);
  uint8_t* o = out->values<uint8_t>();
  const int32_t* off = arr.offsets();
  for (size_t i = 0; i < n; ++i) {
    o[i] = 0;
    if (!out->is_valid(i)) continue;
    bool saw_null = false;
    for (int32_t e = off[i]; e < off[i + 1]; ++e) {
      const auto k = static_cast<size_t>(e);
      if (element_is_null(k)) {
        saw_null = true;
      } else if (equal(k, i)) {
        o[i] = 1;
        break;
      }
    }
    if (!o[i] && saw_null) out->set_null(i);
  }
  return out;
}

BoundFunction bind_array_contains(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType a = array_param("array_contains", 1, args[0]);
  const DataType& value = args[1];
  if (value.id() == TypeId::kNull) {
    throw_error(
        ErrorKind::kAnalysis, "DATATYPE_MISMATCH.NULL_TYPE",
        "Cannot resolve \"array_contains\" due to data type mismatch: Null typed values cannot be used as "
        "arguments of `array_contains`.");
  }
  // Spark's findWiderTypeWithoutStringPromotion: numbers widen, a string meets only a string.
  const DataType& element = a.element_type();
  std::optional<DataType> common;
  if ((element.id() == TypeId::kString) == (value.id() == TypeId::kString) || element.id() == TypeId::kNull) {
    common = wider_type(element, value, ctx.ansi);
  }
  if (!common) {
    throw_error(
        ErrorKind::kAnalysis, "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES",
        "Cannot resolve \"array_contains\" due to data type mismatch: Input to `array_contains` should have "
        "been \"ARRAY\" followed by a value with same element type, but it's [\"" +
            sql_type(args[0]) + "\", \"" + sql_type(value) + "\"].");
  }
  const DataType t = *common;
  require_flat_type(t, "compare");
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    VectorPtr arr = flatten(v[0]);
    const Vector& x = *v[1];
    const Vector& elements = *arr->child();
    auto element_is_null = [&](size_t k) { return elements.is_null(k); };
    if (t.is_string_like()) {
      return contains_rows(*arr, x, n, element_is_null,
                           [&](size_t k, size_t i) { return elements.string_at(k) == x.string_at(i); });
    }
    return dispatch_physical(t, [&](auto tag) {
      using T = decltype(tag);
      const T* e = elements.size() ? elements.values<T>() : nullptr;
      return contains_rows(*arr, x, n, element_is_null,
                           [&](size_t k, size_t i) { return same_value<T>(e[k], value_at<T>(x, i)); });
    });
  });
  return bound(DataType::boolean(), {DataType::array(t), t}, kernel, /*accepts_constants=*/true);
}

}  // namespace

void register_array_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"array", 0, -1, &bind_array});
  r.add(FunctionDef{"size", 1, 1, &bind_size});
  r.add_alias("cardinality", "size");
  r.add(FunctionDef{"element_at", 2, 2, &bind_extract<IndexMode::kElementAt>});
  r.add(FunctionDef{"try_element_at", 2, 2, &bind_extract<IndexMode::kTryElementAt>});
  r.add(FunctionDef{"get", 2, 2, &bind_extract<IndexMode::kGet>});
  // Not a Spark function name: Spark's `arr[i]` syntax (GetArrayItem), which Column::get_item builds.
  r.add(FunctionDef{"get_array_item", 2, 2, &bind_extract<IndexMode::kGetArrayItem>});
  r.add(FunctionDef{"array_contains", 2, 2, &bind_array_contains});
}

}  // namespace ember
