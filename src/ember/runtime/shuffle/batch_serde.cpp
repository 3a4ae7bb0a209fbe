#include "ember/runtime/shuffle/batch_serde.h"

#include <cstring>

#include "ember/common/byte_io.h"
#include "ember/common/error.h"

namespace ember {

namespace {

constexpr char kMagic[4] = {'E', 'M', 'B', 'B'};
constexpr uint8_t kVersion = 3;  // 2: array columns; 3: map and struct columns
constexpr uint8_t kHasValidity = 1;

void put_bytes(std::string& out, const void* p, size_t n) {
  if (n > 0) out.append(static_cast<const char*>(p), n);
}

// Every read names what it reads, so a truncated batch says where it ends.
class Reader : public ByteReader {
 public:
  Reader(const char* data, size_t size) : ByteReader(data, size, "corrupt serialized batch") {}
};

void serialize_type(const DataType& type, std::string& out) {
  append_pod<uint8_t>(out, static_cast<uint8_t>(type.id()));
  append_pod<uint8_t>(out, static_cast<uint8_t>(type.precision()));
  append_pod<uint8_t>(out, static_cast<uint8_t>(type.scale()));
  if (type.id() == TypeId::kArray) {
    append_pod<uint8_t>(out, type.contains_null() ? 1 : 0);
    serialize_type(type.element_type(), out);
  } else if (type.id() == TypeId::kMap) {
    append_pod<uint8_t>(out, type.contains_null() ? 1 : 0);
    serialize_type(type.key_type(), out);
    serialize_type(type.value_type(), out);
  } else if (type.id() == TypeId::kStruct) {
    append_pod<uint32_t>(out, static_cast<uint32_t>(type.fields().size()));
    for (const Field& f : type.fields()) {
      append_pod<uint32_t>(out, static_cast<uint32_t>(f.name.size()));
      put_bytes(out, f.name.data(), f.name.size());
      append_pod<uint8_t>(out, f.nullable ? 1 : 0);
      serialize_type(f.type, out);
    }
  }
}

// The column's data after its type: flags, length, validity, values. A constant is flattened.
void serialize_data(const VectorPtr& column, std::string& out) {
  VectorPtr v = flatten(column);
  const DataType& type = v->type();
  const size_t n = v->size();
  const bool has_validity = v->may_have_nulls();
  append_pod<uint8_t>(out, has_validity ? kHasValidity : 0);
  append_pod<uint64_t>(out, n);
  if (has_validity) put_bytes(out, v->validity(), bitmap_bytes(n));
  if (type.id() == TypeId::kStruct) {
    // Each field's first n rows (a truncated struct's fields may hold more).
    std::vector<uint32_t> head;
    for (size_t k = 0; k < v->num_fields(); ++k) {
      const VectorPtr& f = v->field(k);
      if (f->size() == n) {
        serialize_data(f, out);
        continue;
      }
      if (head.empty()) {
        head.resize(n);
        for (size_t i = 0; i < n; ++i) head[i] = static_cast<uint32_t>(i);
      }
      serialize_data(gather(*f, head.data(), n), out);
    }
  } else if (type.is_string_like() || type.is_list_like()) {
    const int32_t* off = v->offsets();
    const int32_t base = off[0];
    for (size_t i = 0; i <= n; ++i) append_pod<int32_t>(out, off[i] - base);
    const auto begin = static_cast<size_t>(base), end = static_cast<size_t>(off[n]);
    if (type.is_string_like()) {
      put_bytes(out, v->chars() + begin, end - begin);
    } else if (begin == 0 && end == v->child()->size()) {
      serialize_data(v->child(), out);
    } else {
      // Only the elements the rows span (a truncated vector may hold more).
      std::vector<uint32_t> sel(end - begin);
      for (size_t k = 0; k < sel.size(); ++k) sel[k] = static_cast<uint32_t>(begin + k);
      serialize_data(gather(*v->child(), sel.data(), sel.size()), out);
    }
  } else if (type.fixed_width() > 0) {
    put_bytes(out, v->values<uint8_t>(), n * static_cast<size_t>(type.fixed_width()));
  }
}

void serialize_column(const VectorPtr& column, std::string& out) {
  serialize_type(column->type(), out);
  serialize_data(column, out);
}

// Nesting deeper than this is corrupt input (it also bounds the reader's recursion).
constexpr int kMaxTypeDepth = 64;

DataType read_type(Reader& r, int depth = 0) {
  auto id = r.get<uint8_t>("type id");
  auto precision = r.get<uint8_t>("decimal precision");
  auto scale = r.get<uint8_t>("decimal scale");
  if (id > static_cast<uint8_t>(TypeId::kStruct)) {
    throw_error(ErrorKind::kMalformedInput,
                "corrupt serialized batch: unknown type id " + std::to_string(id));
  }
  auto tid = static_cast<TypeId>(id);
  if (tid == TypeId::kDecimal) {
    if (precision < 1 || precision > kMaxDecimalPrecision || scale > precision) {
      throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: bad decimal(" +
                                                  std::to_string(precision) + "," + std::to_string(scale) +
                                                  ")");
    }
    return DataType::decimal(precision, scale);
  }
  if (tid == TypeId::kArray) {
    if (depth >= kMaxTypeDepth)
      throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: types nest too deep");
    bool contains_null = r.get<uint8_t>("array containsNull") != 0;
    return DataType::array(read_type(r, depth + 1), contains_null);
  }
  if (tid == TypeId::kMap) {
    if (depth >= kMaxTypeDepth)
      throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: types nest too deep");
    bool contains_null = r.get<uint8_t>("map valueContainsNull") != 0;
    DataType key = read_type(r, depth + 1);
    DataType value = read_type(r, depth + 1);
    return DataType::map(std::move(key), std::move(value), contains_null);
  }
  if (tid == TypeId::kStruct) {
    if (depth >= kMaxTypeDepth)
      throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: types nest too deep");
    auto count = r.get<uint32_t>("struct field count");
    std::vector<Field> fields;
    for (uint32_t k = 0; k < count; ++k) {
      auto len = r.get<uint32_t>("struct field name length");
      Field f;
      f.name.assign(r.take(len, "struct field name"), len);
      f.nullable = r.get<uint8_t>("struct field nullability") != 0;
      f.type = read_type(r, depth + 1);
      fields.push_back(std::move(f));
    }
    return DataType::struct_(std::move(fields));
  }
  return DataType(tid);
}

// Reads (length + 1) int32 offsets that must start at 0 and never decrease.
std::vector<int32_t> read_offsets(Reader& r, size_t n) {
  const char* off_bytes = r.take((n + 1) * sizeof(int32_t), "offsets");
  std::vector<int32_t> off(n + 1);
  std::memcpy(off.data(), off_bytes, off.size() * sizeof(int32_t));
  if (off[0] != 0)
    throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: offsets do not start at 0");
  for (size_t i = 0; i < n; ++i) {
    if (off[i + 1] < off[i])
      throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: decreasing offsets");
  }
  return off;
}

VectorPtr deserialize_data(Reader& r, const DataType& type) {
  auto flags = r.get<uint8_t>("column flags");
  auto n64 = r.get<uint64_t>("column length");
  // Bound the length by what is left, so a corrupt length cannot trigger a huge allocation.
  if (n64 > (uint64_t{1} << 40)) {
    throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: column length " + std::to_string(n64));
  }
  const size_t n = static_cast<size_t>(n64);
  const char* validity = (flags & kHasValidity) ? r.take(bitmap_bytes(n), "validity bitmap") : nullptr;
  VectorPtr v;
  if (type.is_string_like()) {
    std::vector<int32_t> off = read_offsets(r, n);
    const char* chars = r.take(static_cast<size_t>(off[n]), "string bytes");
    v = Vector::make(type, n);
    v->reserve_chars(static_cast<size_t>(off[n]));
    for (size_t i = 0; i < n; ++i) {
      v->set_string(i, std::string_view(chars + off[i], static_cast<size_t>(off[i + 1] - off[i])));
    }
  } else if (type.id() == TypeId::kStruct) {
    v = Vector::make(type, n);
    for (size_t k = 0; k < type.fields().size(); ++k) {
      VectorPtr field = deserialize_data(r, type.fields()[k].type);
      if (field->size() != n) {
        throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: struct of " + std::to_string(n) +
                                                    " rows has a field of " + std::to_string(field->size()));
      }
      v->set_field(k, std::move(field));
    }
  } else if (type.is_list_like()) {
    std::vector<int32_t> off = read_offsets(r, n);
    v = Vector::make(type, n);
    std::memcpy(v->mutable_offsets(), off.data(), off.size() * sizeof(int32_t));
    VectorPtr child = deserialize_data(r, type.element_type());
    if (child->size() != static_cast<size_t>(off[n])) {
      throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: array offsets end at " +
                                                  std::to_string(off[n]) + " but " +
                                                  std::to_string(child->size()) + " elements follow");
    }
    v->set_child(std::move(child));
  } else {
    v = Vector::make(type, n);
    size_t bytes = n * static_cast<size_t>(type.fixed_width());
    if (bytes > 0) std::memcpy(v->values<uint8_t>(), r.take(bytes, "values"), bytes);
  }
  if (validity != nullptr) std::memcpy(v->mutable_validity(), validity, bitmap_bytes(n));
  return v;
}

