#pragma once
// The hash table behind hash joins: the whole build side of a join, indexed by its join keys.
//
// Ownership and sharing. JoinHashTable::build() pulls a build operator to exhaustion and returns
// an immutable table behind shared_ptr<const>. Nothing in it changes after build(), so one table
// may be probed concurrently by every task of a stage (a broadcast join); all per-probe state lives
// in a JoinProbe, one per operator. Which build rows matched (outer joins that emit unmatched build
// rows) is likewise tracked by the operator, never in the table.
//
// Rows. Build rows are numbered 0 .. num_rows()-1 in the order the build operator produced them.
// The table keeps every column of every build row (the payload), including rows that can never
// match because a key is null: an outer join built on that side must still emit them.
//
// Key semantics (Spark's equi-join):
//  - a key column compares with `=`: a row with a null in any such key column matches nothing,
//    on either side (so it never appears in a semi join and always survives an anti join);
//  - a key column marked null-safe compares with `<=>`: null matches null;
//  - floating-point keys compare after Spark's NormalizeFloatingNumbers: -0.0 = 0.0, NaN = NaN;
//  - array, map and struct keys compare as their canonical key bytes (nested nulls equal each
//    other, floats normalised at any depth), as Spark's join compares nested keys;
//  - probe key types must equal the build key types exactly (the planner coerces both sides).
//
// Layout (see join_hash_table.cpp for the reasoning):
//  - payload columns in chunks of kChunkRows (= kBatchSize) rows, so build row r lives at
//    (r >> kChunkShift, r & (kChunkRows - 1)); a full-size build batch becomes a chunk without a
//    copy, and no string chunk nears the 2 GiB limit of one string vector's offsets;
//  - keys are not copied: a key that is a plain column reference is compared in its payload
//    column; a computed key is evaluated once into a chunked column of its own;
//  - a power-of-two directory of 8-byte slots, one per DISTINCT key, open addressing with linear
//    probing: (31-bit hash salt | has-duplicates bit | first build row + 1); sized from the row
//    count to at most half full;
//  - `next`: for each build row, the next build row with the same key (ascending), so duplicates
//    cost no key comparisons when probed.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ember/exec/operator.h"
#include "ember/expr/expression.h"
#include "ember/functions/function.h"
#include "ember/types/data_type.h"
#include "ember/vector/batch.h"

namespace ember {

class JoinProbe;

// The setting whose value build() receives as memory_limit_bytes, named in its error message.
inline constexpr const char* kJoinMaxBuildBytesConf = "spark.ember.join.maxBuildBytes";

// Throws the EMBER_JOIN_BUILD_TOO_LARGE error (kind kUnsupported: ember cannot spill a join build
// yet): `what` ("hash join", "nested-loop join") reached `reached` bytes after `rows` rows, past
// `limit` (the value of spark.ember.join.maxBuildBytes). Says which settings to change.
[[noreturn]] void throw_join_build_too_large(std::string_view what, size_t reached, size_t rows,
                                             size_t limit);

class JoinHashTable {
 public:
  // "No build row": JoinProbe::first_match of a row without a match.
  static constexpr uint32_t kNoRow = 0xffffffffu;
  // Most build rows one table holds (row numbers use 31 bits; the top bit of a probe result flags
  // duplicates).
  static constexpr size_t kMaxRows = (size_t{1} << 31) - 2;
  static constexpr size_t kChunkShift = 12;
  static constexpr size_t kChunkRows = size_t{1} << kChunkShift;

