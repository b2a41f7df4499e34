#include "app/demo_users.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <set>

namespace cityops::app {
namespace {

TEST(DemoUsers, PasswordsHaveTheLengthAndOnlyUnambiguousCharacters) {
  ASSERT_GE(sodium_init(), 0);
  const std::string ambiguous = "0O1lI";
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string password = random_password(12);
    ASSERT_EQ(password.size(), 12u);
    for (char c : password) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << password;
      EXPECT_EQ(ambiguous.find(c), std::string::npos) << password;
    }
    seen.insert(password);
  }
  // 57 symbols over 12 places: a repeat among 200 draws would mean the source is not random.
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace cityops::app
