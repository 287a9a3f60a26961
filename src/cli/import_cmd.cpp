// `lpdla import MODEL.onnx --out net.json`: an ONNX model as lpdla's network JSON, one layer a
// line so that a user can read, edit and keep it. The same import runs behind every
// `--network model.onnx`.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/onnx_import.h"

namespace lpdla::cli {
namespace {

// An object's keys in the order a reader expects (those of `first`, then the rest, `source`
// last), as "key": value pairs.
std::vector<std::string> ordered_keys(const nlohmann::json& obj, std::vector<std::string> first) {
    std::vector<std::string> keys;
    for (const auto& k : first)
        if (obj.contains(k)) keys.push_back(k);
    for (auto it = obj.begin(); it != obj.end(); ++it)
        if (std::find(first.begin(), first.end(), it.key()) == first.end() && it.key() != "source")
            keys.push_back(it.key());
    if (obj.contains("source") && std::find(keys.begin(), keys.end(), "source") == keys.end())
        keys.push_back("source");
    return keys;
}

std::string one_line(const nlohmann::json& obj, const std::vector<std::string>& first) {
    std::vector<std::string> parts;
    for (const auto& k : ordered_keys(obj, first))
        parts.push_back(fmt::format("\"{}\": {}", k, obj[k].dump()));
    return fmt::format("{{{}}}", fmt::join(parts, ", "));
}

// Top-level fields one per line, each layer on one line (as the shipped networks/*.json).
std::string network_text(const nlohmann::json& doc) {
    const auto keys = ordered_keys(doc, {"schema", "name", "display_name", "source", "input"});
    std::string text = "{\n";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const nlohmann::json& v = doc[keys[i]];
        text += fmt::format("  \"{}\": ", keys[i]);
        if (keys[i] == "layers") {
            text += "[\n";
            for (std::size_t l = 0; l < v.size(); ++l)
                text += "    " + one_line(v[l], {"name", "type", "input", "inputs"}) +
                        (l + 1 < v.size() ? ",\n" : "\n");
            text += "  ]";
        } else if (v.is_object()) {
            text += one_line(v, {"name", "channels", "height", "width"});
        } else {
            text += v.dump();
        }
        text += i + 1 < keys.size() ? ",\n" : "\n";
    }
    return text + "}\n";
}

} // namespace

void add_import_command(CLI::App& app, const GlobalOptions& /*global*/) {
    auto* cmd = app.add_subcommand("import", "Convert an ONNX model to lpdla's network JSON");
    auto model = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    cmd->add_option("model", *model, "ONNX model file (.onnx); weights are not needed")->required();
    cmd->add_option("--out", *out, "Write the network JSON to FILE (atomically) instead of stdout");
    cmd->add_option("--name", *name, "Network name (default: the model file's stem)");
    cmd->callback([model, out, name] {
        if (!is_onnx_file(*model))
            throw Error(fmt::format("{}: expected an ONNX model file ending in .onnx", *model));
        nlohmann::json doc = import_onnx_network(*model);
        if (!name->empty()) doc["name"] = *name;
        const Network net = parse_network(doc, *model); // what every loader will see
        const std::string text = network_text(doc);
        if (out->empty()) {
            std::fwrite(text.data(), 1, text.size(), stdout);
        } else {
            write_file_atomic(*out, text);
            std::fprintf(stderr, "%s",
                         fmt::format("lpdla import: {} -> {}: {} layers, {} MACs\n", *model, *out,
                                     net.layers.size(), net.macs())
                             .c_str());
        }
    });
}

} // namespace lpdla::cli
