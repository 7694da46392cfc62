// store/status.hpp
// Status, Result<T> and Diagnostic: how every layer reports expected failures.
// Exceptions never cross a layer boundary; functions return these instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parley {

// A user-facing error at a place in some input: `origin:line:col: error: message`,
// followed by the offending line and a caret under the spot when the line is known.
struct Diagnostic {
  std::string origin;        // a path, "<repl>", "<arg>" or "<stdin>"
  std::uint64_t line = 0;    // 1-based; 0 when unknown
  std::uint64_t column = 0;  // 1-based byte column; 0 when unknown
  std::string message;
  std::string source_line;   // the text of `line`, without its line break; may be empty
  std::size_t span = 1;      // how many bytes the caret underlines
  bool warning = false;      // rendered as "warning:", and not a failure by itself

  // Renders the diagnostic as one or three lines (no trailing newline).
  std::string Render() const;
};

class [[nodiscard]] Status {
 public:
  enum class Code : std::uint8_t {
    kOk, kNotFound, kInvalidArgument, kParseError, kCorruption, kIOError, kBusy, kVersionMismatch
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  // The database is locked by another process.
  static Status Busy(std::string msg) { return Status(Code::kBusy, std::move(msg)); }
  static Status VersionMismatch(std::string msg) { return Status(Code::kVersionMismatch, std::move(msg)); }
  // Keeps the diagnostic; ToString() renders it with its caret line.
  static Status ParseError(Diagnostic d);
  // Several errors in one input, reported together. REQUIRES: !all.empty().
  static Status ParseErrors(std::vector<Diagnostic> all);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::optional<Diagnostic>& diagnostic() const { return diagnostic_; }
  const std::vector<Diagnostic>& more_diagnostics() const { return more_; }

  // The message as a user should read it (a rendered diagnostic for parse errors).
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
  std::optional<Diagnostic> diagnostic_;
  std::vector<Diagnostic> more_;  // after the first, for ParseErrors
};

// Either a value or a non-OK status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace parley

#define PARLEY_RETURN_IF_ERROR(expr)                         \
  do {                                                       \
    if (::parley::Status s_ = (expr); !s_.ok()) return s_;   \
  } while (0)
