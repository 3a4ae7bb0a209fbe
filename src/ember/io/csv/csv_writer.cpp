#include "ember/io/csv/csv_writer.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include "ember/common/error.h"
#include "ember/types/decimal.h"
#include "ember/types/interval.h"
#include "ember/types/temporal.h"
#include "ember/types/value_format.h"

namespace ember {

namespace {

constexpr size_t kFlushThreshold = 1u << 20;

bool is_write_space(char c) { return static_cast<unsigned char>(c) <= ' ' && c != '\0'; }

template <class T>
void append_integer(std::string& out, T v) {
  char tmp[48];
  auto res = std::to_chars(tmp, tmp + sizeof(tmp), v);
  out.append(tmp, static_cast<size_t>(res.ptr - tmp));
}

}  // namespace

struct CsvWriter::Patterns {
  std::optional<DateTimePattern> date;  // unset: yyyy-MM-dd via append_date
  DateTimePattern timestamp;
};

void CsvWriter::verify_schema(const Schema& schema) {
  for (const Field& f : schema.fields()) {
    if (f.type.is_nested()) {
      throw_error(ErrorKind::kAnalysis, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                  "The CSV datasource doesn't support the column `" + f.name + "` of the type \"" +
                      f.type.sql_string() + "\".");
    }
  }
}

CsvWriter::CsvWriter(std::string path, Schema schema, CsvOptions options, const TimeZone& tz)
    : path_(std::move(path)),
      schema_(std::move(schema)),
      options_(std::move(options)),
      tz_(options_.time_zone.empty() ? &tz : TimeZone::find(options_.time_zone)) {
  verify_schema(schema_);
  line_sep_ = options_.line_sep.empty() ? "\n" : options_.line_sep;
  empty_value_ = options_.empty_value_in_write();
  std::optional<DateTimePattern> date;
  if (options_.date_format != "yyyy-MM-dd") date = DateTimePattern::compile(options_.date_format);
  // Spark's default writes optional sections [.SSS][XXX] that are always present when formatting.
  std::string ts =
      options_.timestamp_format.empty() ? "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" : options_.timestamp_format;
  patterns_ = std::make_unique<Patterns>(Patterns{std::move(date), DateTimePattern::compile(ts)});
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw_error(ErrorKind::kIo, "cannot create CSV output file " + path_ + ": " + std::strerror(errno));
  }
  buf_.reserve(kFlushThreshold + (64u << 10));
  if (options_.header) {
    first_column_ = true;
    for (const Field& f : schema_.fields()) append_field(f.name);
    buf_ += line_sep_;
  }
}

CsvWriter::~CsvWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void CsvWriter::flush_buffer() {
  const char* p = buf_.data();
  size_t left = buf_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd_);
      fd_ = -1;
      throw_error(ErrorKind::kIo, "cannot write CSV output file " + path_ + ": " + std::strerror(err));
    }
    p += n;
    left -= static_cast<size_t>(n);
    bytes_ += n;
  }
  buf_.clear();
}

// univocity's CsvWriter.append with Spark's settings: trim (ignoreLeading/TrailingWhiteSpace),
// quote when the value contains the separator, a line break, or (escapeQuotes) the quote, starts
// with the quote, or begins the record with the comment character; inside quotes the quote and
// the escape character are escaped with the escape character. Unquoted values are verbatim.
void CsvWriter::append_field(std::string_view value) {
  if (!first_column_) buf_.push_back(options_.sep);
  bool first = first_column_;
  first_column_ = false;
  size_t b = 0, e = value.size();
  if (options_.ignore_leading_white_space_in_write) {
    while (b < e && is_write_space(value[b])) ++b;
  }
  if (options_.ignore_trailing_white_space_in_write) {
    while (e > b && is_write_space(value[e - 1])) --e;
  }
  std::string_view v = value.substr(b, e - b);
  const char quote = options_.quote;
  const char escape = options_.escape;
  const char comment = options_.comment != '\0' ? options_.comment : '#';
  bool quoted = options_.quote_all;
  if (!quoted && quote != '\0' && !v.empty()) {
    if (v[0] == quote || (first && v[0] == comment)) quoted = true;
    for (size_t i = 0; i < v.size() && !quoted; ++i) {
      char c = v[i];
      if (c == options_.sep || c == '\n' || c == '\r' || (options_.escape_quotes && c == quote))
        quoted = true;
      if (!options_.line_sep.empty() && options_.line_sep.find(c) != std::string::npos) quoted = true;
    }
  }
  if (!quoted) {
    buf_.append(v);
    return;
  }
  const char escape_escape = options_.effective_escape_escape();
  buf_.push_back(quote);
  for (char c : v) {
    if (c == quote) {
      buf_.push_back(escape != '\0' ? escape : quote);
    } else if (c == escape && escape_escape != '\0') {
      buf_.push_back(escape_escape);
    }
    buf_.push_back(c);
  }
  buf_.push_back(quote);
}

