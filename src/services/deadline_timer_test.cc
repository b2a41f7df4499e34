#include "services/deadline_timer.h"

#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "app/importer.h"
#include "common/source_dir.h"
#include "services/intake.h"
#include "services/workflow.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::services {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

Timestamp at(const char* text) {
  const auto t = parse_rfc3339(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

// A store that lets a test act between the timer's read and its write, as a user racing it.
class RacingStore final : public store::Store {
 public:
  explicit RacingStore(store::Store& inner) : inner_(inner) {}
  std::function<void()> after_timer_read;

  Status put_reference(const std::string& n, const std::string& c) override {
    return inner_.put_reference(n, c);
  }
  Result<std::map<std::string, std::string>> reference_sets() override {
    return inner_.reference_sets();
  }
  Status replace_regions(const std::vector<std::string>& l,
                         const std::vector<store::RegionRecord>& r) override {
    return inner_.replace_regions(l, r);
  }
  Result<std::vector<store::RegionRecord>> regions(const std::string& l) override {
    return inner_.regions(l);
  }
  Result<store::CreateOutcome> create_case(Case d, const std::string& code,
                                           const std::string& actor) override {
    return inner_.create_case(std::move(d), code, actor);
  }
  void create_case_async(Case d, const std::string& code, const std::string& actor,
                         CreateDone done) override {
    inner_.create_case_async(std::move(d), code, actor, std::move(done));
  }
  Status apply_changes(const std::vector<store::CaseChange>& c) override {
    return inner_.apply_changes(c);
  }
  Result<std::optional<Case>> find_case(const std::string& n) override {
    return inner_.find_case(n);
  }
  Result<store::CasePage> list_cases(const store::CaseQuery& q) override {
    return inner_.list_cases(q);
  }
  Result<std::vector<CaseEvent>> case_events(const std::string& n) override {
    return inner_.case_events(n);
  }
  Result<std::vector<CaseEvent>> events_between(Timestamp from, Timestamp to,
                                                const std::vector<std::string>& skip,
                                                int limit) override {
    return inner_.events_between(from, to, skip, limit);
  }
  Result<std::optional<std::string>> case_of_key(const std::string& key) override {
    return inner_.case_of_key(key);
  }
  Result<std::vector<Case>> cases_due_for_timer(Timestamp now, int limit) override {
    auto due = inner_.cases_due_for_timer(now, limit);
    if (after_timer_read) std::exchange(after_timer_read, nullptr)();
    return due;
  }
  Result<std::vector<Case>> open_cases() override { return inner_.open_cases(); }
  Result<std::vector<CasePoint>> open_case_points() override { return inner_.open_case_points(); }
  Result<int64_t> count_cases() override { return inner_.count_cases(); }
  Status log_personal_data_access(const std::string& number, const std::string& username,
                                  Timestamp at) override {
    return inner_.log_personal_data_access(number, username, at);
  }
  Result<std::vector<std::pair<std::string, Timestamp>>> personal_data_accesses(
      const std::string& number) override {
    return inner_.personal_data_accesses(number);
  }
  Result<store::UserRecord> create_user(const store::UserRecord& d) override {
    return inner_.create_user(d);
  }
  Result<std::optional<store::UserRecord>> find_user_by_name(const std::string& n) override {
    return inner_.find_user_by_name(n);
  }
  Result<std::optional<store::UserRecord>> find_user_by_id(int64_t id) override {
    return inner_.find_user_by_id(id);
  }
  Result<std::vector<store::UserRecord>> list_users() override { return inner_.list_users(); }
  Status update_password(int64_t id, const std::string& h, Timestamp t) override {
    return inner_.update_password(id, h, t);
  }
  Status set_disabled(int64_t id, bool d, Timestamp t) override {
    return inner_.set_disabled(id, d, t);
  }
  Status create_session(const store::SessionRecord& s) override { return inner_.create_session(s); }
  Result<std::optional<store::SessionRecord>> find_session(const std::string& h) override {
    return inner_.find_session(h);
  }
  Status revoke_session(const std::string& h, Timestamp t) override {
    return inner_.revoke_session(h, t);
  }
  Result<store::ApiKeyRecord> create_api_key(const store::ApiKeyRecord& k) override {
    return inner_.create_api_key(k);
  }
  Result<std::optional<store::ApiKeyRecord>> find_api_key(const std::string& h) override {
    return inner_.find_api_key(h);
  }
  Result<std::vector<store::ApiKeyRecord>> list_api_keys() override {
    return inner_.list_api_keys();
  }
  Status revoke_api_key(const std::string& n, Timestamp t) override {
    return inner_.revoke_api_key(n, t);
  }
  Status put_region_version(const store::RegionRecord& r, Timestamp from) override {
    return inner_.put_region_version(r, from);
  }
  Result<std::vector<RegionVersion>> regions_at(const std::string& l, Timestamp t) override {
    return inner_.regions_at(l, t);
  }
  Result<std::vector<RegionVersion>> region_history(const std::string& c) override {
    return inner_.region_history(c);
  }
  Result<StaffUpsert> upsert_staff(const std::vector<StaffMember>& m, Timestamp t) override {
    return inner_.upsert_staff(m, t);
  }
  Result<std::optional<StaffMember>> find_staff(const std::string& n) override {
    return inner_.find_staff(n);
  }
  Result<std::optional<StaffMember>> find_staff_by_username(const std::string& u) override {
    return inner_.find_staff_by_username(u);
  }
  Result<StaffPage> list_staff(const StaffQuery& q) override { return inner_.list_staff(q); }

  // Patrols and their tracks.
  Result<store::PatrolRecord> start_patrol(const std::string& w, Timestamp t) override {
    return inner_.start_patrol(w, t);
  }
  Status end_patrol(int64_t id, Timestamp t) override { return inner_.end_patrol(id, t); }
  Result<std::optional<store::PatrolRecord>> find_patrol(int64_t id) override {
    return inner_.find_patrol(id);
  }
  Result<std::vector<store::PatrolRecord>> patrols_between(const std::string& w, Timestamp from,
                                                           Timestamp to) override {
    return inner_.patrols_between(w, from, to);
  }
  Result<int64_t> add_track_points(const std::vector<store::TrackPoint>& p) override {
    return inner_.add_track_points(p);
  }
  Result<std::vector<store::TrackPoint>> track_points(int64_t id) override {
    return inner_.track_points(id);
  }
  Result<std::vector<store::GridVisit>> grid_visits(const std::string& l,
                                                    const std::optional<std::string>& g) override {
    return inner_.grid_visits(l, g);
  }

 private:
  store::Store& inner_;
};

// Category 06015 (a dirty beach) as the project's taxonomy ships it: 0.5 working hours to
// register, so a case reported at 09:00 on a Monday turns yellow at 09:24 (80 %) and is due
// at 09:30.
constexpr const char* kCategory = "06015";
const Timestamp kReported = at("2026-12-07T09:00:00+08:00");  // a Monday
const Timestamp kWarn = at("2026-12-07T09:24:00+08:00");
const Timestamp kDue = at("2026-12-07T09:30:00+08:00");

class DeadlineTimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_store();
    auto imported = app::import_default_reference(*store_, fs::path(source_dir()) / "data");
    ASSERT_TRUE(imported) << imported.status().message();
    // One square unit grid is all the geography intake needs.
    const std::string square =
        R"({"type":"Polygon","coordinates":[[[119.48,39.82],[119.5,39.82],[119.5,39.84],)"
        R"([119.48,39.84],[119.48,39.82]]]})";
    ASSERT_TRUE(
        store_
            ->replace_regions({"district", "unit_grid"},
                              {{"130304", "district", "北戴河区", "130300", square, "wgs84"},
                               {"130304001001001", "unit_grid", "130304001001001", "130304001001",
                                square, "wgs84"}})
            .is_ok());
    build_services();
  }

  void open_store() {
    auto opened = store::SqliteStore::open(dir_.path() / "cityops.db", 2);
    ASSERT_TRUE(opened) << opened.status().message();
    store_ = std::move(opened).value();
    racing_ = std::make_unique<RacingStore>(*store_);
  }

  void build_services() {
    auto loaded = ReferenceData::load(*store_, OfficeHours::standard());
    ASSERT_TRUE(loaded) << loaded.status().message();
    reference_ = *loaded;
    auto source = [this] { return reference_; };
    intake_ = std::make_unique<IntakeService>(*store_, source, clock_, IntakeSettings{});
    workflow_ = std::make_unique<WorkflowService>(*store_, source, clock_, intake_->duplicates());
    timer_ = std::make_unique<DeadlineTimer>(*racing_, clock_);
  }

  // Closes the database and opens it again, as a restart would.
  void restart() {
    timer_.reset();
    workflow_.reset();
    intake_.reset();
    racing_.reset();
    store_.reset();
    open_store();
    build_services();
  }

  std::string report(Timestamp when) {
    clock_.set(when);
    NewCase input;
    input.category = kCategory;
    input.description = "沙滩上有垃圾";
    input.location = {119.49, 39.83};
    auto outcome = intake_->report(input, "clerk");
    EXPECT_TRUE(outcome) << outcome.status().message();
    return outcome ? outcome->created.number : "";
  }

  Status act(const std::string& number, Action action, Role role, Timestamp when) {
    clock_.set(when);
    auto found = store_->find_case(number);
    if (!found || !*found) return internal_error("case missing");
    ActionRequest r;
    r.action = action;
    r.version = (*found)->version;
    r.reason = "waiting for the tide";
    Principal p;
    p.username = std::string(to_string(role));
    p.role = role;
    auto outcome = workflow_->act(number, r, p);
    return outcome ? Status::ok() : outcome.status();
  }

  int tick(Timestamp now) {
    clock_.set(now);
    auto written = timer_->tick(now);
    EXPECT_TRUE(written) << written.status().message();
    return written ? *written : -1;
  }

  std::vector<CaseEvent> events(const std::string& number) {
    auto e = store_->case_events(number);
    EXPECT_TRUE(e);
    return e ? *e : std::vector<CaseEvent>{};
  }

  // The timer's events of a case as (action, instant) pairs.
  std::vector<std::pair<std::string, Timestamp>> timer_marks(const std::string& number) {
    std::vector<std::pair<std::string, Timestamp>> marks;
    for (const auto& e : events(number)) {
      if (e.actor == "system") marks.emplace_back(e.action, e.at);
    }
    return marks;
  }

  using Marks = std::vector<std::pair<std::string, Timestamp>>;

  testing::TempDir dir_{"deadline-timer"};
  FixedClock clock_{kReported};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<RacingStore> racing_;
  std::shared_ptr<const ReferenceData> reference_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<WorkflowService> workflow_;
  std::unique_ptr<DeadlineTimer> timer_;
};

