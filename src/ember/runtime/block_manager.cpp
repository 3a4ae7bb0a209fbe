#include "ember/runtime/block_manager.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <system_error>

#include <unistd.h>

#include "ember/common/byte_io.h"
#include "ember/common/error.h"
#include "ember/exec/hashtable/vector_hash.h"
#include "ember/io/parquet/compression.h"
#include "ember/runtime/shuffle/batch_serde.h"

namespace ember {

namespace fs = std::filesystem;

namespace {

// A block's bytes: "EMBK", u8 codec (0 none, 1 LZ4), u64 size of the uncompressed payload, then
// the payload (compressed or not): u32 batch count, then per batch a u64 length and batch_serde's
// bytes. Written and read by the same process run only.
constexpr char kMagic[4] = {'E', 'M', 'B', 'K'};
constexpr size_t kHeaderSize = 4 + 1 + 8;
constexpr uint8_t kCodecNone = 0;
constexpr uint8_t kCodecLz4 = 1;

std::vector<Batch> decode(const std::string& bytes) {
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 4) != 0) {
    throw_error(ErrorKind::kMalformedInput, "cached block has no block header");
  }
  ByteReader header(bytes.data() + 4, bytes.size() - 4, "cached block");
  const auto codec = header.get<uint8_t>("its codec");
  const auto raw_size = header.get<uint64_t>("its size");
  std::string inflated;
  size_t size = header.remaining();
  const char* data = header.take(size, "its payload");
  if (codec == kCodecLz4) {
    // A corrupt size must not turn into a huge allocation: LZ4 expands at most ~255x.
    if (raw_size > size * 256 + 64) throw_error(ErrorKind::kMalformedInput, "cached block has a bad size");
    inflated.resize(raw_size);
    parquet::decompress(parquet::CompressionCodec::kLz4Raw, reinterpret_cast<const uint8_t*>(data), size,
                        reinterpret_cast<uint8_t*>(inflated.data()), raw_size);
    data = inflated.data();
    size = inflated.size();
  } else if (codec != kCodecNone || raw_size != size) {
    throw_error(ErrorKind::kMalformedInput, "cached block has a bad header");
  }
  ByteReader payload(data, size, "cached block");
  const auto count = payload.get<uint32_t>("its batch count");
  std::vector<Batch> out;
  for (uint32_t i = 0; i < count; ++i) {
    const auto len = payload.get<uint64_t>("a batch length");
    out.push_back(deserialize_batch(payload.take(len, "a batch"), len));
  }
  return out;
}

std::string encode(const std::vector<Batch>& batches, bool compress) {
  std::string payload;
  append_pod<uint32_t>(payload, static_cast<uint32_t>(batches.size()));
  for (const auto& b : batches) {
    const size_t at = payload.size();
    append_pod<uint64_t>(payload, 0);
    serialize_batch(b, payload);
    const uint64_t len = payload.size() - at - sizeof(uint64_t);
    std::memcpy(payload.data() + at, &len, sizeof len);
  }
  std::string out(kMagic, 4);
  append_pod<uint8_t>(out, compress ? kCodecLz4 : kCodecNone);
  append_pod<uint64_t>(out, payload.size());
  if (compress) {
    parquet::compress(parquet::CompressionCodec::kLz4Raw, reinterpret_cast<const uint8_t*>(payload.data()),
                      payload.size(), out);
  } else {
    out += payload;
  }
  return out;
}

// Writes the bytes to `tmp`, then renames it to `path`, so a reader never sees half a file.
void write_block_file(const fs::path& tmp, const fs::path& path, const std::string& bytes) {
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  int err = f == nullptr ? errno : 0;
  if (f != nullptr) {
    // fflush/fclose are checked because a full disk often shows up only when buffers are written.
    if (std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) err = errno != 0 ? errno : EIO;
    if (err == 0 && std::fflush(f) != 0) err = errno;
    if (std::fclose(f) != 0 && err == 0) err = errno;
  }
  std::error_code ec;
  if (err == 0) fs::rename(tmp, path, ec);
  if (err != 0 || ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw_error(ErrorKind::kIo,
                "cannot write cached block " + path.string() + ": " +
                    std::error_code(err != 0 ? err : ec.value(), std::generic_category()).message());
  }
}

int64_t batches_bytes(const std::vector<Batch>& batches) {
  int64_t n = 0;
  for (const auto& b : batches) n += static_cast<int64_t>(b.byte_size());
  return n;
}

uint64_t checksum_of(const std::string& bytes) { return hash_bytes(bytes.data(), bytes.size()); }

std::optional<std::string> read_whole_file(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return std::nullopt;
  std::string out;
  char buf[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return std::nullopt;
  return out;
}

}  // namespace

