#include "ember/exec/hashtable/join_hash_table.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <string_view>

#include <sys/mman.h>

#include "ember/common/error.h"
#include "ember/exec/hashtable/vector_hash.h"
#include "ember/expr/evaluator.h"
#include "ember/vector/nested_key_encoding.h"

// Design notes.
// The build side is known in full before the first probe (build() drains its operator), so the
// directory is built once, sized from the row count, and never grows or rehashes.
//
// The directory holds one slot per distinct key rather than one per row: a slot names the first
// build row with that key, and `next` chains the others in ascending order. A probe therefore
// compares keys once per probe row however many duplicates the build side has, and a key with a
// single row (the common primary-key join) is flagged in its slot, so listing its match touches
// nothing but the slot and the key. Slots carry 31 bits of the hash as a salt, so a probe row
// whose key is absent almost never reads a key at all.
//
// Probing is split into passes over a whole probe batch, as the aggregation table does (see
// group_hash_table.cpp): hash all rows; locate each row's slot while prefetching a rolling window
// ahead (the slot of row i + 2D and the key its slot names for row i + D), so the cache misses of
// many rows overlap; compare candidate keys column by column with one type dispatch per column.
// A single integer key takes a fused loop that compares inline on a salt match.
//
// Build rows are kept in chunks of kBatchSize rows, so that build row r is found with a shift and
// a mask whatever batch sizes the build operator produced, and a full-size build batch (what scans
// produce) becomes a chunk without being copied. Keys are read where they already are, in their
// payload column, through the column's chunk pointer table (a few hundred bytes, always cached):
// one extra load instead of a second copy of every key. Floating-point keys are normalised when
// compared, as they are when hashed.

namespace ember {

namespace {

constexpr uint64_t kSaltMask = 0xfffffffe00000000ULL;
constexpr uint64_t kEntryMulti = uint64_t{1} << 32;
constexpr size_t kChunkShift = JoinHashTable::kChunkShift;
constexpr size_t kChunkMask = JoinHashTable::kChunkRows - 1;
// Above this many slots (8 bytes each) the directory no longer fits in L2, and prefetching slots
// and keys ahead pays for its bookkeeping.
constexpr size_t kPrefetchAbove = size_t{1} << 17;
constexpr size_t kPrefetchDistance = 16;
// Rows located per round of the generic build loop.
constexpr size_t kBuildBlock = 2048;

inline uint64_t make_entry(uint64_t hash, uint32_t row) {
  return (hash & kSaltMask) | (static_cast<uint64_t>(row) + 1);
}
inline uint32_t entry_row(uint64_t e) { return static_cast<uint32_t>(e) - 1; }
inline bool salt_matches(uint64_t e, uint64_t hash) { return ((e ^ hash) & kSaltMask) == 0; }

// Spark's join-key normalisation: -0.0 = 0.0 and every NaN is one value. Bitwise equality of
// normalised values is then the key equality.
template <class T>
inline T normalise(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (v == T{0}) return T{0};
    if (std::isnan(v)) return std::numeric_limits<T>::quiet_NaN();
  }
  return v;
}
template <class T>
inline bool key_equal(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return std::memcmp(&a, &b, sizeof(T)) == 0;
  else return a == b;
}
inline bool key_equal(std::string_view a, std::string_view b) { return a == b; }

std::string format_bytes(size_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return std::to_string(bytes) + " bytes (" + buf + ")";
}

// --- key accessors: one side of a key comparison ---------------------------------------------

// A probe key column (a flat vector), row r.
template <class T>
struct ProbeFixed {
  const T* vals;
  const uint8_t* validity;
  bool null(uint32_t r) const { return validity != nullptr && !bit_is_set(validity, r); }
  T get(uint32_t r) const { return normalise(vals[r]); }
};
struct ProbeString {
  const int32_t* off;
  const char* chars;
  const uint8_t* validity;
  bool null(uint32_t r) const { return validity != nullptr && !bit_is_set(validity, r); }
  std::string_view get(uint32_t r) const {
    return {chars + off[r], static_cast<size_t>(off[r + 1] - off[r])};
  }
};
// A chunked build column, build row r.
template <class T>
struct BuildFixed {
  const uint8_t* const* values;
  const uint8_t* const* validity;
  bool null(uint32_t r) const {
    const uint8_t* v = validity[r >> kChunkShift];
    return v != nullptr && !bit_is_set(v, r & kChunkMask);
  }
  T get(uint32_t r) const {
    return normalise(reinterpret_cast<const T*>(values[r >> kChunkShift])[r & kChunkMask]);
  }
};
struct BuildString {
  const uint8_t* const* offsets;
  const char* const* chars;
  const uint8_t* const* validity;
  bool null(uint32_t r) const {
    const uint8_t* v = validity[r >> kChunkShift];
    return v != nullptr && !bit_is_set(v, r & kChunkMask);
  }
  std::string_view get(uint32_t r) const {
    const auto* off = reinterpret_cast<const int32_t*>(offsets[r >> kChunkShift]);
    const size_t i = r & kChunkMask;
    return {chars[r >> kChunkShift] + off[i], static_cast<size_t>(off[i + 1] - off[i])};
  }
};

// match[k] &= (a's row ar[k] equals b's row br[k]). With check_nulls, null equals null (`<=>`);
// without, the caller guarantees neither side is null (rows with `=`-null keys never get here).
template <class A, class B>
void compare_rows(const A& a, const B& b, const uint32_t* ar, const uint32_t* br, size_t n, uint8_t* match,
                  bool check_nulls) {
  if (!check_nulls) {
    for (size_t k = 0; k < n; ++k) match[k] &= key_equal(a.get(ar[k]), b.get(br[k]));
    return;
  }
  for (size_t k = 0; k < n; ++k) {
    const bool an = a.null(ar[k]);
    const bool bn = b.null(br[k]);
    match[k] &= an == bn && (an || key_equal(a.get(ar[k]), b.get(br[k])));
  }
}

// Calls fn(T{}) with the C++ type a fixed-width key type is compared as; returns false for
// strings and void.
template <class Fn>
bool with_fixed_type(TypeId id, Fn&& fn) {
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kByte: fn(uint8_t{}); return true;
    case TypeId::kShort: fn(int16_t{}); return true;
    case TypeId::kInt:
    case TypeId::kYearMonthInterval:
    case TypeId::kDate: fn(int32_t{}); return true;
    case TypeId::kLong:
    case TypeId::kDayTimeInterval:
    case TypeId::kTimestamp: fn(int64_t{}); return true;
    case TypeId::kFloat: fn(float{}); return true;
    case TypeId::kDouble: fn(double{}); return true;
    case TypeId::kDecimal: fn(int128_t{}); return true;
    default: return false;
  }
}

