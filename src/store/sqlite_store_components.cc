// SqliteStore's components inventory and case counts. Imports write under the write mutex in
// one transaction; searches read on the reader pool. Distances are great-circle metres
// (geo::distance_m), computed here over the rows a bounding box lets through.
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "store/sqlite_store.h"

namespace cityops::store {

namespace {

constexpr std::string_view kColumns =
    "id, category, name, lon, lat, reported_datum, reported_lon, reported_lat, unit_grid,"
    " governance_grid, address, status, owner_department, maintainer_department, updated_at";
// Searches for the nearest components widen their circle by these steps before reading all.
constexpr std::array<double, 5> kNearestSteps{200, 1000, 5000, 20000, 100000};

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }

Component read_component(const Statement& stmt) {
  Component c;
  c.id = stmt.text(0);
  c.category = stmt.text(1);
  c.name = stmt.text(2);
  c.location = {stmt.real(3), stmt.real(4)};
  c.reported_datum = geo::parse_datum(stmt.text(5)).value_or(geo::Datum::kWgs84);
  c.reported_location = {stmt.real(6), stmt.real(7)};
  c.unit_grid = stmt.text(8);
  c.governance_grid = stmt.text(9);
  c.address = stmt.text(10);
  c.status = parse_component_status(stmt.text(11)).value_or(ComponentStatus::kIntact);
  c.owner_department = stmt.text(12);
  c.maintainer_department = stmt.text(13);
  c.updated_at = Timestamp{std::chrono::seconds{stmt.integer(14)}};
  return c;
}

// A SELECT over components with its binds, built condition by condition.
struct Select {
  struct Arg {
    bool is_text;
    std::string text;
    double number;
  };
  std::string where = " WHERE 1 = 1";
  std::vector<Arg> args;

  void text(const char* clause, std::string value) {
    where += clause;
    args.push_back({true, std::move(value), 0});
  }
  void number(const char* clause, double value) {
    where += clause;
    args.push_back({false, {}, value});
  }
  void box(double min_lon, double min_lat, double max_lon, double max_lat) {
    number(" AND lon >= ?", min_lon);
    number(" AND lon <= ?", max_lon);
    number(" AND lat >= ?", min_lat);
    number(" AND lat <= ?", max_lat);
  }

  Result<std::vector<Component>> run(Connection& db, const std::string& tail) const {
    auto stmt = db.prepare("SELECT " + std::string(kColumns) + " FROM components" + where + tail);
    if (!stmt) return stmt.status();
    for (size_t i = 0; i < args.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (args[i].is_text) {
        stmt->bind(index, args[i].text);
      } else {
        stmt->bind(index, args[i].number);
      }
    }
    std::vector<Component> out;
    while (true) {
      auto row = stmt->step();
      if (!row) return row.status();
      if (!*row) break;
      out.push_back(read_component(*stmt));
    }
    return out;
  }
};

// A box in degrees that holds the circle of `radius_m` around the point: metres per degree at
// its latitude, with a margin so that no point within the radius falls outside.
void add_circle_box(Select& select, const ComponentQuery::Point& p, double radius_m) {
  const double phi = p.lat * std::numbers::pi / 180;
  const double per_lat = 110574;
  const double per_lon = std::max(111320 * std::cos(phi), 1.0);
  const double margin = 1.01;
  select.box(p.lon - margin * radius_m / per_lon, p.lat - margin * radius_m / per_lat,
             p.lon + margin * radius_m / per_lon, p.lat + margin * radius_m / per_lat);
}

Select filters(const ComponentQuery& query) {
  Select select;
  if (query.category) select.text(" AND category = ?", *query.category);
  if (query.status) select.text(" AND status = ?", std::string(to_string(*query.status)));
  if (query.bbox) {
    select.box(query.bbox->min_lon, query.bbox->min_lat, query.bbox->max_lon, query.bbox->max_lat);
  }
  return select;
}

// The page of `sorted` that the query's offset and limit select.
ComponentPage page_of(std::vector<Component> sorted, const ComponentQuery& query) {
  ComponentPage page;
  const size_t offset = static_cast<size_t>(query.offset);
  const size_t limit = static_cast<size_t>(query.limit);
  if (offset >= sorted.size()) return page;
  page.more = sorted.size() > offset + limit;
  const auto first = sorted.begin() + static_cast<ptrdiff_t>(offset);
  page.items.assign(first, first + static_cast<ptrdiff_t>(std::min(limit, sorted.size() - offset)));
  return page;
}

Result<ComponentPage> list_near(Connection& db, const ComponentQuery& query) {
  const geo::LonLat centre{query.near->lon, query.near->lat};
  const size_t wanted = static_cast<size_t>(query.offset + query.limit) + 1;
  // Without a radius the circle widens until it holds enough components, then all are read.
  std::vector<double> radii;
  if (query.radius_m) {
    radii.push_back(*query.radius_m);
  } else {
    radii.assign(kNearestSteps.begin(), kNearestSteps.end());
    radii.push_back(0);  // no box: every component
  }
  for (const double radius : radii) {
    Select select = filters(query);
    if (radius > 0) add_circle_box(select, *query.near, radius);
    auto found = select.run(db, "");
    if (!found) return found.status();
    std::vector<std::pair<double, Component>> within;
    for (auto& c : *found) {
      const double d = geo::distance_m(centre, c.location);
      if (radius <= 0 || d <= radius) within.emplace_back(d, std::move(c));
    }
    if (!query.radius_m && radius > 0 && within.size() < wanted) continue;
    std::sort(within.begin(), within.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
    });
    std::vector<Component> sorted;
    for (auto& [d, c] : within) sorted.push_back(std::move(c));
    return page_of(std::move(sorted), query);
  }
  return ComponentPage{};
}

}  // namespace

