// Fuzzes query-string and cursor decoding (src/wire/request_json_query.cpp, cursor.cpp) and
// RFC 3339 parsing (time_format.cpp). The input is split into key=value pairs at '&' and '=', as
// the router hands them over once decoded. A cursor that decodes must encode back to one that
// decodes to the same position; a time that parses must format and parse back to itself.
#include "wire/job_json.hpp"
#include "wire/request_json.hpp"
#include "wire/time_format.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool holds) {
  if (!holds) std::abort();
}

corral::wire::QueryParams split_query(std::string_view q) {
  corral::wire::QueryParams params;
  while (!q.empty()) {
    auto const amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    auto const eq = pair.find('=');
    params.emplace(std::string(pair.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
  }
  return params;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace corral;
  std::string_view const input(reinterpret_cast<char const*>(data), size);
  auto const params = split_query(input);
  if (auto q = wire::parse_list_query(params)) check(q->limit >= 1 && q->limit <= 1000);
  if (auto get = wire::parse_get_query(params)) {
    check(get->wait.count() >= 0 && get->wait.count() <= 60'000'000);
    check(!get->progress || get->wait.count() > 0);   // progress=1 answers only a get that waits
    check(!get->updated_after || get->progress);       // a baseline for progress, nothing else
  }

  if (auto seq = wire::decode_cursor(input)) check(wire::decode_cursor(wire::encode_cursor(*seq)) == seq);
  if (auto t = wire::parse_rfc3339(input)) check(wire::parse_rfc3339(wire::format_rfc3339(*t)) == t);
  return 0;
}
