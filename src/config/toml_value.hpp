// The bridge from toml11's values to the config's own Value, kept in one header so that only
// the config loader pays for including toml11.
#pragma once

#include "config/setting_value.hpp"

#include <toml.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace corral::config {

// A TOML scalar as a Value; arrays, tables and dates are not values of any setting.
core::Result<Value> from_toml(std::string_view field, toml::value const& v);

// A table's keys in sorted order, so that which error is reported first does not depend on hashing.
std::vector<std::string> sorted_keys(toml::table const& table);

// invalid_argument: "unknown setting FIELD (known: a, b, c)"; `known` lists the valid keys there.
core::Error unknown_key(std::string_view field, std::vector<std::string_view> const& known);

}  // namespace corral::config
