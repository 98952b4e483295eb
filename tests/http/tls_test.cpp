// HTTPS on the server's own listener (tls_cert_file, tls_key_file): the real binary with
// certificates made by a CA created for each test (support/test_certificates.hpp), reached by the
// C++ client trusting that CA only. SIGHUP loads the pair again without dropping a connection;
// plain_listen keeps plain HTTP for loopback beside it; settings that do not hold together stop
// the start with exit code 2.
#include "support/cli_runner.hpp"
#include "support/corral_process.hpp"
#include "support/has_substr.hpp"
#include "support/raw_socket.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

namespace corral::test {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The number of times `text` occurs in `log`.
std::size_t occurrences(std::string const& log, std::string const& text) {
  std::size_t n = 0;
  for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + text.size())) ++n;
  return n;
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "first");
    first_ = make_test_certificates(dir_ / "first");
    // The server reads the files at these paths, at start and on SIGHUP.
    cert_ = dir_ / "server.pem";
    key_ = dir_ / "server.key";
    install(first_);
  }

  void install(TlsFiles const& files) {
    fs::copy_file(files.server_cert, cert_, fs::copy_options::overwrite_existing);
    fs::copy_file(files.server_key, key_, fs::copy_options::overwrite_existing);
  }

  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--tls-cert-file", cert_.string(), "--tls-key-file", key_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    server_.start(args);
  }

  std::string https_url() const { return "https://127.0.0.1:" + std::to_string(server_.port()); }

  client::Client trusting(TlsFiles const& files) const {
    return client::Client(https_url(), {.ca_file = files.ca_cert.string()});
  }

  // Sends SIGHUP and waits for the server to log the outcome of the reload (`what`) once more.
  bool hang_up_and_wait_for(std::string const& what) {
    auto const before = occurrences(server_.log(), what);
    ::kill(server_.pid(), SIGHUP);
    return wait_until(20s, [&] { return occurrences(server_.log(), what) > before; });
  }

  // The port of the plain_listen listener, once the server has logged it.
  std::optional<int> plain_listen_port() {
    std::optional<int> port;
    wait_until(10s, [&] {
      auto const log = server_.log();
      auto at = log.find("plain HTTP also on ");
      if (at == std::string::npos) return false;
      port = parse_listening_port("listening on " + log.substr(at + 19));
      return port.has_value();
    });
    return port;
  }

  TempDir dir_;
  TlsFiles first_;
  fs::path cert_;
  fs::path key_;
  CorralProcess server_;
};

