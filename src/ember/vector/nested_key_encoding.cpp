#include "ember/vector/nested_key_encoding.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "ember/common/error.h"

namespace ember {

namespace {

constexpr char kNullTag = 0;
constexpr char kValueTag = 1;

template <class T>
void append_raw(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Spark's NormalizeFloatingNumbers: the one zero and the one NaN.
template <class T>
T normalise(T v) {
  if (v == T{0}) return T{0};
  if (std::isnan(v)) return std::numeric_limits<T>::quiet_NaN();
  return v;
}

void append_length(std::string& out, size_t n) {
  if (n > std::numeric_limits<uint32_t>::max()) {
    throw_error(ErrorKind::kUnsupported, "a key value holds more than 2^32 elements or bytes");
  }
  append_raw(out, static_cast<uint32_t>(n));
}

// A nested element or field: its null tag, then its value when it has one.
void append_tagged(const Vector& v, size_t row, std::string& out) {
  if (v.is_null(row)) {
    out.push_back(kNullTag);
    return;
  }
  out.push_back(kValueTag);
  append_key_bytes(v, row, out);
}

uint32_t read_length(const char*& p) {
  uint32_t n;
  std::memcpy(&n, p, sizeof(n));
  p += sizeof(n);
  return n;
}

// Fills row r of out (already appended, the last row, valid) from the encoding at p.
const char* decode_into(const char* p, Vector& out, size_t r) {
  switch (out.type().id()) {
    case TypeId::kNull: out.set_null(r); return p;
    case TypeId::kString:
    case TypeId::kBinary: {
      const uint32_t len = read_length(p);
      out.set_string(r, std::string_view(p, len));
      return p + len;
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      const uint32_t count = read_length(p);
      Vector& child = out.mutable_child();
      for (uint32_t e = 0; e < count; ++e) {
        const size_t cr = child.append_rows(1);
        if (*p++ == kNullTag) child.set_null_row(cr);
        else p = decode_into(p, child, cr);
      }
      out.finish_array(r);
      return p;
    }
    case TypeId::kStruct:
      // append_rows on the struct appended row r to every field as well.
      for (size_t k = 0; k < out.num_fields(); ++k) {
        Vector& field = out.mutable_field(k);
        if (*p++ == kNullTag) field.set_null_row(r);
        else p = decode_into(p, field, r);
      }
      return p;
    default: {
      const auto w = static_cast<size_t>(out.type().fixed_width());
      std::memcpy(out.values<uint8_t>() + r * w, p, w);
      return p + w;
    }
  }
}

}  // namespace

void append_key_bytes(const Vector& vec, size_t row, std::string& out) {
  const Vector* v = &vec;
  if (v->is_dictionary()) {
    row = static_cast<size_t>(v->codes()[row]);
    v = v->dictionary().get();
  }
  const size_t i = v->is_constant() ? 0 : row;
  switch (v->type().id()) {
    case TypeId::kNull: return;
    case TypeId::kFloat: append_raw(out, normalise(v->values<float>()[i])); return;
    case TypeId::kDouble: append_raw(out, normalise(v->values<double>()[i])); return;
    case TypeId::kString:
    case TypeId::kBinary: {
      const std::string_view s = v->string_at(i);
      append_length(out, s.size());
      out.append(s.data(), s.size());
      return;
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      const size_t begin = v->array_offset(i), count = v->array_size(i);
      append_length(out, count);
      const Vector& child = *v->child();
      for (size_t e = begin; e < begin + count; ++e) append_tagged(child, e, out);
      return;
    }
    case TypeId::kStruct:
      for (size_t k = 0; k < v->num_fields(); ++k) append_tagged(*v->field(k), i, out);
      return;
    default: {
      const auto w = static_cast<size_t>(v->type().fixed_width());
      out.append(reinterpret_cast<const char*>(v->values<uint8_t>() + i * w), w);
      return;
    }
  }
}

VectorPtr encode_keys(const Vector& v, size_t n) {
  std::string scratch;
  if (v.is_constant()) {
    if (v.is_null(0)) return Vector::make_constant(Value::null(DataType::binary()), n);
    append_key_bytes(v, 0, scratch);
    return Vector::make_constant(Value::binary(std::move(scratch)), n);
  }
  auto out = Vector::make(DataType::binary(), n);
  for (size_t i = 0; i < n; ++i) {
    if (v.is_null(i)) {
      out->set_null_string(i);
      continue;
    }
    scratch.clear();
    append_key_bytes(v, i, scratch);
    out->set_string(i, scratch);
  }
  return out;
}

const char* append_decoded_key(const char* p, Vector& out) {
  const size_t r = out.append_rows(1);
  return decode_into(p, out, r);
}

VectorPtr decode_keys(const DataType& type, const Vector& encoded, size_t n) {
  auto out = Vector::make(type, 0);
  for (size_t i = 0; i < n; ++i) {
    if (encoded.is_null(i)) {
      out->set_null_row(out->append_rows(1));
      continue;
    }
    const std::string_view bytes = encoded.string_at(i);
    const char* end = append_decoded_key(bytes.data(), *out);
    EMBER_CHECK(end == bytes.data() + bytes.size(),
                "a key encoding of " + type.simple_string() + " did not decode to its full length");
  }
  return out;
}

}  // namespace ember
