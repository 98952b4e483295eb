// client::Client's options on the wire: the bearer token on every request, and https:// with the
// peer checked, against a local server that records what it gets (support/recording_server.hpp),
// its certificate made by a CA created for the test.
#include "client/client.hpp"

#include "client/worker.hpp"
#include "support/has_substr.hpp"
#include "support/recording_server.hpp"
#include "support/temp_dir.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace corral::test {
namespace {

using namespace std::chrono_literals;

TEST(ClientOptions, SendsTheBearerTokenWithEveryRequest) {
  RecordingServer server;
  client::Client client(server.url(), {.token = "s3cret"});
  ASSERT_EQ(client.get("/api/v1/queues").status, 200);
  ASSERT_EQ(client.post("/api/v1/jobs", boost::json::object{{"type", "t"}}).status, 200);
  auto const requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (auto const& r : requests) EXPECT_EQ(r.headers.at("authorization"), "Bearer s3cret") << r.target;
}

TEST(ClientOptions, SendsNoAuthorizationWithoutAToken) {
  RecordingServer server;
  client::Client client(server.url());
  ASSERT_EQ(client.get("/api/v1/queues").status, 200);
  EXPECT_FALSE(server.requests().at(0).headers.contains("authorization"));
}

TEST(ClientOptions, AWorkerSendsItsTokenWithItsFetches) {
  RecordingServer server;   // answers every fetch at once with no job: the worker asks again, until stopped
  client::Worker worker({.server_url = server.url(), .queues = {"q"}, .client = {.token = "w0rker"}},
                        [](client::JobContext&) { return client::JobOutcome::success(nullptr); });
  std::thread running([&] { worker.run(); });
  bool fetched = wait_until(10s, [&] { return !server.requests().empty(); });
  worker.stop();
  running.join();
  ASSERT_TRUE(fetched);
  auto const first = server.requests().at(0);
  EXPECT_EQ(first.target, "/api/v1/fetch");
  EXPECT_EQ(first.headers.at("authorization"), "Bearer w0rker");
}

class ClientTls : public ::testing::Test {
 protected:
  TempDir dir_;
  TlsFiles files_ = make_test_certificates(dir_.path());
};

TEST_F(ClientTls, TalksToAServerItsCaFileTrusts) {
  RecordingServer server(files_);
  client::Client client(server.url(), {.token = "t", .ca_file = files_.ca_cert.string()});
  EXPECT_EQ(client.get("/api/v1/queues").status, 200);
  EXPECT_EQ(client.get("/api/v1/jobs").status, 200);   // on the same kept-alive connection
  auto const requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].target, "/api/v1/jobs");
  EXPECT_EQ(requests[1].headers.at("authorization"), "Bearer t");
}

TEST_F(ClientTls, ChecksTheHostNameAgainstTheCertificate) {
  RecordingServer server(files_);
  auto const localhost = "https://localhost:" + server.url().substr(server.url().rfind(':') + 1);
  client::Client client(localhost, {.ca_file = files_.ca_cert.string()});
  EXPECT_EQ(client.get("/api/v1/queues").status, 200);   // the certificate names localhost too
}

TEST_F(ClientTls, RefusesAServerTheSystemStoreDoesNotTrust) {
  RecordingServer server(files_);
  client::Client client(server.url());
  try {
    client.get("/api/v1/queues");
    FAIL() << "a certificate from an unknown CA was accepted";
  } catch (std::runtime_error const& e) {
    EXPECT_TRUE(has_substr(e.what(), "TLS handshake with " + server.url() + " failed")) << e.what();
    EXPECT_TRUE(has_substr(e.what(), "certificate verify failed")) << e.what();
  }
  EXPECT_TRUE(server.requests().empty());   // nothing was sent over the untrusted connection
}

TEST_F(ClientTls, RefusesACertificateForAnotherHost) {
  TempDir other_dir;
  auto const other = make_test_certificates(other_dir.path(), "DNS:other.example");
  RecordingServer server(other);
  client::Client client(server.url(), {.ca_file = other.ca_cert.string()});
  try {
    client.get("/api/v1/queues");
    FAIL() << "a certificate for other.example was accepted for 127.0.0.1";
  } catch (std::runtime_error const& e) {
    EXPECT_TRUE(has_substr(e.what(), "mismatch")) << e.what();
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ClientTls, ACaFileThatCannotBeReadIsAClearError) {
  try {
    client::Client client("https://127.0.0.1:1", {.ca_file = (dir_.path() / "missing.pem").string()});
    FAIL() << "a missing CA file was accepted";
  } catch (std::runtime_error const& e) {
    EXPECT_TRUE(has_substr(e.what(), "cannot load CA file")) << e.what();
  }
}

}  // namespace
}  // namespace corral::test
