#include "push/verdict.hpp"

#include "wire/json_text.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace corral::push {
namespace {

namespace json = boost::json;

// Stored results are read back by every client: kept within the depth the API accepts by default.
constexpr std::size_t kResultMaxDepth = 64;

std::string result_of(std::string const& body) {
  json::parse_options options;
  options.max_depth = kResultMaxDepth;
  boost::system::error_code ec;
  auto value = json::parse(body, ec, {}, options);
  if (!ec) return wire::serialize_json(value);
  std::string text;
  wire::append_json_string(text, body);
  return text;
}

std::string excerpt(std::string const& body) {
  if (body.size() <= kExcerptBytes) return body;
  return body.substr(0, kExcerptBytes) + "...";
}

Verdict failure(std::string code, std::string message, bool retryable) {
  Verdict v;
  v.kind = Verdict::Kind::fail;
  v.error = core::JobError{std::move(code), std::move(message), retryable};
  return v;
}

}  // namespace

std::string_view Verdict::outcome() const {
  switch (kind) {
    case Kind::complete: return "completed";
    case Kind::accepted: return "accepted";
    case Kind::fail: break;
  }
  return error.retryable ? "failed" : "rejected";
}

Verdict judge(outbound::Reply const& reply, core::TimePoint now) {
  if (reply.status == 0) {
    return failure(reply.timed_out ? "push_timeout" : "push_unreachable", reply.error, true);
  }
  auto const status = reply.status;
  if (status == 202) return Verdict{Verdict::Kind::accepted};
  if (status >= 200 && status <= 299) {
    Verdict v;
    if (!reply.body.empty()) v.result = result_of(reply.body);
    return v;
  }
  std::string message = "push endpoint answered HTTP " + std::to_string(status);
  if (!reply.body.empty()) message += ": " + excerpt(reply.body);
  bool const retryable = status == 408 || status == 429 || status < 400 || status >= 500;
  if (!retryable) return failure("push_rejected", std::move(message), false);
  auto v = failure("push_failed", std::move(message), true);
  if ((status == 429 || status == 503) && reply.retry_after) v.retry_in = parse_retry_after(*reply.retry_after, now);
  return v;
}

std::optional<core::Micros> parse_retry_after(std::string_view value, core::TimePoint now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  auto clamp = [](core::Micros d) { return std::clamp(d, core::Micros(0), kMaxRetryAfter); };
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range) return kMaxRetryAfter;
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return clamp(std::chrono::duration_cast<core::Micros>(std::chrono::seconds(std::min<std::int64_t>(seconds, 86400 * 365))));
  }
  // IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", the one form RFC 9110 has senders use.
  // get_time lets the input end before the format's literal text does: the zone is checked here.
  if (!value.ends_with(" GMT")) return std::nullopt;
  std::tm tm{};
  std::istringstream in{std::string(value)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
  if (in.fail()) return std::nullopt;
  in >> std::ws;
  if (!in.eof()) return std::nullopt;
  auto const at = std::chrono::system_clock::from_time_t(timegm(&tm));
  return clamp(std::chrono::duration_cast<core::Micros>(at - now));
}

}  // namespace corral::push
