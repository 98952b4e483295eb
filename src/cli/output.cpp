#include "cli/output.hpp"

#include "cli/commands.hpp"
#include "client/reply_error.hpp"
#include "wire/json_text.hpp"

#include <algorithm>
#include <stdexcept>

namespace corral::cli {

namespace json = boost::json;

namespace {

constexpr std::size_t kLabelWidth = 14;   // the longest label, "completed_at", and two spaces
constexpr std::size_t kMaxBodyChars = 200;   // of a reply that is not what Corral sends

// Numbers as people write them ("0.1", "30"), within JSON values too ({"x":0.1}).
std::string text_of(json::value const& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return std::string(v.get_string());
  return wire::serialize_json(v);
}

json::object const* object_at(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

}  // namespace

// "2026-11-24T14:40:11.123456Z" -> "2026-11-24T14:40:11Z": people rarely need the microseconds.
std::string short_time(std::string const& t) { return t.size() > 19 && t[10] == 'T' ? t.substr(0, 19) + "Z" : t; }

// "40% resizing: step 2 (3/10)"; "" without progress.
std::string progress_text(json::object const& job) {
  auto const* p = object_at(job, "progress");
  if (!p) return "";
  std::string text;
  auto append = [&text](std::string part) {
    if (part.empty()) return;
    if (!text.empty()) text += ' ';
    text += part;
  };
  if (auto percent = cell(*p, "percent"); !percent.empty()) append(percent + "%");
  append(cell(*p, "stage"));
  if (auto message = cell(*p, "message"); !message.empty()) append(text.empty() ? message : ": " + message);
  if (auto current = cell(*p, "current"); !current.empty()) {
    auto total = cell(*p, "total");
    append("(" + current + (total.empty() ? "" : "/" + total) + ")");
  }
  return text;
}

std::string error_text(json::object const& job) {
  auto const* e = object_at(job, "error");
  if (!e) return "";
  return cell(*e, "code") + ": " + cell(*e, "message");
}

namespace {

// A table cell holds one line.
std::string one_line(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return s;
}

}  // namespace

std::string format_table(std::vector<std::vector<std::string>> const& rows) {
  std::vector<std::size_t> widths;
  for (auto const& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (auto const& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += one_line(row[i]);
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  return out;
}

void add_client_options(CLI::App& command, ClientOptions& options) {
  command.add_option("--server", options.server, "URL of the Corral server")
      ->envname("CORRAL_URL")
      ->capture_default_str();
  command.add_flag("--json", options.json, "Print the server's JSON reply, for scripts");
  command.add_option("--api-key", options.api_key, "API key sent as Authorization: Bearer (prefer CORRAL_API_KEY)")
      ->envname("CORRAL_API_KEY");
}

client::Client connect(ClientOptions const& options, std::chrono::milliseconds timeout) {
  try {
    return client::Client(options.server, client::Options{.timeout = timeout, .token = options.api_key});
  } catch (std::invalid_argument const& e) {
    throw CLI::ValidationError("--server", e.what());
  }
}

client::Response call(client::Client& client, std::string const& method, std::string const& target,
                      std::string const& body) {
  client::Response reply;
  try {
    reply = client.request(method, target, body);
  } catch (std::runtime_error const& e) {
    std::cerr << "error: " << e.what() << "\n";
    throw CLI::RuntimeError(kExitUnreachable);
  }
  if (reply.status >= 200 && reply.status < 300) return reply;

  std::cerr << "error: " << client::describe_error(reply) << "\n";
  throw CLI::RuntimeError(kExitServerError);
}

json::object reply_object(client::Response const& reply) {
  auto v = reply.json();
  if (!v.is_object()) {
    std::cerr << "error: the server's reply is not a JSON object: " << reply.body.substr(0, kMaxBodyChars) << "\n";
    throw CLI::RuntimeError(kExitServerError);
  }
  return std::move(v.get_object());
}

void print_raw(client::Response const& reply) {
  std::cout << reply.body;
  if (reply.body.empty() || reply.body.back() != '\n') std::cout << '\n';
}

std::string cell(json::object const& object, std::string_view key) {
  auto const* v = object.if_contains(key);
  return v ? text_of(*v) : "";
}

std::string format_job(json::object const& job) {
  std::string out;
  auto line = [&out](std::string_view label, std::string const& value) {
    if (value.empty()) return;
    out.append(label).append(kLabelWidth - label.size(), ' ');
    // Continuation lines (a multi-line error message) stay in the value column.
    for (char c : value) {
      out += c;
      if (c == '\n') out.append(kLabelWidth, ' ');
    }
    out += '\n';
  };
  auto status = cell(job, "status");
  bool waiting = status == "scheduled" || status == "retrying";
  bool cancel_requested = cell(job, "cancel_requested") == "true";
  line("id", cell(job, "id"));
  line("type", cell(job, "type"));
  line("queue", cell(job, "queue"));
  line("status", status + (cancel_requested ? " (cancel requested)" : ""));
  line("attempt", cell(job, "attempt") + "/" + cell(job, "max_attempts"));
  line("priority", cell(job, "priority"));
  line("progress", progress_text(job));
  line("run_at", waiting ? short_time(cell(job, "run_at")) : "");
  if (auto const* parents = job.if_contains("depends_on"); parents && parents->is_array() && !parents->get_array().empty()) {
    auto const n = std::to_string(parents->get_array().size());
    line("parents", status == "waiting" ? cell(job, "parents_left") + " of " + n + " not ended" : n);
  }
  line("batch", cell(job, "batch"));
  if (auto const* why = object_at(job, "not_ready")) line("not_ready", cell(*why, "message"));
  line("worker", cell(job, "worker_id"));
  line("error", error_text(job));
  line("result", cell(job, "result"));
  line("owner", cell(job, "owner"));
  line("idempotency", cell(job, "idempotency_key"));
  line("created_at", short_time(cell(job, "created_at")));
  line("updated_at", short_time(cell(job, "updated_at")));
  line("completed_at", short_time(cell(job, "completed_at")));
  return out;
}

std::string format_job_table(json::array const& jobs) {
  if (jobs.empty()) return "no jobs\n";
  std::vector<std::vector<std::string>> rows{{"ID", "TYPE", "QUEUE", "STATUS", "ATTEMPT", "PROGRESS", "ERROR", "CREATED"}};
  for (auto const& v : jobs) {
    if (!v.is_object()) continue;
    auto const& job = v.get_object();
    auto const* error = object_at(job, "error");
    rows.push_back({cell(job, "id"), cell(job, "type"), cell(job, "queue"), cell(job, "status"),
                    cell(job, "attempt") + "/" + cell(job, "max_attempts"), progress_text(job),
                    error ? cell(*error, "code") : "", short_time(cell(job, "created_at"))});
  }
  return format_table(rows);
}

std::string format_queue_table(json::array const& queues) {
  if (queues.empty()) return "no queues\n";
  static constexpr char const* kStates[] = {"waiting", "queued", "scheduled", "running", "retrying", "completed", "failed", "cancelled"};
  std::vector<std::vector<std::string>> rows{{"QUEUE", "PAUSED"}};
  for (auto const* state : kStates) {
    std::string header = state;
    std::transform(header.begin(), header.end(), header.begin(), [](char c) { return static_cast<char>(c - 'a' + 'A'); });
    rows[0].push_back(header);
  }
  for (auto const& v : queues) {
    if (!v.is_object()) continue;
    auto const& queue = v.get_object();
    std::vector<std::string> row{cell(queue, "name"), cell(queue, "paused") == "true" ? "yes" : "no"};
    auto const* counts = object_at(queue, "counts");
    for (auto const* state : kStates) row.push_back(counts ? cell(*counts, state) : "");
    rows.push_back(std::move(row));
  }
  return format_table(rows);
}

}  // namespace corral::cli
