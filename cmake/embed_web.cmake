# The dashboard (web/) built with npm and embedded in the binary: corral_embed_web(TARGET) adds
# to TARGET a generated web_assets.cpp holding every file of web/dist as bytes, with its content
# type, ETag and gzip copy (src/web/assets.hpp).
#
# The build runs at most once per checkout: web/dist is in the source tree, shared by every
# build folder (release, test, asan, tsan, fuzz), and cmake/web_build.cmake rebuilds it only when
# a web/ source or the lockfile changed (it keeps a hash of them), under a lock, so two build
# folders building at once do not both run npm. Node.js and npm are needed (scripts/setup.sh
# installs them); -DCORRAL_DASHBOARD=OFF builds without them and without the dashboard.
option(CORRAL_DASHBOARD "Build the web dashboard (needs Node.js and npm) and embed it in corral" ON)

function(corral_embed_web target)
  set(out ${CMAKE_BINARY_DIR}/generated/web_assets.cpp)
  set(web ${CMAKE_SOURCE_DIR}/web)
  if(CORRAL_DASHBOARD)
    find_program(CORRAL_NPM npm)
    if(NOT CORRAL_NPM)
      message(FATAL_ERROR "The dashboard is built with Node.js and npm, which were not found: install them "
                          "(bash scripts/setup.sh does, from Debian's packages nodejs and npm), or configure "
                          "with -DCORRAL_DASHBOARD=OFF to build corral without the dashboard.")
    endif()
    file(GLOB_RECURSE inputs CONFIGURE_DEPENDS ${web}/src/* ${web}/public/*)
    list(FILTER inputs EXCLUDE REGEX "\\.test\\.ts$")
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${web} -DNPM=${CORRAL_NPM} -DOUTPUT=${out}
              -P ${CMAKE_SOURCE_DIR}/cmake/web_build.cmake
      DEPENDS ${inputs} ${web}/package.json ${web}/package-lock.json ${web}/build.mjs ${web}/tsconfig.json
              ${CMAKE_SOURCE_DIR}/cmake/web_build.cmake
      COMMENT "Building the dashboard (web/) and embedding it"
      VERBATIM)
  else()
    file(WRITE ${out}.tmp
"// No dashboard: this build was configured with -DCORRAL_DASHBOARD=OFF.
#include \"web/assets.hpp\"
namespace corral::web {
std::span<Asset const> embedded_assets() { return {}; }
}
")
    file(COPY_FILE ${out}.tmp ${out} ONLY_IF_DIFFERENT)
  endif()
  target_sources(${target} PRIVATE ${out})
endfunction()
