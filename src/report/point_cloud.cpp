// The thinned cloud of feasible points (include/lpdla/report/point_cloud.h).
#include "lpdla/report/point_cloud.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla {
namespace {

// Column positions in all_points_csv_header.
enum Col {
    c_index,
    c_device,
    c_network,
    c_width,
    c_precision,
    c_k,
    c_c,
    c_q,
    c_lanes,
    c_mac,
    c_fmax,
    c_ips,
    c_latency,
    c_latency_batched,
    c_ips_batch1,
    c_eff_tops,
    c_peak_tops,
    c_util,
    c_top1,
    c_power,
    c_cost,
    c_alm,
    c_registers,
    c_dsp,
    c_m20k,
    c_mlab,
    c_count
};

// Cells per decade of images/s and of cost (whatever the cost's unit: a fraction, ALMs, watts):
// about 1/40 of a decade is about what a plot resolves.
constexpr double cells_per_decade = 40;

double num(std::string_view f) {
    if (f.empty()) return NAN;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    return ec == std::errc() && ptr == f.data() + f.size() ? v : NAN;
}

template <class T> std::uint32_t position(const std::vector<T>& v, const T& x) {
    return std::uint32_t(std::find(v.begin(), v.end(), x) - v.begin());
}

} // namespace

PointCloud::PointCloud(const SweepSpec& spec) : spec_(spec) {}

void PointCloud::add_csv(std::string_view rows, const std::string& where) {
    std::string text = partial_ + std::string(rows);
    partial_.clear();
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find('\n', start);
        if (end == std::string::npos) {
            partial_ = text.substr(start);
            return;
        }
        add_row(std::string_view(text).substr(start, end - start), where);
        start = end + 1;
    }
}

void PointCloud::add_row(std::string_view row, const std::string& where) {
    if (row.empty() || row.front() == '#' || row.substr(0, 6) == "index,") return;
    std::string_view f[c_count];
    std::size_t n = 0;
    while (n < c_count) {
        const auto comma = row.find(',');
        f[n++] = row.substr(0, comma);
        if (comma == std::string_view::npos) break;
        row.remove_prefix(comma + 1);
    }
    if (n != c_count)
        throw Error(fmt::format("{}: a row has {} columns, expected {}", where, n, int(c_count)));
    ++rows_;
    SweepPoint p;
    p.device = position(spec_.devices, std::string(f[c_device]));
    p.network = position(spec_.networks, std::string(f[c_network]));
    if (p.device >= spec_.devices.size() || p.network >= spec_.networks.size())
        throw Error(fmt::format("{}: device '{}' or network '{}' is not in the sweep's spec", where,
                                f[c_device], f[c_network]));
    p.width = position(spec_.widths, num(f[c_width]));
    if (p.width >= spec_.widths.size()) p.width = 0;
    p.obj.images_per_s = num(f[c_ips]);
    p.obj.top1 = num(f[c_top1]);
    p.obj.cost = num(f[c_cost]);
    p.latency_ms = num(f[c_latency]);
    p.latency_ms_batched = num(f[c_latency_batched]);
    p.images_per_s_batch1 = num(f[c_ips_batch1]);
    p.effective_tops = num(f[c_eff_tops]);
    p.peak_tops = num(f[c_peak_tops]);
    p.pe_utilisation = num(f[c_util]);
    p.power_w = num(f[c_power]);
    p.resources.alm = num(f[c_alm]);
    p.resources.registers = num(f[c_registers]);
    p.resources.dsp = num(f[c_dsp]);
    p.resources.m20k = num(f[c_m20k]);
    p.resources.mlab = num(f[c_mlab]);
    if (!(p.obj.images_per_s > 0) || !std::isfinite(p.obj.cost)) return;
    const int cx = int(std::floor(std::log10(p.obj.images_per_s) * cells_per_decade));
    const int cy = p.obj.cost > 0 ? int(std::floor(std::log10(p.obj.cost) * cells_per_decade))
                                  : std::numeric_limits<int>::min();
    if (cells_.emplace(p.device, p.network, cx, cy).second) points_.push_back(p);
}

} // namespace lpdla
