// The vocabulary of the API key tests: a server started with an admin key, clients that send a
// key, and keys made through the API.
#pragma once

#include "http/api_helpers.hpp"

#include <string>

namespace corral::test {

// 36 characters: what an operator might put in CORRAL_ADMIN_KEY.
inline constexpr char const* kAdminKey = "admin-key-for-tests-0123456789abcdef";
// A well-formed key that no server made.
inline std::string const kUnknownKey = "crl_" + std::string(52, 'a');

// An ApiTest whose server has an admin key, so that every route but the probes needs one.
class KeyedApiTest : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    return {"--admin-key", kAdminKey, "--log-format", "json"};
  }

  // A client that sends `key` with every request.
  Client as(std::string const& key) const { return Client(server_.url(), client::Options{.token = key}); }
  Client admin() const { return as(kAdminKey); }

  // POST /api/v1/keys with the admin key: the new key's record, with its secret in "key".
  json::object create_key(json::object body) {
    auto c = admin();
    return expect_json(c.post("/api/v1/keys", body), 201);
  }
  std::string key_of(json::object body) { return str(create_key(std::move(body)), "key"); }
};

}  // namespace corral::test
