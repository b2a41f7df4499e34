// API keys end to end through the service, on a real database file and a clock the tests move:
// what is stored, which keys are refused and why, and each key's allowance.
#include "services/api_keys.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "services/accounts.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::services {
namespace {

using namespace std::chrono_literals;

const Timestamp kNow = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}} + 1h;

std::shared_ptr<const std::vector<Department>> known_departments() {
  return std::make_shared<const std::vector<Department>>(std::vector<Department>{
      {"city_mgmt", "北戴河区城市管理综合行政执法局", DepartmentKind::kAgency, ""},
      {"street_dongshan", "东山街道办事处", DepartmentKind::kStreetOffice, "130304002"},
  });
}

class ApiKeyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open(dir_.path() / "cityops.db", 2);
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    store_ = std::move(opened).value();
    keys_ = make_service({});
  }

  std::unique_ptr<ApiKeyService> make_service(ApiKeySettings settings) {
    return std::make_unique<ApiKeyService>(
        *store_, clock_, [] { return known_departments(); }, settings);
  }

  std::string must_create(const std::string& name, const std::string& department = {}) {
    auto key = keys_->create(name, department);
    EXPECT_TRUE(key.is_ok()) << key.status().code();
    return key.is_ok() ? key.value() : std::string();
  }

  // Every byte SQLite has written: the database and its write-ahead log.
  std::string database_bytes() const {
    std::string all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(dir_.path() / (std::string("cityops.db") + suffix), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      all += text.str();
    }
    return all;
  }

  cityops::testing::TempDir dir_{"cityops-api-keys"};
  FixedClock clock_{kNow};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<ApiKeyService> keys_;
};

void expect_refused(const Result<store::ApiKeyRecord>& result, const char* code) {
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().kind(), ErrorKind::kPermissionDenied);
  EXPECT_EQ(result.status().code(), code);
  EXPECT_EQ(result.status().field(), "api_key");
}

TEST_F(ApiKeyServiceTest, CreateReturnsAKeyAndStoresOnlyItsHash) {
  const auto key = must_create("partner.one", "city_mgmt");
  EXPECT_TRUE(looks_like_api_key(key)) << key;
  EXPECT_EQ(key.substr(0, 3), "co_");

  auto listed = keys_->list();
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 1u);
  const auto& stored = listed->front();
  EXPECT_EQ(stored.name, "partner.one");
  EXPECT_EQ(stored.department, "city_mgmt");
  EXPECT_EQ(stored.created_at, kNow);
  EXPECT_EQ(stored.key_hash, token_hash(key));
  EXPECT_EQ(stored.key_hash.find(key.substr(3)), std::string::npos);
  EXPECT_EQ(database_bytes().find(key.substr(3)), std::string::npos);
}

TEST_F(ApiKeyServiceTest, EachKeyIsNew) { EXPECT_NE(must_create("a"), must_create("b")); }

TEST_F(ApiKeyServiceTest, AuthenticateFindsTheKey) {
  const auto key = must_create("partner.one", "street_dongshan");
  auto found = keys_->authenticate(key);
  ASSERT_TRUE(found.is_ok()) << found.status().code();
  EXPECT_EQ(found->name, "partner.one");
  EXPECT_EQ(found->department, "street_dongshan");
}

TEST_F(ApiKeyServiceTest, MissingUnknownAndMalformedKeysAreRefused) {
  const auto key = must_create("partner.one");
  expect_refused(keys_->authenticate(""), "missing_api_key");
  // The right shape, but no key has it.
  expect_refused(keys_->authenticate("co_" + std::string(40, '0')), "invalid_api_key");
  // Almost the key: one digit off, cut short, or in capitals.
  std::string off = key;
  off.back() = off.back() == '0' ? '1' : '0';
  expect_refused(keys_->authenticate(off), "invalid_api_key");
  expect_refused(keys_->authenticate(key.substr(0, key.size() - 1)), "invalid_api_key");
  std::string upper = key;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  expect_refused(keys_->authenticate(upper), "invalid_api_key");
  // The stored hash is no key either.
  expect_refused(keys_->authenticate(token_hash(key)), "invalid_api_key");
}

