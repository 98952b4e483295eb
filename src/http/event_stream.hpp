// One live event stream (GET /api/v1/events, GET /api/v1/jobs/{id}/events): the body of a
// streamed reply that pages through the node's EventLog from its own position and sends the
// events its filter passes as Server-Sent Events.
//
// Bounded by design: events live once, in the shared log; a stream holds its position and the
// one piece it is sending (at most kPieceBytes of messages, or one event), never a queue of its
// own, so a consumer that does not read never grows memory and never slows the writer. A stream
// whose position leaves the log's window (it did not read while the window moved on) is closed
// and counted as dropped; the server closes one whose write does not finish in time. Resuming
// (Last-Event-ID) is different: a position already out of the window gets one `gap` message
// naming the oldest event kept, and the stream goes on from there.
//
// While there is nothing to send, it waits on the log's waiters (woken by every append, closed at
// shutdown, which ends the stream) until the next keep-alive comment or stats message is due, and
// looks every second whether its client has hung up, so a closed stream frees its place soon.
#pragma once

#include "http/admission.hpp"
#include "http/message.hpp"
#include "queue/queue_service.hpp"
#include "wire/event_query.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace corral::http {

struct EventStreamStart {
  wire::EventQuery query;
  std::int64_t position = 0;        // send the events after this seq
  bool resuming = false;            // position came from the client: a gap there is reported, not fatal
  std::string first;                // sent before any event (the job's snapshot, the position)
  bool ended = false;               // end after `first` (a job that has already ended)
  // The deployment's newest committed event when the stream began (committed_event_seq): a
  // position up to it that this node's log has not read yet (a PostgreSQL node reads the other
  // nodes' events a moment later) is waited for, not a gap.
  std::int64_t committed = 0;
};

class EventStream : public BodyStream {
 public:
  // Sends at most this much in one piece (one event more if a single one is larger).
  static constexpr std::size_t kPieceBytes = 64 * 1024;

  EventStream(queue::QueueService& queue, Admission* admission, Gate::Pass place, std::chrono::milliseconds keepalive,
              std::function<bool()> client_gone, EventStreamStart start);

  boost::asio::awaitable<std::optional<std::string>> next() override;
  bool aborted() const override { return aborted_; }

 private:
  using Clock = std::chrono::steady_clock;

  // The messages of the events after position_ that the filter passes, advancing position_.
  // `more` is set when the log held more than one read returns.
  std::string read_events(bool& more);
  // Messages for a resume whose position has left the window: the gap, and a job's snapshot.
  boost::asio::awaitable<std::string> gap_messages(std::optional<std::int64_t> oldest_kept);
  boost::asio::awaitable<std::string> stats_message();
  // Waits for an append, the shutdown or the next keep-alive or stats time; false at shutdown.
  boost::asio::awaitable<bool> wait_for_events();
  void drop();   // counts and logs a stream closed for falling behind

  queue::QueueService& queue_;
  Admission* admission_;
  Gate::Pass place_;
  std::chrono::milliseconds keepalive_;
  std::function<bool()> client_gone_;
  EventStreamStart start_;
  std::int64_t position_;
  bool resuming_;
  bool ended_;
  bool aborted_ = false;
  Clock::time_point last_sent_ = Clock::now();
  Clock::time_point next_stats_ = Clock::now() + std::chrono::seconds(1);
};

}  // namespace corral::http
