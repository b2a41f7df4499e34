// The wire form of reports: strict decoding with a code and field for every refusal, masking of
// personal data, and the traffic light of a step against the working calendar.
#include "api/case_json.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "domain/calendar.h"

namespace cityops::api {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

json minimal_body() {
  return {{"category", "01001"},
          {"description", "井盖缺失"},
          {"location", {{"lon", 119.485}, {"lat", 39.834}}},
          {"channel", "hotline"}};
}

// The minimal body with one change applied.
json with(const std::function<void(json&)>& change) {
  json body = minimal_body();
  change(body);
  return body;
}

TEST(DecodeNewCase, AcceptsGoodBodies) {
  const auto minimal = decode_new_case(minimal_body());
  ASSERT_TRUE(minimal.is_ok()) << minimal.status().message();
  EXPECT_EQ(minimal->category, "01001");
  EXPECT_EQ(minimal->description, "井盖缺失");
  EXPECT_EQ(minimal->location.lon, 119.485);
  EXPECT_EQ(minimal->location.lat, 39.834);
  EXPECT_EQ(minimal->datum, geo::Datum::kWgs84);
  EXPECT_EQ(minimal->channel, Channel::kHotline);
  EXPECT_EQ(minimal->urgency, Urgency::kNormal);
  EXPECT_EQ(minimal->address, "");
  EXPECT_EQ(minimal->reporter.name, "");
  EXPECT_TRUE(minimal->photos.empty());
  EXPECT_FALSE(minimal->idempotency_key.has_value());
  EXPECT_FALSE(minimal->reported_at.has_value());

  const json full = {
      {"category", "matter:01001"},
      {"description", "海宁路口井盖缺失，有行人跌倒风险"},
      {"location", {{"lon", 119.49}, {"lat", 39.83}, {"datum", "gcj02"}}},
      {"address", "海宁路与东经路交叉口"},
      {"channel", "mobile_app"},
      {"urgency", "urgent"},
      {"reporter", {{"name", "李四"}, {"phone", "+86 138-0000-5678"}, {"anonymous", false}}},
      {"photos", {"photo-1.jpg", "https://example.invalid/p/2.jpg"}},
  };
  const auto decoded = decode_new_case(full);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(decoded->category, "matter:01001");
  EXPECT_EQ(decoded->datum, geo::Datum::kGcj02);
  EXPECT_EQ(decoded->address, "海宁路与东经路交叉口");
  EXPECT_EQ(decoded->channel, Channel::kMobileApp);
  EXPECT_EQ(decoded->urgency, Urgency::kUrgent);
  EXPECT_EQ(decoded->reporter.name, "李四");
  EXPECT_EQ(decoded->reporter.phone, "+86 138-0000-5678");
  EXPECT_FALSE(decoded->reporter.anonymous);
  EXPECT_EQ(decoded->photos,
            (std::vector<std::string>{"photo-1.jpg", "https://example.invalid/p/2.jpg"}));
}

TEST(DecodeNewCase, AnonymousReportersLeaveNoNameOrPhone) {
  const auto decoded = decode_new_case(with([](json& b) {
    b["reporter"] = {{"name", "李四"}, {"phone", "13800005678"}, {"anonymous", true}};
  }));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_TRUE(decoded->reporter.anonymous);
  EXPECT_EQ(decoded->reporter.name, "");
  EXPECT_EQ(decoded->reporter.phone, "");
}

TEST(DecodeNewCase, NullOptionalFieldsAreAbsent) {
  const auto decoded = decode_new_case(with([](json& b) {
    b["address"] = nullptr;
    b["urgency"] = nullptr;
    b["reporter"] = nullptr;
    b["photos"] = nullptr;
    b["location"]["datum"] = nullptr;
  }));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(decoded->address, "");
  EXPECT_EQ(decoded->urgency, Urgency::kNormal);
  EXPECT_EQ(decoded->datum, geo::Datum::kWgs84);
}

TEST(DecodeNewCase, RefusesBadBodiesNamingCodeAndField) {
  const struct {
    const char* label;
    json body;
    const char* code;
    const char* field;
  } cases[] = {
      {"array body", json::array({1}), "invalid_body", ""},
      {"string body", json("report"), "invalid_body", ""},
      {"unknown top-level field", with([](json& b) { b["priority"] = 1; }), "unknown_field",
       "priority"},
      {"client-chosen number", with([](json& b) { b["number"] = "130304-20261205-000001"; }),
       "unknown_field", "number"},
      {"missing category", with([](json& b) { b.erase("category"); }), "missing_field", "category"},
      {"null category", with([](json& b) { b["category"] = nullptr; }), "missing_field",
       "category"},
      {"numeric category", with([](json& b) { b["category"] = 1001; }), "invalid_type", "category"},
      {"category of 33 bytes", with([](json& b) { b["category"] = std::string(33, '1'); }),
       "too_long", "category"},
      {"missing description", with([](json& b) { b.erase("description"); }), "missing_field",
       "description"},
      {"blank description", with([](json& b) { b["description"] = " \t\r\n "; }), "missing_field",
       "description"},
      {"description not UTF-8", with([](json& b) { b["description"] = std::string("a\xff"); }),
       "invalid_encoding", "description"},
      {"description of 4001 bytes",
       with([](json& b) { b["description"] = std::string(4001, 'x'); }), "too_long", "description"},
      {"missing location", with([](json& b) { b.erase("location"); }), "missing_field", "location"},
      {"location as array", with([](json& b) {
         b["location"] = {119.4, 39.8};
       }),
       "invalid_type", "location"},
      {"location with altitude", with([](json& b) { b["location"]["alt"] = 3; }), "unknown_field",
       "location.alt"},
      {"missing latitude", with([](json& b) { b["location"].erase("lat"); }), "missing_field",
       "location.lat"},
      {"longitude as text", with([](json& b) { b["location"]["lon"] = "119.4"; }), "invalid_type",
       "location.lon"},
      {"longitude past 180", with([](json& b) { b["location"]["lon"] = 180.5; }), "out_of_range",
       "location.lon"},
      {"latitude below -90", with([](json& b) { b["location"]["lat"] = -90.01; }), "out_of_range",
       "location.lat"},
      {"unknown datum", with([](json& b) { b["location"]["datum"] = "osgb36"; }), "unknown_datum",
       "location.datum"},
      {"numeric address", with([](json& b) { b["address"] = 12; }), "invalid_type", "address"},
      {"address of 501 bytes", with([](json& b) { b["address"] = std::string(501, 'a'); }),
       "too_long", "address"},
      {"missing channel", with([](json& b) { b.erase("channel"); }), "missing_field", "channel"},
      {"unknown channel", with([](json& b) { b["channel"] = "fax"; }), "unknown_channel",
       "channel"},
      {"unknown urgency", with([](json& b) { b["urgency"] = "asap"; }), "unknown_urgency",
       "urgency"},
      {"reporter as text", with([](json& b) { b["reporter"] = "李四"; }), "invalid_type",
       "reporter"},
      {"reporter with email", with([](json& b) {
         b["reporter"] = {{"email", "a@b.c"}};
       }),
       "unknown_field", "reporter.email"},
      {"phone with letters", with([](json& b) {
         b["reporter"] = {{"phone", "138abc"}};
       }),
       "invalid_phone", "reporter.phone"},
      {"phone of 33 bytes", with([](json& b) {
         b["reporter"] = {{"phone", std::string(33, '1')}};
       }),
       "too_long", "reporter.phone"},
      {"anonymous as text", with([](json& b) {
         b["reporter"] = {{"anonymous", "yes"}};
       }),
       "invalid_type", "reporter.anonymous"},
      {"photos as object", with([](json& b) {
         b["photos"] = {{"a", 1}};
       }),
       "invalid_type", "photos"},
      {"21 photos", with([](json& b) { b["photos"] = std::vector<std::string>(21, "p.jpg"); }),
       "too_many", "photos"},
      {"empty photo", with([](json& b) {
         b["photos"] = {"p.jpg", ""};
       }),
       "invalid_photo", "photos[1]"},
      {"numeric photo", with([](json& b) { b["photos"] = {7}; }), "invalid_photo", "photos[0]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto decoded = decode_new_case(c.body);
    ASSERT_FALSE(decoded.is_ok());
    EXPECT_EQ(decoded.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(decoded.status().code(), c.code);
    EXPECT_EQ(decoded.status().field(), c.field);
  }
}

TEST(MaskPhone, HidesTheMiddleOrAllButTheLastTwoDigits) {
  const struct {
    const char* label;
    const char* phone;
    const char* masked;
  } cases[] = {
      {"empty", "", ""},
      {"one digit", "7", "7"},
      {"two digits", "12", "12"},
      {"emergency number", "110", "*10"},
      {"six digits", "123456", "****56"},
      {"seven-digit landline", "8001234", "*****34"},
      {"eight-digit landline", "66012345", "******45"},
      {"ten digits", "0335601234", "********34"},
      {"mobile", "13800005678", "138****5678"},
      {"landline with area code", "0335-6012345", "033****2345"},
      {"international mobile", "+8613800005678", "+86****5678"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(mask_phone(c.phone), c.masked);
  }
}

TEST(MaskName, KeepsTheFirstCharacterAndStarsTheRest) {
  const struct {
    const char* label;
    const char* name;
    const char* masked;
  } cases[] = {
      {"empty", "", ""},
      {"one character is still masked", "王", "王*"},
      {"two characters", "张三", "张*"},
      {"three characters", "欧阳修", "欧**"},
      {"four characters", "欧阳娜娜", "欧***"},
      {"ASCII", "Li Si", "L****"},
      {"four-byte character first", "𠮷野家", "𠮷**"},
      {"mixed widths", "é李a", "é**"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(mask_name(c.name), c.masked);
  }
}

class StepLightTest : public ::testing::Test {
 protected:
  // No notices loaded: the weekly rule alone, with the standard 08:30-12:00, 13:30-17:30 hours.
  WorkCalendar calendar_{{}, OfficeHours::standard()};
  // Monday 2026-12-07 08:30 in Beijing (00:30 UTC).
  const Timestamp monday_0830_{seconds{1796603400}};
};

TEST_F(StepLightTest, NaturalHoursAgainstTheWallClock) {
  Case c;
  c.state = CaseState::kRegistered;
  c.step_started_at = monday_0830_;
  c.step_limit = {10, TimeUnit::kNaturalHours};
  c.due_at = monday_0830_ + hours{10};
  const struct {
    const char* label;
    Timestamp now;
    const char* light;
  } cases[] = {
      {"before the start", monday_0830_ - hours{1}, "green"},
      {"at the start", monday_0830_, "green"},
      {"79.9 %", monday_0830_ + hours{8} - seconds{36}, "green"},
      {"exactly 80 %", monday_0830_ + hours{8}, "yellow"},
      {"exactly 100 %", monday_0830_ + hours{10}, "yellow"},
      {"one second late", monday_0830_ + hours{10} + seconds{1}, "red"},
      {"a week late", monday_0830_ + hours{24 * 7}, "red"},
  };
  for (const auto& t : cases) {
    SCOPED_TRACE(t.label);
    EXPECT_EQ(step_light(calendar_, c, t.now), t.light);
  }
}

TEST_F(StepLightTest, WorkingHoursCountOnlyOfficeTime) {
  // 5 working hours from Monday 08:30: 3.5 h to noon, 1.5 h after 13:30, due at 15:00.
  Case c;
  c.state = CaseState::kDispatched;
  c.step_started_at = monday_0830_;
  c.step_limit = {5, TimeUnit::kWorkingHours};
  c.due_at = monday_0830_ + hours{6} + minutes{30};
  const struct {
    const char* label;
    Timestamp now;
    const char* light;
  } cases[] = {
      {"noon, 70 %", monday_0830_ + hours{3} + minutes{30}, "green"},
      {"end of lunch, still 70 %", monday_0830_ + hours{5}, "green"},
      {"13:59, 79.7 %", monday_0830_ + hours{5} + minutes{29}, "green"},
      {"14:00, 80 %", monday_0830_ + hours{5} + minutes{30}, "yellow"},
      {"15:00, due", monday_0830_ + hours{6} + minutes{30}, "yellow"},
      {"15:00:01, past due", monday_0830_ + hours{6} + minutes{30} + seconds{1}, "red"},
  };
  for (const auto& t : cases) {
    SCOPED_TRACE(t.label);
    EXPECT_EQ(step_light(calendar_, c, t.now), t.light);
  }
}

TEST_F(StepLightTest, FinishedCasesHaveNoLight) {
  Case c;
  c.step_started_at = monday_0830_;
  c.step_limit = {1, TimeUnit::kNaturalHours};
  c.due_at = monday_0830_ + hours{1};
  const Timestamp late = monday_0830_ + hours{48};
  const struct {
    CaseState state;
    const char* light;
  } cases[] = {
      {CaseState::kReported, "red"},  {CaseState::kHandled, "red"}, {CaseState::kClosed, "none"},
      {CaseState::kRejected, "none"}, {CaseState::kMerged, "none"}, {CaseState::kCancelled, "none"},
  };
  for (const auto& t : cases) {
    SCOPED_TRACE(std::string(to_string(t.state)));
    c.state = t.state;
    EXPECT_EQ(step_light(calendar_, c, late), t.light);
  }
}

}  // namespace
}  // namespace cityops::api
