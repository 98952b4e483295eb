# corral_embed_file(TARGET FILE HEADER NAMESPACE FUNCTION): adds to TARGET a generated .cpp that
# defines, as declared in HEADER, `std::string_view NAMESPACE::FUNCTION()` returning FILE's bytes
# and `std::string_view NAMESPACE::FUNCTION_etag()` returning an ETag of them (their SHA-256,
# quoted). The source is written again by the build whenever FILE changes, without re-running
# CMake. Used for docs/openapi.json, which the server serves as it is.
#
# The same file, run as a script, writes that source:
#   cmake -DINPUT=FILE -DOUTPUT=FILE.cpp -DHEADER=... -DNAMESPACE=... -DFUNCTION=... -P embed_file.cmake
if(CMAKE_SCRIPT_MODE_FILE)
  foreach(var INPUT OUTPUT HEADER NAMESPACE FUNCTION)
    if(NOT ${var})
      message(FATAL_ERROR "embed_file.cmake: ${var} is not set")
    endif()
  endforeach()
  file(READ ${INPUT} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  file(SIZE ${INPUT} size)
  file(SHA256 ${INPUT} hash)
  string(SUBSTRING ${hash} 0 16 hash)
  file(WRITE ${OUTPUT}.tmp
"// Generated from ${INPUT} by cmake/embed_file.cmake. Do not edit.
#include \"${HEADER}\"

namespace ${NAMESPACE} {
namespace {
// Ends with a 0 that is not part of the file (an empty file would be an empty array).
constexpr unsigned char kBytes[${size} + 1] = {${bytes}0};
}  // namespace

std::string_view ${FUNCTION}() { return {reinterpret_cast<char const*>(kBytes), ${size}}; }
std::string_view ${FUNCTION}_etag() { return \"\\\"${hash}\\\"\"; }

}  // namespace ${NAMESPACE}
")
  file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
  file(REMOVE ${OUTPUT}.tmp)
  return()
endif()

function(corral_embed_file target input header ns function)
  set(out ${CMAKE_BINARY_DIR}/generated/${function}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${out} -DHEADER=${header} -DNAMESPACE=${ns}
            -DFUNCTION=${function} -P ${CMAKE_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${input} ${CMAKE_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${input}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