Result<UpsertCounts> SqliteStore::upsert_components(const std::vector<Component>& components) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  UpsertCounts counts;
  for (const auto& c : components) {
    auto exists = writer_.prepare("SELECT 1 FROM components WHERE id = ?");
    if (!exists) return exists.status();
    exists->bind(1, c.id);
    auto found = exists->step();
    if (!found) return found.status();
    ++(*found ? counts.updated : counts.imported);
    exists->reset();
    auto stmt = writer_.prepare("INSERT OR REPLACE INTO components (" + std::string(kColumns) +
                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.status();
    stmt->bind(1, c.id)
        .bind(2, c.category)
        .bind(3, c.name)
        .bind(4, c.location.lon)
        .bind(5, c.location.lat)
        .bind(6, geo::to_string(c.reported_datum))
        .bind(7, c.reported_location.lon)
        .bind(8, c.reported_location.lat)
        .bind(9, c.unit_grid)
        .bind(10, c.governance_grid)
        .bind(11, c.address)
        .bind(12, to_string(c.status))
        .bind(13, c.owner_department)
        .bind(14, c.maintainer_department)
        .bind(15, epoch(c.updated_at));
    CITYOPS_RETURN_IF_ERROR(stmt->run());
  }
  CITYOPS_RETURN_IF_ERROR(tx->commit());
  return counts;
}

Result<std::optional<Component>> SqliteStore::find_component(const std::string& id) {
  auto lease = lease_reader();
  Select select;
  select.text(" AND id = ?", id);
  auto found = select.run(*lease, "");
  if (!found) return found.status();
  if (found->empty()) return std::optional<Component>{};
  return std::optional<Component>{std::move(found->front())};
}

Result<ComponentPage> SqliteStore::list_components(const ComponentQuery& query) {
  auto lease = lease_reader();
  if (query.near) return list_near(*lease, query);
  const Select select = filters(query);
  auto found = select.run(*lease, " ORDER BY id LIMIT " + std::to_string(query.limit + 1) +
                                      " OFFSET " + std::to_string(query.offset));
  if (!found) return found.status();
  ComponentPage page;
  page.more = static_cast<int>(found->size()) > query.limit;
  if (page.more) found->pop_back();
  page.items = std::move(found).value();
  return page;
}

Status SqliteStore::set_component_status(const std::string& id, ComponentStatus status,
                                         Timestamp at) {
  std::lock_guard lock(write_mutex_);
  auto stmt = writer_.prepare("UPDATE components SET status = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.status();
  CITYOPS_RETURN_IF_ERROR(stmt->bind(1, to_string(status)).bind(2, epoch(at)).bind(3, id).run());
  if (sqlite3_changes(writer_.raw()) == 0) {
    return not_found("component_not_found", "no component has the id " + id);
  }
  return Status::ok();
}

Result<std::vector<KeyCount>> SqliteStore::case_counts(const CaseCountQuery& query) {
  // The column is one of a fixed list, never the caller's text.
  constexpr std::array<std::string_view, 5> kColumnsByName{"unit_grid", "governance_grid", "street",
                                                           "community", "category"};
  if (std::find(kColumnsByName.begin(), kColumnsByName.end(), query.by) == kColumnsByName.end()) {
    return invalid("unknown_grouping", "cases are counted by " + query.by + "?", "by");
  }
  std::string sql = "SELECT " + query.by + ", COUNT(*) FROM cases" +
                    " WHERE reported_at >= ? AND reported_at < ?";
  if (query.category) sql += " AND category = ?";
  if (query.open_only) sql += " AND state NOT IN ('rejected', 'merged', 'closed', 'cancelled')";
  sql += " GROUP BY 1 ORDER BY 2 DESC, 1";
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(sql);
  if (!stmt) return stmt.status();
  stmt->bind(1, epoch(query.from)).bind(2, epoch(query.to));
  if (query.category) stmt->bind(3, *query.category);
  std::vector<KeyCount> counts;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    counts.push_back({stmt->is_null(0) ? "" : stmt->text(0), stmt->integer(1)});
  }
  return counts;
}

}  // namespace cityops::store
