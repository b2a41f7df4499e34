#include "services/accounts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::services {
namespace {

using namespace std::chrono_literals;

// 2026-12-04 09:00 in Beijing.
const Timestamp kNow = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}} + 1h;

std::shared_ptr<const std::vector<Department>> beidaihe_departments() {
  return std::make_shared<const std::vector<Department>>(std::vector<Department>{
      {"city_mgmt", "北戴河区城市管理综合行政执法局", DepartmentKind::kAgency, ""},
      {"command_center", "北戴河区城市综合管理指挥中心", DepartmentKind::kAgency, ""},
      {"street_dongshan", "北戴河区东山街道办事处", DepartmentKind::kStreetOffice, "130304002"},
  });
}

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open(dir_.path() / "cityops.db", 2);
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    store_ = std::move(opened).value();
    accounts_ = std::make_unique<AccountService>(
        *store_, clock_, [] { return beidaihe_departments(); },
        AccountSettings{12h, /*fast_hashing_for_tests=*/true});
  }

  Account must_create(const std::string& username, Role role, const std::string& department = {},
                      const std::vector<std::string>& grids = {},
                      const std::string& password = "correct horse") {
    auto created = accounts_->create_user(username, "", role, department, grids, password);
    EXPECT_TRUE(created.is_ok()) << created.status().code();
    return created.is_ok() ? created.value() : Account{};
  }

  SignIn must_login(const std::string& username, const std::string& password = "correct horse") {
    auto signed_in = accounts_->login(username, password);
    EXPECT_TRUE(signed_in.is_ok()) << signed_in.status().code();
    return signed_in.is_ok() ? signed_in.value() : SignIn{};
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

  cityops::testing::TempDir dir_{"cityops-accounts"};
  FixedClock clock_{kNow};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<AccountService> accounts_;
};

