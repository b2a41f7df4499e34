// What listing and counting cases ask of the store: filters, pages and the dashboard's counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/case.h"
#include "store/component_query.h"

namespace cityops::store {

// Filters for listing cases. Unset fields do not filter.
struct CaseQuery {
  std::vector<CaseState> states;  // any of
  std::optional<std::string> category;
  std::vector<std::string> categories;  // any of
  std::optional<Channel> channel;
  std::optional<std::string> street;
  std::optional<std::string> unit_grid;
  std::optional<std::string> governance_grid;
  std::optional<std::string> department;
  // The reader's scope: a department (lead or co-handling), a street, or grids. Unset fields
  // do not restrict; `scoped` with nothing set matches no case.
  struct Scope {
    std::optional<std::string> department;
    std::optional<std::string> street;
    std::vector<std::string> grids;
  };
  std::optional<Scope> scope;
  bool escalated_only = false;
  // Traffic light at `now`: red past due, yellow past the warning time, green before.
  std::optional<std::string> light;
  Timestamp now{};
  bool suspended_only = false;
  std::optional<Timestamp> reported_from;  // inclusive
  std::optional<Timestamp> reported_to;    // exclusive
  struct Box {
    double min_lon, min_lat, max_lon, max_lat;
  };
  std::optional<Box> bbox;  // WGS84
  // Within `radius_m` of a WGS84 point (distances on the local tangent plane).
  struct Circle {
    double lon, lat, radius_m;
  };
  std::optional<Circle> near;
  // With `near`: at most this many cases, closest to its centre first (no cursor follows).
  int nearest = 0;
  std::optional<Timestamp> updated_from;  // a change at or after this instant

  // Newest first, or by due time (soonest first) when `by_due`. The cursor is the last item of
  // the previous page.
  bool by_due = false;
  int limit = 50;
  struct Cursor {
    Timestamp reported_at;  // or the due time when paging by due
    std::string number;
  };
  std::optional<Cursor> after;
  // Rows to skip before the page, for clients that page by number rather than by cursor.
  int offset = 0;
};

struct CasePage {
  std::vector<Case> items;
  std::optional<CaseQuery::Cursor> next;  // absent on the last page
};

// What the command dashboard counts, over the cases in `scope` (unset: every case).
struct DashboardQuery {
  std::optional<CaseQuery::Scope> scope;
  Timestamp day_from{};  // the local day's start, inclusive
  Timestamp day_to{};    // its end, exclusive
  Timestamp now{};
  Timestamp steps_from{};  // steps finished from here to `now` give the on-time share
};

struct DashboardCounts {
  std::vector<int64_t> intake_by_hour = std::vector<int64_t>(24);  // of the day, by local hour
  std::vector<KeyCount> intake_by_category;                        // of the day
  int64_t open = 0;
  // Open cases whose current step runs, by light at `now` (see CaseQuery::light).
  int64_t green = 0, yellow = 0, red = 0;
  std::vector<KeyCount> red_by_department;  // most first, then by code
  int64_t steps_finished = 0;               // with on_time recorded
  int64_t steps_on_time = 0;
};

}  // namespace cityops::store