TEST_F(ApiKeyServiceTest, RevokedKeyIsRefused) {
  const auto key = must_create("partner.one");
  const auto other = must_create("partner.two");
  clock_.advance(60s);
  ASSERT_TRUE(keys_->revoke("partner.one").is_ok());
  expect_refused(keys_->authenticate(key), "revoked_api_key");
  expect_refused(keys_->authenticate_and_charge(key).key, "revoked_api_key");
  EXPECT_TRUE(keys_->authenticate(other).is_ok());

  auto listed = keys_->list();
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->front().revoked_at, kNow + 60s);
}

TEST_F(ApiKeyServiceTest, RevokingAnUnknownNameIsNotFound) {
  const Status status = keys_->revoke("nobody");
  EXPECT_EQ(status.kind(), ErrorKind::kNotFound);
  EXPECT_EQ(status.code(), "unknown_api_key");
}

TEST_F(ApiKeyServiceTest, NamesAreCheckedBeforeAnythingIsWritten) {
  const struct {
    const char* label;
    std::string name;
    bool ok;
  } cases[] = {
      {"one character", "a", true},
      {"64 characters", std::string(64, 'k'), true},
      {"every allowed kind", "Partner-1.prod_X", true},
      {"empty", "", false},
      {"65 characters", std::string(65, 'k'), false},
      {"space", "partner one", false},
      {"slash", "partner/one", false},
      {"non-ASCII", "合作方", false},
      {"line break", "partner\none", false},
  };
  size_t created = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    auto key = keys_->create(c.name, "");
    EXPECT_EQ(key.is_ok(), c.ok);
    if (key.is_ok()) {
      ++created;
      continue;
    }
    EXPECT_EQ(key.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(key.status().code(), "invalid_api_key_name");
    EXPECT_EQ(key.status().field(), "name");
  }
  auto listed = keys_->list();
  ASSERT_TRUE(listed.is_ok());
  EXPECT_EQ(listed->size(), created);
}

TEST_F(ApiKeyServiceTest, DepartmentsAreCheckedAgainstTheKnownList) {
  EXPECT_TRUE(keys_->create("with.dept", "city_mgmt").is_ok());
  EXPECT_TRUE(keys_->create("without.dept", "").is_ok());
  auto unknown = keys_->create("unknown.dept", "water_works");
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().code(), "unknown_department");
  EXPECT_EQ(unknown.status().field(), "department");
  auto malformed = keys_->create("bad.dept", "City-Mgmt");
  ASSERT_FALSE(malformed.is_ok());
  EXPECT_EQ(malformed.status().code(), "bad_department");
  EXPECT_EQ(malformed.status().field(), "department");
}

TEST_F(ApiKeyServiceTest, WithoutADepartmentListAnyWellFormedCodeIsTaken) {
  ApiKeyService keys(*store_, clock_, [] { return nullptr; });
  EXPECT_TRUE(keys.create("any.dept", "water_works").is_ok());
  auto malformed = keys.create("bad.dept", "water works");
  ASSERT_FALSE(malformed.is_ok());
  EXPECT_EQ(malformed.status().code(), "bad_department");
}

TEST_F(ApiKeyServiceTest, TakenNameIsConflictAndTheFirstKeyStillWorks) {
  const auto key = must_create("partner.one");
  auto again = keys_->create("partner.one", "");
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().kind(), ErrorKind::kConflict);
  EXPECT_EQ(again.status().code(), "api_key_name_taken");
  EXPECT_TRUE(keys_->authenticate(key).is_ok());
  EXPECT_EQ(keys_->list()->size(), 1u);
}

