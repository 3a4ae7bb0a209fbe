#include "ember/exec/sort/normalized_sort_key.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numeric>

#include "ember/exec/sort/radix_sort.h"
#include "ember/types/value.h"

namespace ember {

namespace {

using uint128_t = unsigned __int128;

inline uint64_t byteswap64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_bswap64(x);
#else
  uint64_t r = 0;
  for (int i = 0; i < 8; ++i) r = (r << 8) | ((x >> (8 * i)) & 0xFF);
  return r;
#endif
}

// Stores u big-endian at p.
template <class U>
inline void put_be(uint8_t* p, U u) {
  for (size_t k = 0; k < sizeof(U); ++k) p[k] = static_cast<uint8_t>(u >> (8 * (sizeof(U) - 1 - k)));
}
template <>
inline void put_be<uint64_t>(uint8_t* p, uint64_t u) {
  if constexpr (std::endian::native == std::endian::little) u = byteswap64(u);
  std::memcpy(p, &u, 8);
}
template <>
inline void put_be<uint128_t>(uint8_t* p, uint128_t u) {
  put_be<uint64_t>(p, static_cast<uint64_t>(u >> 64));
  put_be<uint64_t>(p + 8, static_cast<uint64_t>(u));
}

inline uint32_t order_bits(float f) {
  if (std::isnan(f)) return ~uint32_t{0};  // every NaN equal, above +inf
  if (f == 0.0f) f = 0.0f;                 // -0.0 == 0.0
  uint32_t b = std::bit_cast<uint32_t>(f);
  return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}
inline uint64_t order_bits(double d) {
  if (std::isnan(d)) return ~uint64_t{0};
  if (d == 0.0) d = 0.0;
  uint64_t b = std::bit_cast<uint64_t>(d);
  return (b & (uint64_t{1} << 63)) ? ~b : (b | (uint64_t{1} << 63));
}

// Writes a fixed-width key column: null byte, then to_bits(value) big-endian (inverted if DESC).
template <class T, class U, class ToBits>
void encode_fixed(const Vector& v, SortKeySpec spec, size_t offset, size_t width, size_t begin, size_t n,
                  uint8_t* base, ToBits to_bits) {
  const T* vals = v.values<T>() + begin;
  const uint8_t* validity = v.validity();
  const uint8_t valid_byte = spec.nulls_first ? 1 : 0;
  const uint8_t null_byte = spec.nulls_first ? 0 : 1;
  const U flip = spec.ascending ? U{0} : static_cast<U>(~U{0});
  uint8_t* p = base + offset;
  for (size_t r = 0; r < n; ++r, p += width) {
    if (validity && !bit_is_set(validity, begin + r)) {
      p[0] = null_byte;
      continue;  // value bytes stay zero
    }
    p[0] = valid_byte;
    put_be<U>(p + 1, static_cast<U>(to_bits(vals[r]) ^ flip));
  }
}

template <class S, class U>
U flip_sign(S x) {
  return static_cast<U>(static_cast<U>(x) ^ (U{1} << (sizeof(U) * 8 - 1)));
}

}  // namespace

NormalizedSortKeys::NormalizedSortKeys(const std::vector<VectorPtr>& keys, const std::vector<SortKeySpec>& specs) {
  size_t fixed = 4;  // the row index
  int strings = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    require_flat_type(keys[i]->type(), "sort by");
    owned_.push_back(flatten(keys[i]));
    const Vector* v = owned_.back().get();
    TypeId t = v->type().id();
    size_t vw = 0;
    switch (t) {
      case TypeId::kNull: vw = 0; break;
      case TypeId::kBoolean:
      case TypeId::kByte: vw = 1; break;
      case TypeId::kShort: vw = 2; break;
      case TypeId::kInt:
      case TypeId::kYearMonthInterval:
      case TypeId::kDate:
      case TypeId::kFloat: vw = 4; break;
      case TypeId::kLong:
      case TypeId::kDayTimeInterval:
      case TypeId::kTimestamp:
      case TypeId::kDouble: vw = 8; break;
      case TypeId::kDecimal: vw = 16; break;
      case TypeId::kString:
      case TypeId::kBinary:
        vw = 1;  // + prefix, settled below
        if (first_string_ < 0) first_string_ = static_cast<int>(i);
        ++strings;
        break;
      case TypeId::kArray:
      case TypeId::kMap:
      case TypeId::kStruct: break;  // rejected above
    }
    fixed += 1 + vw;
    slots_.push_back(Slot{t, v, specs[i], 0, vw});
  }
  rows_ = owned_.empty() ? 0 : owned_[0]->size();
  if (strings > 0) {
    // Give the strings at least 8 prefix bytes, and whatever the rounding to 8 leaves over.
    size_t min_total = fixed + 8 * static_cast<size_t>(strings);
    size_t slack = (min_total + 7) / 8 * 8 - min_total;
    prefix_ = 8 + slack / static_cast<size_t>(strings);
  }
  size_t offset = 0;
  for (auto& s : slots_) {
    if (s.type == TypeId::kString || s.type == TypeId::kBinary) s.value_width = prefix_ + 1;
    s.offset = offset;
    offset += 1 + s.value_width;
  }
  key_bytes_ = offset;
  width_ = (key_bytes_ + 4 + 7) / 8 * 8;
  if (first_string_ >= 0) {
    std::vector<VectorPtr> tail_keys(owned_.begin() + first_string_, owned_.end());
    std::vector<SortKeySpec> tail_specs(specs.begin() + first_string_, specs.end());
    tail_ = std::make_unique<RowComparator>(std::move(tail_keys), std::move(tail_specs));
  }
}