TEST_F(DeadlineTimerTest, MarksWarningAndDueAtTheirExactMoments) {
  const auto number = report(kReported);
  ASSERT_FALSE(number.empty());

  struct Row {
    const char* label;
    Timestamp now;
    int written;
    Marks marks;
  };
  const std::vector<Row> rows = {
      {"before the warning", kWarn - 1s, 0, {}},
      {"after the warning", at("2026-12-07T09:27:13+08:00"), 1, {{"auto_urge", kWarn}}},
      {"again before due", kDue - 1s, 0, {{"auto_urge", kWarn}}},
      {"after due",
       at("2026-12-07T09:41:00+08:00"),
       2,
       {{"auto_urge", kWarn}, {"overdue", kDue}, {"escalate", kDue}}},
      {"a second tick",
       at("2026-12-07T10:41:00+08:00"),
       0,
       {{"auto_urge", kWarn}, {"overdue", kDue}, {"escalate", kDue}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    EXPECT_EQ(tick(row.now), row.written);
    EXPECT_EQ(timer_marks(number), row.marks);
  }

  // The step record carries the marks; the case version counts every event.
  auto c = store_->find_case(number);
  ASSERT_TRUE(c && *c);
  EXPECT_TRUE((*c)->steps.back().warned);
  EXPECT_TRUE((*c)->steps.back().overdue);
  EXPECT_TRUE((*c)->escalated);
  EXPECT_EQ((*c)->version, 4);
}

TEST_F(DeadlineTimerTest, SuspendedCaseGetsNothing) {
  const auto number = report(kReported);
  ASSERT_TRUE(act(number, Action::kSuspend, Role::kShiftLead, kReported + 5min).is_ok());
  EXPECT_EQ(tick(kDue + 10h), 0);
  EXPECT_TRUE(timer_marks(number).empty());
}

TEST_F(DeadlineTimerTest, CatchesUpAfterARestartWithEachEventOnceAtItsMoment) {
  const auto first = report(kReported);
  // A second case reported at 16:00 on Friday 11 December: 0.5 wh runs out at 16:30, its
  // warning at 16:24.
  const auto second = report(at("2026-12-11T16:00:00+08:00"));
  restart();
  EXPECT_EQ(tick(at("2026-12-20T12:00:00+08:00")), 6);
  EXPECT_EQ(timer_marks(first),
            (Marks{{"auto_urge", kWarn}, {"overdue", kDue}, {"escalate", kDue}}));
  EXPECT_EQ(timer_marks(second), (Marks{{"auto_urge", at("2026-12-11T16:24:00+08:00")},
                                        {"overdue", at("2026-12-11T16:30:00+08:00")},
                                        {"escalate", at("2026-12-11T16:30:00+08:00")}}));
  restart();
  EXPECT_EQ(tick(at("2026-12-21T12:00:00+08:00")), 0);
  EXPECT_EQ(events(first).size(), 4u);
  EXPECT_EQ(events(second).size(), 4u);
}

TEST_F(DeadlineTimerTest, UserActionRacingATickIsKept) {
  const auto number = report(kReported);
  const Timestamp now = kDue + 1min;
  // The timer reads the case, then a shift lead registers it before the timer writes.
  racing_->after_timer_read = [&] {
    EXPECT_TRUE(act(number, Action::kRegister, Role::kShiftLead, kReported + 20min).is_ok());
  };
  EXPECT_EQ(tick(now), 0);
  auto c = store_->find_case(number);
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->state, CaseState::kRegistered);
  EXPECT_EQ((*c)->version, 2);
  const auto history = events(number);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action, "register");
  EXPECT_EQ(history[1].on_time, true);

  // The next tick judges the new step: dispatch, 0.5 wh from 09:20, due 09:50, warned 09:44.
  EXPECT_EQ(tick(now), 0);
  EXPECT_EQ(tick(at("2026-12-07T09:45:00+08:00")), 1);
  EXPECT_EQ(timer_marks(number), (Marks{{"auto_urge", at("2026-12-07T09:44:00+08:00")}}));
}

}  // namespace
}  // namespace cityops::services
