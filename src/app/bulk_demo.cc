#include "app/bulk_demo.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "app/case_history.h"
#include "app/demo.h"
#include "app/demo_vocabulary.h"
#include "store/bulk_load.h"

namespace cityops::app {

namespace {

using std::chrono::hours;
using std::chrono::seconds;

// Reports come in between 06:00 and 22:00, local time.
constexpr seconds kFirstReport = hours(6);
constexpr seconds kLastReport = hours(22);

struct DayPlan {
  std::chrono::year_month_day date;
  Timestamp from;  // the day's first possible report
  Timestamp to;    // exclusive; `now` on the last day
  int64_t cases = 0;
};

// The days oldest first, with the cases shared out by weight: the beach season fills the
// register, weekends thin it, and today counts for the part of it already past.
std::vector<DayPlan> plan_days(Timestamp now, const BulkDemoOptions& options) {
  std::vector<DayPlan> days;
  std::vector<double> weights;
  const auto today = std::chrono::sys_days(to_local(now).date);
  for (int back = options.days - 1; back >= 0; --back) {
    const std::chrono::year_month_day date{today - std::chrono::days(back)};
    DayPlan day{date, from_local(date, kFirstReport), from_local(date, kLastReport), 0};
    day.to = std::min(day.to, now);
    const double open = std::chrono::duration<double>(day.to - day.from).count();
    double weight =
        std::max(0.0, open / std::chrono::duration<double>(kLastReport - kFirstReport).count());
    const unsigned month = static_cast<unsigned>(date.month());
    if (month == 7 || month == 8) weight *= 1.8;
    const std::chrono::weekday wd{std::chrono::sys_days(date)};
    if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) weight *= 0.8;
    days.push_back(day);
    weights.push_back(weight);
  }

  // Largest remainders, so the days add up to exactly the cases asked for.
  double total = 0;
  for (double w : weights) total += w;
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < days.size(); ++i) {
    const double share = total > 0 ? static_cast<double>(options.cases) * weights[i] / total : 0;
    days[i].cases = static_cast<int64_t>(std::floor(share));
    given += days[i].cases;
    if (weights[i] > 0) remainders.push_back({share - std::floor(share), i});
  }
  std::sort(remainders.begin(), remainders.end(), std::greater<>());
  for (size_t i = 0; given < options.cases && i < remainders.size(); ++i, ++given) {
    ++days[remainders[i].second].cases;
  }
  return days;
}

// One day's cases, ready to write.
struct DayBatch {
  std::string prefix;  // "130304-20261204"
  std::vector<store::CaseHistoryRows> cases;
  int64_t open_cases = 0;
};

class DayBuilder {
 public:
  DayBuilder(const services::ReferenceData& reference, const store::CaseQuery::Box& bounds,
             const Config& config, Timestamp now, unsigned seed)
      : reference_(reference), bounds_(bounds), config_(config), now_(now), seed_(seed) {
    for (auto code : kDemoCategories) {
      if (const auto* c = reference.taxonomy().find(code)) categories_.push_back(c);
    }
  }

  bool ready() const { return !categories_.empty(); }

  Result<DayBatch> build(const DayPlan& day, size_t index) const {
    // Each day has its own generator, so any thread can build any day with the same result.
    std::seed_seq seq{seed_, static_cast<unsigned>(index)};
    std::mt19937 rng(seq);
    DayBatch batch;
    if (day.cases == 0) return batch;
    if (day.to <= day.from) return internal_error("cases planned for a day with no time left");
    std::uniform_int_distribution<int64_t> instant(day.from.time_since_epoch().count(),
                                                   day.to.time_since_epoch().count() - 1);
    std::vector<Timestamp> times;
    for (int64_t i = 0; i < day.cases; ++i) times.push_back(Timestamp{seconds{instant(rng)}});
    std::sort(times.begin(), times.end());

    batch.prefix = fmt::format("{}-{}", config_.district_code, format_compact_date(day.date));
    const HistorySettings settings{now_, config_.warn_share};
    for (size_t i = 0; i < times.size(); ++i) {
      auto draft = draw_report(times[i], i, rng);
      if (!draft) return draft.status();
      draft->number = fmt::format("{}-{:06}", batch.prefix, i + 1);
      auto history = generate_history(*draft, reference_, settings, rng);
      if (!history) return history.status();
      if (is_open(history->final.state)) ++batch.open_cases;
      store::CaseHistoryRows rows{store::case_row(history->final), {}};
      rows.events.reserve(history->events.size());
      for (const auto& e : history->events) rows.events.push_back(store::event_row(e));
      batch.cases.push_back(std::move(rows));
    }
    return batch;
  }

 private:
  // A report like the demo's: a point in a unit grid, a common category, a place and a
  // reporter (every ninth anonymous), every eleventh urgent.
  Result<Case> draw_report(Timestamp at, size_t index, std::mt19937& rng) const {
    std::uniform_real_distribution<double> lon(bounds_.min_lon, bounds_.max_lon);
    std::uniform_real_distribution<double> lat(bounds_.min_lat, bounds_.max_lat);
    std::geometric_distribution<int> rank(0.18);
    auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };

