#include "ember/vector/vector.h"

#include <bit>
#include <cstring>

#include "ember/common/error.h"
#include "ember/vector/batch.h"

namespace ember {

Vector::Vector(DataType type, size_t size) : type_(std::move(type)), size_(size) {
  if (type_.id() == TypeId::kStruct) {
    data_ = make_buffer(0);
    fields_.reserve(type_.fields().size());
    for (const Field& f : type_.fields()) fields_.push_back(std::make_shared<Vector>(f.type, size));
  } else if (type_.is_string_like() || type_.is_list_like()) {
    data_ = make_buffer((size + 1) * sizeof(int32_t));
    mutable_offsets()[0] = 0;
    if (type_.is_list_like()) child_ = std::make_shared<Vector>(type_.element_type(), 0);
    else chars_ = make_buffer(0);
  } else if (type_.fixed_width() > 0) {
    data_ = make_buffer(size * static_cast<size_t>(type_.fixed_width()));
  } else {
    data_ = make_buffer(0);  // void: every row null
    if (size > 0) {
      validity_ = make_buffer(bitmap_bytes(size));
      std::memset(validity_->data(), 0, validity_->size());
    }
  }
}

VectorPtr Vector::make_constant(const Value& value, size_t size) {
  DataType type = value.type();
  auto v = std::make_shared<Vector>(type, 1);
  v->constant_ = true;
  if (value.is_null()) {
    v->set_null_row(0);
  } else {
    switch (type.id()) {
      case TypeId::kBoolean: v->values<uint8_t>()[0] = value.as_bool() ? 1 : 0; break;
      case TypeId::kByte: v->values<int8_t>()[0] = static_cast<int8_t>(value.as_int64()); break;
      case TypeId::kShort: v->values<int16_t>()[0] = static_cast<int16_t>(value.as_int64()); break;
      case TypeId::kInt:
      case TypeId::kYearMonthInterval:
      case TypeId::kDate: v->values<int32_t>()[0] = static_cast<int32_t>(value.as_int64()); break;
      case TypeId::kLong:
      case TypeId::kDayTimeInterval:
      case TypeId::kTimestamp: v->values<int64_t>()[0] = value.as_int64(); break;
      case TypeId::kFloat: v->values<float>()[0] = static_cast<float>(value.as_double()); break;
      case TypeId::kDouble: v->values<double>()[0] = value.as_double(); break;
      case TypeId::kDecimal: v->values<int128_t>()[0] = value.as_decimal(); break;
      case TypeId::kString:
      case TypeId::kBinary: v->set_string(0, value.as_string()); break;
      case TypeId::kArray:
      case TypeId::kMap:
        v = from_values(type, {value});
        v->constant_ = true;
        break;
      case TypeId::kStruct:
        for (size_t k = 0; k < v->fields_.size(); ++k)
          v->fields_[k] = from_values(type.fields()[k].type, {value.as_struct()[k]});
        break;
      case TypeId::kNull: break;
    }
  }
  v->size_ = size;
  return v;
}

VectorPtr Vector::make_struct(DataType type, size_t size, std::vector<VectorPtr> fields) {
  EMBER_CHECK(type.id() == TypeId::kStruct && fields.size() == type.fields().size(),
              "make_struct of " + type.simple_string());
  auto v = std::make_shared<Vector>(DataType(TypeId::kNull), 0);  // no buffers to allocate
  v->type_ = std::move(type);
  v->size_ = size;
  v->fields_ = std::move(fields);
  return v;
}

VectorPtr Vector::from_buffers(DataType type, size_t size, BufferPtr validity, BufferPtr data,
                               BufferPtr chars, VectorPtr child, std::vector<VectorPtr> fields) {
  auto v = std::make_shared<Vector>(DataType(TypeId::kNull), 0);  // no buffers to allocate
  v->type_ = std::move(type);
  v->size_ = size;
  v->validity_ = std::move(validity);
  if (data != nullptr) v->data_ = std::move(data);
  v->chars_ = std::move(chars);
  v->child_ = std::move(child);
  v->fields_ = std::move(fields);
  return v;
}

VectorPtr Vector::make_dictionary(VectorPtr dictionary, BufferPtr codes, BufferPtr validity, size_t size) {
  EMBER_CHECK(
      dictionary->type().is_string_like() && !dictionary->is_constant() && !dictionary->is_dictionary(),
      "a dictionary vector's dictionary must be a flat string vector");
  auto v = std::make_shared<Vector>(DataType(TypeId::kNull), 0);  // no buffers to allocate
  v->type_ = dictionary->type();
  v->size_ = size;
  v->validity_ = std::move(validity);
  v->data_ = std::move(codes);
  v->dictionary_ = std::move(dictionary);
  return v;
}

VectorPtr Vector::make_null(DataType type, size_t size) {
  auto v = std::make_shared<Vector>(type, size);
  if (type.is_string_like() || type.is_list_like()) {
    std::memset(v->mutable_offsets(), 0, (size + 1) * sizeof(int32_t));
  }
  for (size_t k = 0; k < v->fields_.size(); ++k) v->fields_[k] = make_null(type.fields()[k].type, size);
  uint8_t* bits = v->mutable_validity();
  std::memset(bits, 0, bitmap_bytes(size));
  return v;
}

VectorPtr Vector::from_values(DataType type, const std::vector<Value>& values) {
  auto v = std::make_shared<Vector>(type, values.size());
  if (type.id() == TypeId::kStruct) {
    // One pass per field; a null struct has null fields.
    std::vector<Value> column(values.size());
    for (size_t k = 0; k < v->fields_.size(); ++k) {
      const DataType& ft = type.fields()[k].type;
      for (size_t i = 0; i < values.size(); ++i)
        column[i] = values[i].is_null() ? Value::null(ft) : values[i].as_struct()[k];
      v->fields_[k] = from_values(ft, column);
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].is_null()) v->set_null(i);
    }
    return v;
  }
  if (type.is_list_like()) {
    // All elements in one child vector, built in one pass; a map's entries as two columns.
    const bool is_map = type.id() == TypeId::kMap;
    std::vector<Value> elements, map_values;
    for (const Value& x : values) {
      if (x.is_null()) continue;
      if (!is_map) {
        elements.insert(elements.end(), x.as_array().begin(), x.as_array().end());
      } else {
        elements.insert(elements.end(), x.map_keys().begin(), x.map_keys().end());
        map_values.insert(map_values.end(), x.map_values().begin(), x.map_values().end());
      }
    }
    if (is_map) {
      auto entries = std::make_shared<Vector>(type.element_type(), elements.size());
      entries->fields_[0] = from_values(type.key_type(), elements);
      entries->fields_[1] = from_values(type.value_type(), map_values);
      v->child_ = std::move(entries);
    } else {
      v->child_ = from_values(type.element_type(), elements);
    }
    int32_t* off = v->mutable_offsets();
    size_t end = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].is_null()) v->set_null(i);
      else end += is_map ? values[i].map_keys().size() : values[i].as_array().size();
      off[i + 1] = static_cast<int32_t>(end);
    }
    return v;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& x = values[i];
    if (x.is_null()) {
      v->set_null_row(i);
      continue;
    }
    switch (type.id()) {
      case TypeId::kBoolean: v->values<uint8_t>()[i] = x.as_bool() ? 1 : 0; break;
      case TypeId::kByte: v->values<int8_t>()[i] = static_cast<int8_t>(x.as_int64()); break;
      case TypeId::kShort: v->values<int16_t>()[i] = static_cast<int16_t>(x.as_int64()); break;
      case TypeId::kInt:
      case TypeId::kYearMonthInterval:
      case TypeId::kDate: v->values<int32_t>()[i] = static_cast<int32_t>(x.as_int64()); break;
      case TypeId::kLong:
      case TypeId::kDayTimeInterval:
      case TypeId::kTimestamp: v->values<int64_t>()[i] = x.as_int64(); break;
      case TypeId::kFloat: v->values<float>()[i] = static_cast<float>(x.as_double()); break;
      case TypeId::kDouble: v->values<double>()[i] = x.as_double(); break;
      case TypeId::kDecimal: v->values<int128_t>()[i] = x.as_decimal(); break;
      case TypeId::kString:
      case TypeId::kBinary: v->set_string(i, x.as_string()); break;
      case TypeId::kNull: v->set_null(i); break;
      case TypeId::kArray:
      case TypeId::kMap:
      case TypeId::kStruct: break;  // handled above
    }
  }
  return v;
}

