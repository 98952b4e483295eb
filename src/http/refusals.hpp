// Every refusal the server answers, counted by its error code, for corral_http_refusals_total:
// each error reply (respond::error, which every one goes through, from a malformed request to a
// connection over max_connections) and each refused item of POST /complete. A code's series
// appears at its first refusal.
//
// Process-wide, unlike the server's other instruments (ServerMetrics): errors are answered where
// no server context is at hand (a framing error, a connection refused before it has a session),
// and a process runs one server.
//
// Thread-safe.
#pragma once

#include "core/error.hpp"
#include "metrics/counter.hpp"
#include "metrics/labeled.hpp"

namespace corral::http {

void count_refusal(core::Errc code);
metrics::Labeled<metrics::Counter> const& refusals();

}  // namespace corral::http
