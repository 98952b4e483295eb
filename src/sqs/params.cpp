#include "sqs/params.hpp"

#include <charconv>

namespace corral::sqs {

Error missing(std::string_view name) {
  return make_error(errors::kMissingParameter, "The request must contain the parameter " + std::string(name) + ".");
}

Error invalid_value(std::string_view name, std::string_view why) {
  return make_error(errors::kInvalidParameterValue,
                    "Value for parameter " + std::string(name) + " is invalid. Reason: " + std::string(why));
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

Outcome<std::optional<std::string>> optional_text(object const& params, std::string_view name) {
  auto const* v = params.if_contains(name);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return invalid_value(name, "must be a string.");
  return std::optional<std::string>(std::string(v->get_string()));
}

Outcome<std::string> required_text(object const& params, std::string_view name) {
  auto text = optional_text(params, name);
  if (!text) return text.error();
  if (!*text) return missing(name);
  return std::move(**text);
}

Outcome<std::optional<std::int64_t>> optional_integer(object const& params, std::string_view name, std::int64_t lo,
                                                      std::int64_t hi) {
  auto const* v = params.if_contains(name);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  std::optional<std::int64_t> n;
  if (v->is_int64()) n = v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(hi)) n = static_cast<std::int64_t>(v->get_uint64());
  if (v->is_string()) n = parse_integer(v->get_string());
  if (!n || *n < lo || *n > hi) {
    return invalid_value(name, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ".");
  }
  return n;
}

Outcome<std::vector<std::string>> text_list(object const& params, std::string_view name) {
  std::vector<std::string> out;
  auto const* v = params.if_contains(name);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return invalid_value(name, "must be a list of strings.");
  for (auto const& item : v->get_array()) {
    if (!item.is_string()) return invalid_value(name, "must be a list of strings.");
    out.emplace_back(item.get_string());
  }
  return out;
}

Outcome<std::vector<std::pair<std::string, std::string>>> text_map(object const& params, std::string_view name) {
  std::vector<std::pair<std::string, std::string>> out;
  auto const* v = params.if_contains(name);
  if (!v || v->is_null()) return out;
  if (!v->is_object()) return invalid_value(name, "must be a map of strings.");
  for (auto const& [key, value] : v->get_object()) {
    if (!value.is_string()) return invalid_value(name, "must be a map of strings.");
    out.emplace_back(std::string(key), std::string(value.get_string()));
  }
  return out;
}

Outcome<std::vector<object const*>> object_list(object const& params, std::string_view name) {
  std::vector<object const*> out;
  auto const* v = params.if_contains(name);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return invalid_value(name, "must be a list.");
  for (auto const& item : v->get_array()) {
    if (!item.is_object()) return invalid_value(name, "must be a list of entries.");
    out.push_back(&item.get_object());
  }
  return out;
}

}  // namespace corral::sqs
