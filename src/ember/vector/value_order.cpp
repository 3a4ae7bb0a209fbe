#include "ember/vector/value_order.h"

#include "ember/common/error.h"

namespace ember {

int compare_nullable_values_at(const Vector& x, size_t a, const Vector& y, size_t b) {
  const bool xn = x.is_null(a), yn = y.is_null(b);
  if (xn || yn) return xn == yn ? 0 : (xn ? -1 : 1);
  return compare_values_at(x, a, y, b);
}

int compare_values_at(const Vector& x, size_t a, const Vector& y, size_t b) {
  if (x.is_constant()) a = 0;
  if (y.is_constant()) b = 0;
  switch (x.type().id()) {
    case TypeId::kBoolean:
    case TypeId::kByte: return order_values(x.values<int8_t>()[a], y.values<int8_t>()[b]);
    case TypeId::kShort: return order_values(x.values<int16_t>()[a], y.values<int16_t>()[b]);
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kYearMonthInterval: return order_values(x.values<int32_t>()[a], y.values<int32_t>()[b]);
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kDayTimeInterval: return order_values(x.values<int64_t>()[a], y.values<int64_t>()[b]);
    case TypeId::kFloat: return order_floating(x.values<float>()[a], y.values<float>()[b]);
    case TypeId::kDouble: return order_floating(x.values<double>()[a], y.values<double>()[b]);
    case TypeId::kDecimal: return order_values(x.values<int128_t>()[a], y.values<int128_t>()[b]);
    case TypeId::kString:
    case TypeId::kBinary: return order_bytes(x.string_at(a), y.string_at(b));
    case TypeId::kNull: return 0;
    case TypeId::kArray: {
      const size_t xo = x.array_offset(a), xs = x.array_size(a);
      const size_t yo = y.array_offset(b), ys = y.array_size(b);
      for (size_t i = 0; i < std::min(xs, ys); ++i) {
        const int c = compare_nullable_values_at(*x.child(), xo + i, *y.child(), yo + i);
        if (c != 0) return c;
      }
      return order_values(xs, ys);
    }
    case TypeId::kStruct:
      for (size_t k = 0; k < x.num_fields(); ++k) {
        const int c = compare_nullable_values_at(*x.field(k), a, *y.field(k), b);
        if (c != 0) return c;
      }
      return 0;
    case TypeId::kMap: break;
  }
  throw_internal(__FILE__, __LINE__, "compare: unorderable type " + x.type().simple_string());
}

}  // namespace ember
