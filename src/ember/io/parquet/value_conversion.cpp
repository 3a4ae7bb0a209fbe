#include "ember/io/parquet/value_conversion.h"

#include <algorithm>
#include <climits>

#include "ember/common/error.h"

namespace ember::parquet {

namespace {

// Julian day number of 1970-01-01: INT96 timestamps count days from the Julian epoch.
constexpr int64_t kJulianDayOfEpoch = 2440588;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;

template <class T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <class From, class To>
void widen_or_narrow(const uint8_t* in, size_t n, To* out) {
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<To>(load<From>(in + i * sizeof(From)));
}

int64_t int96_to_micros(const uint8_t* p) {
  auto nanos = load<int64_t>(p);
  auto days = static_cast<int64_t>(load<int32_t>(p + 8));
  // Unsigned arithmetic: out-of-range values wrap (as in Spark) instead of being undefined.
  auto micros = static_cast<uint64_t>(days - kJulianDayOfEpoch) * static_cast<uint64_t>(kMicrosPerDay) +
                static_cast<uint64_t>(nanos / 1000);
  return static_cast<int64_t>(micros);
}

int64_t floor_div_1000(int64_t v) {
  int64_t q = v / 1000;
  return (v % 1000 < 0) ? q - 1 : q;
}

// A big-endian two's-complement integer of any length whose value fits in 128 bits.
bool big_endian_to_int128(const uint8_t* p, size_t n, int128_t* out) {
  if (n == 0) {
    *out = 0;
    return true;
  }
  if (n > 16) {
    // Longer values are accepted when the extra leading bytes only extend the sign.
    uint8_t fill = (p[n - 16] & 0x80) ? 0xff : 0x00;
    for (size_t i = 0; i < n - 16; ++i) {
      if (p[i] != fill) return false;
    }
    p += n - 16;
    n = 16;
  }
  unsigned __int128 v = (p[0] & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  *out = static_cast<int128_t>(v);
  return true;
}

[[noreturn]] void decimal_too_wide(size_t n) {
  throw_error(ErrorKind::kMalformedInput,
              "a decimal value of " + std::to_string(n) + " bytes does not fit in 128 bits");
}

}  // namespace

bool is_identity_conversion(ValueConversion c) {
  switch (c) {
    case ValueConversion::kBoolean:
    case ValueConversion::kInt32:
    case ValueConversion::kInt64:
    case ValueConversion::kFloat:
    case ValueConversion::kDouble: return true;
    default: return false;
  }
}

bool is_binary_physical(PhysicalType t) {
  return t == PhysicalType::kByteArray || t == PhysicalType::kFixedLenByteArray;
}

bool produces_strings(ValueConversion c) {
  return c == ValueConversion::kByteArray || c == ValueConversion::kFixedToBinary ||
         c == ValueConversion::kUuidToString;
}

void convert_fixed(ValueConversion c, const uint8_t* in, size_t n, Vector& out, size_t row) {
  switch (c) {
    case ValueConversion::kBoolean: std::memcpy(out.values<uint8_t>() + row, in, n); return;
    case ValueConversion::kInt32:
    case ValueConversion::kFloat: std::memcpy(out.values<uint8_t>() + row * 4, in, n * 4); return;
    case ValueConversion::kInt64:
    case ValueConversion::kDouble: std::memcpy(out.values<uint8_t>() + row * 8, in, n * 8); return;
    case ValueConversion::kInt32ToInt8: widen_or_narrow<int32_t>(in, n, out.values<int8_t>() + row); return;
    case ValueConversion::kInt32ToInt16: widen_or_narrow<int32_t>(in, n, out.values<int16_t>() + row); return;
    case ValueConversion::kUInt32ToInt64:
      widen_or_narrow<uint32_t>(in, n, out.values<int64_t>() + row);
      return;
    case ValueConversion::kInt32ToDecimal:
      widen_or_narrow<int32_t>(in, n, out.values<int128_t>() + row);
      return;
    case ValueConversion::kInt64ToDecimal:
      widen_or_narrow<int64_t>(in, n, out.values<int128_t>() + row);
      return;
    case ValueConversion::kUInt64ToDecimal:
      widen_or_narrow<uint64_t>(in, n, out.values<int128_t>() + row);
      return;
    case ValueConversion::kMillisToMicros: {
      int64_t* dst = out.values<int64_t>() + row;
      for (size_t i = 0; i < n; ++i) {
        auto ms = load<int64_t>(in + i * 8);
        if (__builtin_mul_overflow(ms, int64_t{1000}, &dst[i])) {
          throw_error(ErrorKind::kMalformedInput,
                      "the TIMESTAMP(MILLIS) value " + std::to_string(ms) + " is out of the timestamp range");
        }
      }
      return;
    }
    case ValueConversion::kNanosToMicros: {
      int64_t* dst = out.values<int64_t>() + row;
      for (size_t i = 0; i < n; ++i) dst[i] = floor_div_1000(load<int64_t>(in + i * 8));
      return;
    }
    case ValueConversion::kInt96ToMicros: {
      int64_t* dst = out.values<int64_t>() + row;
      for (size_t i = 0; i < n; ++i) dst[i] = int96_to_micros(in + i * 12);
      return;
    }
    default: throw_error(ErrorKind::kInternal, "convert_fixed called for a byte-array conversion");
  }
}

void convert_binary_to_fixed(ValueConversion c, const ByteArrayView* values, size_t n, Vector& out,
                             size_t row) {
  EMBER_CHECK(c == ValueConversion::kByteArrayToDecimal || c == ValueConversion::kFixedToDecimal,
              "byte-array conversion to a fixed-width type must be a decimal");
  int128_t* dst = out.values<int128_t>() + row;
  for (size_t i = 0; i < n; ++i) {
    if (!big_endian_to_int128(values[i].data, values[i].size, &dst[i])) decimal_too_wide(values[i].size);
  }
}

StringAppender::StringAppender(Vector& out, size_t row)
    : out_(out), offsets_(out.mutable_offsets()), row_(row) {
  end_ = static_cast<size_t>(offsets_[row]);
  chars_ = out.chars_buffer()->data();
}

void StringAppender::reserve(size_t bytes) {
  Buffer& chars = *out_.chars_buffer();
  size_t need = end_ + bytes;
  if (need > static_cast<size_t>(INT32_MAX)) {
    throw_error(ErrorKind::kUnsupported, "a string column batch exceeds 2 GiB");
  }
  // resize() keeps the bytes written so far (its size is kept at end_ by finish()).
  chars.resize(end_);
  if (need > chars.capacity()) chars.reserve(std::max(need, chars.capacity() * 2));
  chars.resize(need);
  chars_ = chars.data();
}

void StringAppender::append_uuid(const uint8_t* b) {
  static const char* kHex = "0123456789abcdef";
  char* p = reinterpret_cast<char*>(chars_ + end_);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    *p++ = kHex[b[i] >> 4];
    *p++ = kHex[b[i] & 15];
  }
  end_ += 36;
  offsets_[++row_] = static_cast<int32_t>(end_);
}

void StringAppender::finish() { out_.chars_buffer()->resize(end_); }

std::optional<Value> physical_to_value(const ColumnDescriptor& column, std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  int width = fixed_width(column.physical);
  if (width > 0 && bytes.size() != static_cast<size_t>(width)) return std::nullopt;
  if (column.physical == PhysicalType::kFixedLenByteArray &&
      bytes.size() != static_cast<size_t>(column.type_length)) {
    return std::nullopt;
  }
  const DataType& t = column.type;
  switch (column.conversion) {
    case ValueConversion::kBoolean: return Value::boolean(p[0] != 0);
    case ValueConversion::kInt32:
      if (t.id() == TypeId::kDate) return Value::date(load<int32_t>(p));
      return Value::int32(load<int32_t>(p));
    case ValueConversion::kInt32ToInt8: return Value::byte(static_cast<int8_t>(load<int32_t>(p)));
    case ValueConversion::kInt32ToInt16: return Value::short_(static_cast<int16_t>(load<int32_t>(p)));
    case ValueConversion::kUInt32ToInt64: return Value::int64(load<uint32_t>(p));
    case ValueConversion::kInt32ToDecimal: return Value::decimal(load<int32_t>(p), t.precision(), t.scale());
    case ValueConversion::kInt64:
      if (t.id() == TypeId::kTimestamp) return Value::timestamp(load<int64_t>(p));
      return Value::int64(load<int64_t>(p));
    case ValueConversion::kInt64ToDecimal: return Value::decimal(load<int64_t>(p), t.precision(), t.scale());
    case ValueConversion::kUInt64ToDecimal:
      return Value::decimal(load<uint64_t>(p), t.precision(), t.scale());
    case ValueConversion::kMillisToMicros: {
      int64_t micros;
      if (__builtin_mul_overflow(load<int64_t>(p), int64_t{1000}, &micros)) return std::nullopt;
      return Value::timestamp(micros);
    }
    case ValueConversion::kNanosToMicros: return Value::timestamp(floor_div_1000(load<int64_t>(p)));
    case ValueConversion::kInt96ToMicros: return Value::timestamp(int96_to_micros(p));
    case ValueConversion::kFloat: return Value::float32(load<float>(p));
    case ValueConversion::kDouble: return Value::float64(load<double>(p));
    case ValueConversion::kByteArray:
    case ValueConversion::kFixedToBinary:
      if (t.id() == TypeId::kString) return Value::string(std::string(bytes));
      return Value::binary(std::string(bytes));
    case ValueConversion::kByteArrayToDecimal:
    case ValueConversion::kFixedToDecimal: {
      int128_t v;
      if (!big_endian_to_int128(p, bytes.size(), &v)) return std::nullopt;
      return Value::decimal(v, t.precision(), t.scale());
    }
    case ValueConversion::kUuidToString: {
      if (bytes.size() != 16) return std::nullopt;
      auto v = Vector::make(DataType::string(), 1);
      StringAppender a(*v, 0);
      a.reserve(36);
      a.append_uuid(p);
      a.finish();
      return Value::string(std::string(v->string_at(0)));
    }
    case ValueConversion::kAllNull: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace ember::parquet
