#include "wire/traceparent.hpp"

#include "core/ids.hpp"

namespace corral::wire {

namespace {

constexpr std::size_t kVersion00Length = 55;   // 2 + 1 + 32 + 1 + 16 + 1 + 2

bool is_lower_hex(std::string_view s) { return s.find_first_not_of("0123456789abcdef") == std::string_view::npos; }

}  // namespace

std::optional<std::string> trace_id_of_traceparent(std::string_view h) {
  // Surrounding spaces and tabs are not part of a header's value (RFC 9110 5.5).
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  if (h.size() < kVersion00Length) return std::nullopt;
  auto const version = h.substr(0, 2);
  if (!is_lower_hex(version) || version == "ff") return std::nullopt;
  if (version == "00" ? h.size() != kVersion00Length : h.size() > kVersion00Length && h[kVersion00Length] != '-') {
    return std::nullopt;
  }
  if (h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  auto const trace_id = h.substr(3, 32), parent_id = h.substr(36, 16), flags = h.substr(53, 2);
  bool const parent_ok = is_lower_hex(parent_id) && parent_id != "0000000000000000";
  if (!core::is_trace_id(trace_id) || !parent_ok || !is_lower_hex(flags)) return std::nullopt;
  return std::string(trace_id);
}

std::string make_traceparent(std::string_view trace_id, std::string_view span_id) {
  std::string out = "00-";
  out.append(trace_id).append("-").append(span_id).append("-01");
  return out;
}

}  // namespace corral::wire
