#include "services/accounts.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <set>

#include "common/utf8.h"

namespace cityops::services {

namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kMinPassword = 8;
// Long enough for any passphrase; bounds the work one request can ask of the hasher.
constexpr size_t kMaxPassword = 1024;
constexpr size_t kMaxDisplayName = 64;

Status unauthenticated(std::string code, std::string message) {
  return {ErrorKind::kUnauthenticated, std::move(code), std::move(message)};
}

bool valid_username(const std::string& name) {
  if (name.size() < 3 || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

Status check_password(const std::string& password) {
  if (password.size() < kMinPassword) {
    return invalid("weak_password", "a password needs at least 8 characters", "password");
  }
  if (password.size() > kMaxPassword) {
    return invalid("password_too_long", "a password may have at most 1024 bytes", "password");
  }
  return Status::ok();
}

Status check_grids(Role role, const std::vector<std::string>& grids) {
  if (!role_needs_grids(role)) {
    if (grids.empty()) return Status::ok();
    return invalid("grids_not_allowed", "only grid workers and inspectors are bound to grids",
                   "grids");
  }
  if (grids.empty()) {
    return invalid("missing_grids", "grid workers and inspectors need at least one grid", "grids");
  }
  std::set<std::string> seen;
  for (const auto& grid : grids) {
    if (grid.empty() || grid.size() > 64 || !is_valid_utf8(grid) || !seen.insert(grid).second) {
      return invalid("bad_grid", "grid ids must be non-empty and listed once", "grids");
    }
  }
  return Status::ok();
}

bool verify_password(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace

std::string token_hash(const std::string& token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool looks_like_token(const std::string& token) {
  // 32 bytes in unpadded base64url are 43 characters.
  if (token.size() != 43) return false;
  return std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

AccountService::AccountService(store::Store& store, const Clock& clock,
                               DepartmentSource departments, AccountSettings settings)
    : store_(store),
      clock_(clock),
      departments_(std::move(departments)),
      settings_(settings),
      opslimit_(settings.fast_hashing_for_tests ? crypto_pwhash_OPSLIMIT_MIN
                                                : crypto_pwhash_OPSLIMIT_INTERACTIVE),
      memlimit_(settings.fast_hashing_for_tests ? crypto_pwhash_MEMLIMIT_MIN
                                                : crypto_pwhash_MEMLIMIT_INTERACTIVE) {
  // Safe to call again; the command line has called it already.
  if (sodium_init() < 0) spdlog::critical("libsodium failed to initialise");
  std::array<unsigned char, 16> random{};
  randombytes_buf(random.data(), random.size());
  auto decoy = hash_password(std::string(reinterpret_cast<const char*>(random.data()), 16));
  if (decoy) decoy_hash_ = std::move(decoy).value();
}

Result<std::string> AccountService::hash_password(const std::string& password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return internal_error("password hashing ran out of memory");
  }
  return std::string(out.data());
}

Status AccountService::check_department(Role role, const std::string& department) const {
  if (department.empty()) {
    if (!role_needs_department(role)) return Status::ok();
    return invalid("missing_department", "a department handler needs a department", "department");
  }
  const auto known = departments_ ? departments_() : nullptr;
  return check_known_department(known.get(), department);
}

Result<Account> AccountService::create_user(const std::string& username,
                                            const std::string& display_name, Role role,
                                            const std::string& department,
                                            const std::vector<std::string>& grids,
                                            const std::string& password) {
  if (!valid_username(username)) {
    return invalid("bad_username", "a username is 3 to 32 of a-z, 0-9, '_', '.', '-'", "username");
  }
  if (display_name.size() > kMaxDisplayName || !is_valid_utf8(display_name)) {
    return invalid("bad_display_name", "a display name is UTF-8 text of at most 64 bytes",
                   "display_name");
  }
  CITYOPS_RETURN_IF_ERROR(check_password(password));
  CITYOPS_RETURN_IF_ERROR(check_department(role, department));
  CITYOPS_RETURN_IF_ERROR(check_grids(role, grids));

  auto hash = hash_password(password);
  if (!hash) return hash.status();
  store::UserRecord draft;
  draft.username = username;
  draft.display_name = display_name.empty() ? username : display_name;
  draft.role = role;
  draft.department = department;
  draft.grids = grids;
  draft.password_hash = std::move(hash).value();
  draft.created_at = draft.updated_at = clock_.now();
  auto created = store_.create_user(draft);
  if (!created) return created.status();
  spdlog::info("account {} created with role {}", username, to_string(role));
  return to_account(*created);
}

Result<SignIn> AccountService::login(const std::string& username, const std::string& password) {
  const auto refused = unauthenticated("invalid_credentials", "wrong username or password");
  auto found = store_.find_user_by_name(username);
  if (!found) return found.status();
  if (!*found) {
    (void)verify_password(decoy_hash_, password);
    return refused;
  }
  const auto& user = **found;
  if (!verify_password(user.password_hash, password)) return refused;
  if (user.disabled) return unauthenticated("user_disabled", "this account is disabled");

  std::array<unsigned char, kTokenBytes> random{};
  randombytes_buf(random.data(), random.size());
  std::array<char, sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
      encoded{};
  sodium_bin2base64(encoded.data(), encoded.size(), random.data(), random.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(random.data(), random.size());

  SignIn signed_in;
  signed_in.token = std::string(encoded.data());
  const auto now = clock_.now();
  signed_in.expires_at = now + settings_.session_lifetime;
  CITYOPS_RETURN_IF_ERROR(
      store_.create_session({token_hash(signed_in.token), user.id, now, signed_in.expires_at, {}}));
  signed_in.principal = to_principal(user);
  spdlog::info("account {} signed in", username);
  return signed_in;
}

Result<Principal> AccountService::authenticate(const std::string& token) {
  const auto unknown = unauthenticated("invalid_token", "the token is not valid");
  if (!looks_like_token(token)) return unknown;
  const std::string hash = token_hash(token);
  auto session = store_.find_session(hash);
  if (!session) return session.status();
  // The lookup matched on the hash; comparing again in constant time costs nothing and does
  // not rely on how the store compares.
  if (!*session || (*session)->token_hash.size() != hash.size() ||
      sodium_memcmp((*session)->token_hash.data(), hash.data(), hash.size()) != 0) {
    return unknown;
  }
  auto user = store_.find_user_by_id((*session)->user_id);
  if (!user) return user.status();
  if (!*user) return unknown;
  // Disabling also revokes the sessions; the account's state is the more useful answer.
  if ((*user)->disabled) return unauthenticated("user_disabled", "this account is disabled");
  if ((*session)->revoked_at) return unknown;
  if (clock_.now() >= (*session)->expires_at) {
    return unauthenticated("expired_token", "the token has expired; sign in again");
  }
  return to_principal(**user);
}

Status AccountService::logout(const std::string& token) {
  auto principal = authenticate(token);
  if (!principal) return principal.status();
  CITYOPS_RETURN_IF_ERROR(store_.revoke_session(token_hash(token), clock_.now()));
  spdlog::info("account {} signed out", principal->username);
  return Status::ok();
}

Status AccountService::set_password(const std::string& username, const std::string& password) {
  CITYOPS_RETURN_IF_ERROR(check_password(password));
  auto user = store_.find_user_by_name(username);
  if (!user) return user.status();
  if (!*user) return not_found("unknown_user", "no account is named " + username);
  auto hash = hash_password(password);
  if (!hash) return hash.status();
  CITYOPS_RETURN_IF_ERROR(store_.update_password((*user)->id, *hash, clock_.now()));
  spdlog::info("account {} has a new password; its sessions ended", username);
  return Status::ok();
}

Status AccountService::disable(const std::string& username) {
  auto user = store_.find_user_by_name(username);
  if (!user) return user.status();
  if (!*user) return not_found("unknown_user", "no account is named " + username);
  CITYOPS_RETURN_IF_ERROR(store_.set_disabled((*user)->id, true, clock_.now()));
  spdlog::info("account {} disabled; its sessions ended", username);
  return Status::ok();
}

Result<std::vector<Account>> AccountService::list() {
  auto users = store_.list_users();
  if (!users) return users.status();
  std::vector<Account> out;
  out.reserve(users->size());
  for (const auto& user : *users) out.push_back(to_account(user));
  return out;
}

Account AccountService::to_account(const store::UserRecord& user) const {
  return {to_principal(user), user.disabled, user.created_at, user.updated_at};
}

Principal AccountService::to_principal(const store::UserRecord& user) const {
  Principal p{user.id, user.username, user.display_name, user.role, user.department, user.grids,
              {}};
  const auto known = departments_ ? departments_() : nullptr;
  if (known && !user.department.empty()) {
    for (const auto& d : *known) {
      if (d.code == user.department && d.kind == DepartmentKind::kStreetOffice) {
        p.street = d.street_code;
      }
    }
  }
  return p;
}

}  // namespace cityops::services
