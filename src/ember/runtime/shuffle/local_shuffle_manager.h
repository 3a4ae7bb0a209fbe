#pragma once
// The local-mode shuffle service: blocks live in memory until the bytes held exceed a limit
// (spark.ember.shuffle.memoryLimitBytes); from then on, newly written blocks are serialised
// (batch_serde.h) and appended to a spill file, and read() loads them back transparently.
//
// Spill files live in one directory per manager, "<system temp>/ember-shuffle-<pid>-<n>/",
// created on the first spill and deleted (recursively) by the destructor. Each map attempt gets
// its own spill file, so concurrent map tasks never share a file and aborting/replacing an attempt
// deletes exactly its file.
//
// Threading: see ShuffleManager. Serialisation and file I/O happen outside the manager's lock.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/runtime/shuffle/shuffle_manager.h"

namespace ember {

class LocalShuffleManager : public ShuffleManager {
 public:
  static constexpr int64_t kDefaultMemoryLimitBytes = int64_t{1} << 30;  // 1 GiB

  // memory_limit_bytes: spill once the in-memory blocks would exceed this (0 → spill everything).
  // spill_root: where the spill directory is created; empty → std::filesystem::temp_directory_path().
  explicit LocalShuffleManager(int64_t memory_limit_bytes = kDefaultMemoryLimitBytes,
                               std::filesystem::path spill_root = {});
  ~LocalShuffleManager() override;  // deletes the spill directory; errors are ignored
  LocalShuffleManager(const LocalShuffleManager&) = delete;
  LocalShuffleManager& operator=(const LocalShuffleManager&) = delete;

  void register_shuffle(int shuffle_id, int num_maps, int num_reduces) override;
  void write(int shuffle_id, int map_id, int reduce_id, Batch batch) override;
  void commit_map_output(int shuffle_id, int map_id) override;
  void abort_map_output(int shuffle_id, int map_id) override;
  std::vector<Batch> read(int shuffle_id, int reduce_id) override;
  std::vector<Batch> read_maps(int shuffle_id, int reduce_id, int start_map, int end_map) override;
  MapOutputStatistics map_output_statistics(int shuffle_id) override;
  void remove_shuffle(int shuffle_id) override;
  int64_t bytes_spilled() const override { return bytes_spilled_.load(); }

  // Bytes of blocks currently held in memory (committed and uncommitted).
  int64_t memory_bytes() const;
  // The spill directory (it exists only after the first spill).
  const std::filesystem::path& spill_dir() const { return spill_dir_; }

 private:
  struct Block {
    Batch batch;         // when in memory
    int64_t bytes = 0;   // accounted in-memory size (0 for spilled blocks)
    bool spilled = false;
    int64_t offset = 0;  // within the attempt's spill file
    int64_t length = 0;
    int64_t size_bytes = 0;  // the batch's in-memory size, spilled or not (statistics)
    int64_t rows = 0;
  };
  // One attempt's output of one map task.
  struct MapOutput {
    std::vector<std::vector<Block>> by_reduce;  // [reduce_id] → blocks in write order
    std::filesystem::path spill_file;  // empty until the attempt spills
    int64_t spill_size = 0;
  };
  struct Shuffle {
    int num_maps = 0;
    int num_reduces = 0;
    std::vector<std::shared_ptr<MapOutput>> pending;    // by map id; null when nothing written
    std::vector<std::shared_ptr<MapOutput>> committed;  // by map id
  };

  Shuffle& get_locked(int shuffle_id, const char* op);
  // Releases memory accounting and deletes the spill file of an output nobody references.
  void discard_locked(const std::shared_ptr<MapOutput>& out);
  void ensure_spill_dir();

  const int64_t memory_limit_;
  const std::filesystem::path spill_root_;
  std::filesystem::path spill_dir_;
  mutable std::mutex mu_;
  std::map<int, Shuffle> shuffles_;
  int64_t memory_bytes_ = 0;
  int64_t next_file_ = 0;
  bool spill_dir_created_ = false;
  std::atomic<int64_t> bytes_spilled_{0};
};

}  // namespace ember
