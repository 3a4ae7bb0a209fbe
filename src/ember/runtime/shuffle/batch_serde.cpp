#include "ember/runtime/shuffle/batch_serde.h"

#include <cstring>

#include "ember/common/error.h"

namespace ember {

namespace {

constexpr char kMagic[4] = {'E', 'M', 'B', 'B'};
constexpr uint8_t kVersion = 1;
constexpr uint8_t kHasValidity = 1;

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void put_bytes(std::string& out, const void* p, size_t n) {
  if (n > 0) out.append(static_cast<const char*>(p), n);
}

class Reader {
 public:
  Reader(const char* data, size_t size) : p_(data), end_(data + size) {}

  template <class T>
  T get(const char* what) {
    T v;
    std::memcpy(&v, take(sizeof(T), what), sizeof(T));
    return v;
  }
  const char* take(size_t n, const char* what) {
    if (static_cast<size_t>(end_ - p_) < n) {
      throw_error(ErrorKind::kMalformedInput,
                  std::string("corrupt serialized batch: truncated while reading ") + what);
    }
    const char* at = p_;
    p_ += n;
    return at;
  }
  bool at_end() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
};

void serialize_column(const VectorPtr& column, std::string& out) {
  VectorPtr v = flatten(column);
  const DataType& type = v->type();
  const size_t n = v->size();
  put<uint8_t>(out, static_cast<uint8_t>(type.id()));
  put<uint8_t>(out, static_cast<uint8_t>(type.precision()));
  put<uint8_t>(out, static_cast<uint8_t>(type.scale()));
  const bool has_validity = v->may_have_nulls();
  put<uint8_t>(out, has_validity ? kHasValidity : 0);
  put<uint64_t>(out, n);
  if (has_validity) put_bytes(out, v->validity(), bitmap_bytes(n));
  if (type.is_string_like()) {
    const int32_t* off = v->offsets();
    const int32_t base = off[0];
    for (size_t i = 0; i <= n; ++i) put<int32_t>(out, off[i] - base);
    put_bytes(out, v->chars() + base, static_cast<size_t>(off[n] - base));
  } else if (type.fixed_width() > 0) {
    put_bytes(out, v->values<uint8_t>(), n * static_cast<size_t>(type.fixed_width()));
  }
}

DataType read_type(Reader& r) {
  auto id = r.get<uint8_t>("type id");
  auto precision = r.get<uint8_t>("decimal precision");
  auto scale = r.get<uint8_t>("decimal scale");
  if (id > static_cast<uint8_t>(TypeId::kTimestamp)) {
    throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: unknown type id " + std::to_string(id));
  }
  auto tid = static_cast<TypeId>(id);
  if (tid == TypeId::kDecimal) {
    if (precision < 1 || precision > kMaxDecimalPrecision || scale > precision) {
      throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: bad decimal(" +
                                                  std::to_string(precision) + "," + std::to_string(scale) + ")");
    }
    return DataType::decimal(precision, scale);
  }
  return DataType(tid);
}

VectorPtr deserialize_column(Reader& r) {
  DataType type = read_type(r);
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
    const char* off_bytes = r.take((n + 1) * sizeof(int32_t), "string offsets");
    std::vector<int32_t> off(n + 1);
    std::memcpy(off.data(), off_bytes, off.size() * sizeof(int32_t));
    if (off[0] != 0) throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: offsets do not start at 0");
    for (size_t i = 0; i < n; ++i) {
      if (off[i + 1] < off[i]) throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: decreasing offsets");
    }
    const char* chars = r.take(static_cast<size_t>(off[n]), "string bytes");
    v = Vector::make(type, n);
    v->reserve_chars(static_cast<size_t>(off[n]));
    for (size_t i = 0; i < n; ++i) {
      v->set_string(i, std::string_view(chars + off[i], static_cast<size_t>(off[i + 1] - off[i])));
    }
  } else {
    v = Vector::make(type, n);
    size_t bytes = n * static_cast<size_t>(type.fixed_width());
    if (bytes > 0) std::memcpy(v->values<uint8_t>(), r.take(bytes, "values"), bytes);
  }
  if (validity != nullptr) std::memcpy(v->mutable_validity(), validity, bitmap_bytes(n));
  return v;
}

}  // namespace

void serialize_batch(const Batch& batch, std::string& out) {
  put_bytes(out, kMagic, sizeof(kMagic));
  put<uint8_t>(out, kVersion);
  put<uint64_t>(out, batch.num_rows);
  put<uint32_t>(out, static_cast<uint32_t>(batch.num_columns()));
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
    throw_error(ErrorKind::kMalformedInput, "corrupt serialized batch: unsupported version " + std::to_string(version));
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