void Vector::set_null(size_t i) { clear_bit(mutable_validity(), i); }

uint8_t* Vector::mutable_validity() {
  if (!validity_) {
    size_t n = constant_ ? 1 : size_;
    validity_ = make_buffer(bitmap_bytes(n));
    // An empty vector's buffer has no storage (data() is null): memset must not see it.
    if (validity_->size() > 0) std::memset(validity_->data(), 0xff, validity_->size());
  }
  return validity_->data();
}

size_t Vector::count_nulls() const {
  if (!validity_) return 0;
  if (constant_) return is_null(0) ? size_ : 0;
  size_t valid = 0;
  const uint8_t* bits = validity_->data();
  size_t full = size_ / 8;
  for (size_t b = 0; b < full; ++b) valid += static_cast<size_t>(std::popcount(bits[b]));
  for (size_t i = full * 8; i < size_; ++i) valid += bit_is_set(bits, i);
  return size_ - valid;
}

void Vector::set_string(size_t i, std::string_view s) {
  int32_t* off = mutable_offsets();
  size_t start = static_cast<size_t>(off[i]);
  size_t end = start + s.size();
  if (end > static_cast<size_t>(INT32_MAX)) {
    throw_error(ErrorKind::kUnsupported, "a string column batch exceeds 2 GiB");
  }
  if (end > chars_->capacity()) chars_->reserve(std::max(end, chars_->capacity() * 2));
  chars_->resize(end);
  if (!s.empty()) std::memcpy(chars_->data() + start, s.data(), s.size());
  off[i + 1] = static_cast<int32_t>(end);
}

