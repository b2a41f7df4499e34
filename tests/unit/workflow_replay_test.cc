// Replays 2,000 NYC 311 requests and 300 Chinese message-board complaints as cases through the
// whole workflow over 2025-2026, holidays included, with the deadline timer running, and checks
// every step's due time and result against the test's own working-time arithmetic.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <boost/geometry.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <queue>
#include <random>
#include <sstream>

#include "app/importer.h"
#include "common/csv.h"
#include "common/source_dir.h"
#include "domain/case_record.h"
#include "geo/demo_regions.h"
#include "geo/geojson.h"
#include "services/deadline_timer.h"
#include "services/intake.h"
#include "services/workflow.h"
#include "store/sqlite_store.h"
#include "support/shared_data.h"
#include "support/temp_dir.h"

namespace cityops {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---------------------------------------------------------------------------------------------
// The test's own working time: office 08:30-12:00 and 13:30-17:30 in UTC+8, weekends off,
// holidays and make-up days from the holiday-cn files. Written from the rules, not the code.

class OwnCalendar {
 public:
  explicit OwnCalendar(const fs::path& holiday_dir) {
    for (int year = 2024; year <= 2026; ++year) {
      const auto doc = nlohmann::json::parse(slurp(holiday_dir / (std::to_string(year) + ".json")));
      for (const auto& day : doc.at("days")) {
        const std::string date = day.at("date");
        const sys_days d{std::chrono::year{std::stoi(date.substr(0, 4))} /
                         std::stoi(date.substr(5, 2)) / std::stoi(date.substr(8, 2))};
        days_[d.time_since_epoch().count()] = {day.at("isOffDay").get<bool>(), day.at("name")};
      }
    }
  }

  bool working(sys_days d) const {
    if (auto it = days_.find(d.time_since_epoch().count()); it != days_.end()) {
      return !it->second.first;
    }
    const weekday w{d};
    return w != Saturday && w != Sunday;
  }

  // The festival an off day belongs to, or "".
  std::string holiday(Timestamp t) const {
    const auto it = days_.find(floor<days>(t + kOffset).time_since_epoch().count());
    return it != days_.end() && it->second.first ? it->second.second : "";
  }

  // Office seconds in [from, to).
  seconds counted(Timestamp from, Timestamp to) const {
    seconds total{0};
    if (to <= from) return total;
    const auto lf = from + kOffset, lt = to + kOffset;
    for (sys_days d = floor<days>(lf); d <= floor<days>(lt); d += days{1}) {
      if (!working(d)) continue;
      for (const auto& [ps, pe] : kPeriods) {
        const auto s = std::max<sys_seconds>(lf, d + ps), e = std::min<sys_seconds>(lt, d + pe);
        if (e > s) total += e - s;
      }
    }
    return total;
  }

  // The instant `amount` office seconds after `start`; ends of periods are kept (17:30).
  Timestamp add_office(Timestamp start, seconds amount) const {
    if (amount <= seconds{0}) return start;
    const auto l = start + kOffset;
    for (sys_days d = floor<days>(l);; d += days{1}) {
      if (!working(d)) continue;
      for (const auto& [ps, pe] : kPeriods) {
        const auto s = std::max<sys_seconds>(l, d + ps);
        if (s >= d + pe) continue;
        if (amount <= d + pe - s) return s + amount - kOffset;
        amount -= d + pe - s;
      }
    }
  }

  // N working days later at the time of day of the first office moment at or after `start`.
  Timestamp add_days(Timestamp start, long n) const {
    auto l = start + kOffset;
    sys_days d = floor<days>(l);
    for (bool found = false; !found; d += days{1}) {
      if (!working(d)) continue;
      for (const auto& [ps, pe] : kPeriods) {
        if (l < d + pe) {
          l = std::max<sys_seconds>(l, d + ps);
          found = true;
          break;
        }
      }
      if (found) break;
    }
    const auto time_of_day = l - d;
    for (long i = 0; i < n; ++i) {
      do d += days{1};
      while (!working(d));
    }
    return d + time_of_day - kOffset;
  }

