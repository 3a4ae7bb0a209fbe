#pragma once
// The local-mode block manager: where cached DataFrames keep their partitions (Spark's
// BlockManager with its MemoryStore and DiskStore, reduced to one process).
//
// A cached DataFrame is an "RDD" with an id; each of its partitions is one block, named as Spark
// names it, "rdd_<id>_<partition>". A block is stored as its StorageLevel says:
//  - in memory, deserialized (MEMORY_ONLY, MEMORY_AND_DISK): the batches themselves;
//  - in memory, serialized (MEMORY_ONLY_SER, MEMORY_AND_DISK_SER, OFF_HEAP — ember has no heap of
//    its own to leave, so off-heap is serialized memory): the bytes of batch_serde, compressed with
//    LZ4 when `compress` is on (spark.rdd.compress);
//  - on disk (DISK_ONLY, and the MEMORY_AND_DISK levels when memory is short): the same bytes in
//    a file "<disk dir>/rdd_<id>_<partition>", with a checksum kept in memory so a damaged file is
//    noticed and treated as lost.
// Memory blocks share one budget (spark.ember.storage.memoryLimitBytes). Storing a block that
// does not fit evicts the least recently used memory blocks of OTHER cached DataFrames (Spark's
// rule: evicting a sibling partition to make room would only thrash) that are not pinned; an
// evicted block whose level uses disk moves to disk, any other is dropped. A block that still
// does not fit goes to disk if its level allows, else is not stored (put returns false) and is
// recomputed from lineage when next needed. Replication is recorded but one copy is kept.
//
// Threading: every method may be called from any thread. Serialising, compressing and writing a
// block's own file happen outside the lock; moving an evicted block to disk happens under it.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ember/plan/storage_level.h"
#include "ember/vector/batch.h"

namespace ember {

struct BlockId {
  int rdd_id = 0;
  int partition = 0;
  std::string name() const;  // "rdd_<id>_<partition>"
  friend auto operator<=>(const BlockId&, const BlockId&) = default;
};

// Partitions one query computed for its cached relations that the block manager did not keep
// (a MEMORY_ONLY block that did not fit): the query's scans read them from here, so the query
// never computes them twice; the next query recomputes them. Keyed by rdd id, then partition.
struct UnstoredPartitions {
  std::map<int, std::map<int, std::vector<Batch>>> partitions;
  const std::vector<Batch>* find(const BlockId& id) const;
};

class BlockManager {
 public:
  static constexpr int64_t kDefaultMemoryLimitBytes = int64_t{2} << 30;  // 2 GiB

  // disk_root: where the block directory is created (on the first disk write); empty → the
  // system temp directory. The directory is deleted with the manager.
  explicit BlockManager(int64_t memory_limit_bytes = kDefaultMemoryLimitBytes,
                        std::filesystem::path disk_root = {});
  ~BlockManager();
  BlockManager(const BlockManager&) = delete;
  BlockManager& operator=(const BlockManager&) = delete;

  // A fresh id for a newly cached DataFrame.
  int new_rdd_id();
  // Changes the memory budget; blocks over it are evicted at once (pinned ones stay).
  void set_memory_limit(int64_t bytes);
  // spark.rdd.compress: compress serialized blocks (memory and disk) with LZ4 from now on.
  void set_compress(bool compress);

  // Stores one computed partition at `level`, replacing any earlier copy. Returns whether it was
  // stored (false: a MEMORY_ONLY* block that did not fit, or level NONE).
  bool put(const BlockId& id, const std::vector<Batch>& batches, const StorageLevel& level);
  // The block's batches, or nullopt when it is not stored: never stored, evicted, removed, or its
  // disk file is missing or damaged (such a block is forgotten). Marks the block recently used.
  std::optional<std::vector<Batch>> get(const BlockId& id);
  // Whether the block can be read: a memory copy, or a disk file whose size and checksum match
  // (reads the whole file; a damaged one is forgotten and deleted).
  bool contains(const BlockId& id);
  // Forgets one block and deletes its file. Also the hook tests use to "lose" a block.
  void remove_block(const BlockId& id);
  // unpersist(): forgets every block of the RDD and deletes their files.
  void remove_rdd(int rdd_id);

  // While a Pin lives, the RDD's memory blocks are not evicted: a query pins every cached
  // relation it reads, so storing one of them cannot push out another it is about to scan.
  class Pin {
   public:
    Pin() = default;
    Pin(BlockManager* manager, int rdd_id) : manager_(manager), rdd_id_(rdd_id) {}
    Pin(Pin&& other) noexcept : manager_(other.manager_), rdd_id_(other.rdd_id_) { other.manager_ = nullptr; }
    Pin& operator=(Pin&&) = delete;
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;
    ~Pin();

   private:
    BlockManager* manager_ = nullptr;
    int rdd_id_ = 0;
  };
  Pin pin(int rdd_id);

  struct BlockStatus {
    bool in_memory = false;
    bool serialized = false;  // the memory copy is bytes rather than batches
    bool on_disk = false;
    int64_t memory_bytes = 0;
    int64_t disk_bytes = 0;
  };
  std::optional<BlockStatus> status(const BlockId& id) const;
  std::vector<BlockId> block_ids() const;
  int64_t memory_bytes() const;
  int64_t disk_bytes() const;
  int64_t memory_limit() const;
  int64_t blocks_evicted() const;  // memory blocks evicted since the manager was made
  const std::filesystem::path& disk_dir() const { return disk_dir_; }
  std::filesystem::path block_file(const BlockId& id) const { return disk_dir_ / id.name(); }

 private:
  struct Block {
    StorageLevel level;
    std::vector<Batch> batches;                // in memory, deserialized
    std::shared_ptr<const std::string> bytes;  // in memory, serialized
    bool in_memory = false;
    int64_t memory_size = 0;
    bool on_disk = false;
    int64_t disk_size = 0;
    uint64_t checksum = 0;  // of the disk file
    uint64_t last_use = 0;  // LRU clock
  };

  // Frees memory for `bytes` more by evicting LRU blocks of other, unpinned RDDs; false when that
  // is not enough. Caller holds mu_.
  bool reserve_locked(int64_t bytes, int rdd_id);
  // Moves a memory block to disk when its level allows, else forgets it. Caller holds mu_.
  void evict_locked(std::map<BlockId, Block>::iterator it);
  void forget_locked(std::map<BlockId, Block>::iterator it);
  void ensure_disk_dir_locked();
  std::filesystem::path temp_file_locked(const BlockId& id);  // a fresh name to write a file under

  const std::filesystem::path disk_root_;
  std::filesystem::path disk_dir_;
  mutable std::mutex mu_;
  std::map<BlockId, Block> blocks_;
  std::map<int, int> pins_;  // rdd id → live pins
  int64_t memory_limit_;
  int64_t memory_bytes_ = 0;
  int64_t disk_bytes_ = 0;
  int64_t evicted_ = 0;
  uint64_t clock_ = 0;
  uint64_t next_temp_ = 0;
  int next_rdd_id_ = 0;
  bool compress_ = false;
  bool disk_dir_created_ = false;
};

}  // namespace ember
