// The dashboard's sign-in over the API: a key exchanged for an HttpOnly, SameSite=Strict cookie
// that reads, and changes only with its CSRF token; a forged, altered or revoked session is
// refused; a worker key may not sign in; and a browser's change from another site is refused
// whether keys exist or not (http/cross_origin.hpp).
#include "http/auth_keys.hpp"
#include "http/stream_reader.hpp"

namespace corral::test {
namespace {

struct SignedIn {
  json::object session;   // the reply's body
  std::string cookie;     // the Set-Cookie header
  std::string token;      // the cookie's value
};

SignedIn sign_in(Client& c, std::string const& key) {
  auto reply = c.post("/api/v1/session", json::object{{"key", key}});
  SignedIn out{expect_json(reply, 200), reply.headers["set-cookie"], {}};
  auto const start = out.cookie.find('=') + 1;
  out.token = out.cookie.substr(start, out.cookie.find(';') - start);
  return out;
}

class Sessions : public KeyedApiTest {
 protected:
  // A client that sends the session's cookie, and its CSRF token unless told not to.
  Client browser(SignedIn const& s, bool with_csrf = true) const {
    Client c(server_.url());
    c.add_header("Cookie", "theme=dark; corral_session=" + s.token);
    if (with_csrf) c.add_header("X-CSRF-Token", str(s.session, "csrf_token"));
    return c;
  }
  std::size_t job_count() {
    auto c = admin();
    return expect_json(c.get("/api/v1/jobs"), 200).at("jobs").as_array().size();
  }
};

TEST_F(Sessions, AKeyIsExchangedForAnHttpOnlyStrictCookieNamingItsKeyNotTheKey) {
  auto created = create_key({{"role", "producer"}, {"owner", "acme"}, {"name", "ops"}});
  auto s = sign_in(api(), str(created, "key"));
  EXPECT_NE(s.cookie.find("corral_session="), std::string::npos) << s.cookie;
  for (auto attribute : {"; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age="}) {
    EXPECT_NE(s.cookie.find(attribute), std::string::npos) << attribute << " in " << s.cookie;
  }
  EXPECT_EQ(s.cookie.find("Secure"), std::string::npos) << "plain HTTP: a Secure cookie would never come back";
  EXPECT_EQ(s.cookie.find(str(created, "key")), std::string::npos) << "the cookie never holds the key";
  EXPECT_EQ(str(s.session, "key_id"), str(created, "id"));
  EXPECT_EQ(str(s.session, "key_name"), "ops");
  EXPECT_EQ(str(s.session, "role"), "producer");
  EXPECT_EQ(str(s.session, "owner"), "acme");
  EXPECT_FALSE(str(s.session, "csrf_token").empty());

  auto b = browser(s);
  auto again = expect_json(b.get("/api/v1/session"), 200);
  EXPECT_EQ(str(again, "key_id"), str(created, "id"));
  EXPECT_EQ(str(again, "csrf_token"), str(s.session, "csrf_token"));
  EXPECT_TRUE(wait_until(kDeadline, [&] { return server_.log().find("\"path\":\"/api/v1/session\"") != std::string::npos; }))
      << "the sign-in is audited";
}

TEST_F(Sessions, TheCookieReadsAndChangesOnlyWithItsCsrfToken) {
  auto s = sign_in(api(), kAdminKey);
  auto b = browser(s);
  EXPECT_EQ(b.get("/api/v1/jobs").status, 200);
  auto forged = browser(s, false);
  EXPECT_TRUE(is_error(forged.post("/api/v1/jobs", json::object{{"type", "t"}}), 403, "forbidden", {"X-CSRF-Token"}));
  Client wrong(server_.url());
  wrong.add_header("Cookie", "corral_session=" + s.token);
  wrong.add_header("X-CSRF-Token", std::string(32, '0'));
  EXPECT_TRUE(is_error(wrong.post("/api/v1/jobs", json::object{{"type", "t"}}), 403, "forbidden"));
  EXPECT_EQ(job_count(), 0u) << "a refused change changes nothing";
  auto const id = enqueue_id(b);
  expect_json(cancel(b, id), 200);
  EXPECT_EQ(job_count(), 1u);
}

TEST_F(Sessions, TheEventStreamIsAuthorisedByTheCookie) {
  auto s = sign_in(api(), kAdminKey);
  StreamReader stream(server_.url(), "/api/v1/events", {{"Cookie", "corral_session=" + s.token}});
  ASSERT_TRUE(stream.wait_connected()) << stream.error();
  auto b = browser(s);
  auto const id = enqueue_id(b);
  EXPECT_TRUE(stream.wait_for(1, "enqueued")) << stream.error();
  EXPECT_NE(stream.messages("enqueued").front().data.find(id), std::string::npos);
  StreamReader refused(server_.url(), "/api/v1/events", {{"Cookie", "corral_session=v1.admin_key.1.a.b"}});
  ASSERT_TRUE(refused.wait_ended()) << "a stream with a session that is not valid is refused";
  EXPECT_EQ(refused.reply().status, 401);
}

TEST_F(Sessions, AViewerSignsInToReadAndItsChangesAreRefused) {
  auto producer = as(key_of({{"role", "producer"}}));
  auto const id = enqueue_id(producer);
  auto s = sign_in(api(), key_of({{"role", "viewer"}}));
  EXPECT_EQ(str(s.session, "role"), "viewer");
  auto b = browser(s);
  EXPECT_EQ(b.get(job_path(id)).status, 200);
  EXPECT_TRUE(is_error(cancel(b, id), 403, "forbidden"));
  EXPECT_EQ(str(expect_json(b.get(job_path(id)), 200), "status"), "queued") << "the refused cancel changed nothing";
}

TEST_F(Sessions, AWrongKeyOrAWorkersKeyDoesNotSignIn) {
  auto const wrong = api().post("/api/v1/session", json::object{{"key", kUnknownKey}});
  EXPECT_TRUE(is_error(wrong, 401, "unauthenticated"));
  EXPECT_NE(wrong.headers.at("www-authenticate").find("Bearer"), std::string::npos);
  EXPECT_FALSE(wrong.headers.contains("set-cookie"));
  auto const worker = api().post("/api/v1/session", json::object{{"key", key_of({{"role", "worker"}})}});
  EXPECT_TRUE(is_error(worker, 403, "forbidden", {"worker"}));
  EXPECT_FALSE(worker.headers.contains("set-cookie"));
  EXPECT_TRUE(is_error(api().post("/api/v1/session", json::object{}), 400, "invalid_argument", {"key"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/session"), 401, "unauthenticated")) << "no cookie, no session";
}

TEST_F(Sessions, AnAlteredTokenOrARevokedKeysSessionIsRefused) {
  auto created = create_key({{"role", "viewer"}});
  auto s = sign_in(api(), str(created, "key"));
  auto const with_token = [&](std::string const& token) {
    Client c(server_.url());
    c.add_header("Cookie", "corral_session=" + token);
    return c.get("/api/v1/jobs");
  };
  EXPECT_EQ(with_token(s.token).status, 200);
  // v1.KEY_ID.EXPIRES.CSRF.MAC: another key's id, a later end, or another MAC.
  auto const parts = [&] {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (auto dot = s.token.find('.'); dot != std::string::npos; dot = s.token.find('.', start = dot + 1)) {
      out.push_back(s.token.substr(start, dot - start));
    }
    out.push_back(s.token.substr(s.token.rfind('.') + 1));
    return out;
  }();
  ASSERT_EQ(parts.size(), 5u) << s.token;
  auto const join = [](std::vector<std::string> p) { return p[0] + "." + p[1] + "." + p[2] + "." + p[3] + "." + p[4]; };
  auto as_admin = parts;
  as_admin[1] = "admin_key";
  auto longer = parts;
  longer[2] = std::to_string(std::stoll(parts[2]) + 86400);
  auto remade = parts;
  remade[4] = std::string(64, 'f');
  for (auto const& token : {join(as_admin), join(longer), join(remade), std::string("not-a-token")}) {
    EXPECT_TRUE(is_error(with_token(token), 401, "unauthenticated")) << token;
  }
  auto c = admin();
  expect_json(c.del("/api/v1/keys/" + str(created, "id")), 200);
  EXPECT_TRUE(is_error(with_token(s.token), 401, "unauthenticated")) << "revoking the key ends its sessions";
}

TEST_F(Sessions, NodesSharingTheSessionSecretAcceptEachOthersSessions) {
  std::string const secret(40, 's');
  std::vector<std::string> const args{"--admin-key", kAdminKey, "--auth-secret", secret};
  CorralProcess a, b, other;
  a.start(args);
  b.start(args);
  other.start({"--admin-key", kAdminKey, "--auth-secret", std::string(40, 'o')});
  auto ca = a.client();
  auto s = sign_in(ca, kAdminKey);
  auto const read = [&](CorralProcess const& node) {
    Client c(node.url());
    c.add_header("Cookie", "corral_session=" + s.token);
    return c.get("/api/v1/jobs");
  };
  EXPECT_EQ(read(a).status, 200);
  EXPECT_EQ(read(b).status, 200);
  EXPECT_TRUE(is_error(read(other), 401, "unauthenticated"));
  EXPECT_TRUE(a.stop() && b.stop() && other.stop());
}

TEST_F(Sessions, ASessionSecretShorterThan32CharactersStopsTheStart) {
  CorralProcess p;
  EXPECT_THROW(p.start({"--admin-key", kAdminKey, "--auth-secret", "short"}), std::runtime_error);
  EXPECT_NE(p.log().find("--auth-secret must be at least 32 characters"), std::string::npos) << p.log();
  EXPECT_EQ(p.exit_code(), 2);
}

// Without keys: nothing to sign in to, and a browser's change from another site is still refused.
class OpenSessions : public ApiTest {
 protected:
  Response enqueue_from(std::vector<std::pair<std::string, std::string>> const& headers) {
    Client c(server_.url());
    for (auto const& [name, value] : headers) c.add_header(name, value);
    return c.post("/api/v1/jobs", json::object{{"type", "t"}});
  }
};

TEST_F(OpenSessions, NoSignInIsNeededWithoutKeys) {
  auto session = expect_json(api().get("/api/v1/session"), 200);
  EXPECT_EQ(session, (json::object{{"keys_required", false}}));
}

TEST_F(OpenSessions, ABrowsersChangeFromAnotherSiteIsRefusedAndChangesNothing) {
  auto const host = server_.url().substr(std::string("http://").size());
  for (auto const& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"Sec-Fetch-Site", "cross-site"}},
           {{"Sec-Fetch-Site", "same-site"}, {"Origin", "http://" + host}},
           {{"Origin", "http://evil.example"}},
           {{"Origin", "null"}}}) {
    EXPECT_TRUE(is_error(enqueue_from(headers), 403, "forbidden", {"another site"})) << headers.front().second;
  }
  EXPECT_TRUE(expect_json(api().get("/api/v1/jobs"), 200).at("jobs").as_array().empty());
  EXPECT_EQ(enqueue_from({{"Sec-Fetch-Site", "same-origin"}, {"Origin", "http://" + host}}).status, 201);
  EXPECT_EQ(enqueue_from({{"Origin", "http://" + host}}).status, 201);
  EXPECT_EQ(enqueue_from({{"Sec-Fetch-Site", "none"}}).status, 201) << "typed in the address bar";
  EXPECT_EQ(enqueue_from({}).status, 201) << "not a browser: curl, clients, SDKs";
  Client reader(server_.url());
  reader.add_header("Sec-Fetch-Site", "cross-site");
  EXPECT_EQ(reader.get("/api/v1/jobs").status, 200) << "reads are not changes";
}

}  // namespace
}  // namespace corral::test
