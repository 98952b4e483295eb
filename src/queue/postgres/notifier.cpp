#include "queue/postgres/notifier.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <poll.h>

#include <chrono>
#include <random>

namespace corral::postgres {
namespace {

constexpr std::size_t kMaxPayload = 7000;   // under PostgreSQL's 8000-byte limit, with room to spare

}  // namespace

std::vector<std::string> notify_payloads(std::string const& node, Wakes const& wakes) {
  std::vector<std::string> out;
  std::string current;
  for (auto const& [key, n] : wakes) {
    std::string item = n == 0 ? key : key + "=" + std::to_string(n);
    if (!current.empty() && current.size() + item.size() + 1 > kMaxPayload) {
      out.push_back(std::move(current));
      current.clear();
    }
    current += current.empty() ? node + "|" + item : "," + item;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

Notifier::Notifier(std::string url, std::string node, queue::Waiters& waiters, std::function<void()> on_events)
    : url_(std::move(url)), node_(std::move(node)), waiters_(waiters), on_events_(std::move(on_events)) {
  ping_ = "ping:" + node_ + ":" + std::to_string(std::random_device{}());
  // Listen before the server starts serving, so no commit another node makes after this node
  // answers its first request goes unheard; if the database is not there yet, run() retries.
  (void)connect();
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "corral-notify");   // named in top, perf and /proc
    run();
  });
}

Notifier::~Notifier() { stop(); }

void Notifier::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

bool Notifier::connect() {
  auto c = Connection::open(url_, 0);
  if (!c) return false;
  if (auto r = (*c)->exec(std::string("LISTEN ") + kChannel); !r) return false;
  conn_ = std::move(*c);
  listening_ = true;
  return true;
}

void Notifier::dispatch(std::string_view payload) {
  if (payload == ping_) {
    delivered_ = true;
    return;
  }
  auto bar = payload.find('|');
  if (bar == std::string_view::npos) return;
  if (payload.substr(0, bar) == node_) return;   // this node woke its own waiters at commit
  ++received_;
  payload.remove_prefix(bar + 1);
  while (!payload.empty()) {
    auto comma = payload.find(',');
    auto item = payload.substr(0, comma);
    auto eq = item.find('=');
    std::size_t n = SIZE_MAX;
    if (eq != std::string_view::npos) {
      n = std::stoul(std::string(item.substr(eq + 1)));
      item = item.substr(0, eq);
    }
    if (item == "e") {
      if (on_events_) on_events_();
    } else {
      waiters_.notify(std::string(item), n);
    }
    if (comma == std::string_view::npos) break;
    payload.remove_prefix(comma + 1);
  }
}

void Notifier::run() {
  using Clock = std::chrono::steady_clock;
  auto ping_deadline = Clock::time_point::max();   // when the start-up ping must be back
  auto retry_at = Clock::now();
  bool fresh = conn_ != nullptr;   // connected by the constructor
  while (!stop_) {
    if (!conn_ || fresh) {
      if (!fresh && Clock::now() < retry_at) {
        ::poll(nullptr, 0, 100);
        continue;
      }
      if (!fresh && !connect()) {
        retry_at = Clock::now() + std::chrono::seconds(1);
        continue;
      }
      fresh = false;
      if (reconnects_++ == 0) {
        // First connection: check that notifications arrive at all (not through a transaction pooler).
        delivered_ = false;
        (void)conn_->query("SELECT pg_notify($1, $2)", {std::string(kChannel), ping_});
        ping_deadline = Clock::now() + std::chrono::seconds(5);
      } else {
        spdlog::info("listening for other nodes' events again");
      }
      // Whatever was announced while we were not listening is lost: let every waiter look again.
      waiters_.notify_all();
      if (on_events_) on_events_();
    }
    pollfd pfd{PQsocket(conn_->handle()), POLLIN, 0};
    int const ready = ::poll(&pfd, 1, 200);
    if (ready > 0 && PQconsumeInput(conn_->handle()) == 0) {
      spdlog::warn("lost the connection that listens for other nodes' events: {}", PQerrorMessage(conn_->handle()));
      conn_.reset();
      listening_ = false;
      continue;
    }
    while (PGnotify* n = PQnotifies(conn_->handle())) {
      dispatch(n->extra ? std::string_view(n->extra) : std::string_view());
      PQfreemem(n);
    }
    if (Clock::now() > ping_deadline) {
      ping_deadline = Clock::time_point::max();
      if (!delivered_) {
        spdlog::error(
            "LISTEN/NOTIFY is not delivered on this database connection (is a transaction-mode pooler such as "
            "PgBouncer in between?); long-polls fall back to polling once a second. Point corral at PostgreSQL "
            "directly or through a session-mode pooler.");
      }
    }
    if (delivered_) ping_deadline = Clock::time_point::max();
  }
  conn_.reset();
}

}  // namespace corral::postgres
