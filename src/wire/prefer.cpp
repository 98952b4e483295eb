#include "wire/prefer.hpp"

#include <algorithm>
#include <cctype>

namespace corral::wire {
namespace {

std::string_view trimmed(std::string_view s) {
  auto const space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool same_text(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

bool prefers_minimal_return(std::string_view header) {
  while (!header.empty()) {
    auto const comma = header.find(',');
    auto preference = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    preference = trimmed(preference.substr(0, preference.find(';')));   // its parameters do not matter here
    auto const equals = preference.find('=');
    if (equals == std::string_view::npos) continue;
    auto value = trimmed(preference.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (same_text(trimmed(preference.substr(0, equals)), "return") && same_text(value, "minimal")) return true;
  }
  return false;
}

}  // namespace corral::wire
