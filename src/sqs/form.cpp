#include "sqs/form.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <utility>

namespace corral::sqs {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int const hi = hex_digit(in[i + 1]);
      int const lo = hex_digit(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// The flattened list and map names of SQS's query protocol, and their JSON members.
struct Flattened {
  std::string_view form_name;
  std::string_view json_name;
};
constexpr Flattened kLists[] = {
    {"AttributeName", "AttributeNames"},
    {"MessageAttributeName", "MessageAttributeNames"},
    {"MessageSystemAttributeName", "MessageSystemAttributeNames"},
    {"SendMessageBatchRequestEntry", "Entries"},
    {"DeleteMessageBatchRequestEntry", "Entries"},
    {"ChangeMessageVisibilityBatchRequestEntry", "Entries"},
    {"TagKey", "TagKeys"},
};
// Maps sent as lists of {Name, Value} (or {Key, Value}) entries.
constexpr Flattened kMaps[] = {
    {"Attribute", "Attributes"},
    {"MessageAttribute", "MessageAttributes"},
    {"MessageSystemAttribute", "MessageSystemAttributes"},
    {"Tag", "Tags"},
};

bool is_index(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A tree of the dotted names: "A.1.B" -> {"A": {"1": {"B": ...}}}.
void insert_dotted(object& tree, std::string_view key, std::string value) {
  auto const dot = key.find('.');
  if (dot == std::string_view::npos) {
    tree[key] = std::move(value);
    return;
  }
  auto& child = tree[key.substr(0, dot)];
  if (!child.is_object()) child = object();
  insert_dotted(child.get_object(), key.substr(dot + 1), std::move(value));
}

value shape(value v);

// {"1": x, "2": y} -> [x, y], in index order; members shaped in turn.
array as_list(object const& indexed) {
  std::map<long, value> ordered;
  for (auto const& [k, v] : indexed) {
    if (is_index(k)) ordered.emplace(std::stol(std::string(k)), shape(v));
  }
  array out;
  for (auto& [n, v] : ordered) out.push_back(std::move(v));
  return out;
}

// [{"Name": k, "Value": v}, ...] -> {k: v, ...}.
object as_map(array const& entries) {
  object out;
  for (auto const& e : entries) {
    if (!e.is_object()) continue;
    auto const& entry = e.get_object();
    auto const* key = entry.if_contains("Name");
    if (!key) key = entry.if_contains("Key");
    auto const* val = entry.if_contains("Value");
    if (key && key->is_string() && val) out[key->get_string()] = *val;
  }
  return out;
}

value shape(value v) {
  if (!v.is_object()) return v;
  object out;
  for (auto const& [k, member] : v.get_object()) {
    auto list = std::find_if(std::begin(kLists), std::end(kLists), [&](auto const& f) { return f.form_name == k; });
    auto map = std::find_if(std::begin(kMaps), std::end(kMaps), [&](auto const& f) { return f.form_name == k; });
    if (list != std::end(kLists) && member.is_object()) {
      out[list->json_name] = as_list(member.get_object());
    } else if (map != std::end(kMaps) && member.is_object()) {
      out[map->json_name] = as_map(as_list(member.get_object()));
    } else {
      out[k] = shape(member);
    }
  }
  return out;
}

}  // namespace

std::optional<object> parse_form(std::string_view body) {
  object out;
  while (!body.empty()) {
    auto const amp = body.find('&');
    auto const field = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (field.empty()) continue;
    auto const eq = field.find('=');
    auto key = percent_decode(field.substr(0, eq));
    auto val = percent_decode(eq == std::string_view::npos ? std::string_view{} : field.substr(eq + 1));
    if (!key || !val) return std::nullopt;
    out[*key] = std::move(*val);
  }
  return out;
}

object query_params_as_json(object const& form) {
  object tree;
  for (auto const& [k, v] : form) {
    if (k == "Action" || k == "Version") continue;
    insert_dotted(tree, k, std::string(v.get_string()));
  }
  return shape(std::move(tree)).get_object();
}

}  // namespace corral::sqs