std::string BlockId::name() const {
  return "rdd_" + std::to_string(rdd_id) + "_" + std::to_string(partition);
}

const std::vector<Batch>* UnstoredPartitions::find(const BlockId& id) const {
  auto it = partitions.find(id.rdd_id);
  if (it == partitions.end()) return nullptr;
  auto p = it->second.find(id.partition);
  return p == it->second.end() ? nullptr : &p->second;
}

BlockManager::BlockManager(int64_t memory_limit_bytes, fs::path disk_root)
    : disk_root_(std::move(disk_root)), memory_limit_(std::max<int64_t>(memory_limit_bytes, 0)) {
  static std::atomic<int> instance{0};
  fs::path root = disk_root_;
  if (root.empty()) {
    std::error_code ec;
    root = fs::temp_directory_path(ec);
    if (ec) root = "/tmp";
  }
  // pid + instance + random: unique across processes and managers, as the shuffle's spill dir.
  std::random_device rd;
  disk_dir_ = root / ("ember-blocks-" + std::to_string(::getpid()) + "-" + std::to_string(instance++) + "-" +
                      std::to_string(rd() % 1000000));
}

BlockManager::~BlockManager() {
  std::error_code ec;
  if (disk_dir_created_) fs::remove_all(disk_dir_, ec);
}

int BlockManager::new_rdd_id() {
  std::lock_guard<std::mutex> lock(mu_);
  return next_rdd_id_++;
}

void BlockManager::set_memory_limit(int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  memory_limit_ = std::max<int64_t>(bytes, 0);
  reserve_locked(0, -1);
}

void BlockManager::set_compress(bool compress) {
  std::lock_guard<std::mutex> lock(mu_);
  compress_ = compress;
}

void BlockManager::ensure_disk_dir_locked() {
  if (disk_dir_created_) return;
  std::error_code ec;
  fs::create_directories(disk_dir_, ec);
  if (ec)
    throw_error(ErrorKind::kIo,
                "cannot create the block directory " + disk_dir_.string() + ": " + ec.message());
  disk_dir_created_ = true;
}

fs::path BlockManager::temp_file_locked(const BlockId& id) {
  return disk_dir_ / (id.name() + ".tmp" + std::to_string(next_temp_++));
}

bool BlockManager::put(const BlockId& id, const std::vector<Batch>& batches, const StorageLevel& level) {
  remove_block(id);
  if (!level.is_valid()) return false;
  bool compress = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    compress = compress_;
  }
  std::shared_ptr<const std::string> bytes;
  if (level.use_memory) {
    int64_t size = 0;
    if (level.deserialized) {
      size = batches_bytes(batches);
    } else {
      bytes = std::make_shared<const std::string>(encode(batches, compress));
      size = static_cast<int64_t>(bytes->size());
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (reserve_locked(size, id.rdd_id)) {
      Block& b = blocks_[id];
      b.level = level;
      b.in_memory = true;
      if (level.deserialized) {
        b.batches = batches;
      } else {
        b.bytes = bytes;
      }
      b.memory_size = size;
      b.last_use = ++clock_;
      memory_bytes_ += size;
      return true;
    }
    // Memory is short: MEMORY_ONLY* keeps nothing (lineage recomputes it); the MEMORY_AND_DISK
    // levels go to disk, as Spark drops them there.
    if (!level.use_disk) return false;
  }
  if (!bytes) bytes = std::make_shared<const std::string>(encode(batches, compress));
  fs::path tmp;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ensure_disk_dir_locked();
    tmp = temp_file_locked(id);
  }
  write_block_file(tmp, block_file(id), *bytes);
  std::lock_guard<std::mutex> lock(mu_);
  Block& b = blocks_[id];
  b.level = level;
  b.on_disk = true;
  b.disk_size = static_cast<int64_t>(bytes->size());
  b.checksum = checksum_of(*bytes);
  b.last_use = ++clock_;
  disk_bytes_ += b.disk_size;
  return true;
}

bool BlockManager::reserve_locked(int64_t bytes, int rdd_id) {
  if (bytes > memory_limit_) return false;
  while (memory_bytes_ + bytes > memory_limit_) {
    auto victim = blocks_.end();
    for (auto it = blocks_.begin(); it != blocks_.end(); ++it) {
      if (!it->second.in_memory || it->first.rdd_id == rdd_id || pins_.count(it->first.rdd_id) > 0) continue;
      if (victim == blocks_.end() || it->second.last_use < victim->second.last_use) victim = it;
    }
    if (victim == blocks_.end()) return false;
    evict_locked(victim);
  }
  return true;
}

