#include "ember/io/bad_records.h"

#include <ctime>
#include <filesystem>
#include <functional>

#include "ember/common/error.h"
#include "ember/types/json_text.h"

namespace ember {

std::string bad_records_directory(const std::string& base, int64_t query_start_micros) {
  auto seconds = static_cast<std::time_t>(query_start_micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
  return (std::filesystem::path(base) / stamp / "bad_records").string();
}

BadRecordsWriter::BadRecordsWriter(std::string dir, std::string split_path, int64_t split_start,
                                   std::string option_value)
    : dir_(std::move(dir)),
      split_path_(std::move(split_path)),
      option_value_(std::move(option_value)),
      split_start_(split_start) {}

BadRecordsWriter::~BadRecordsWriter() = default;

void BadRecordsWriter::add(int64_t line, std::string_view record, std::string_view reason) {
  pending_ += "{\"path\":";
  append_json_string(pending_, split_path_);
  pending_ += ",\"line\":" + std::to_string(line) + ",\"record\":";
  append_json_string(pending_, record);
  pending_ += ",\"reason\":";
  append_json_string(pending_, reason);
  pending_ += "}\n";
}

void BadRecordsWriter::flush() {
  if (pending_.empty()) return;
  if (!out_) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    std::string name = std::filesystem::path(split_path_).filename().string();
    std::filesystem::path file =
        std::filesystem::path(dir_) /
        ("part-" + name + "-" + std::to_string(std::hash<std::string>{}(split_path_)) + "-" +
         std::to_string(split_start_) + ".json");
    out_ = std::make_unique<std::ofstream>(file, std::ios::binary | std::ios::trunc);
    if (ec || !*out_) {
      throw_error(ErrorKind::kIo, "cannot write bad records to " + file.string() +
                                      " (option badRecordsPath=" + option_value_ + ")");
    }
  }
  out_->write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
  out_->flush();
  if (!*out_) throw_error(ErrorKind::kIo, "cannot write bad records under " + dir_);
  pending_.clear();
}

}  // namespace ember
