#pragma once
// The report's own charts (html_report.cpp): per-layer cycle bars, rooflines, resources against
// capacity. Each returns an inline <svg> element.
#include <string>
#include <string_view>
#include <vector>

#include "lpdla/report/html_report.h"

namespace lpdla::html {

std::string escape(std::string_view text);
// "1,234,567" (rounded), for tables read by people.
std::string grouped(double value);

// One horizontal bar per layer with cycles, split into the CycleBreakdown parts.
std::string layer_cycles_svg(const ReportDesign& design);
// Log-log: ops/byte (x) against TOPS (y); each design's roof (its peak TOPS and usable DDR
// bandwidth) and its layers placed at their intensity and achieved TOPS.
std::string roofline_svg(const std::string& title, const std::vector<const ReportDesign*>& designs);
// Per resource kind, the components' use stacked against the device's capacity and the cap.
std::string resources_svg(const ReportDesign& design);

// Layer intensity and achieved rate, shared by the roofline and its table.
struct LayerRoofPoint {
    std::string name;
    double ops_per_byte = 0; // +inf when the layer moves no DDR bytes
    double tops = 0;
};
std::vector<LayerRoofPoint> roofline_points(const ReportDesign& design);

} // namespace lpdla::html
