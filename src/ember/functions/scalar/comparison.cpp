// Comparisons: = <> (!=) < <= > >= <=> and IN, over every comparable type. Strings compare as
// unsigned UTF-8 bytes (Spark's UTF8String.compareTo); floating point follows Spark's total
// order: NaN equals NaN and is greater than every other value, and 0.0 equals -0.0. Arrays and
// structs compare by Spark's ordering (vector/value_order.h); maps are not comparable.
#include <cmath>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"
#include "ember/vector/value_order.h"

namespace ember {

namespace {

using namespace fn;

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

const char* symbol(Cmp c) {
  switch (c) {
    case Cmp::kEq: return "=";
    case Cmp::kNe: return "<>";
    case Cmp::kLt: return "<";
    case Cmp::kLe: return "<=";
    case Cmp::kGt: return ">";
    case Cmp::kGe: return ">=";
  }
  return "?";
}

template <class T>
inline bool eq(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a == b || (std::isnan(a) && std::isnan(b));
  else return a == b;
}

// a < b in Spark's order.
template <class T>
inline bool lt(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
  }
  return a < b;
}

template <Cmp c, class T>
inline bool test(T a, T b) {
  if constexpr (c == Cmp::kEq) return eq(a, b);
  else if constexpr (c == Cmp::kNe) return !eq(a, b);
  else if constexpr (c == Cmp::kLt) return lt(a, b);
  else if constexpr (c == Cmp::kLe) return !lt(b, a);
  else if constexpr (c == Cmp::kGt) return lt(b, a);
  else return !lt(a, b);
}

template <Cmp c>
VectorPtr compare_strings(const VectorPtr& a, const VectorPtr& b, size_t n) {
  auto out = Vector::make(DataType::boolean(), n);
  if (!and_validity(*out, {a.get(), b.get()}, n)) return Vector::make_null(DataType::boolean(), n);
  uint8_t* o = out->values<uint8_t>();
  for (size_t i = 0; i < n; ++i) o[i] = test<c>(a->string_at(i), b->string_at(i));
  return out;
}

// Arrays and structs: Spark's ordering (vector/value_order.h), one row at a time.
template <Cmp c>
VectorPtr compare_nested(const VectorPtr& a, const VectorPtr& b, size_t n) {
  auto out = Vector::make(DataType::boolean(), n);
  if (!and_validity(*out, {a.get(), b.get()}, n)) return Vector::make_null(DataType::boolean(), n);
  uint8_t* o = out->values<uint8_t>();
  for (size_t i = 0; i < n; ++i) {
    o[i] = out->is_null(i) ? 0 : test<c>(compare_values_at(*a, i, *b, i), 0);
  }
  return out;
}

template <Cmp c>
VectorPtr compare(const DataType& t, const VectorPtr& a, const VectorPtr& b, size_t n) {
  if (t.is_string_like()) return compare_strings<c>(a, b, n);
  if (t.is_nested()) return compare_nested<c>(a, b, n);
  if (t.id() == TypeId::kNull) return Vector::make_null(DataType::boolean(), n);
  return dispatch_physical(t, [&](auto tag) {
    using T = decltype(tag);
    // Total: null rows compute garbage that their cleared validity bit hides.
    return binary_map<T, T, uint8_t, true>(a, b, n, DataType::boolean(),
                                           [](T x, T y) -> uint8_t { return test<c>(x, y); });
  });
}

DataType common_type(const std::string& fn, const DataType& a, const DataType& b, bool ansi) {
  auto t = comparison_type(a, b, ansi);
  if (!t) {
    throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
                "Cannot resolve \"" + fn + "\" due to data type mismatch: the left and right operands of the binary "
                "operator have incompatible types (\"" + sql_type(a) + "\" and \"" + sql_type(b) + "\").");
  }
  require_orderable_type(*t, "compare");
  return *t;
}

template <Cmp c>
BoundFunction bind_compare(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = common_type(symbol(c), args[0], args[1], ctx.ansi);
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return compare<c>(t, v[0], v[1], n);
  });
  return per_value(
      bound(DataType::boolean(), {t, t}, kernel, /*accepts_constants=*/true, /*nullable=*/false));
}

