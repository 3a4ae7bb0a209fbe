#include "ember/vector/vector.h"

#include <bit>
#include <cstring>

#include "ember/common/error.h"
#include "ember/vector/batch.h"

namespace ember {

Vector::Vector(DataType type, size_t size) : type_(type), size_(size) {
  if (type_.is_string_like()) {
    data_ = make_buffer((size + 1) * sizeof(int32_t));
    mutable_offsets()[0] = 0;
    chars_ = make_buffer(0);
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
    if (type.is_string_like()) v->set_null_string(0);
    else v->set_null(0);
  } else {
    switch (type.id()) {
      case TypeId::kBoolean: v->values<uint8_t>()[0] = value.as_bool() ? 1 : 0; break;
      case TypeId::kByte: v->values<int8_t>()[0] = static_cast<int8_t>(value.as_int64()); break;
      case TypeId::kShort: v->values<int16_t>()[0] = static_cast<int16_t>(value.as_int64()); break;
      case TypeId::kInt:
      case TypeId::kDate: v->values<int32_t>()[0] = static_cast<int32_t>(value.as_int64()); break;
      case TypeId::kLong:
      case TypeId::kTimestamp: v->values<int64_t>()[0] = value.as_int64(); break;
      case TypeId::kFloat: v->values<float>()[0] = static_cast<float>(value.as_double()); break;
      case TypeId::kDouble: v->values<double>()[0] = value.as_double(); break;
      case TypeId::kDecimal: v->values<int128_t>()[0] = value.as_decimal(); break;
      case TypeId::kString:
      case TypeId::kBinary: v->set_string(0, value.as_string()); break;
      case TypeId::kNull: break;
    }
  }
  v->size_ = size;
  return v;
}

VectorPtr Vector::make_null(DataType type, size_t size) {
  auto v = std::make_shared<Vector>(type, size);
  if (type.is_string_like()) {
    std::memset(v->mutable_offsets(), 0, (size + 1) * sizeof(int32_t));
  }
  uint8_t* bits = v->mutable_validity();
  std::memset(bits, 0, bitmap_bytes(size));
  return v;
}

VectorPtr Vector::from_values(DataType type, const std::vector<Value>& values) {
  auto v = std::make_shared<Vector>(type, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& x = values[i];
    if (x.is_null()) {
      if (type.is_string_like()) v->set_null_string(i);
      else v->set_null(i);
      continue;
    }
    switch (type.id()) {
      case TypeId::kBoolean: v->values<uint8_t>()[i] = x.as_bool() ? 1 : 0; break;
      case TypeId::kByte: v->values<int8_t>()[i] = static_cast<int8_t>(x.as_int64()); break;
      case TypeId::kShort: v->values<int16_t>()[i] = static_cast<int16_t>(x.as_int64()); break;
      case TypeId::kInt:
      case TypeId::kDate: v->values<int32_t>()[i] = static_cast<int32_t>(x.as_int64()); break;
      case TypeId::kLong:
      case TypeId::kTimestamp: v->values<int64_t>()[i] = x.as_int64(); break;
      case TypeId::kFloat: v->values<float>()[i] = static_cast<float>(x.as_double()); break;
      case TypeId::kDouble: v->values<double>()[i] = x.as_double(); break;
      case TypeId::kDecimal: v->values<int128_t>()[i] = x.as_decimal(); break;
      case TypeId::kString:
      case TypeId::kBinary: v->set_string(i, x.as_string()); break;
      case TypeId::kNull: v->set_null(i); break;
    }
  }
  return v;
}

void Vector::set_null(size_t i) { clear_bit(mutable_validity(), i); }

uint8_t* Vector::mutable_validity() {
  if (!validity_) {
    size_t n = constant_ ? 1 : size_;
    validity_ = make_buffer(bitmap_bytes(n));
    std::memset(validity_->data(), 0xff, validity_->size());
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

Value Vector::value_at(size_t i) const {
  if (is_null(i)) return Value::null(type_);
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
    case TypeId::kNull: return Value::null(type_);
  }
  return Value::null(type_);
}

void Vector::truncate(size_t size) {
  EMBER_CHECK(size <= size_, "truncate cannot grow a vector");
  size_ = size;
}

VectorPtr flatten(const VectorPtr& v) {
  if (!v->is_constant()) return v;
  size_t n = v->size();
  if (v->is_null(0)) return Vector::make_null(v->type(), n);
  auto out = Vector::make(v->type(), n);
  if (v->type().is_string_like()) {
    std::string_view s = v->string_at(0);
    out->reserve_chars(s.size() * n);
    for (size_t i = 0; i < n; ++i) out->set_string(i, s);
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

}  // namespace

VectorPtr gather(const Vector& v, const uint32_t* sel, size_t n) {
  if (v.is_constant()) {
    auto c = Vector::make_constant(v.value_at(0), n);
    return c;
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
  for (const auto& raw : parts) {
    VectorPtr p = flatten(raw);
    size_t n = p->size();
    if (type.is_string_like()) {
      for (size_t i = 0; i < n; ++i) out->set_string(row + i, p->string_at(i));
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
  for (const auto& c : columns) {
    if (c->data_buffer()) bytes += c->data_buffer()->size();
    if (c->chars_buffer()) bytes += c->chars_buffer()->size();
    if (c->validity_buffer()) bytes += c->validity_buffer()->size();
  }
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

}  // namespace ember
