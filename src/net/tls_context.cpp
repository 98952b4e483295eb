#include "net/tls_context.hpp"

#include <boost/asio/ip/address.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace corral::net {

namespace ssl = boost::asio::ssl;

ssl::context make_client_tls_context(TlsOptions const& options) {
  ssl::context context(ssl::context::tls_client);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  context.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (options.ca_file.empty()) {
    context.set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("cannot load the system's CA certificates: " + ec.message());
  } else {
    context.load_verify_file(options.ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file " + options.ca_file + ": " + ec.message());
  }
  return context;
}

void expect_tls_peer(SSL* connection, std::string const& host) {
  boost::system::error_code ec;
  auto const address = boost::asio::ip::make_address(host, ec);
  bool ok = false;
  if (ec) {
    ok = SSL_set_tlsext_host_name(connection, host.c_str()) == 1 && SSL_set1_host(connection, host.c_str()) == 1;
    // "*.example.com" matches one label, never a partial one ("w*.example.com").
    SSL_set_hostflags(connection, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  } else {
    ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(connection), address.to_string().c_str()) == 1;
  }
  if (!ok) throw std::runtime_error("cannot set the expected TLS peer name " + host);
}

std::string tls_failure(SSL* connection, boost::system::error_code ec) {
  auto const verified = SSL_get_verify_result(connection);
  if (verified != X509_V_OK)
    return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verified);
  return ec.message();
}

}  // namespace corral::net
