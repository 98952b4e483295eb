#include "config/toml_value.hpp"

#include <algorithm>

namespace corral::config {

core::Result<Value> from_toml(std::string_view field, toml::value const& v) {
  switch (v.type()) {
    case toml::value_t::boolean: return Value(v.as_boolean());
    case toml::value_t::integer: return Value(static_cast<std::int64_t>(v.as_integer()));
    case toml::value_t::floating: return Value(static_cast<double>(v.as_floating()));
    case toml::value_t::string: return Value(v.as_string().str);
    case toml::value_t::array: {
      TextList list;
      auto const& items = v.as_array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!items[i].is_string()) return invalid(std::string(field) + "[" + std::to_string(i) + "] must be a string");
        list.push_back(items[i].as_string().str);
      }
      return Value(std::move(list));
    }
    default: return invalid(std::string(field) + " must be a string, a number, a boolean or a list of strings");
  }
}

std::vector<std::string> sorted_keys(toml::table const& table) {
  std::vector<std::string> keys;
  keys.reserve(table.size());
  for (auto const& entry : table) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  return keys;
}

core::Error unknown_key(std::string_view field, std::vector<std::string_view> const& known) {
  std::string message = "unknown setting " + std::string(field) + " (known: ";
  for (std::size_t i = 0; i < known.size(); ++i) (message += i ? ", " : "") += known[i];
  return invalid(message + ")");
}

}  // namespace corral::config
