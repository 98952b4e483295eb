#include "wire/job_filter.hpp"

#include "core/enqueue_spec.hpp"
#include "core/job_state.hpp"
#include "core/utf8.hpp"
#include "wire/time_format.hpp"

#include <algorithm>

namespace corral::wire {
namespace {

constexpr std::string_view kNames[] = {"status",     "queue",      "type",          "owner",
                                       "error_code", "error_text", "created_after", "created_before"};

constexpr std::size_t kMaxErrorCode = 128;
constexpr std::size_t kMaxErrorText = 200;

core::Error invalid(std::string_view name, std::string_view what) {
  return core::make_error(core::Errc::invalid_argument, std::string(name) + " " + std::string(what));
}

std::optional<core::Error> read_statuses(std::string_view value, std::vector<core::JobState>& out) {
  out.clear();
  for (;;) {
    auto const comma = value.find(',');
    auto state = core::parse_job_state(value.substr(0, comma));
    if (!state) return invalid("status", "must be one of queued, scheduled, running, retrying, completed, failed, cancelled");
    if (std::find(out.begin(), out.end(), *state) == out.end()) out.push_back(*state);
    if (comma == std::string_view::npos) return std::nullopt;
    value.remove_prefix(comma + 1);
  }
}

bool is_error_code(std::string_view s) {
  return !s.empty() && s.size() <= kMaxErrorCode && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

// Characters (code points) of valid UTF-8 text, or nullopt if it is not valid.
std::optional<std::size_t> characters(std::string_view s) {
  std::size_t n = 0;
  while (!s.empty()) {
    auto const len = core::utf8_sequence_length(s);
    if (len == 0) return std::nullopt;
    s.remove_prefix(len);
    ++n;
  }
  return n;
}

std::optional<core::Error> read_time(std::string_view name, std::string_view value,
                                     std::optional<core::TimePoint>& out) {
  out = parse_rfc3339(value);
  if (!out) return invalid(name, "must be an RFC 3339 time such as 2026-01-02T03:04:05Z");
  return std::nullopt;
}

}  // namespace

std::span<std::string_view const> filter_field_names() { return kNames; }

std::optional<core::Error> read_filter_field(std::string_view name, std::string_view value, api::JobFilter& f) {
  if (name == "status") return read_statuses(value, f.statuses);
  if (name == "queue" || name == "type") {
    if (auto e = core::check_name(name, value)) return e;
    (name == "queue" ? f.queue : f.type) = std::string(value);
    return std::nullopt;
  }
  if (name == "owner") {
    if (auto e = core::check_printable(name, value)) return e;
    f.owner = std::string(value);
    return std::nullopt;
  }
  if (name == "error_code") {
    if (!is_error_code(value)) return invalid(name, "must be 1..128 characters of a-z 0-9 _ . -");
    f.error_code = std::string(value);
    return std::nullopt;
  }
  if (name == "error_text") {
    auto const n = characters(value);
    if (!n || *n < 1 || *n > kMaxErrorText) return invalid(name, "must be 1..200 characters");
    f.error_text = std::string(value);
    return std::nullopt;
  }
  if (name == "created_after") return read_time(name, value, f.created_after);
  if (name == "created_before") return read_time(name, value, f.created_before);
  return invalid(name, "is not a filter");
}

}  // namespace corral::wire
