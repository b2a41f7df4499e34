// The decoded-case cache gives back exactly what decoding the text gives, for new and repeated
// texts, and never holds more than its capacity.
#include "store/decoded_cases.h"

#include <gtest/gtest.h>

#include "domain/case_record.h"
#include "store/case_rows.h"

namespace cityops::store {
namespace {

Case sample(int n) {
  Case c;
  c.number = "130304-20261204-" + std::to_string(100000 + n).substr(0, 6);
  c.category = "06015";
  c.description = "海滨浴场有垃圾 " + std::to_string(n);
  c.location = {119.48 + n * 1e-5, 39.83};
  c.version = 1 + n % 3;
  return c;
}

TEST(DecodedCases, RepeatsGiveTheSameCaseAsDecodingAndTheSizeStaysBounded) {
  DecodedCases cache(8);
  for (int round = 0; round < 3; ++round) {
    for (int n = 0; n < 20; ++n) {
      const std::string body = encode_case_body(sample(n));
      auto cached = cache.decode(body);
      auto direct = case_from_body(body);
      ASSERT_TRUE(cached.is_ok() && direct.is_ok());
      EXPECT_EQ(case_to_record(*cached), case_to_record(*direct));
      EXPECT_EQ(cached->description, sample(n).description);
      EXPECT_LE(cache.size(), 8u);
    }
  }
}

TEST(DecodedCases, UnreadableTextIsAnErrorAndNotKept) {
  DecodedCases cache(8);
  EXPECT_FALSE(cache.decode("{not json").is_ok());
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace cityops::store
