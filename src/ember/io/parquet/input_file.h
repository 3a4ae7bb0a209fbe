#pragma once
// A read-only file opened for positioned reads (pread), shared by the readers of one Parquet file:
// row groups and column chunks may be read from several threads at once.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ember/vector/buffer.h"

namespace ember::parquet {

class InputFile {
 public:
  // Opens the file; throws EmberError(kIo, PATH_NOT_FOUND) when it does not exist, kIo otherwise.
  static std::shared_ptr<InputFile> open(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }

  // Reads exactly `length` bytes at `offset` into out (resized to length). A range outside the
  // file throws kMalformedInput (without the file name: callers add it with their context); a
  // failed or short read (the file shrank) throws kIo naming the file.
  void read_at(int64_t offset, size_t length, Buffer& out) const;
  void read_at(int64_t offset, size_t length, uint8_t* out) const;
  // Bytes read through read_at so far (footer, indexes and column chunks): how a test or a scan's
  // metrics see what pruning saved.
  int64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }

 private:
  InputFile(std::string path, int fd, int64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  int64_t size_;
  mutable std::atomic<int64_t> bytes_read_{0};
};

}  // namespace ember::parquet
