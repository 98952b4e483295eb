// One setting's value on its way into ServerConfig, whichever source it came from. TOML hands
// values over typed; the environment hands over text, which parse_env_text() types by the kind
// the setting expects, so both sources share one set of checks and one wording of errors.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace corral::config {

using Value = std::variant<bool, std::int64_t, double, std::string>;

// What a setting expects; only these kinds come from the environment.
enum class ValueKind { text, integer, number };

// Each returns invalid_argument naming `field` when `v` is of another type or out of [lo, hi].
core::Result<std::int64_t> to_integer(std::string_view field, Value const& v, double lo, double hi);
core::Result<double> to_number(std::string_view field, Value const& v, double lo, double hi);   // integer or float
core::Result<std::string> to_text(std::string_view field, Value const& v);
core::Result<bool> to_boolean(std::string_view field, Value const& v);

// Environment text -> a Value of `kind`; invalid_argument naming `field` if it does not parse.
core::Result<Value> parse_env_text(std::string_view field, std::string const& text, ValueKind kind);

core::Error invalid(std::string message);

}  // namespace corral::config