// --- Array -----------------------------------------------------------------------------------

// Below this, plain heap memory: a huge page would mostly go unused.
constexpr size_t kHugeThreshold = size_t{4} << 20;
constexpr size_t kHugePage = size_t{2} << 20;
size_t round_up(size_t x, size_t a) { return (x + a - 1) / a * a; }

uint8_t* allocate_bytes(size_t bytes, bool zeroed) {
  if (bytes == 0) return nullptr;
  if (bytes >= kHugeThreshold) {
    const size_t len = round_up(bytes, kHugePage);
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ::madvise(p, len, MADV_HUGEPAGE);  // advisory: without THP the table is merely slower
    return static_cast<uint8_t*>(p);   // anonymous mappings are zero-filled
  }
  auto* p = static_cast<uint8_t*>(::operator new (bytes, std::align_val_t{64}));
  if (zeroed) std::memset(p, 0, bytes);
  return p;
}

void release_bytes(uint8_t* p, size_t bytes) {
  if (p == nullptr) return;
  if (bytes >= kHugeThreshold) ::munmap(p, round_up(bytes, kHugePage));
  else ::operator delete (p, std::align_val_t{64});
}

}  // namespace

JoinHashTable::Array::~Array() { release_bytes(data_, bytes_); }

void JoinHashTable::Array::allocate(size_t bytes, bool zeroed) {
  uint8_t* fresh = allocate_bytes(bytes, zeroed);
  release_bytes(data_, bytes_);
  data_ = fresh;
  bytes_ = bytes;
}

JoinHashTable::~JoinHashTable() = default;

void throw_join_build_too_large(std::string_view what, size_t reached, size_t rows, size_t limit) {
  throw_error(ErrorKind::kUnsupported, "EMBER_JOIN_BUILD_TOO_LARGE",
              "The build side of a " + std::string(what) + " needs more memory than " +
                  kJoinMaxBuildBytesConf + " allows: it reached " + format_bytes(reached) + " after " +
                  std::to_string(rows) + " rows and was still growing; the limit is " + format_bytes(limit) +
                  ". Raise " + kJoinMaxBuildBytesConf +
                  ", or lower spark.sql.autoBroadcastJoinThreshold so the join is shuffled rather than "
                  "broadcast, or raise spark.sql.shuffle.partitions so each task builds a smaller table.");
}

// --- building --------------------------------------------------------------------------------

