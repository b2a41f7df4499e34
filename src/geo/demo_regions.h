// Demo geography for Beidaihe District (130304): streets and towns, communities and villages,
// governance grids and unit grids, derived from a district outline by fixed rules.
//
// The layout is plausible, not official. Street boundaries are straight cuts placed where the
// streets roughly lie: 戴河镇 Daihe town takes the western 36 % of the outline's bounding box;
// 东山街道 Dongshan street the eastern 23 %; 西山街道 Xishan street the coastal (southern) half
// of the band between 52 % and 77 %; 海滨镇 Haibin town the rest of the middle band, north and
// west of Xishan. Each street is then cut into a fixed list of communities (社区, codes 0xx) and
// villages (村, codes 2xx) of equal area by recursive bisection, and the whole district into
// exactly 207 governance grids the same way: each community gets a share of the 207 in
// proportion to its area (at least one), and its grids are numbered 130304-GG-001 .. 207 in
// community order. Names are illustrative.
//
// Everything is deterministic: the same outline gives the same regions, ids and geometry.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "geo/geometry.h"
#include "geo/grid_generator.h"

namespace cityops::geo {

struct NamedArea {
  std::string code;         // "130304", "130304001", "130304001002", "130304-GG-017"
  std::string name;         // Chinese name, e.g. "西山街道"
  std::string parent_code;  // the enclosing region; "130300" (Qinhuangdao) for the district
  MultiPolygon area;        // WGS84
};

struct DemoRegions {
  NamedArea district;
  std::vector<NamedArea> streets;           // 4, in code order
  std::vector<NamedArea> communities;       // in code order; parent = street
  std::vector<NamedArea> governance_grids;  // exactly 207; parent = community
  std::vector<UnitGridCell> unit_grids;     // as generate_unit_grids() numbers them
};

inline constexpr int kDemoGovernanceGridCount = 207;

// Builds the demo regions inside `outline_wgs84` (for example data/demo/beidaihe-outline.geojson
// converted from GCJ-02). Unit grids use cells of `unit_cell_m` metres.
//
// Errors (kInvalidArgument): "empty_outline" when the outline has no area; "outline_too_small"
// when a street or community would come out empty; any error of generate_unit_grids(), such as
// "invalid_cell_size" or "too_many_cells"; "geometry_failed" when clipping fails on invalid
// geometry.
Result<DemoRegions> build_demo_regions(const MultiPolygon& outline_wgs84, double unit_cell_m = 250);

}  // namespace cityops::geo
