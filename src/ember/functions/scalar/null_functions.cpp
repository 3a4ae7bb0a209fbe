// NULL handling: isnull, isnotnull, coalesce, nvl/ifnull, nullif, nanvl.
#include <cmath>

#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"

namespace ember {

namespace {

using namespace fn;

template <bool kWantNull>
BoundFunction bind_isnull(const std::vector<DataType>& args, const BindContext&) {
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    auto out = Vector::make(DataType::boolean(), n);
    uint8_t* o = out->values<uint8_t>();
    const Vector& x = *v[0];
    const uint8_t* bits = x.validity();
    if (!bits) {
      std::memset(o, kWantNull ? 0 : 1, n);
    } else {
      for (size_t i = 0; i < n; ++i) o[i] = bit_is_set(bits, i) != kWantNull;
    }
    return out;
  });
  return per_value(bound(DataType::boolean(), args, kernel, false, /*nullable=*/false));
}

DataType common_of(const std::string& fn, const std::vector<DataType>& args, bool ansi) {
  DataType t = DataType::null();
  for (const auto& a : args) {
    auto w = wider_type(t, a, ansi);
    if (!w) {
      std::string list;
      for (size_t k = 0; k < args.size(); ++k) list += (k ? ", \"" : "\"") + sql_type(args[k]) + "\"";
      throw_error(ErrorKind::kAnalysis, "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                  "Cannot resolve \"" + fn + "\" due to data type mismatch: Input to `" + fn +
                      "` should all be the same type, but it's [" + list + "].");
    }
    t = *w;
  }
  return t;
}

// Row i of the result is row i of the first argument that is not null there.
VectorPtr first_non_null(const DataType& t, const std::vector<VectorPtr>& args, size_t n) {
  if (t.id() == TypeId::kNull) return Vector::make_null(t, n);
  if (t.is_nested()) {
    // Arrays move with their elements: pick a source per row, then assemble in one pass.
    std::vector<int32_t> source(n, -1);
    std::vector<uint32_t> rows(n);
    for (size_t i = 0; i < n; ++i) {
      rows[i] = static_cast<uint32_t>(i);
      for (size_t j = 0; j < args.size(); ++j) {
        if (!args[j]->is_null(i)) {
          source[i] = static_cast<int32_t>(j);
          break;
        }
      }
    }
    return assemble(t, args, source.data(), rows.data(), n);
  }
  if (t.is_string_like()) {
    auto out = Vector::make(t, n);
    size_t bytes = 0;
    for (const auto& a : args) bytes = std::max(bytes, total_chars(*a));
    out->reserve_chars(bytes);
    for (size_t i = 0; i < n; ++i) {
      const Vector* pick = nullptr;
      for (const auto& a : args) {
        if (!a->is_null(i)) {
          pick = a.get();
          break;
        }
      }
      if (pick) out->set_string(i, pick->string_at(i));
      else out->set_null_string(i);
    }
    return out;
  }
  // Fixed width: start from the first argument, then fill its null rows from the next ones.
  auto out = Vector::make(t, n);
  const size_t w = static_cast<size_t>(t.fixed_width());
  const Vector& first = *args[0];
  std::memcpy(out->values<uint8_t>(), first.values<uint8_t>(), n * w);
  if (!first.may_have_nulls()) return out;
  uint8_t* bits = out->mutable_validity();
  std::memcpy(bits, first.validity(), bitmap_bytes(n));
  uint8_t* dst = out->values<uint8_t>();
  for (size_t j = 1; j < args.size(); ++j) {
    const Vector& a = *args[j];
    const uint8_t* src = a.values<uint8_t>();
    bool remaining = false;
    for (size_t i = 0; i < n; ++i) {
      if (bit_is_set(bits, i)) continue;
      if (a.is_null(i)) {
        remaining = true;
        continue;
      }
      std::memcpy(dst + i * w, src + i * w, w);
      set_bit(bits, i);
    }
    if (!remaining) break;
  }
  return out;
}

BoundFunction bind_coalesce_named(const std::string& fn, const std::vector<DataType>& args, const BindContext& ctx) {
  DataType t = common_of(fn, args, ctx.ansi);
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return first_non_null(t, v, n);
  });
  return bound(t, std::vector<DataType>(args.size(), t), kernel);
}

