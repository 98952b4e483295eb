#include "queue/parked_fetch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace corral::queue {

ParkedFetch::ParkedFetch(queue::FetchRequest req, boost::asio::any_io_executor ex, Deadline deadline,
                         std::atomic<std::size_t>* parked_count)
    : req_(std::move(req)), deadline_(deadline), parked_count_(parked_count), timer_(std::move(ex)) {}

bool ParkedFetch::take() {
  int expected = kWaiting;
  return state_.compare_exchange_strong(expected, kTaken);
}

bool ParkedFetch::put_back() {
  if (!parked_.exchange(true) && parked_count_) ++*parked_count_;
  state_.store(kWaiting);
  bool const expired = expired_.load();
  if (!expired && !rewake_.load()) return true;
  // The coroutine gave up, or a wake came, while a batch held the fetch: it waits for this answer.
  int expected = kWaiting;
  if (state_.compare_exchange_strong(expected, kAnswered)) {
    if (expired) post(std::vector<core::Job>{});
    else post(std::nullopt);
  }
  return false;
}

void ParkedFetch::answer(Answer answer) {
  if (state_.exchange(kAnswered) == kAnswered) return;
  post(std::move(answer));
}

bool ParkedFetch::wake() {
  int expected = kWaiting;
  if (state_.compare_exchange_strong(expected, kAnswered)) {
    woken_.store(true);
    post(std::nullopt);
    return true;
  }
  if (expected == kAnswered) return false;
  // A batch holds it: put_back() sees this flag, or the batch put it back just now and the
  // exchange below finds it waiting.
  rewake_.store(true);
  expected = kWaiting;
  if (state_.compare_exchange_strong(expected, kAnswered)) post(std::nullopt);
  return true;
}

void ParkedFetch::post(std::optional<Answer> answer) {
  boost::asio::post(timer_.get_executor(), [self = shared_from_this(), a = std::move(answer)]() mutable {
    self->answer_ = std::move(a);
    self->posted_ = true;
    self->timer_.cancel();
  });
}

boost::asio::awaitable<std::optional<ParkedFetch::Answer>> ParkedFetch::wait() {
  timer_.expires_at(deadline_);
  while (!posted_) {
    // Cancelled (answered) or expired: either way look again.
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (posted_ || expired_.load() || std::chrono::steady_clock::now() < deadline_) continue;
    expired_.store(true);
    int expected = kWaiting;
    if (state_.compare_exchange_strong(expected, kAnswered)) {
      unpark();
      co_return Answer(std::vector<core::Job>{});
    }
    // A batch holds it, or a wake answered it: that answer is on the way.
    timer_.expires_at(Deadline::max());
  }
  unpark();
  co_return std::move(answer_);
}

void ParkedFetch::unpark() {
  if (parked_.exchange(false) && parked_count_) --*parked_count_;
}

}  // namespace corral::queue
