#include "ember/io/csv/csv_scanner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "ember/common/error.h"

namespace ember::csv_internal {

namespace {

constexpr size_t kInitialBuffer = 4u << 20;
// Bytes read at a time once past the range end: only the straddling record is still needed.
constexpr size_t kTailRead = 64u << 10;
// The tokenizer's SIMD loads may run this far past the valid bytes.
constexpr size_t kPadding = 64;
constexpr size_t kMaxBuffer = size_t{1} << 30;

[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw_error(ErrorKind::kIo, what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Scanner::Scanner(std::string path, int64_t start, int64_t end, const CsvOptions& options)
    : path_(std::move(path)), end_(end), d_(Dialect::from(options)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    if (errno == ENOENT) {
      throw_error(ErrorKind::kIo, "PATH_NOT_FOUND", "Path does not exist: file:" + path_ + ".");
    }
    io_error("cannot open", path_);
  }
  struct stat st{};
  if (::fstat(fd_, &st) != 0) io_error("cannot stat", path_);
  file_size_ = st.st_size;
  if (end_ > file_size_) end_ = file_size_;
#if defined(POSIX_FADV_SEQUENTIAL)
  ::posix_fadvise(fd_, start, 0, POSIX_FADV_SEQUENTIAL);
#endif
  cap_ = kInitialBuffer;
  if (end_ - start + static_cast<int64_t>(kTailRead) < static_cast<int64_t>(cap_)) {
    cap_ = static_cast<size_t>(std::max<int64_t>(end_ - start, 0)) + kTailRead;
  }
  buf_ = static_cast<char*>(std::malloc(cap_ + kPadding));
  if (buf_ == nullptr) throw std::bad_alloc();
  std::memset(buf_ + cap_, 0, kPadding);
  if (start <= 0) {
    buf_off_ = 0;
    refill();
    while (len_ < 3 && !eof_) refill();
    if (len_ >= 3 && static_cast<unsigned char>(buf_[0]) == 0xEF &&
        static_cast<unsigned char>(buf_[1]) == 0xBB && static_cast<unsigned char>(buf_[2]) == 0xBF) {
      pos_ = 3;
    }
  } else {
    buf_off_ = start - 1;
    align_to_line_start();
  }
  record_start_ = record_end_ = buf_off_ + static_cast<int64_t>(pos_);
  last_record_offset_ = record_start_;
}

Scanner::~Scanner() {
  if (fd_ >= 0) ::close(fd_);
  std::free(buf_);
}

void Scanner::refill() {
  if (pos_ > 0) {
    std::memmove(buf_, buf_ + pos_, len_ - pos_);
    buf_off_ += static_cast<int64_t>(pos_);
    len_ -= pos_;
    pos_ = 0;
  }
  if (eof_) return;
  if (len_ == cap_) {
    if (cap_ >= kMaxBuffer) {
      throw_error(ErrorKind::kMalformedInput, "MALFORMED_RECORD_IN_PARSING",
                  "a CSV record in file " + path_ + " at byte " + std::to_string(buf_off_) +
                      " is larger than 1 GiB; is a quote left open? (consider option quote or multiLine)");
    }
    size_t fresh = std::min(cap_ * 2, kMaxBuffer);
    char* grown = static_cast<char*>(std::realloc(buf_, fresh + kPadding));
    if (grown == nullptr) throw std::bad_alloc();
    buf_ = grown;
    cap_ = fresh;
    std::memset(buf_ + cap_, 0, kPadding);
  }
  int64_t file_pos = buf_off_ + static_cast<int64_t>(len_);
  size_t want = cap_ - len_;
  int64_t to_end = end_ - file_pos;
  if (to_end <= 0) want = std::min(want, kTailRead);
  else if (static_cast<uint64_t>(to_end) + kTailRead < want) want = static_cast<size_t>(to_end) + kTailRead;
  for (;;) {
    ssize_t n = ::pread(fd_, buf_ + len_, want, file_pos);
    if (n < 0) {
      if (errno == EINTR) continue;
      io_error("cannot read", path_);
    }
    if (n == 0) {
      eof_ = true;
    } else {
      len_ += static_cast<size_t>(n);
      bytes_read_ += n;
      if (buf_off_ + static_cast<int64_t>(len_) >= file_size_) eof_ = true;
    }
    break;
  }
}

void Scanner::align_to_line_start() {
  for (;;) {
    if (pos_ >= len_) {
      if (eof_) return;  // no line starts in the range
      refill();
      continue;
    }
    const char* end = buf_ + len_;
    const char* t = find_any2(buf_ + pos_, end, d_.nl1, d_.nl2);
    if (t == end) {
      pos_ = len_;
      continue;
    }
    if (d_.crlf && *t == '\r') {
      if (t + 1 == end && !eof_) {
        pos_ = static_cast<size_t>(t - buf_);
        refill();
        continue;
      }
      pos_ = static_cast<size_t>(t + 1 - buf_);
      if (t + 1 < end && t[1] == '\n') ++pos_;
      return;
    }
    pos_ = static_cast<size_t>(t + 1 - buf_);
    return;
  }
}

bool Scanner::skip_line(const char* from) {
  const char* end = buf_ + len_;
  const char* t = find_any2(from, end, d_.nl1, d_.nl2);
  if (t == end) {
    if (!eof_) return false;
    pos_ = len_;
  } else if (d_.crlf && *t == '\r') {
    if (t + 1 == end && !eof_) return false;
    pos_ = static_cast<size_t>(t + 1 - buf_);
    if (t + 1 < end && t[1] == '\n') ++pos_;
  } else {
    pos_ = static_cast<size_t>(t + 1 - buf_);
  }
  record_end_ = buf_off_ + static_cast<int64_t>(pos_);
  return true;
}

int64_t line_number_at(const std::string& path, int64_t offset, int64_t from_offset, int64_t from_line) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  std::string chunk(1 << 20, '\0');
  int64_t lines = from_line;
  int64_t pos = from_offset;
  bool prev_cr = false;
  while (pos < offset) {
    size_t want = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(chunk.size()), offset - pos));
    ssize_t n = ::pread(fd, chunk.data(), want, pos);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      char c = chunk[static_cast<size_t>(i)];
      if (c == '\n') {
        if (!prev_cr) ++lines;  // \r\n was counted at the \r
        prev_cr = false;
      } else if (c == '\r') {
        ++lines;
        prev_cr = true;
      } else {
        prev_cr = false;
      }
    }
    pos += n;
  }
  ::close(fd);
  return lines;
}

}  // namespace ember::csv_internal
