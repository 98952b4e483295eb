// TLS for Corral's outbound connections: the client context and the per-connection settings
// that make a handshake check the peer. Shared by every part that speaks HTTPS (the C++ client,
// the server's own outbound calls), so each gets the same checks and the same error text.
//
// A peer is accepted only if its certificate chains to a trusted CA (the system's store, or the
// one CA file given, for a private CA) and names the host that was dialled: a DNS name through
// its subject alternative names, an IP address through an IP entry. The host also goes out as
// SNI, unless it is an IP address (RFC 6066 forbids that). TLS 1.2 is the oldest version offered.
// Rejected: Asio's host_name_verification callback, which OpenSSL's own X509_VERIFY_PARAM host
// check (used here) supersedes and which cannot report why a name did not match.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <string>

namespace corral::net {

struct TlsOptions {
  // A PEM file of CA certificates to trust instead of the system's store; empty: the system's.
  std::string ca_file;
};

// A context for client connections that verifies peers as described above. Throws
// std::runtime_error naming the file when `options.ca_file` cannot be read as PEM certificates.
boost::asio::ssl::context make_client_tls_context(TlsOptions const& options = {});

// Sets SNI and the expected peer name on one connection, before its handshake. Throws
// std::runtime_error if OpenSSL refuses them (an empty host).
void expect_tls_peer(SSL* connection, std::string const& host);

// Why a handshake on `connection` failed, for a person: OpenSSL's verification result when the
// certificate was the reason ("certificate verify failed: self-signed certificate in certificate
// chain"), else the error's own message.
std::string tls_failure(SSL* connection, boost::system::error_code ec);

}  // namespace corral::net
