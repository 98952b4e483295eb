#include "wire/batch_json.hpp"

#include "wire/job_json.hpp"
#include "wire/time_format.hpp"

namespace corral::wire {

std::string_view batch_state(api::StateCounts const& counts) {
  std::int64_t total = 0;
  bool active = false;
  for (core::JobState s : core::kAllStates) {
    auto const n = counts[static_cast<std::size_t>(s)];
    total += n;
    if (n > 0 && !core::is_terminal(s)) active = true;
  }
  if (active) return "active";
  return counts[static_cast<std::size_t>(core::JobState::completed)] == total ? "succeeded" : "failed";
}

boost::json::object to_json(api::BatchInfo const& batch) {
  std::int64_t total = 0;
  for (auto n : batch.counts) total += n;
  auto id_or_null = [](std::optional<std::string> const& id) {
    return id ? boost::json::value(*id) : boost::json::value(nullptr);
  };
  return {{"id", batch.id},
          {"state", batch_state(batch.counts)},
          {"total", total},
          {"counts", counts_json(batch.counts)},
          {"owner", id_or_null(batch.owner)},
          {"created_at", format_rfc3339(batch.created_at)},
          {"on_success", id_or_null(batch.on_success)},
          {"on_complete", id_or_null(batch.on_complete)}};
}

}  // namespace corral::wire
