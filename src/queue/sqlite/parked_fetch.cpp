#include "queue/sqlite/parked_fetch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace corral::sqlite {

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
  if (!expired_.load()) return true;
  // The coroutine gave up while the writer held the fetch: it waits for this answer.
  int expected = kWaiting;
  if (state_.compare_exchange_strong(expected, kAnswered)) post(std::vector<core::Job>{});
  return false;
}

void ParkedFetch::answer(Answer answer) {
  if (state_.exchange(kAnswered) == kAnswered) return;
  post(std::move(answer));
}

void ParkedFetch::post(Answer answer) {
  boost::asio::post(timer_.get_executor(), [self = shared_from_this(), a = std::move(answer)]() mutable {
    self->answer_ = std::move(a);
    self->timer_.cancel();
  });
}

boost::asio::awaitable<ParkedFetch::Answer> ParkedFetch::wait() {
  timer_.expires_at(deadline_);
  while (!answer_) {
    // Cancelled (answered) or expired: either way look again.
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (answer_ || expired_.load() || std::chrono::steady_clock::now() < deadline_) continue;
    expired_.store(true);
    int expected = kWaiting;
    if (state_.compare_exchange_strong(expected, kAnswered)) {
      unpark();
      co_return std::vector<core::Job>{};
    }
    // The writer holds it: its answer (jobs, or none from put_back) is on the way.
    timer_.expires_at(Deadline::max());
  }
  unpark();
  co_return std::move(*answer_);
}

void ParkedFetch::unpark() {
  if (parked_.exchange(false) && parked_count_) --*parked_count_;
}

}  // namespace corral::sqlite
