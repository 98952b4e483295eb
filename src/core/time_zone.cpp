#include "core/time_zone.hpp"

#include <date/tz.h>

#include <stdexcept>
#include <string>

namespace corral::core {

Result<date::time_zone const*> find_time_zone(std::string_view name) {
  // locate_zone reports an unknown name by throwing; an empty name or a path could reach files
  // outside the zone directory, so only zone-shaped names are looked up.
  bool shaped = !name.empty() && name.front() != '/' && name.find("..") == std::string_view::npos;
  if (shaped) {
    try {
      return date::locate_zone(name);
    } catch (std::runtime_error const&) {
    }
  }
  return make_error(Errc::invalid_argument, "unknown time zone " + std::string(name) + " (an IANA name, e.g. Europe/Berlin)");
}

}  // namespace corral::core
