#include "ember/runtime/shuffle/local_shuffle_manager.h"

#include <cerrno>
#include <cstdio>
#include <limits>
#include <random>
#include <system_error>

#include <unistd.h>

#include "ember/common/error.h"
#include "ember/runtime/shuffle/batch_serde.h"

namespace ember {

namespace fs = std::filesystem;

namespace {

std::string os_error(int err) { return std::error_code(err, std::generic_category()).message(); }

[[noreturn]] void throw_io(const std::string& what, const fs::path& path, int err) {
  throw_error(ErrorKind::kIo, what + " " + path.string() + ": " + os_error(err));
}

// Appends `bytes` to `path`; fflush/fclose are checked because a full disk often shows up only
// when buffered data is finally written.
void append_to_file(const fs::path& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (f == nullptr) throw_io("cannot open shuffle spill file", path, errno);
  size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  int err = written == bytes.size() ? 0 : errno;
  if (err == 0 && std::fflush(f) != 0) err = errno;
  if (std::fclose(f) != 0 && err == 0) err = errno;
  if (err != 0 || written != bytes.size()) throw_io("cannot write shuffle spill file", path, err != 0 ? err : EIO);
}

}  // namespace

LocalShuffleManager::LocalShuffleManager(int64_t memory_limit_bytes, fs::path spill_root)
    : memory_limit_(memory_limit_bytes < 0 ? 0 : memory_limit_bytes), spill_root_(std::move(spill_root)) {
  static std::atomic<int> instance{0};
  fs::path root = spill_root_;
  if (root.empty()) {
    std::error_code ec;
    root = fs::temp_directory_path(ec);
    if (ec) root = "/tmp";
  }
  // pid + instance + random: unique across concurrent processes and managers in one process.
  std::random_device rd;
  spill_dir_ = root / ("ember-shuffle-" + std::to_string(::getpid()) + "-" + std::to_string(instance++) + "-" +
                       std::to_string(rd() % 1000000));
}

LocalShuffleManager::~LocalShuffleManager() {
  std::error_code ec;
  if (spill_dir_created_) fs::remove_all(spill_dir_, ec);
}

int64_t LocalShuffleManager::memory_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return memory_bytes_;
}

void LocalShuffleManager::ensure_spill_dir() {
  if (spill_dir_created_) return;
  std::error_code ec;
  fs::create_directories(spill_dir_, ec);
  if (ec) throw_error(ErrorKind::kIo, "cannot create shuffle spill directory " + spill_dir_.string() + ": " + ec.message());
  spill_dir_created_ = true;
}

LocalShuffleManager::Shuffle& LocalShuffleManager::get_locked(int shuffle_id, const char* op) {
  auto it = shuffles_.find(shuffle_id);
  EMBER_CHECK(it != shuffles_.end(), std::string(op) + " of unregistered shuffle " + std::to_string(shuffle_id));
  return it->second;
}

void LocalShuffleManager::register_shuffle(int shuffle_id, int num_maps, int num_reduces) {
  EMBER_CHECK(num_maps >= 0 && num_reduces >= 0, "negative shuffle dimensions");
  std::lock_guard<std::mutex> lock(mu_);
  Shuffle s;
  s.num_maps = num_maps;
  s.num_reduces = num_reduces;
  s.pending.resize(static_cast<size_t>(num_maps));
  s.committed.resize(static_cast<size_t>(num_maps));
  EMBER_CHECK(shuffles_.emplace(shuffle_id, std::move(s)).second,
              "shuffle " + std::to_string(shuffle_id) + " registered twice");
}

void LocalShuffleManager::write(int shuffle_id, int map_id, int reduce_id, Batch batch) {
  std::shared_ptr<MapOutput> out;
  fs::path file;
  int64_t offset = 0;
  int64_t size_bytes = 0;
  int64_t rows = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Shuffle& s = get_locked(shuffle_id, "write");
    EMBER_CHECK(map_id >= 0 && map_id < s.num_maps, "map id " + std::to_string(map_id) + " out of range");
    EMBER_CHECK(reduce_id >= 0 && reduce_id < s.num_reduces, "reduce id " + std::to_string(reduce_id) + " out of range");
    if (batch.num_rows == 0) return;
    auto& slot = s.pending[static_cast<size_t>(map_id)];
    if (!slot) {
      slot = std::make_shared<MapOutput>();
      slot->by_reduce.resize(static_cast<size_t>(s.num_reduces));
    }
    out = slot;
    auto bytes = static_cast<int64_t>(batch.byte_size());
    size_bytes = bytes;
    rows = static_cast<int64_t>(batch.num_rows);
    if (memory_bytes_ + bytes <= memory_limit_) {
      memory_bytes_ += bytes;
      Block b;
      b.batch = std::move(batch);
      b.bytes = bytes;
      b.size_bytes = bytes;
      b.rows = rows;
      out->by_reduce[static_cast<size_t>(reduce_id)].push_back(std::move(b));
      return;
    }
    ensure_spill_dir();
    if (out->spill_file.empty()) {
      out->spill_file = spill_dir_ / ("shuffle_" + std::to_string(shuffle_id) + "_map_" + std::to_string(map_id) +
                                      "_" + std::to_string(next_file_++) + ".spill");
    }
    // Only one attempt writes a map at a time (see ShuffleManager), so nobody else appends to
    // this file between here and the append below.
    file = out->spill_file;
    offset = out->spill_size;
  }
  std::string bytes = serialize_batch(batch);
  append_to_file(file, bytes);
  auto len = static_cast<int64_t>(bytes.size());
  bytes_spilled_ += len;
  std::lock_guard<std::mutex> lock(mu_);
  out->spill_size = offset + len;
  Block b;
  b.spilled = true;
  b.offset = offset;
  b.length = len;
  b.size_bytes = size_bytes;
  b.rows = rows;
  out->by_reduce[static_cast<size_t>(reduce_id)].push_back(std::move(b));
}

