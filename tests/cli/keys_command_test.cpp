// `corral keys create|list|revoke|sqs-credentials` against a real server with an admin key, the key every client
// command sends (--api-key, CORRAL_API_KEY), and `corral server` refusing to serve a network
// address with no key at all.
#include "support/cli_runner.hpp"
#include "support/corral_process.hpp"
#include "support/files.hpp"
#include "support/has_substr.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait_until.hpp"

#include <csignal>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace corral::test {
namespace {

constexpr char const* kAdminKey = "admin-key-for-cli-tests-0123456789";

class KeysCommand : public ::testing::Test {
 protected:
  void SetUp() override { server_.start({"--admin-key", kAdminKey, "--auth-secret", std::string(40, 'c')}); }
  void TearDown() override {
    EXPECT_TRUE(server_.stop());
    EXPECT_EQ(server_.exit_code(), 0) << server_.log();
  }

  // `corral ARGS... --server URL`, with `key` in CORRAL_API_KEY (none when empty).
  CliResult corral(std::vector<std::string> args, std::string const& key = kAdminKey) {
    args.push_back("--server");
    args.push_back(server_.url());
    std::map<std::string, std::string> env;
    if (!key.empty()) env["CORRAL_API_KEY"] = key;
    return run_cli(args, env);
  }

  CorralProcess server_;
};

TEST_F(KeysCommand, CreatesAKeyThatWorksListsItWithoutTheSecretAndRevokesIt) {
  auto created = corral({"keys", "create", "--role", "producer", "--owner", "acme", "--queues", "a,b", "--name", "billing", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto record = boost::json::parse(created.out).as_object();
  std::string const key(record.at("key").as_string());
  std::string const id(record.at("id").as_string());
  EXPECT_EQ(record.at("owner"), "acme");
  EXPECT_EQ(record.at("queues"), boost::json::value(boost::json::array{"a", "b"}));

  auto human = corral({"keys", "create", "--role", "viewer"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_TRUE(has_substr(human.out, "key    crl_")) << human.out;
  EXPECT_TRUE(has_substr(human.out, "shown this once")) << human.out;

  auto list = corral({"keys", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(has_substr(list.out, id)) << list.out;
  EXPECT_TRUE(has_substr(list.out, "billing")) << list.out;
  EXPECT_FALSE(has_substr(list.out, key)) << list.out;

  EXPECT_EQ(corral({"list"}, key).exit_code, 0) << "the new key is sent from CORRAL_API_KEY";
  auto flag = corral({"list", "--api-key", key}, "");
  EXPECT_EQ(flag.exit_code, 0) << flag.err;

  auto revoked = corral({"keys", "revoke", id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(revoked.out, "revoked " + id + "\n");
  auto refused = corral({"list"}, key);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(has_substr(refused.err, "unauthenticated")) << refused.err;
}

TEST_F(KeysCommand, PrintsAKeysSqsCredentialsAsTheAwsToolsReadThem) {
  auto created = corral({"keys", "create", "--role", "worker", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string const id(boost::json::parse(created.out).at("id").as_string());
  auto printed = corral({"keys", "sqs-credentials", id});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  auto const lines = "AWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=";
  EXPECT_TRUE(printed.out.starts_with(lines)) << printed.out;
  EXPECT_EQ(printed.out.size(), lines.size() + 64 + 1) << printed.out;
  auto unknown = corral({"keys", "sqs-credentials", "key_0"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(has_substr(unknown.err, "not_found")) << unknown.err;
}

TEST_F(KeysCommand, ACommandWithoutAKeyIsToldSo) {
  auto r = corral({"queues"}, "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_substr(r.err, "unauthenticated")) << r.err;
  auto role = corral({"keys", "create", "--role", "root"});
  EXPECT_EQ(role.exit_code, 2) << "an unknown role is a usage error";
}

TEST(SafeByDefault, WithoutKeysANetworkAddressIsRefusedNamingInsecure) {
  TempDir dir;
  auto r = run_cli({"server", "--listen", "0.0.0.0:0", "--db", "sqlite:" + (dir / "corral.db").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has_substr(r.err, "--insecure")) << r.err;
  EXPECT_TRUE(has_substr(r.err, "admin_key")) << r.err;
}

// Started by hand: CorralProcess binds 127.0.0.1, and --listen may be given once.
TEST(SafeByDefault, InsecureOrAnAdminKeyServesANetworkAddress) {
  for (auto const& extra : std::vector<std::vector<std::string>>{{"--insecure"}, {"--admin-key", kAdminKey}}) {
    TempDir dir;
    Process::Options options;
    options.argv = {kCorralBinary, "server", "--listen", "0.0.0.0:0", "--db", "sqlite:" + (dir / "corral.db").string()};
    options.argv.insert(options.argv.end(), extra.begin(), extra.end());
    options.stdout_path = options.stderr_path = dir / "server.log";
    Process server(options);
    std::optional<int> port;
    EXPECT_TRUE(wait_until(std::chrono::seconds(20), [&] {
      port = parse_listening_port(read_file(dir / "server.log"));
      return port.has_value() || !server.running();
    }));
    ASSERT_TRUE(port) << extra[0] << ": " << read_file(dir / "server.log");
    EXPECT_EQ(client::Client("http://127.0.0.1:" + std::to_string(*port)).get("/livez").status, 200) << extra[0];
    server.signal(SIGTERM);
    EXPECT_TRUE(server.wait_for_exit(std::chrono::seconds(15)));
    EXPECT_EQ(server.exit_code(), 0) << read_file(dir / "server.log");
  }
}

TEST(SafeByDefault, AServerWithoutKeysSaysItIsOpenOnLoopbackOnly) {
  CorralProcess server;
  server.start();
  EXPECT_TRUE(has_substr(server.log(), "no API keys")) << server.log();
  EXPECT_TRUE(has_substr(server.log(), "loopback only")) << server.log();
  EXPECT_TRUE(server.stop());
}

}  // namespace
}  // namespace corral::test