// Accumulates build batches into a table, then builds the directory. Lives only during build().
class JoinTableBuilder {
 public:
  JoinTableBuilder(JoinHashTable& t, std::vector<DataType> types, const std::vector<ExprPtr>& key_exprs,
                   std::vector<bool> null_safe, const EvalContext& ctx, size_t limit)
      : t_(t), key_exprs_(key_exprs), evaluator_(ctx), limit_(limit) {
    t_.types_ = std::move(types);
    EMBER_CHECK(null_safe.empty() || null_safe.size() == key_exprs.size(),
                "join key null-safe flags do not match the key count");
    for (const DataType& type : t_.types_) {
      JoinHashTable::ChunkedColumn col;
      col.type = type;
      t_.columns_.push_back(std::move(col));
    }
    for (size_t k = 0; k < key_exprs.size(); ++k) {
      const Expr& e = *key_exprs[k];
      t_.key_types_.push_back(e.type);
      JoinHashTable::KeyColumn kc;
      kc.type = e.type;
      kc.id = e.type.id();
      kc.null_safe = !null_safe.empty() && null_safe[k];
      if (e.type.is_nested()) {
        // Arrays, maps and structs join on their canonical key bytes (equal exactly when the
        // values are equal join keys), held and compared as a computed binary key.
        kc.nested = true;
        kc.type = DataType::binary();
        kc.id = TypeId::kBinary;
      }
      // A key that is a plain column reference is compared in that payload column; any other
      // key gets a chunked column of its own after the payload.
      if (!kc.nested && e.kind == ExprKind::kBoundRef && e.index >= 0 &&
          static_cast<size_t>(e.index) < t_.types_.size() &&
          t_.types_[static_cast<size_t>(e.index)] == e.type) {
        kc.column = static_cast<size_t>(e.index);
      } else {
        kc.column = t_.columns_.size();
        JoinHashTable::ChunkedColumn col;
        col.type = kc.type;
        t_.columns_.push_back(std::move(col));
        computed_keys_.push_back(k);
      }
      t_.keys_.push_back(kc);
    }
  }

  void add(const Batch& batch) {
    const size_t n = batch.num_rows;
    if (n == 0) return;
    EMBER_CHECK(batch.num_columns() == t_.types_.size(),
                "join build batch has " + std::to_string(batch.num_columns()) + " columns, expected " +
                    std::to_string(t_.types_.size()));
    if (rows_ + n > JoinHashTable::kMaxRows) {
      throw_error(ErrorKind::kUnsupported, "EMBER_JOIN_BUILD_TOO_LARGE",
                  "the build side of a hash join has more than " + std::to_string(JoinHashTable::kMaxRows) +
                      " rows in one task; raise spark.sql.shuffle.partitions so each task builds less");
    }
    std::vector<VectorPtr> keys;
    keys.reserve(key_exprs_.size());
    for (size_t k = 0; k < key_exprs_.size(); ++k) {
      VectorPtr v = evaluator_.eval(*key_exprs_[k], batch);
      EMBER_CHECK(v->type() == t_.key_types_[k], "join build key " + key_exprs_[k]->to_string() +
                                                     " evaluated to " + v->type().simple_string());
      if (t_.keys_[k].nested) v = encode_keys(*v, n);
      keys.push_back(flatten(v));
    }
    hashes_.resize(rows_ + n);
    hash_columns(keys, n, hashes_.data() + rows_);
    mark_null_keys(keys, n);

    Pending p;
    p.columns.reserve(t_.columns_.size());
    for (const auto& c : batch.columns) p.columns.push_back(flatten(c));
    for (size_t k : computed_keys_) p.columns.push_back(keys[k]);
    p.rows = n;
    pending_bytes_ += Batch(p.columns, n).byte_size();
    pending_.push_back(std::move(p));
    pending_rows_ += n;
    rows_ += n;
    while (pending_rows_ >= JoinHashTable::kChunkRows) flush_chunk(JoinHashTable::kChunkRows);
    check_memory();
  }

  void finish() {
    if (pending_rows_ > 0) flush_chunk(pending_rows_);
    t_.num_rows_ = rows_;
    for (auto& col : t_.columns_) {
      for (const VectorPtr& chunk : col.chunks) {
        col.values.push_back(chunk->data_buffer() ? chunk->data_buffer()->data() : nullptr);
        col.validity.push_back(chunk->validity());
        col.chars.push_back(chunk->chars());
        col.any_nulls |= chunk->may_have_nulls();
      }
    }
    build_directory();
    hashes_ = {};
    excluded_ = {};
    size_t bytes = t_.slots_.bytes() + t_.next_.bytes();
    for (const auto& col : t_.columns_) {
      bytes += Batch(col.chunks, 0).byte_size() + col.values.capacity() * 3 * sizeof(void*);
    }
    t_.memory_bytes_ = bytes;
  }

 private:
  struct Pending {
    std::vector<VectorPtr> columns;  // payload columns, then computed keys
    size_t rows = 0;
    size_t from = 0;  // rows before this are already in chunks
  };

  // Rows whose `=` key has a null match nothing; they stay in the payload but not the directory.
  void mark_null_keys(const std::vector<VectorPtr>& keys, size_t n) {
    for (size_t k = 0; k < keys.size(); ++k) {
      const auto& kc = t_.keys_[k];
      if (kc.null_safe) continue;
      const Vector& v = *keys[k];
      if (!v.may_have_nulls() && kc.id != TypeId::kNull) continue;
      if (excluded_.size() < rows_ + n) excluded_.resize(rows_ + n, 0);
      const uint8_t* valid = v.validity();
      uint8_t* ex = excluded_.data() + rows_;
      for (size_t i = 0; i < n; ++i) {
        if (valid == nullptr || !bit_is_set(valid, i)) ex[i] = 1;
      }
    }
  }

