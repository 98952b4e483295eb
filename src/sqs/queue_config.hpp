// An SQS queue's attributes as kept in its Corral attribute record (queue/queue_attributes.hpp):
// a JSON object of the settable attributes by their SQS names, every one filled in at creation
// (defaults for those not given), values as SQS shows them (text). Validation here follows SQS's
// ranges; the record is written only with checked values. A FIFO queue's record holds FifoQueue
// "true" and its FIFO attributes; a standard queue's holds none of them. And the queue's URL and
// ARN.
#pragma once

#include "sqs/error.hpp"
#include "sqs/service.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::sqs {

struct RedrivePolicy {
  std::string dead_letter_queue;   // the name the target ARN ends with
  std::int64_t max_receive_count = 0;
};

// The typed view of a queue's attributes that sending and receiving use.
struct QueueConfig {
  std::string name;
  std::int64_t visibility_timeout_s = 30;
  std::int64_t delay_s = 0;
  std::int64_t receive_wait_s = 0;
  std::int64_t maximum_message_size = 262144;
  std::optional<RedrivePolicy> redrive;
  // A FIFO queue (FifoQueue true, a .fifo name): its messages are jobs whose concurrency_key is
  // their group, on a queue with max_running_per_key 1 (fifo.hpp).
  bool fifo = false;
  bool content_based_deduplication = false;
  bool deduplication_per_group = false;   // DeduplicationScope messageGroup, else queue
};

// The member of the stored object that holds the queue's tags ({key: value}); no attribute has
// this name, so it never shows among them.
inline constexpr std::string_view kTagsMember = "tags";

// The attributes every new queue starts with; a FIFO queue's have the FIFO ones as well.
boost::json::object default_attributes(bool fifo = false);

// `stored` with `given` (name, value) applied: each name must be a settable attribute and each
// value in its range, else InvalidAttributeName / InvalidAttributeValue. A RedrivePolicy is
// stored normalised, so that equal policies compare equal; an empty one removes it.
Outcome<boost::json::object> apply_attributes(boost::json::object stored,
                                              std::vector<std::pair<std::string, std::string>> const& given);

// Whether `given` (a CreateQueue's attributes) sets FifoQueue true, in any case.
bool asks_fifo(std::vector<std::pair<std::string, std::string>> const& given);

QueueConfig config_of(std::string name, boost::json::object const& attributes);

// SQS's rule for queue names: 1..80 of A-Z a-z 0-9 - _; a FIFO queue's end with .fifo, which
// counts in the 80.
bool is_valid_queue_name(std::string_view name, bool fifo = false);

// The queue a QueueUrl names: its last path segment (a bare name is taken as it is).
std::string queue_name_of_url(std::string_view url);
// The queue an ARN names: what follows its last ':'.
std::string queue_name_of_arn(std::string_view arn);

std::string queue_url(Settings const& settings, std::string_view host, std::string_view name);
std::string queue_arn(Settings const& settings, std::string_view name);

}  // namespace corral::sqs
