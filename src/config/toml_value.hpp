// The bridge from toml11's values to the config's own Value, kept in one header so that only
// the config loader pays for including toml11.
#pragma once

#include "config/setting_value.hpp"
#include "core/enqueue_spec.hpp"

#include <toml.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::config {

// A TOML scalar, or an array of strings, as a Value; other arrays, tables and dates are not values
// of any setting.
core::Result<Value> from_toml(std::string_view field, toml::value const& v);

// A table's keys in sorted order, so that which error is reported first does not depend on hashing.
std::vector<std::string> sorted_keys(toml::table const& table);

// invalid_argument: "unknown setting FIELD (known: a, b, c)"; `known` lists the valid keys there.
core::Error unknown_key(std::string_view field, std::vector<std::string_view> const& known);

// Reads the NAME = { ... } tables under the top-level `key` ([job_types.NAME], [queues.NAME]) into
// `table`, each through apply_one(entry, "KEY.NAME", value), replacing a NAME given again. The
// names are checked as queue and type names are.
template <class Table, class ApplyOne>
std::optional<core::Error> apply_named_tables(Table& table, std::string const& key, toml::value const& tables,
                                              ApplyOne apply_one) {
  if (!tables.is_table()) return invalid(key + " must be a table of [" + key + ".NAME] tables");
  for (auto const& name : sorted_keys(tables.as_table())) {
    std::string const prefix = key + "." + name;
    if (auto err = core::check_name(prefix, name)) return err;
    typename Table::mapped_type entry;
    if (auto err = apply_one(entry, prefix, tables.as_table().at(name))) return err;
    table[name] = std::move(entry);
  }
  return std::nullopt;
}

}  // namespace corral::config
