// The `Prefer` request header (RFC 7240): what a client would rather the reply held. Corral reads
// one preference of it, `return=minimal`: an enqueue's reply then names each job by its id and
// status instead of writing it in full, which is most of a large batch's reply (about 950 bytes a
// job) and of the client's work to read it.
#pragma once

#include <string_view>

namespace corral::wire {

// Whether the header asks for `return=minimal`. Preferences are separated by commas and may carry
// parameters after a `;`; names and values compare without case, and a value may be quoted. A
// preference the server does not know, or a header that does not parse, is ignored, never an error
// (RFC 7240 §2): the reply is then the full one.
bool prefers_minimal_return(std::string_view header);

}  // namespace corral::wire
