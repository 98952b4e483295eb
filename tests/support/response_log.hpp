// The replies the integration tests receive, recorded for tests/openapi/validate.mjs, which holds
// each one to docs/openapi.json (ctest: openapi_responses). When CORRAL_RESPONSE_LOG names a file,
// every reply any client::Client of the test process receives is appended to it as one JSON line:
//   {"method", "path" (the request target without its query), "status", "content_type", "body"}
// A JSON body over 1 MiB is left out, with "body_truncated": true, and a body of another type is
// logged by its size alone ("body_bytes"), so the log stays small. Several test
// processes may append at once: each line goes out in one write to a file opened O_APPEND.
#pragma once

namespace corral::test {

// Starts the recording if CORRAL_RESPONSE_LOG is set; once per process, later calls do nothing.
// CorralProcess::start calls it, so every test that runs a server records what it is told.
void record_replies_if_asked();

}  // namespace corral::test
