#include "wire/key_json.hpp"

#include "core/enqueue_spec.hpp"
#include "wire/field_reader.hpp"

namespace corral::wire {

namespace {

constexpr std::size_t kMaxKeyQueues = 100;

std::vector<std::string> read_queues(FieldReader& r) {
  std::vector<std::string> out;
  auto const* a = r.array("queues");
  if (a == nullptr) return out;
  if (a->empty() || a->size() > kMaxKeyQueues) {
    r.fail("queues", "must be an array of 1.." + std::to_string(kMaxKeyQueues) + " queue names");
    return out;
  }
  for (auto const& q : *a) {
    if (!q.is_string()) {
      r.fail("queues", "must be an array of queue names");
      return out;
    }
    out.emplace_back(q.get_string());
    r.check(core::check_name("queues", out.back()));
  }
  return out;
}

}  // namespace

core::Result<KeyRequest> parse_key_request(boost::json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  r.require({"role"});
  KeyRequest out;
  out.role = r.string("role").value_or("");
  out.owner = r.string("owner");
  if (out.owner) r.check(core::check_printable("owner", *out.owner));
  out.queues = read_queues(r);
  out.name = r.string("name").value_or("");
  if (!out.name.empty()) r.check(core::check_printable("name", out.name));
  if (!r.finish()) return r.error();
  return out;
}

core::Result<SignInRequest> parse_sign_in(boost::json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  r.require({"key"});
  SignInRequest out{r.string("key").value_or("")};
  if (!r.finish()) return r.error();
  return out;
}

}  // namespace corral::wire
