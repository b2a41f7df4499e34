// RFC 9457 problem details: every error the API gives is one of these, with a stable
// machine-readable `code` and, when one field is at fault, its name in `field`.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "http/message.h"

namespace cityops::api {

int http_status_of(ErrorKind kind);

http::Response problem(const Status& status, const http::Request& req);
// The same with an HTTP status that no ErrorKind maps to, e.g. 405; the body states it too.
http::Response problem(const Status& status, const http::Request& req, int http_status);
http::Response json_response(int status, const nlohmann::json& body);

}  // namespace cityops::api

// Answers with the problem when `expr` is not OK.
#define CITYOPS_RETURN_PROBLEM(expr, req)                               \
  do {                                                                  \
    ::cityops::Status status_ = (expr);                                 \
    if (!status_.is_ok()) return ::cityops::api::problem(status_, req); \
  } while (false)
