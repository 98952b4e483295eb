#include "http/request_log.hpp"

#include "core/ids.hpp"
#include "logging/log_line.hpp"
#include "wire/traceparent.hpp"

#include <random>

namespace corral::http {

namespace {

constexpr std::size_t kMaxRequestIdLength = 64;

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    bool const alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("._:+/=-").find(c) == std::string_view::npos) return false;
  }
  return true;
}

spdlog::level::level_enum level_of(int status) { return status >= 500 ? spdlog::level::warn : spdlog::level::debug; }

}  // namespace

std::string request_id_of(std::string_view incoming) {
  if (is_sane_request_id(incoming)) return std::string(incoming);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return core::make_span_id(rng());
}

void log_reply(Request const& req, int status) {
  auto const level = level_of(status);
  if (!logging::enabled(level)) return;
  logging::Lines lines;
  lines.line(level, "request")
      .field("request_id", req.request_id)
      .field("method", to_string(req.method))
      .field("path", req.path)
      .field("status", status);
  if (auto id = req.params.find("id"); id != req.params.end()) lines.field("job_id", id->second);
  if (auto trace = wire::trace_id_of_traceparent(req.traceparent)) lines.field("trace_id", *trace);
  lines.write();
}

void log_refusal(std::string const& request_id, int status, std::string_view why) {
  logging::Lines lines;
  lines.line(level_of(status), "request refused").field("request_id", request_id).field("status", status).field("reason", why);
  lines.write();
}

}  // namespace corral::http
