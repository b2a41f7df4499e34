// The users and sessions tables through the store interface, on a real database file.
#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}};

UserRecord make_user(std::string username, Role role) {
  UserRecord user;
  user.username = std::move(username);
  user.display_name = "显示名";
  user.role = role;
  user.password_hash = "$argon2id$v=19$m=8,t=1,p=1$not-a-real-hash";
  user.created_at = user.updated_at = kT0;
  return user;
}

class AccountRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "cityops.db", 2);
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }

  UserRecord must_create(UserRecord draft) {
    auto created = store_->create_user(draft);
    EXPECT_TRUE(created.is_ok()) << created.status().message();
    return created.is_ok() ? created.value() : UserRecord{};
  }

  cityops::testing::TempDir dir_{"cityops-account-rows"};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(AccountRowsTest, UserRoundTripsEveryField) {
  auto draft = make_user("grid.zhao", Role::kGridWorker);
  draft.department = "street_dongshan";
  draft.grids = {"130304-GG-041", "130304002003015"};
  const auto created = must_create(draft);
  EXPECT_GT(created.id, 0);

  for (const auto& found :
       {store_->find_user_by_name("grid.zhao"), store_->find_user_by_id(created.id)}) {
    ASSERT_TRUE(found.is_ok() && found->has_value());
    const auto& user = **found;
    EXPECT_EQ(user.id, created.id);
    EXPECT_EQ(user.username, "grid.zhao");
    EXPECT_EQ(user.display_name, "显示名");
    EXPECT_EQ(user.role, Role::kGridWorker);
    EXPECT_EQ(user.department, "street_dongshan");
    EXPECT_EQ(user.grids, draft.grids);
    EXPECT_EQ(user.password_hash, draft.password_hash);
    EXPECT_FALSE(user.disabled);
    EXPECT_EQ(user.created_at, kT0);
    EXPECT_EQ(user.updated_at, kT0);
  }
}

TEST_F(AccountRowsTest, MissingUsersAreEmptyNotErrors) {
  auto by_name = store_->find_user_by_name("nobody");
  ASSERT_TRUE(by_name.is_ok());
  EXPECT_FALSE(by_name->has_value());
  auto by_id = store_->find_user_by_id(42);
  ASSERT_TRUE(by_id.is_ok());
  EXPECT_FALSE(by_id->has_value());
  EXPECT_EQ(store_->update_password(42, "x", kT0).code(), "unknown_user");
  EXPECT_EQ(store_->set_disabled(42, true, kT0).code(), "unknown_user");
  EXPECT_EQ(store_->revoke_session("00", kT0).code(), "unknown_session");
}

TEST_F(AccountRowsTest, TakenUsernameIsConflictAndWritesNothing) {
  must_create(make_user("admin", Role::kAdmin));
  auto again = store_->create_user(make_user("admin", Role::kViewer));
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().kind(), ErrorKind::kConflict);
  EXPECT_EQ(again.status().code(), "username_taken");
  auto users = store_->list_users();
  ASSERT_TRUE(users.is_ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ(users->front().role, Role::kAdmin);
}

TEST_F(AccountRowsTest, ListIsByUsername) {
  for (const char* name : {"viewer", "admin", "dispatcher"}) {
    must_create(make_user(name, Role::kViewer));
  }
  auto users = store_->list_users();
  ASSERT_TRUE(users.is_ok());
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].username, "admin");
  EXPECT_EQ((*users)[1].username, "dispatcher");
  EXPECT_EQ((*users)[2].username, "viewer");
}

TEST_F(AccountRowsTest, SessionRoundTripAndRevocationKeepsFirstTime) {
  const auto user = must_create(make_user("clerk", Role::kIntakeClerk));
  ASSERT_TRUE(store_->create_session({"aa01", user.id, kT0, kT0 + 12h, {}}).is_ok());
  // The same hash twice is refused by the primary key.
  EXPECT_FALSE(store_->create_session({"aa01", user.id, kT0, kT0 + 12h, {}}).is_ok());

  auto found = store_->find_session("aa01");
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->user_id, user.id);
  EXPECT_EQ((*found)->created_at, kT0);
  EXPECT_EQ((*found)->expires_at, kT0 + 12h);
  EXPECT_FALSE((*found)->revoked_at.has_value());

  ASSERT_TRUE(store_->revoke_session("aa01", kT0 + 1h).is_ok());
  ASSERT_TRUE(store_->revoke_session("aa01", kT0 + 2h).is_ok());
  found = store_->find_session("aa01");
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->revoked_at, kT0 + 1h);

  auto missing = store_->find_session("bb02");
  ASSERT_TRUE(missing.is_ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(AccountRowsTest, SessionNeedsAnExistingUser) {
  EXPECT_FALSE(store_->create_session({"cc03", 999, kT0, kT0 + 1h, {}}).is_ok());
}

TEST_F(AccountRowsTest, PasswordChangeAndDisableRevokeOnlyThatUsersSessions) {
  const auto a = must_create(make_user("alpha", Role::kViewer));
  const auto b = must_create(make_user("bravo", Role::kViewer));
  ASSERT_TRUE(store_->create_session({"a1", a.id, kT0, kT0 + 12h, {}}).is_ok());
  ASSERT_TRUE(store_->create_session({"b1", b.id, kT0, kT0 + 12h, {}}).is_ok());

  ASSERT_TRUE(store_->update_password(a.id, "$argon2id$new", kT0 + 1h).is_ok());
  auto user = store_->find_user_by_id(a.id);
  ASSERT_TRUE(user.is_ok() && user->has_value());
  EXPECT_EQ((*user)->password_hash, "$argon2id$new");
  EXPECT_EQ((*user)->updated_at, kT0 + 1h);
  EXPECT_EQ((*store_->find_session("a1"))->revoked_at, kT0 + 1h);
  EXPECT_FALSE((*store_->find_session("b1"))->revoked_at.has_value());

  ASSERT_TRUE(store_->create_session({"b2", b.id, kT0, kT0 + 12h, {}}).is_ok());
  ASSERT_TRUE(store_->set_disabled(b.id, true, kT0 + 2h).is_ok());
  EXPECT_TRUE((*store_->find_user_by_id(b.id))->disabled);
  EXPECT_EQ((*store_->find_session("b1"))->revoked_at, kT0 + 2h);
  EXPECT_EQ((*store_->find_session("b2"))->revoked_at, kT0 + 2h);
  // The earlier revocation of alpha's session keeps its own time.
  EXPECT_EQ((*store_->find_session("a1"))->revoked_at, kT0 + 1h);

  ASSERT_TRUE(store_->set_disabled(b.id, false, kT0 + 3h).is_ok());
  EXPECT_FALSE((*store_->find_user_by_id(b.id))->disabled);
}

TEST_F(AccountRowsTest, ReopeningKeepsAccounts) {
  must_create(make_user("admin", Role::kAdmin));
  store_.reset();
  auto reopened = SqliteStore::open(dir_.path() / "cityops.db", 1);
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().message();
  auto users = (*reopened)->list_users();
  ASSERT_TRUE(users.is_ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ(users->front().username, "admin");
}

}  // namespace
}  // namespace cityops::store