void Vector::reserve_chars(size_t bytes) { chars_->reserve(bytes); }

size_t Vector::append_rows(size_t count) {
  EMBER_CHECK(!constant_, "append_rows on a constant vector");
  const size_t first = size_;
  const size_t n = size_ + count;
  for (auto& f : fields_) f->append_rows(count);
  if (type_.is_string_like() || type_.is_list_like()) {
    if (n > static_cast<size_t>(INT32_MAX)) {
      throw_error(ErrorKind::kUnsupported, "a vector exceeds 2^31 rows");
    }
    data_->resize((n + 1) * sizeof(int32_t));
  } else if (type_.fixed_width() > 0) {
    data_->resize(n * static_cast<size_t>(type_.fixed_width()));
  }
  if (validity_ || type_.id() == TypeId::kNull) {
    // New rows are valid (void rows: null). Bits past the old size may hold anything (truncate
    // keeps them), so the partial byte is set bit by bit and whole new bytes at once.
    if (!validity_) validity_ = make_buffer(0);
    const bool valid = type_.id() != TypeId::kNull;
    size_t old_bytes = validity_->size();
    validity_->resize(bitmap_bytes(n));
    size_t whole_from = std::max(old_bytes, bitmap_bytes(first));
    uint8_t* bits = validity_->data();
    for (size_t i = first; i < n && i < whole_from * 8; ++i) {
      if (valid) set_bit(bits, i);
      else clear_bit(bits, i);
    }
    if (validity_->size() > whole_from) {
      std::memset(bits + whole_from, valid ? 0xff : 0, validity_->size() - whole_from);
    }
  }
  size_ = n;
  return first;
}

void Vector::append_from(const Vector& src, size_t row) {
  if (src.dictionary_) {
    append_from(*src.dictionary_, static_cast<size_t>(src.codes()[row]));
    return;
  }
  const size_t k = src.constant_ ? 0 : row;
  const bool null = src.is_null(row);
  if (type_.id() == TypeId::kStruct) {
    for (size_t f = 0; f < fields_.size(); ++f) {
      Vector& field = *fields_[f];
      if (null) field.set_null_row(field.append_rows(1));
      else field.append_from(*src.fields_[f], k);
    }
    // Grow the struct's own rows and validity; its fields already hold the new row.
    std::vector<VectorPtr> fields = std::move(fields_);
    fields_.clear();
    const size_t r = append_rows(1);
    fields_ = std::move(fields);
    if (null) set_null(r);
    return;
  }
  const size_t r = append_rows(1);
  if (null) {
    set_null_row(r);
  } else if (type_.is_string_like()) {
    set_string(r, src.string_at(k));
  } else if (type_.is_list_like()) {
    const size_t begin = src.array_offset(k), count = src.array_size(k);
    for (size_t e = begin; e < begin + count; ++e) child_->append_from(*src.child_, e);
    finish_array(r);
  } else if (type_.fixed_width() > 0) {
    const auto w = static_cast<size_t>(type_.fixed_width());
    std::memcpy(data_->data() + r * w, src.data_->data() + k * w, w);
  }
}

