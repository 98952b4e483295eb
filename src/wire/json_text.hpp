// JSON values -> text, with numbers as people write them (core::append_number: 0.1, not 1E-1).
// Every JSON text Corral writes goes through here or through the job writer in
// job_json_text.cpp, which shares append_json_string and the number format: replies, the
// payloads and other JSON values it stores, the CLI's and the worker's JSON lines.
//
// Boost.JSON's serialize() (1.81) writes 0.1 as 1E-1 and 1.308405313 as 1.308405313E0, and has no
// option to do otherwise; the rest of its output (escapes, no spaces) is what this writes too.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace corral::wire {

// `v` as compact JSON text.
std::string serialize_json(boost::json::value const& v);
void append_json(std::string& out, boost::json::value const& v);

// `s` as a JSON string literal, quotes included: '"' and '\' escaped, control characters as \n,
// \t, ... or \u00XX, valid UTF-8 as it is, and each byte that is not part of a valid UTF-8
// sequence as U+FFFD, so the literal is valid JSON whatever bytes `s` holds (a log message
// quoting a database's error, a command's output).
void append_json_string(std::string& out, std::string_view s);

}  // namespace corral::wire
