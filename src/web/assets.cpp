#include "web/assets.hpp"

#include <algorithm>

namespace corral::web {

// Defined in the generated web_assets.cpp.
std::span<Asset const> embedded_assets();

std::span<Asset const> assets() { return embedded_assets(); }

Asset const* find_asset(std::string_view path) {
  auto all = assets();
  auto it = std::find_if(all.begin(), all.end(), [&](Asset const& a) { return a.path == path; });
  return it == all.end() ? nullptr : &*it;
}

Asset const* index_page() { return find_asset("index.html"); }

}  // namespace corral::web