void Vector::finish_array(size_t i) {
  int32_t* off = mutable_offsets();
  if (child_->size() > static_cast<size_t>(INT32_MAX)) {
    throw_error(ErrorKind::kUnsupported, "an array column batch holds more than 2^31 elements");
  }
  off[i + 1] = static_cast<int32_t>(child_->size());
}

void Vector::set_null_row(size_t i) {
  if (type_.is_string_like()) set_null_string(i);
  else if (type_.is_list_like()) set_null_array(i);
  else set_null(i);
  for (auto& f : fields_) f->set_null_row(i);
}

size_t Vector::byte_size() const {
  size_t bytes = 0;
  if (data_) bytes += data_->size();
  if (chars_) bytes += chars_->size();
  if (validity_) bytes += validity_->size();
  if (child_) bytes += child_->byte_size();
  for (const auto& f : fields_) bytes += f->byte_size();
  if (dictionary_) bytes += dictionary_->byte_size();  // shared by the chunk's batches: an upper bound
  return bytes;
}

Value Vector::value_at(size_t i) const {
  if (is_null(i)) return Value::null(type_);
  if (dictionary_) return dictionary_->value_at(static_cast<size_t>(codes()[i]));
  size_t k = constant_ ? 0 : i;
  switch (type_.id()) {
    case TypeId::kBoolean: return Value::boolean(values<uint8_t>()[k] != 0);
    case TypeId::kByte: return Value::byte(values<int8_t>()[k]);
    case TypeId::kShort: return Value::short_(values<int16_t>()[k]);
    case TypeId::kInt: return Value::int32(values<int32_t>()[k]);
    case TypeId::kLong: return Value::int64(values<int64_t>()[k]);
    case TypeId::kFloat: return Value::float32(values<float>()[k]);
    case TypeId::kDouble: return Value::float64(values<double>()[k]);
    case TypeId::kDecimal: return Value::decimal(values<int128_t>()[k], type_.precision(), type_.scale());
    case TypeId::kString: return Value::string(std::string(string_at(k)));
    case TypeId::kBinary: return Value::binary(std::string(string_at(k)));
    case TypeId::kDate: return Value::date(values<int32_t>()[k]);
    case TypeId::kTimestamp: return Value::timestamp(values<int64_t>()[k]);
    case TypeId::kYearMonthInterval: return Value::year_month_interval(values<int32_t>()[k], type_);
    case TypeId::kDayTimeInterval: return Value::day_time_interval(values<int64_t>()[k], type_);
    case TypeId::kNull: return Value::null(type_);
    case TypeId::kArray: {
      std::vector<Value> elements;
      const size_t begin = array_offset(k), count = array_size(k);
      elements.reserve(count);
      for (size_t e = 0; e < count; ++e) elements.push_back(child_->value_at(begin + e));
      return Value::array(type_.element_type(), std::move(elements));
    }
    case TypeId::kMap: {
      std::vector<Value> keys, vals;
      const size_t begin = array_offset(k), count = array_size(k);
      keys.reserve(count);
      vals.reserve(count);
      for (size_t e = 0; e < count; ++e) {
        keys.push_back(map_keys()->value_at(begin + e));
        vals.push_back(map_values()->value_at(begin + e));
      }
      return Value::map(type_, std::move(keys), std::move(vals));
    }
    case TypeId::kStruct: {
      std::vector<Value> fields;
      fields.reserve(fields_.size());
      for (const auto& f : fields_) fields.push_back(f->value_at(k));
      return Value::struct_(type_, std::move(fields));
    }
  }
  return Value::null(type_);
}

void Vector::truncate(size_t size) {
  EMBER_CHECK(size <= size_, "truncate cannot grow a vector");
  size_ = size;
}

