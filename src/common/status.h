// Errors as values on the request path.
//
// A `Status` carries a category (which maps to an HTTP status), a stable machine-readable
// `code` such as "unknown_category", the `field` at fault when there is one, and a sentence for
// people. `Result<T>` holds either a value or a non-OK status. Neither throws.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cityops {

enum class ErrorKind {
  kOk,
  kInvalidArgument,     // 400 or 422: the request itself is wrong
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kNotFound,            // 404
  kConflict,            // 409: state or version does not allow it
  kPayloadTooLarge,     // 413
  kUnsupportedMedia,    // 415
  kFailedPrecondition,  // 422: well-formed but not acceptable in this context
  kRateLimited,         // 429: the caller has used up its allowance for now
  kUnavailable,         // 503
  kInternal,            // 500
};

class Status {
 public:
  Status() = default;
  Status(ErrorKind kind, std::string code, std::string message, std::string field = {})
      : kind_(kind),
        code_(std::move(code)),
        message_(std::move(message)),
        field_(std::move(field)) {}

  static Status ok() { return {}; }

  bool is_ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string code_;
  std::string message_;
  std::string field_;
};

inline Status invalid(std::string code, std::string message, std::string field = {}) {
  return {ErrorKind::kInvalidArgument, std::move(code), std::move(message), std::move(field)};
}
inline Status not_found(std::string code, std::string message) {
  return {ErrorKind::kNotFound, std::move(code), std::move(message)};
}
inline Status internal_error(std::string message) {
  return {ErrorKind::kInternal, "internal", std::move(message)};
}

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).is_ok() && "a Result needs a value or an error");
  }

  bool is_ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return is_ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The error; only valid when !is_ok().
  const Status& status() const { return std::get<Status>(state_); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace cityops

// Returns the status from the enclosing function when `expr` is not OK.
#define CITYOPS_RETURN_IF_ERROR(expr)     \
  do {                                    \
    ::cityops::Status status_ = (expr);   \
    if (!status_.is_ok()) return status_; \
  } while (false)
