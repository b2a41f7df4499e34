// Point-to-unit-grid lookup rate of the in-process region index, on one core.
//
// The unit grids are the demo district's, built the way `cityops serve --demo` builds them:
// the GCJ-02 outline is converted to WGS84, divided into communities and 250 m unit grids, each
// grid is written as GeoJSON (which rounds to 7 decimals) and read back into the region index.
// The store keeps that GeoJSON text as it is, so the index here holds the server's exact
// vertices. Points are drawn uniformly from the district's bounding box with a fixed seed, so
// some fall in the sea or outside the district and resolve to nothing, like reports that intake
// refuses.
//
// With --export=DIR the program also writes what another engine needs to answer the same
// lookups, as tab-separated text that PostgreSQL's COPY reads directly:
//   DIR/grids.tsv    unit grid id, EWKT MULTIPOLYGON in WGS84 (SRID 4326)
//   DIR/points.tsv   point number, longitude, latitude
//   DIR/located.tsv  point number, the unit grid id locate() answers (empty outside every grid)
// Numbers are printed in their shortest form that reads back to the same double, so both
// engines test exactly the same coordinates.
//
// Usage: point_to_grid [--points=N] [--seed=S] [--reference-dir=DIR] [--export=DIR]
//                      [Google Benchmark flags]
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <fmt/os.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "app/importer.h"
#include "common/source_dir.h"
#include "geo/demo_regions.h"
#include "geo/geojson.h"
#include "geo/region_index.h"

