// What the client commands share: the --server and --json options, one request with the exit
// codes of commands.hpp, and printing. With --json a command prints the server's reply as it came,
// for scripts; without it, a form for people: a job as "field  value" lines, lists as aligned tables.
#pragma once

#include "client/client.hpp"

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

namespace corral::cli {

inline constexpr char const* kDefaultServerUrl = "http://127.0.0.1:7878";

struct ClientOptions {
  std::string server = kDefaultServerUrl;   // --server, else CORRAL_URL
  bool json = false;                        // --json
  std::string api_key;                      // --api-key, else CORRAL_API_KEY; empty: none sent
};

// Adds --server (falling back to CORRAL_URL, then kDefaultServerUrl), --api-key (falling back to
// CORRAL_API_KEY) and --json to `command`.
void add_client_options(CLI::App& command, ClientOptions& options);

// A client for options.server. A malformed URL is a usage error: throws CLI::ValidationError.
client::Client connect(ClientOptions const& options, std::chrono::milliseconds timeout = std::chrono::seconds(90));

// Sends one request and returns the reply if it is 2xx. Otherwise prints "error: CODE: MESSAGE"
// on stderr and throws CLI::RuntimeError(kExitServerError); if the server cannot be reached,
// prints why and throws CLI::RuntimeError(kExitUnreachable).
client::Response call(client::Client& client, std::string const& method, std::string const& target,
                      std::string const& body = "");

// The reply's JSON object; an error (exit 1) if the server sent something else.
boost::json::object reply_object(client::Response const& reply);

// "field  value" lines: id, type, queue, status, attempt/max, progress, error, result, times.
std::string format_job(boost::json::object const& job);
// Parts of those forms, shared with `tail`'s lines, from a job or an event: a time without its
// fraction ("2026-11-24T14:40:11Z"); the progress ("40% resizing: step 2 (3/10)") and the error
// ("CODE: MESSAGE"), "" when there is none.
std::string short_time(std::string const& t);
std::string progress_text(boost::json::object const& job);
std::string error_text(boost::json::object const& job);
// One aligned row per job: id, type, queue, status, attempt, progress, error, created.
std::string format_job_table(boost::json::array const& jobs);
// rows[0] is the header; columns are as wide as their widest cell, two spaces apart; a cell holds
// one line.
std::string format_table(std::vector<std::vector<std::string>> const& rows);
// One aligned row per queue: name, paused, and its count in each state.
std::string format_queue_table(boost::json::array const& queues);

// A JSON scalar as text for a table cell: strings unquoted, whole numbers without a fraction,
// null and absent as "".
std::string cell(boost::json::object const& object, std::string_view key);

// The reply's body as it came, ending in a newline.
void print_raw(client::Response const& reply);

// Prints a 2xx reply: its body as it came with --json, else `human(reply_object(reply))`.
template <class Format>
void print_reply(ClientOptions const& options, client::Response const& reply, Format human) {
  if (options.json) {
    print_raw(reply);
  } else {
    std::cout << human(reply_object(reply));
  }
}

}  // namespace corral::cli