  // Moves the first `rows` pending rows into one new chunk per column. A pending batch that
  // lies wholly inside the chunk is taken as it is (when it is the whole chunk, without a copy);
  // one that straddles the chunk's end is sliced.
  void flush_chunk(size_t rows) {
    const size_t ncols = t_.columns_.size();
    std::vector<std::vector<VectorPtr>> parts(ncols);
    std::vector<uint32_t> slice;
    size_t at = 0;
    while (at < rows) {
      Pending& p = pending_.front();
      const size_t take = std::min(rows - at, p.rows - p.from);
      const bool whole = p.from == 0 && take == p.rows;
      slice.resize(take);
      for (size_t i = 0; i < take; ++i) slice[i] = static_cast<uint32_t>(p.from + i);
      for (size_t c = 0; c < ncols; ++c) {
        const VectorPtr& v = p.columns[c];
        parts[c].push_back(whole && v->size() == take ? v : gather(*v, slice.data(), take));
      }
      p.from += take;
      at += take;
      if (p.from == p.rows) {
        pending_bytes_ -= Batch(p.columns, p.rows).byte_size();
        pending_.erase(pending_.begin());
      }
    }
    pending_rows_ -= rows;
    for (size_t c = 0; c < ncols; ++c) {
      VectorPtr chunk = concat(parts[c]);
      chunk_bytes_ += Batch({chunk}, rows).byte_size();
      t_.columns_[c].chunks.push_back(std::move(chunk));
    }
  }

  void check_memory() {
    // Still to come: the directory (two to four 8-byte slots per row) and the chains (4 bytes);
    // the 8-byte hashes and the null marks are held until then.
    const size_t estimate = pending_bytes_ + chunk_bytes_ + rows_ * (8 + 4 + 16) + excluded_.size();
    if (estimate > limit_) throw_join_build_too_large("hash join", estimate, rows_, limit_);
  }

  // --- directory ---

  void build_directory() {
    // Batches after the last null-bearing one did not extend excluded_.
    if (!excluded_.empty()) excluded_.resize(rows_, 0);
    size_t valid = rows_;
    if (!excluded_.empty()) valid -= static_cast<size_t>(std::count(excluded_.begin(), excluded_.end(), 1));
    size_t cap = 16;
    while (cap < 2 * valid) cap *= 2;
    t_.capacity_ = cap;
    t_.slot_mask_ = cap - 1;
    t_.slots_.allocate(cap * sizeof(uint64_t), /*zeroed=*/true);
    // Written for every row that enters the directory; nothing reads the others.
    t_.next_.allocate(rows_ * sizeof(uint32_t), /*zeroed=*/false);
    if (valid == 0) return;

    const JoinHashTable::KeyColumn* single = t_.keys_.size() == 1 ? &t_.keys_[0] : nullptr;
    if (single != nullptr && !(single->null_safe && t_.columns_[single->column].any_nulls)) {
      // Integers compare as they are; normalised floats would need the generic path.
      switch (single->id) {
        case TypeId::kInt:
        case TypeId::kYearMonthInterval:
        case TypeId::kDate: insert_single<int32_t>(); return;
        case TypeId::kLong:
        case TypeId::kDayTimeInterval:
        case TypeId::kTimestamp: insert_single<int64_t>(); return;
        default: break;
      }
    }
    insert_generic();
  }

  // One integer key: compare inline. Rows go in descending order, each becoming the head of its
  // key's chain, so chains come out ascending.
  template <class T>
  void insert_single() {
    const JoinHashTable::ChunkedColumn& col = t_.columns_[t_.keys_[0].column];
    const uint8_t* const* base = col.values.data();
    auto key_of = [base](size_t r) {
      return reinterpret_cast<const T*>(base[r >> kChunkShift])[r & kChunkMask];
    };
    uint64_t* slots = t_.slots();
    uint32_t* next = t_.next_.as<uint32_t>();
    const uint64_t* h = hashes_.data();
    const uint8_t* ex = excluded_.empty() ? nullptr : excluded_.data();
    const size_t mask = t_.slot_mask_;
    const bool far = t_.capacity_ > kPrefetchAbove;
    size_t groups = 0;
    for (size_t idx = rows_; idx-- > 0;) {
      if (far && idx >= kPrefetchDistance) __builtin_prefetch(slots + (h[idx - kPrefetchDistance] & mask), 1);
      if (ex != nullptr && ex[idx]) continue;
      const auto r = static_cast<uint32_t>(idx);
      const uint64_t hash = h[r];
      const T key = key_of(r);
      size_t p = hash & mask;
      for (;;) {
        const uint64_t e = slots[p];
        if (e == 0) {
          slots[p] = make_entry(hash, r);
          next[r] = JoinHashTable::kNoRow;
          ++groups;
          break;
        }
        if (salt_matches(e, hash) && key_of(entry_row(e)) == key) {
          next[r] = entry_row(e);
          slots[p] = make_entry(hash, r) | kEntryMulti;
          break;
        }
        p = (p + 1) & mask;
      }
    }
    t_.num_groups_ = groups;
  }

