#include "support/cli_fixture.hpp"

#include "support/files.hpp"
#include "support/wait_until.hpp"
#include "wire/reply_json.hpp"

#include <boost/json/serialize.hpp>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace corral::test {

namespace json = boost::json;

void CliTest::SetUp() { server_.start(); }

void CliTest::TearDown() {
  if (worker_ && worker_->running()) {
    worker_->signal(SIGKILL);
    worker_->wait_for_exit(std::chrono::seconds(10));
  }
  EXPECT_TRUE(server_.stop());
  EXPECT_EQ(server_.exit_code(), 0) << server_.log();
}

CliResult CliTest::corral(std::vector<std::string> args, std::string const& stdin_text) {
  args.push_back("--server");
  args.push_back(server_.url());
  return run_cli(args, {}, stdin_text);
}

Process& CliTest::start_worker(std::vector<std::string> const& args) {
  Process::Options options;
  options.argv = {kCorralBinary, "worker", "--server", server_.url()};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.stdout_path = options.stderr_path = dir_ / "worker.log";
  write_file(dir_ / "worker.log", "");   // a new worker, a new log
  worker_ = std::make_unique<Process>(options);
  return *worker_;
}

std::string CliTest::worker_log() const { return read_file(dir_ / "worker.log"); }

std::string CliTest::enqueue(json::object body) {
  auto reply = server_.client().post("/api/v1/jobs", body);
  EXPECT_EQ(reply.status, 201) << reply.body;
  auto v = reply.json();
  return v.is_object() && v.get_object().contains("id") ? std::string(v.get_object().at("id").as_string()) : "";
}

json::object CliTest::job(std::string const& id) {
  auto reply = server_.client().get("/api/v1/jobs/" + id);
  EXPECT_EQ(reply.status, 200) << reply.body;
  auto v = reply.json();
  return v.is_object() ? v.get_object() : json::object();
}

json::object CliTest::wait_for_status(std::string const& id, std::string const& status, std::chrono::seconds timeout) {
  json::object last;
  bool reached = wait_until(timeout, [&] {
    last = job(id);
    auto const* s = last.if_contains("status");
    return s && s->is_string() && s->get_string() == status;
  });
  EXPECT_TRUE(reached) << "job " << id << " never reached " << status << "; last seen: " << json::serialize(last)
                       << "\nworker log:\n" << worker_log();
  return last;
}

json::object json_reply(CliResult const& result) {
  auto v = wire::parse_reply(result.out);
  EXPECT_TRUE(v) << "not JSON: " << result.out << "\nstderr: " << result.err;
  EXPECT_TRUE(v && v->is_object()) << result.out;
  return v && v->is_object() ? v->get_object() : json::object();
}

std::string unreachable_url() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);   // never listened on: connecting to it is refused
  return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

}  // namespace corral::test