namespace {

// Array offsets are int32, as in Arrow's list layout.
int32_t element_offset(size_t elements) {
  if (elements > static_cast<size_t>(INT32_MAX)) {
    throw_error(ErrorKind::kUnsupported, "an array column batch holds more than 2^31 elements");
  }
  return static_cast<int32_t>(elements);
}

// Child rows [begin, end) of an array vector's child, without copying when that is all of it.
VectorPtr child_range(const VectorPtr& child, size_t begin, size_t end) {
  if (begin == 0 && end == child->size()) return child;
  std::vector<uint32_t> sel(end - begin);
  for (size_t k = 0; k < sel.size(); ++k) sel[k] = static_cast<uint32_t>(begin + k);
  return gather(*child, sel.data(), sel.size());
}

}  // namespace

VectorPtr decode_dictionary(const VectorPtr& v) {
  if (!v->is_dictionary()) return v;
  const size_t n = v->size();
  const Vector& dict = *v->dictionary();
  const int32_t* codes = v->codes();
  const int32_t* doff = dict.offsets();
  const char* dchars = dict.chars();
  auto out = Vector::make(v->type(), n);
  const uint8_t* bits = v->validity();
  // A null row's bytes are empty, as set_null_string writes them; the validity is the row bitmap.
  auto row_length = [&](size_t i) {
    return bits && !bit_is_set(bits, i) ? 0 : doff[codes[i] + 1] - doff[codes[i]];
  };
  size_t bytes = 0;
  for (size_t i = 0; i < n; ++i) bytes += static_cast<size_t>(row_length(i));
  out->reserve_chars(bytes);
  int32_t* off = out->mutable_offsets();
  char* dst = reinterpret_cast<char*>(out->chars_->data());
  int32_t at = 0;
  for (size_t i = 0; i < n; ++i) {
    const int32_t len = row_length(i);
    if (len > 0) std::memcpy(dst + at, dchars + doff[codes[i]], static_cast<size_t>(len));
    at += len;
    off[i + 1] = at;
  }
  out->chars_->resize(static_cast<size_t>(at));
  out->validity_ = v->validity_;
  return out;
}

VectorPtr flatten(const VectorPtr& v) {
  if (v->is_dictionary()) return decode_dictionary(v);
  if (!v->is_constant()) return v;
  size_t n = v->size();
  if (v->is_null(0)) return Vector::make_null(v->type(), n);
  auto out = Vector::make(v->type(), n);
  if (v->type().is_string_like()) {
    std::string_view s = v->string_at(0);
    out->reserve_chars(s.size() * n);
    for (size_t i = 0; i < n; ++i) out->set_string(i, s);
  } else if (v->type().id() == TypeId::kStruct) {
    // n copies of row 0 of every field.
    std::vector<uint32_t> zeros(n, 0);
    for (size_t k = 0; k < out->fields_.size(); ++k)
      out->fields_[k] = gather(*v->fields_[k], zeros.data(), n);
  } else if (v->type().is_list_like()) {
    // n copies of the one array: the child repeats its elements n times.
    const size_t begin = v->array_offset(0), m = v->array_size(0);
    element_offset(n * m);
    int32_t* off = out->mutable_offsets();
    std::vector<uint32_t> sel(n * m);
    for (size_t i = 0; i < n; ++i) {
      off[i + 1] = static_cast<int32_t>((i + 1) * m);
      for (size_t e = 0; e < m; ++e) sel[i * m + e] = static_cast<uint32_t>(begin + e);
    }
    out->child_ = gather(*v->child_, sel.data(), sel.size());
  } else {
    size_t w = static_cast<size_t>(v->type().fixed_width());
    const uint8_t* src = v->data_->data();
    uint8_t* dst = out->data_->data();
    for (size_t i = 0; i < n; ++i) std::memcpy(dst + i * w, src, w);
  }
  return out;
}

