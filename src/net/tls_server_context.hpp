// TLS for the server's own listener: a context from a certificate chain and its private key, and
// what a person needs to know of the certificate it serves (for the log at start and on reload).
//
// TLS 1.2 is the oldest version accepted, as for outbound connections (tls_context.hpp); the
// cipher suites are OpenSSL's defaults. Clients are not asked for certificates.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace corral::net {

struct ServerCertificate {
  std::string subject;       // "CN=corral.example.com", OpenSSL's one-line form
  std::string not_after;     // "Dec  6 12:00:00 2027 GMT"
};

struct ServerTls {
  std::shared_ptr<boost::asio::ssl::context> context;
  ServerCertificate certificate;
};

// Loads `cert_file` (PEM: the certificate, then any intermediates) and `key_file` (PEM, not
// encrypted) and checks that the key is the certificate's. Throws std::runtime_error naming the
// file and OpenSSL's reason otherwise.
ServerTls make_server_tls(std::string const& cert_file, std::string const& key_file);

}  // namespace corral::net