bool NormalizedSortKeys::encode(uint64_t* out, uint8_t* truncated) const {
  return encode_rows(0, rows_, out, truncated);
}

bool NormalizedSortKeys::encode_rows(size_t begin, size_t n, uint64_t* out, uint8_t* truncated) const {
  const size_t width = width_;
  uint8_t* base = reinterpret_cast<uint8_t*>(out);
  std::memset(base, 0, n * width);
  // Per row, where the bytes to zero after a truncated string start (0: none).
  std::vector<uint32_t> zero_from(first_string_ >= 0 ? n : 0, 0);
  bool any_truncated = false;
  for (const Slot& s : slots_) {
    const Vector& v = *s.vector;
    switch (s.type) {
      case TypeId::kNull: {
        uint8_t* p = base + s.offset;
        const uint8_t b = s.spec.nulls_first ? 0 : 1;
        for (size_t r = 0; r < n; ++r, p += width) p[0] = v.is_null(begin + r) ? b : static_cast<uint8_t>(1 - b);
        break;
      }
      case TypeId::kBoolean:
      case TypeId::kByte:
        encode_fixed<int8_t, uint8_t>(v, s.spec, s.offset, width, begin, n, base, flip_sign<int8_t, uint8_t>);
        break;
      case TypeId::kShort:
        encode_fixed<int16_t, uint16_t>(v, s.spec, s.offset, width, begin, n, base, flip_sign<int16_t, uint16_t>);
        break;
      case TypeId::kInt:
      case TypeId::kYearMonthInterval:
      case TypeId::kDate:
        encode_fixed<int32_t, uint32_t>(v, s.spec, s.offset, width, begin, n, base, flip_sign<int32_t, uint32_t>);
        break;
      case TypeId::kLong:
      case TypeId::kDayTimeInterval:
      case TypeId::kTimestamp:
        encode_fixed<int64_t, uint64_t>(v, s.spec, s.offset, width, begin, n, base, flip_sign<int64_t, uint64_t>);
        break;
      case TypeId::kFloat:
        encode_fixed<float, uint32_t>(v, s.spec, s.offset, width, begin, n, base, [](float f) { return order_bits(f); });
        break;
      case TypeId::kDouble:
        encode_fixed<double, uint64_t>(v, s.spec, s.offset, width, begin, n, base, [](double d) { return order_bits(d); });
        break;
      case TypeId::kDecimal:
        encode_fixed<int128_t, uint128_t>(v, s.spec, s.offset, width, begin, n, base, flip_sign<int128_t, uint128_t>);
        break;
      case TypeId::kString:
      case TypeId::kBinary: {
        const uint8_t* validity = v.validity();
        const int32_t* offs = v.offsets();
        const char* chars = v.chars();
        const uint8_t valid_byte = s.spec.nulls_first ? 1 : 0;
        const uint8_t null_byte = s.spec.nulls_first ? 0 : 1;
        const size_t P = prefix_;
        const uint32_t slot_end = static_cast<uint32_t>(s.offset + 1 + s.value_width);
        uint8_t* p = base + s.offset;
        for (size_t r = 0; r < n; ++r, p += width) {
          if (validity && !bit_is_set(validity, begin + r)) {
            p[0] = null_byte;
            continue;
          }
          p[0] = valid_byte;
          size_t len = static_cast<size_t>(offs[begin + r + 1] - offs[begin + r]);
          size_t m = std::min(len, P);
          if (m) std::memcpy(p + 1, chars + offs[begin + r], m);
          p[1 + P] = static_cast<uint8_t>(std::min(len, P + 1));
          if (!s.spec.ascending) {
            for (size_t k = 1; k <= P + 1; ++k) p[k] = static_cast<uint8_t>(~p[k]);
          }
          if (len > P && zero_from[r] == 0) {
            zero_from[r] = slot_end;
            any_truncated = true;
          }
        }
        break;
      }
      case TypeId::kArray:
      case TypeId::kMap:
      case TypeId::kStruct: break;
    }
  }
  if (any_truncated) {
    for (size_t r = 0; r < n; ++r) {
      if (zero_from[r] != 0 && zero_from[r] < key_bytes_) {
        std::memset(base + r * width + zero_from[r], 0, key_bytes_ - zero_from[r]);
      }
    }
  }
  if (truncated) {
    for (size_t r = 0; r < n; ++r) truncated[r] = (!zero_from.empty() && zero_from[r] != 0) ? 1 : 0;
  }
  for (size_t r = 0; r < n; ++r) put_be<uint32_t>(base + r * width + width - 4, static_cast<uint32_t>(begin + r));
  if constexpr (std::endian::native == std::endian::little) {
    for (size_t i = 0, w = n * (width / 8); i < w; ++i) out[i] = byteswap64(out[i]);
  }
  return any_truncated;
}

