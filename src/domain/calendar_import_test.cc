#include "domain/calendar_import.h"
#include "common/source_dir.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/shared_data.h"
#include "support/text_file.h"

namespace cityops {
namespace {

using namespace std::chrono;

using DaySet = std::set<std::pair<std::string, bool>>;

DaySet as_set(const CalendarYear& year) {
  DaySet set;
  for (const auto& d : year.days) set.emplace(format_date(d.date), d.off_day);
  return set;
}

std::string project_file(int year) {
  const auto path = std::string(::cityops::source_dir()) + "/data/calendar/china-" +
                    std::to_string(year) + ".csv";
  const auto text = testing::read_text_file(path);
  EXPECT_TRUE(text) << "cannot read " << path;
  return text.value_or("");
}

TEST(CalendarImport, ProjectCsvEqualsSharedJsonEqualsSharedIcs) {
  CITYOPS_REQUIRE_SHARED_DATA(data);
  for (int y : {2024, 2025, 2026}) {
    SCOPED_TRACE(y);
    const auto json_text =
        testing::read_text_file(data / "holiday-cn" / (std::to_string(y) + ".json"));
    const auto ics_text =
        testing::read_text_file(data / "holiday-cn" / (std::to_string(y) + ".ics"));
    ASSERT_TRUE(json_text && ics_text);

    const auto json = parse_holiday_cn_json(*json_text);
    const auto ics = parse_icalendar(*ics_text);
    const auto csv = parse_calendar_csv(project_file(y));
    ASSERT_TRUE(json) << json.status().message();
    ASSERT_TRUE(ics) << ics.status().message();
    ASSERT_TRUE(csv) << csv.status().message();
    ASSERT_EQ(ics->size(), 1u);

    EXPECT_EQ(json->year, y);
    EXPECT_EQ(csv->year, y);
    EXPECT_EQ(ics->front().year, y);
    EXPECT_EQ(as_set(*csv), as_set(*json));
    EXPECT_EQ(as_set(ics->front()), as_set(*json));
    // Names agree too once the iCalendar decoration is removed.
    EXPECT_EQ(*csv, *json);
    EXPECT_EQ(ics->front(), *json);
  }
}

TEST(CalendarImport, SharedJsonIsSortedAndKeepsCombinedNames) {
  CITYOPS_REQUIRE_SHARED_DATA(data);
  const auto text = testing::read_text_file(data / "holiday-cn" / "2025.json");
  ASSERT_TRUE(text);
  const auto year = parse_holiday_cn_json(*text);
  ASSERT_TRUE(year) << year.status().message();
  ASSERT_FALSE(year->days.empty());
  EXPECT_EQ(year->days.front(), (CalendarDay{2025y / January / 1d, true, "元旦"}));
  EXPECT_EQ(year->days.back(), (CalendarDay{2025y / October / 11d, false, "国庆节、中秋节"}));
  EXPECT_TRUE(std::is_sorted(year->days.begin(), year->days.end(),
                             [](const auto& a, const auto& b) { return a.date < b.date; }));
}

TEST(CalendarImport, ProjectFilesAreSortedAndNameTheirSource) {
  for (int y : {2024, 2025, 2026}) {
    const auto text = project_file(y);
    EXPECT_NE(text.find("# source: "), std::string::npos) << y;
    EXPECT_NE(text.find("https://www.gov.cn/"), std::string::npos) << y;
    std::vector<std::string> dates;
    size_t pos = text.find("date,kind,name\n");
    ASSERT_NE(pos, std::string::npos);
    for (pos = text.find('\n', pos) + 1; pos < text.size(); pos = text.find('\n', pos) + 1) {
      dates.push_back(text.substr(pos, 10));
    }
    EXPECT_TRUE(std::is_sorted(dates.begin(), dates.end())) << y;
    const auto parsed = parse_calendar_csv(text);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(dates.size(), parsed->days.size()) << "no repeated dates in " << y;
  }
}

TEST(HolidayCnJson, SortsMergesAndKeepsNeighbouringYears) {
  const auto year = parse_holiday_cn_json(R"({"year": 2019, "papers": [], "days": [
      {"name": "元旦", "date": "2019-01-01", "isOffDay": true},
      {"name": "元旦", "date": "2018-12-29", "isOffDay": false},
      {"name": "元旦", "date": "2018-12-30", "isOffDay": true},
      {"name": "元旦", "date": "2019-01-01", "isOffDay": true}]})");
  ASSERT_TRUE(year) << year.status().message();
  EXPECT_EQ(year->year, 2019);
  EXPECT_EQ(as_set(*year),
            (DaySet{{"2018-12-29", false}, {"2018-12-30", true}, {"2019-01-01", true}}));
  EXPECT_EQ(format_date(year->days.front().date), "2018-12-29");
}

