#include "sqs/message_codec.hpp"

#include "core/utf8.hpp"
#include "sqs/params.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace corral::sqs {
namespace {

using boost::json::object;

constexpr std::size_t kMaxAttributes = 10;
// Longer than any real lease: a message is never failed for running out of receives unless its
// queue's redrive policy says so (receive_action.cpp), which always acts before this.
constexpr int kMaxReceives = 1000;

// SQS's allowed characters: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF, in UTF-8.
bool is_allowed_text(std::string_view s) {
  while (!s.empty()) {
    auto const n = core::utf8_sequence_length(s);
    if (n == 0) return false;
    auto const c = static_cast<unsigned char>(s[0]);
    if (n == 1 && c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    if (n == 3 && s.substr(0, 2) == "\xEF\xBF" && static_cast<unsigned char>(s[2]) >= 0xBE) return false;
    s.remove_prefix(n);
  }
  return true;
}

bool is_attribute_name(std::string_view name) {
  return !name.empty() && name.size() <= 256 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

Outcome<MessageAttribute> read_attribute(std::string const& name, boost::json::value const& v) {
  if (!is_attribute_name(name)) return invalid_value("MessageAttribute.Name", "invalid attribute name " + name + ".");
  if (!v.is_object()) return invalid_value("MessageAttribute.Value", "must be a structure.");
  auto const& o = v.get_object();
  auto type = optional_text(o, "DataType");
  auto text = optional_text(o, "StringValue");
  auto binary = optional_text(o, "BinaryValue");
  if (!type || !text || !binary) return invalid_value("MessageAttribute.Value", "must hold strings.");
  if (!*type || type->value().empty()) {
    return invalid_value("MessageAttribute." + name + ".DataType", "The message attribute must have a DataType.");
  }
  MessageAttribute a{**type, text->value_or(""), binary->value_or("")};
  std::string_view const base = std::string_view(a.data_type).substr(0, a.data_type.find('.'));
  if (base == "Binary") {
    if (!*binary || !base64_decode(a.binary_value)) {
      return invalid_value("MessageAttribute." + name, "A Binary attribute must have a base64 BinaryValue.");
    }
  } else if (base == "String" || base == "Number") {
    if (!*text || a.string_value.empty()) {
      return invalid_value("MessageAttribute." + name, "A String or Number attribute must have a StringValue.");
    }
    if (!is_allowed_text(a.string_value)) {
      return make_error(errors::kInvalidMessageContents, "Invalid characters in the value of attribute " + name + ".");
    }
  } else {
    return invalid_value("MessageAttribute." + name + ".DataType", "must be String, Number or Binary.");
  }
  return a;
}

Outcome<MessageAttributes> read_attributes(object const& params) {
  MessageAttributes out;
  auto const* v = params.if_contains("MessageAttributes");
  if (!v || v->is_null()) return out;
  if (!v->is_object()) return invalid_value("MessageAttributes", "must be a map.");
  if (v->get_object().size() > kMaxAttributes) {
    return invalid_value("MessageAttributes", "Number of message attributes exceeds the allowed maximum of 10.");
  }
  for (auto const& [k, item] : v->get_object()) {
    auto a = read_attribute(std::string(k), item);
    if (!a) return a.error();
    out.emplace(std::string(k), std::move(*a));
  }
  return out;
}

std::size_t size_of(OutgoingMessage const& m) {
  std::size_t n = m.body.size();
  for (auto const& [name, a] : m.attributes) {
    n += name.size() + a.data_type.size() + a.string_value.size() + base64_decode(a.binary_value).value_or("").size();
  }
  return n;
}

object attribute_json(MessageAttribute const& a) {
  object o;
  if (std::string_view(a.data_type).substr(0, 6) == "Binary") {
    o["BinaryValue"] = a.binary_value;
  } else {
    o["StringValue"] = a.string_value;
  }
  o["DataType"] = a.data_type;
  return o;
}

// The "sqs" member of a job's metadata; empty when it has none.
object sqs_metadata(std::optional<std::string> const& metadata) {
  if (!metadata) return {};
  boost::system::error_code ec;
  auto v = boost::json::parse(*metadata, ec);
  if (ec || !v.is_object()) return {};
  auto const* sqs = v.get_object().if_contains("sqs");
  return sqs && sqs->is_object() ? sqs->get_object() : object();
}

std::optional<std::string> text_member(object const& o, std::string_view key) {
  auto const* s = o.if_contains(key);
  if (!s || !s->is_string()) return std::nullopt;
  return std::string(s->get_string());
}

MessageAttributes stored_attributes(object const& sqs) {
  MessageAttributes out;
  auto const* attributes = sqs.if_contains("message_attributes");
  if (!attributes || !attributes->is_object()) return out;
  for (auto const& [k, item] : attributes->get_object()) {
    if (!item.is_object()) continue;
    auto const& o = item.get_object();
    auto text = [&o](std::string_view key) { return text_member(o, key).value_or(""); };
    out.emplace(std::string(k), MessageAttribute{text("DataType"), text("StringValue"), text("BinaryValue")});
  }
  return out;
}

bool selected(std::vector<std::string> const& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(), [&](std::string const& n) {
    if (n == "All" || n == ".*" || n == name) return true;
    return n.size() > 2 && n.ends_with(".*") && name.starts_with(std::string_view(n).substr(0, n.size() - 1));
  });
}

std::string millis(core::TimePoint t) { return std::to_string(core::to_unix_micros(t) / 1000); }

std::string body_of(core::Job const& job) {
  boost::system::error_code ec;
  auto v = boost::json::parse(job.payload, ec);
  if (!ec && v.is_string()) return std::string(v.get_string());
  return job.payload;
}

}  // namespace

Outcome<OutgoingMessage> read_outgoing(object const& params, QueueConfig const& queue) {
  OutgoingMessage m;
  auto body = required_text(params, "MessageBody");
  if (!body) return body.error();
  if (body->empty()) return missing("MessageBody");
  if (!is_allowed_text(*body)) {
    return make_error(errors::kInvalidMessageContents, "Invalid characters found in the message body.");
  }
  m.body = std::move(*body);
  auto attributes = read_attributes(params);
  if (!attributes) return attributes.error();
  m.attributes = std::move(*attributes);
  auto delay = optional_integer(params, "DelaySeconds", 0, 900);
  if (!delay) return delay.error();
  if (queue.fifo && *delay) {
    return invalid_value("DelaySeconds", "The request include parameter that is not valid for this queue type.");
  }
  m.delay_s = delay->value_or(queue.delay_s);
  auto fifo = read_fifo_fields(params, queue, m.body);
  if (!fifo) return fifo.error();
  m.fifo = std::move(*fifo);
  if (size_of(m) > static_cast<std::size_t>(queue.maximum_message_size)) {
    return invalid_value("MessageBody", "Message must be shorter than " + std::to_string(queue.maximum_message_size) +
                                            " bytes.");
  }
  return m;
}

core::EnqueueRequest enqueue_request(OutgoingMessage const& message, QueueConfig const& queue,
                                     std::optional<std::string> owner) {
  core::EnqueueRequest req;
  req.type = kMessageType;
  req.queue = queue.name;
  req.owner = std::move(owner);
  req.payload = boost::json::serialize(boost::json::string(message.body));
  if (message.delay_s > 0) req.delay_s = static_cast<double>(message.delay_s);
  req.max_attempts = kMaxReceives;
  // The lease a heartbeat without extend_s renews for; a receive always names its own.
  req.timeout_s = static_cast<double>(std::max<std::int64_t>(1, queue.visibility_timeout_s));
  // A message whose visibility timeout ran out is visible again at once, as in SQS.
  req.backoff = core::BackoffOverride{0.0, 1.0, 0.0, 0.0};
  object sqs;
  if (!message.attributes.empty()) {
    object attributes;
    for (auto const& [name, a] : message.attributes) attributes[name] = attribute_json(a);
    sqs["message_attributes"] = std::move(attributes);
  }
  if (message.fifo) {
    req.concurrency_key = message.fifo->group_id;
    req.idempotency_key = deduplication_key(queue, *message.fifo);
    sqs["message_group_id"] = message.fifo->group_id;
    sqs["message_deduplication_id"] = message.fifo->deduplication_id;
  }
  if (!sqs.empty()) {
    object metadata;
    metadata["sqs"] = std::move(sqs);
    req.metadata = boost::json::serialize(metadata);
  }
  return req;
}

object sent_result(core::Job const& job, OutgoingMessage const& message) {
  object out;
  out["MessageId"] = job.id;
  if (message.fifo) out["SequenceNumber"] = sequence_number(job);
  out["MD5OfMessageBody"] = md5_hex(message.body);
  if (auto md5 = md5_of_attributes(message.attributes)) out["MD5OfMessageAttributes"] = *md5;
  return out;
}

object received_message(core::Job const& job, AttributeSelection const& selection, std::string const& account_id) {
  object m;
  auto const body = body_of(job);
  m["MessageId"] = job.id;
  m["ReceiptHandle"] = receipt_handle(job);
  m["MD5OfBody"] = md5_hex(body);
  m["Body"] = body;
  object system;
  auto add = [&](std::string_view name, std::string value) {
    if (selected(selection.system, name)) system[name] = std::move(value);
  };
  add("SenderId", account_id);
  add("SentTimestamp", millis(job.created_at));
  add("ApproximateReceiveCount", std::to_string(job.attempt));
  if (!job.attempts.empty()) add("ApproximateFirstReceiveTimestamp", millis(job.attempts.front().started_at));
  auto const sqs = sqs_metadata(job.metadata);
  if (auto group = text_member(sqs, "message_group_id")) {
    add("MessageGroupId", std::move(*group));
    add("MessageDeduplicationId", text_member(sqs, "message_deduplication_id").value_or(""));
    add("SequenceNumber", sequence_number(job));
  }
  if (!system.empty()) m["Attributes"] = std::move(system);
  MessageAttributes chosen;
  for (auto& [name, a] : stored_attributes(sqs)) {
    if (selected(selection.message, name)) chosen.emplace(name, std::move(a));
  }
  if (auto md5 = md5_of_attributes(chosen)) {
    m["MD5OfMessageAttributes"] = *md5;
    object attributes;
    for (auto const& [name, a] : chosen) attributes[name] = attribute_json(a);
    m["MessageAttributes"] = std::move(attributes);
  }
  return m;
}

std::string receipt_handle(core::Job const& job) { return job.id + ":" + job.lease_token.value_or(""); }

Outcome<std::pair<std::string, std::string>> parse_receipt_handle(std::string const& handle) {
  auto const colon = handle.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == handle.size() ||
      handle.find(':', colon + 1) != std::string::npos) {
    return make_error(errors::kReceiptHandleIsInvalid, "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
  }
  return std::pair(handle.substr(0, colon), handle.substr(colon + 1));
}

}  // namespace corral::sqs
