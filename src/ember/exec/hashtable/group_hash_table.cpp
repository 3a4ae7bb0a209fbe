#include "ember/exec/hashtable/group_hash_table.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include <sys/mman.h>

#include "ember/common/error.h"
#include "ember/exec/hashtable/vector_hash.h"
#include "ember/vector/nested_key_encoding.h"

// Design notes.
// Probing is split into passes over the whole batch rather than done row by row, the approach
// DuckDB's and Velox's aggregation tables take, because for tables far larger than cache the
// cost is memory latency, not instructions:
//   1. hash every row (vector_hash.cpp, one type dispatch per column);
//   2. compute each row's home slot and prefetch it, so the misses of many rows overlap (the
//      single-key path prefetches on a rolling window instead: see probe_single_fixed);
//   3. walk the slots: an empty slot creates the group; a slot whose 32-bit salt equals the
//      row's becomes a (row, group) candidate; any other slot is skipped;
//   4. compare candidate keys column by column (one type dispatch per column, not per row);
//      rows whose keys differ resume probing after their slot in another round.
// Groups created in step 3 have their keys appended (column-wise) before step 4, so two rows of
// one batch with the same new key meet in the same group.
// A single fixed-width key column without nulls (the commonest GROUP BY) takes a fused loop that
// compares the key inline on a salt match; it avoids the candidate arrays entirely.
// The table is kept at most half full: linear probing stays short and the slot array is only
// 16 bytes per group.