void BlockManager::evict_locked(std::map<BlockId, Block>::iterator it) {
  Block& b = it->second;
  ++evicted_;
  if (b.level.use_disk && !b.on_disk) {
    // The evicted block moves to disk. This runs under the lock (a rare path); a failed write
    // only loses the block, which lineage recomputes.
    try {
      ensure_disk_dir_locked();
      const std::string bytes = b.bytes ? *b.bytes : encode(b.batches, compress_);
      write_block_file(temp_file_locked(it->first), block_file(it->first), bytes);
      b.on_disk = true;
      b.disk_size = static_cast<int64_t>(bytes.size());
      b.checksum = checksum_of(bytes);
      disk_bytes_ += b.disk_size;
    } catch (const EmberError&) {
      // Dropped instead; see above.
    }
  }
  memory_bytes_ -= b.memory_size;
  b.in_memory = false;
  b.memory_size = 0;
  b.batches.clear();
  b.bytes.reset();
  if (!b.on_disk) blocks_.erase(it);
}

std::optional<std::vector<Batch>> BlockManager::get(const BlockId& id) {
  fs::path path;
  int64_t size = 0;
  uint64_t checksum = 0;
  std::shared_ptr<const std::string> bytes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = blocks_.find(id);
    if (it == blocks_.end()) return std::nullopt;
    Block& b = it->second;
    b.last_use = ++clock_;
    if (b.in_memory && !b.bytes) return b.batches;
    if (b.in_memory) {
      bytes = b.bytes;
    } else {
      path = block_file(id);
      size = b.disk_size;
      checksum = b.checksum;
    }
  }
  if (bytes) return decode(*bytes);  // bytes the manager keeps in memory itself cannot be damaged
  std::optional<std::string> data = read_whole_file(path);
  if (data && static_cast<int64_t>(data->size()) == size && checksum_of(*data) == checksum) {
    try {
      return decode(*data);
    } catch (const EmberError&) {
      // Damaged in a way the checksum missed: lost, like a missing file.
    }
  }
  remove_block(id);
  return std::nullopt;
}

bool BlockManager::contains(const BlockId& id) {
  fs::path path;
  int64_t size = 0;
  uint64_t checksum = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = blocks_.find(id);
    if (it == blocks_.end()) return false;
    if (it->second.in_memory) return true;
    path = block_file(id);
    size = it->second.disk_size;
    checksum = it->second.checksum;
  }
  std::optional<std::string> data = read_whole_file(path);
  if (data && static_cast<int64_t>(data->size()) == size && checksum_of(*data) == checksum) return true;
  remove_block(id);
  return false;
}

void BlockManager::forget_locked(std::map<BlockId, Block>::iterator it) {
  Block& b = it->second;
  memory_bytes_ -= b.memory_size;
  if (b.on_disk) {
    std::error_code ec;
    fs::remove(block_file(it->first), ec);
    disk_bytes_ -= b.disk_size;
  }
  blocks_.erase(it);
}

void BlockManager::remove_block(const BlockId& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = blocks_.find(id);
  if (it != blocks_.end()) forget_locked(it);
}

void BlockManager::remove_rdd(int rdd_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = blocks_.lower_bound(BlockId{rdd_id, std::numeric_limits<int>::min()});
  while (it != blocks_.end() && it->first.rdd_id == rdd_id) forget_locked(it++);
}

BlockManager::Pin::~Pin() {
  if (manager_ == nullptr) return;
  std::lock_guard<std::mutex> lock(manager_->mu_);
  if (--manager_->pins_[rdd_id_] == 0) manager_->pins_.erase(rdd_id_);
}

BlockManager::Pin BlockManager::pin(int rdd_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++pins_[rdd_id];
  return Pin(this, rdd_id);
}

std::optional<BlockManager::BlockStatus> BlockManager::status(const BlockId& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = blocks_.find(id);
  if (it == blocks_.end()) return std::nullopt;
  BlockStatus s;
  s.in_memory = it->second.in_memory;
  s.serialized = it->second.bytes != nullptr;
  s.on_disk = it->second.on_disk;
  s.memory_bytes = it->second.memory_size;
  s.disk_bytes = it->second.disk_size;
  return s;
}

std::vector<BlockId> BlockManager::block_ids() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<BlockId> out;
  for (const auto& [id, b] : blocks_) out.push_back(id);
  return out;
}

int64_t BlockManager::memory_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return memory_bytes_;
}

int64_t BlockManager::disk_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return disk_bytes_;
}

int64_t BlockManager::memory_limit() const {
  std::lock_guard<std::mutex> lock(mu_);
  return memory_limit_;
}

int64_t BlockManager::blocks_evicted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return evicted_;
}

}  // namespace ember
