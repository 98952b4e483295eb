#include "sqs/reply.hpp"

#include <boost/json/serialize.hpp>

namespace corral::sqs {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::string_view kJsonType = "application/x-amz-json-1.0";
constexpr std::string_view kXmlns = "http://queue.amazonaws.com/doc/2012-11-05/";

void element(std::string& out, std::string_view name, std::string_view text) {
  out.append("<").append(name).append(">").append(xml_escape(text)).append("</").append(name).append(">");
}

std::string scalar_text(value const& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  return boost::json::serialize(v);
}

void write_members(std::string& out, object const& members, std::string_view action);

// {k: v} as <Entry><Name>k</Name><Value>v</Value></Entry>, a value object as its members.
void write_map(std::string& out, object const& map, std::string_view entry, std::string_view key_name) {
  for (auto const& [k, v] : map) {
    out.append("<").append(entry).append(">");
    element(out, key_name, k);
    if (v.is_object()) {
      out.append("<Value>");
      write_members(out, v.get_object(), "");
      out.append("</Value>");
    } else {
      element(out, "Value", scalar_text(v));
    }
    out.append("</").append(entry).append(">");
  }
}

void write_list(std::string& out, array const& items, std::string_view entry, std::string_view action) {
  for (auto const& item : items) {
    if (item.is_object()) {
      out.append("<").append(entry).append(">");
      write_members(out, item.get_object(), action);
      out.append("</").append(entry).append(">");
    } else {
      element(out, entry, scalar_text(item));
    }
  }
}

void write_members(std::string& out, object const& members, std::string_view action) {
  for (auto const& [k, v] : members) {
    if (k == "Attributes" && v.is_object()) {
      write_map(out, v.get_object(), "Attribute", "Name");
    } else if (k == "MessageAttributes" && v.is_object()) {
      write_map(out, v.get_object(), "MessageAttribute", "Name");
    } else if (k == "Tags" && v.is_object()) {
      write_map(out, v.get_object(), "Tag", "Key");
    } else if (k == "Messages" && v.is_array()) {
      write_list(out, v.get_array(), "Message", action);
    } else if ((k == "QueueUrls" || k == "queueUrls") && v.is_array()) {
      write_list(out, v.get_array(), "QueueUrl", action);
    } else if (k == "Successful" && v.is_array()) {
      write_list(out, v.get_array(), std::string(action) + "ResultEntry", action);
    } else if (k == "Failed" && v.is_array()) {
      write_list(out, v.get_array(), "BatchResultErrorEntry", action);
    } else if (v.is_object()) {
      out.append("<").append(k).append(">");
      write_members(out, v.get_object(), action);
      out.append("</").append(k).append(">");
    } else {
      element(out, k, scalar_text(v));
    }
  }
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#xD;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

HttpReply result_reply(Protocol protocol, std::string_view action, object const& result, std::string_view request_id) {
  HttpReply reply;
  if (protocol == Protocol::json) {
    reply.content_type = kJsonType;
    reply.body = boost::json::serialize(result);
    return reply;
  }
  reply.content_type = "text/xml";
  std::string& out = reply.body;
  out.append("<?xml version=\"1.0\"?><").append(action).append("Response xmlns=\"").append(kXmlns).append("\">");
  out.append("<").append(action).append("Result>");
  write_members(out, result, action);
  out.append("</").append(action).append("Result>");
  out.append("<ResponseMetadata>");
  element(out, "RequestId", request_id);
  out.append("</ResponseMetadata></").append(action).append("Response>");
  return reply;
}

HttpReply error_reply(Protocol protocol, Error const& error, std::string_view request_id) {
  HttpReply reply;
  reply.status = error.kind.status;
  std::string_view const fault = error.kind.sender_fault ? "Sender" : "Receiver";
  if (protocol == Protocol::json) {
    reply.content_type = kJsonType;
    object body;
    body["__type"] = "com.amazonaws.sqs#" + std::string(error.kind.type);
    body["message"] = error.message;
    reply.body = boost::json::serialize(body);
    reply.headers.emplace_back("x-amzn-query-error", std::string(error.kind.query_code) + ";" + std::string(fault));
    return reply;
  }
  reply.content_type = "text/xml";
  std::string& out = reply.body;
  out.append("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"").append(kXmlns).append("\"><Error>");
  element(out, "Type", fault);
  element(out, "Code", error.kind.query_code);
  element(out, "Message", error.message);
  out.append("<Detail/></Error>");
  element(out, "RequestId", request_id);
  out.append("</ErrorResponse>");
  return reply;
}

}  // namespace corral::sqs