namespace {

using cityops::geo::LonLat;
using cityops::geo::RegionIndex;
using cityops::geo::RegionLayer;

struct Options {
  size_t points = 200000;
  uint64_t seed = 20261204;
  std::filesystem::path reference_dir = std::filesystem::path(cityops::source_dir()) / "data";
  std::filesystem::path export_dir;
};

struct Grid {
  std::string id;
  cityops::geo::MultiPolygon area;  // as the index holds it, after the GeoJSON round trip
};

struct District {
  std::vector<Grid> grids;
  cityops::geo::Box bounds;
};

cityops::Result<District> load_district(const std::filesystem::path& reference_dir) {
  namespace geo = cityops::geo;
  auto text = cityops::app::read_file(reference_dir / "demo" / "beidaihe-outline.geojson");
  if (!text) return text.status();
  auto outline = geo::parse_features(*text);
  if (!outline) return outline.status();
  if (outline->empty()) return cityops::internal_error("the demo outline file is empty");
  const auto wgs84 =
      geo::convert_datum(outline->front().geometry, geo::Datum::kGcj02, geo::Datum::kWgs84);
  auto demo = geo::build_demo_regions(wgs84);
  if (!demo) return demo.status();

  District district{{}, geo::bounding_box(demo->district.area)};
  for (const auto& cell : demo->unit_grids) {
    auto stored = geo::parse_features(geo::to_geojson(cell.area).dump());
    if (!stored) return stored.status();
    for (auto& feature : *stored) district.grids.push_back({cell.id, std::move(feature.geometry)});
  }
  return district;
}

std::vector<LonLat> draw_points(const cityops::geo::Box& bounds, size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> lon(bounds.min_corner().x(), bounds.max_corner().x());
  std::uniform_real_distribution<double> lat(bounds.min_corner().y(), bounds.max_corner().y());
  std::vector<LonLat> points(count);
  for (auto& p : points) {
    // Two statements, so the order of the draws does not depend on argument evaluation.
    p.lon = lon(rng);
    p.lat = lat(rng);
  }
  return points;
}

void append_ring(std::string& out, const cityops::geo::Ring& ring) {
  out += '(';
  for (size_t i = 0; i < ring.size(); ++i) {
    if (i > 0) out += ',';
    fmt::format_to(std::back_inserter(out), "{} {}", ring[i].x(), ring[i].y());
  }
  out += ')';
}

std::string to_ewkt(const cityops::geo::MultiPolygon& area) {
  std::string out = "SRID=4326;MULTIPOLYGON(";
  for (size_t i = 0; i < area.size(); ++i) {
    if (i > 0) out += ',';
    out += '(';
    append_ring(out, area[i].outer());
    for (const auto& hole : area[i].inners()) {
      out += ',';
      append_ring(out, hole);
    }
    out += ')';
  }
  return out + ')';
}

void write_export(const std::filesystem::path& dir, const District& district,
                  const std::vector<LonLat>& points, const RegionIndex& index) {
  std::filesystem::create_directories(dir);
  auto grids = fmt::output_file((dir / "grids.tsv").string());
  for (const auto& grid : district.grids) grids.print("{}\t{}\n", grid.id, to_ewkt(grid.area));
  auto coordinates = fmt::output_file((dir / "points.tsv").string());
  auto located = fmt::output_file((dir / "located.tsv").string());
  for (size_t i = 0; i < points.size(); ++i) {
    coordinates.print("{}\t{}\t{}\n", i, points[i].lon, points[i].lat);
    located.print("{}\t{}\n", i, index.locate(RegionLayer::kUnitGrid, points[i]).value_or(""));
  }
}

// One unit-grid lookup per iteration, cycling through the fixed set: the call intake makes for
// each report (ReferenceData::place repeats it for the four other layers).
void locate_unit_grid(benchmark::State& state, const RegionIndex& index,
                      const std::vector<LonLat>& points) {
  size_t next = 0;
  int64_t found = 0;
  for (auto _ : state) {
    auto grid = index.locate(RegionLayer::kUnitGrid, points[next]);
    found += grid.has_value();
    benchmark::DoNotOptimize(grid);
    if (++next == points.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["inside_share"] =
      static_cast<double>(found) / static_cast<double>(state.iterations());
}

bool parse_flag(std::string_view arg, std::string_view name, std::string_view& value) {
  if (arg.substr(0, name.size()) != name) return false;
  value = arg.substr(name.size());
  return true;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size();
}

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string_view value;
    bool ok = true;
    if (parse_flag(arg, "--points=", value)) {
      ok = parse_number(value, options.points) && options.points > 0;
    } else if (parse_flag(arg, "--seed=", value)) {
      ok = parse_number(value, options.seed);
    } else if (parse_flag(arg, "--reference-dir=", value)) {
      options.reference_dir = value;
    } else if (parse_flag(arg, "--export=", value)) {
      options.export_dir = value;
    } else {
      ok = false;
    }
    if (!ok) {
      fmt::print(stderr, "point_to_grid: bad argument {}\n", arg);
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Google Benchmark takes its own flags out of argv and leaves ours.
  benchmark::Initialize(&argc, argv);
  Options options;
  if (!parse_options(argc, argv, options)) return 2;

  auto district = load_district(options.reference_dir);
  if (!district) {
    fmt::print(stderr, "point_to_grid: {}\n", district.status().message());
    return 1;
  }
  RegionIndex index;
  for (const auto& grid : district->grids) index.add(RegionLayer::kUnitGrid, grid.id, grid.area);
  const auto points = draw_points(district->bounds, options.points, options.seed);
  fmt::print(stderr, "point_to_grid: {} unit grids, {} points (seed {})\n",
             index.size(RegionLayer::kUnitGrid), points.size(), options.seed);

  if (!options.export_dir.empty()) {
    // fmt's files report failures (a full disk, a missing permission) by throwing.
    try {
      write_export(options.export_dir, *district, points, index);
    } catch (const std::exception& e) {
      fmt::print(stderr, "point_to_grid: writing {}: {}\n", options.export_dir.string(), e.what());
      return 1;
    }
  }

  benchmark::RegisterBenchmark("locate_unit_grid", [&](benchmark::State& state) {
    locate_unit_grid(state, index, points);
  })->UseRealTime();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
