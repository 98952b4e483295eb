// Asio's SSL implementation, compiled once (separate compilation, as src/net/asio_impl.cpp does
// for the rest of Asio): only this part speaks TLS, so only it links OpenSSL.
#include <boost/asio/ssl/impl/src.hpp>
