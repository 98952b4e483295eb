// Reading an action's parameters from the JSON object both protocols decode into. The query
// protocol sends every value as text, so a number or a boolean is taken as JSON or as its text.
// Each reader names the parameter in its error, as SQS does.
#pragma once

#include "sqs/error.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::sqs {

using boost::json::object;

Error missing(std::string_view name);
Error invalid_value(std::string_view name, std::string_view why);

Outcome<std::optional<std::string>> optional_text(object const& params, std::string_view name);
Outcome<std::string> required_text(object const& params, std::string_view name);
// An integer lo..hi, or none.
Outcome<std::optional<std::int64_t>> optional_integer(object const& params, std::string_view name, std::int64_t lo,
                                                      std::int64_t hi);
// A list of strings; an absent one is empty.
Outcome<std::vector<std::string>> text_list(object const& params, std::string_view name);
// A map of string to string (queue attributes); an absent one is empty.
Outcome<std::vector<std::pair<std::string, std::string>>> text_map(object const& params, std::string_view name);
// A list of objects (batch entries); an absent one is empty.
Outcome<std::vector<object const*>> object_list(object const& params, std::string_view name);

// The integer `text` holds, if it is one.
std::optional<std::int64_t> parse_integer(std::string_view text);

}  // namespace corral::sqs