VectorPtr deserialize_column(Reader& r) {
  DataType type = read_type(r);
  return deserialize_data(r, type);
}

}  // namespace

void serialize_batch(const Batch& batch, std::string& out) {
  put_bytes(out, kMagic, sizeof(kMagic));
  append_pod<uint8_t>(out, kVersion);
  append_pod<uint64_t>(out, batch.num_rows);
  append_pod<uint32_t>(out, static_cast<uint32_t>(batch.num_columns()));
  for (const auto& c : batch.columns) serialize_column(c, out);
}

std::string serialize_batch(const Batch& batch) {
  std::string out;
  serialize_batch(batch, out);
  return out;
}

Batch deserialize_batch(const char* data, size_t size) {
  Reader r(data, size);
  if (std::memcmp(r.take(sizeof(kMagic), "magic"), kMagic, sizeof(kMagic)) != 0) {
    throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: bad magic");
  }
  auto version = r.get<uint8_t>("version");
  if (version != kVersion) {
    throw_error(ErrorKind::kMalformedInput,
                "corrupt serialized batch: unsupported version " + std::to_string(version));
  }
  Batch b;
  b.num_rows = static_cast<size_t>(r.get<uint64_t>("row count"));
  auto ncols = r.get<uint32_t>("column count");
  b.columns.reserve(ncols);
  for (uint32_t i = 0; i < ncols; ++i) b.columns.push_back(deserialize_column(r));
  if (!r.at_end()) throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: trailing bytes");
  return b;
}

}  // namespace ember