  Timestamp due(Timestamp start, const TimeLimit& limit) const {
    switch (limit.unit) {
      case TimeUnit::kNaturalHours:
        return start + seconds{std::llround(limit.amount * 3600)};
      case TimeUnit::kWorkingHours:
        return add_office(start, seconds{std::llround(limit.amount * 3600)});
      case TimeUnit::kWorkingDays:
        return add_days(start, std::max(1L, std::lround(limit.amount)));
    }
    return start;
  }

  // Suspended time counted the way the step counts it: office time, or wall time for natural
  // hours; the due time moves by that much.
  Timestamp shift(Timestamp due, Timestamp from, Timestamp to, TimeUnit unit) const {
    if (unit == TimeUnit::kNaturalHours) return due + (to - from);
    return add_office(due, counted(from, to));
  }

 private:
  static constexpr seconds kOffset{8 * 3600};
  static constexpr std::pair<seconds, seconds> kPeriods[2] = {
      {seconds{510 * 60}, seconds{720 * 60}}, {seconds{810 * 60}, seconds{1050 * 60}}};
  std::map<long long, std::pair<bool, std::string>> days_;
};

TEST(OwnCalendar, AgreesWithHandWorkedExamples) {
  CITYOPS_REQUIRE_SHARED_DATA(shared);
  const OwnCalendar cal(shared / "holiday-cn");
  auto t = [](const char* s) { return *parse_rfc3339(s); };
  // 3 working days from Tue 2025-09-30 16:00: 1-8 Oct off, Sat 11 Oct worked.
  EXPECT_EQ(cal.add_days(t("2025-09-30T16:00:00+08:00"), 3), t("2025-10-11T16:00:00+08:00"));
  EXPECT_EQ(cal.add_office(t("2025-09-30T16:00:00+08:00"), hours(2)),
            t("2025-10-09T09:00:00+08:00"));
  EXPECT_EQ(cal.add_office(t("2025-09-29T16:00:00+08:00"), minutes(90)),
            t("2025-09-29T17:30:00+08:00"));
  EXPECT_EQ(cal.counted(t("2025-09-30T12:00:00+08:00"), t("2025-10-09T09:00:00+08:00")),
            hours(4) + minutes(30));
}

// ---------------------------------------------------------------------------------------------
// The world: one store, the project's reference files, the demo regions, the services.

struct World {
  World()
      : dir("workflow-replay",
            fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path()),
        clock(Timestamp{}) {
    auto opened = store::SqliteStore::open(dir.path() / "cityops.db", 2);
    EXPECT_TRUE(opened) << opened.status().message();
    store = std::move(opened).value();
    const fs::path data = fs::path(source_dir()) / "data";
    auto imported = app::import_default_reference(*store, data);
    EXPECT_TRUE(imported) << imported.status().message();
    store_demo_regions(data);
    auto loaded = services::ReferenceData::load(*store, OfficeHours::standard());
    EXPECT_TRUE(loaded) << loaded.status().message();
    reference = *loaded;
    auto source = [this] { return reference; };
    intake = std::make_unique<services::IntakeService>(*store, source, clock,
                                                       services::IntakeSettings{});
    workflow =
        std::make_unique<services::WorkflowService>(*store, source, clock, intake->duplicates());
    timer = std::make_unique<services::DeadlineTimer>(*store, clock);
  }

  void store_demo_regions(const fs::path& data) {
    auto outline = geo::parse_features(slurp(data / "demo" / "beidaihe-outline.geojson"));
    ASSERT_TRUE(outline && !outline->empty());
    const auto wgs84 =
        geo::convert_datum(outline->front().geometry, geo::Datum::kGcj02, geo::Datum::kWgs84);
    auto demo = geo::build_demo_regions(wgs84, 250);
    ASSERT_TRUE(demo) << demo.status().message();
    std::vector<store::RegionRecord> records;
    auto add = [&](const geo::NamedArea& a, const char* layer) {
      records.push_back(
          {a.code, layer, a.name, a.parent_code, geo::to_geojson(a.area).dump(), "wgs84"});
    };
    add(demo->district, "district");
    for (const auto& a : demo->streets) add(a, "street");
    for (const auto& a : demo->communities) add(a, "community");
    for (const auto& a : demo->governance_grids) add(a, "governance_grid");
    for (const auto& cell : demo->unit_grids) {
      records.push_back({cell.id, "unit_grid", cell.id, cell.community_code,
                         geo::to_geojson(cell.area).dump(), "wgs84"});
    }
    ASSERT_TRUE(
        store
            ->replace_regions({"district", "street", "community", "governance_grid", "unit_grid"},
                              records)
            .is_ok());
  }

