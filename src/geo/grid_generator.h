// Unit grids (单元网格): the finest cells a district is divided into for case location.
//
// Rule, for an outline, its communities and a cell size s in metres:
//  1. The lattice. Cells are s metres on a side, turned into degrees at the outline's mean
//     latitude φ (the middle of its bounding box): Δlat = s / M and Δlon = s / (M cos φ), with
//     M = 111 195.08 m per degree (mean Earth radius 6 371 008.8 m). The lattice is anchored
//     at the north-west corner of the outline's bounding box: square (row r, column c) spans
//     longitudes west + c Δlon .. west + (c+1) Δlon and latitudes north - (r+1) Δlat ..
//     north - r Δlat; rows run north to south, columns west to east.
//  2. The pieces. Each square is intersected with the outline and with each community. Every
//     non-empty intersection of one square with one community is one unit grid (it may consist
//     of several parts, for example across a bay). A piece smaller than 1 % of s² is a sliver
//     and dropped. Parts of the outline outside every community get no unit grid.
//  3. The ids. A unit grid's id is its community's 12-digit code (6 district + 3 street +
//     3 community) followed by a 3-digit sequence number, 15 characters in all. Sequence
//     numbers start at 001 in each community and follow the lattice: row by row from north to
//     south, and west to east within a row. A community with more than 999 unit grids cannot
//     be numbered and is an error.
// Output is ordered by row, then column, then community order in the input. The result is
// deterministic for the same inputs.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "geo/geometry.h"

namespace cityops::geo {

struct CommunityArea {
  std::string code;  // 12 digits: 6 district + 3 street + 3 community
  MultiPolygon area;
};

struct UnitGridCell {
  std::string id;              // 15 characters: community code + 3-digit sequence
  std::string community_code;  // the community the cell belongs to
  MultiPolygon area;
};

// Generates the unit grids of `outline` by the rule above. Communities are expected not to
// overlap; where they do, each gets its own cell over the shared part.
//
// Errors (kInvalidArgument): "invalid_cell_size" when cell_size_m is not a finite number of at
// least 1 m or the lattice would exceed 4 million squares; "empty_outline"; "invalid_code"
// when a community code is not 12 ASCII digits or repeats; "too_many_cells" (field = that
// community's code) past 999 cells in a community; "geometry_failed" when clipping fails on
// invalid input geometry.
Result<std::vector<UnitGridCell>> generate_unit_grids(const MultiPolygon& outline,
                                                      const std::vector<CommunityArea>& communities,
                                                      double cell_size_m);

}  // namespace cityops::geo
