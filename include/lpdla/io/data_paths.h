#pragma once
// Finds the shipped data: devices/, networks/, kernels/ and validation/ under one directory.
//
// data_dir() takes the first of these that holds a devices/ folder:
//   1. `override_dir` (the CLI's --data-dir); an error if it is not a directory;
//   2. $LPDLA_DATA_DIR; an error if it is set and not a directory;
//   3. the installed tree around the shared library holding this function (found with dladdr):
//      share/lpdla in the library's folder or up to four levels above it (lib/, lib/<multiarch>/,
//      a Python package folder), so a prefix that is copied or moved keeps working;
//   4. the prefix find_package(lpdla) found when a program was configured against the installed
//      package (a static library cannot see where it was installed; the package config compiles
//      that path into the program);
//   5. the installed tree around the running executable (/proc/self/exe): <exe dir>/../share/lpdla
//      for the CLI, or for a program installed into the same prefix;
//   6. the source tree the library was built from (running from a build directory);
//   7. the install prefix configured at build time.
// "share" is the configured CMAKE_INSTALL_DATADIR. Steps 3 to 7 need no environment variable.
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
