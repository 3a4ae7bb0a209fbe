#include "ember/exec/sort/row_comparator.h"

#include "ember/types/value.h"
#include "ember/vector/value_order.h"

namespace ember {

RowComparator::RowComparator(std::vector<VectorPtr> keys, std::vector<SortKeySpec> specs) {
  for (size_t i = 0; i < keys.size(); ++i) {
    require_orderable_type(keys[i]->type(), "sort by");
    owned_.push_back(flatten(keys[i]));
    const Vector* v = owned_.back().get();
    keys_.push_back(Key{v->type().id(), v, v->type().fixed_width() > 0 ? v->values<uint8_t>() : nullptr, specs[i]});
  }
}

int RowComparator::compare(size_t a, size_t b) const { return compare_with(a, *this, b); }

int RowComparator::compare_with(size_t a, const RowComparator& other, size_t b) const {
  for (size_t k = 0; k < keys_.size(); ++k) {
    const Key& x = keys_[k];
    const Key& y = other.keys_[k];
    bool xn = x.vector->is_null(a), yn = y.vector->is_null(b);
    if (xn || yn) {
      if (xn && yn) continue;
      // A null sorts first when nulls_first, whatever the direction.
      return xn == x.spec.nulls_first ? -1 : 1;
    }
    int c = 0;
    switch (x.type) {
      case TypeId::kBoolean:
      case TypeId::kByte:
        c = order_values(reinterpret_cast<const int8_t*>(x.data)[a],
                         reinterpret_cast<const int8_t*>(y.data)[b]);
        break;
      case TypeId::kShort:
        c = order_values(reinterpret_cast<const int16_t*>(x.data)[a],
                         reinterpret_cast<const int16_t*>(y.data)[b]);
        break;
      case TypeId::kInt:
      case TypeId::kYearMonthInterval:
      case TypeId::kDate:
        c = order_values(reinterpret_cast<const int32_t*>(x.data)[a],
                         reinterpret_cast<const int32_t*>(y.data)[b]);
        break;
      case TypeId::kLong:
      case TypeId::kDayTimeInterval:
      case TypeId::kTimestamp:
        c = order_values(reinterpret_cast<const int64_t*>(x.data)[a],
                         reinterpret_cast<const int64_t*>(y.data)[b]);
        break;
      case TypeId::kFloat:
        c = order_floating(reinterpret_cast<const float*>(x.data)[a],
                           reinterpret_cast<const float*>(y.data)[b]);
        break;
      case TypeId::kDouble:
        c = order_floating(reinterpret_cast<const double*>(x.data)[a],
                           reinterpret_cast<const double*>(y.data)[b]);
        break;
      case TypeId::kDecimal:
        c = order_values(reinterpret_cast<const int128_t*>(x.data)[a],
                         reinterpret_cast<const int128_t*>(y.data)[b]);
        break;
      case TypeId::kString:
      case TypeId::kBinary: c = order_bytes(x.vector->string_at(a), y.vector->string_at(b)); break;
      case TypeId::kNull: c = 0; break;
      case TypeId::kArray:
      case TypeId::kStruct: c = compare_values_at(*x.vector, a, *y.vector, b); break;
      case TypeId::kMap: c = 0; break;  // rejected by the constructor
    }
    if (c != 0) return x.spec.ascending ? c : -c;
  }
  return 0;
}

}  // namespace ember
