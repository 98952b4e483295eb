// UTF-8 validity, for text that arrives from outside as bytes (a command's output, a database's
// error message) and must be shown as text: JSON may carry valid UTF-8 only.
#pragma once

#include <cstddef>
#include <string_view>

namespace corral::core {

// Length of the valid UTF-8 sequence at the start of `s` (1 to 4), or 0 if there is none:
// overlong forms, UTF-16 surrogates, values past U+10FFFF and cut sequences are not valid.
std::size_t utf8_sequence_length(std::string_view s);

// U+FFFD, which stands for each byte that is not part of a valid sequence.
inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";

}  // namespace corral::core