namespace {

template <class T>
void gather_fixed(const Vector& v, const uint32_t* sel, size_t n, Vector& out) {
  const T* src = v.values<T>();
  T* dst = out.values<T>();
  for (size_t i = 0; i < n; ++i) dst[i] = src[sel[i]];
}

// The selected rows' elements, gathered into one child in row order; null rows become empty.
void gather_arrays(const Vector& v, const uint32_t* sel, size_t n, Vector& out) {
  const int32_t* off = v.offsets();
  int32_t* o = out.mutable_offsets();
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!v.is_null(sel[i])) total += static_cast<size_t>(off[sel[i] + 1] - off[sel[i]]);
    o[i + 1] = element_offset(total);
  }
  std::vector<uint32_t> elements(total);
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    if (v.is_null(sel[i])) continue;
    for (int32_t e = off[sel[i]]; e < off[sel[i] + 1]; ++e) elements[k++] = static_cast<uint32_t>(e);
  }
  out.set_child(gather(*v.child(), elements.data(), total));
}

}  // namespace

VectorPtr gather(const Vector& v, const uint32_t* sel, size_t n) {
  if (v.is_constant()) {
    auto c = Vector::make_constant(v.value_at(0), n);
    return c;
  }
  if (v.is_dictionary()) {
    auto codes = make_buffer(n * sizeof(int32_t));
    auto* dst = reinterpret_cast<int32_t*>(codes->data());
    const int32_t* src = v.codes();
    for (size_t i = 0; i < n; ++i) dst[i] = src[sel[i]];
    BufferPtr validity;
    if (v.may_have_nulls()) {
      validity = make_buffer(bitmap_bytes(n));
      std::memset(validity->data(), 0xff, validity->size());
      for (size_t i = 0; i < n; ++i) {
        if (!bit_is_set(v.validity(), sel[i])) clear_bit(validity->data(), i);
      }
    }
    return Vector::make_dictionary(v.dictionary(), std::move(codes), std::move(validity), n);
  }
  auto out = Vector::make(v.type(), n);
  switch (v.type().fixed_width()) {
    case 1: gather_fixed<uint8_t>(v, sel, n, *out); break;
    case 2: gather_fixed<uint16_t>(v, sel, n, *out); break;
    case 4: gather_fixed<uint32_t>(v, sel, n, *out); break;
    case 8: gather_fixed<uint64_t>(v, sel, n, *out); break;
    case 16: gather_fixed<int128_t>(v, sel, n, *out); break;
    default:
      if (v.type().is_string_like()) {
        size_t bytes = 0;
        for (size_t i = 0; i < n; ++i) bytes += v.string_at(sel[i]).size();
        out->reserve_chars(bytes);
        for (size_t i = 0; i < n; ++i) out->set_string(i, v.string_at(sel[i]));
      } else if (v.type().is_list_like()) {
        gather_arrays(v, sel, n, *out);
      } else if (v.type().id() == TypeId::kStruct) {
        for (size_t k = 0; k < v.num_fields(); ++k) out->set_field(k, gather(*v.field(k), sel, n));
      }
      break;
  }
  if (v.may_have_nulls()) {
    const uint8_t* src = v.validity();
    uint8_t* dst = out->mutable_validity();
    for (size_t i = 0; i < n; ++i) {
      if (!bit_is_set(src, sel[i])) clear_bit(dst, i);
    }
  }
  return out;
}

