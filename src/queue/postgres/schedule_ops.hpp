// The batch ops of recurring schedules (queue/schedules.hpp): saving one, by the database's clock
// with its row locked, and running the due ones, each tick's job inserted by the batch in the
// same transaction that moves its schedule's next run time on.
#pragma once

#include "queue/postgres/ops.hpp"
#include "queue/schedules.hpp"

namespace corral::postgres {

class SaveScheduleOp final : public ReplyOp<queue::Schedule> {
 public:
  SaveScheduleOp(queue::Schedule s, queue::SaveMode mode, Deliver d)
      : ReplyOp(std::move(d)), schedule_(std::move(s)), mode_(mode) {}
  DbResult<void> apply(Batch& batch) override;

 private:
  queue::Schedule schedule_;
  queue::SaveMode mode_;
};

class RunSchedulesOp final : public ReplyOp<queue::ScheduleRunResult> {
 public:
  RunSchedulesOp(queue::ScheduleRunRequest const& req, Deliver d) : ReplyOp(std::move(d)), req_(req) {}
  DbResult<void> apply(Batch& batch) override;

 private:
  // The id of the job of `req` (whose key names its tick): the job already stored or inserted
  // under that key, else a new one the batch inserts; an error when the body is refused.
  DbResult<core::Result<std::string>> enqueue(Batch& batch, core::EnqueueRequest const& req);

  queue::ScheduleRunRequest const& req_;   // owned by the suspended caller
};

}  // namespace corral::postgres
