// Accounts and sessions: who may sign in, with which role and scope, and for how long.
//
// Passwords are kept only as Argon2id hashes (libsodium's crypto_pwhash_str). Signing in
// hands out a bearer token of 32 random bytes (base64url, 43 characters); the store keeps
// only a BLAKE2b hash of it, so a copy of the database lets nobody act as a signed-in user.
// A token works until it expires, is revoked by signing out, its user's password changes, or
// its user is disabled.
//
// Errors: validation failures are kInvalidArgument with a code and the field at fault; a
// taken username is kConflict "username_taken"; an unknown user for set_password or disable
// is kNotFound "unknown_user"; failures to sign in or to authenticate are kUnauthenticated
// with the codes named at each method.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/department.h"
#include "domain/role.h"
#include "store/store.h"

namespace cityops::services {

struct AccountSettings {
  std::chrono::seconds session_lifetime = std::chrono::hours(12);
  // Argon2id with libsodium's MIN limits instead of INTERACTIVE. Only for tests, which would
  // otherwise spend most of their time hashing; never for accounts people use.
  bool fast_hashing_for_tests = false;
};

// An account as the service shows it: never the hash.
struct Account {
  Principal principal;
  bool disabled = false;
  Timestamp created_at{};
  Timestamp updated_at{};
};

// What signing in returns. The token is shown to its holder once and kept nowhere.
struct SignIn {
  std::string token;
  Timestamp expires_at{};
  Principal principal;
};

class AccountService {
 public:
  // The departments currently known; null or empty when no department list is loaded, in
  // which case department codes are accepted as given and no street is derived.
  using DepartmentSource = std::function<std::shared_ptr<const std::vector<Department>>()>;

  // Calls sodium_init() (safe to repeat). `store` and `clock` must outlive the service.
  AccountService(store::Store& store, const Clock& clock, DepartmentSource departments,
                 AccountSettings settings = {});

  // Validates and creates an account. username: [a-z0-9_.-]{3,32} ("bad_username");
  // password: 8 to 1024 bytes ("weak_password", "password_too_long"); display_name: UTF-8,
  // at most 64 bytes, the username when empty ("bad_display_name"); department: required for
  // department_handler ("missing_department") and, when given and a department list is
  // loaded, one of it ("unknown_department"); grids: required for grid_worker and inspector
  // ("missing_grids"), refused for other roles ("grids_not_allowed"), each non-empty and
  // unique ("bad_grid").
  Result<Account> create_user(const std::string& username, const std::string& display_name,
                              Role role, const std::string& department,
                              const std::vector<std::string>& grids, const std::string& password);

  // Checks the password and opens a session. An unknown user and a wrong password give the
  // same kUnauthenticated "invalid_credentials" after the same amount of hashing work; a
  // disabled user with the right password gets "user_disabled".
  Result<SignIn> login(const std::string& username, const std::string& password);

  // The principal a bearer token stands for. kUnauthenticated with "invalid_token" (unknown,
  // malformed or revoked), "expired_token" or "user_disabled".
  Result<Principal> authenticate(const std::string& token);

  // Revokes the session of a token that authenticate() accepts; its errors otherwise.
  Status logout(const std::string& token);

  // Replaces the password (validated as in create_user) and ends the user's sessions.
  Status set_password(const std::string& username, const std::string& password);
  // Disables the account and ends its sessions.
  Status disable(const std::string& username);
  // Every account, by username.
  Result<std::vector<Account>> list();

 private:
  Result<std::string> hash_password(const std::string& password) const;
  Account to_account(const store::UserRecord& user) const;
  Principal to_principal(const store::UserRecord& user) const;
  Status check_department(Role role, const std::string& department) const;

  store::Store& store_;
  const Clock& clock_;
  DepartmentSource departments_;
  AccountSettings settings_;
  unsigned long long opslimit_;
  size_t memlimit_;
  // A hash of a random password, verified against when the user is unknown so that such an
  // answer takes as long as a wrong password does.
  std::string decoy_hash_;
};

// Token helpers, exposed for tests: the hex BLAKE2b-256 hash stored for a token, and whether
// a string has the shape of a token this service issues.
std::string token_hash(const std::string& token);
bool looks_like_token(const std::string& token);

}  // namespace cityops::services
