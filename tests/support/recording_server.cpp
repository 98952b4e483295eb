#include "support/recording_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cctype>
#include <thread>

namespace corral::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

struct RecordingServer::Impl {
  asio::io_context ioc;
  std::optional<asio::ssl::context> tls;
  tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  unsigned short port = acceptor.local_endpoint().port();
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<RecordedRequest> requests;   // guarded by mutex
  int failed_handshakes = 0;               // guarded by mutex

  void record(http::request<http::string_body> const& req) {
    RecordedRequest r{std::string(req.method_string()), std::string(req.target()), {}};
    for (auto const& field : req) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(field.value());
    }
    std::lock_guard lock(mutex);
    requests.push_back(std::move(r));
  }

  // Requests until the client closes the connection.
  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(stream, buffer, req, asio::use_awaitable);
      record(req);
      http::response<http::string_body> res{http::status::ok, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = R"({"jobs":[]})";
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      co_await http::async_write(stream, res, asio::use_awaitable);
      if (!req.keep_alive()) co_return;
    }
  }

  asio::awaitable<void> connection(tcp::socket socket) {
    try {
      if (!tls) {
        co_await serve(socket);
        co_return;
      }
      beast::ssl_stream<tcp::socket> stream(std::move(socket), *tls);
      try {
        co_await stream.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
      } catch (boost::system::system_error const&) {
        std::lock_guard lock(mutex);
        ++failed_handshakes;
        co_return;
      }
      co_await serve(stream);
    } catch (boost::system::system_error const&) {
      // The client closed the connection: its requests are recorded already.
    }
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = co_await acceptor.async_accept(asio::use_awaitable);
      asio::co_spawn(ioc, connection(std::move(socket)), asio::detached);
    }
  }
};

RecordingServer::RecordingServer(std::optional<TlsFiles> const& tls) : impl_(std::make_unique<Impl>()) {
  if (tls) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(tls->server_cert.string());
    impl_->tls->use_private_key_file(tls->server_key.string(), asio::ssl::context::pem);
  }
  asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

RecordingServer::~RecordingServer() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::string RecordingServer::url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<RecordedRequest> RecordingServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

int RecordingServer::failed_handshakes() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->failed_handshakes;
}

}  // namespace corral::test
