#pragma once
// All parsing and validation of lpdla's JSON files. Errors name the file and the JSON path.
#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"
#include "lpdla/model/precision_assignment.h"

namespace lpdla {

// Reads and parses a JSON file; throws lpdla::Error naming the file and the parse position.
nlohmann::json read_json_file(const std::filesystem::path& path);

// A shipped device or network by name ("arria10_gx1150", "alexnet": a file stem under the data
// directory, lpdla/io/data_paths.h) or a path to a .json file (anything with a '/' or ending in
// .json), as the CLI takes them.
Device load_device(const std::filesystem::path& name_or_path);
// Loads a network and applies the width multiplier; shapes are inferred and checked.
Network load_network(const std::filesystem::path& name_or_path, double width = 1.0);
Device parse_device(const nlohmann::json& doc, const std::string& file);
Network parse_network(const nlohmann::json& doc, const std::string& file, double width = 1.0);

// Accuracy rows from a user file ({"schema": "lpdla.accuracy/1", "network": N, "rows": [...]}).
std::vector<AccuracyEntry> load_accuracy_rows(const std::filesystem::path& path,
                                              const std::string& network_name);
// The same from a parsed document; `file` names it in errors.
std::vector<AccuracyEntry> parse_accuracy_file(const nlohmann::json& doc, const std::string& file,
                                               const std::string& network_name);

// A configuration (schema lpdla.config/1): arch knobs plus optional device/network/width.
struct ConfigFile {
    ArchConfig arch;
    std::string device, network; // empty when the file does not name them
    double width = 0;            // 0 when the file does not name it
    // "layer_precision": {"conv1": "8/int8", ...}, applied to the network by name.
    std::vector<LayerPrecisionOverride> layer_precision;
};
ConfigFile parse_config(const nlohmann::json& doc, const std::string& file);
ConfigFile load_config(const std::filesystem::path& path);
nlohmann::json config_to_json(const ArchConfig& arch, const std::string& device,
                              const std::string& network, double width);
// "none" or the precision label: how a configuration or sweep spec writes first_last.
std::string first_last_text(const std::optional<Precision>& first_last);
// Parses "none" or a precision for first_last; throws lpdla::Error naming `what`.
std::optional<Precision> parse_first_last(std::string_view text, std::string_view what);
// The knobs a sweep holds fixed (ddr_gbps, fc_batch, buffers, overhead, fold_strides), as the
// fields of one object: shared by a configuration file and a sweep spec's "fixed" block.
nlohmann::json fixed_knobs_to_json(const ArchConfig& arch);

// Writes text to path so that it holds the complete text or its old content, never a mix: a
// regular file (or a new one) through a uniquely named temporary, synced then renamed over it (of
// two concurrent writers, the last rename wins whole); a symbolic link's target, not the link; a
// device node or FIFO (/dev/null, a pipe) written in place, never replaced. A directory or another
// special file is refused (lpdla::Error, bad input); a failed write is lpdla::Error (runtime).
void write_file_atomic(const std::filesystem::path& path, const std::string& text);
// The same rules for a writer that streams: true when `path` is a device node or FIFO to write in
// place; false for a regular or new file (write unique_temp_path(path), then rename); throws for
// a directory or another special file.
bool output_written_in_place(const std::filesystem::path& path);
// A temporary name next to `path` no other writer uses (pid, a per-process counter, random bits).
std::string unique_temp_path(const std::filesystem::path& path);

} // namespace lpdla