// The command line and the server each have a service on the same file; neither caches keys.
TEST_F(ApiKeyServiceTest, KeysMadeOrRevokedElsewhereCountAtOnce) {
  auto opened = store::SqliteStore::open(dir_.path() / "cityops.db", 1);
  ASSERT_TRUE(opened.is_ok());
  ApiKeyService command_line(**opened, clock_, nullptr);

  auto key = command_line.create("partner.one", "");
  ASSERT_TRUE(key.is_ok());
  EXPECT_TRUE(keys_->authenticate_and_charge(*key).key.is_ok());
  ASSERT_TRUE(command_line.revoke("partner.one").is_ok());
  expect_refused(keys_->authenticate_and_charge(*key).key, "revoked_api_key");
}

TEST_F(ApiKeyServiceTest, BurstThenRefillWithTheClock) {
  keys_ = make_service({/*rate_per_minute=*/60, /*burst=*/3});
  const auto key = must_create("partner.one");
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE("request " + std::to_string(i));
    const auto admitted = keys_->authenticate_and_charge(key);
    EXPECT_TRUE(admitted.key.is_ok());
    EXPECT_EQ(admitted.retry_after, 0s);
  }
  const auto refused = keys_->authenticate_and_charge(key);
  ASSERT_FALSE(refused.key.is_ok());
  EXPECT_EQ(refused.key.status().kind(), ErrorKind::kRateLimited);
  EXPECT_EQ(refused.key.status().code(), "rate_limited");
  EXPECT_EQ(refused.retry_after, 1s);

  // One a second comes back, and refused requests did not use any of it.
  clock_.advance(1s);
  EXPECT_TRUE(keys_->authenticate_and_charge(key).key.is_ok());
  EXPECT_FALSE(keys_->authenticate_and_charge(key).key.is_ok());

  // A long pause fills the bucket to its burst and no further.
  clock_.advance(1h);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(keys_->authenticate_and_charge(key).key.is_ok());
  EXPECT_EQ(keys_->authenticate_and_charge(key).retry_after, 1s);
}

TEST_F(ApiKeyServiceTest, RetryAfterCountsTheSecondsToTheNextRequest) {
  keys_ = make_service({/*rate_per_minute=*/1, /*burst=*/1});
  const auto key = must_create("slow.partner");
  EXPECT_TRUE(keys_->authenticate_and_charge(key).key.is_ok());
  EXPECT_EQ(keys_->authenticate_and_charge(key).retry_after, 60s);
  clock_.advance(59s);
  EXPECT_EQ(keys_->authenticate_and_charge(key).retry_after, 1s);
  clock_.advance(1s);
  EXPECT_TRUE(keys_->authenticate_and_charge(key).key.is_ok());
}

TEST_F(ApiKeyServiceTest, EachKeyHasItsOwnAllowance) {
  keys_ = make_service({/*rate_per_minute=*/60, /*burst=*/2});
  const auto first = must_create("partner.one");
  const auto second = must_create("partner.two");
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(keys_->authenticate_and_charge(first).key.is_ok());
  EXPECT_FALSE(keys_->authenticate_and_charge(first).key.is_ok());
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(keys_->authenticate_and_charge(second).key.is_ok());
  EXPECT_FALSE(keys_->authenticate_and_charge(second).key.is_ok());
}

TEST_F(ApiKeyServiceTest, RefusedKeysUseNoAllowance) {
  keys_ = make_service({/*rate_per_minute=*/60, /*burst=*/1});
  const auto key = must_create("partner.one");
  for (int i = 0; i < 5; ++i) {
    const auto refused = keys_->authenticate_and_charge("co_" + std::string(40, 'f'));
    expect_refused(refused.key, "invalid_api_key");
    EXPECT_EQ(refused.retry_after, 0s);
  }
  EXPECT_TRUE(keys_->authenticate_and_charge(key).key.is_ok());
}

}  // namespace
}  // namespace cityops::services
