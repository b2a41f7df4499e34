#include "api/problem.h"

namespace cityops::api {

int http_status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk:
      return 200;
    case ErrorKind::kInvalidArgument:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kPermissionDenied:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kUnsupportedMedia:
      return 415;
    case ErrorKind::kFailedPrecondition:
      return 422;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

http::Response problem(const Status& status, const http::Request& req) {
  return problem(status, req, http_status_of(status.kind()));
}

http::Response problem(const Status& status, const http::Request& req, int code) {
  nlohmann::json body = {
      {"type", "about:blank"},     {"status", code},       {"code", status.code()},
      {"title", status.message()}, {"instance", req.path}, {"request_id", req.request_id},
  };
  if (!status.field().empty()) body["field"] = status.field();
  // Internal details stay in the log, not in the answer.
  if (status.kind() == ErrorKind::kInternal) body["title"] = "internal error";
  return {code,
          "application/problem+json",
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          {},
          {}};
}

http::Response json_response(int status, const nlohmann::json& body) {
  return {status,
          "application/json",
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          {},
          {}};
}

}  // namespace cityops::api
