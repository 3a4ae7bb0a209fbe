#pragma once
// The hash table behind hash aggregation: maps a group key (one or more columns of any ember
// type) to a fixed-size payload row holding the aggregate states of that group.
//
// Layout (see group_hash_table.cpp for the reasoning):
//  - a power-of-two array of 8-byte slots, each (32-bit hash salt << 32 | group index + 1), 0 when
//    empty, probed linearly; a row's home slot is the low bits of its hash, its salt the high 32;
//  - groups numbered 0, 1, 2, ... in insertion order; each group's keys stored column-wise
//    (fixed-width values in one array per column, strings as (pointer, length) into an arena the
//    table owns), and each group's full 64-bit hash kept so growth rehashes without touching keys;
//  - payload rows in chunks that double in size and never move, so the pointers handed out stay
//    valid for the table's lifetime however much it grows. The table never initialises or
//    destroys payloads: the caller inits them (find_or_insert's callback) and must destroy any
//    that own memory (read_groups lists them) before the table goes away.
// Null is a valid key value: all rows whose key is null (per column) form one group, as in Spark.
// Floating-point keys are normalised on insert (-0.0 becomes 0.0, every NaN the canonical NaN),
// so read_groups returns the normalised value, as Spark's NormalizeFloatingNumbers would.
// Arrays, maps and structs are keys too: each is stored as its canonical key bytes
// (vector/nested_key_encoding.h: equal bytes exactly when Spark groups the values together, floats
// normalised at any depth) in the string arena, and decoded back by read_groups.
//
// Not thread-safe: one table per task (or per partition of a task).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "ember/types/data_type.h"
#include "ember/vector/buffer.h"
#include "ember/vector/vector.h"

namespace ember {

class GroupHashTable {
 public:
  // key_types: the types of the key columns (may be empty: one global group).
  // payload_size/payload_align: bytes and alignment (a power of two) of each group's payload.
  // Payloads are NOT initialised by the table; the caller's init callback does that.
  GroupHashTable(std::vector<DataType> key_types, size_t payload_size, size_t payload_align);
  ~GroupHashTable();
  GroupHashTable(const GroupHashTable&) = delete;
  GroupHashTable& operator=(const GroupHashTable&) = delete;

  // For each of the n rows of `keys` (one vector per key column, flat or constant, at least n
  // rows each, types equal to key_types), finds or creates the row's group and sets rows_out[i]
  // to that group's payload. `init(uint8_t* payload)` is called exactly once per group created
  // by this call, in creation order, before returning; never per row. If init throws, the groups
  // already created stay in the table (their payloads in whatever state init left them).
  template <class Init>
  void find_or_insert(const std::vector<VectorPtr>& keys, size_t n, uint8_t** rows_out, Init&& init) {
    size_t first_new = num_groups_;
    probe(keys, n, nullptr, rows_out);
    for (size_t g = first_new; g < num_groups_; ++g) init(payload(g));
  }
  // As above, for callers that already hashed the keys with hash_columns (e.g. to partition
  // rows before inserting); `hashes` must be exactly hash_columns(keys, n).
  template <class Init>
  void find_or_insert_hashed(const std::vector<VectorPtr>& keys, size_t n, const uint64_t* hashes,
                             uint8_t** rows_out, Init&& init) {
    size_t first_new = num_groups_;
    probe(keys, n, hashes, rows_out);
    for (size_t g = first_new; g < num_groups_; ++g) init(payload(g));
  }

  // Number of groups.
  size_t size() const { return num_groups_; }
  const std::vector<DataType>& key_types() const { return key_types_; }
  size_t payload_size() const { return payload_size_; }

  // Groups [start, start + count) in insertion order: keys_out is replaced by one flat vector of
  // `count` rows per key column; payloads_out[k] = payload of group start + k.
  // Requires start + count <= size().
  void read_groups(size_t start, size_t count, std::vector<VectorPtr>& keys_out,
                   uint8_t** payloads_out) const;

  // The payload of group g (g < size()); stable for the table's lifetime.
  // Chunk c holds groups [B * (2^c - 1), B * (2^(c+1) - 1)) for B = 2^chunk_shift_: chunks double
  // in size, so a small table stays small and a huge one has few, huge-page backed chunks.
  uint8_t* payload(size_t g) const {
    size_t q = (g >> chunk_shift_) + 1;
    auto c = static_cast<size_t>(63 - __builtin_clzll(q));
    size_t within = g + (size_t{1} << chunk_shift_) - (size_t{1} << (chunk_shift_ + c));
    return payload_chunks_[c] + within * payload_stride_;
  }
  // The hash_columns hash of group g's key (g < size()), e.g. to repartition groups on spill.
  uint64_t group_hash(size_t g) const { return hashes()[g]; }

