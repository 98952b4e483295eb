# Warnings every Corral target compiles with. Warnings are errors in CI builds only, so a new
# compiler's new warning cannot break a user's first build.
option(CORRAL_WERROR "Treat warnings as errors" OFF)
function(corral_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
    # g++ 12 reports a false mismatched-new-delete on Asio awaitable frames.
    -Wno-mismatched-new-delete)
  if(CORRAL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