TEST_F(Tls, ServesTheApiOverHttpsToAClientThatTrustsTheCertificate) {
  start();
  EXPECT_TRUE(has_substr(server_.log(), "HTTPS")) << server_.log();
  auto client = trusting(first_);
  auto made = client.post("/api/v1/jobs", json::object{{"type", "report"}, {"payload", {{"n", 1}}}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto const id = std::string(made.json().at("id").as_string());
  auto got = client.get("/api/v1/jobs/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().at("status").as_string(), "queued");
}

TEST_F(Tls, PlainHttpToTheHttpsPortGetsNoHttpReply) {
  start();
  auto const reply = raw_exchange(server_.port(), "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(parse_raw_reply(reply).status, 0) << reply;
  // The server still serves HTTPS after it.
  EXPECT_EQ(trusting(first_).get("/livez").status, 200);
}

TEST_F(Tls, ACertificateReloadedOnSighupServesNewConnectionsAndKeepsOpenOnes) {
  start();
  auto before = trusting(first_);
  ASSERT_EQ(before.get("/api/v1/queues").status, 200);   // its connection stays open (keep-alive)

  fs::create_directories(dir_ / "second");
  auto const second = make_test_certificates(dir_ / "second");
  install(second);
  ASSERT_TRUE(hang_up_and_wait_for("TLS certificate reloaded")) << server_.log();

  // The connection opened before the reload is served on: a dropped one could not be opened
  // again by a client that trusts the first CA only.
  EXPECT_EQ(before.get("/api/v1/queues").status, 200);
  EXPECT_EQ(trusting(second).get("/api/v1/queues").status, 200);
  EXPECT_THROW(trusting(first_).get("/api/v1/queues"), std::runtime_error)
      << "a new connection gets the new certificate";
  EXPECT_TRUE(server_.running());
}

TEST_F(Tls, APairThatDoesNotLoadOnSighupIsLoggedAndThePreviousOneKept) {
  start();
  fs::create_directories(dir_ / "second");
  auto const second = make_test_certificates(dir_ / "second");
  // A key that is not the certificate's: the new certificate with the old key.
  fs::copy_file(second.server_cert, cert_, fs::copy_options::overwrite_existing);
  ASSERT_TRUE(hang_up_and_wait_for("TLS certificate not reloaded")) << server_.log();
  EXPECT_TRUE(has_substr(server_.log(), "is not the key of the certificate")) << server_.log();
  EXPECT_EQ(trusting(first_).get("/livez").status, 200);
  EXPECT_TRUE(server_.running());
}

TEST_F(Tls, PlainListenServesPlainHttpOnLoopbackBesideHttps) {
  start({"--plain-listen", "127.0.0.1:0"});
  auto const plain_port = plain_listen_port();
  ASSERT_TRUE(plain_port) << server_.log();
  auto https = trusting(first_);
  ASSERT_EQ(https.post("/api/v1/jobs", json::object{{"type", "t"}, {"queue", "both"}}).status, 201);
  client::Client plain("http://127.0.0.1:" + std::to_string(*plain_port));
  auto list = plain.get("/api/v1/jobs?queue=both");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("jobs").as_array().size(), 1u) << "one server behind both listeners";
}

TEST_F(Tls, TheDashboardsSessionCookieIsSecureOverHttpsOnly) {
  std::string const key = "tls-admin-key-0123456789abcdef0123";
  start({"--plain-listen", "127.0.0.1:0", "--admin-key", key});
  auto const plain_port = plain_listen_port();
  ASSERT_TRUE(plain_port) << server_.log();
  auto https = trusting(first_);
  auto secure = https.post("/api/v1/session", json::object{{"key", key}});
  ASSERT_EQ(secure.status, 200) << secure.body;
  EXPECT_TRUE(has_substr(secure.headers["set-cookie"], "; Secure")) << secure.headers["set-cookie"];
  client::Client plain("http://127.0.0.1:" + std::to_string(*plain_port));
  auto loopback = plain.post("/api/v1/session", json::object{{"key", key}});
  ASSERT_EQ(loopback.status, 200) << loopback.body;
  EXPECT_FALSE(has_substr(loopback.headers["set-cookie"], "Secure"))
      << "a Secure cookie would never come back over plain HTTP: " << loopback.headers["set-cookie"];
}

// Each refused before the server opens its database: exit 2 and the reason.
TEST_F(Tls, SettingsThatDoNotHoldTogetherAreRefusedAtStart) {
  auto const db = "sqlite:" + (dir_ / "corral.db").string();
  struct Case {
    std::vector<std::string> args;
    std::string reason;
  };
  std::vector<Case> const cases = {
      {{"--tls-cert-file", cert_.string()}, "go together"},
      {{"--tls-key-file", key_.string()}, "go together"},
      {{"--tls-cert-file", (dir_ / "missing.pem").string(), "--tls-key-file", key_.string()}, "missing.pem"},
      {{"--tls-cert-file", first_.ca_cert.string(), "--tls-key-file", key_.string()}, "is not the key"},
      {{"--plain-listen", "127.0.0.1:0"}, "set tls_cert_file"},
      {{"--tls-cert-file", cert_.string(), "--tls-key-file", key_.string(), "--plain-listen", "0.0.0.0:0"},
       "loopback"},
  };
  for (auto const& c : cases) {
    std::vector<std::string> args{"server", "--listen", "127.0.0.1:0", "--db", db};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto const r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << c.reason << "\n" << r.err;
    EXPECT_TRUE(has_substr(r.err, c.reason)) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "corral.db")) << "nothing was opened";
}

}  // namespace
}  // namespace corral::test