void CsvWriter::append_value(const Vector& v, size_t row) {
  if (v.is_null(row)) {
    if (options_.quote_all) {
      if (!first_column_) buf_.push_back(options_.sep);
      first_column_ = false;
      // univocity wraps the (empty) null value in quotes as well.
      if (options_.null_value.empty()) {
        buf_.push_back(options_.quote);
        buf_.push_back(options_.quote);
      } else {
        buf_.push_back(options_.quote);
        buf_.append(options_.null_value);
        buf_.push_back(options_.quote);
      }
      return;
    }
    append_field(options_.null_value);
    return;
  }
  size_t k = v.is_constant() ? 0 : row;
  scratch_.clear();
  switch (v.type().id()) {
    case TypeId::kNull: append_field(options_.null_value); return;
    case TypeId::kBoolean: append_field(v.values<uint8_t>()[k] ? "true" : "false"); return;
    case TypeId::kByte: append_integer(scratch_, v.values<int8_t>()[k]); break;
    case TypeId::kShort: append_integer(scratch_, v.values<int16_t>()[k]); break;
    case TypeId::kInt: append_integer(scratch_, v.values<int32_t>()[k]); break;
    case TypeId::kLong: append_integer(scratch_, v.values<int64_t>()[k]); break;
    case TypeId::kFloat: append_float(scratch_, v.values<float>()[k]); break;
    case TypeId::kDouble: append_double(scratch_, v.values<double>()[k]); break;
    case TypeId::kDecimal: append_decimal(scratch_, v.values<int128_t>()[k], v.type().scale()); break;
    case TypeId::kDate:
      if (patterns_->date) scratch_ = patterns_->date->format_date(v.values<int32_t>()[k]);
      else append_date(scratch_, v.values<int32_t>()[k]);
      break;
    case TypeId::kTimestamp:
      scratch_ = patterns_->timestamp.format_timestamp(v.values<int64_t>()[k], *tz_);
      break;
    case TypeId::kYearMonthInterval:
    case TypeId::kDayTimeInterval:
      // Spark's CSV writer prints ANSI intervals as their SQL text.
      scratch_ =
          format_interval(v.type(), v.type().id() == TypeId::kYearMonthInterval ? v.values<int32_t>()[k]
                                                                                : v.values<int64_t>()[k]);
      break;
    case TypeId::kString:
    case TypeId::kBinary: {
      std::string_view s = v.string_at(k);
      bool blank = true;
      for (char c : s) {
        if (!is_write_space(c)) {
          blank = false;
          break;
        }
      }
      if (s.empty() || (blank && options_.ignore_leading_white_space_in_write)) {
        // univocity writes emptyValue (default `""`) verbatim for an empty string.
        if (!first_column_) buf_.push_back(options_.sep);
        first_column_ = false;
        buf_.append(empty_value_);
        return;
      }
      append_field(s);
      return;
    }
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kStruct: EMBER_CHECK(false, "CSV writer given an array column; verify_schema rejects those");
  }
  // Numbers, dates and timestamps go through the same rules: quoteAll, or a custom format that
  // happens to contain the separator, quotes them.
  append_field(scratch_);
}

void CsvWriter::write(const Batch& batch) {
  if (fd_ < 0) throw_error(ErrorKind::kIo, "CSV output file " + path_ + " is already closed");
  EMBER_CHECK(batch.num_columns() == schema_.size(), "CSV writer batch width differs from its schema");
  for (size_t r = 0; r < batch.num_rows; ++r) {
    first_column_ = true;
    for (size_t c = 0; c < batch.num_columns(); ++c) append_value(*batch.columns[c], r);
    buf_ += line_sep_;
    if (buf_.size() >= kFlushThreshold) flush_buffer();
  }
  rows_ += static_cast<int64_t>(batch.num_rows);
}

void CsvWriter::close() {
  if (fd_ < 0) return;
  flush_buffer();
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) {
    throw_error(ErrorKind::kIo, "cannot write CSV output file " + path_ + ": " + std::strerror(errno));
  }
}

}  // namespace ember
