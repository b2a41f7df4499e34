// API keys for partner systems (Open311 clients) and the allowance each key has.
//
// A key is "co_" and 40 lowercase hex digits (20 random bytes). It is shown once, when it is
// created; the store keeps only its BLAKE2b hash, as it does for session tokens. Keys are
// looked up in the store on every call, never cached, so a key that the command line creates
// or revokes while the server runs counts from the next request on.
//
// Each key has its own allowance, a token bucket in memory (see RateLimiter).
//
// Errors: a bad name is kInvalidArgument "invalid_api_key_name" (field "name"); a bad
// department is kInvalidArgument "bad_department" or "unknown_department" (field
// "department"); a taken name is kConflict "api_key_name_taken"; an unknown name for revoke is
// kNotFound "unknown_api_key". Keys that do not authenticate are kPermissionDenied (Open311
// answers 403 for them) with field "api_key" and the codes named at authenticate().
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/department.h"
#include "services/rate_limiter.h"
#include "store/store.h"

namespace cityops::services {

struct ApiKeySettings {
  int rate_per_minute = 120;  // refill rate of each key's bucket; at least 1
  int burst = 30;             // size of each key's bucket; at least 1
};

// What authenticate_and_charge answers: the key, or why the request is refused. When the
// refusal is kRateLimited "rate_limited", `retry_after` says how long to wait (for a
// Retry-After header); it is zero otherwise.
struct ApiKeyAdmission {
  Result<store::ApiKeyRecord> key;
  std::chrono::seconds retry_after{0};
};

class ApiKeyService {
 public:
  // The departments currently known; null or empty when no department list is loaded, in
  // which case any code of the departments file's format is accepted.
  using DepartmentSource = std::function<std::shared_ptr<const std::vector<Department>>()>;

  // Calls sodium_init() (safe to repeat). `store` and `clock` must outlive the service.
  ApiKeyService(store::Store& store, const Clock& clock, DepartmentSource departments,
                ApiKeySettings settings = {});

  // Creates a key named `name` (1 to 64 of A-Z, a-z, 0-9, '.', '_', '-') for `department`
  // (empty for none) and returns it in clear. It cannot be shown again.
  Result<std::string> create(const std::string& name, const std::string& department);

  // The active key that `key` is. kPermissionDenied "missing_api_key" when it is empty,
  // "invalid_api_key" when no key matches, "revoked_api_key" when it was revoked.
  Result<store::ApiKeyRecord> authenticate(const std::string& key);

  // As authenticate, then takes one request from the key's allowance; kRateLimited
  // "rate_limited" when none is left. A refused request, for either reason, uses none.
  ApiKeyAdmission authenticate_and_charge(const std::string& key);

  // Revokes the key named `name`; one already revoked keeps its first time.
  Status revoke(const std::string& name);

  // Every key, revoked ones too, by name.
  Result<std::vector<store::ApiKeyRecord>> list();

 private:
  Status check_department(const std::string& department) const;

  store::Store& store_;
  const Clock& clock_;
  DepartmentSource departments_;
  RateLimiter limiter_;
};

// Whether `key` has the shape of a key this service issues; exposed for tests.
bool looks_like_api_key(const std::string& key);

}  // namespace cityops::services
