#include "sqs/queue_config.hpp"

#include "sqs/params.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

namespace corral::sqs {
namespace {

using boost::json::object;

// A settable attribute: its integer range, or none for a free-form text one.
struct Settable {
  std::string_view name;
  std::int64_t lo = 0, hi = 0;
  std::string_view default_value;
  bool integer = true;
};

constexpr Settable kSettable[] = {
    {"DelaySeconds", 0, 900, "0"},
    {"MaximumMessageSize", 1024, 262144, "262144"},
    {"MessageRetentionPeriod", 60, 1209600, "345600"},
    {"ReceiveMessageWaitTimeSeconds", 0, 20, "0"},
    {"VisibilityTimeout", 0, 43200, "30"},
    // Kept and shown, with no effect on Corral (docs/sqs.md).
    {"Policy", 0, 0, "", false},
    {"RedriveAllowPolicy", 0, 0, "", false},
    {"SqsManagedSseEnabled", 0, 0, "false", false},
    {"KmsMasterKeyId", 0, 0, "", false},
    {"KmsDataKeyReusePeriodSeconds", 60, 86400, "300"},
};

// Settable on FIFO queues only: each takes one of two values, the first its default. Both values
// of each mean what Corral does, except FifoThroughputLimit, kept and shown: Corral sets no
// throughput quota.
struct Choice {
  std::string_view name;
  std::string_view values[2];
};

constexpr Choice kFifoChoices[] = {
    {"ContentBasedDeduplication", {"false", "true"}},
    {"DeduplicationScope", {"queue", "messageGroup"}},
    {"FifoThroughputLimit", {"perQueue", "perMessageGroupId"}},
};

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool text_is(object const& attributes, std::string_view name, std::string_view value) {
  auto const* v = attributes.if_contains(name);
  return v && v->is_string() && v->get_string() == value;
}

Error bad_value(std::string_view name, std::string_view why) {
  return make_error(errors::kInvalidAttributeValue,
                    "Invalid value for the parameter " + std::string(name) + ". Reason: " + std::string(why));
}

// {"deadLetterTargetArn": "...", "maxReceiveCount": N} (N as a number or text), normalised.
Outcome<std::string> normalise_redrive(std::string const& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return bad_value("RedrivePolicy", "must be a JSON object.");
  auto const& o = v.get_object();
  auto const* arn = o.if_contains("deadLetterTargetArn");
  auto const* count = o.if_contains("maxReceiveCount");
  if (!arn || !arn->is_string() || !count) {
    return bad_value("RedrivePolicy", "deadLetterTargetArn and maxReceiveCount are required.");
  }
  std::optional<std::int64_t> n;
  if (count->is_int64()) n = count->get_int64();
  if (count->is_string()) n = parse_integer(count->get_string());
  if (!n || *n < 1 || *n > 1000) return bad_value("RedrivePolicy", "maxReceiveCount must be an integer from 1 to 1000.");
  object normal;
  normal["deadLetterTargetArn"] = arn->get_string();
  normal["maxReceiveCount"] = *n;
  return boost::json::serialize(normal);
}

std::int64_t integer_of(object const& attributes, std::string_view name, std::int64_t otherwise) {
  auto const* v = attributes.if_contains(name);
  if (!v || !v->is_string()) return otherwise;
  return parse_integer(v->get_string()).value_or(otherwise);
}

}  // namespace

object default_attributes(bool fifo) {
  object out;
  for (auto const& s : kSettable) out[s.name] = s.default_value;
  if (fifo) {
    out["FifoQueue"] = "true";
    for (auto const& c : kFifoChoices) out[c.name] = c.values[0];
  }
  return out;
}

Outcome<object> apply_attributes(object stored, std::vector<std::pair<std::string, std::string>> const& given) {
  bool const fifo = text_is(stored, "FifoQueue", "true");
  for (auto const& [name, value] : given) {
    if (name == "FifoQueue") {
      // Set by the queue's name at its creation, never changed.
      if (same_text_ignoring_case(value, fifo ? "true" : "false")) continue;
      return bad_value(name, "a queue's FifoQueue is fixed when it is created.");
    }
    auto choice =
        std::find_if(std::begin(kFifoChoices), std::end(kFifoChoices), [&](auto const& c) { return c.name == name; });
    if (choice != std::end(kFifoChoices)) {
      if (!fifo) return make_error(errors::kInvalidAttributeName, "Unknown Attribute " + name + ".");
      auto it = std::find_if(std::begin(choice->values), std::end(choice->values),
                             [&](std::string_view v) { return same_text_ignoring_case(v, value); });
      if (it == std::end(choice->values)) {
        return bad_value(name, "must be " + std::string(choice->values[0]) + " or " + std::string(choice->values[1]) + ".");
      }
      stored[name] = *it;
      continue;
    }
    if (name == "RedrivePolicy") {
      if (value.empty()) {
        stored.erase("RedrivePolicy");
        continue;
      }
      auto normal = normalise_redrive(value);
      if (!normal) return normal.error();
      stored["RedrivePolicy"] = *normal;
      continue;
    }
    auto it = std::find_if(std::begin(kSettable), std::end(kSettable), [&](auto const& s) { return s.name == name; });
    if (it == std::end(kSettable)) {
      return make_error(errors::kInvalidAttributeName, "Unknown Attribute " + name + ".");
    }
    if (it->integer) {
      auto n = parse_integer(value);
      if (!n || *n < it->lo || *n > it->hi) {
        return bad_value(name, "must be an integer from " + std::to_string(it->lo) + " to " + std::to_string(it->hi) + ".");
      }
    }
    stored[name] = value;
  }
  return stored;
}

bool asks_fifo(std::vector<std::pair<std::string, std::string>> const& given) {
  return std::any_of(given.begin(), given.end(),
                     [](auto const& a) { return a.first == "FifoQueue" && same_text_ignoring_case(a.second, "true"); });
}

QueueConfig config_of(std::string name, object const& attributes) {
  QueueConfig c;
  c.name = std::move(name);
  c.visibility_timeout_s = integer_of(attributes, "VisibilityTimeout", c.visibility_timeout_s);
  c.delay_s = integer_of(attributes, "DelaySeconds", c.delay_s);
  c.receive_wait_s = integer_of(attributes, "ReceiveMessageWaitTimeSeconds", c.receive_wait_s);
  c.maximum_message_size = integer_of(attributes, "MaximumMessageSize", c.maximum_message_size);
  c.fifo = text_is(attributes, "FifoQueue", "true");
  c.content_based_deduplication = text_is(attributes, "ContentBasedDeduplication", "true");
  c.deduplication_per_group = text_is(attributes, "DeduplicationScope", "messageGroup");
  if (auto const* p = attributes.if_contains("RedrivePolicy"); p && p->is_string()) {
    boost::system::error_code ec;
    auto v = boost::json::parse(p->get_string(), ec);
    if (!ec && v.is_object()) {
      auto const& o = v.get_object();
      auto const* arn = o.if_contains("deadLetterTargetArn");
      auto const* count = o.if_contains("maxReceiveCount");
      if (arn && arn->is_string() && count && count->is_int64()) {
        c.redrive = RedrivePolicy{queue_name_of_arn(arn->get_string()), count->get_int64()};
      }
    }
  }
  return c;
}

bool is_valid_queue_name(std::string_view name, bool fifo) {
  constexpr std::string_view kFifoSuffix = ".fifo";
  if (fifo) {
    if (!name.ends_with(kFifoSuffix) || name.size() > 80) return false;
    name.remove_suffix(kFifoSuffix.size());
  }
  return !name.empty() && name.size() <= 80 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string queue_name_of_url(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  auto const slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

std::string queue_name_of_arn(std::string_view arn) {
  auto const colon = arn.rfind(':');
  return std::string(colon == std::string_view::npos ? arn : arn.substr(colon + 1));
}

std::string queue_url(Settings const& settings, std::string_view host, std::string_view name) {
  std::string base = settings.public_url.empty() ? "http://" + std::string(host) : settings.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + settings.account_id + "/" + std::string(name);
}

std::string queue_arn(Settings const& settings, std::string_view name) {
  return "arn:aws:sqs:" + settings.region + ":" + settings.account_id + ":" + std::string(name);
}

}  // namespace corral::sqs
