// `corral tail [--queue Q] [--type T] [--owner O] [--kind K]... [--from SEQ] [--job ID] [--json]`:
// follows the server's live events (GET /api/v1/events, or one job's with --job) and prints one
// line per event as it comes: readable, or the event's JSON with --json.
//
// A lost connection is not the end: tail says so on stderr, waits (0.5 s doubling to 15 s, with
// jitter, never shorter than a 503's Retry-After) and reconnects with Last-Event-ID set to the
// last event it saw, so it prints every event once, none skipped; if the server no longer keeps
// them, its `gap` message is printed on stderr. Only the first connection failing is fatal (exit
// 3): a server that goes away later is waited for. SIGINT and SIGTERM end it with exit 0.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/stop_signals.hpp"
#include "client/reply_error.hpp"
#include "client/retry_policy.hpp"
#include "client/sse_parser.hpp"
#include "client/target.hpp"
#include "wire/reply_json.hpp"

#include <condition_variable>
#include <iomanip>
#include <memory>
#include <mutex>
#include <sstream>

namespace corral::cli {
namespace {

namespace json = boost::json;

// A read waits this long for the next bytes: the server sends a keep-alive comment every
// stream_keepalive_s (15 s by default), so silence this long means the connection is dead.
constexpr auto kReadTimeout = std::chrono::seconds(60);
// The width of the kind column: "cancel_requested".
constexpr int kKindWidth = 16;

struct TailArgs {
  ClientOptions client;
  std::vector<std::string> queues, types, owners, kinds;
  std::optional<std::int64_t> from;
  std::optional<std::string> job;
};

std::string stream_target(TailArgs const& args) {
  if (args.job) return client::job_target(*args.job, "events");
  std::vector<std::pair<std::string, std::string>> query;
  for (auto [name, values] : {std::pair{"queue", &args.queues}, std::pair{"type", &args.types},
                              std::pair{"owner", &args.owners}, std::pair{"kind", &args.kinds}}) {
    for (auto const& value : *values) query.emplace_back(name, value);
  }
  return client::with_query("/api/v1/events", query);
}

// "2026-11-24T16:14:43Z  started           job_...  media  thumb.make  attempt 1  worker w1  40% resizing"
std::string event_line(std::string_view kind, json::object const& e, std::string_view time_key) {
  std::ostringstream line;
  line << short_time(cell(e, time_key)) << "  " << std::left << std::setw(kKindWidth) << kind << "  "
       << cell(e, kind == "job" ? "id" : "job_id") << "  " << cell(e, "queue") << "  " << cell(e, "type")
       << "  attempt " << cell(e, "attempt");
  if (auto worker = cell(e, "worker_id"); !worker.empty()) line << "  worker " << worker;
  if (kind == "job") line << "  status " << cell(e, "status");
  if (auto error = error_text(e); !error.empty()) line << "  " << error;
  if (auto progress = progress_text(e); !progress.empty()) line << "  " << progress;
  return line.str();
}

class Tail {
 public:
  explicit Tail(TailArgs args) : args_(std::move(args)), client_(connect(args_.client, kReadTimeout)) {
    parser_.emplace([this](client::SseMessage const& m) { print(m); });
  }