TEST(HolidayCnJson, RefusesMalformedInput) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"not json", R"({"year": 2025, "days": [)"},
      {"array", R"([1, 2])"},
      {"no year", R"({"days": []})"},
      {"year as text", R"({"year": "2025", "days": []})"},
      {"year out of range", R"({"year": 20250, "days": []})"},
      {"no days", R"({"year": 2025})"},
      {"days not array", R"({"year": 2025, "days": {}})"},
      {"entry not object", R"({"year": 2025, "days": [1]})"},
      {"no name", R"({"year": 2025, "days": [{"date": "2025-01-01", "isOffDay": true}]})"},
      {"impossible date",
       R"({"year": 2025, "days": [{"name": "x", "date": "2025-02-30", "isOffDay": true}]})"},
      {"slashed date",
       R"({"year": 2025, "days": [{"name": "x", "date": "2025/01/01", "isOffDay": true}]})"},
      {"flag as text",
       R"({"year": 2025, "days": [{"name": "x", "date": "2025-01-01", "isOffDay": "true"}]})"},
      {"conflicting duplicate", R"({"year": 2025, "days": [
          {"name": "x", "date": "2025-01-01", "isOffDay": true},
          {"name": "x", "date": "2025-01-01", "isOffDay": false}]})"},
  };
  for (const auto& [label, text] : cases) {
    SCOPED_TRACE(label);
    const auto year = parse_holiday_cn_json(text);
    ASSERT_FALSE(year);
    EXPECT_EQ(year.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_FALSE(year.status().message().empty());
  }
  EXPECT_EQ(parse_holiday_cn_json(cases.back().second).status().code(), "calendar_conflict");
  EXPECT_EQ(parse_holiday_cn_json("{").status().code(), "bad_calendar_json");
}

TEST(CalendarCsv, FormatThenParseRoundTrips) {
  const CalendarYear year{2030,
                          {{2030y / October / 12d, false, "国庆节"},
                           {2030y / October / 1d, true, "国庆节, \"golden\" week"},
                           {2029y / December / 31d, true, "元旦"}}};
  const auto text = format_calendar_csv(year, "a test\nnote");
  EXPECT_EQ(text,
            "# year: 2030\n# source: a test note\ndate,kind,name\n2029-12-31,holiday,元旦\n"
            "2030-10-01,holiday,\"国庆节, \"\"golden\"\" week\"\n2030-10-12,workday,国庆节\n");
  const auto parsed = parse_calendar_csv(text);
  ASSERT_TRUE(parsed) << parsed.status().message();
  EXPECT_EQ(*parsed, *normalize_calendar_year(year));
}

TEST(CalendarCsv, AcceptsCrlfBomCommentsAndBlankLines) {
  const auto parsed = parse_calendar_csv(
      "\xEF\xBB\xBF# a note\r\n# year: 2025\r\n\r\ndate,kind,name\r\n"
      "2025-10-11,workday,国庆节、中秋节\r\n# trailing comment\r\n2025-10-01,holiday,国庆节\r\n");
  ASSERT_TRUE(parsed) << parsed.status().message();
  EXPECT_EQ(parsed->year, 2025);
  EXPECT_EQ(as_set(*parsed), (DaySet{{"2025-10-01", true}, {"2025-10-11", false}}));
  EXPECT_EQ(parsed->days.back().name, "国庆节、中秋节");
}

TEST(CalendarCsv, RefusesMalformedInput) {
  struct Case {
    const char* label;
    const char* text;
    const char* code;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"no year", "date,kind,name\n2025-01-01,holiday,元旦\n", "bad_calendar_csv", "year"},
      {"bad year", "# year: 25\ndate,kind,name\n", "bad_calendar_csv", "year"},
      {"two years", "# year: 2025\n# year: 2026\ndate,kind,name\n", "bad_calendar_csv", "year"},
      {"no header", "# year: 2025\n", "bad_calendar_csv", ""},
      {"wrong header", "# year: 2025\ndate,type,name\n", "bad_calendar_csv", ""},
      {"bad date", "# year: 2025\ndate,kind,name\n2025-13-01,holiday,x\n", "bad_calendar_csv",
       "date"},
      {"wrong kind", "# year: 2025\ndate,kind,name\n2025-01-01,off,x\n", "bad_calendar_csv",
       "kind"},
      {"two fields", "# year: 2025\ndate,kind,name\n2025-01-01,holiday\n", "bad_calendar_csv", ""},
      {"four fields", "# year: 2025\ndate,kind,name\n2025-01-01,holiday,x,y\n", "bad_calendar_csv",
       ""},
      {"open quote", "# year: 2025\ndate,kind,name\n2025-01-01,holiday,\"x\n", "bad_calendar_csv",
       ""},
      {"conflicting duplicate",
       "# year: 2025\ndate,kind,name\n2025-01-01,holiday,x\n2025-01-01,workday,x\n",
       "calendar_conflict", "date"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parsed = parse_calendar_csv(c.text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.status().code(), c.code);
    EXPECT_EQ(parsed.status().field(), c.field);
  }
  // Messages point at the line.
  EXPECT_NE(parse_calendar_csv(cases[6].text).status().message().find("line 3"), std::string::npos);
}

