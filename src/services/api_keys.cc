#include "services/api_keys.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "services/accounts.h"

namespace cityops::services {

namespace {

constexpr std::string_view kKeyPrefix = "co_";
constexpr size_t kKeyBytes = 20;
constexpr size_t kMaxName = 64;

Status refused(std::string code, std::string message) {
  return {ErrorKind::kPermissionDenied, std::move(code), std::move(message), "api_key"};
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string new_key() {
  std::array<unsigned char, kKeyBytes> random{};
  randombytes_buf(random.data(), random.size());
  std::array<char, kKeyBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
  sodium_memzero(random.data(), random.size());
  std::string key = std::string(kKeyPrefix) + hex.data();
  sodium_memzero(hex.data(), hex.size());
  return key;
}

}  // namespace

bool looks_like_api_key(const std::string& key) {
  if (key.size() != kKeyPrefix.size() + kKeyBytes * 2 || !key.starts_with(kKeyPrefix)) {
    return false;
  }
  return std::all_of(key.begin() + static_cast<std::ptrdiff_t>(kKeyPrefix.size()), key.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

ApiKeyService::ApiKeyService(store::Store& store, const Clock& clock, DepartmentSource departments,
                             ApiKeySettings settings)
    : store_(store),
      clock_(clock),
      departments_(std::move(departments)),
      limiter_(clock, settings.rate_per_minute, settings.burst) {
  // Safe to call again; the command line has called it already.
  if (sodium_init() < 0) spdlog::critical("libsodium failed to initialise");
}

Status ApiKeyService::check_department(const std::string& department) const {
  if (department.empty()) return Status::ok();
  if (!is_department_code(department)) {
    return invalid("bad_department", "a department code is made of a-z, 0-9 and '_'", "department");
  }
  const auto known = departments_ ? departments_() : nullptr;
  return check_known_department(known.get(), department);
}

Result<std::string> ApiKeyService::create(const std::string& name, const std::string& department) {
  if (!valid_name(name)) {
    return invalid("invalid_api_key_name", "a key name is 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'",
                   "name");
  }
  CITYOPS_RETURN_IF_ERROR(check_department(department));

  std::string key = new_key();
  store::ApiKeyRecord draft;
  draft.name = name;
  draft.key_hash = token_hash(key);
  draft.department = department;
  draft.created_at = clock_.now();
  auto created = store_.create_api_key(draft);
  if (!created) return created.status();
  spdlog::info("api key {} (id {}) created for department {}", name, created->id,
               department.empty() ? "-" : department);
  return key;
}

Result<store::ApiKeyRecord> ApiKeyService::authenticate(const std::string& key) {
  if (key.empty()) return refused("missing_api_key", "this request needs an api_key");
  const auto unknown = refused("invalid_api_key", "the api_key is not valid");
  // A string of the wrong shape cannot match; it costs no database read.
  if (!looks_like_api_key(key)) return unknown;
  auto found = store_.find_api_key(token_hash(key));
  if (!found) return found.status();
  if (!*found) return unknown;
  if ((*found)->revoked_at) return refused("revoked_api_key", "the api_key has been revoked");
  return std::move(**found);
}

ApiKeyAdmission ApiKeyService::authenticate_and_charge(const std::string& key) {
  auto found = authenticate(key);
  if (!found) return {std::move(found), std::chrono::seconds{0}};
  const auto wait = limiter_.charge(found->id);
  if (wait.count() == 0) return {std::move(found), wait};
  spdlog::debug("api key {} is over its allowance; retry in {} s", found->name, wait.count());
  return {
      Status(ErrorKind::kRateLimited, "rate_limited",
             "too many requests with this api_key; retry in " + std::to_string(wait.count()) + " s",
             "api_key"),
      wait};
}

Status ApiKeyService::revoke(const std::string& name) {
  CITYOPS_RETURN_IF_ERROR(store_.revoke_api_key(name, clock_.now()));
  spdlog::info("api key {} revoked", name);
  return Status::ok();
}

Result<std::vector<store::ApiKeyRecord>> ApiKeyService::list() { return store_.list_api_keys(); }

}  // namespace cityops::services