  // Builds a table from every batch of `build` (pulled until it returns false).
  //  - build_types: the build operator's output column types (all are kept as payload; needed
  //    because an empty build side produces no batch to learn them from);
  //  - key_exprs: bound expressions (BoundRef, casts, ...) over the build operator's output; at
  //    least zero (no keys: every probe row matches every build row);
  //  - null_safe: empty (all keys use `=`) or one flag per key (true: `<=>`);
  //  - memory_limit_bytes: if the table would need more, throws EmberError (kUnsupported, error
  //    class EMBER_JOIN_BUILD_TOO_LARGE) naming spark.ember.join.maxBuildBytes, its value and the
  //    size reached, as soon as the estimate passes the limit (before the build side is drained).
  // Evaluation errors of key_exprs (ANSI casts) propagate as they are.
  static std::shared_ptr<const JoinHashTable> build(Operator& build, std::vector<DataType> build_types,
                                                    const std::vector<ExprPtr>& key_exprs,
                                                    const EvalContext& ctx, size_t memory_limit_bytes,
                                                    std::vector<bool> null_safe = {});

  ~JoinHashTable();
  JoinHashTable(const JoinHashTable&) = delete;
  JoinHashTable& operator=(const JoinHashTable&) = delete;

  // Build rows (including rows with null keys).
  size_t num_rows() const { return num_rows_; }
  // Build columns (payload) and their types.
  size_t num_columns() const { return types_.size(); }
  const std::vector<DataType>& types() const { return types_; }
  const std::vector<DataType>& key_types() const { return key_types_; }
  bool key_null_safe(size_t k) const { return keys_[k].null_safe; }
  // Distinct keys in the directory (rows with `=`-null keys are in no group).
  size_t num_distinct_keys() const { return num_groups_; }
  // Bytes held: payload, keys, directory and chains.
  size_t memory_bytes() const { return memory_bytes_; }

  // Build rows rows[0..n) of payload column `column`, as a flat vector of n rows.
  // Every rows[k] < num_rows().
  VectorPtr gather(size_t column, const uint32_t* rows, size_t n) const;
  // The next build row with the same key as `row` (ascending), or kNoRow after the last.
  // Only meaningful for a row returned by JoinProbe::first_match or by this function.
  uint32_t next_duplicate(uint32_t row) const { return next_.as<uint32_t>()[row]; }

 private:
  friend class JoinProbe;
  friend class JoinTableBuilder;
  JoinHashTable() = default;

  // Memory for the directory and per-row arrays. Big arrays come from mmap with transparent huge
  // pages requested: probes are random, and with 4 KiB pages a multi-MiB directory also misses
  // the TLB on nearly every access.
  class Array {
   public:
    Array() = default;
    ~Array();
    Array(const Array&) = delete;
    Array& operator=(const Array&) = delete;
    // Replaces the contents with `bytes` fresh bytes, zeroed or (`zeroed` false, small arrays
    // only; mmap memory is always zero) uninitialised.
    void allocate(size_t bytes, bool zeroed);
    uint8_t* data() const { return data_; }
    size_t bytes() const { return bytes_; }
    template <class T>
    T* as() const {
      return reinterpret_cast<T*>(data_);
    }

   private:
    uint8_t* data_ = nullptr;
    size_t bytes_ = 0;
  };

  // One column of chunked storage: chunk c holds rows [c * kChunkRows, (c + 1) * kChunkRows).
  struct ChunkedColumn {
    DataType type;
    std::vector<VectorPtr> chunks;
    // Raw pointers into the chunks, filled once the table is complete.
    std::vector<const uint8_t*> values;    // values, or offsets for strings
    std::vector<const uint8_t*> validity;  // nullptr when the chunk has no nulls
    std::vector<const char*> chars;        // string chunks
    bool any_nulls = false;
  };
  struct KeyColumn {
    DataType type;
    TypeId id = TypeId::kNull;
    bool null_safe = false;  // `<=>` rather than `=`
    // An array, map or struct key: held as its canonical key bytes (type binary, id kBinary) in
    // a computed column; probe keys are encoded the same way (vector/nested_key_encoding.h).
    bool nested = false;
    size_t column = 0;       // the chunked column holding the key's values
  };
  uint64_t* slots() const { return slots_.as<uint64_t>(); }
  static VectorPtr gather_generic(const ChunkedColumn& col, const uint32_t* rows, size_t n);

