// Import half of the Arrow C Data Interface (see arrow_interop.h for the type mapping).
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "ember/common/error.h"
#include "ember/interop/arrow_interop.h"
#include "ember/types/value.h"

namespace ember {
namespace {

std::string field_path(const std::string& parent, const char* name) {
  std::string n = name != nullptr ? name : "";
  return parent.empty() ? n : parent + "." + n;
}

[[noreturn]] void unsupported(const std::string& path, std::string_view format) {
  throw_error(ErrorKind::kUnsupported, "UNSUPPORTED_ARROWTYPE",
              "Unsupported arrow type '" + std::string(format) + "' of column '" + path + "'.");
}

[[noreturn]] void malformed(const std::string& path, const std::string& what) {
  throw_error(ErrorKind::kMalformedInput, "Arrow import of column '" + path + "': " + what);
}

DataType import_type(const ArrowSchema* s, const std::string& path);

std::vector<Field> import_children(const ArrowSchema* s, const std::string& path) {
  std::vector<Field> fields;
  for (int64_t k = 0; k < s->n_children; ++k) {
    const ArrowSchema* c = s->children[k];
    std::string name = c->name != nullptr ? c->name : "";
    fields.push_back(
        Field{name, import_type(c, field_path(path, c->name)), (c->flags & ARROW_FLAG_NULLABLE) != 0});
  }
  return fields;
}

DataType import_type(const ArrowSchema* s, const std::string& path) {
  if (s == nullptr || s->format == nullptr) malformed(path, "schema without a format");
  if (s->dictionary != nullptr) unsupported(path, std::string("dictionary of ") + s->format);
  std::string_view f = s->format;
  if (f == "n") return DataType::null();
  if (f == "b") return DataType::boolean();
  if (f == "c") return DataType::byte();
  if (f == "s") return DataType::short_();
  if (f == "i") return DataType::int32();
  if (f == "l") return DataType::int64();
  if (f == "f") return DataType::float32();
  if (f == "g") return DataType::float64();
  if (f == "u" || f == "U") return DataType::string();
  if (f == "z" || f == "Z") return DataType::binary();
  if (f == "tdD" || f == "tdm") return DataType::date();
  if (f.size() >= 4 && f.substr(0, 2) == "ts" && f[3] == ':' &&
      std::string_view("smun").find(f[2]) != std::string_view::npos)
    return DataType::timestamp();
  if (f.substr(0, 2) == "d:") {
    int precision = 0, scale = 0, width = 128;
    int fields = std::sscanf(s->format + 2, "%d,%d,%d", &precision, &scale, &width);
    if (fields < 2 || width != 128 || precision < 1 || precision > kMaxDecimalPrecision || scale < 0 ||
        scale > precision)
      unsupported(path, f);
    return DataType::decimal(precision, scale);
  }
  if (f == "+l" || f == "+L") {
    if (s->n_children != 1) malformed(path, "a list schema needs one child");
    const ArrowSchema* c = s->children[0];
    return DataType::array(import_type(c, field_path(path, c->name)), (c->flags & ARROW_FLAG_NULLABLE) != 0);
  }
  if (f == "+m") {
    if (s->n_children != 1 || s->children[0]->n_children != 2)
      malformed(path, "a map schema needs an entries struct");
    auto entries = import_children(s->children[0], path);
    return DataType::map(entries[0].type, entries[1].type, entries[1].nullable);
  }
  if (f == "+s") return DataType::struct_(import_children(s, path));
  unsupported(path, f);
}

// Keeps the imported ArrowArray alive while any vector shares its memory; the producer's release
// callback runs when the last of them is gone.
using Owner = std::shared_ptr<const void>;

const void* buffer(const ArrowArray* a, int64_t i, const std::string& path) {
  if (a->n_buffers <= i) malformed(path, "missing buffer " + std::to_string(i));
  return a->buffers[i];
}

// Rows [start, start + n) of a fixed-width values buffer already in ember's layout (integers,
// floats, decimal128, date32, timestamp[us]) as a vector over the producer's memory: zero-copy,
// as the C Data Interface intends. Memory not aligned for the type's loads is copied instead.
VectorPtr share_values(const DataType& type, const ArrowArray* a, int64_t start, size_t n, const Owner& owner,
                       const std::string& path) {
  const auto width = static_cast<size_t>(type.fixed_width());
  const auto* base = static_cast<const uint8_t*>(buffer(a, 1, path));
  if (n == 0) return Vector::make(type, 0);
  if (base == nullptr) malformed(path, "null values buffer");
  const uint8_t* p = base + static_cast<size_t>(start) * width;
  if (reinterpret_cast<uintptr_t>(p) % width == 0)
    return Vector::from_buffers(type, n, nullptr, Buffer::wrap(p, n * width, owner), nullptr, nullptr, {});
  VectorPtr v = Vector::make(type, n);
  std::memcpy(v->data_buffer()->data(), p, n * width);
  return v;
}

// Rows [start, start + length) of a bitmap, as a bitmap starting at bit 0: the producer's bytes
// themselves when `start` falls on a byte, else a shifted copy.
BufferPtr import_bits(const uint8_t* bits, int64_t start, int64_t length, const Owner& owner) {
  size_t bytes = bitmap_bytes(static_cast<size_t>(length));
  if (start % 8 == 0 && bytes > 0) return Buffer::wrap(bits + start / 8, bytes, owner);
  auto out = make_buffer(bytes);
  if (start % 8 == 0) return out;  // no rows
  std::memset(out->data(), 0, bytes);
  for (int64_t i = 0; i < length; ++i) {
    if (bit_is_set(bits, static_cast<size_t>(start + i))) set_bit(out->data(), static_cast<size_t>(i));
  }
  return out;
}

// Offsets of rows [start, start + length] of a (32- or 64-bit) offsets buffer.
template <class O>
int64_t offset_at(const void* offsets, int64_t i) {
  return static_cast<int64_t>(static_cast<const O*>(offsets)[i]);
}

// Logical rows [rel_start, rel_start + length) of `a` as an ember vector: fixed-width values and
// byte-aligned bitmaps shared with the producer (kept alive by `owner`), the rest copied into
// ember's layout (offsets rebased to start at 0, children cut to the rows the offsets reach).
VectorPtr import_vector(const ArrowSchema* s, const ArrowArray* a, const DataType& type, int64_t rel_start,
                        int64_t length, const std::string& path, const Owner& owner) {
  if (a == nullptr) malformed(path, "null array");
  const int64_t start = a->offset + rel_start;
  if (start < 0 || length < 0 || rel_start + length > a->length)
    malformed(path, "rows beyond the array's length");
  const auto n = static_cast<size_t>(length);
  if (type.id() == TypeId::kNull) return Vector::make_null(type, n);
  BufferPtr validity;
  if (a->null_count != 0 && buffer(a, 0, path) != nullptr) {
    validity = import_bits(static_cast<const uint8_t*>(a->buffers[0]), start, length, owner);
  }
  std::string_view f = s->format;
  VectorPtr v;
  switch (type.id()) {
    case TypeId::kBoolean: {
      // Arrow packs booleans into bits; ember keeps a byte per value.
      v = Vector::make(type, n);
      const auto* bits = static_cast<const uint8_t*>(buffer(a, 1, path));
      auto* out = v->values<uint8_t>();
      for (size_t i = 0; i < n; ++i) out[i] = bit_is_set(bits, static_cast<size_t>(start) + i) ? 1 : 0;
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      const bool large = f == "U" || f == "Z";
      const void* offsets = buffer(a, 1, path);
      const char* chars = static_cast<const char*>(buffer(a, 2, path));
      auto at = [&](int64_t i) {
        return large ? offset_at<int64_t>(offsets, start + i) : offset_at<int32_t>(offsets, start + i);
      };
      const int64_t first = n > 0 ? at(0) : 0, last = n > 0 ? at(length) : 0;
      if (last - first > std::numeric_limits<int32_t>::max())
        malformed(path, "more than 2 GiB of string bytes");
      v = Vector::make(type, n);
      v->reserve_chars(static_cast<size_t>(last - first));
      for (size_t i = 0; i < n; ++i) {
        int64_t b = at(static_cast<int64_t>(i)), e = at(static_cast<int64_t>(i) + 1);
        if (b < first || e < b || e > last) malformed(path, "offsets out of order");
        v->set_string(i, std::string_view(chars + b, static_cast<size_t>(e - b)));
      }
      break;
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      if (a->n_children != 1) malformed(path, "a list array needs one child");
      const bool large = f == "+L";
      const void* offsets = buffer(a, 1, path);
      auto at = [&](int64_t i) {
        return large ? offset_at<int64_t>(offsets, start + i) : offset_at<int32_t>(offsets, start + i);
      };
      const int64_t first = n > 0 ? at(0) : 0, last = n > 0 ? at(length) : 0;
      const ArrowSchema* cs = s->children[0];
      const ArrowArray* ca = a->children[0];
      if (first < 0 || last < first || last > ca->length)
        malformed(path, "list offsets beyond the child's length");
      if (last - first > std::numeric_limits<int32_t>::max()) malformed(path, "more than 2^31 list elements");
      v = Vector::make(type, n);
      // Only the elements these rows reach, with the offsets rebased to them.
      v->set_child(
          import_vector(cs, ca, type.element_type(), first, last - first, field_path(path, cs->name), owner));
      int32_t* out = v->mutable_offsets();
      for (size_t i = 0; i <= n; ++i) {
        int64_t o = at(static_cast<int64_t>(i)) - first;
        if (o < 0 || o > last - first) malformed(path, "list offsets out of order");
        out[i] = static_cast<int32_t>(o);
      }
      break;
    }
    case TypeId::kStruct: {
      if (a->n_children != s->n_children) malformed(path, "struct array and schema have different children");
      std::vector<VectorPtr> fields;
      for (int64_t k = 0; k < a->n_children; ++k) {
        const ArrowSchema* cs = s->children[k];
        // A struct's offset applies to its children's logical rows.
        fields.push_back(import_vector(cs, a->children[k], type.fields()[static_cast<size_t>(k)].type, start,
                                       length, field_path(path, cs->name), owner));
      }
      v = Vector::make_struct(type, n, std::move(fields));
      break;
    }
    case TypeId::kDate: {
      if (f != "tdm") {  // date32 is ember's layout
        v = share_values(type, a, start, n, owner, path);
        break;
      }
      v = Vector::make(type, n);
      auto* days = v->values<int32_t>();
      {
        const auto* ms = static_cast<const int64_t*>(buffer(a, 1, path)) + start;
        constexpr int64_t kMsPerDay = 86'400'000;
        for (size_t i = 0; i < n; ++i)
          days[i] = static_cast<int32_t>(ms[i] / kMsPerDay - (ms[i] % kMsPerDay < 0 ? 1 : 0));
      }
      break;
    }
    case TypeId::kTimestamp: {
      const char unit = f[2];
      if (unit == 'u') {  // microseconds are ember's layout
        v = share_values(type, a, start, n, owner, path);
        break;
      }
      const auto* raw = static_cast<const int64_t*>(buffer(a, 1, path)) + start;
      v = Vector::make(type, n);
      auto* micros = v->values<int64_t>();
      for (size_t i = 0; i < n; ++i) {
        int64_t x = raw[i];
        bool ok = true;
        if (unit == 's') ok = !__builtin_mul_overflow(x, int64_t{1'000'000}, &micros[i]);
        else if (unit == 'm') ok = !__builtin_mul_overflow(x, int64_t{1'000}, &micros[i]);
        else micros[i] = x / 1000 - (x % 1000 < 0 ? 1 : 0);  // floor, as Spark truncates nanoseconds
        if (!ok && !(validity && !bit_is_set(validity->data(), i))) malformed(path, "timestamp out of range");
      }
      break;
    }
    default:  // integers, floats, decimal128: ember's layout
      v = share_values(type, a, start, n, owner, path);
      break;
  }
  if (validity) v->set_validity_buffer(std::move(validity));
  return v;
}

}  // namespace

Schema import_arrow_schema(const ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) malformed("", "released or null ArrowSchema");
  if (schema->format == nullptr || std::string_view(schema->format) != "+s")
    throw_error(ErrorKind::kIllegalArgument,
                std::string("Arrow import expects a record batch (struct, format '+s'), got '") +
                    (schema->format ? schema->format : "") + "'");
  return Schema(import_children(schema, ""));
}

std::vector<Batch> import_arrow_array(const Schema& schema, const ArrowSchema* arrow_schema,
                                      ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) malformed("", "released or null ArrowArray");
  // Take the producer's struct over (the specification's "move"). Its release callback runs when
  // the last vector sharing its memory is gone, or at once when the import fails half way.
  std::shared_ptr<ArrowArray> owned(new ArrowArray(*array), [](ArrowArray* a) {
    if (a->release != nullptr) a->release(a);
    delete a;
  });
  array->release = nullptr;
  if (owned->n_children != static_cast<int64_t>(schema.size()))
    malformed("", "the array has " + std::to_string(owned->n_children) + " columns, the schema " +
                      std::to_string(schema.size()));
  std::vector<Batch> batches;
  for (int64_t start = 0; start < owned->length; start += static_cast<int64_t>(kBatchSize)) {
    int64_t length = std::min<int64_t>(static_cast<int64_t>(kBatchSize), owned->length - start);
    Batch b;
    b.num_rows = static_cast<size_t>(length);
    for (size_t c = 0; c < schema.size(); ++c) {
      const ArrowSchema* cs = arrow_schema->children[c];
      b.columns.push_back(import_vector(cs, owned->children[c], schema.field(c).type, owned->offset + start,
                                        length, field_path("", cs->name), owned));
    }
    batches.push_back(std::move(b));
  }
  return batches;
}

}  // namespace ember
