#include "ember/vector/nested_key_encoding.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ember/common/byte_io.h"
#include "ember/common/error.h"

namespace ember {

namespace {

constexpr char kNullTag = 0;
constexpr char kValueTag = 1;

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
  append_pod(out, static_cast<uint32_t>(n));
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

// Fills row r of out (already allocated and valid; string, array and nested rows before it
// already written, as the vector layout requires) from the encoding at p.
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
      if (const int w = child.type().fixed_width(); w > 0) {
        // Fixed-width elements (the common array key): append them all, then fill in place.
        const size_t first = child.append_rows(count);
        uint8_t* dst = child.values<uint8_t>();
        for (uint32_t e = 0; e < count; ++e) {
          if (*p++ == kNullTag) {
            child.set_null(first + e);
          } else {
            std::memcpy(dst + (first + e) * static_cast<size_t>(w), p, static_cast<size_t>(w));
            p += w;
          }
        }
        out.finish_array(r);
        return p;
      }
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

// --- column at a time -----------------------------------------------------------------------
// encode_keys writes whole columns rather than row by row: a list of slots names the values to
// encode (pos[j]: a row of the vector at hand; cid[j]: the output row whose bytes they extend),
// and each level loops over its slots with one type dispatch, handing the valid values of a
// struct field or of an array's elements to the next level as a new slot list. A first pass
// sums every output row's length, a second writes through one cursor per output row. Per
// cursor the writes must come in encoding order, so a struct's fields go one after another and
// an array's elements by rank (every row's first element, then every second one, ...).

struct SlotList {
  std::vector<uint32_t> pos;
  std::vector<uint32_t> cid;
  void clear() {
    pos.clear();
    cid.clear();
  }
  void push(size_t p, uint32_t c) {
    pos.push_back(static_cast<uint32_t>(p));
    cid.push_back(c);
  }
};

// An array's element vector that the fixed-width fast paths can read directly.
bool flat_fixed(const Vector& child) {
  return child.type().fixed_width() > 0 && !child.is_constant() && !child.is_dictionary();
}

// A dictionary vector's slots, redirected to its dictionary's rows.
SlotList through_codes(const Vector& v, const uint32_t* pos, const uint32_t* cid, size_t m) {
  SlotList out;
  out.pos.resize(m);
  out.cid.assign(cid, cid + m);
  for (size_t j = 0; j < m; ++j) out.pos[j] = static_cast<uint32_t>(v.codes()[pos[j]]);
  return out;
}

void add_sizes(const Vector& v, const uint32_t* pos, const uint32_t* cid, size_t m, uint64_t* sizes) {
  if (m == 0) return;
  if (v.is_dictionary()) {
    SlotList d = through_codes(v, pos, cid, m);
    add_sizes(*v.dictionary(), d.pos.data(), d.cid.data(), m, sizes);
    return;
  }
  const bool c = v.is_constant();
  switch (v.type().id()) {
    case TypeId::kNull: return;
    case TypeId::kString:
    case TypeId::kBinary:
      for (size_t j = 0; j < m; ++j) sizes[cid[j]] += sizeof(uint32_t) + v.string_at(c ? 0 : pos[j]).size();
      return;
    case TypeId::kArray:
    case TypeId::kMap: {
      const Vector& child = *v.child();
      if (flat_fixed(child)) {
        // Fixed-width elements: a tag each and the value's width for the non-null ones.
        const auto w = static_cast<uint64_t>(child.type().fixed_width());
        const uint8_t* valid = child.validity();
        for (size_t j = 0; j < m; ++j) {
          const size_t r = c ? 0 : pos[j], begin = v.array_offset(r), count = v.array_size(r);
          size_t present = count;
          if (valid != nullptr) {
            for (size_t e = begin; e < begin + count; ++e) present -= bit_is_set(valid, e) ? 0 : 1;
          }
          sizes[cid[j]] += sizeof(uint32_t) + count + present * w;
        }
        return;
      }
      SlotList elements;
      for (size_t j = 0; j < m; ++j) {
        const size_t r = c ? 0 : pos[j], begin = v.array_offset(r), count = v.array_size(r);
        sizes[cid[j]] += sizeof(uint32_t) + count;  // the length and one tag per element
        for (size_t e = begin; e < begin + count; ++e) {
          if (!child.is_null(e)) elements.push(e, cid[j]);
        }
      }
      add_sizes(child, elements.pos.data(), elements.cid.data(), elements.pos.size(), sizes);
      return;
    }
    case TypeId::kStruct: {
      SlotList valid;
      for (size_t k = 0; k < v.num_fields(); ++k) {
        const Vector& f = *v.field(k);
        if (const int w = f.type().fixed_width(); w > 0 && !f.is_dictionary()) {
          // A fixed-width field: its tag and, when present, its width; no slot list.
          for (size_t j = 0; j < m; ++j) sizes[cid[j]] += 1 + (f.is_null(c ? 0 : pos[j]) ? 0 : w);
          continue;
        }
        valid.clear();
        for (size_t j = 0; j < m; ++j) {
          const size_t r = c ? 0 : pos[j];
          sizes[cid[j]] += 1;  // the field's tag
          if (!f.is_null(r)) valid.push(r, cid[j]);
        }
        add_sizes(f, valid.pos.data(), valid.cid.data(), valid.pos.size(), sizes);
      }
      return;
    }
    default: {
      const auto w = static_cast<uint64_t>(v.type().fixed_width());
      for (size_t j = 0; j < m; ++j) sizes[cid[j]] += w;
      return;
    }
  }
}

template <class T>
void write_fixed(const Vector& v, const uint32_t* pos, const uint32_t* cid, size_t m, char** cur) {
  const T* vals = v.values<T>();
  const bool c = v.is_constant();
  for (size_t j = 0; j < m; ++j) {
    T x = vals[c ? 0 : pos[j]];
    if constexpr (std::is_floating_point_v<T>) x = normalise(x);
    std::memcpy(cur[cid[j]], &x, sizeof(T));
    cur[cid[j]] += sizeof(T);
  }
}

void write_length(char*& cur, size_t n) {
  const auto len = static_cast<uint32_t>(n);
  std::memcpy(cur, &len, sizeof(len));
  cur += sizeof(len);
}

// Arrays of fixed-width elements need no rank rounds: each row's elements are written in one go,
// with one type dispatch for the whole batch.
template <class T>
void write_elements(const Vector& v, const uint32_t* pos, const uint32_t* cid, size_t m, char** cur) {
  const Vector& child = *v.child();
  const T* vals = child.values<T>();
  const uint8_t* valid = child.validity();
  const bool c = v.is_constant();
  for (size_t j = 0; j < m; ++j) {
    const size_t r = c ? 0 : pos[j], begin = v.array_offset(r), count = v.array_size(r);
    char*& out = cur[cid[j]];
    write_length(out, count);
    for (size_t e = begin; e < begin + count; ++e) {
      if (valid != nullptr && !bit_is_set(valid, e)) {
        *out++ = kNullTag;
        continue;
      }
      *out++ = kValueTag;
      T x = vals[e];
      if constexpr (std::is_floating_point_v<T>) x = normalise(x);
      std::memcpy(out, &x, sizeof(T));
      out += sizeof(T);
    }
  }
}

// Calls fn(T{}) with the C++ type a fixed-width type is stored as.
template <class Fn>
void with_fixed_type(TypeId id, Fn&& fn) {
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kByte: fn(uint8_t{}); return;
    case TypeId::kShort: fn(int16_t{}); return;
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kYearMonthInterval: fn(int32_t{}); return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kDayTimeInterval: fn(int64_t{}); return;
    case TypeId::kFloat: fn(float{}); return;
    case TypeId::kDouble: fn(double{}); return;
    case TypeId::kDecimal: fn(int128_t{}); return;
    default: break;
  }
  throw_internal(__FILE__, __LINE__, "nested key encoding: not a fixed-width type");
}

void write_fixed_elements(const Vector& v, const uint32_t* pos, const uint32_t* cid, size_t m, char** cur) {
  with_fixed_type(v.child()->type().id(),
                  [&](auto tag) { write_elements<decltype(tag)>(v, pos, cid, m, cur); });
}

// A fixed-width struct field (flat or constant) of the slots' struct rows (`c`: the struct is
// constant): its tag, then its value when present, in one loop.
template <class T>
void write_tagged_field(const Vector& f, bool c, const uint32_t* pos, const uint32_t* cid, size_t m,
                        char** cur) {
  const T* vals = f.values<T>();
  const bool fc = f.is_constant();
  for (size_t j = 0; j < m; ++j) {
    const size_t r = c ? 0 : pos[j];
    char*& out = cur[cid[j]];
    if (f.is_null(r)) {
      *out++ = kNullTag;
      continue;
    }
    *out++ = kValueTag;
    T x = vals[fc ? 0 : r];
    if constexpr (std::is_floating_point_v<T>) x = normalise(x);
    std::memcpy(out, &x, sizeof(T));
    out += sizeof(T);
  }
}

void write_values(const Vector& v, const uint32_t* pos, const uint32_t* cid, size_t m, char** cur) {
  if (m == 0) return;
  if (v.is_dictionary()) {
    SlotList d = through_codes(v, pos, cid, m);
    write_values(*v.dictionary(), d.pos.data(), d.cid.data(), m, cur);
    return;
  }
  const bool c = v.is_constant();
  switch (v.type().id()) {
    case TypeId::kNull: return;
    case TypeId::kBoolean:
    case TypeId::kByte: write_fixed<uint8_t>(v, pos, cid, m, cur); return;
    case TypeId::kShort: write_fixed<int16_t>(v, pos, cid, m, cur); return;
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kYearMonthInterval: write_fixed<int32_t>(v, pos, cid, m, cur); return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kDayTimeInterval: write_fixed<int64_t>(v, pos, cid, m, cur); return;
    case TypeId::kFloat: write_fixed<float>(v, pos, cid, m, cur); return;
    case TypeId::kDouble: write_fixed<double>(v, pos, cid, m, cur); return;
    case TypeId::kDecimal: write_fixed<int128_t>(v, pos, cid, m, cur); return;
    case TypeId::kString:
    case TypeId::kBinary:
      for (size_t j = 0; j < m; ++j) {
        const std::string_view s = v.string_at(c ? 0 : pos[j]);
        char*& out = cur[cid[j]];
        write_length(out, s.size());
        if (!s.empty()) std::memcpy(out, s.data(), s.size());
        out += s.size();
      }
      return;
    case TypeId::kArray:
    case TypeId::kMap: {
      const Vector& child = *v.child();
      if (flat_fixed(child)) {
        write_fixed_elements(v, pos, cid, m, cur);
        return;
      }
      // Rows still holding an element of the current rank: (first element, count, cursor).
      struct Open {
        size_t begin, count;
        uint32_t cid;
      };
      std::vector<Open> open;
      for (size_t j = 0; j < m; ++j) {
        const size_t r = c ? 0 : pos[j], count = v.array_size(r);
        write_length(cur[cid[j]], count);
        if (count > 0) open.push_back(Open{v.array_offset(r), count, cid[j]});
      }
      SlotList rank;
      for (size_t t = 0; !open.empty(); ++t) {
        rank.clear();
        size_t still = 0;
        for (const Open& o : open) {
          const size_t e = o.begin + t;
          const bool null = child.is_null(e);
          *cur[o.cid]++ = null ? kNullTag : kValueTag;
          if (!null) rank.push(e, o.cid);
          if (t + 1 < o.count) open[still++] = o;
        }
        write_values(child, rank.pos.data(), rank.cid.data(), rank.pos.size(), cur);
        open.resize(still);
      }
      return;
    }
    case TypeId::kStruct: {
      SlotList valid;
      for (size_t k = 0; k < v.num_fields(); ++k) {
        const Vector& f = *v.field(k);
        if (f.type().fixed_width() > 0 && !f.is_dictionary()) {
          with_fixed_type(f.type().id(),
                          [&](auto tag) { write_tagged_field<decltype(tag)>(f, c, pos, cid, m, cur); });
          continue;
        }
        valid.clear();
        for (size_t j = 0; j < m; ++j) {
          const size_t r = c ? 0 : pos[j];
          const bool null = f.is_null(r);
          *cur[cid[j]]++ = null ? kNullTag : kValueTag;
          if (!null) valid.push(r, cid[j]);
        }
        write_values(f, valid.pos.data(), valid.cid.data(), valid.pos.size(), cur);
      }
      return;
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
    case TypeId::kFloat: append_pod(out, normalise(v->values<float>()[i])); return;
    case TypeId::kDouble: append_pod(out, normalise(v->values<double>()[i])); return;
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
  if (v.is_constant()) {
    if (v.is_null(0)) return Vector::make_constant(Value::null(DataType::binary()), n);
    std::string scratch;
    append_key_bytes(v, 0, scratch);
    return Vector::make_constant(Value::binary(std::move(scratch)), n);
  }
  SlotList rows;
  rows.pos.reserve(n);
  rows.cid.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!v.is_null(i)) rows.push(i, static_cast<uint32_t>(i));
  }
  std::vector<uint64_t> sizes(n, 0);
  add_sizes(v, rows.pos.data(), rows.cid.data(), rows.pos.size(), sizes.data());
  auto offsets = make_buffer((n + 1) * sizeof(int32_t));
  auto* off = reinterpret_cast<int32_t*>(offsets->data());
  uint64_t total = 0;
  off[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    total += sizes[i];
    if (total > static_cast<uint64_t>(INT32_MAX)) {
      throw_error(ErrorKind::kUnsupported, "the key bytes of one batch of nested values exceed 2 GiB");
    }
    off[i + 1] = static_cast<int32_t>(total);
  }
  auto chars = make_buffer(total);
  std::vector<char*> cursors(n);
  char* base = reinterpret_cast<char*>(chars->data());
  for (size_t i = 0; i < n; ++i) cursors[i] = base + off[i];
  write_values(v, rows.pos.data(), rows.cid.data(), rows.pos.size(), cursors.data());
  BufferPtr validity;
  if (rows.pos.size() < n) {
    validity = make_buffer(bitmap_bytes(n));
    std::memset(validity->data(), 0, validity->size());
    for (uint32_t i : rows.pos) set_bit(validity->data(), i);
  }
  return Vector::from_buffers(DataType::binary(), n, std::move(validity), std::move(offsets),
                              std::move(chars), nullptr, {});
}

const char* append_decoded_key(const char* p, Vector& out) {
  const size_t r = out.append_rows(1);
  return decode_into(p, out, r);
}

VectorPtr decode_keys(const DataType& type, const Vector& encoded, size_t n) {
  // Sized up front (struct fields too), so each top-level row is filled in place, in row order;
  // only array elements are appended.
  auto out = Vector::make(type, n);
  if (type.id() == TypeId::kStruct && std::all_of(type.fields().begin(), type.fields().end(),
                                                  [](const Field& f) { return f.type.fixed_width() > 0; })) {
    // A struct of fixed-width fields (the commonest struct key): field widths and value arrays
    // looked up once, each row's fields copied in place.
    const size_t k = type.fields().size();
    std::vector<size_t> width(k);
    std::vector<uint8_t*> dst(k);
    for (size_t f = 0; f < k; ++f) {
      width[f] = static_cast<size_t>(type.fields()[f].type.fixed_width());
      dst[f] = out->mutable_field(f).values<uint8_t>();
    }
    for (size_t i = 0; i < n; ++i) {
      if (encoded.is_null(i)) {
        out->set_null_row(i);
        continue;
      }
      const std::string_view bytes = encoded.string_at(i);
      const char* p = bytes.data();
      for (size_t f = 0; f < k; ++f) {
        if (*p++ == kNullTag) {
          out->mutable_field(f).set_null(i);
          continue;
        }
        std::memcpy(dst[f] + i * width[f], p, width[f]);
        p += width[f];
      }
      EMBER_CHECK(p == bytes.data() + bytes.size(),
                  "a key encoding of " + type.simple_string() + " did not decode to its full length");
    }
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    if (encoded.is_null(i)) {
      out->set_null_row(i);
      continue;
    }
    const std::string_view bytes = encoded.string_at(i);
    const char* end = decode_into(bytes.data(), *out, i);
    EMBER_CHECK(end == bytes.data() + bytes.size(),
                "a key encoding of " + type.simple_string() + " did not decode to its full length");
  }
  return out;
}

}  // namespace ember
