// The Python module lpdla._lpdla (re-exported by the package lpdla): devices, networks,
// estimate and sweep over the C++ library. Results are the library's JSON reports converted to
// dicts, and configuration keywords go through the same parser as configuration files and sweep
// specs, so the keys, the defaults and the error messages are those of the CLI and the files.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "json_convert.h"
#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/explore/sweep_spec.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/model/estimate.h"
#include "lpdla/report/estimate_report.h"
#include "lpdla/version.h"

namespace py = pybind11;
using nlohmann::json;

namespace lpdla::python {
namespace {

// Keywords of estimate() that are not configuration fields: the CLI's flags of the same names.
struct EstimateExtras {
    std::string accuracy_file;
    UtilisationCaps caps;
};

double percent_arg(py::handle v, const char* name) {
    const double pct = v.cast<double>();
    if (!(pct > 0 && pct <= 100)) throw Error(fmt::format("{}={}: must be in (0, 100]", name, pct));
    return pct / 100;
}

py::object estimate(py::object device, py::object network, const py::kwargs& kwargs) {
    json doc = {{"schema", "lpdla.config/1"}};
    EstimateExtras extra;
    for (auto [k, v] : kwargs) {
        const auto key = k.cast<std::string>();
        if (key == "accuracy")
            extra.accuracy_file = v.cast<std::string>();
        else if (key == "max_alm_pct")
            extra.caps.alm = percent_arg(v, "max_alm_pct");
        else if (key == "max_dsp_pct")
            extra.caps.dsp = percent_arg(v, "max_dsp_pct");
        else if (key == "max_m20k_pct")
            extra.caps.m20k = percent_arg(v, "max_m20k_pct");
        else
            doc[key] = to_json(v, key);
    }
    const bool device_object = py::isinstance<Device>(device);
    const bool network_object = py::isinstance<Network>(network);
    if (!device_object) doc["device"] = device.cast<std::string>();
    if (!network_object) doc["network"] = network.cast<std::string>();
    const ConfigFile cfg = parse_config(doc, "lpdla.estimate() arguments");
    const Device dev = device_object ? device.cast<Device>() : load_device(cfg.device);
    if (network_object && cfg.width > 0)
        throw Error("lpdla.estimate() arguments/width: a loaded Network has its width already "
                    "(lpdla.load_network(name, width=...)); give the network by name instead");
    Network net = network_object ? network.cast<Network>()
                                 : load_network(cfg.network, cfg.width > 0 ? cfg.width : 1.0);
    if (!extra.accuracy_file.empty()) {
        auto rows = load_accuracy_rows(extra.accuracy_file, net.name);
        // User rows first, so they take precedence over the shipped table (as the CLI does).
        rows.insert(rows.end(), net.accuracy.begin(), net.accuracy.end());
        net.accuracy = std::move(rows);
    }
    const Estimate e = lpdla::estimate(dev, net, cfg.arch, extra.caps);
    return to_python(estimate_to_json(e, EstimateContext{&dev, &net, cfg.arch}));
}

py::object sweep(py::object spec, const py::kwargs& kwargs) {
    unsigned threads = 0;
    std::string shard = "0/1";
    json overrides = {{"schema", "lpdla.sweep/1"}};
    for (auto [k, v] : kwargs) {
        const auto key = k.cast<std::string>();
        if (key == "threads")
            threads = v.cast<unsigned>();
        else if (key == "shard")
            shard = v.cast<std::string>();
        else
            overrides[key] = to_json(v, key);
    }
    SweepSpec s = default_sweep_spec();
    if (py::isinstance<py::str>(spec)) {
        const auto path = spec.cast<std::string>();
        s = parse_sweep_spec(read_json_file(path), path, s);
    } else if (!spec.is_none()) {
        json doc = to_json(spec, "spec");
        if (doc.is_object() && !doc.contains("schema")) doc["schema"] = "lpdla.sweep/1";
        s = parse_sweep_spec(doc, "lpdla.sweep() spec", s);
    }
    if (overrides.size() > 1) s = parse_sweep_spec(overrides, "lpdla.sweep() arguments", s);
    if (s.devices.empty()) s.devices = list_data_names("devices");
    if (s.networks.empty()) s.networks = list_data_names("networks");
    validate_sweep_spec(s);
    const SweepInputs inputs = load_sweep_inputs(s);
    SweepOptions options;
    options.threads = threads;
    options.shard = parse_shard(shard);
    SweepResult result;
    {
        // The engine's worker threads never touch Python objects.
        py::gil_scoped_release release;
        result = run_sweep(s, inputs, options);
    }
    return to_python(sweep_result_to_json(result));
}

} // namespace
} // namespace lpdla::python

