// The checked-in calendars against the State Council notices, restated here by hand.
#include <gtest/gtest.h>
#include "common/source_dir.h"

#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/calendar_import.h"
#include "support/shared_data.h"
#include "support/text_file.h"

namespace cityops {
namespace {

using namespace std::chrono;

// A run of days off as the notice words it ("10 to 17 February off"), weekends included.
struct Run {
  const char* name;
  const char* first;
  const char* last;
};

struct Notice {
  int year;
  std::vector<Run> holidays;
  std::vector<const char*> workdays;  // weekend days worked in exchange
  int working_days;                   // hand count: weekdays - holidays on weekdays + make-up days
};

// 国务院办公厅关于2024/2025/2026年部分节假日安排的通知.
const std::vector<Notice> kNotices = {
    {2024,
     {{"元旦", "2024-01-01", "2024-01-01"},
      {"春节", "2024-02-10", "2024-02-17"},
      {"清明节", "2024-04-04", "2024-04-06"},
      {"劳动节", "2024-05-01", "2024-05-05"},
      {"端午节", "2024-06-08", "2024-06-10"},
      {"中秋节", "2024-09-15", "2024-09-17"},
      {"国庆节", "2024-10-01", "2024-10-07"}},
     {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
      "2024-09-29", "2024-10-12"},
     // 262 weekdays (leap year from a Monday) - 19 + 8.
     251},
    {2025,
     {{"元旦", "2025-01-01", "2025-01-01"},
      {"春节", "2025-01-28", "2025-02-04"},
      {"清明节", "2025-04-04", "2025-04-06"},
      {"劳动节", "2025-05-01", "2025-05-05"},
      {"端午节", "2025-05-31", "2025-06-02"},
      {"国庆节、中秋节", "2025-10-01", "2025-10-08"}},
     {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
     // 261 weekdays (from a Wednesday) - 18 + 5.
     248},
    {2026,
     {{"元旦", "2026-01-01", "2026-01-03"},
      {"春节", "2026-02-15", "2026-02-23"},
      {"清明节", "2026-04-04", "2026-04-06"},
      {"劳动节", "2026-05-01", "2026-05-05"},
      {"端午节", "2026-06-19", "2026-06-21"},
      {"中秋节", "2026-09-25", "2026-09-27"},
      {"国庆节", "2026-10-01", "2026-10-07"}},
     {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
     // 261 weekdays (from a Thursday) - 19 + 6.
     248},
};

sys_days day_of(const char* text) {
  const auto date = parse_date(text);
  EXPECT_TRUE(date) << text;
  return sys_days{date.value_or(year_month_day{})};
}

// Whether the notices make `day` a working day, with the weekly rule for the rest.
bool officially_working(sys_days day) {
  for (const auto& notice : kNotices) {
    for (const auto* workday : notice.workdays) {
      if (day_of(workday) == day) return true;
    }
    for (const auto& run : notice.holidays) {
      if (day_of(run.first) <= day && day <= day_of(run.last)) return false;
    }
  }
  const weekday wd{day};
  return wd != Saturday && wd != Sunday;
}

WorkCalendar project_calendar() {
  std::vector<CalendarYear> years;
  for (const auto& notice : kNotices) {
    const auto path = std::string(::cityops::source_dir()) + "/data/calendar/china-" +
                      std::to_string(notice.year) + ".csv";
    const auto text = testing::read_text_file(path);
    EXPECT_TRUE(text) << "cannot read " << path;
    auto year = parse_calendar_csv(text.value_or(""));
    EXPECT_TRUE(year) << path << ": " << (year ? "" : year.status().message());
    if (year) years.push_back(std::move(year).value());
  }
  return WorkCalendar(std::move(years), OfficeHours::standard());
}

TEST(OfficialCalendar, ProjectFilesAgreeWithTheNoticesOnEveryDay) {
  const auto calendar = project_calendar();
  EXPECT_EQ(calendar.published_years(), (std::vector<int>{2024, 2025, 2026}));
  for (sys_days day = day_of("2024-01-01"); day <= day_of("2026-12-31"); day += days{1}) {
    EXPECT_EQ(calendar.is_working_day(year_month_day{day}), officially_working(day))
        << format_date(year_month_day{day});
  }
}

TEST(OfficialCalendar, WorkingDaysPerYearMatchTheHandCount) {
  const auto calendar = project_calendar();
  for (const auto& notice : kNotices) {
    SCOPED_TRACE(notice.year);
    int working = 0;
    const sys_days first{year{notice.year} / January / 1};
    const sys_days last{year{notice.year} / December / 31};
    for (sys_days day = first; day <= last; day += days{1}) {
      working += calendar.is_working_day(year_month_day{day}) ? 1 : 0;
    }
    EXPECT_EQ(working, notice.working_days);
  }
}

TEST(OfficialCalendar, MakeUpDaysAreWeekendsAndHolidayRunsHoldWeekdays) {
  // Guards the table itself: a make-up day on a weekday would be a typo.
  for (const auto& notice : kNotices) {
    for (const auto* workday : notice.workdays) {
      const weekday wd{day_of(workday)};
      EXPECT_TRUE(wd == Saturday || wd == Sunday) << workday;
    }
  }
}

TEST(OfficialCalendar, SharedJsonAgreesWithTheNotices) {
  CITYOPS_REQUIRE_SHARED_DATA(data);
  for (const auto& notice : kNotices) {
    const auto path = data / "holiday-cn" / (std::to_string(notice.year) + ".json");
    const auto text = testing::read_text_file(path);
    ASSERT_TRUE(text) << "cannot read " << path;
    const auto year = parse_holiday_cn_json(*text);
    ASSERT_TRUE(year) << year.status().message();
    for (const auto& day : year->days) {
      EXPECT_EQ(!day.off_day, officially_working(sys_days{day.date})) << format_date(day.date);
    }
    // Every make-up day of the notice is in the file.
    for (const auto* workday : notice.workdays) {
      const auto date = year_month_day{day_of(workday)};
      const bool listed = std::any_of(year->days.begin(), year->days.end(),
                                      [&](const auto& d) { return d.date == date && !d.off_day; });
      EXPECT_TRUE(listed) << workday;
    }
  }
}

}  // namespace
}  // namespace cityops
