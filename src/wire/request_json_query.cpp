// Query strings: GET /jobs filters (job_filter.hpp), sort, view, count and paging, and GET /jobs/{id}?wait=S&progress=1. Values arrive as text, so numbers
// are parsed here with from_chars (whole value, no locale). A parameter given twice counts by its
// first value; an empty value (?status=) counts as absent, as forms and CLIs tend to send them.
// A parameter the parser does not read is refused, empty or not: ?created_after= or ?priorty=
// dropped would list everything, and look like an answer.
#include "wire/request_json.hpp"

#include "wire/job_filter.hpp"
#include "wire/job_json.hpp"
#include "wire/time_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <span>

namespace corral::wire {
namespace {

core::Error invalid(std::string message) {
  return core::make_error(core::Errc::invalid_argument, std::move(message));
}

std::optional<std::string_view> param(QueryParams const& q, std::string_view name) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return std::nullopt;
  return std::string_view(it->second);
}

// The whole of `text` as a T, or nullopt ("12abc", " 12", "" are not numbers).
template <class T>
std::optional<T> parse_whole(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// invalid_argument for the first parameter of q not in `known`.
std::optional<core::Error> check_names(QueryParams const& q, std::span<std::string_view const> known) {
  for (auto const& [name, value] : q) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string names;
    for (std::string_view k : known) names += (names.empty() ? "" : ", ") + std::string(k);
    return invalid("unknown query parameter \"" + name + "\" (known: " + (names.empty() ? "none" : names) + ")");
  }
  return std::nullopt;
}

constexpr std::string_view kListNames[] = {"status",        "queue",          "type",  "owner", "error_code",
                                           "error_text",    "created_after",  "created_before",
                                           "sort",          "view",           "count", "limit", "cursor"};
constexpr std::string_view kGetNames[] = {"wait", "progress", "updated_after"};

}  // namespace

core::Result<api::ListQuery> parse_list_query(QueryParams const& q) {
  if (auto e = check_names(q, kListNames)) return *e;
  api::ListQuery query;
  for (std::string_view name : filter_field_names()) {
    if (auto value = param(q, name)) {
      if (auto e = read_filter_field(name, *value, query.filter)) return *e;
    }
  }
  if (auto sort = param(q, "sort")) {
    auto parsed = parse_list_sort(*sort);
    if (!parsed) return invalid("sort must be one of newest, oldest, updated");
    query.sort = *parsed;
  }
  if (auto view = param(q, "view")) {
    if (*view != "full" && *view != "summary") return invalid("view must be full or summary");
    query.summary = *view == "summary";
  }
  if (auto count = param(q, "count")) {
    if (*count != "1" && *count != "0") return invalid("count must be 1 or 0");
    query.count = *count == "1";
  }
  if (auto limit = param(q, "limit")) {
    std::optional<int> n = parse_whole<int>(*limit);
    if (!n || *n < 1 || *n > 1000) return invalid("limit must be an integer 1..1000");
    query.limit = *n;
  }
  if (auto cursor = param(q, "cursor")) {
    // A position in one order is none in another: a cursor counts only with the sort it came from.
    query.cursor = decode_cursor(*cursor);
    if (!query.cursor || query.cursor->sort != query.sort) return invalid("cursor is not valid");
  }
  return query;
}

core::Result<api::GetWait> parse_get_query(QueryParams const& q) {
  if (auto e = check_names(q, kGetNames)) return *e;
  api::GetWait out;
  if (auto wait = param(q, "wait")) {
    // from_chars accepts "inf" and "nan"; isfinite turns them away with the other bad values.
    std::optional<double> seconds = parse_whole<double>(*wait);
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0 || *seconds > 60) {
      return invalid("wait must be a number 0..60");
    }
    out.wait = core::seconds_to_micros(*seconds);
  }
  if (auto progress = param(q, "progress")) {
    if (*progress != "1" && *progress != "0") return invalid("progress must be 1 or 0");
    out.progress = *progress == "1";
  }
  // Alone it would be an ordinary get that looks as if it had waited for a change.
  if (out.progress && out.wait.count() <= 0) return invalid("progress=1 needs wait=S (more than 0): it waits for a change");
  if (auto after = param(q, "updated_after")) {
    out.updated_after = parse_rfc3339(*after);
    if (!out.updated_after) return invalid("updated_after must be an RFC 3339 time such as 2026-01-02T03:04:05.123456Z");
    if (!out.progress) return invalid("updated_after needs progress=1: it is where a change is measured from");
  }
  return out;
}

core::Result<void> parse_no_query(QueryParams const& q) {
  if (auto e = check_names(q, {})) return *e;
  return {};
}

std::optional<core::Error> check_query_names(QueryParams const& q, std::span<std::string_view const> known) {
  return check_names(q, known);
}

}  // namespace corral::wire