PYBIND11_MODULE(_lpdla, m) {
    using namespace lpdla;
    using namespace pybind11::literals;
    m.doc() = "lpdla: performance, resource and accuracy model of low-precision CNN accelerators "
              "on Intel FPGAs (docs/LIBRARY.md)";
    m.attr("__version__") = version_string;
    // lpdla::Error keeps its message; `kind` is the CLI's exit status for it.
    static py::exception<Error> error_type(m, "Error");
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const Error& e) {
            py::object exc = py::handle(error_type.ptr())(e.what());
            exc.attr("kind") = int(e.kind());
            PyErr_SetObject(error_type.ptr(), exc.ptr());
        }
    });

    py::class_<Device>(m, "Device", "A device description (devices/*.json), parsed and checked")
        .def_readonly("name", &Device::name)
        .def_readonly("display_name", &Device::display_name)
        .def_readonly("family", &Device::family)
        .def_readonly("source_file", &Device::source_file)
        .def_readonly("default_fmax_mhz", &Device::default_fmax_mhz)
        .def_property_readonly("ddr_gbps_peak", &Device::ddr_gbps_peak)
        .def_property_readonly(
            "available",
            [](const Device& d) { return python::to_python(resources_to_json(d.available)); })
        .def("__repr__", [](const Device& d) { return "<lpdla.Device " + d.name + ">"; });
    py::class_<Network>(m, "Network", "A network description (networks/*.json) at one width")
        .def_readonly("name", &Network::name)
        .def_readonly("display_name", &Network::display_name)
        .def_readonly("source_file", &Network::source_file)
        .def_readonly("width", &Network::width)
        .def_property_readonly("macs", &Network::macs)
        .def_property_readonly("weights", &Network::weights)
        .def_property_readonly("input",
                               [](const Network& n) {
                                   return py::make_tuple(n.input.channels, n.input.height,
                                                         n.input.width);
                               })
        .def_property_readonly("layers",
                               [](const Network& n) {
                                   std::vector<std::string> names;
                                   for (const auto& l : n.layers) names.push_back(l.name);
                                   return names;
                               })
        .def("__repr__", [](const Network& n) {
            return fmt::format("<lpdla.Network {} width {}>", n.name, n.width);
        });

    m.def(
        "data_dir", [] { return data_dir().string(); },
        "The directory holding devices/, networks/, kernels/ (lookup order: docs/LIBRARY.md)");
    m.def(
        "devices", [] { return list_data_names("devices"); }, "Names of the shipped devices");
    m.def(
        "networks", [] { return list_data_names("networks"); }, "Names of the shipped networks");
    m.def(
        "load_device", [](const std::string& name_or_path) { return load_device(name_or_path); },
        "name_or_path"_a, "A shipped device by name, or a device JSON file");
    m.def(
        "load_network",
        [](const std::string& name_or_path, double width) {
            return load_network(name_or_path, width);
        },
        "name_or_path"_a, "width"_a = 1.0,
        "A shipped network by name, or a network JSON file, widened by `width`");
    m.def("estimate", &python::estimate, "device"_a, "network"_a,
          "estimate(device, network, **config) -> dict with the keys of `lpdla estimate --json`.\n"
          "device, network: a name, a path, or a loaded Device / Network. Keywords: any field of "
          "a configuration file (lpdla.config/1: width, k_vec, c_vec, q_vec, lanes, act_bits, "
          "weights, mac_impl, fmax_mhz, ...), plus accuracy (a lpdla.accuracy/1 file) and "
          "max_alm_pct, max_dsp_pct, max_m20k_pct (defaults 85, 100, 100).");
    m.def("sweep", &python::sweep, "spec"_a = py::none(),
          "sweep(spec=None, *, threads=0, shard='0/1', **spec_fields) -> dict with the keys of "
          "`lpdla sweep --json`.\nspec: a dict or the path of a lpdla.sweep/1 file (None: the "
          "default grid). Keywords: any field of a sweep spec (devices, networks, widths, k_vec, "
          "..., constraints, cost), replacing the spec's.");
}
