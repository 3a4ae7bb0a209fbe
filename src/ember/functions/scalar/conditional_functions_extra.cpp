// More conditional functions: nvl2(expr1, expr2, expr3) is expr2 when expr1 is not NULL, else
// expr3 (expr2 and expr3 meet at their wider type; expr1 may be of any type). nvl/ifnull, nullif
// and coalesce are in null_functions.cpp. raise_error(message) fails the query with
// USER_RAISED_EXCEPTION when a row reaches it (under CASE, only the rows of its branch do).
#include "ember/functions/scalar/kernel_templates.h"
#include "ember/types/coercion.h"

namespace ember {

namespace {

using namespace fn;

BoundFunction bind_nvl2(const std::vector<DataType>& args, const BindContext& ctx) {
  auto w = wider_type(args[1], args[2], ctx.ansi);
  if (!w) {
    throw_error(
        ErrorKind::kAnalysis, "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
        "Cannot resolve \"nvl2\" due to data type mismatch: Input to `nvl2` should all be the same type, "
        "but it's [\"" +
            sql_type(args[1]) + "\", \"" + sql_type(args[2]) + "\"].");
  }
  DataType t = *w;
  auto kernel = make_kernel([t](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) {
    const Vector& test = *v[0];
    std::vector<int32_t> source(n);
    std::vector<uint32_t> rows(n);
    for (size_t i = 0; i < n; ++i) {
      source[i] = test.is_null(i) ? 1 : 0;
      rows[i] = static_cast<uint32_t>(i);
    }
    return assemble(t, {v[1], v[2]}, source.data(), rows.data(), n);
  });
  return bound(t, {args[0], t, t}, kernel);
}

BoundFunction bind_raise_error(const std::vector<DataType>& args, const BindContext&) {
  auto kernel = make_kernel([](const std::vector<VectorPtr>& v, size_t n, const EvalContext&) -> VectorPtr {
    if (n > 0) {
      const Vector& message = *v[0];
      throw_error(ErrorKind::kIllegalArgument, "USER_RAISED_EXCEPTION",
                  message.is_null(0) ? std::string("null") : std::string(message.string_at(0)));
    }
    return Vector::make_null(DataType::null(), n);
  });
  return bound(DataType::null(), {DataType::string()}, kernel);
}

}  // namespace

void register_conditional_extra_functions(FunctionRegistry& r) {
  r.add(FunctionDef{"nvl2", 3, 3, &bind_nvl2});
  r.add(FunctionDef{"raise_error", 1, 1, &bind_raise_error});
}

}  // namespace ember