  // Any keys: rounds over blocks of rows, as JoinProbe::find_generic, comparing build rows with
  // build rows column by column.
  void insert_generic() {
    uint64_t* slots = t_.slots();
    uint32_t* next = t_.next_.as<uint32_t>();
    const uint64_t* h = hashes_.data();
    const size_t mask = t_.slot_mask_;
    std::vector<uint64_t> pos(kBuildBlock);
    std::vector<uint32_t> sel(kBuildBlock), cand_row(kBuildBlock), cand_head(kBuildBlock);
    std::vector<uint8_t> match(kBuildBlock);
    size_t groups = 0;
    size_t hi = rows_;
    while (hi > 0) {
      const size_t lo = hi > kBuildBlock ? hi - kBuildBlock : 0;
      size_t sel_n = 0;
      // Descending within the block too, so chains come out ascending (see insert_single).
      for (size_t idx = hi; idx-- > lo;) {
        if (!excluded_.empty() && excluded_[idx]) continue;
        pos[idx - lo] = h[idx] & mask;
        __builtin_prefetch(slots + pos[idx - lo]);
        sel[sel_n++] = static_cast<uint32_t>(idx);
      }
      while (sel_n > 0) {
        size_t ncand = 0;
        for (size_t k = 0; k < sel_n; ++k) {
          const uint32_t r = sel[k];
          const uint64_t hash = h[r];
          size_t p = pos[r - lo];
          for (;;) {
            const uint64_t e = slots[p];
            if (e == 0) {
              slots[p] = make_entry(hash, r);
              next[r] = JoinHashTable::kNoRow;
              ++groups;
              break;
            }
            if (salt_matches(e, hash)) {
              cand_row[ncand] = r;
              cand_head[ncand] = entry_row(e);
              ++ncand;
              break;
            }
            p = (p + 1) & mask;
          }
          pos[r - lo] = p;
        }
        if (ncand == 0) break;
        std::memset(match.data(), 1, ncand);
        for (const auto& kc : t_.keys_)
          compare_build_column(kc, cand_row.data(), cand_head.data(), ncand, match.data());
        sel_n = 0;
        for (size_t k = 0; k < ncand; ++k) {
          const uint32_t r = cand_row[k];
          size_t& p = pos[r - lo];
          if (match[k]) {
            // The slot's current head may be newer than the candidate's (same key): chain to it.
            const uint64_t e = slots[p];
            next[r] = entry_row(e);
            slots[p] = make_entry(h[r], r) | kEntryMulti;
          } else {
            p = (p + 1) & mask;
            sel[sel_n++] = r;
          }
        }
      }
      hi = lo;
    }
    t_.num_groups_ = groups;
  }

  // match[k] &= (key of build row a[k] == key of build row b[k]) in key column kc.
  void compare_build_column(const JoinHashTable::KeyColumn& kc, const uint32_t* a, const uint32_t* b,
                            size_t n, uint8_t* match) const {
    const JoinHashTable::ChunkedColumn& col = t_.columns_[kc.column];
    const bool check_nulls = kc.null_safe && col.any_nulls;
    if (kc.id == TypeId::kNull) return;  // null-safe void keys: always equal (`=` ones never get here)
    if (kc.type.is_string_like()) {
      BuildString s{col.values.data(), col.chars.data(), col.validity.data()};
      compare_rows(s, s, a, b, n, match, check_nulls);
      return;
    }
    const bool known = with_fixed_type(kc.id, [&](auto tag) {
      using T = decltype(tag);
      BuildFixed<T> s{col.values.data(), col.validity.data()};
      compare_rows(s, s, a, b, n, match, check_nulls);
    });
    EMBER_CHECK(known, "unexpected join key type " + kc.type.simple_string());
  }

  JoinHashTable& t_;
  const std::vector<ExprPtr>& key_exprs_;
  ExpressionEvaluator evaluator_;
  size_t limit_;
  std::vector<size_t> computed_keys_;  // keys with a chunked column of their own, in column order
  size_t rows_ = 0;
  std::vector<uint64_t> hashes_;   // per build row, until the directory is built
  std::vector<uint8_t> excluded_;  // per build row (1: an `=` key is null); empty if none
  std::vector<Pending> pending_;   // rows not yet in a full chunk
  size_t pending_rows_ = 0;
  size_t pending_bytes_ = 0;
  size_t chunk_bytes_ = 0;
};

