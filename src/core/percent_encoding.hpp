// RFC 3986 percent-encoding: the client's request targets and AWS Signature Version 4's
// canonical request both want exactly this form (unreserved characters as they are, every other
// byte as %XX in upper-case hex), so it is written once.
#pragma once

#include <string>
#include <string_view>

namespace corral::core {

// Letters, digits and - . _ ~ pass (and '/' when keep_slash); every other byte becomes %XX.
std::string percent_encode(std::string_view text, bool keep_slash = false);

}  // namespace corral::core
