// The HTML report: parsed as a document (tags balanced, each section present with its content),
// self-contained (no script, no URL to the network outside the SVG namespace), and echoing the
// inputs and the data files' assumptions, counted here independently of the report code.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lpdla/explore/constraint_tally.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/estimate.h"
#include "lpdla/report/html_report.h"
#include "test_support.h"

namespace lpdla {
namespace {

struct Element {
    std::string tag, attrs;
    std::size_t begin = 0, end = 0; // content range in the text
};

// A small HTML reader: elements with their attributes and content, void elements and <!...>
// skipped; fails the test on a closing tag that does not match the open one.
std::vector<Element> parse_html(const std::string& text) {
    static const std::vector<std::string> void_tags = {"meta", "br", "hr", "img", "link", "input"};
    std::vector<Element> done, open;
    std::size_t i = 0;
    while ((i = text.find('<', i)) != std::string::npos) {
        const std::size_t close = text.find('>', i);
        if (close == std::string::npos) {
            ADD_FAILURE() << "unterminated tag at " << i;
            break;
        }
        std::string inside = text.substr(i + 1, close - i - 1);
        const std::size_t after = close + 1;
        if (inside.empty() || inside[0] == '!' || inside[0] == '?') {
            i = after;
            continue;
        }
        if (inside[0] == '/') {
            const std::string tag = inside.substr(1);
            if (open.empty() || open.back().tag != tag) {
                ADD_FAILURE() << "</" << tag << "> at " << i << " closes <"
                              << (open.empty() ? "nothing" : open.back().tag) << ">";
                return done;
            }
            open.back().end = i;
            done.push_back(open.back());
            open.pop_back();
            i = after;
            continue;
        }
        const bool self_closing = inside.back() == '/';
        if (self_closing) inside.pop_back();
        const std::size_t space = inside.find_first_of(" \n\t");
        Element e;
        e.tag = inside.substr(0, space);
        e.attrs = space == std::string::npos ? "" : inside.substr(space);
        e.begin = after;
        const bool is_void =
            std::find(void_tags.begin(), void_tags.end(), e.tag) != void_tags.end();
        if (self_closing || is_void) {
            e.end = after;
            done.push_back(e);
        } else if (e.tag == "style" || e.tag == "title") {
            // Raw text: find its end tag directly.
            const std::size_t end = text.find("</" + e.tag + ">", after);
            e.end = end;
            done.push_back(e);
            i = end + e.tag.size() + 3;
            continue;
        } else {
            open.push_back(e);
        }
        i = after;
    }
    EXPECT_TRUE(open.empty()) << open.size() << " elements left open, first <"
                              << (open.empty() ? "" : open.front().tag) << ">";
    return done;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Any URL to the network except the SVG namespace attribute a browser never fetches.
void expect_no_network_url(const std::string& html) {
    const std::string stripped =
        std::regex_replace(html, std::regex(R"(xmlns="http://www\.w3\.org/2000/svg")"), "");
    EXPECT_EQ(stripped.find("http://"), std::string::npos);
    EXPECT_EQ(stripped.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_EQ(html.find("url("), std::string::npos);
}

struct Fixture {
    SweepSpec spec;
    SweepInputs inputs;
    SweepResult result;
    HtmlReportData data;
};

Fixture small_report() {
    Fixture f;
    SweepSpec& s = f.spec;
    s = default_sweep_spec();
    s.name = "report-test";
    s.devices = {"arria10_gx1150", "stratix10_gx2800"};
    s.networks = {"alexnet"};
    s.k_vec = {16, 32};
    s.c_vec = {8, 32};
    s.q_vec = {4};
    s.lanes = {1};
    s.precisions = {parse_precision("2/ternary", ""), parse_precision("8/int8", "")};
    // The shipped rows behind these precisions (LQ-Nets, tensorpack) keep the first and last
    // layers at full precision: the sweep models that (a hard-FP side path of 8 x 8), so the rows
    // are the accuracy of the assignment swept; Colangelo's row does not say and answers any.
    s.fixed.first_last = Precision{32, WeightKind::fp32};
    s.fixed.wide_layers = WideLayerMode::dsp_side_path;
    s.fixed.side_k_vec = 8;
    s.fixed.side_c_vec = 8;
    f.inputs = load_sweep_inputs(s, test::source_path(""));
    f.result = run_sweep(s, f.inputs, {});
    HtmlReportData& d = f.data;
    d.title = "test report";
    d.inputs = sweep_report_inputs(s, {"arria10_gx1150", "arria10_gx660", "stratix10_gx2800"},
                                   {"alexnet"});
    d.sweep = &f.result;
    d.sweep_devices = f.inputs.devices;
    for (const auto& v : f.inputs.variants) d.accuracy.push_back(v.accuracy);
    d.tally = tally_constraints(s, f.inputs);
    for (const auto& g : f.result.groups) {
        const SweepPoint& p = *g.best.images_per_s;
        ReportDesign x;
        x.role = "fastest";
        x.device_label = s.devices[p.device];
        x.device = f.inputs.devices[p.device];
        x.network = test::network("alexnet");
        x.estimate = estimate(x.device, x.network, p.config, s.constraints.caps);
        d.designs.push_back(x);
    }
    for (const char* file : {"devices/arria10_gx1150.json", "devices/stratix10_gx2800.json",
                             "networks/alexnet.json"}) {
        const auto a = collect_assumptions(test::source_path(file));
        d.assumptions.insert(d.assumptions.end(), a.begin(), a.end());
    }
    return f;
}

TEST(ReportHtml, EverySectionIsPresentAndWellFormed) {
    Fixture f = small_report();
    // The report keeps pointers into the fixture: render from it where it lives.
    f.data.sweep = &f.result;
    const std::string html = render_html_report(f.data);
    ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    const auto elements = parse_html(html);
    for (const char* id : html_report_sections) {
        const auto it = std::find_if(elements.begin(), elements.end(), [&](const Element& e) {
            return e.tag == "section" &&
                   e.attrs.find(std::string("id=\"") + id + "\"") != std::string::npos;
        });
        ASSERT_NE(it, elements.end()) << "section " << id << " missing";
        const std::string body = html.substr(it->begin, it->end - it->begin);
        EXPECT_NE(body.find("<h2>"), std::string::npos) << id << " has no heading";
        // Chart sections draw; the others tabulate.
        const std::string id_s = id;
        const bool chart = id_s == "pareto" || id_s == "accuracy" || id_s == "layers" ||
                           id_s == "roofline" || id_s == "resources";
        const bool table = id_s == "question" || id_s == "answer" || id_s == "assumptions";
        EXPECT_TRUE(!chart || body.find("<svg") != std::string::npos) << id << " has no chart";
        EXPECT_TRUE(!table || body.find("<table>") != std::string::npos) << id << " has no table";
    }
    EXPECT_NE(html.find("@media print"), std::string::npos);
    expect_no_network_url(html);
}

TEST(ReportHtml, AssumptionsListEveryAssumedValueOfTheFilesUsed) {
    Fixture f = small_report();
    f.data.sweep = &f.result;
    const std::string html = render_html_report(f.data);
    // Independent count: the key as text in the files (every "assumed" key holds a string).
    std::size_t expected = 0;
    for (const char* file :
         {"devices/arria10_gx1150.json", "devices/stratix10_gx2800.json", "networks/alexnet.json"})
        expected += count(slurp(test::source_path(file)), "\"assumed\":");
    ASSERT_GT(expected, 10u);
    const auto at = html.find("<section id=\"assumptions\">");
    ASSERT_NE(at, std::string::npos);
    const std::string section = html.substr(at);
    EXPECT_EQ(count(section, "<tr><td>"), expected);
    // The LQ-Nets rows' baseline is an assumption the network file states: it must be listed.
    EXPECT_NE(section.find("without naming a variant"), std::string::npos);
}

TEST(ReportHtml, QuestionMarksDefaultsAndEchoesWhatWasSet) {
    Fixture f = small_report();
    const auto& in = f.data.inputs;
    const auto find = [&](const std::string& name) {
        const auto it = std::find_if(in.begin(), in.end(),
                                     [&](const ReportInput& r) { return r.name == name; });
        EXPECT_NE(it, in.end()) << name;
        return it == in.end() ? ReportInput{} : *it;
    };
    EXPECT_FALSE(find("k_vec").is_default); // set to 16, 32
    EXPECT_EQ(find("k_vec").value, "16, 32");
    EXPECT_TRUE(find("widths").is_default); // left at 1
    EXPECT_TRUE(find("constraints.max_alm_pct").is_default);
    EXPECT_FALSE(find("devices").is_default); // two of the three "shipped" ones given above
    EXPECT_TRUE(find("networks").is_default); // the only one
    EXPECT_EQ(find("fixed.fc_batch").value, "32");
}

TEST(ReportHtml, AnswerShowsBothLatenciesAndOtherVariantAccuracyAsSuch) {
    Fixture f = small_report();
    f.data.sweep = &f.result;
    const std::string html = render_html_report(f.data);
    const auto at = html.find("<section id=\"answer\">");
    const std::string answer = html.substr(at, html.find("</section>", at) - at);
    EXPECT_NE(answer.find("latency ms (batch 1)"), std::string::npos);
    EXPECT_NE(answer.find("latency ms (FC batched)"), std::string::npos);
    // AlexNet 8/int8: only tensorpack's row (58.0 %, FP32 59.7 %): shown, marked, not used.
    EXPECT_NE(answer.find("58.0 % on tensorpack AlexNet, FP32 59.7 % (another variant: not used)"),
              std::string::npos);
    // 2/ternary: Colangelo et al. 49.0 % against the Caffe baseline 57.1 %.
    EXPECT_NE(answer.find("49.0 % (FP32 57.1 %)"), std::string::npos);
}

TEST(ReportHtml, EstimateReportHasEverySectionToo) {
    const Device dev = test::device("arria10_gx1150");
    const Network net = test::network("alexnet");
    ArchConfig a;
    a.precision = parse_precision("2/ternary", "");
    a.k_vec = 64;
    a.c_vec = 32;
    HtmlReportData d;
    d.title = "estimate";
    d.inputs = estimate_report_inputs(dev, net, a, {});
    ReportDesign x;
    x.role = "asked";
    x.device_label = dev.name;
    x.device = dev;
    x.network = net;
    x.estimate = estimate(dev, net, a);
    d.designs.push_back(x);
    const std::string html = render_html_report(d);
    parse_html(html);
    for (const char* id : html_report_sections)
        EXPECT_NE(html.find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;
    expect_no_network_url(html);
    // One roofline point per compute layer of AlexNet (5 conv + 3 fc).
    const auto at = html.find("<section id=\"roofline\">");
    const std::string roof = html.substr(at, html.find("</section>", at) - at);
    EXPECT_EQ(count(roof, "<circle cx"), 8u + 1u); // + the legend dot
}

TEST(ReportHtml, ResourcesSectionListsEveryResourceOverItsCap) {
    const Device dev = test::device("arria10_gx1150");
    const Network net = test::network("alexnet");
    ArchConfig a;
    a.precision = parse_precision("8/int8", "");
    a.mac_impl = MacImpl::dsp;
    a.k_vec = 512; // far beyond the part: DSP and ALM both over
    a.c_vec = 64;
    a.q_vec = 8;
    HtmlReportData d;
    d.title = "too big";
    ReportDesign x;
    x.role = "asked";
    x.device_label = dev.name;
    x.device = dev;
    x.network = net;
    x.estimate = estimate(dev, net, a);
    ASSERT_FALSE(x.estimate.fits);
    const auto& r = x.estimate.resources;
    d.designs.push_back(x);
    const std::string html = render_html_report(d);
    const auto at = html.find("fits: NO, over its cap: ");
    ASSERT_NE(at, std::string::npos);
    const std::string line = html.substr(at, html.find("</p>", at) - at);
    // Each kind over its cap appears with its percentage, worked out here from the totals.
    const auto over = [&](double used, double avail, double cap) { return used > avail * cap; };
    ASSERT_TRUE(over(r.total.dsp, r.available.dsp, 1.0));
    EXPECT_NE(line.find(fmt::format("DSP {:.1f} %", 100 * r.total.dsp / r.available.dsp)),
              std::string::npos)
        << line;
    if (over(r.total.alm, r.available.alm, 0.85)) {
        EXPECT_NE(line.find(fmt::format("ALM {:.1f} %", 100 * r.total.alm / r.available.alm)),
                  std::string::npos)
            << line;
    }
}

} // namespace
} // namespace lpdla
