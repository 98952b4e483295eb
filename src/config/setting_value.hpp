// One setting's value on its way into ServerConfig, whichever source it came from. TOML hands
// values over typed; the environment and flags hand over text, which parse_text() types by the kind
// the setting expects, so every source shares one set of checks and one wording of errors.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace corral::config {

// A list of strings ([job_types.NAME] stages = ["download", "render"]); only TOML gives lists.
using TextList = std::vector<std::string>;
using Value = std::variant<bool, std::int64_t, double, std::string, TextList>;

// What a setting expects; only these kinds come from the environment.
enum class ValueKind { text, integer, number, boolean };

// Each returns invalid_argument naming `field` (what the user typed: the flag, the variable or
// the TOML key) when `v` is of another type or out of [lo, hi], with the value it got:
// "--max-body-bytes must be an integer between 1024 and 1073741824 (got 1023)".
core::Result<std::int64_t> to_integer(std::string_view field, Value const& v, double lo, double hi);
core::Result<double> to_number(std::string_view field, Value const& v, double lo, double hi);   // integer or float
core::Result<std::string> to_text(std::string_view field, Value const& v);
core::Result<bool> to_boolean(std::string_view field, Value const& v);
core::Result<TextList> to_text_list(std::string_view field, Value const& v);

// Text from the environment or a flag -> a Value of `kind`; invalid_argument naming `field` if it
// does not parse.
core::Result<Value> parse_text(std::string_view field, std::string const& text, ValueKind kind);

core::Error invalid(std::string message);

// A number as people write it: 100000 (not 1e+05), 0.01, 2.5.
std::string format_number(double v);
// [lo, hi] as a message states it: "between 1 and 100000"; "at least 0" when hi is no limit
// anyone means (1e15 and more: the largest double would print as 309 digits).
std::string describe_range(double lo, double hi);

}  // namespace corral::config