  // Follows the stream until a signal (0), the end of a job's stream (0 if it completed), or a
  // refusal (1); exit 3 if the server cannot be reached at first.
  int run() {
    StopSignals signals([this] { stop(); });
    std::string from = args_.from ? std::to_string(*args_.from) : "";
    bool reached = false;
    client::RetryBackoff backoff;
    for (;;) {
      client::Response reply;
      std::string lost;
      try {
        std::map<std::string, std::string> headers;
        auto const resume = parser_->last_event_id().empty() ? from : parser_->last_event_id();
        if (!resume.empty()) headers["Last-Event-ID"] = resume;
        parser_->restart();
        reply = client_.stream(stream_target(args_), headers, [&](std::string_view bytes) {
          if (!std::exchange(connected_, true)) {
            if (reached) std::cerr << "corral tail: reconnected" << std::endl;
            backoff.reset();
          }
          parser_->feed(bytes);
        });
        reached = true;
      } catch (std::runtime_error const& e) {
        if (signals.stopped()) return kExitOk;
        if (!reached && !connected_) {
          std::cerr << "error: " << e.what() << "\n";
          return kExitUnreachable;
        }
        lost = e.what();
      }
      if (signals.stopped()) return kExitOk;
      connected_ = false;
      if (lost.empty() && reply.status != 200 && !client::is_transient(reply)) {
        std::cerr << "error: " << client::describe_error(reply) << "\n";
        return kExitServerError;
      }
      if (lost.empty() && reply.status == 200 && args_.job) return status_ == "completed" ? kExitOk : kExitServerError;
      if (lost.empty()) lost = reply.status == 200 ? "the server ended the stream" : client::describe_error(reply);
      auto const wait = backoff.next(lost.empty() || reply.status == 200 ? nullptr : &reply);
      std::cerr << "corral tail: " << lost << "; reconnecting in " << std::fixed << std::setprecision(1)
                << wait.count() << " s" << resume_note() << std::endl;
      if (!pause(wait)) return kExitOk;
    }
  }

 private:
  void print(client::SseMessage const& m) {
    auto data = wire::parse_reply(m.data);
    json::object const empty;
    json::object const& e = data && data->is_object() ? data->get_object() : empty;
    if (m.event == "gap") {
      std::cerr << "corral tail: " << cell(e, "message") << std::endl;
      return;
    }
    if (m.event == "stats") return;
    if (auto status = cell(e, "status"); !status.empty()) status_ = status;
    if (m.event == "job") {
      if (!args_.client.json) std::cout << event_line("job", e, "updated_at") << std::endl;
      return;
    }
    if (args_.client.json) {
      std::cout << m.data << std::endl;
    } else {
      std::cout << event_line(m.event, e, "at") << std::endl;
    }
  }

  std::string resume_note() const {
    auto const& id = parser_->last_event_id();
    if (!id.empty()) return ", resuming after event " + id;
    return args_.from ? ", resuming after event " + std::to_string(*args_.from) : "";
  }

  // Waits `wait`; false if a signal came meanwhile.
  bool pause(std::chrono::duration<double> wait) {
    std::unique_lock lock(mutex_);
    return !stop_signal_.wait_for(lock, wait, [this] { return stopping_; });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    stop_signal_.notify_all();
    client_.cancel();
  }

  TailArgs args_;
  client::Client client_;
  std::optional<client::SseParser> parser_;
  bool connected_ = false;   // bytes came on the current connection
  std::string status_;       // the job's status, from its snapshot and its events
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;    // GUARDED_BY(mutex_)
};

}  // namespace

void register_tail_command(CLI::App& app) {
  auto args = std::make_shared<TailArgs>();
  auto* command = app.add_subcommand("tail", "Follow the server's job events as they happen");
  add_client_options(*command, args->client);
  command->get_option("--json")->description("Print each event's JSON on its own line, for scripts");
  auto* queue = command->add_option("--queue", args->queues, "Only events of this queue; repeatable")->delimiter(',');
  auto* type = command->add_option("--type", args->types, "Only events of this job type; repeatable")->delimiter(',');
  auto* owner = command->add_option("--owner", args->owners, "Only events of jobs of this owner; repeatable");
  auto* kind = command->add_option("--kind", args->kinds, "Only events of this kind (started, completed, ...); repeatable")
                   ->delimiter(',');
  command->add_option("--from", args->from, "Start after this event id (0: every event the server still keeps)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--job", args->job, "Follow one job: its state now, then its events; exits when it ends "
                                          "(0 if it completed, 1 otherwise)")
      ->excludes(queue)
      ->excludes(type)
      ->excludes(owner)
      ->excludes(kind);
  command->callback([args] {
    connect(args->client);   // a malformed --server is a usage error, before anything starts
    int const code = Tail(*args).run();
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace corral::cli
