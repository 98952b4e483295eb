// Cron expressions: parsing and the next tick after an instant, in an IANA time zone.
//
// Syntax: five fields (minute hour day-of-month month day-of-week) or six with seconds first;
// each field is `*`, a value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n`, or a comma list of
// these; months and weekdays also by their English three-letter names (JAN, MON), any case;
// weekday 0 and 7 are both Sunday. Macros: @yearly (@annually), @monthly, @weekly, @daily
// (@midnight), @hourly. As in Vixie cron, when both day fields are restricted a day matches if
// EITHER does (`0 0 1 * MON`: the 1st and every Monday); when one is `*`, both must.
//
// Daylight saving follows Vixie cron (Debian's cron): a local time the spring-forward change
// skips runs once, at the first instant after the gap; a local time the fall-back change repeats
// runs once, at its first occurrence, unless the hour field is `*` (or a step of it), where each
// real hour counts and the repeated hour's ticks run again, as an hourly job should.
//
// Pure: no clock (callers pass the instant), and no I/O beyond the time-zone rules
// core/time_zone.hpp loads once from the system's tzdata.
#pragma once

#include "core/error.hpp"
#include "core/time.hpp"

#include <bitset>
#include <optional>
#include <string_view>

namespace date {
class time_zone;
}

namespace corral::core {

struct CronSpec {
  std::bitset<60> seconds;
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days;       // 1..31
  std::bitset<13> months;     // 1..12
  std::bitset<7> weekdays;    // 0 = Sunday
  bool days_star = false;     // day-of-month was `*`: the day fields combine with AND
  bool weekdays_star = false;
  bool hours_star = false;    // every hour counts: a repeated hour runs again (see above)
};

// invalid_argument naming the field and what is wrong with it ("minute: 61 is out of 0-59").
Result<CronSpec> parse_cron(std::string_view text);

// The first tick strictly after `after`, at a whole second; nullopt if the expression matches no
// time in the next 50 years (`0 0 30 2 *`).
std::optional<TimePoint> next_tick(CronSpec const& spec, date::time_zone const& zone, TimePoint after);

}  // namespace corral::core
