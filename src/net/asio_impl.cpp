// The one translation unit that compiles Asio's and Beast's implementations
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION are set for the whole
// build). Every other file includes only their headers, which keeps builds fast.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