void LocalShuffleManager::discard_locked(const std::shared_ptr<MapOutput>& out) {
  if (!out) return;
  for (const auto& blocks : out->by_reduce) {
    for (const auto& b : blocks) memory_bytes_ -= b.bytes;
  }
  if (!out->spill_file.empty()) {
    std::error_code ec;
    fs::remove(out->spill_file, ec);  // best effort: the directory goes at shutdown anyway
  }
}

void LocalShuffleManager::commit_map_output(int shuffle_id, int map_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Shuffle& s = get_locked(shuffle_id, "commit");
  EMBER_CHECK(map_id >= 0 && map_id < s.num_maps, "map id " + std::to_string(map_id) + " out of range");
  auto& pending = s.pending[static_cast<size_t>(map_id)];
  if (!pending) {
    // A map that wrote nothing still commits: an empty output replaces an earlier attempt's.
    pending = std::make_shared<MapOutput>();
    pending->by_reduce.resize(static_cast<size_t>(s.num_reduces));
  }
  auto& committed = s.committed[static_cast<size_t>(map_id)];
  discard_locked(committed);
  committed = std::move(pending);
  pending.reset();
}

void LocalShuffleManager::abort_map_output(int shuffle_id, int map_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end() || map_id < 0 || map_id >= it->second.num_maps) return;
  auto& pending = it->second.pending[static_cast<size_t>(map_id)];
  discard_locked(pending);
  pending.reset();
}

std::vector<Batch> LocalShuffleManager::read(int shuffle_id, int reduce_id) {
  return read_maps(shuffle_id, reduce_id, 0, std::numeric_limits<int>::max());
}

MapOutputStatistics LocalShuffleManager::map_output_statistics(int shuffle_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Shuffle& s = get_locked(shuffle_id, "statistics");
  MapOutputStatistics stats;
  const auto reduces = static_cast<size_t>(s.num_reduces);
  stats.bytes_by_partition.assign(reduces, 0);
  stats.rows_by_partition.assign(reduces, 0);
  stats.bytes_by_map.assign(s.committed.size(), std::vector<int64_t>(reduces, 0));
  for (size_t m = 0; m < s.committed.size(); ++m) {
    if (!s.committed[m]) continue;
    for (size_t r = 0; r < reduces; ++r) {
      for (const auto& b : s.committed[m]->by_reduce[r]) {
        stats.bytes_by_map[m][r] += b.size_bytes;
        stats.bytes_by_partition[r] += b.size_bytes;
        stats.rows_by_partition[r] += b.rows;
      }
    }
  }
  return stats;
}

std::vector<Batch> LocalShuffleManager::read_maps(int shuffle_id, int reduce_id, int start_map, int end_map) {
  std::vector<std::shared_ptr<MapOutput>> outputs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Shuffle& s = get_locked(shuffle_id, "read");
    EMBER_CHECK(reduce_id >= 0 && reduce_id < s.num_reduces, "reduce id " + std::to_string(reduce_id) + " out of range");
    EMBER_CHECK(start_map >= 0 && start_map <= end_map, "bad map range in shuffle read");
    // shared_ptr copies keep the outputs alive while we read unlocked
    const auto first = std::min(static_cast<size_t>(start_map), s.committed.size());
    const auto last = std::min(static_cast<size_t>(end_map), s.committed.size());
    outputs.assign(s.committed.begin() + static_cast<std::ptrdiff_t>(first),
                   s.committed.begin() + static_cast<std::ptrdiff_t>(last));
  }
  std::vector<Batch> result;
  std::string buf;
  for (const auto& out : outputs) {
    if (!out) continue;
    // Blocks of one map for one reduce are immutable once committed.
    const auto& blocks = out->by_reduce[static_cast<size_t>(reduce_id)];
    std::FILE* f = nullptr;
    try {
      for (const auto& b : blocks) {
        if (!b.spilled) {
          result.push_back(b.batch);
          continue;
        }
        if (f == nullptr) {
          f = std::fopen(out->spill_file.c_str(), "rb");
          if (f == nullptr) throw_io("cannot open shuffle spill file", out->spill_file, errno);
        }
        buf.resize(static_cast<size_t>(b.length));
        if (std::fseek(f, static_cast<long>(b.offset), SEEK_SET) != 0) {
          throw_io("cannot seek in shuffle spill file", out->spill_file, errno);
        }
        if (std::fread(buf.data(), 1, buf.size(), f) != buf.size()) {
          throw_io("cannot read shuffle spill file", out->spill_file, std::ferror(f) ? errno : EIO);
        }
        try {
          result.push_back(deserialize_batch(buf));
        } catch (const EmberError& e) {
          throw_error(ErrorKind::kIo, "shuffle spill file " + out->spill_file.string() + " is corrupt: " + e.what());
        }
      }
    } catch (...) {
      if (f != nullptr) std::fclose(f);
      throw;
    }
    if (f != nullptr) std::fclose(f);
  }
  return result;
}

void LocalShuffleManager::remove_shuffle(int shuffle_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = shuffles_.find(shuffle_id);
  if (it == shuffles_.end()) return;
  for (const auto& out : it->second.pending) discard_locked(out);
  for (const auto& out : it->second.committed) discard_locked(out);
  shuffles_.erase(it);
}

}  // namespace ember
