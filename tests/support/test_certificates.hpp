// A private CA and a server certificate it signed, made with OpenSSL at test time (nothing
// checked in expires or leaks), for TLS tests against a local server.
#pragma once

#include <filesystem>
#include <string>

namespace corral::test {

struct TlsFiles {
  std::filesystem::path ca_cert;       // PEM: the CA a client must be given to trust the server
  std::filesystem::path server_cert;   // PEM: the server's certificate, signed by the CA
  std::filesystem::path server_key;    // PEM: its private key
};

// Writes the three files to `dir`. The server certificate names `subject_alt_names` in OpenSSL's
// syntax ("IP:127.0.0.1,DNS:localhost"). Throws std::runtime_error if OpenSSL fails.
TlsFiles make_test_certificates(std::filesystem::path const& dir,
                                std::string const& subject_alt_names = "IP:127.0.0.1,DNS:localhost");

}  // namespace corral::test