namespace {

// Order of records whose words tie except the row index: RowComparator for rows with a truncated
// string prefix, then the row index.
struct TieLess {
  const NormalizedSortKeys& nk;
  const uint8_t* truncated;
  template <size_t W>
  bool operator()(const radix::Record<W>& a, const radix::Record<W>& b) const {
    int c = radix::compare_keys(a, b);
    if (c != 0) return c < 0;
    uint32_t ia = radix::row_of(a), ib = radix::row_of(b);
    if (truncated[ia]) {
      int t = nk.tie_break(ia, ib);
      if (t != 0) return t < 0;
    }
    return ia < ib;
  }
};

// Radix-sorts records (in row order) by their first key_bytes bytes, then puts runs of equal keys
// with truncated strings in full order, and returns the row order.
template <size_t W>
std::vector<uint32_t> radix_order(std::vector<radix::Record<W>>& recs, size_t key_bytes, bool any_truncated,
                                  const TieLess& tie_less) {
  // Records start in row order and the radix sort is stable, so the row index bytes need no pass.
  radix::radix_sort(recs, key_bytes);
  const size_t n = recs.size();
  if (any_truncated) {
    for (size_t i = 0; i < n;) {
      size_t j = i + 1;
      while (j < n && radix::compare_keys(recs[i], recs[j]) == 0) ++j;
      if (j - i > 1 && tie_less.truncated[radix::row_of(recs[i])]) {
        std::sort(recs.begin() + i, recs.begin() + j, tie_less);
      }
      i = j;
    }
  }
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = radix::row_of(recs[i]);
  return order;
}

// Keeps only the key bytes at `positions` (the bytes that differ between rows: the others cannot
// decide any comparison) in narrower records of W2 words, then radix-sorts those.
constexpr size_t kEncodeChunk = 2048;

// Keeps only the key bytes at `positions` (the bytes that differ between rows: the others cannot
// decide any comparison) in narrower records of W2 words, encoding W-word rows a cache-sized chunk
// at a time, then radix-sorts those.
template <size_t W, size_t W2>
std::vector<uint32_t> compact_radix_order(const NormalizedSortKeys& nk, const std::vector<uint16_t>& positions,
                                          bool any_truncated, const TieLess& tie_less) {
  const size_t n = nk.num_rows(), m = positions.size();
  std::vector<radix::Record<W2>> out(n);
  std::vector<radix::Record<W>> chunk(std::min(n, kEncodeChunk));
  for (size_t begin = 0; begin < n; begin += kEncodeChunk) {
    const size_t count = std::min(kEncodeChunk, n - begin);
    nk.encode_rows(begin, count, reinterpret_cast<uint64_t*>(chunk.data()), nullptr);
    for (size_t i = 0; i < count; ++i) {
      const radix::Record<W>& r = chunk[i];
      radix::Record<W2>& o = out[begin + i];
      for (size_t k = 0; k < m; ++k) {
        uint64_t b = radix::byte_at(r, positions[k]);
        o.w[k >> 3] |= b << ((7 - (k & 7)) * 8);
      }
      o.w[W2 - 1] |= radix::row_of(r);
    }
  }
  return radix_order(out, m, any_truncated, tie_less);
}

template <size_t W, size_t W2 = 1>
std::vector<uint32_t> dispatch_compact(const NormalizedSortKeys& nk, size_t words,
                                       const std::vector<uint16_t>& positions, bool any_truncated,
                                       const TieLess& tie_less) {
  if constexpr (W2 < W) {
    if (words == W2) return compact_radix_order<W, W2>(nk, positions, any_truncated, tie_less);
    return dispatch_compact<W, W2 + 1>(nk, words, positions, any_truncated, tie_less);
  } else {
    return {};  // not reached: callers compact only to fewer words
  }
}

template <size_t W>
std::vector<uint32_t> sort_normalized(const NormalizedSortKeys& nk, int64_t limit) {
  using R = radix::Record<W>;
  const size_t n = nk.num_rows();
  std::vector<uint8_t> truncated(nk.has_strings() ? n : 0);
  // Full order when some prefixes were cut: key words, then the comparator for truncated ties,
  // then the row index.
  TieLess tie_less{nk, truncated.data()};
  const bool top_n = limit >= 0 && static_cast<size_t>(limit) < n;
  if (top_n || n < radix::kMinRadixRows) {
    std::vector<R> recs(n);
    const bool any_truncated =
        nk.encode(reinterpret_cast<uint64_t*>(recs.data()), nk.has_strings() ? truncated.data() : nullptr);
    auto full_less = [](const R& a, const R& b) { return radix::less(a, b); };
    const size_t keep = top_n ? static_cast<size_t>(limit) : n;
    if (any_truncated) {
      std::partial_sort(recs.begin(), recs.begin() + keep, recs.end(), tie_less);
    } else {
      std::partial_sort(recs.begin(), recs.begin() + keep, recs.end(), full_less);
    }
    std::vector<uint32_t> order(keep);
    for (size_t i = 0; i < keep; ++i) order[i] = radix::row_of(recs[i]);
    return order;
  }
  // First pass, a chunk at a time: which key bytes differ between rows (a bit set in some row and
  // clear in another), and which rows have truncated strings.
  uint64_t all_and[W], any_or[W];
  for (size_t w = 0; w < W; ++w) {
    all_and[w] = ~uint64_t{0};
    any_or[w] = 0;
  }
  bool any_truncated = false;
  {
    std::vector<R> chunk(std::min(n, kEncodeChunk));
    for (size_t begin = 0; begin < n; begin += kEncodeChunk) {
      const size_t count = std::min(kEncodeChunk, n - begin);
      any_truncated |= nk.encode_rows(begin, count, reinterpret_cast<uint64_t*>(chunk.data()),
                                      nk.has_strings() ? truncated.data() + begin : nullptr);
      for (size_t i = 0; i < count; ++i) {
        for (size_t w = 0; w < W; ++w) {
          all_and[w] &= chunk[i].w[w];
          any_or[w] |= chunk[i].w[w];
        }
      }
    }
  }
  std::vector<uint16_t> positions;
  for (size_t p = 0; p < nk.key_bytes(); ++p) {
    uint64_t diff = (all_and[p >> 3] ^ any_or[p >> 3]) >> ((7 - (p & 7)) * 8);
    if (diff & 0xFF) positions.push_back(static_cast<uint16_t>(p));
  }
  const size_t words = (positions.size() + 4 + 7) / 8;
  if (words < W) return dispatch_compact<W>(nk, words, positions, any_truncated, tie_less);
  std::vector<R> recs(n);
  nk.encode(reinterpret_cast<uint64_t*>(recs.data()), nullptr);
  return radix_order(recs, nk.key_bytes(), any_truncated, tie_less);
}

}  // namespace

