// The JSON both backends keep in a job row: the attempt history, the progress and the stages.
//
// This text is part of the on-disk format, so storage owns it rather than wire/: a change to the
// API's JSON (a renamed field, another time layout) can never change what is stored, nor make rows
// written by an earlier version unreadable. tests/queue/stored_json_test.cpp pins the exact text.
//
// The format, as every version so far has written it (times are RFC 3339 UTC with six fraction
// digits, "2026-11-24T14:40:11.123456Z"):
//   attempts: [{"attempt":1,"started_at":TIME,"ended_at":TIME|null,"worker_id":"w","outcome":"failed",
//               "error":{"code":"c","message":"m","retryable":true}|null,"lease_token":"t","lease_s":3E1}]
//   progress: {"percent":50,"stage":"s"|null,"message":"m"|null,"current":N|null,"total":N|null}
//   stages:   [{"name":"download","status":"done","started_at":TIME|null,"ended_at":TIME|null}]
//   depends_on: ["ID", ...]
//   parents:  [{"id":"ID","status":"completed"|null,"result":JSON|null}], the result as it was stored
// Strings are escaped as Boost.JSON escapes them. A whole number up to 2^53 in the progress is
// written as an integer, any other number (and every lease_s) as Boost.JSON writes a double.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace corral::queue {

// Appends the attempt history, lease tokens and lease lengths included, to `out`.
void append_stored_attempts(std::string& out, std::vector<core::Attempt> const& attempts);
void append_stored_progress(std::string& out, core::Progress const& progress);
void append_stored_stages(std::string& out, std::vector<core::Stage> const& stages);
void append_stored_ids(std::string& out, std::vector<std::string> const& ids);
void append_stored_parents(std::string& out, std::vector<core::ParentOutcome> const& parents);

// The inverses. Fields that may be null may also be absent (the first versions kept no
// lease_token or lease_s); anything else malformed is invalid_argument naming the field.
core::Result<std::vector<core::Attempt>> parse_stored_attempts(std::string_view text);
core::Result<core::Progress> parse_stored_progress(std::string_view text);
core::Result<std::vector<core::Stage>> parse_stored_stages(std::string_view text);
core::Result<std::vector<std::string>> parse_stored_ids(std::string_view text);
core::Result<std::vector<core::ParentOutcome>> parse_stored_parents(std::string_view text);

}  // namespace corral::queue