std::shared_ptr<const JoinHashTable> JoinHashTable::build(Operator& build, std::vector<DataType> build_types,
                                                          const std::vector<ExprPtr>& key_exprs,
                                                          const EvalContext& ctx, size_t memory_limit_bytes,
                                                          std::vector<bool> null_safe) {
  std::shared_ptr<JoinHashTable> table(new JoinHashTable());
  JoinTableBuilder builder(*table, std::move(build_types), key_exprs, std::move(null_safe), ctx,
                           memory_limit_bytes);
  Batch batch;
  while (build.next(batch)) builder.add(batch);
  builder.finish();
  return table;
}

// --- payload gather --------------------------------------------------------------------------

namespace {
template <class T>
void gather_chunked(const std::vector<const uint8_t*>& base, const uint32_t* rows, size_t n, T* dst) {
  for (size_t i = 0; i < n; ++i) {
    const uint32_t r = rows[i];
    dst[i] = reinterpret_cast<const T*>(base[r >> kChunkShift])[r & kChunkMask];
  }
}
}  // namespace

VectorPtr JoinHashTable::gather(size_t column, const uint32_t* rows, size_t n) const {
  const ChunkedColumn& col = columns_[column];
  const DataType& type = col.type;
  if (type.id() == TypeId::kNull) return Vector::make_null(type, n);
  if (!type.is_string_like() && type.fixed_width() <= 0) return gather_generic(col, rows, n);
  auto out = Vector::make(type, n);
  if (type.is_string_like()) {
    for (size_t i = 0; i < n; ++i) {
      const uint32_t r = rows[i];
      const size_t c = r >> kChunkShift, at = r & kChunkMask;
      const auto* off = reinterpret_cast<const int32_t*>(col.values[c]);
      const uint8_t* valid = col.validity[c];
      if (valid != nullptr && !bit_is_set(valid, at)) {
        out->set_null_string(i);
      } else {
        out->set_string(i,
                        std::string_view(col.chars[c] + off[at], static_cast<size_t>(off[at + 1] - off[at])));
      }
    }
    return out;
  }
  switch (type.fixed_width()) {
    case 1: gather_chunked(col.values, rows, n, out->values<uint8_t>()); break;
    case 2: gather_chunked(col.values, rows, n, out->values<uint16_t>()); break;
    case 4: gather_chunked(col.values, rows, n, out->values<uint32_t>()); break;
    case 8: gather_chunked(col.values, rows, n, out->values<uint64_t>()); break;
    case 16: gather_chunked(col.values, rows, n, out->values<int128_t>()); break;
    default: EMBER_CHECK(false, "unexpected payload type " + type.simple_string());
  }
  if (col.any_nulls) {
    for (size_t i = 0; i < n; ++i) {
      const uint32_t r = rows[i];
      const uint8_t* valid = col.validity[r >> kChunkShift];
      if (valid != nullptr && !bit_is_set(valid, r & kChunkMask)) out->set_null(i);
    }
  }
  return out;
}

VectorPtr JoinHashTable::gather_generic(const ChunkedColumn& col, const uint32_t* rows, size_t n) {
  // Types without a flat layout (arrays): gather from each chunk with the vector library, then put
  // the rows back in the asked order.
  if (n == 0) return Vector::make(col.type, 0);
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return (rows[a] >> kChunkShift) < (rows[b] >> kChunkShift);
  });
  std::vector<VectorPtr> parts;
  std::vector<uint32_t> local;
  std::vector<uint32_t> position(n);  // row i of the result is row position[i] of the concatenation
  size_t k = 0;
  while (k < n) {
    const size_t chunk = rows[order[k]] >> kChunkShift;
    local.clear();
    for (; k < n && (rows[order[k]] >> kChunkShift) == chunk; ++k) {
      position[order[k]] = static_cast<uint32_t>(k);
      local.push_back(static_cast<uint32_t>(rows[order[k]] & kChunkMask));
    }
    parts.push_back(ember::gather(*col.chunks[chunk], local.data(), local.size()));
  }
  VectorPtr all = concat(parts);
  return ember::gather(*all, position.data(), n);
}

// --- probing ---------------------------------------------------------------------------------

JoinProbe::JoinProbe(std::shared_ptr<const JoinHashTable> table) : table_(std::move(table)) {
  EMBER_CHECK(table_ != nullptr, "JoinProbe without a table");
}

void JoinProbe::find(const std::vector<VectorPtr>& keys, size_t n) { find_hashed(keys, n, nullptr); }

size_t JoinProbe::mark_null_keys(const std::vector<const Vector*>& keys, size_t n) {
  size_t count = 0;
  bool any = false;
  for (size_t k = 0; k < keys.size(); ++k) {
    const auto& kc = table_->keys_[k];
    if (kc.null_safe) continue;
    const Vector& v = *keys[k];
    if (!v.may_have_nulls() && kc.id != TypeId::kNull) continue;
    if (!any) {
      null_row_.assign(n, 0);
      any = true;
    }
    const uint8_t* valid = v.validity();
    for (size_t i = 0; i < n; ++i) {
      if (valid == nullptr || !bit_is_set(valid, i)) null_row_[i] = 1;
    }
  }
  if (!any) {
    null_row_.clear();
    return 0;
  }
  for (size_t i = 0; i < n; ++i) count += null_row_[i];
  return count;
}

