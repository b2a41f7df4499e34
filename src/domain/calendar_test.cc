#include "domain/calendar.h"
#include "common/source_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "domain/calendar_import.h"
#include "support/text_file.h"

namespace cityops {
namespace {

using namespace std::chrono;

Timestamp at(const char* text) {
  const auto t = parse_rfc3339(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

year_month_day date(const char* text) {
  const auto d = parse_date(text);
  EXPECT_TRUE(d) << text;
  return d.value_or(year_month_day{});
}

std::vector<CalendarYear> project_years() {
  std::vector<CalendarYear> years;
  for (int y : {2024, 2025, 2026}) {
    const auto path =
        std::string(::cityops::source_dir()) + "/data/calendar/china-" + std::to_string(y) + ".csv";
    auto parsed = parse_calendar_csv(testing::read_text_file(path).value_or(""));
    EXPECT_TRUE(parsed) << path;
    if (parsed) years.push_back(std::move(parsed).value());
  }
  return years;
}

const WorkCalendar& china() {
  static const WorkCalendar calendar(project_years(), OfficeHours::standard());
  return calendar;
}

struct AddCase {
  const char* label;
  const char* start;
  const char* limit;
  const char* due;
  std::vector<int> unpublished;
};

void check_add(const WorkCalendar& calendar, const std::vector<AddCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto limit = parse_time_limit(c.limit);
    ASSERT_TRUE(limit) << c.limit;
    const Due due = calendar.add(at(c.start), *limit);
    EXPECT_EQ(format_rfc3339(due.due), c.due);
    EXPECT_EQ(due.unpublished_years, c.unpublished);
  }
}

// Mon 2025-09-22 and the weeks around it are ordinary; Sun 28 Sep is a make-up day.
TEST(WorkCalendarAdd, WorkingDaysContract) {
  check_add(china(), {{"3 working days over National Day",
                       "2025-09-30T16:00:00+08:00",
                       "3wd",
                       "2025-10-11T16:00:00+08:00",
                       {}}});
}

TEST(WorkCalendarAdd, WorkingHours) {
  check_add(
      china(),
      {
          {"within a morning", "2025-09-22T09:00:00+08:00", "2wh", "2025-09-22T11:00:00+08:00", {}},
          {"across lunch", "2025-09-22T11:00:00+08:00", "2wh", "2025-09-22T14:30:00+08:00", {}},
          {"ends at noon", "2025-09-22T11:00:00+08:00", "1wh", "2025-09-22T12:00:00+08:00", {}},
          {"ends at closing", "2025-09-22T16:30:00+08:00", "1wh", "2025-09-22T17:30:00+08:00", {}},
          {"starts in lunch", "2025-09-22T12:30:00+08:00", "1wh", "2025-09-22T14:30:00+08:00", {}},
          {"starts before opening",
           "2025-09-22T07:00:00+08:00",
           "1wh",
           "2025-09-22T09:30:00+08:00",
           {}},
          {"across the evening",
           "2025-09-22T17:00:00+08:00",
           "1wh",
           "2025-09-23T09:00:00+08:00",
           {}},
          {"starts after closing",
           "2025-09-22T20:00:00+08:00",
           "1wh",
           "2025-09-23T09:30:00+08:00",
           {}},
          {"two full days", "2025-09-22T08:30:00+08:00", "15wh", "2025-09-23T17:30:00+08:00", {}},
          {"over a weekend", "2025-09-19T17:00:00+08:00", "1wh", "2025-09-22T09:00:00+08:00", {}},
          {"onto a make-up Sunday",
           "2025-09-26T17:00:00+08:00",
           "1wh",
           "2025-09-28T09:00:00+08:00",
           {}},
          {"over National Day",
           "2025-09-30T17:00:00+08:00",
           "1wh",
           "2025-10-09T09:00:00+08:00",
           {}},
          {"starts on a holiday",
           "2025-10-03T10:00:00+08:00",
           "7.5wh",
           "2025-10-09T17:30:00+08:00",
           {}},
          {"quarter hour across noon",
           "2025-09-22T11:50:00+08:00",
           "0.25wh",
           "2025-09-22T13:35:00+08:00",
           {}},
          {"2024 Spring Festival to make-up Sunday",
           "2024-02-09T17:00:00+08:00",
           "1wh",
           "2024-02-18T09:00:00+08:00",
           {}},
          {"New Year 2026 to make-up Sunday",
           "2025-12-31T17:00:00+08:00",
           "1wh",
           "2026-01-04T09:00:00+08:00",
           {}},
      });
}

TEST(WorkCalendarAdd, NaturalHours) {
  check_add(
      china(),
      {
          {"one day over a holiday",
           "2025-09-30T16:00:00+08:00",
           "24nh",
           "2025-10-01T16:00:00+08:00",
           {}},
          {"fractional", "2025-09-30T16:00:00+08:00", "1.5nh", "2025-09-30T17:30:00+08:00", {}},
          {"into an unpublished year needs no calendar",
           "2026-12-31T20:00:00+08:00",
           "48nh",
           "2027-01-02T20:00:00+08:00",
           {}},
      });
}

TEST(WorkCalendarAdd, WorkingDays) {
  check_add(china(), {
                         {"start in lunch moves to 13:30",
                          "2025-09-22T12:30:00+08:00",
                          "1wd",
                          "2025-09-23T13:30:00+08:00",
                          {}},
                         {"start after closing",
                          "2025-09-22T18:00:00+08:00",
                          "1wd",
                          "2025-09-24T08:30:00+08:00",
                          {}},
                         {"start exactly at closing",
                          "2025-09-22T17:30:00+08:00",
                          "1wd",
                          "2025-09-24T08:30:00+08:00",
                          {}},
                         {"start before opening",
                          "2025-09-22T07:00:00+08:00",
                          "1wd",
                          "2025-09-23T08:30:00+08:00",
                          {}},
                         {"start on a holiday",
                          "2025-10-03T10:00:00+08:00",
                          "1wd",
                          "2025-10-10T08:30:00+08:00",
                          {}},
                         {"start on a Saturday before a make-up Sunday",
                          "2025-09-27T10:00:00+08:00",
                          "1wd",
                          "2025-09-29T08:30:00+08:00",
                          {}},
                         {"2024 Spring Festival",
                          "2024-02-08T10:00:00+08:00",
                          "2wd",
                          "2024-02-18T10:00:00+08:00",
                          {}},
                         {"2026 make-up Saturday",
                          "2026-02-13T10:00:00+08:00",
                          "1wd",
                          "2026-02-14T10:00:00+08:00",
                          {}},
                         {"2026 Spring Festival",
                          "2026-02-13T10:00:00+08:00",
                          "2wd",
                          "2026-02-24T10:00:00+08:00",
                          {}},
                     });
}

TEST(WorkCalendarAdd, UnpublishedYearsFallBackToTheWeeklyRule) {
  EXPECT_FALSE(china().is_published(2027));
  check_add(
      china(),
      {
          // 1 Jan 2027 is a Friday: no New Year holiday is guessed.
          {"into 2027", "2026-12-31T17:00:00+08:00", "1wh", "2027-01-01T09:00:00+08:00", {2027}},
          {"ends at closing before 2027",
           "2026-12-31T17:00:00+08:00",
           "0.5wh",
           "2026-12-31T17:30:00+08:00",
           {}},
          {"days within 2027",
           "2027-01-08T10:00:00+08:00",
           "1wd",
           "2027-01-11T10:00:00+08:00",
           {2027}},
          // 1 Jan 2024 is named by the 2024 notice, so only 2023 is reported.
          {"from 2023", "2023-12-29T17:00:00+08:00", "1wh", "2024-01-02T09:00:00+08:00", {2023}},
      });
  check_add(WorkCalendar({}, OfficeHours::standard()), {{"nothing published",
                                                         "2025-12-31T17:00:00+08:00",
                                                         "1wh",
                                                         "2026-01-01T09:00:00+08:00",
                                                         {2025, 2026}}});
}

TEST(WorkCalendarAdd, CustomHours) {
  const auto hours = parse_office_hours("09:00-17:00");
  ASSERT_TRUE(hours);
  check_add(WorkCalendar(project_years(), *hours),
            {{"single period", "2025-09-22T16:00:00+08:00", "2wh", "2025-09-23T10:00:00+08:00", {}},
             {"lunch is office time",
              "2025-09-22T12:30:00+08:00",
              "1wd",
              "2025-09-23T12:30:00+08:00",
              {}}});
}

TEST(WorkCalendarAdd, NonPositiveLimitsAreDueAtTheStart) {
  const auto start = at("2025-10-03T10:00:00+08:00");
  for (double amount : {0.0, -1.0, std::nan("")}) {
    EXPECT_EQ(china().add(start, {amount, TimeUnit::kWorkingHours}).due, start) << amount;
    EXPECT_EQ(china().add(start, {amount, TimeUnit::kWorkingDays}).due, start) << amount;
  }
}

TEST(WorkCalendarAdd, StopsWhenThereIsNoWorkingTime) {
  const auto start = at("2025-01-01T10:00:00+08:00");
  const WorkCalendar closed({}, OfficeHours{});
  for (auto unit : {TimeUnit::kWorkingHours, TimeUnit::kWorkingDays}) {
    const Due due = closed.add(start, {1, unit});
    EXPECT_GT(due.due, start + days{700});
    EXPECT_FALSE(due.unpublished_years.empty());
  }
  // A year listed as all off is crossed; the next, unpublished year has working days.
  CalendarYear all_off{2025, {}};
  for (sys_days d = sys_days{date("2025-01-01")}; d <= sys_days{date("2025-12-31")}; d += days{1}) {
    all_off.days.push_back({year_month_day{d}, true, "closed"});
  }
  check_add(WorkCalendar({all_off}, OfficeHours::standard()), {{"whole year off",
                                                                "2025-01-01T10:00:00+08:00",
                                                                "1wh",
                                                                "2026-01-01T09:30:00+08:00",
                                                                {2026}}});
  // An absurd limit ends at the scan bound instead of running for minutes.
  const Due far = china().add(start, {1e12, TimeUnit::kWorkingDays});
  EXPECT_GT(far.due, start + days{365 * 90});
}

TEST(WorkCalendar, InputOrderDoesNotMatter) {
  auto years = project_years();
  std::reverse(years.begin(), years.end());
  for (auto& y : years) std::reverse(y.days.begin(), y.days.end());
  const WorkCalendar shuffled(years, OfficeHours::standard());
  EXPECT_EQ(shuffled.published_years(), (std::vector<int>{2024, 2025, 2026}));
  for (sys_days d = sys_days{date("2024-01-01")}; d <= sys_days{date("2026-12-31")}; d += days{1}) {
    ASSERT_EQ(shuffled.is_working_day(year_month_day{d}), china().is_working_day(year_month_day{d}))
        << format_date(year_month_day{d});
  }
  const auto limit = *parse_time_limit("3wd");
  EXPECT_EQ(shuffled.add(at("2025-09-30T16:00:00+08:00"), limit).due,
            at("2025-10-11T16:00:00+08:00"));
}

TEST(WorkCalendar, LaterNoticeWinsOnASharedDate) {
  // Mon 2025-12-29, made a holiday by a (hypothetical) 2026 notice and a workday by 2025's.
  const CalendarYear y2025{2025, {{date("2025-12-29"), false, "a"}}};
  const CalendarYear y2026{2026, {{date("2025-12-29"), true, "b"}}};
  EXPECT_FALSE(
      WorkCalendar({y2026, y2025}, OfficeHours::standard()).is_working_day(date("2025-12-29")));
  EXPECT_FALSE(
      WorkCalendar({y2025, y2026}, OfficeHours::standard()).is_working_day(date("2025-12-29")));
}

TEST(WorkCalendar, NormalisesOfficeHoursGivenDirectly) {
  const OfficeHours messy{{{hours{13} + minutes{30}, hours{17} + minutes{30}},
                           {hours{8} + minutes{30}, hours{12}},
                           {hours{11}, hours{12} + minutes{30}},
                           {hours{20}, hours{19}}}};
  const WorkCalendar calendar({}, messy);
  EXPECT_EQ(format_office_hours(calendar.office_hours()), "08:30-12:30,13:30-17:30");
}

struct CountCase {
  const char* label;
  const char* from;
  const char* to;
  TimeUnit unit;
  seconds expected;
};

TEST(WorkCalendar, CountedBetween) {
  const std::vector<CountCase> cases = {
      // 1.5 h on 30 Sep, 7.5 h on 9 and 10 Oct, 6 h on Sat 11 Oct.
      {"contract span", "2025-09-30T16:00:00+08:00", "2025-10-11T16:00:00+08:00",
       TimeUnit::kWorkingDays, hours{22} + minutes{30}},
      {"natural day", "2025-09-30T16:00:00+08:00", "2025-10-01T16:00:00+08:00",
       TimeUnit::kNaturalHours, hours{24}},
      {"reversed", "2025-10-01T16:00:00+08:00", "2025-09-30T16:00:00+08:00",
       TimeUnit::kNaturalHours, seconds{0}},
      {"empty", "2025-09-22T10:00:00+08:00", "2025-09-22T10:00:00+08:00", TimeUnit::kWorkingHours,
       seconds{0}},
      {"inside lunch", "2025-09-22T12:10:00+08:00", "2025-09-22T13:20:00+08:00",
       TimeUnit::kWorkingHours, seconds{0}},
      {"across lunch", "2025-09-22T11:00:00+08:00", "2025-09-22T14:30:00+08:00",
       TimeUnit::kWorkingHours, hours{2}},
      {"holidays only", "2025-10-01T00:00:00+08:00", "2025-10-09T00:00:00+08:00",
       TimeUnit::kWorkingHours, seconds{0}},
      {"make-up Sunday", "2025-09-28T00:00:00+08:00", "2025-09-29T00:00:00+08:00",
       TimeUnit::kWorkingHours, hours{7} + minutes{30}},
      {"weekend", "2025-09-20T00:00:00+08:00", "2025-09-22T00:00:00+08:00", TimeUnit::kWorkingHours,
       seconds{0}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(china().counted_between(at(c.from), at(c.to), c.unit), c.expected);
  }
}

TEST(WorkCalendar, CountedTimeToTheDueInstantIsTheLimit) {
  for (const char* start : {"2025-09-22T07:00:00+08:00", "2025-09-30T17:10:00+08:00",
                            "2024-02-09T11:59:00+08:00", "2026-12-31T12:00:00+08:00"}) {
    for (double amount : {0.25, 1.0, 7.5, 40.0}) {
      SCOPED_TRACE(std::string(start) + " + " + std::to_string(amount));
      const Due due = china().add(at(start), {amount, TimeUnit::kWorkingHours});
      EXPECT_EQ(china().counted_between(at(start), due.due, TimeUnit::kWorkingHours),
                seconds{std::llround(amount * 3600)});
    }
  }
}

TEST(OfficeHours, StandardAndParsing) {
  const auto parsed = parse_office_hours("08:30-12:00,13:30-17:30");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, OfficeHours::standard());
  EXPECT_EQ(OfficeHours::standard().per_day(), hours{7} + minutes{30});
  EXPECT_EQ(format_office_hours(*parsed), "08:30-12:00,13:30-17:30");

  const auto unsorted = parse_office_hours(" 13:30-17:30 , 08:30-12:00 ");
  ASSERT_TRUE(unsorted);
  EXPECT_EQ(*unsorted, OfficeHours::standard());

  const auto whole_day = parse_office_hours("00:00-24:00");
  ASSERT_TRUE(whole_day);
  EXPECT_EQ(whole_day->per_day(), hours{24});
}

TEST(OfficeHours, RefusesBadText) {
  for (const char* text : {"", "  ", "08:30", "8:30-12:00", "08:30-12:00,", "12:00-08:30",
                           "09:00-09:00", "08:30-12:00,11:00-13:00", "24:30-25:00", "08:60-09:00",
                           "ab:cd-ef:gh", "08:30-12:00;13:30-17:30", "24:00-24:00"}) {
    SCOPED_TRACE(text);
    const auto parsed = parse_office_hours(text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.status().code(), "bad_office_hours");
    EXPECT_EQ(parsed.status().field(), "office_hours");
  }
}

}  // namespace
}  // namespace cityops