  // Bytes held by the table: slots, keys, string arena, hashes and payload chunks.
  size_t memory_bytes() const;

 private:
  // Zero-initialised raw memory. Large arrays come from mmap with transparent huge pages
  // requested: the table's accesses are random, and with 4 KiB pages nearly every probe of a
  // multi-GiB table would also miss the TLB. Grows by copying into a fresh allocation.
  class RawArray {
   public:
    RawArray() = default;
    ~RawArray();
    RawArray(const RawArray&) = delete;
    RawArray& operator=(const RawArray&) = delete;
    RawArray(RawArray&& o) noexcept : data_(o.data_), capacity_(o.capacity_) {
      o.data_ = nullptr;
      o.capacity_ = 0;
    }
    RawArray& operator=(RawArray&& o) noexcept {
      std::swap(data_, o.data_);
      std::swap(capacity_, o.capacity_);
      return *this;
    }
    uint8_t* data() const { return data_; }
    size_t capacity() const { return capacity_; }
    // Ensures capacity >= bytes (growing at least 2x), keeping the first `keep` bytes.
    void ensure(size_t bytes, size_t keep);
    static uint8_t* allocate(size_t bytes);  // zeroed, 64-byte aligned
    static void release(uint8_t* p, size_t bytes);

   private:
    uint8_t* data_ = nullptr;
    size_t capacity_ = 0;
  };

  struct StringRef {
    const char* data;
    uint32_t len;
  };
  struct KeyColumn {
    DataType type;
    TypeId id;
    int width = 0;          // bytes per value; 0 for string/binary (stored as StringRef)
    bool is_float = false;  // float/double: normalise on insert and compare
    // Array, map or struct: held as its canonical key bytes (vector/nested_key_encoding.h) like a
    // binary key (id kBinary), decoded back to `type` by read_groups.
    bool nested = false;
    RawArray values;        // width (or sizeof(StringRef)) bytes per group, size() groups used
    // Empty until the first null key of this column arrives; then one byte per group, 1 = null.
    std::vector<uint8_t> nulls;
  };

  // Core of find_or_insert: hashes (unless given), probes, creates groups (without init).
  void probe(const std::vector<VectorPtr>& keys, size_t n, const uint64_t* hashes, uint8_t** rows_out);
  template <class T>
  void probe_single_fixed(const Vector& key, size_t n, const uint64_t* h);
  void probe_generic(const std::vector<const Vector*>& keys, size_t n, const uint64_t* h);
  // Appends the keys of rows new_rows_[0..count) as groups [first_group, first_group + count).
  void append_keys(const std::vector<const Vector*>& keys, size_t first_group, size_t count);
  // match_[k] &= (key of cand_row_[k] in column c == key of group cand_group_[k]).
  void compare_column(size_t c, const Vector& key, size_t ncand);
  // Registers a new group with this hash (its keys are appended separately); returns its index.
  uint32_t add_group(uint64_t hash);
  // Makes room for `more` groups so no resize happens during a probe.
  void reserve_groups(size_t more);
  void rehash(size_t new_capacity);
  const char* arena_copy(const char* data, size_t len);
  size_t chunk_bytes(size_t c) const;  // bytes of payload chunk c

  std::vector<DataType> key_types_;
  std::vector<KeyColumn> key_cols_;
  bool has_nested_ = false;  // any KeyColumn::nested
  size_t payload_size_;
  size_t payload_align_;
  size_t payload_stride_;  // payload_size rounded up to payload_align

  const uint64_t* hashes() const { return reinterpret_cast<const uint64_t*>(group_hashes_.data()); }

  // Slots: capacity_ entries, power of two, at most half full.
  RawArray slots_;
  size_t capacity_ = 0;
  size_t slot_mask_ = 0;

  size_t num_groups_ = 0;
  RawArray group_hashes_;  // uint64 hash per group

  // Payload chunks; chunk c holds (1 << (chunk_shift_ + c)) groups (see payload()).
  std::vector<uint8_t*> payload_chunks_;
  size_t chunk_shift_ = 0;
  size_t payload_bytes_ = 0;

  // String arena: blocks never move, so StringRefs stay valid.
  std::vector<std::unique_ptr<char[]>> arena_blocks_;
  char* arena_ptr_ = nullptr;
  size_t arena_left_ = 0;
  size_t arena_bytes_ = 0;

  // Per-call scratch, kept to avoid allocating on every batch.
  std::vector<uint64_t> hash_scratch_;
  std::vector<uint64_t> pos_;
  std::vector<uint32_t> groups_;
  std::vector<uint32_t> sel_;
  std::vector<uint32_t> new_rows_;
  std::vector<uint32_t> cand_row_;
  std::vector<uint32_t> cand_group_;
  std::vector<uint8_t> match_;
};

}  // namespace ember