void JoinProbe::find_hashed(const std::vector<VectorPtr>& keys, size_t n, const uint64_t* hashes) {
  const JoinHashTable& t = *table_;
  EMBER_CHECK(keys.size() == t.keys_.size(), "join probe key count " + std::to_string(keys.size()) +
                                                 " differs from the build's " +
                                                 std::to_string(t.keys_.size()));
  n_ = n;
  row_ = 0;
  chain_ = JoinHashTable::kNoRow;
  if (heads_.size() < n) heads_.resize(n);
  if (t.num_groups_ == 0 || n == 0) {
    std::fill_n(heads_.begin(), n, JoinHashTable::kNoRow);
    return;
  }
  flat_holder_.clear();
  // Nested keys are probed by their encodings (hash_columns hashes them identically).
  encoded_.clear();
  for (size_t k = 0; k < keys.size() && encoded_.empty(); ++k) {
    if (t.keys_[k].nested) encoded_ = keys;
  }
  const std::vector<VectorPtr>& key_vecs = encoded_.empty() ? keys : encoded_;
  std::vector<const Vector*> cols(keys.size());
  for (size_t k = 0; k < keys.size(); ++k) {
    EMBER_CHECK(keys[k]->type() == t.key_types_[k], "join probe key " + std::to_string(k) + " has type " +
                                                        keys[k]->type().simple_string() + ", the build key " +
                                                        t.key_types_[k].simple_string());
    EMBER_CHECK(keys[k]->size() >= n, "join probe key vector shorter than the batch");
    if (t.keys_[k].nested) encoded_[k] = encode_keys(*keys[k], n);
    if (key_vecs[k]->is_constant()) {
      flat_holder_.push_back(flatten(key_vecs[k]));
      flat_holder_.back()->truncate(n);
      cols[k] = flat_holder_.back().get();
    } else {
      cols[k] = key_vecs[k].get();
    }
  }
  if (hashes == nullptr) {
    if (hashes_.size() < n) hashes_.resize(n);
    hash_columns(key_vecs, n, hashes_.data());
    hashes = hashes_.data();
  }
  if (pos_.size() < n) pos_.resize(n);
  if (cols.size() == 1 && !t.keys_[0].null_safe) {
    switch (t.keys_[0].id) {
      case TypeId::kInt:
      case TypeId::kYearMonthInterval:
      case TypeId::kDate: find_single_fixed<int32_t>(*cols[0], n, hashes); return;
      case TypeId::kLong:
      case TypeId::kDayTimeInterval:
      case TypeId::kTimestamp: find_single_fixed<int64_t>(*cols[0], n, hashes); return;
      default: break;
    }
  }
  find_generic(cols, n, hashes);
}

template <class T>
void JoinProbe::find_single_fixed(const Vector& key, size_t n, const uint64_t* h) {
  const JoinHashTable& t = *table_;
  const T* v = key.values<T>();
  const uint8_t* valid = key.validity();
  const uint8_t* const* base = t.columns_[t.keys_[0].column].values.data();
  auto stored = [base](uint32_t r) {
    return reinterpret_cast<const T*>(base[r >> kChunkShift]) + (r & kChunkMask);
  };
  const uint64_t* slots = t.slots();
  const size_t mask = t.slot_mask_;
  uint64_t* pos = pos_.data();
  uint32_t* heads = heads_.data();
  for (size_t i = 0; i < n; ++i) pos[i] = h[i] & mask;
  const bool far = t.capacity_ > kPrefetchAbove;
  constexpr size_t kDist = kPrefetchDistance;
  if (far) {
    for (size_t i = 0; i < std::min(n, 2 * kDist); ++i) __builtin_prefetch(slots + pos[i]);
  }
  for (size_t i = 0; i < n; ++i) {
    if (far) {
      if (i + 2 * kDist < n) __builtin_prefetch(slots + pos[i + 2 * kDist]);
      if (i + kDist < n) {
        const uint64_t e = slots[pos[i + kDist]];
        if (e != 0) __builtin_prefetch(stored(entry_row(e)));
      }
    }
    uint32_t head = JoinHashTable::kNoRow;
    if (valid == nullptr || bit_is_set(valid, i)) {
      const uint64_t hash = h[i];
      const T k = v[i];
      size_t p = pos[i];
      for (;;) {
        const uint64_t e = slots[p];
        if (e == 0) break;
        if (salt_matches(e, hash) && *stored(entry_row(e)) == k) {
          head = entry_row(e) | ((e & kEntryMulti) ? kMultiFlag : 0);
          break;
        }
        p = (p + 1) & mask;
      }
    }
    heads[i] = head;
  }
}