namespace ember {

namespace {

constexpr size_t kInitialCapacity = 1024;
constexpr size_t kChunkTargetBytes = 64 * 1024;
constexpr size_t kMaxGroups = (size_t{1} << 32) - 2;  // group index + 1 must fit 32 bits
// Above this many slots (8 bytes each) the table no longer fits in L2, and prefetching each
// candidate group's key before comparing pays for its extra pass.
constexpr size_t kPrefetchKeysAbove = size_t{1} << 18;

inline uint64_t make_entry(uint64_t hash, uint32_t group) {
  return (hash & 0xffffffff00000000ULL) | (static_cast<uint64_t>(group) + 1);
}
inline uint32_t entry_group(uint64_t e) { return static_cast<uint32_t>(e) - 1; }
inline bool salt_matches(uint64_t e, uint64_t hash) { return ((e ^ hash) >> 32) == 0; }

// Floating-point keys are stored normalised (see header); compare and store through these.
inline double normalise(double d) {
  if (d == 0.0) return 0.0;
  if (std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
  return d;
}
inline float normalise(float d) {
  if (d == 0.0f) return 0.0f;
  if (std::isnan(d)) return std::numeric_limits<float>::quiet_NaN();
  return d;
}
template <class T>
inline bool key_equal(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    // Both normalised: bitwise equality makes NaN == NaN, as grouping requires.
    return std::memcmp(&a, &b, sizeof(T)) == 0;
  } else {
    return a == b;
  }
}
template <class T>
inline T stored_form(T v) {
  if constexpr (std::is_floating_point_v<T>) return normalise(v);
  else return v;
}

size_t round_up(size_t x, size_t a) { return (x + a - 1) / a * a; }

}  // namespace

GroupHashTable::GroupHashTable(std::vector<DataType> key_types, size_t payload_size,
                               size_t payload_align)
    : key_types_(std::move(key_types)), payload_size_(payload_size), payload_align_(payload_align) {
  EMBER_CHECK(payload_align_ > 0 && std::has_single_bit(payload_align_),
              "payload alignment must be a power of two");
  for (const DataType& t : key_types_) {
    KeyColumn kc;
    kc.type = t;
    kc.id = t.id();
    kc.width = t.fixed_width();
    kc.is_float = t.is_floating();
    if (t.is_nested()) {
      // Arrays, maps and structs are keyed by their canonical bytes, stored like binary keys.
      kc.nested = true;
      kc.id = TypeId::kBinary;
      kc.width = 0;
      has_nested_ = true;
    }
    key_cols_.push_back(std::move(kc));
  }
  EMBER_CHECK(payload_align_ <= 64, "payload alignment above 64 bytes is not supported");
  payload_stride_ = round_up(payload_size_, payload_align_);
  // The first chunk holds about 16 KiB of payloads (at least 16 groups); later chunks double.
  size_t first = 16;
  while (payload_stride_ > 0 && first * 2 * payload_stride_ <= 16 * 1024) first *= 2;
  chunk_shift_ = static_cast<size_t>(std::countr_zero(first));
  rehash(kInitialCapacity);
}

GroupHashTable::~GroupHashTable() {
  for (size_t c = 0; c < payload_chunks_.size(); ++c) {
    RawArray::release(payload_chunks_[c], chunk_bytes(c));
  }
}

size_t GroupHashTable::memory_bytes() const {
  size_t bytes = slots_.capacity() + group_hashes_.capacity() + payload_bytes_ + arena_bytes_;
  for (const KeyColumn& kc : key_cols_) bytes += kc.values.capacity() + kc.nulls.capacity();
  return bytes;
}

size_t GroupHashTable::chunk_bytes(size_t c) const {
  return std::max<size_t>((size_t{1} << (chunk_shift_ + c)) * payload_stride_, 64);
}

namespace {
// Below this, plain heap memory: huge pages would waste most of a 2 MiB page.
constexpr size_t kHugeThreshold = size_t{4} << 20;
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

uint8_t* GroupHashTable::RawArray::allocate(size_t bytes) {
  if (bytes >= kHugeThreshold) {
    size_t len = round_up(bytes, kHugePage);
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    // Advisory only: without transparent huge pages the table is merely slower.
    ::madvise(p, len, MADV_HUGEPAGE);
    return static_cast<uint8_t*>(p);  // anonymous mappings are zero-filled
  }
  auto* p = static_cast<uint8_t*>(::operator new(bytes, std::align_val_t{64}));
  std::memset(p, 0, bytes);
  return p;
}

void GroupHashTable::RawArray::release(uint8_t* p, size_t bytes) {
  if (p == nullptr) return;
  if (bytes >= kHugeThreshold) ::munmap(p, round_up(bytes, kHugePage));
  else ::operator delete(p, std::align_val_t{64});
}

GroupHashTable::RawArray::~RawArray() { release(data_, capacity_); }

void GroupHashTable::RawArray::ensure(size_t bytes, size_t keep) {
  if (bytes <= capacity_) return;
  size_t cap = std::max(bytes, capacity_ * 2);
  uint8_t* fresh = allocate(cap);
  if (keep > 0) std::memcpy(fresh, data_, keep);
  release(data_, capacity_);
  data_ = fresh;
  capacity_ = cap;
}

void GroupHashTable::rehash(size_t new_capacity) {
  RawArray fresh_array;
  fresh_array.ensure(new_capacity * sizeof(uint64_t), 0);
  auto* fresh = reinterpret_cast<uint64_t*>(fresh_array.data());
  size_t mask = new_capacity - 1;
  const uint64_t* hs = hashes();
  for (size_t g = 0; g < num_groups_; ++g) {
    uint64_t h = hs[g];
    size_t p = h & mask;
    while (fresh[p] != 0) p = (p + 1) & mask;
    fresh[p] = make_entry(h, static_cast<uint32_t>(g));
  }
  slots_ = std::move(fresh_array);
  capacity_ = new_capacity;
  slot_mask_ = mask;
}

void GroupHashTable::reserve_groups(size_t more) {
  size_t need = num_groups_ + more;
  if (need > kMaxGroups) {
    throw_error(ErrorKind::kUnsupported, "a hash aggregation has more than 2^32 groups in one task");
  }
  size_t cap = capacity_;
  while (need * 2 > cap) cap *= 2;
  if (cap != capacity_) rehash(cap);
  // Geometric growth of the per-group arrays here means the probe loops may write group data
  // up to `need` without checking capacity.
  group_hashes_.ensure(need * sizeof(uint64_t), num_groups_ * sizeof(uint64_t));
  for (KeyColumn& kc : key_cols_) {
    size_t w = kc.width > 0 ? static_cast<size_t>(kc.width) : sizeof(StringRef);
    kc.values.ensure(need * w, num_groups_ * w);
  }
  // Chunks 0..c-1 hold B * (2^c - 1) groups.
  while ((((size_t{1} << payload_chunks_.size()) - 1) << chunk_shift_) < need) {
    size_t bytes = chunk_bytes(payload_chunks_.size());
    payload_chunks_.push_back(RawArray::allocate(bytes));
    payload_bytes_ += bytes;
  }
}

uint32_t GroupHashTable::add_group(uint64_t hash) {
  auto g = static_cast<uint32_t>(num_groups_++);
  reinterpret_cast<uint64_t*>(group_hashes_.data())[g] = hash;
  return g;
}

const char* GroupHashTable::arena_copy(const char* data, size_t len) {
  if (len == 0) return nullptr;
  if (len > arena_left_) {
    // Blocks grow with the table (64 KiB to 4 MiB) so small tables stay small and big ones
    // allocate rarely; an oversized string gets a block of its own.
    size_t block = std::clamp<size_t>(arena_bytes_ / 4, 64 * 1024, 4 * 1024 * 1024);
    block = std::max(block, len);
    arena_blocks_.push_back(std::make_unique<char[]>(block));
    arena_ptr_ = arena_blocks_.back().get();
    arena_left_ = block;
    arena_bytes_ += block;
  }
  char* dst = arena_ptr_;
  std::memcpy(dst, data, len);
  arena_ptr_ += len;
  arena_left_ -= len;
  return dst;
}

void GroupHashTable::probe(const std::vector<VectorPtr>& keys, size_t n, const uint64_t* hashes,
                           uint8_t** rows_out) {
  EMBER_CHECK(keys.size() == key_cols_.size(), "group key column count mismatch");
  if (n == 0) return;
  // Nested keys are replaced by their encodings; everything below sees binary columns. Their
  // hash_columns hashes are the encodings' hashes, so caller-supplied hashes still agree.
  std::vector<VectorPtr> encoded;
  const std::vector<VectorPtr>& key_vecs = has_nested_ ? encoded : keys;
  if (has_nested_) {
    encoded = keys;
    for (size_t c = 0; c < keys.size(); ++c) {
      if (key_cols_[c].nested) encoded[c] = encode_keys(*keys[c], n);
    }
  }
  // Constant key vectors are rare (a literal grouping key); flattening them keeps every loop
  // below on the flat layout.
  std::vector<VectorPtr> flat_holder;
  std::vector<const Vector*> cols(key_vecs.size());
  for (size_t c = 0; c < key_vecs.size(); ++c) {
    if (key_vecs[c]->is_constant()) {
      flat_holder.push_back(flatten(key_vecs[c]));
      cols[c] = flat_holder.back().get();
    } else {
      cols[c] = key_vecs[c].get();
    }
  }
  if (hashes == nullptr) {
    if (hash_scratch_.size() < n) hash_scratch_.resize(n);
    hash_columns(key_vecs, n, hash_scratch_.data());
    hashes = hash_scratch_.data();
  }
  reserve_groups(n);
  if (groups_.size() < n) {
    groups_.resize(n);
    pos_.resize(n);
  }

  bool fast = false;
  if (cols.size() == 1 && !cols[0]->may_have_nulls() && key_cols_[0].nulls.empty()) {
    switch (key_cols_[0].id) {
      case TypeId::kInt:
      case TypeId::kYearMonthInterval:
      case TypeId::kDate: probe_single_fixed<int32_t>(*cols[0], n, hashes); fast = true; break;
      case TypeId::kLong:
      case TypeId::kDayTimeInterval:
      case TypeId::kTimestamp: probe_single_fixed<int64_t>(*cols[0], n, hashes); fast = true; break;
      default: break;
    }
  }
  if (!fast) probe_generic(cols, n, hashes);

  // Group index -> payload pointer; prefetch (for write) so the aggregate update loops that run
  // next find their states in cache.
  const uint32_t* g = groups_.data();
  for (size_t i = 0; i < n; ++i) {
    uint8_t* p = payload(g[i]);
    __builtin_prefetch(p, 1);
    rows_out[i] = p;
  }
}

template <class T>
void GroupHashTable::probe_single_fixed(const Vector& key, size_t n, const uint64_t* h) {
  KeyColumn& kc = key_cols_[0];
  const T* v = key.values<T>();
  uint64_t* slots = reinterpret_cast<uint64_t*>(slots_.data());
  const size_t mask = slot_mask_;
  uint64_t* pos = pos_.data();
  uint32_t* groups = groups_.data();
  for (size_t i = 0; i < n; ++i) pos[i] = h[i] & mask;
  // reserve_groups made room for n more keys.
  T* stored = reinterpret_cast<T*>(kc.values.data());
  // Rolling prefetch: the slot of row i + 2D and the key its slot points at for row i + D, so
  // by the time row i is probed both lines are (nearly) in cache. Only worth it once the table
  // outgrows the cache; measured on this design, prefetching a whole batch's slots up front was
  // slower than this (it evicts its own lines before use).
  const bool far = capacity_ > kPrefetchKeysAbove;
  constexpr size_t kDist = 16;
  if (far) {
    for (size_t i = 0; i < std::min(n, 2 * kDist); ++i) __builtin_prefetch(slots + pos[i]);
  }
  for (size_t i = 0; i < n; ++i) {
    if (far) {
      if (i + 2 * kDist < n) __builtin_prefetch(slots + pos[i + 2 * kDist]);
      if (i + kDist < n) {
        uint64_t e = slots[pos[i + kDist]];
        if (e != 0) __builtin_prefetch(stored + entry_group(e));
      }
    }
    const uint64_t hash = h[i];
    const T k = v[i];
    size_t p = pos[i];
    uint32_t g;
    for (;;) {
      uint64_t e = slots[p];
      if (e == 0) {
        g = add_group(hash);
        stored[g] = k;
        slots[p] = make_entry(hash, g);
        break;
      }
      if (salt_matches(e, hash) && stored[entry_group(e)] == k) {
        g = entry_group(e);
        break;
      }
      p = (p + 1) & mask;
    }
    groups[i] = g;
  }
}

void GroupHashTable::probe_generic(const std::vector<const Vector*>& keys, size_t n, const uint64_t* h) {
  uint64_t* slots = reinterpret_cast<uint64_t*>(slots_.data());
  const size_t mask = slot_mask_;
  uint64_t* pos = pos_.data();
  uint32_t* groups = groups_.data();
  if (sel_.size() < n) {
    sel_.resize(n);
    new_rows_.resize(n);
    cand_row_.resize(n);
    cand_group_.resize(n);
    match_.resize(n);
  }
  for (size_t i = 0; i < n; ++i) {
    pos[i] = h[i] & mask;
    __builtin_prefetch(slots + pos[i]);
    sel_[i] = static_cast<uint32_t>(i);
  }
  size_t sel_n = n;
  while (sel_n > 0) {
    size_t ncand = 0;
    size_t nnew = 0;
    size_t first_new = num_groups_;
    for (size_t k = 0; k < sel_n; ++k) {
      uint32_t i = sel_[k];
      const uint64_t hash = h[i];
      size_t p = pos[i];
      for (;;) {
        uint64_t e = slots[p];
        if (e == 0) {
          uint32_t g = add_group(hash);
          slots[p] = make_entry(hash, g);
          groups[i] = g;
          new_rows_[nnew++] = i;
          break;
        }
        if (salt_matches(e, hash)) {
          cand_row_[ncand] = i;
          cand_group_[ncand] = entry_group(e);
          ++ncand;
          break;
        }
        p = (p + 1) & mask;
      }
      pos[i] = p;
    }
    if (nnew > 0) append_keys(keys, first_new, nnew);
    if (ncand == 0) break;
    std::memset(match_.data(), 1, ncand);
    for (size_t c = 0; c < keys.size(); ++c) compare_column(c, *keys[c], ncand);
    sel_n = 0;
    for (size_t k = 0; k < ncand; ++k) {
      uint32_t i = cand_row_[k];
      if (match_[k]) {
        groups[i] = cand_group_[k];
      } else {
        // A salt collision with a different key: resume after this slot next round.
        pos[i] = (pos[i] + 1) & mask;
        sel_[sel_n++] = i;
      }
    }
  }
}

namespace {

template <class T>
void append_fixed(const Vector& key, const uint32_t* rows, size_t count, T* dst, std::vector<uint8_t>& nulls,
                  size_t first_group) {
  const T* v = key.values<T>();
  const uint8_t* valid = key.validity();
  if (valid == nullptr) {
    for (size_t k = 0; k < count; ++k) dst[k] = stored_form(v[rows[k]]);
    return;
  }
  for (size_t k = 0; k < count; ++k) {
    uint32_t r = rows[k];
    if (bit_is_set(valid, r)) {
      dst[k] = stored_form(v[r]);
    } else {
      dst[k] = T{};
      nulls[first_group + k] = 1;
    }
  }
}

}  // namespace

void GroupHashTable::append_keys(const std::vector<const Vector*>& keys, size_t first_group, size_t count) {
  const uint32_t* rows = new_rows_.data();
  for (size_t c = 0; c < keys.size(); ++c) {
    KeyColumn& kc = key_cols_[c];
    const Vector& key = *keys[c];
    if (key.may_have_nulls() || !kc.nulls.empty()) kc.nulls.resize(num_groups_, 0);
    if (kc.width > 0) {
      size_t w = static_cast<size_t>(kc.width);
      uint8_t* dst = kc.values.data() + first_group * w;
      switch (kc.id) {
        case TypeId::kBoolean:
        case TypeId::kByte:
          append_fixed<uint8_t>(key, rows, count, dst, kc.nulls, first_group);
          break;
        case TypeId::kShort:
          append_fixed<int16_t>(key, rows, count, reinterpret_cast<int16_t*>(dst), kc.nulls, first_group);
          break;
        case TypeId::kInt:
        case TypeId::kYearMonthInterval:
        case TypeId::kDate:
          append_fixed<int32_t>(key, rows, count, reinterpret_cast<int32_t*>(dst), kc.nulls, first_group);
          break;
        case TypeId::kLong:
        case TypeId::kDayTimeInterval:
        case TypeId::kTimestamp:
          append_fixed<int64_t>(key, rows, count, reinterpret_cast<int64_t*>(dst), kc.nulls, first_group);
          break;
        case TypeId::kFloat:
          append_fixed<float>(key, rows, count, reinterpret_cast<float*>(dst), kc.nulls, first_group);
          break;
        case TypeId::kDouble:
          append_fixed<double>(key, rows, count, reinterpret_cast<double*>(dst), kc.nulls, first_group);
          break;
        case TypeId::kDecimal:
          append_fixed<int128_t>(key, rows, count, reinterpret_cast<int128_t*>(dst), kc.nulls, first_group);
          break;
        default:
          EMBER_CHECK(false, "unexpected fixed-width key type " + kc.type.simple_string());
      }
    } else if (kc.id == TypeId::kString || kc.id == TypeId::kBinary) {
      auto* dst = reinterpret_cast<StringRef*>(kc.values.data()) + first_group;
      const uint8_t* valid = key.validity();
      const int32_t* off = key.offsets();
      const char* chars = key.chars();
      for (size_t k = 0; k < count; ++k) {
        uint32_t r = rows[k];
        if (valid != nullptr && !bit_is_set(valid, r)) {
          dst[k] = StringRef{nullptr, 0};
          kc.nulls[first_group + k] = 1;
        } else {
          auto len = static_cast<size_t>(off[r + 1] - off[r]);
          dst[k] = StringRef{arena_copy(chars + off[r], len), static_cast<uint32_t>(len)};
        }
      }
    } else {
      // Void (NullType) keys: every value is null, nothing to store.
      kc.nulls.resize(num_groups_, 0);
      for (size_t k = 0; k < count; ++k) kc.nulls[first_group + k] = 1;
    }
  }
}

namespace {

template <class T>
void compare_fixed(const Vector& key, const uint8_t* stored_raw, const std::vector<uint8_t>& nulls,
                   const uint32_t* rows, const uint32_t* groups, size_t ncand, uint8_t* match) {
  const T* v = key.values<T>();
  const T* stored = reinterpret_cast<const T*>(stored_raw);
  const uint8_t* valid = key.validity();
  if (valid == nullptr && nulls.empty()) {
    for (size_t k = 0; k < ncand; ++k) match[k] &= key_equal(stored_form(v[rows[k]]), stored[groups[k]]);
    return;
  }
  for (size_t k = 0; k < ncand; ++k) {
    uint32_t r = rows[k];
    uint32_t g = groups[k];
    bool row_null = valid != nullptr && !bit_is_set(valid, r);
    bool grp_null = g < nulls.size() && nulls[g] != 0;
    bool eq = row_null == grp_null && (row_null || key_equal(stored_form(v[r]), stored[g]));
    match[k] &= eq;
  }
}

}  // namespace

void GroupHashTable::compare_column(size_t c, const Vector& key, size_t ncand) {
  KeyColumn& kc = key_cols_[c];
  const uint32_t* rows = cand_row_.data();
  const uint32_t* groups = cand_group_.data();
  uint8_t* match = match_.data();
  const uint8_t* stored = kc.values.data();
  switch (kc.id) {
    case TypeId::kBoolean:
    case TypeId::kByte: compare_fixed<uint8_t>(key, stored, kc.nulls, rows, groups, ncand, match); return;
    case TypeId::kShort: compare_fixed<int16_t>(key, stored, kc.nulls, rows, groups, ncand, match); return;
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: compare_fixed<int32_t>(key, stored, kc.nulls, rows, groups, ncand, match); return;
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: compare_fixed<int64_t>(key, stored, kc.nulls, rows, groups, ncand, match); return;
    case TypeId::kFloat: compare_fixed<float>(key, stored, kc.nulls, rows, groups, ncand, match); return;
    case TypeId::kDouble: compare_fixed<double>(key, stored, kc.nulls, rows, groups, ncand, match); return;
    case TypeId::kDecimal: compare_fixed<int128_t>(key, stored, kc.nulls, rows, groups, ncand, match); return;
    case TypeId::kString:
    case TypeId::kBinary: {
      const auto* refs = reinterpret_cast<const StringRef*>(stored);
      const uint8_t* valid = key.validity();
      const int32_t* off = key.offsets();
      const char* chars = key.chars();
      for (size_t k = 0; k < ncand; ++k) {
        uint32_t r = rows[k];
        uint32_t g = groups[k];
        bool row_null = valid != nullptr && !bit_is_set(valid, r);
        bool grp_null = g < kc.nulls.size() && kc.nulls[g] != 0;
        bool eq;
        if (row_null || grp_null) {
          eq = row_null == grp_null;
        } else {
          auto len = static_cast<uint32_t>(off[r + 1] - off[r]);
          eq = refs[g].len == len && (len == 0 || std::memcmp(refs[g].data, chars + off[r], len) == 0);
        }
        match[k] &= eq;
      }
      return;
    }
    case TypeId::kNull: return;  // every value null: always equal
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct: return;  // never: nested keys are held as kBinary
  }
}

void GroupHashTable::read_groups(size_t start, size_t count, std::vector<VectorPtr>& keys_out,
                                 uint8_t** payloads_out) const {
  EMBER_CHECK(start + count <= num_groups_, "read_groups past the last group");
  keys_out.clear();
  for (const KeyColumn& kc : key_cols_) {
    if (kc.id == TypeId::kNull) {
      keys_out.push_back(Vector::make_null(kc.type, count));
      continue;
    }
    auto out = Vector::make(kc.nested ? DataType::binary() : kc.type, count);
    if (kc.width > 0) {
      size_t w = static_cast<size_t>(kc.width);
      if (count > 0) std::memcpy(out->values<uint8_t>(), kc.values.data() + start * w, count * w);
      if (!kc.nulls.empty()) {
        for (size_t k = 0; k < count; ++k) {
          size_t g = start + k;
          if (g < kc.nulls.size() && kc.nulls[g]) out->set_null(k);
        }
      }
    } else {
      const auto* refs = reinterpret_cast<const StringRef*>(kc.values.data()) + start;
      size_t bytes = 0;
      for (size_t k = 0; k < count; ++k) bytes += refs[k].len;
      out->reserve_chars(bytes);
      for (size_t k = 0; k < count; ++k) {
        size_t g = start + k;
        if (g < kc.nulls.size() && kc.nulls[g]) out->set_null_string(k);
        else out->set_string(k, std::string_view(refs[k].data, refs[k].len));
      }
      if (kc.nested) out = decode_keys(kc.type, *out, count);
    }
    keys_out.push_back(std::move(out));
  }
  for (size_t k = 0; k < count; ++k) payloads_out[k] = payload(start + k);
}

}  // namespace ember