std::vector<uint32_t> sort_rows(const std::vector<VectorPtr>& keys, const std::vector<SortKeySpec>& specs,
                                int64_t limit) {
  // Arrays and structs have no fixed-width normalized form: their rows are compared directly.
  for (const auto& k : keys) {
    if (k->type().is_nested()) return sort_rows_with_comparator(keys, specs, limit);
  }
  NormalizedSortKeys nk(keys, specs);
  if (nk.num_rows() == 0) return {};
  switch (nk.words()) {
    case 1: return sort_normalized<1>(nk, limit);
    case 2: return sort_normalized<2>(nk, limit);
    case 3: return sort_normalized<3>(nk, limit);
    case 4: return sort_normalized<4>(nk, limit);
    case 5: return sort_normalized<5>(nk, limit);
    case 6: return sort_normalized<6>(nk, limit);
    case 7: return sort_normalized<7>(nk, limit);
    case 8: return sort_normalized<8>(nk, limit);
    default: return sort_rows_with_comparator(keys, specs, limit);
  }
}

std::vector<uint32_t> sort_rows_with_comparator(const std::vector<VectorPtr>& keys,
                                                const std::vector<SortKeySpec>& specs, int64_t limit) {
  RowComparator cmp(keys, specs);
  size_t n = keys.empty() ? 0 : keys[0]->size();
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  auto less = [&](uint32_t a, uint32_t b) {
    int c = cmp.compare(a, b);
    return c != 0 ? c < 0 : a < b;  // ties keep input order
  };
  if (limit >= 0 && static_cast<size_t>(limit) < n) {
    std::partial_sort(order.begin(), order.begin() + limit, order.end(), less);
    order.resize(static_cast<size_t>(limit));
  } else {
    std::sort(order.begin(), order.end(), less);
  }
  return order;
}

}  // namespace ember