  // Unit-grid centroids that fall in their own grid, in code order.
  std::vector<geo::LonLat> grid_points() {
    std::vector<geo::LonLat> points;
    auto grids = store->regions("unit_grid");
    EXPECT_TRUE(grids);
    for (const auto& g : *grids) {
      auto features = geo::parse_features(g.geometry);
      if (!features || features->empty()) continue;
      geo::Point centre(0, 0);
      boost::geometry::centroid(features->front().geometry, centre);
      const geo::LonLat p{centre.x(), centre.y()};
      if (reference->place(p).unit_grid == g.code) points.push_back(p);
    }
    return points;
  }

  testing::TempDir dir;
  FixedClock clock;
  std::unique_ptr<store::SqliteStore> store;
  std::shared_ptr<const services::ReferenceData> reference;
  std::unique_ptr<services::IntakeService> intake;
  std::unique_ptr<services::WorkflowService> workflow;
  std::unique_ptr<services::DeadlineTimer> timer;
};

// ---------------------------------------------------------------------------------------------
// The records and their categories, mapped as tests/integration/replay_test.py maps them.

std::vector<std::vector<std::string>> mapping_rows(const std::string& name) {
  auto rows = parse_csv(slurp(fs::path(source_dir()) / "data" / "mappings" / name), true);
  EXPECT_TRUE(rows);
  auto out = *rows;
  out.erase(out.begin());  // header
  return out;
}

struct Record {
  std::string category;
  std::string description;
  Channel channel = Channel::kHotline;
};

std::vector<Record> read_records(const fs::path& shared) {
  std::vector<Record> records;
  std::map<std::string, std::string> nyc_categories;
  for (const auto& r : mapping_rows("nyc311-complaint-types.csv")) nyc_categories[r[0]] = r[1];
  auto nyc = parse_csv(slurp(shared / "nyc311" / "nyc311_2011_subset_2000rows.csv"), false);
  EXPECT_TRUE(nyc);
  auto columns = locate_columns(nyc->front(), {"Complaint Type", "Descriptor"});
  EXPECT_TRUE(columns);
  for (size_t i = 1; i < nyc->size(); ++i) {
    const auto& row = (*nyc)[i];
    const std::string type = row.at((*columns)[0]);
    records.push_back({nyc_categories.at(type), type + ": " + row.at((*columns)[1])});
  }

  std::map<std::string, std::string> labels;
  for (const auto& r : mapping_rows("tipdm-labels.csv")) labels[r[0]] = r[1];
  const auto keywords = mapping_rows("tipdm-keywords.csv");
  auto cn =
      parse_csv(slurp(shared / "cn_complaints" / "tipdm2020_messages_labeled_300.csv"), false);
  EXPECT_TRUE(cn);
  auto cn_columns = locate_columns(cn->front(), {"title", "label_l1"});
  EXPECT_TRUE(cn_columns);
  for (size_t i = 1; i < cn->size(); ++i) {
    const std::string title = (*cn)[i].at((*cn_columns)[0]);
    std::string best_keyword, category = labels.at((*cn)[i].at((*cn_columns)[1]));
    for (const auto& k : keywords) {
      if (title.find(k[0]) != std::string::npos && k[0].size() > best_keyword.size()) {
        best_keyword = k[0];
        category = k[1];
      }
    }
    records.push_back({category, title, Channel::kWeb});
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// What happens to each case.

struct Planned {
  Action action;
  minutes delay;       // after the case's previous action
  std::string detail;  // verify: pass/fail; callback: satisfaction
};

std::vector<Planned> plan_for(size_t index, bool reopens) {
  std::mt19937 rng(static_cast<unsigned>(index) * 2654435761u);
  auto delay = [&] {
    // Mostly within hours; one in five takes days, so some steps run late.
    const int m = std::uniform_int_distribution<int>(5, 420)(rng);
    return minutes(rng() % 5 == 0 ? m * 12 : m);
  };
  using A = Action;
  std::vector<Planned> plan;
  auto add = [&](A a, std::string detail = {}) { plan.push_back({a, delay(), std::move(detail)}); };
  const int kind = static_cast<int>(index % 20);
  if (kind == 0) {
    add(A::kReject);
    return plan;
  }
  add(A::kRegister);
  if (kind == 11) {
    add(A::kSuspend);
    plan.push_back({A::kResume, minutes(60 * 24 + static_cast<int>(rng() % 5000)), ""});
  }
  add(A::kDispatch);
  if (kind == 3 || kind == 4 || kind == 14) {
    add(A::kReturn);
    add(A::kDispatch);
  }
  if (kind == 2) {
    add(A::kCancel);
    return plan;
  }
  add(A::kSign);
  if (kind == 8 || kind == 14 || kind == 16) {
    add(A::kRequestExtension);
    add(A::kApproveExtension);
  }
  if (kind == 9) {
    add(A::kRequestExtension);
    add(A::kDenyExtension);
  }
  if (kind == 10 || kind == 14 || kind == 15) {
    add(A::kSuspend);
    plan.push_back({A::kResume, minutes(60 * 24 + static_cast<int>(rng() % 5000)), ""});
  }
  if (kind == 17) {
    add(A::kSuspend);
    add(A::kCancel);
    return plan;
  }
  if (kind == 13) {
    add(A::kUrge);
    add(A::kSupervise);
  }
  add(A::kReportHandling);
  const int reworks = kind == 7 ? 2 : (kind == 5 || kind == 6 || kind == 14) ? 1 : 0;
  for (int i = 0; i < reworks; ++i) {
    add(A::kVerify, "fail");
    add(A::kReportHandling);
  }
  add(A::kVerify, "pass");
  if (kind == 12) {
    add(A::kCallback, "dissatisfied");
    if (reopens) {
      add(A::kReportHandling);
      add(A::kVerify, "pass");
      add(A::kCallback, "satisfied");
    }
  } else {
    add(A::kCallback, index % 3 ? "satisfied" : "basically_satisfied");
  }
  return plan;
}

Role role_of(Action a) {
  switch (a) {
    case Action::kDispatch:
    case Action::kUrge:
      return Role::kDispatcher;
    case Action::kSign:
    case Action::kReturn:
    case Action::kReportHandling:
    case Action::kRequestExtension:
      return Role::kDepartmentHandler;
    case Action::kSupervise:
      return Role::kSupervisor;
    case Action::kVerify:
      return Role::kInspector;
    case Action::kCallback:
      return Role::kIntakeClerk;
    default:
      return Role::kShiftLead;
  }
}

struct CaseRun {
  std::string number;
  const Category* category = nullptr;
  std::vector<Planned> plan;
  size_t next = 0;
  std::vector<Timestamp> extension_untils;  // as requested, in order
};

// ---------------------------------------------------------------------------------------------
// The independent recomputation from a case's event log.

struct OwnStep {
  Step step;
  Timestamp started, due;
  std::optional<Timestamp> finished;
  std::optional<bool> on_time;
};

struct OwnResult {
  std::vector<OwnStep> steps;
  int rework = 0, returns = 0, extensions = 0, suspensions = 0;
};

OwnResult recompute(const std::vector<CaseEvent>& events, const Category& category, Urgency urgency,
                    const std::vector<Timestamp>& untils, const OwnCalendar& cal) {
  OwnResult r;
  size_t next_until = 0;
  std::optional<Timestamp> pending_until;
  Timestamp suspended_at{};
  auto start = [&](Step s, Timestamp at) {
    const TimeLimit limit = category.limit(urgency, s);
    r.steps.push_back({s, at, cal.due(at, limit), std::nullopt, std::nullopt});
  };
  auto finish = [&](Timestamp at, bool judged) {
    auto& s = r.steps.back();
    if (s.finished) return;
    s.finished = at;
    if (judged) s.on_time = at <= s.due;
  };
  for (const auto& e : events) {
    if (e.actor == "system") continue;
    const Timestamp at = e.at;
    const std::string& a = e.action;
    if (a == "report") {
      start(Step::kRegister, at);
    } else if (a == "register") {
      finish(at, true);
      start(Step::kDispatch, at);
    } else if (a == "reject" || a == "merge") {
      finish(at, true);
    } else if (a == "dispatch") {
      finish(at, true);
      start(Step::kHandle, at);
    } else if (a == "return") {
      ++r.returns;
      finish(at, true);
      start(Step::kDispatch, at);
    } else if (a == "report_handling") {
      finish(at, true);
      start(Step::kVerify, at);
    } else if (a == "verify") {
      finish(at, true);
      if (e.to_state == CaseState::kClosed) {
        start(Step::kCallback, at);
      } else {
        ++r.rework;
        start(Step::kHandle, at);
      }
    } else if (a == "callback") {
      finish(at, true);
      if (e.to_state == CaseState::kInProgress) start(Step::kHandle, at);
    } else if (a == "request_extension") {
      pending_until = untils.at(next_until++);
    } else if (a == "approve_extension") {
      ++r.extensions;
      r.steps.back().due = *pending_until;
      pending_until.reset();
    } else if (a == "deny_extension") {
      pending_until.reset();
    } else if (a == "suspend") {
      ++r.suspensions;
      suspended_at = at;
    } else if (a == "resume") {
      auto& s = r.steps.back();
      if (!s.finished) {
        s.due = cal.shift(s.due, suspended_at, at, category.limit(urgency, s.step).unit);
      }
    } else if (a == "cancel") {
      finish(at, false);
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------

TEST(WorkflowReplay, EveryStepOfEveryReplayedCaseMatchesIndependentArithmetic) {
  CITYOPS_REQUIRE_SHARED_DATA(shared);
  const auto started_at = steady_clock::now();
  const OwnCalendar cal(shared / "holiday-cn");
  World world;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const auto points = world.grid_points();
  ASSERT_GT(points.size(), 100u);
  const auto records = read_records(shared);
  ASSERT_EQ(records.size(), 2300u);

  // Reports spread evenly from 1 January 2025 to 10 December 2026, on whole minutes.
  const Timestamp first = *parse_rfc3339("2025-01-01T00:07:00+08:00");
  const Timestamp last = *parse_rfc3339("2026-12-10T00:00:00+08:00");
  const auto spacing = duration_cast<minutes>((last - first) / records.size());

  std::vector<CaseRun> runs(records.size());
  using Item = std::pair<Timestamp, size_t>;  // when, which case
  std::priority_queue<Item, std::vector<Item>, std::greater<>> agenda;
  for (size_t i = 0; i < records.size(); ++i) {
    const Category* category = world.reference->taxonomy().find(records[i].category);
    ASSERT_NE(category, nullptr) << records[i].category;
    runs[i].category = category;
    runs[i].plan = plan_for(i, category->reopen_on_dissatisfied);
    agenda.push({first + spacing * static_cast<long>(i), i});
  }

  std::map<std::string, int> reports_in_holidays;
  Timestamp last_tick{};
  int actions = 0, timer_events = 0;
  while (!agenda.empty()) {
    const auto [now, i] = agenda.top();
    agenda.pop();
    if (now > last_tick) {
      // The timer runs as time passes; every tick catches up to its moment.
      world.clock.set(now);
      auto written = world.timer->tick(now);
      ASSERT_TRUE(written) << written.status().message();
      timer_events += *written;
      last_tick = now;
    }
    world.clock.set(now);
    CaseRun& run = runs[i];

    if (run.number.empty()) {
      services::NewCase input;
      input.category = records[i].category;
      input.description = records[i].description;
      input.channel = records[i].channel;
      input.urgency = i % 13 == 0 ? Urgency::kUrgent : Urgency::kNormal;
      input.location = points[(i * 7919) % points.size()];
      auto outcome = world.intake->report(input, "clerk");
      ASSERT_TRUE(outcome) << i << ": " << outcome.status().message();
      run.number = outcome->created.number;
      if (const auto h = cal.holiday(now); !h.empty()) ++reports_in_holidays[h];
    } else {
      const Planned& p = run.plan[run.next++];
      auto found = world.store->find_case(run.number);
      ASSERT_TRUE(found && *found);
      const Case& c = **found;
      ActionRequest r;
      r.action = p.action;
      r.version = c.version;
      r.reason = "replay";
      r.note = "handled on site";
      r.result = p.detail;
      r.satisfaction = p.detail;
      if (p.action == Action::kRequestExtension) {
        const Timestamp until = floor<minutes>(std::max(now, c.due_at) + hours(26 + i % 48));
        r.until = until;
        run.extension_untils.push_back(until);
      }
      Principal actor;
      actor.role = role_of(p.action);
      actor.username = std::string(to_string(actor.role));
      if (actor.role == Role::kDepartmentHandler) actor.department = c.department;
      if (actor.role == Role::kInspector) actor.grids = {c.unit_grid};
      auto outcome = world.workflow->act(run.number, r, actor);
      ASSERT_TRUE(outcome) << run.number << " " << to_string(p.action) << ": "
                           << outcome.status().code() << " " << outcome.status().message();
      ++actions;
    }
    if (run.next < run.plan.size()) agenda.push({now + run.plan[run.next].delay, i});
  }
  // A last tick long after: nothing is left open, so nothing is due.
  const auto final_tick = world.timer->tick(*parse_rfc3339("2027-06-01T00:00:00+08:00"));
  ASSERT_TRUE(final_tick);
  EXPECT_EQ(*final_tick, 0);

  // The report times cover the three long holiday blocks of both years.
  for (const char* festival : {"春节", "劳动节", "国庆节"}) {
    int count = 0;
    for (const auto& [name, n] : reports_in_holidays) {
      if (name.find(festival) != std::string::npos) count += n;
    }
    EXPECT_GE(count, 10) << festival;
  }

  int steps_checked = 0, late_steps = 0, reopened = 0;
  std::map<CaseState, int> final_states;
  for (size_t i = 0; i < runs.size(); ++i) {
    const CaseRun& run = runs[i];
    SCOPED_TRACE("case " + run.number + " (record " + std::to_string(i) + ")");
    auto found = world.store->find_case(run.number);
    ASSERT_TRUE(found && *found);
    const Case& c = **found;
    auto events = world.store->case_events(run.number);
    ASSERT_TRUE(events);

    // The log holds the plan's actions, in order, at their times.
    std::vector<std::string> done, planned;
    for (const auto& e : *events) {
      if (e.actor != "system" && e.action != "report") done.push_back(e.action);
    }
    for (const auto& p : run.plan) planned.emplace_back(to_string(p.action));
    ASSERT_EQ(done, planned);

    const OwnResult own = recompute(*events, *run.category, c.urgency, run.extension_untils, cal);
    ASSERT_EQ(c.steps.size(), own.steps.size());
    for (size_t s = 0; s < own.steps.size(); ++s) {
      SCOPED_TRACE("step " + std::to_string(s) + " " + std::string(to_string(own.steps[s].step)));
      const auto& got = c.steps[s];
      const auto& want = own.steps[s];
      EXPECT_EQ(got.step, want.step);
      EXPECT_EQ(format_rfc3339(got.started_at), format_rfc3339(want.started));
      EXPECT_EQ(format_rfc3339(got.due_at), format_rfc3339(want.due));
      EXPECT_EQ(got.finished_at, want.finished);
      EXPECT_EQ(got.on_time, want.on_time);
      ++steps_checked;
      if (want.on_time == false) ++late_steps;
    }
    EXPECT_EQ(c.rework_count, own.rework);
    EXPECT_EQ(c.return_count, own.returns);
    EXPECT_EQ(c.extension_count, own.extensions);
    EXPECT_EQ(c.suspension_count, own.suspensions);
    EXPECT_FALSE(c.suspended);
    EXPECT_FALSE(is_open(c.state));
    reopened += c.reopen_count;
    ++final_states[c.state];

    auto projected = project(*events);
    ASSERT_TRUE(projected);
    EXPECT_EQ(case_to_record(*projected), case_to_record(c));
  }

  const double elapsed = duration<double>(steady_clock::now() - started_at).count();
  std::cout << "replayed " << runs.size() << " cases, " << actions << " actions, " << timer_events
            << " timer events; checked " << steps_checked << " steps (" << late_steps << " late), "
            << reopened << " reopened; closed " << final_states[CaseState::kClosed]
            << ", cancelled " << final_states[CaseState::kCancelled] << ", rejected "
            << final_states[CaseState::kRejected] << "; " << elapsed << " s\n";
  EXPECT_EQ(final_states[CaseState::kRejected], 115);   // index % 20 == 0
  EXPECT_EQ(final_states[CaseState::kCancelled], 230);  // index % 20 == 2 or 17
  EXPECT_GT(late_steps, 100);
  EXPECT_GT(timer_events, 1000);
}

}  // namespace
}  // namespace cityops
