#include "sqs/fifo.hpp"

#include "core/job_state.hpp"
#include "sqs/digest.hpp"
#include "sqs/params.hpp"

#include <algorithm>
#include <cstdio>

namespace corral::sqs {
namespace {

constexpr char kNotForThisQueueType[] = "The request include parameter that is not valid for this queue type.";

// SQS's rule for group and deduplication ids: 1..128 of alphanumerics and punctuation.
Outcome<std::optional<std::string>> read_id(boost::json::object const& params, std::string_view name) {
  auto id = optional_text(params, name);
  if (!id) return id.error();
  if (!*id) return std::optional<std::string>();
  auto const& text = **id;
  bool const ok = !text.empty() && text.size() <= 128 &&
                  std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
  if (!ok) {
    return invalid_value(name, std::string(name) + " can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  }
  return id;
}

}  // namespace

Outcome<std::optional<FifoFields>> read_fifo_fields(boost::json::object const& params, QueueConfig const& queue,
                                                    std::string const& body) {
  auto group = read_id(params, "MessageGroupId");
  if (!group) return group.error();
  auto dedup = read_id(params, "MessageDeduplicationId");
  if (!dedup) return dedup.error();
  if (!queue.fifo) {
    if (*dedup) return invalid_value("MessageDeduplicationId", kNotForThisQueueType);
    return std::optional<FifoFields>();
  }
  if (!*group) return make_error(errors::kMissingParameter, "The request must contain the parameter MessageGroupId.");
  if (!*dedup && !queue.content_based_deduplication) {
    return invalid_value("MessageDeduplicationId",
                         "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.");
  }
  return std::optional<FifoFields>(FifoFields{std::move(**group), *dedup ? std::move(**dedup) : sha256_hex(body)});
}

std::string deduplication_key(QueueConfig const& queue, FifoFields const& fields) {
  // Newlines are in none of the three, so no two triples give one text.
  std::string scope = queue.name + '\n' + (queue.deduplication_per_group ? fields.group_id : std::string()) + '\n' +
                      fields.deduplication_id;
  return "sqs-dedup:" + sha256_hex(scope);
}

bool is_duplicate_of(core::Job const& earlier, core::TimePoint now) {
  return now < earlier.created_at + kDeduplicationWindow || !core::is_terminal(earlier.status);
}

std::string sequence_number(core::Job const& job) {
  char text[24];
  std::snprintf(text, sizeof text, "%020lld", static_cast<long long>(job.seq));
  return text;
}

}  // namespace corral::sqs
