#pragma once
// Internal to the CSV reader: walks the records of one byte range of a file. The range owns the
// records that start inside it; a record that straddles the range end is finished by reading on.
// The scanner reads with large pread calls into a buffer it owns; records are tokenized in place.
#include <cstdint>
#include <string>

#include "ember/io/csv/csv_options.h"
#include "ember/io/csv/csv_tokenizer.h"

namespace ember::csv_internal {

class Scanner {
 public:
  // Records starting in [start, end) of `path`. For start > 0 the partial line before the first
  // line start at or after `start` is skipped; at start == 0 a UTF-8 BOM is skipped.
  Scanner(std::string path, int64_t start, int64_t end, const CsvOptions& options);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  enum class Step { kRecord, kEnd, kBlocked };

  // Parses the next record into `sink`, skipping empty, blank and comment lines. kBlocked means
  // the record continues past the buffered bytes and may_refill was false: the caller must stop
  // using field references into the buffer before calling again with may_refill = true.
  template <class Sink>
  Step next(Sink& sink, bool may_refill, RecordResult& info);

  const char* base() const { return buf_; }
  const std::string& side() const { return side_; }
  void clear_side() { side_.clear(); }
  const std::string& path() const { return path_; }
  // File offset where the first owned line starts, and just past the last consumed line.
  int64_t record_start() const { return record_start_; }
  int64_t record_end() const { return record_end_; }
  // File offset of the record last returned by next().
  int64_t last_record_offset() const { return last_record_offset_; }
  // File offset of base()[0]; the bytes of every record returned since the last refill stay in
  // the buffer, so [last_record_offset(), record_end()) can be read back from base().
  int64_t buffer_offset() const { return buf_off_; }
  int64_t bytes_read() const { return bytes_read_; }
  const Dialect& dialect() const { return d_; }

 private:
  void refill();
  void align_to_line_start();
  // Consumes a comment or empty line at pos_; false when the buffer ends before its terminator.
  bool skip_line(const char* from);

  std::string path_;
  int fd_ = -1;
  int64_t end_;
  int64_t file_size_ = 0;
  char* buf_ = nullptr;
  size_t cap_ = 0;
  size_t len_ = 0;
  size_t pos_ = 0;
  int64_t buf_off_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
  int64_t bytes_read_ = 0;
  int64_t record_start_ = 0;
  int64_t record_end_ = 0;
  int64_t last_record_offset_ = 0;
  Dialect d_;
  std::string side_;
};

template <class Sink>
Scanner::Step Scanner::next(Sink& sink, bool may_refill, RecordResult& info) {
  for (;;) {
    if (buf_off_ + static_cast<int64_t>(pos_) >= end_) return Step::kEnd;
    if (pos_ >= len_) {
      if (eof_) return Step::kEnd;
      if (!may_refill) return Step::kBlocked;
      refill();
      continue;
    }
    const char* p = buf_ + pos_;
    char c = *p;
    if (c == d_.nl1 || c == d_.nl2 || (d_.comment != '\0' && c == d_.comment)) {
      if (!skip_line(p)) {
        if (!may_refill) return Step::kBlocked;
        refill();
      }
      continue;
    }
    size_t side_mark = side_.size();
    RecordResult r = parse_record(d_, buf_, p, buf_ + len_, eof_, side_, sink);
    if (r.status == RecordStatus::kNeedMore) {
      side_.resize(side_mark);
      if (!may_refill) return Step::kBlocked;
      refill();
      continue;
    }
    last_record_offset_ = buf_off_ + static_cast<int64_t>(pos_);
    pos_ = static_cast<size_t>(r.end - buf_);
    record_end_ = buf_off_ + static_cast<int64_t>(pos_);
    if (r.single_unquoted_blank) {
      side_.resize(side_mark);
      continue;
    }
    info = r;
    return Step::kRecord;
  }
}

// 1-based physical line number of the byte at `offset` (counts \n, \r\n and lone \r); used only
// on the error path, so the hot loop never counts lines. Counting resumes from a known
// (from_offset, from_line) pair, which must lie at the start of a line, so a reader reporting many
// bad records walks the file once.
int64_t line_number_at(const std::string& path, int64_t offset, int64_t from_offset = 0, int64_t from_line = 1);

}  // namespace ember::csv_internal
