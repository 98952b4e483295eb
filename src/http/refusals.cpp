#include "http/refusals.hpp"

namespace corral::http {
namespace {

metrics::Labeled<metrics::Counter>& refusal_counters() {
  static metrics::Labeled<metrics::Counter> counters({"code"});
  return counters;
}

}  // namespace

void count_refusal(core::Errc code) { refusal_counters().with({core::to_string(code)}).add(); }

metrics::Labeled<metrics::Counter> const& refusals() { return refusal_counters(); }

}  // namespace corral::http
