#pragma once
// nlohmann::json <-> Python objects. The module returns the library's own JSON reports converted
// this way, so a Python dict has exactly the keys of the file the CLI writes.
#include <string>

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

namespace lpdla::python {

pybind11::object to_python(const nlohmann::json& j);
// None, bool, int, float, str, list/tuple and dict (str keys) convert; anything else raises
// TypeError naming `where` (e.g. "k_vec").
nlohmann::json to_json(pybind11::handle value, const std::string& where);

} // namespace lpdla::python
