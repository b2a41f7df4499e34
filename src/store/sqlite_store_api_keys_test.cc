// The api_keys table through the store interface, on a real database file.
#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}};

ApiKeyRecord make_key(std::string name, std::string hash, std::string department = {}) {
  ApiKeyRecord key;
  key.name = std::move(name);
  key.key_hash = std::move(hash);
  key.department = std::move(department);
  key.created_at = kT0;
  return key;
}

class ApiKeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = open(); }

  std::unique_ptr<SqliteStore> open() {
    auto opened = SqliteStore::open(dir_.path() / "cityops.db", 2);
    EXPECT_TRUE(opened.is_ok()) << opened.status().message();
    return opened.is_ok() ? std::move(opened).value() : nullptr;
  }

  ApiKeyRecord must_create(const ApiKeyRecord& draft) {
    auto created = store_->create_api_key(draft);
    EXPECT_TRUE(created.is_ok()) << created.status().message();
    return created.is_ok() ? created.value() : ApiKeyRecord{};
  }

  std::optional<ApiKeyRecord> must_find(Store& store, const std::string& hash) {
    auto found = store.find_api_key(hash);
    EXPECT_TRUE(found.is_ok()) << found.status().message();
    return found.is_ok() ? found.value() : std::nullopt;
  }

  cityops::testing::TempDir dir_{"cityops-api-key-store"};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(ApiKeyStoreTest, KeyRoundTripsEveryField) {
  const auto created = must_create(make_key("partner.one", "aa11", "city_mgmt"));
  EXPECT_GT(created.id, 0);

  const auto found = must_find(*store_, "aa11");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, created.id);
  EXPECT_EQ(found->name, "partner.one");
  EXPECT_EQ(found->key_hash, "aa11");
  EXPECT_EQ(found->department, "city_mgmt");
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_FALSE(found->revoked_at.has_value());
}

TEST_F(ApiKeyStoreTest, UnknownHashIsEmptyNotAnError) {
  must_create(make_key("partner.one", "aa11"));
  EXPECT_FALSE(must_find(*store_, "bb22").has_value());
  EXPECT_FALSE(must_find(*store_, "").has_value());
}

TEST_F(ApiKeyStoreTest, TakenNameIsConflictAndWritesNothing) {
  must_create(make_key("partner.one", "aa11"));
  auto again = store_->create_api_key(make_key("partner.one", "bb22"));
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().kind(), ErrorKind::kConflict);
  EXPECT_EQ(again.status().code(), "api_key_name_taken");
  EXPECT_EQ(again.status().field(), "name");

  EXPECT_FALSE(must_find(*store_, "bb22").has_value());
  auto listed = store_->list_api_keys();
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().key_hash, "aa11");
}

TEST_F(ApiKeyStoreTest, ListIsByNameAndKeepsRevokedKeys) {
  must_create(make_key("zeta", "01"));
  must_create(make_key("Alpha", "02"));
  must_create(make_key("mid", "03"));
  ASSERT_TRUE(store_->revoke_api_key("mid", kT0 + 1h).is_ok());

  auto listed = store_->list_api_keys();
  ASSERT_TRUE(listed.is_ok());
  std::vector<std::string> names;
  for (const auto& key : *listed) names.push_back(key.name);
  // SQLite's binary order: capitals before lowercase.
  EXPECT_EQ(names, (std::vector<std::string>{"Alpha", "mid", "zeta"}));
  EXPECT_EQ((*listed)[1].revoked_at, kT0 + 1h);
  EXPECT_FALSE((*listed)[0].revoked_at.has_value());
}

TEST_F(ApiKeyStoreTest, RevokingTwiceKeepsTheFirstTime) {
  must_create(make_key("partner.one", "aa11"));
  ASSERT_TRUE(store_->revoke_api_key("partner.one", kT0 + 1h).is_ok());
  ASSERT_TRUE(store_->revoke_api_key("partner.one", kT0 + 2h).is_ok());
  const auto found = must_find(*store_, "aa11");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->revoked_at, kT0 + 1h);
}

TEST_F(ApiKeyStoreTest, RevokingAnUnknownNameIsNotFound) {
  must_create(make_key("partner.one", "aa11"));
  const Status status = store_->revoke_api_key("partner.two", kT0);
  EXPECT_EQ(status.kind(), ErrorKind::kNotFound);
  EXPECT_EQ(status.code(), "unknown_api_key");
  EXPECT_FALSE(must_find(*store_, "aa11")->revoked_at.has_value());
}

// The command line writes through a store of its own while the server's is open; the server's
// readers must see each change at once.
TEST_F(ApiKeyStoreTest, ChangesByAnotherStoreOnTheFileShowAtOnce) {
  auto other = open();
  ASSERT_TRUE(other);
  EXPECT_FALSE(must_find(*store_, "aa11").has_value());

  ASSERT_TRUE(other->create_api_key(make_key("partner.one", "aa11")).is_ok());
  const auto created = must_find(*store_, "aa11");
  ASSERT_TRUE(created.has_value());
  EXPECT_FALSE(created->revoked_at.has_value());

  ASSERT_TRUE(other->revoke_api_key("partner.one", kT0 + 1h).is_ok());
  EXPECT_EQ(must_find(*store_, "aa11")->revoked_at, kT0 + 1h);
}

TEST_F(ApiKeyStoreTest, KeysSurviveReopening) {
  must_create(make_key("partner.one", "aa11", "city_mgmt"));
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  const auto found = must_find(*store_, "aa11");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->department, "city_mgmt");
}

}  // namespace
}  // namespace cityops::store
