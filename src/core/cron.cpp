#include "core/cron.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <vector>

namespace corral::core {
namespace {

// One field's rules: its name in errors, its range, and the names it accepts for values.
struct FieldRule {
  std::string_view name;
  int min;
  int max;
  std::array<std::string_view, 12> names{};   // names[i] stands for min + i
};

constexpr FieldRule kSecond{"second", 0, 59};
constexpr FieldRule kMinute{"minute", 0, 59};
constexpr FieldRule kHour{"hour", 0, 23};
constexpr FieldRule kDay{"day of month", 1, 31};
constexpr FieldRule kMonth{"month", 1, 12,
                           {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}};
// 7 is Sunday too (folded into 0 when the field is stored).
constexpr FieldRule kWeekday{"day of week", 0, 7, {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}};

Error field_error(FieldRule const& rule, std::string_view text, std::string const& why) {
  return make_error(Errc::invalid_argument,
                    std::string(rule.name) + ": " + std::string(text) + " " + why);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

// One value of `part` (the list item named in errors).
Result<int> parse_value(FieldRule const& rule, std::string_view text, std::string_view part) {
  auto const up = upper(text);
  for (std::size_t i = 0; i < rule.names.size(); ++i) {
    if (!rule.names[i].empty() && up == rule.names[i]) return rule.min + static_cast<int>(i);
  }
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return field_error(rule, part, "is not a number" + std::string(rule.names[0].empty() ? "" : " or a name"));
  }
  if (v < rule.min || v > rule.max) {
    return field_error(rule, part, "is out of " + std::to_string(rule.min) + "-" + std::to_string(rule.max));
  }
  return v;
}

// One comma-separated part: `*`, `v`, `a-b`, each with an optional `/step`.
Result<void> parse_part(FieldRule const& rule, std::string_view part, std::vector<bool>& set) {
  int step = 1;
  bool stepped = false;
  if (auto slash = part.find('/'); slash != std::string_view::npos) {
    auto const step_text = part.substr(slash + 1);
    auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
    if (step_text.empty() || ec != std::errc() || end != step_text.data() + step_text.size() || step < 1) {
      return field_error(rule, part, "has a step that is not a positive number");
    }
    part = part.substr(0, slash);
    stepped = true;
  }
  int lo = rule.min;
  int hi = rule.max;
  if (part != "*") {
    auto dash = part.find('-');
    auto first = parse_value(rule, part.substr(0, dash), part);
    if (!first) return first.error();
    lo = *first;
    // `a/n` runs from a to the field's end, as in Vixie cron.
    hi = dash != std::string_view::npos ? 0 : (stepped ? rule.max : lo);
    if (dash != std::string_view::npos) {
      auto last = parse_value(rule, part.substr(dash + 1), part);
      if (!last) return last.error();
      hi = *last;
      if (hi < lo) return field_error(rule, part, "is a range that ends before it starts");
    }
  }
  for (int v = lo; v <= hi; v += step) set[static_cast<std::size_t>(v - rule.min)] = true;
  return {};
}

// A whole field; `star`: it was exactly `*` or `*/1`-like (every value).
template <std::size_t N>
Result<void> parse_field(FieldRule const& rule, std::string_view text, std::bitset<N>& out, bool* star = nullptr) {
  std::vector<bool> set(static_cast<std::size_t>(rule.max - rule.min + 1), false);
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (part.empty()) return field_error(rule, text, "has an empty list item");
    if (auto r = parse_part(rule, part, set); !r) return r;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (set[i]) out.set((static_cast<std::size_t>(rule.min) + i) % N);   // weekday 7 -> 0
  }
  if (star) *star = text.front() == '*';
  return {};
}

std::string_view expand_macro(std::string_view text) {
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return {};
}

std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    auto start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

// --- next tick ---------------------------------------------------------------------------------

using date::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using LocalSeconds = date::local_seconds;

bool day_matches(CronSpec const& spec, date::local_days day) {
  date::year_month_day const ymd{day};
  bool const dom = spec.days.test(static_cast<unsigned>(ymd.day()));
  bool const dow = spec.weekdays.test(date::weekday{day}.c_encoding());
  if (spec.days_star || spec.weekdays_star) return dom && dow;
  return dom || dow;
}

// The first local time at or after `t` the fields match, or nullopt past `limit`.
std::optional<LocalSeconds> next_match(CronSpec const& spec, LocalSeconds t, LocalSeconds limit) {
  while (t <= limit) {
    auto const day = date::floor<days>(t);
    date::year_month_day const ymd{day};
    if (!spec.months.test(static_cast<unsigned>(ymd.month()))) {
      auto const next = ymd.year() / ymd.month() / 1 + date::months{1};
      t = LocalSeconds{date::local_days{next}};
      continue;
    }
    if (!day_matches(spec, day)) {
      t = LocalSeconds{day + days{1}};
      continue;
    }
    date::hh_mm_ss const hms{t - day};
    auto const h = static_cast<std::size_t>(hms.hours().count());
    auto const m = static_cast<std::size_t>(hms.minutes().count());
    auto const s = static_cast<std::size_t>(hms.seconds().count());
    if (!spec.hours.test(h)) {
      t = date::floor<hours>(t) + hours{1};
      continue;
    }
    if (!spec.minutes.test(m)) {
      t = date::floor<minutes>(t) + minutes{1};
      continue;
    }
    if (!spec.seconds.test(s)) {
      t += seconds{1};
      continue;
    }
    return t;
  }
  return std::nullopt;
}

}  // namespace