BoundFunction bind_coalesce(const std::vector<DataType>& args, const BindContext& ctx) {
  return bind_coalesce_named("coalesce", args, ctx);
}
BoundFunction bind_nvl(const std::vector<DataType>& args, const BindContext& ctx) {
  return bind_coalesce_named("nvl", args, ctx);
}

// nullif(a, b): NULL when a = b, else a.
BoundFunction bind_nullif(const std::vector<DataType>& args, const BindContext& ctx) {
  auto w = comparison_type(args[0], args[1], ctx.ansi);
  if (!w) {
    throw_mismatch("nullif", "the left and right operands have incompatible types (\"" + sql_type(args[0]) +
                                 "\" and \"" + sql_type(args[1]) + "\")");
  }
  DataType t = *w;
  require_flat_type(t, "compare");
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& a = *v[0];
    const Vector& b = *v[1];
    std::vector<uint8_t> same(n, 0);
    if (t.is_string_like()) {
      for (size_t i = 0; i < n; ++i) same[i] = !a.is_null(i) && !b.is_null(i) && a.string_at(i) == b.string_at(i);
      auto out = Vector::make(t, n);
      for (size_t i = 0; i < n; ++i) {
        if (a.is_null(i) || same[i]) out->set_null_string(i);
        else out->set_string(i, a.string_at(i));
      }
      return out;
    }
    if (t.id() == TypeId::kNull) return Vector::make_null(t, n);
    auto out = Vector::make(t, n);
    dispatch_physical(t, [&](auto tag) {
      using T = decltype(tag);
      const T* x = a.values<T>();
      const T* y = b.values<T>();
      T* o = out->values<T>();
      for (size_t i = 0; i < n; ++i) {
        o[i] = x[i];
        bool eq;
        if constexpr (std::is_floating_point_v<T>) eq = x[i] == y[i] || (std::isnan(x[i]) && std::isnan(y[i]));
        else eq = x[i] == y[i];
        if (a.is_null(i) || (!b.is_null(i) && eq)) out->set_null(i);
      }
      return 0;
    });
    return out;
  });
  return bound(t, {t, t}, kernel);
}

// nanvl(a, b): b when a is NaN, else a (both floating point).
BoundFunction bind_nanvl(const std::vector<DataType>& args, const BindContext& ctx) {
  for (int i = 0; i < 2; ++i) {
    const DataType& a = args[static_cast<size_t>(i)];
    if (!(a.is_numeric() || a.id() == TypeId::kNull || a.id() == TypeId::kString)) {
      throw_input_type("nanvl", i + 1, "(\"DOUBLE\" or \"FLOAT\")", a);
    }
  }
  bool both_float = args[0].id() == TypeId::kFloat && args[1].id() == TypeId::kFloat;
  DataType t = both_float ? DataType::float32() : DataType::float64();
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    return dispatch_physical(t, [&](auto tag) -> VectorPtr {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T>) {
        const Vector& a = *v[0];
        const Vector& b = *v[1];
        auto out = Vector::make(t, n);
        T* o = out->values<T>();
        const T* x = a.values<T>();
        const T* y = b.values<T>();
        for (size_t i = 0; i < n; ++i) {
          if (a.is_null(i)) {
            o[i] = 0;
            out->set_null(i);
          } else if (std::isnan(x[i])) {
            o[i] = y[i];
            if (b.is_null(i)) out->set_null(i);
          } else {
            o[i] = x[i];
          }
        }
        return out;
      } else {
        return nullptr;
      }
    });
  });
  return bound(t, {t, t}, kernel);
}

}  // namespace

void register_null_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"isnull", 1, 1, &bind_isnull<true>});
  r.add(FunctionDef{"isnotnull", 1, 1, &bind_isnull<false>});
  r.add(FunctionDef{"coalesce", 1, -1, &bind_coalesce});
  r.add(FunctionDef{"nvl", 2, 2, &bind_nvl});
  r.add(FunctionDef{"nullif", 2, 2, &bind_nullif});
  r.add(FunctionDef{"nanvl", 2, 2, &bind_nanvl});
  r.add_alias("ifnull", "nvl");
}

}  // namespace ember
