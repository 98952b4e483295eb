#include "sqs/error.hpp"

namespace corral::sqs {

Error from_core(core::Error const& e) {
  using core::Errc;
  switch (e.code) {
    case Errc::invalid_argument:
    case Errc::invalid_json:
      return make_error(errors::kInvalidParameterValue, e.message);
    case Errc::storage_full:
    case Errc::storage_unavailable:
    case Errc::shutting_down:
    case Errc::too_many_long_polls:
      return make_error(errors::kServiceUnavailable, e.message);
    default:
      return make_error(errors::kInternalError, e.message);
  }
}

}  // namespace corral::sqs

#include <stdexcept>

namespace corral::sqs {

void throw_exception_from_error(Error const& e, boost::source_location const&) {
  throw std::runtime_error(std::string(e.kind.type) + ": " + e.message);
}

}  // namespace corral::sqs