// Row-wise equality of two vectors of type t into `eq_out` (rows where either is null: 0).
void equal_rows(const DataType& t, const Vector& a, const Vector& b, size_t n, uint8_t* eq_out) {
  if (t.is_nested()) {
    for (size_t i = 0; i < n; ++i)
      eq_out[i] = !a.is_null(i) && !b.is_null(i) && compare_values_at(a, i, b, i) == 0;
  } else if (t.is_string_like()) {
    for (size_t i = 0; i < n; ++i) eq_out[i] = a.string_at(i) == b.string_at(i);
  } else if (t.id() == TypeId::kNull) {
    std::memset(eq_out, 0, n);
  } else {
    dispatch_physical(t, [&](auto tag) {
      using T = decltype(tag);
      dispatch2<T, T>(a, b, [&](auto x, auto y) {
        for (size_t i = 0; i < n; ++i) eq_out[i] = eq<T>(x[i], y[i]);
      });
      return 0;
    });
  }
}

BoundFunction bind_null_safe_equal(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = common_type("<=>", args[0], args[1], ctx.ansi);
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    auto out = Vector::make(DataType::boolean(), n);
    uint8_t* o = out->values<uint8_t>();
    equal_rows(t, *v[0], *v[1], n, o);
    if (v[0]->may_have_nulls() || v[1]->may_have_nulls()) {
      for (size_t i = 0; i < n; ++i) {
        bool na = v[0]->is_null(i), nb = v[1]->is_null(i);
        if (na || nb) o[i] = na && nb;
      }
    }
    return out;
  });
  return per_value(
      bound(DataType::boolean(), {t, t}, kernel, /*accepts_constants=*/true, /*nullable=*/false));
}

// value IN (list...): true on a match; otherwise NULL when the value or any list entry is NULL,
// else false (Spark's In.eval).
BoundFunction bind_in(const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = args[0];
  for (size_t i = 1; i < args.size(); ++i) {
    auto w = comparison_type(t, args[i], ctx.ansi);
    if (!w) {
      std::string list;
      for (size_t k = 0; k < args.size(); ++k) list += (k ? ", \"" : "\"") + sql_type(args[k]) + "\"";
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                  "Cannot resolve \"in\" due to data type mismatch: Input to `in` should all be the same type, but "
                  "it's [" + list + "].");
    }
    t = *w;
  }
  require_orderable_type(t, "compare");
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    auto out = Vector::make(DataType::boolean(), n);
    uint8_t* found = out->values<uint8_t>();
    std::memset(found, 0, n);
    std::vector<uint8_t> saw_null(n, 0), hit(n);
    for (size_t j = 1; j < v.size(); ++j) {
      const Vector& e = *v[j];
      if (is_const_null(e)) {
        std::memset(saw_null.data(), 1, n);
        continue;
      }
      equal_rows(t, *v[0], e, n, hit.data());
      if (e.may_have_nulls()) {
        for (size_t i = 0; i < n; ++i) {
          if (e.is_null(i)) saw_null[i] = 1;
          else found[i] |= hit[i];
        }
      } else {
        for (size_t i = 0; i < n; ++i) found[i] |= hit[i];
      }
    }
    const Vector& x = *v[0];
    for (size_t i = 0; i < n; ++i) {
      if (x.is_null(i) || (!found[i] && saw_null[i])) out->set_null(i);
    }
    return out;
  });
  return per_value(bound(DataType::boolean(), std::vector<DataType>(args.size(), t), kernel,
                         /*accepts_constants=*/true, /*nullable=*/false));
}

}  // namespace

void register_comparison_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"=", 2, 2, &bind_compare<Cmp::kEq>});
  r.add(FunctionDef{"<>", 2, 2, &bind_compare<Cmp::kNe>});
  r.add(FunctionDef{"<", 2, 2, &bind_compare<Cmp::kLt>});
  r.add(FunctionDef{"<=", 2, 2, &bind_compare<Cmp::kLe>});
  r.add(FunctionDef{">", 2, 2, &bind_compare<Cmp::kGt>});
  r.add(FunctionDef{">=", 2, 2, &bind_compare<Cmp::kGe>});
  r.add(FunctionDef{"<=>", 2, 2, &bind_null_safe_equal});
  r.add(FunctionDef{"in", 1, -1, &bind_in});
  r.add_alias("==", "=");
  r.add_alias("!=", "<>");
}

}  // namespace ember
