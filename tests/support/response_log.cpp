#include "support/response_log.hpp"

#include "client/client.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>

namespace corral::test {
namespace {

constexpr std::size_t kMaxBody = 1u << 20;

int log_fd = -1;

void record(std::string_view method, std::string_view target, client::Response const& reply) {
  auto const type = reply.headers.find("content-type");
  boost::json::object line{{"method", method},
                           {"path", target.substr(0, target.find('?'))},
                           {"status", reply.status},
                           {"content_type", type == reply.headers.end() ? "" : type->second}};
  // Only JSON bodies are validated: the others (the dashboard's pages, metrics, event streams)
  // are logged by their size, which keeps the log small and free of bytes that are not text.
  std::string_view const media = type == reply.headers.end() ? std::string_view{} : std::string_view{type->second};
  bool const json = media.starts_with("application/json") || media.starts_with("application/problem+json");
  if (!json) {
    line["body"] = "";
    line["body_bytes"] = reply.body.size();
  } else if (reply.body.size() > kMaxBody) {
    line["body"] = "";
    line["body_truncated"] = true;
  } else {
    line["body"] = reply.body;
  }
  std::string const text = boost::json::serialize(line) + "\n";
  // One write per line: appends of other processes land before or after it, never inside.
  if (::write(log_fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    throw std::runtime_error(std::string("could not append to CORRAL_RESPONSE_LOG: ") + std::strerror(errno));
  }
}

}  // namespace

void record_replies_if_asked() {
  static std::once_flag once;
  std::call_once(once, [] {
    char const* path = std::getenv("CORRAL_RESPONSE_LOG");
    if (path == nullptr || *path == '\0') return;
    log_fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      throw std::runtime_error(std::string("could not open CORRAL_RESPONSE_LOG ") + path + ": " + std::strerror(errno));
    }
    client::set_reply_observer(record);
  });
}

}  // namespace corral::test