VectorPtr concat(const std::vector<VectorPtr>& parts) {
  EMBER_CHECK(!parts.empty(), "concat of no vectors");
  if (parts.size() == 1) return flatten(parts[0]);
  size_t total = 0;
  for (const auto& p : parts) total += p->size();
  const DataType& type = parts[0]->type();
  auto out = Vector::make(type, total);
  size_t row = 0;
  bool any_nulls = false;
  for (const auto& p : parts) any_nulls |= p->may_have_nulls();
  std::vector<VectorPtr> children;  // arrays: each part's elements
  std::vector<std::vector<VectorPtr>> field_parts(type.id() == TypeId::kStruct ? type.fields().size() : 0);
  size_t elements = 0;
  for (const auto& raw : parts) {
    VectorPtr p = flatten(raw);
    size_t n = p->size();
    if (type.is_string_like()) {
      for (size_t i = 0; i < n; ++i) out->set_string(row + i, p->string_at(i));
    } else if (type.id() == TypeId::kStruct) {
      for (size_t k = 0; k < field_parts.size(); ++k)
        field_parts[k].push_back(child_range(p->field(k), 0, n));
    } else if (type.is_list_like()) {
      const int32_t* off = p->offsets();
      int32_t* o = out->mutable_offsets();
      for (size_t i = 0; i < n; ++i)
        o[row + i + 1] = element_offset(elements + static_cast<size_t>(off[i + 1] - off[0]));
      elements += static_cast<size_t>(off[n] - off[0]);
      children.push_back(child_range(p->child(), static_cast<size_t>(off[0]), static_cast<size_t>(off[n])));
    } else if (type.fixed_width() > 0) {
      size_t w = static_cast<size_t>(type.fixed_width());
      std::memcpy(out->values<uint8_t>() + row * w, p->values<uint8_t>(), n * w);
    }
    if (any_nulls && p->may_have_nulls()) {
      for (size_t i = 0; i < n; ++i) {
        if (p->is_null(i)) out->set_null(row + i);
      }
    } else if (type.id() == TypeId::kNull) {
      for (size_t i = 0; i < n; ++i) out->set_null(row + i);
    }
    row += n;
  }
  if (type.is_list_like()) out->set_child(concat(children));
  for (size_t k = 0; k < field_parts.size(); ++k) out->set_field(k, concat(field_parts[k]));
  return out;
}

VectorPtr assemble(const DataType& type, const std::vector<VectorPtr>& sources, const int32_t* source,
                   const uint32_t* rows, size_t n) {
  if (type.is_nested()) {
    // Concatenate the sources behind one null row, then gather: arrays need their elements moved
    // as a whole, which gather already does.
    std::vector<VectorPtr> parts{Vector::make_null(type, 1)};
    std::vector<uint32_t> base(sources.size());
    uint32_t at = 1;
    for (size_t s = 0; s < sources.size(); ++s) {
      parts.push_back(sources[s]);
      base[s] = at;
      at += static_cast<uint32_t>(sources[s]->size());
    }
    VectorPtr all = concat(parts);
    std::vector<uint32_t> sel(n);
    for (size_t i = 0; i < n; ++i)
      sel[i] = source[i] < 0 ? 0 : base[static_cast<size_t>(source[i])] + rows[i];
    return gather(*all, sel.data(), n);
  }
  auto out = Vector::make(type, n);
  const bool strings = type.is_string_like();
  for (size_t i = 0; i < n; ++i) {
    if (source[i] < 0 || sources[static_cast<size_t>(source[i])]->is_null(rows[i])) {
      out->set_null_row(i);
      continue;
    }
    const Vector& src = *sources[static_cast<size_t>(source[i])];
    if (strings) out->set_string(i, src.string_at(rows[i]));
    else if (type.id() != TypeId::kNull) copy_fixed_value(src, rows[i], *out, i);
  }
  return out;
}

void copy_fixed_value(const Vector& src, size_t from, Vector& dst, size_t to) {
  size_t w = static_cast<size_t>(src.type().fixed_width());
  size_t k = src.is_constant() ? 0 : from;
  std::memcpy(dst.values<uint8_t>() + to * w, src.values<uint8_t>() + k * w, w);
  if (src.is_null(from)) dst.set_null(to);
  else dst.set_valid(to);
}

Batch Batch::select(const uint32_t* sel, size_t n) const {
  Batch out;
  out.num_rows = n;
  out.columns.reserve(columns.size());
  for (const auto& c : columns) out.columns.push_back(gather(*c, sel, n));
  return out;
}

size_t Batch::byte_size() const {
  size_t bytes = 0;
  for (const auto& c : columns) bytes += c->byte_size();
  return bytes;
}

Batch concat_batches(const std::vector<Batch>& batches) {
  EMBER_CHECK(!batches.empty(), "concat of no batches");
  if (batches.size() == 1) return batches[0];
  Batch out;
  for (const auto& b : batches) out.num_rows += b.num_rows;
  for (size_t c = 0; c < batches[0].num_columns(); ++c) {
    std::vector<VectorPtr> parts;
    parts.reserve(batches.size());
    for (const auto& b : batches) parts.push_back(b.columns[c]);
    out.columns.push_back(concat(parts));
  }
  return out;
}

Batch flatten_batch(Batch b) {
  for (auto& c : b.columns) c = flatten(c);
  return b;
}

}  // namespace ember
