// Which HTTP status each kind of error answers with.
#include "api/problem.h"

#include <gtest/gtest.h>

namespace cityops::api {
namespace {

TEST(HttpStatusOf, EachErrorKindHasItsStatus) {
  const struct {
    ErrorKind kind;
    int status;
  } cases[] = {
      {ErrorKind::kOk, 200},
      {ErrorKind::kInvalidArgument, 400},
      {ErrorKind::kUnauthenticated, 401},
      {ErrorKind::kPermissionDenied, 403},
      {ErrorKind::kNotFound, 404},
      {ErrorKind::kConflict, 409},
      {ErrorKind::kPayloadTooLarge, 413},
      {ErrorKind::kUnsupportedMedia, 415},
      {ErrorKind::kFailedPrecondition, 422},
      {ErrorKind::kRateLimited, 429},
      {ErrorKind::kUnavailable, 503},
      {ErrorKind::kInternal, 500},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.status);
    EXPECT_EQ(http_status_of(c.kind), c.status);
  }
}

TEST(Problem, RateLimitedAnswersTooManyRequests) {
  http::Request req;
  req.path = "/open311/v2/requests.json";
  const auto res =
      problem(Status(ErrorKind::kRateLimited, "rate_limited", "slow down", "api_key"), req);
  EXPECT_EQ(res.status, 429);
  const auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["status"], 429);
  EXPECT_EQ(body["code"], "rate_limited");
  EXPECT_EQ(body["field"], "api_key");
}

}  // namespace
}  // namespace cityops::api