namespace {

// match[k] &= (probe row pr[k] of `probe` == build row br[k]) in key column kc, stored in `col`.
template <class KeyColumn, class ChunkedColumn>
void compare_probe_column(const KeyColumn& kc, const ChunkedColumn& col, const Vector& probe,
                          const uint32_t* pr, const uint32_t* br, size_t n, uint8_t* match) {
  if (kc.id == TypeId::kNull) return;  // null-safe void keys: always equal
  // `=` keys: null rows were removed before comparing. `<=>` keys: compare nulls when either side
  // has any.
  const bool check_nulls = kc.null_safe && (col.any_nulls || probe.may_have_nulls());
  if (kc.type.is_string_like()) {
    ProbeString a{probe.offsets(), probe.chars(), probe.validity()};
    BuildString b{col.values.data(), col.chars.data(), col.validity.data()};
    compare_rows(a, b, pr, br, n, match, check_nulls);
    return;
  }
  const bool known = with_fixed_type(kc.id, [&](auto tag) {
    using T = decltype(tag);
    ProbeFixed<T> a{probe.values<T>(), probe.validity()};
    BuildFixed<T> b{col.values.data(), col.validity.data()};
    compare_rows(a, b, pr, br, n, match, check_nulls);
  });
  EMBER_CHECK(known, "unexpected join key type " + kc.type.simple_string());
}

}  // namespace

void JoinProbe::find_generic(const std::vector<const Vector*>& keys, size_t n, const uint64_t* h) {
  const JoinHashTable& t = *table_;
  const uint64_t* slots = t.slots();
  const size_t mask = t.slot_mask_;
  uint64_t* pos = pos_.data();
  uint32_t* heads = heads_.data();
  if (sel_.size() < n) {
    sel_.resize(n);
    cand_probe_.resize(n);
    cand_build_.resize(n);
    match_.resize(n);
  }
  mark_null_keys(keys, n);
  const uint8_t* null_row = null_row_.empty() ? nullptr : null_row_.data();
  size_t sel_n = 0;
  for (size_t i = 0; i < n; ++i) {
    heads[i] = JoinHashTable::kNoRow;
    if (null_row != nullptr && null_row[i]) continue;
    pos[i] = h[i] & mask;
    __builtin_prefetch(slots + pos[i]);
    sel_[sel_n++] = static_cast<uint32_t>(i);
  }
  while (sel_n > 0) {
    size_t ncand = 0;
    for (size_t k = 0; k < sel_n; ++k) {
      const uint32_t i = sel_[k];
      const uint64_t hash = h[i];
      size_t p = pos[i];
      for (;;) {
        uint64_t e = slots[p];
        if (e == 0) break;  // absent: heads[i] stays kNoRow
        if (salt_matches(e, hash)) {
          cand_probe_[ncand] = i;
          cand_build_[ncand] = entry_row(e);
          ++ncand;
          break;
        }
        p = (p + 1) & mask;
      }
      pos[i] = p;
    }
    if (ncand == 0) break;
    std::memset(match_.data(), 1, ncand);
    for (size_t c = 0; c < keys.size(); ++c) {
      compare_probe_column(t.keys_[c], t.columns_[t.keys_[c].column], *keys[c], cand_probe_.data(),
                           cand_build_.data(), ncand, match_.data());
    }
    sel_n = 0;
    for (size_t k = 0; k < ncand; ++k) {
      const uint32_t i = cand_probe_[k];
      if (match_[k]) {
        const uint64_t e = slots[pos[i]];
        heads[i] = entry_row(e) | ((e & kEntryMulti) ? kMultiFlag : 0);
      } else {
        pos[i] = (pos[i] + 1) & mask;
        sel_[sel_n++] = i;
      }
    }
  }
}

size_t JoinProbe::next_pairs(uint32_t* probe_rows, uint32_t* build_rows, size_t capacity,
                             const uint8_t* skip_rows) {
  const uint32_t* next = table_->next_.as<uint32_t>();
  const uint32_t* heads = heads_.data();
  size_t k = 0;
  // Resuming inside a row's chain: drop the rest if the row has been settled meanwhile.
  if (chain_ != JoinHashTable::kNoRow && skip_rows != nullptr && skip_rows[row_]) {
    chain_ = JoinHashTable::kNoRow;
    ++row_;
  }
  while (k < capacity) {
    if (chain_ != JoinHashTable::kNoRow) {
      probe_rows[k] = static_cast<uint32_t>(row_);
      build_rows[k] = chain_;
      ++k;
      chain_ = next[chain_];
      if (chain_ == JoinHashTable::kNoRow) ++row_;
      continue;
    }
    if (row_ >= n_) break;
    const uint32_t head = heads[row_];
    if (head == JoinHashTable::kNoRow || (skip_rows != nullptr && skip_rows[row_])) {
      ++row_;
      continue;
    }
    const uint32_t r = head & kRowMask;
    probe_rows[k] = static_cast<uint32_t>(row_);
    build_rows[k] = r;
    ++k;
    if (head & kMultiFlag) chain_ = next[r];
    else ++row_;
  }
  return k;
}

}  // namespace ember