Result<CronSpec> parse_cron(std::string_view text) {
  if (auto macro = expand_macro(text); !macro.empty()) text = macro;
  auto const fields = split_fields(text);
  if (fields.size() != 5 && fields.size() != 6) {
    return make_error(Errc::invalid_argument,
                      "has " + std::to_string(fields.size()) +
                          " fields; a cron expression has 5 (minute hour day-of-month month day-of-week), "
                          "6 with seconds first, or is one of @yearly @monthly @weekly @daily @hourly");
  }
  CronSpec spec;
  std::size_t i = 0;
  if (fields.size() == 6) {
    if (auto r = parse_field(kSecond, fields[i++], spec.seconds); !r) return r.error();
  } else {
    spec.seconds.set(0);
  }
  if (auto r = parse_field(kMinute, fields[i++], spec.minutes); !r) return r.error();
  if (auto r = parse_field(kHour, fields[i++], spec.hours, &spec.hours_star); !r) return r.error();
  if (auto r = parse_field(kDay, fields[i++], spec.days, &spec.days_star); !r) return r.error();
  if (auto r = parse_field(kMonth, fields[i++], spec.months); !r) return r.error();
  if (auto r = parse_field(kWeekday, fields[i++], spec.weekdays, &spec.weekdays_star); !r) return r.error();
  return spec;
}

std::optional<TimePoint> next_tick(CronSpec const& spec, date::time_zone const& zone, TimePoint after) {
  // Local times are scanned in order, each mapped to the instant it stands for. Mapping an
  // ambiguous local time to its first occurrence keeps that map increasing, so the first local
  // match whose first occurrence is past `after` ends the scan; second occurrences (hour `*`
  // only) are not in order with the rest, so the earliest one past `after` seen before then
  // competes with it. The scan may start before `after`'s local time because a
  // fall-back change lets the same local times come round again: it starts at `after` under
  // the smallest of the offsets in force within three hours of it.
  auto const after_s = date::floor<seconds>(date::sys_time<Micros>{after.time_since_epoch()});
  auto const offset = std::min({zone.get_info(after_s - hours{3}).offset, zone.get_info(after_s).offset,
                                zone.get_info(after_s + hours{3}).offset});
  auto t = LocalSeconds{after_s.time_since_epoch() + offset};
  auto const limit = t + days{366 * 50};
  std::optional<date::sys_seconds> second_best;
  while (auto match = next_match(spec, t, limit)) {
    auto const info = zone.get_info(*match);
    date::sys_seconds first;
    if (info.result == date::local_info::nonexistent) {
      first = info.second.begin;   // a skipped time runs at the end of the gap
    } else {
      first = date::sys_seconds{match->time_since_epoch() - info.first.offset};
    }
    if (info.result == date::local_info::ambiguous && spec.hours_star) {
      auto const again = date::sys_seconds{match->time_since_epoch() - info.second.offset};
      if (again > after && (!second_best || again < *second_best)) second_best = again;
    }
    if (first > after) {
      auto const best = second_best && *second_best < first ? *second_best : first;
      return TimePoint{std::chrono::duration_cast<Micros>(best.time_since_epoch())};
    }
    t = *match + seconds{1};
  }
  if (second_best) return TimePoint{std::chrono::duration_cast<Micros>(second_best->time_since_epoch())};
  return std::nullopt;
}

}  // namespace corral::core
