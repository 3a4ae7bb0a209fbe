#include "ember/common/error.h"

namespace ember {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kAnalysis: return "AnalysisException";
    case ErrorKind::kParse: return "ParseException";
    case ErrorKind::kArithmetic: return "ArithmeticException";
    case ErrorKind::kCast: return "CastException";
    case ErrorKind::kMalformedInput: return "MalformedInputException";
    case ErrorKind::kIo: return "IOException";
    case ErrorKind::kIllegalArgument: return "IllegalArgumentException";
    case ErrorKind::kUnsupported: return "UnsupportedOperationException";
    case ErrorKind::kCancelled: return "CancelledException";
    case ErrorKind::kInternal: return "InternalError";
  }
  return "Error";
}

void throw_error(ErrorKind kind, const std::string& message) { throw EmberError(kind, message); }

void throw_error(ErrorKind kind, std::string error_class, const std::string& message) {
  std::string full = error_class.empty() ? message : "[" + error_class + "] " + message;
  throw EmberError(kind, std::move(error_class), full);
}

void throw_internal(const char* file, int line, const std::string& message) {
  throw EmberError(ErrorKind::kInternal, "INTERNAL_ERROR",
                   "[INTERNAL_ERROR] " + message + " (at " + file + ":" + std::to_string(line) +
                       "); this is a bug in ember, please report it");
}

}  // namespace ember
