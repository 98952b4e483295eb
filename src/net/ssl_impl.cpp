// Asio's TLS implementation, compiled once like the rest of Asio (asio_impl.cpp), in a file of its
// own so that only what uses TLS pulls it, and OpenSSL, in.
#include <boost/asio/ssl/impl/src.hpp>