  std::vector<DataType> types_;
  std::vector<DataType> key_types_;
  size_t num_rows_ = 0;
  size_t num_groups_ = 0;
  size_t memory_bytes_ = 0;
  // Payload columns first (types_.size() of them), then computed keys (keys that are not plain
  // column references).
  std::vector<ChunkedColumn> columns_;
  std::vector<KeyColumn> keys_;
  Array slots_;
  size_t capacity_ = 0;
  size_t slot_mask_ = 0;
  Array next_;  // uint32 per build row; only rows in the directory are written
};

// Per-operator probing state over one (possibly shared) table. Not thread-safe.
//
// Usage, per probe batch:
//   probe.find(keys, n);                 // vectorised: hash, locate each row's key in the table
//   probe.first_match(i) / has_match(i)  // semi/anti joins need no more
//   while ((k = probe.next_pairs(p, b, cap)) > 0) { ... pairs (p[j], b[j]) ... }
// next_pairs lists every (probe row, build row) pair with equal keys, in probe-row order and, for
// each probe row, ascending build row; it stops after `capacity` pairs and continues where it
// stopped on the next call, so a probe batch that explodes into many matches comes out in chunks.
class JoinProbe {
 public:
  explicit JoinProbe(std::shared_ptr<const JoinHashTable> table);

  const JoinHashTable& table() const { return *table_; }

  // Locates the key of each of the n rows of `keys` (one vector per key column, flat or constant,
  // at least n rows, types equal to the table's key types) and restarts next_pairs at row 0.
  void find(const std::vector<VectorPtr>& keys, size_t n);
  // As find(), with hashes the caller computed (exactly hash_columns(keys, n)).
  void find_hashed(const std::vector<VectorPtr>& keys, size_t n, const uint64_t* hashes);

  // Rows of the last find().
  size_t num_rows() const { return n_; }
  // The first build row whose key equals probe row i's, or JoinHashTable::kNoRow.
  uint32_t first_match(size_t i) const {
    uint32_t h = heads_[i];
    return h == JoinHashTable::kNoRow ? h : (h & kRowMask);
  }
  bool has_match(size_t i) const { return heads_[i] != JoinHashTable::kNoRow; }

  // Writes up to `capacity` (probe row, build row) pairs; returns how many (0: all listed).
  // Probe rows with skip_rows[row] != 0 (when skip_rows is given) are passed over, including the
  // rest of a row's matches when the flag was set since the previous call: a semi join with a
  // residual condition stops enumerating a row once one pair passed.
  size_t next_pairs(uint32_t* probe_rows, uint32_t* build_rows, size_t capacity,
                    const uint8_t* skip_rows = nullptr);
  bool pairs_done() const { return row_ >= n_ && chain_ == JoinHashTable::kNoRow; }

 private:
  static constexpr uint32_t kMultiFlag = 0x80000000u;
  static constexpr uint32_t kRowMask = 0x7fffffffu;

  template <class T>
  void find_single_fixed(const Vector& key, size_t n, const uint64_t* hashes);
  void find_generic(const std::vector<const Vector*>& keys, size_t n, const uint64_t* hashes);
  // Marks rows with a null in an `=` key column (they match nothing); returns how many.
  size_t mark_null_keys(const std::vector<const Vector*>& keys, size_t n);

  std::shared_ptr<const JoinHashTable> table_;
  size_t n_ = 0;
  // Per probe row: first matching build row (| kMultiFlag when it has duplicates) or kNoRow.
  std::vector<uint32_t> heads_;
  // Enumeration cursor: the probe row, and the build row to emit next within its chain.
  size_t row_ = 0;
  uint32_t chain_ = JoinHashTable::kNoRow;

  // Scratch kept across batches.
  std::vector<uint64_t> hashes_;
  std::vector<uint64_t> pos_;
  std::vector<uint8_t> null_row_;
  std::vector<uint32_t> sel_;
  std::vector<uint32_t> cand_probe_;
  std::vector<uint32_t> cand_build_;
  std::vector<uint8_t> match_;
  std::vector<VectorPtr> flat_holder_;
  std::vector<VectorPtr> encoded_;  // the probe keys with nested ones encoded (when any)
};

}  // namespace ember