    services::NewCase input;
    const auto* category = categories_[std::min<size_t>(rank(rng), categories_.size() - 1)];
    input.category = reference_.taxonomy().ref_of(*category);
    const auto where = kDemoPlaces[pick(kDemoPlaces.size())];
    input.address = fmt::format("北戴河区{}", where);
    constexpr std::string_view kText = "{}附近发现{}，请相关部门尽快处理。";
    input.description = fmt::format(fmt::runtime(kText), where, category->name);
    input.channel = draw_demo_channel(rng);
    input.urgency = index % 11 == 0 ? Urgency::kUrgent : Urgency::kNormal;
    input.reporter = {fmt::format("{}{}", kDemoSurnames[pick(kDemoSurnames.size())],
                                  kDemoGivenNames[pick(kDemoGivenNames.size())]),
                      fmt::format("139{:08}", std::uniform_int_distribution<int>(0, 99999999)(rng)),
                      index % 9 == 0};
    if (input.reporter.anonymous) input.reporter.name = input.reporter.phone = "";
    input.reported_at = at;
    // Points are drawn in the district's bounding box until one falls in a unit grid.
    for (int attempt = 0; attempt < 1000; ++attempt) {
      input.location = {lon(rng), lat(rng)};
      auto draft = services::resolve_report(
          input, reference_, input.reported_at.value_or(Timestamp{}), config_.warn_share);
      if (draft || draft.status().code() != "outside_district") return draft;
    }
    return internal_error("no point of the district's bounding box falls in a unit grid");
  }

  const services::ReferenceData& reference_;
  store::CaseQuery::Box bounds_;
  const Config& config_;
  Timestamp now_;
  unsigned seed_;
  std::vector<const Category*> categories_;
};

// Days built by worker threads, handed to the writer in order. Workers stay at most `ahead`
// days in front of the writer, which bounds the memory held.
class DayQueue {
 public:
  DayQueue(size_t days, size_t ahead) : slots_(days), ahead_(ahead) {}

  // The next day to build, or nothing when all are taken or the load failed.
  std::optional<size_t> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return failed_ || next_ < taken_by_writer_ + ahead_; });
    if (failed_ || next_ >= slots_.size()) return std::nullopt;
    return next_++;
  }

  void put(size_t day, Result<DayBatch> batch) {
    std::lock_guard lock(mutex_);
    if (!batch) failed_ = true;
    slots_[day] = std::move(batch);
    changed_.notify_all();
  }

  // Waits for day `day`, in order; an error when building it, or another day, failed.
  Result<DayBatch> wait(size_t day) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return failed_ || slots_[day].has_value(); });
    for (auto& slot : slots_) {
      if (slot && !*slot) return slot->status();
    }
    Result<DayBatch> batch = std::move(*slots_[day]);
    slots_[day].reset();
    taken_by_writer_ = day + 1;
    changed_.notify_all();
    return batch;
  }

  void fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::optional<Result<DayBatch>>> slots_;
  size_t ahead_;
  size_t next_ = 0;
  size_t taken_by_writer_ = 0;
  bool failed_ = false;
};

}  // namespace

Result<BulkDemoSummary> load_bulk_demo(App& app, Timestamp now, const BulkDemoOptions& options) {
  BulkDemoSummary summary;
  auto users = load_demo_setup(app, options.unit_cell_m);
  if (!users) return users.status();
  summary.users = std::move(users).value();

  auto bounds = district_bounds(app.store());
  if (!bounds) return bounds.status();
  const auto reference = app.reference();
  const DayBuilder builder(*reference, *bounds, app.config(), now, options.seed);
  if (!builder.ready()) return internal_error("demo categories missing from the taxonomy");
  const auto days = plan_days(now, options);

  auto writer = store::BulkCaseWriter::open(app.config().database_path());
  if (!writer) return writer.status();

  const int threads = std::max(1, options.threads);
  DayQueue queue(days.size(), static_cast<size_t>(threads) * 2 + 2);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (auto day = queue.take()) queue.put(*day, builder.build(days[*day], *day));
    });
  }

  Status status = Status::ok();
  int64_t next_report = options.cases / 10;
  for (size_t d = 0; d < days.size() && status.is_ok(); ++d) {
    auto batch = queue.wait(d);
    if (!batch) {
      status = batch.status();
      break;
    }
    for (const auto& rows : batch->cases) {
      status = writer->add(rows);
      if (!status.is_ok()) break;
    }
    if (status.is_ok() && days[d].cases > 0) {
      status = writer->reserve_sequence(batch->prefix, days[d].cases);
    }
    if (status.is_ok()) status = writer->commit_batch();
    summary.open_cases += batch->open_cases;
    if (writer->cases_written() >= next_report) {
      spdlog::info("bulk load: {} of {} cases written", writer->cases_written(), options.cases);
      next_report += std::max<int64_t>(1, options.cases / 10);
    }
  }
  queue.fail();  // releases any worker still waiting; harmless after success
  for (auto& w : workers) w.join();
  CITYOPS_RETURN_IF_ERROR(status);
  CITYOPS_RETURN_IF_ERROR(writer->finish());
  summary.cases = writer->cases_written();
  summary.events = writer->events_written();
  return summary;
}

}  // namespace cityops::app