TEST_F(AccountServiceTest, PasswordIsStoredAsArgon2idHash) {
  must_create("clerk.li", Role::kIntakeClerk);
  auto stored = store_->find_user_by_name("clerk.li");
  ASSERT_TRUE(stored.is_ok() && stored->has_value());
  const std::string& hash = (*stored)->password_hash;
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

TEST_F(AccountServiceTest, ProductionHashingUsesInteractiveLimits) {
  // libsodium's INTERACTIVE limits: 64 MiB (65536 KiB) of memory and 2 passes.
  AccountService production(*store_, clock_, nullptr);
  ASSERT_TRUE(production.create_user("admin", "", Role::kAdmin, "", {}, "a long secret").is_ok());
  auto stored = store_->find_user_by_name("admin");
  ASSERT_TRUE(stored.is_ok() && stored->has_value());
  EXPECT_EQ((*stored)->password_hash.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u);
  EXPECT_TRUE(production.login("admin", "a long secret").is_ok());
}

TEST_F(AccountServiceTest, LoginIssuesTokenThatAuthenticates) {
  const auto account = must_create("handler.wang", Role::kDepartmentHandler, "city_mgmt");
  const auto signed_in = must_login("handler.wang");

  EXPECT_TRUE(looks_like_token(signed_in.token)) << signed_in.token;
  EXPECT_EQ(signed_in.expires_at, kNow + 12h);
  auto principal = accounts_->authenticate(signed_in.token);
  ASSERT_TRUE(principal.is_ok()) << principal.status().code();
  EXPECT_EQ(principal->user_id, account.principal.user_id);
  EXPECT_EQ(principal->username, "handler.wang");
  EXPECT_EQ(principal->display_name, "handler.wang");  // defaults to the username
  EXPECT_EQ(principal->role, Role::kDepartmentHandler);
  EXPECT_EQ(principal->department, "city_mgmt");
  EXPECT_EQ(principal->street, "");  // an agency, not a street office

  // Two sign-ins give two independent tokens.
  const auto second = must_login("handler.wang");
  EXPECT_NE(second.token, signed_in.token);
}

TEST_F(AccountServiceTest, WrongPasswordAndUnknownUserAnswerAlike) {
  must_create("dispatcher", Role::kDispatcher);
  auto wrong = accounts_->login("dispatcher", "correct horsE");
  auto unknown = accounts_->login("nobody", "correct horse");
  auto empty = accounts_->login("dispatcher", "");
  for (const auto* result : {&wrong, &unknown, &empty}) {
    ASSERT_FALSE(result->is_ok());
    EXPECT_EQ(result->status().kind(), ErrorKind::kUnauthenticated);
    EXPECT_EQ(result->status().code(), "invalid_credentials");
    EXPECT_EQ(result->status().message(), wrong.status().message());
  }
}

TEST_F(AccountServiceTest, DisabledUserCannotLoginAndLosesTokens) {
  must_create("viewer1", Role::kViewer);
  const auto before = must_login("viewer1");
  ASSERT_TRUE(accounts_->disable("viewer1").is_ok());

  auto principal = accounts_->authenticate(before.token);
  ASSERT_FALSE(principal.is_ok());
  EXPECT_EQ(principal.status().code(), "user_disabled");
  auto login = accounts_->login("viewer1", "correct horse");
  ASSERT_FALSE(login.is_ok());
  EXPECT_EQ(login.status().code(), "user_disabled");
  // A wrong password tells nothing about the account's state.
  EXPECT_EQ(accounts_->login("viewer1", "wrong password").status().code(), "invalid_credentials");

  auto listed = accounts_->list();
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(listed->front().disabled);
  EXPECT_EQ(accounts_->disable("ghost").code(), "unknown_user");
}

TEST_F(AccountServiceTest, TokenExpiresAfterSessionLifetime) {
  must_create("inspector", Role::kInspector, "", {"130304-GG-040"});
  const auto signed_in = must_login("inspector");

  clock_.set(kNow + 12h - 1s);
  EXPECT_TRUE(accounts_->authenticate(signed_in.token).is_ok());
  clock_.set(kNow + 12h);
  auto expired = accounts_->authenticate(signed_in.token);
  ASSERT_FALSE(expired.is_ok());
  EXPECT_EQ(expired.status().kind(), ErrorKind::kUnauthenticated);
  EXPECT_EQ(expired.status().code(), "expired_token");
}

TEST_F(AccountServiceTest, LogoutKillsOnlyThatToken) {
  must_create("supervisor", Role::kSupervisor);
  const auto first = must_login("supervisor");
  const auto second = must_login("supervisor");

  ASSERT_TRUE(accounts_->logout(first.token).is_ok());
  EXPECT_EQ(accounts_->authenticate(first.token).status().code(), "invalid_token");
  EXPECT_EQ(accounts_->logout(first.token).code(), "invalid_token");
  EXPECT_TRUE(accounts_->authenticate(second.token).is_ok());
}

TEST_F(AccountServiceTest, ForgedAndMalformedTokensAreRefused) {
  must_create("admin", Role::kAdmin);
  std::string altered = must_login("admin").token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  const std::vector<std::string> forged{
      "",
      "abc",
      std::string(43, 'A'),              // well-formed, never issued
      std::string(42, 'A') + "=",        // padding is not part of the alphabet
      std::string(44, 'A'),              // one character too many
      altered,                           // an issued token, one character changed
      "Bearer " + std::string(43, 'A'),  // the scheme is the caller's to strip
  };
  for (const auto& token : forged) {
    SCOPED_TRACE(token);
    auto principal = accounts_->authenticate(token);
    ASSERT_FALSE(principal.is_ok());
    EXPECT_EQ(principal.status().kind(), ErrorKind::kUnauthenticated);
    EXPECT_EQ(principal.status().code(), "invalid_token");
  }
}

TEST_F(AccountServiceTest, OnlyTheTokenHashReachesTheDatabase) {
  must_create("shift_lead", Role::kShiftLead);
  const auto signed_in = must_login("shift_lead");

  const std::string bytes = database_bytes();
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(signed_in.token), std::string::npos);
  EXPECT_EQ(bytes.find("correct horse"), std::string::npos);
  // The stored hash is 64 hex digits of BLAKE2b-256 and is what the store can find.
  const std::string hash = token_hash(signed_in.token);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_NE(bytes.find(hash), std::string::npos);
  auto session = store_->find_session(hash);
  ASSERT_TRUE(session.is_ok() && session->has_value());
  EXPECT_EQ((*session)->expires_at, kNow + 12h);
}

TEST_F(AccountServiceTest, StreetOfficeHandlerCarriesItsStreet) {
  must_create("dongshan", Role::kDepartmentHandler, "street_dongshan");
  auto principal = accounts_->authenticate(must_login("dongshan").token);
  ASSERT_TRUE(principal.is_ok());
  EXPECT_EQ(principal->street, "130304002");
}

TEST_F(AccountServiceTest, GridWorkerKeepsItsGridsInOrder) {
  must_create("grid.zhao", Role::kGridWorker, "", {"130304-GG-041", "130304002003015"});
  auto principal = accounts_->authenticate(must_login("grid.zhao").token);
  ASSERT_TRUE(principal.is_ok());
  EXPECT_EQ(principal->grids, (std::vector<std::string>{"130304-GG-041", "130304002003015"}));
}

