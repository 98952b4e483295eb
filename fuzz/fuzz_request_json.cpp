// Fuzzes the request-body decoders (src/wire/request_json*.cpp): any bytes go through
// parse_body, and whatever parses goes through every endpoint's decoder. A decoder may refuse
// the input with an error; it must not crash, leak, hit undefined behaviour, or accept a value
// outside the ranges it documents.
#include "wire/request_json.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool holds) {
  if (!holds) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace corral;
  std::string_view const body(reinterpret_cast<char const*>(data), size);
  auto const v = wire::parse_body(body);
  if (!v) return 0;
  (void)wire::parse_enqueue(*v);
  if (auto batch = wire::parse_enqueue_batch(*v)) check(!batch->empty() && batch->size() <= 1000);
  if (auto fetch = wire::parse_fetch(*v)) {
    check(fetch->count >= 1 && fetch->count <= 100 && !fetch->queues.empty());
    check(fetch->wait.count() >= 0 && fetch->wait.count() <= 60'000'000);
  }
  (void)wire::parse_heartbeat(*v);
  (void)wire::parse_complete(*v);
  (void)wire::parse_fail(*v);
  (void)wire::parse_release(*v);
  return 0;
}
