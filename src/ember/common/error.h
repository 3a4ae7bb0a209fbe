#pragma once
// Errors in ember are exceptions of one type, EmberError, carrying a kind and (for user errors) a
// Spark-style error class. We chose exceptions over Status/Result, as DuckDB does: a user error
// raised deep inside a vectorised kernel (division by zero under ANSI mode, a malformed CSV field)
// must unwind the task without every kernel threading a status through its hot loop. The scheduler
// catches at the task boundary, so an error never escapes a worker thread.
#include <stdexcept>
#include <string>
#include <string_view>

namespace ember {

enum class ErrorKind {
  kAnalysis,         // bad column, bad type, unknown function: the user's plan is wrong
  kParse,            // a DDL schema string or other text the user gave us does not parse
  kArithmetic,       // ANSI-mode overflow, division by zero
  kCast,             // ANSI-mode invalid cast
  kMalformedInput,   // a data file does not match what it claims to be
  kIo,               // a file is missing, unreadable, or the disk is full
  kIllegalArgument,  // an option or argument value the API cannot accept
  kUnsupported,      // a feature ember does not implement yet
  kCancelled,        // the job was cancelled: a sibling task failed, or cancel_all_jobs
  kInternal,         // a bug in ember
};

const char* error_kind_name(ErrorKind kind);

class EmberError : public std::runtime_error {
 public:
  EmberError(ErrorKind kind, std::string error_class, const std::string& message)
      : std::runtime_error(message), kind_(kind), error_class_(std::move(error_class)) {}
  EmberError(ErrorKind kind, const std::string& message) : EmberError(kind, "", message) {}

  ErrorKind kind() const { return kind_; }
  // Spark's error class, e.g. "DIVIDE_BY_ZERO" or "UNRESOLVED_COLUMN.WITH_SUGGESTION"; may be empty.
  const std::string& error_class() const { return error_class_; }
  bool is_user_error() const { return kind_ != ErrorKind::kInternal; }

 private:
  ErrorKind kind_;
  std::string error_class_;
};

[[noreturn]] void throw_error(ErrorKind kind, const std::string& message);
[[noreturn]] void throw_error(ErrorKind kind, std::string error_class, const std::string& message);
[[noreturn]] void throw_internal(const char* file, int line, const std::string& message);

}  // namespace ember

// An invariant of ember itself; failing it is a bug, reported as an internal error, never a crash.
#define EMBER_CHECK(cond, msg)                                                                 \
  do {                                                                                         \
    if (!(cond)) ::ember::throw_internal(__FILE__, __LINE__, std::string("check failed: ") +  \
                                                                 #cond + ": " + (msg));        \
  } while (0)
