#pragma once
// Every feasible point of a sweep, thinned to what a plot can show: the cloud drawn behind the
// Pareto fronts. Fed the CSV rows the engine streams (all_points_csv_header columns), a chunk at a
// time, so it works beside `--all FILE` and on such a file afterwards.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "lpdla/explore/sweep_engine.h"

namespace lpdla {

class PointCloud {
  public:
    explicit PointCloud(const SweepSpec& spec);
    // Rows in all_points_csv_header columns; '#' comment lines and the header line are skipped.
    // Throws lpdla::Error naming `where` for a row that does not parse.
    void add_csv(std::string_view rows, const std::string& where = "points");
    // At most one point per cell of a grid over (log10 images/s, cost) per (device, network):
    // memory stays bounded whatever the sweep's size, the cloud's shape stays.
    const std::vector<SweepPoint>& points() const { return points_; }
    std::uint64_t rows_seen() const { return rows_; }

  private:
    const SweepSpec& spec_;
    std::vector<SweepPoint> points_;
    std::set<std::tuple<std::uint32_t, std::uint32_t, int, int>> cells_;
    std::uint64_t rows_ = 0;
    std::string partial_; // a row cut between two chunks
    void add_row(std::string_view row, const std::string& where);
};

} // namespace lpdla
