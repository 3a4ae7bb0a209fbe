#include "ember/io/parquet/input_file.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ember/common/error.h"

namespace ember::parquet {

std::shared_ptr<InputFile> InputFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT)
      throw_error(ErrorKind::kIo, "PATH_NOT_FOUND", "Path does not exist: file:" + path + ".");
    throw_error(ErrorKind::kIo, "cannot open Parquet file " + path + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw_error(ErrorKind::kIo, "cannot stat Parquet file " + path + ": " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw_error(ErrorKind::kIo, "cannot read Parquet file " + path + ": it is a directory");
  }
  return std::shared_ptr<InputFile>(new InputFile(path, fd, static_cast<int64_t>(st.st_size)));
}

InputFile::~InputFile() { ::close(fd_); }

void InputFile::read_at(int64_t offset, size_t length, Buffer& out) const {
  out.resize(length);
  read_at(offset, length, out.data());
}

void InputFile::read_at(int64_t offset, size_t length, uint8_t* out) const {
  if (offset < 0 || static_cast<uint64_t>(offset) + length > static_cast<uint64_t>(size_)) {
    throw_error(ErrorKind::kMalformedInput, "a read of " + std::to_string(length) + " bytes at offset " +
                                                std::to_string(offset) + " lies outside the file of " +
                                                std::to_string(size_) + " bytes");
  }
  bytes_read_.fetch_add(static_cast<int64_t>(length), std::memory_order_relaxed);
  size_t done = 0;
  while (done < length) {
    ssize_t n =
        ::pread(fd_, out + done, length - done, static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_error(ErrorKind::kIo, "cannot read Parquet file " + path_ + ": " + std::strerror(errno));
    }
    if (n == 0) {
      throw_error(ErrorKind::kIo, "cannot read Parquet file " + path_ +
                                      ": it ended early (was it truncated "
                                      "while being read?)");
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace ember::parquet
