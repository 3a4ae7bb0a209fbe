#include "ember/io/json/json_writer.h"

#include <cerrno>
#include <cstring>

#include "ember/common/error.h"
#include "ember/vector/json_text.h"

namespace ember {

namespace {
constexpr size_t kFlushBytes = 1 << 20;
}

JsonWriter::JsonWriter(std::string path, Schema schema, const TimeZone& tz)
    : path_(std::move(path)), row_type_(DataType::struct_(schema.fields())), tz_(&tz) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr)
    throw_error(ErrorKind::kIo, "cannot create JSON file " + path_ + ": " + std::strerror(errno));
}

JsonWriter::~JsonWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void JsonWriter::write(const Batch& batch) {
  // A row is the struct of its columns: the shared formatter writes it as one object.
  VectorPtr row = Vector::make_struct(row_type_, batch.num_rows, batch.columns);
  for (size_t r = 0; r < batch.num_rows; ++r) {
    append_json_value(buffer_, *row, r, *tz_);
    buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) flush();
  }
}

void JsonWriter::flush() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    throw_error(ErrorKind::kIo, "cannot write JSON file " + path_ + ": " + std::strerror(errno));
  }
  buffer_.clear();
}

void JsonWriter::close() {
  if (file_ == nullptr) return;
  flush();
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0)
    throw_error(ErrorKind::kIo, "cannot write JSON file " + path_ + ": " + std::strerror(errno));
}

}  // namespace ember