TEST(ICalendar, UnfoldsEscapesAndExpandsEvents) {
  // LF line ends; SUMMARY folded inside a UTF-8 sequence ("节" is E8 8A 82).
  const std::string text =
      "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:国庆\xE8\x8A\n \x82假期\n"
      "DTSTART;VALUE=DATE:20301001\nDTEND;VALUE=DATE:20301004\nEND:VEVENT\n"
      "BEGIN:VEVENT\nSUMMARY:上班（补国庆节假期）\nDTSTART;VALUE=DATE:20301012\nEND:VEVENT\n"
      "BEGIN:VEVENT\nSUMMARY:Spring\\, test\nDTSTART:20300204\nDURATION:P2D\n"
      "BEGIN:VALARM\nTRIGGER:-PT1H\nDTSTART:bogus\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";
  const auto years = parse_icalendar(text);
  ASSERT_TRUE(years) << years.status().message();
  ASSERT_EQ(years->size(), 1u);
  const CalendarYear expected{2030,
                              {{2030y / February / 4d, true, "Spring, test"},
                               {2030y / February / 5d, true, "Spring, test"},
                               {2030y / October / 1d, true, "国庆节"},
                               {2030y / October / 2d, true, "国庆节"},
                               {2030y / October / 3d, true, "国庆节"},
                               {2030y / October / 12d, false, "国庆节"}}};
  EXPECT_EQ(years->front(), expected);
}

TEST(ICalendar, FilesNewYearDaysUnderTheNextNotice) {
  const auto years = parse_icalendar(
      "BEGIN:VCALENDAR\r\n"
      "BEGIN:VEVENT\r\nSUMMARY:上班(补元旦假期)\r\nDTSTART;VALUE=DATE:20181229\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nSUMMARY:元旦假期\r\nDTSTART;VALUE=DATE:20181230\r\n"
      "DTEND;VALUE=DATE:20190102\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nSUMMARY:国庆节假期\r\nDTSTART;VALUE=DATE:20181001\r\n"
      "DTEND;VALUE=DATE:20181002\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n");
  ASSERT_TRUE(years) << years.status().message();
  ASSERT_EQ(years->size(), 2u);
  EXPECT_EQ((*years)[0].year, 2018);
  EXPECT_EQ(as_set((*years)[0]), (DaySet{{"2018-10-01", true}}));
  EXPECT_EQ((*years)[1].year, 2019);
  EXPECT_EQ(as_set((*years)[1]), (DaySet{{"2018-12-29", false},
                                         {"2018-12-30", true},
                                         {"2018-12-31", true},
                                         {"2019-01-01", true}}));
}

TEST(ICalendar, RefusesMalformedInput) {
  const auto event = [](const std::string& body) {
    return "BEGIN:VCALENDAR\nBEGIN:VEVENT\n" + body + "END:VEVENT\nEND:VCALENDAR\n";
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"not a calendar", "BEGIN:VEVENT\nEND:VEVENT\n"},
      {"no events", "BEGIN:VCALENDAR\nEND:VCALENDAR\n"},
      {"unterminated", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART:20250101\n"},
      {"mismatched end", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n"},
      {"no colon", event("SUMMARY x\nDTSTART:20250101\n")},
      {"no start", event("SUMMARY:x\n")},
      {"no summary", event("DTSTART:20250101\n")},
      {"impossible date", event("SUMMARY:x\nDTSTART;VALUE=DATE:20250230\n")},
      {"timed event", event("SUMMARY:x\nDTSTART:20250101T090000\n")},
      {"ends before start", event("SUMMARY:x\nDTSTART:20250105\nDTEND:20250105\n")},
      {"longer than a year", event("SUMMARY:x\nDTSTART:20250101\nDTEND:20270101\n")},
      {"bad duration", event("SUMMARY:x\nDTSTART:20250101\nDURATION:PT3H\n")},
      {"conflict",
       "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节假期\nDTSTART:20250101\nEND:VEVENT\n"
       "BEGIN:VEVENT\nSUMMARY:上班(补春节假期)\nDTSTART:20250101\nEND:VEVENT\nEND:VCALENDAR\n"},
  };
  for (const auto& [label, text] : cases) {
    SCOPED_TRACE(label);
    const auto years = parse_icalendar(text);
    ASSERT_FALSE(years);
    EXPECT_EQ(years.status().code(), label == "conflict" ? "calendar_conflict" : "bad_icalendar");
    EXPECT_FALSE(years.status().message().empty());
  }
}

}  // namespace
}  // namespace cityops
