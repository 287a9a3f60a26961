#include "json_convert.h"

#include <fmt/format.h>

namespace py = pybind11;

namespace lpdla::python {

py::object to_python(const nlohmann::json& j) {
    switch (j.type()) {
    case nlohmann::json::value_t::null:
        return py::none();
    case nlohmann::json::value_t::boolean:
        return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
        return py::int_(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
        return py::int_(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
        return py::float_(j.get<double>());
    case nlohmann::json::value_t::string:
        return py::str(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
        py::list out;
        for (const auto& v : j) out.append(to_python(v));
        return out;
    }
    case nlohmann::json::value_t::object: {
        py::dict out;
        for (auto it = j.begin(); it != j.end(); ++it) out[py::str(it.key())] = to_python(*it);
        return out;
    }
    default: // binary and discarded values never occur in lpdla's reports
        throw py::type_error("lpdla: a JSON value with no Python equivalent");
    }
}

nlohmann::json to_json(py::handle value, const std::string& where) {
    if (value.is_none()) return nullptr;
    // bool before int: Python's True is an int too.
    if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
    if (py::isinstance<py::int_>(value)) return value.cast<std::int64_t>();
    if (py::isinstance<py::float_>(value)) return value.cast<double>();
    if (py::isinstance<py::str>(value)) return value.cast<std::string>();
    if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
        nlohmann::json out = nlohmann::json::array();
        std::size_t i = 0;
        for (auto item : value) out.push_back(to_json(item, fmt::format("{}[{}]", where, i++)));
        return out;
    }
    if (py::isinstance<py::dict>(value)) {
        nlohmann::json out = nlohmann::json::object();
        for (auto [k, v] : value.cast<py::dict>()) {
            if (!py::isinstance<py::str>(k))
                throw py::type_error(fmt::format("{}: dictionary keys must be str", where));
            const auto key = k.cast<std::string>();
            out[key] = to_json(v, where.empty() ? key : where + "." + key);
        }
        return out;
    }
    throw py::type_error(fmt::format("{}: a {} has no JSON equivalent (use None, bool, int, "
                                     "float, str, list or dict)",
                                     where,
                                     std::string(py::str(value.get_type().attr("__name__")))));
}

} // namespace lpdla::python
