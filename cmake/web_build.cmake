# Builds web/dist when it is missing or older than web/'s sources, then writes OUTPUT, the C++
# source that embeds it. Run by the build (cmake/embed_web.cmake):
#   cmake -DWEB_DIR=<repo>/web -DNPM=<npm> -DOUTPUT=<file.cpp> -P cmake/web_build.cmake
#
# "Older" is decided by content, not by time stamps, which every build folder would judge apart:
# web/node_modules/.corral-lock-sha256 holds the hash of the package-lock.json installed, and
# web/dist/.inputs-sha256 the hash of the sources dist/ was built from.
cmake_minimum_required(VERSION 3.25)
foreach(var WEB_DIR NPM OUTPUT)
  if(NOT ${var})
    message(FATAL_ERROR "usage: cmake -DWEB_DIR=... -DNPM=... -DOUTPUT=... -P web_build.cmake")
  endif()
endforeach()

# One build at a time, whichever build folder asks.
file(LOCK ${WEB_DIR}/.build.lock GUARD PROCESS TIMEOUT 1200 RESULT_VARIABLE locked)
if(NOT locked STREQUAL "0")
  message(FATAL_ERROR "could not lock ${WEB_DIR}/.build.lock: ${locked}")
endif()

function(run_in_web what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WEB_DIR} RESULT_VARIABLE rc)
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "web: ${what} failed (${rc})")
  endif()
endfunction()

# The packages, as the lockfile pins them.
file(SHA256 ${WEB_DIR}/package-lock.json lock_hash)
set(lock_stamp ${WEB_DIR}/node_modules/.corral-lock-sha256)
set(installed "")
if(EXISTS ${lock_stamp})
  file(READ ${lock_stamp} installed)
endif()
if(NOT installed STREQUAL lock_hash)
  run_in_web("npm ci" ${NPM} ci --no-audit --no-fund)
  file(WRITE ${lock_stamp} ${lock_hash})
endif()

# The sources' hash: every file the bundle is made of (the unit tests are not).
file(GLOB_RECURSE sources LIST_DIRECTORIES false ${WEB_DIR}/src/* ${WEB_DIR}/public/*)
list(FILTER sources EXCLUDE REGEX "\\.test\\.ts$")
list(APPEND sources ${WEB_DIR}/package.json ${WEB_DIR}/package-lock.json ${WEB_DIR}/build.mjs ${WEB_DIR}/tsconfig.json)
list(SORT sources)
set(listing "")
foreach(f ${sources})
  file(SHA256 ${f} h)
  file(RELATIVE_PATH name ${WEB_DIR} ${f})
  string(APPEND listing "${name} ${h}\n")
endforeach()
string(SHA256 inputs_hash "${listing}")
set(dist ${WEB_DIR}/dist)
set(built "")
if(EXISTS ${dist}/.inputs-sha256)
  file(READ ${dist}/.inputs-sha256 built)
endif()
if(NOT built STREQUAL inputs_hash)
  run_in_web("the dashboard build (npm run build)" ${NPM} run --silent build)
  file(WRITE ${dist}/.inputs-sha256 ${inputs_hash})
endif()

# The generated source: one byte array per file and its gzip copy, and the table of assets.
function(content_type path out)
  set(type "application/octet-stream")
  if(path MATCHES "\\.html$")
    set(type "text/html; charset=utf-8")
  elseif(path MATCHES "\\.js$")
    set(type "text/javascript; charset=utf-8")
  elseif(path MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  elseif(path MATCHES "\\.svg$")
    set(type "image/svg+xml")
  elseif(path MATCHES "\\.png$")
    set(type "image/png")
  elseif(path MATCHES "\\.json$")
    set(type "application/json")
  elseif(path MATCHES "\\.woff2$")
    set(type "font/woff2")
  endif()
  set(${out} "${type}" PARENT_SCOPE)
endfunction()

function(byte_array file name out)
  file(READ ${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  file(SIZE ${file} size)
  set(${out} "constexpr unsigned char ${name}[${size} + 1] = {${bytes}0};\n" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE ${dist} ${dist}/*)
list(FILTER files EXCLUDE REGEX "(^|/)\\.")
list(FILTER files EXCLUDE REGEX "\\.gz$")
list(SORT files)
set(arrays "")
set(table "")
set(i 0)
foreach(path ${files})
  byte_array(${dist}/${path} kBody${i} body)
  string(APPEND arrays "${body}")
  set(gzip "{}")
  if(EXISTS ${dist}/${path}.gz)
    byte_array(${dist}/${path}.gz kGzip${i} gz)
    string(APPEND arrays "${gz}")
    set(gzip "text(kGzip${i})")
  endif()
  file(SHA256 ${dist}/${path} hash)
  string(SUBSTRING ${hash} 0 16 hash)
  content_type(${path} type)
  set(immutable false)
  if(path MATCHES "^assets/")
    set(immutable true)
  endif()
  string(APPEND table "      {\"${path}\", \"${type}\", \"\\\"${hash}\\\"\", text(kBody${i}), ${gzip}, ${immutable}},\n")
  math(EXPR i "${i} + 1")
endforeach()
if(i EQUAL 0)
  message(FATAL_ERROR "web: ${dist} holds no files to embed")
endif()

file(WRITE ${OUTPUT}.tmp
"// Generated from web/dist by cmake/web_build.cmake. Do not edit.
#include \"web/assets.hpp\"

#include <array>

namespace corral::web {
namespace {
${arrays}
// Each array ends with a 0 that is not part of the file (an empty file would be an empty array).
template <std::size_t N>
std::string_view text(unsigned char const (&bytes)[N]) {
  return {reinterpret_cast<char const*>(bytes), N - 1};
}
}  // namespace

std::span<Asset const> embedded_assets() {
  static const std::array<Asset, ${i}> kAssets{{
${table}  }};
  return kAssets;
}

}  // namespace corral::web
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