TEST_F(AccountServiceTest, RefusedAccountsChangeNothing) {
  struct Row {
    const char* label;
    std::string username;
    std::string display_name;
    Role role;
    std::string department;
    std::vector<std::string> grids;
    std::string password;
    std::string code;
    std::string field;
  };
  const std::string ok = "long enough";
  const std::vector<Row> table{
      {"too short", "ab", "", Role::kViewer, "", {}, ok, "bad_username", "username"},
      {"too long", std::string(33, 'a'), "", Role::kViewer, "", {}, ok, "bad_username", "username"},
      {"upper case", "Alice", "", Role::kViewer, "", {}, ok, "bad_username", "username"},
      {"space", "li si", "", Role::kViewer, "", {}, ok, "bad_username", "username"},
      {"not ascii", "李四四", "", Role::kViewer, "", {}, ok, "bad_username", "username"},
      {"bad display name",
       "lisi",
       "\xff\xfe",
       Role::kViewer,
       "",
       {},
       ok,
       "bad_display_name",
       "display_name"},
      {"7-character password",
       "lisi",
       "",
       Role::kViewer,
       "",
       {},
       "1234567",
       "weak_password",
       "password"},
      {"1025-byte password",
       "lisi",
       "",
       Role::kViewer,
       "",
       {},
       std::string(1025, 'x'),
       "password_too_long",
       "password"},
      {"handler without department",
       "lisi",
       "",
       Role::kDepartmentHandler,
       "",
       {},
       ok,
       "missing_department",
       "department"},
      {"unknown department",
       "lisi",
       "",
       Role::kDepartmentHandler,
       "city_mgmt2",
       {},
       ok,
       "unknown_department",
       "department"},
      {"dispatcher in unknown department",
       "lisi",
       "",
       Role::kDispatcher,
       "nowhere",
       {},
       ok,
       "unknown_department",
       "department"},
      {"grid worker without grids",
       "lisi",
       "",
       Role::kGridWorker,
       "",
       {},
       ok,
       "missing_grids",
       "grids"},
      {"inspector without grids",
       "lisi",
       "",
       Role::kInspector,
       "",
       {},
       ok,
       "missing_grids",
       "grids"},
      {"dispatcher with grids",
       "lisi",
       "",
       Role::kDispatcher,
       "",
       {"130304-GG-001"},
       ok,
       "grids_not_allowed",
       "grids"},
      {"empty grid id", "lisi", "", Role::kGridWorker, "", {""}, ok, "bad_grid", "grids"},
      {"repeated grid id",
       "lisi",
       "",
       Role::kInspector,
       "",
       {"130304-GG-001", "130304-GG-001"},
       ok,
       "bad_grid",
       "grids"},
  };
  for (const auto& row : table) {
    SCOPED_TRACE(row.label);
    auto created = accounts_->create_user(row.username, row.display_name, row.role, row.department,
                                          row.grids, row.password);
    ASSERT_FALSE(created.is_ok());
    EXPECT_EQ(created.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(created.status().code(), row.code);
    EXPECT_EQ(created.status().field(), row.field);
  }
  auto listed = accounts_->list();
  ASSERT_TRUE(listed.is_ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(AccountServiceTest, TakenUsernameIsAConflict) {
  must_create("dispatcher", Role::kDispatcher);
  auto again = accounts_->create_user("dispatcher", "", Role::kViewer, "", {}, "other secret");
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().kind(), ErrorKind::kConflict);
  EXPECT_EQ(again.status().code(), "username_taken");
  // The first account is untouched: its password still works, the second one does not.
  EXPECT_TRUE(accounts_->login("dispatcher", "correct horse").is_ok());
  EXPECT_FALSE(accounts_->login("dispatcher", "other secret").is_ok());
}

TEST_F(AccountServiceTest, NewPasswordReplacesOldAndEndsSessions) {
  must_create("clerk", Role::kIntakeClerk);
  const auto before = must_login("clerk");

  EXPECT_EQ(accounts_->set_password("clerk", "short").code(), "weak_password");
  EXPECT_TRUE(accounts_->login("clerk", "correct horse").is_ok());
  EXPECT_EQ(accounts_->set_password("ghost", "long enough").code(), "unknown_user");

  ASSERT_TRUE(accounts_->set_password("clerk", "battery staple").is_ok());
  EXPECT_EQ(accounts_->authenticate(before.token).status().code(), "invalid_token");
  EXPECT_EQ(accounts_->login("clerk", "correct horse").status().code(), "invalid_credentials");
  EXPECT_TRUE(accounts_->login("clerk", "battery staple").is_ok());
}

TEST_F(AccountServiceTest, WithoutDepartmentListAnyCodeIsAccepted) {
  AccountService bare(*store_, clock_, nullptr, AccountSettings{1h, true});
  auto created =
      bare.create_user("handler", "王五", Role::kDepartmentHandler, "anything", {}, "long enough");
  ASSERT_TRUE(created.is_ok()) << created.status().code();
  EXPECT_EQ(created->principal.display_name, "王五");
  EXPECT_EQ(created->principal.street, "");
  auto signed_in = bare.login("handler", "long enough");
  ASSERT_TRUE(signed_in.is_ok());
  EXPECT_EQ(signed_in->expires_at, kNow + 1h);
}

}  // namespace
}  // namespace cityops::services
