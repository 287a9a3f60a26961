#pragma once
// Finds the shipped data (devices/, networks/, kernels/): --data-dir, $LPDLA_DATA_DIR, the source
// tree the binary was built from, then the install prefix.
#include <filesystem>
#include <string>
#include <vector>

namespace lpdla {

std::filesystem::path data_dir(const std::string& override_dir = {});
// A device or network by name (file stem) or by path to a .json file; throws lpdla::Error
// listing the known names when not found.
std::filesystem::path find_data_file(const std::string& kind_dir, const std::string& name_or_path,
                                     const std::string& override_dir = {});
std::vector<std::string> list_data_names(const std::string& kind_dir,
                                         const std::string& override_dir = {});

} // namespace lpdla
