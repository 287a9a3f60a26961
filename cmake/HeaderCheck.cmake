# Every public header must compile on its own, with only the installed include paths: one tiny
# translation unit per header, built as an object library with the test build. A header that
# leans on an include it does not make, or on a private header under src/, fails the build.
function(lpdla_add_header_check target)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}/include"
       "${PROJECT_SOURCE_DIR}/include/lpdla/*.h")
  list(APPEND headers lpdla/version.h)
  set(sources)
  foreach(h ${headers})
    string(MAKE_C_IDENTIFIER "${h}" id)
    set(src "${CMAKE_CURRENT_BINARY_DIR}/header_check/${id}.cpp")
    # Write only on change so a reconfigure does not rebuild them all.
    set(text "#include <${h}>\n#include <${h}> // twice: the include guard holds\n")
    if(EXISTS "${src}")
      file(READ "${src}" old)
    else()
      set(old "")
    endif()
    if(NOT old STREQUAL text)
      file(WRITE "${src}" "${text}")
    endif()
    list(APPEND sources "${src}")
  endforeach()
  add_library(${target} OBJECT ${sources})
  # Only the public include directories (and the dependencies' own) reach these files.
  target_link_libraries(${target} PRIVATE lpdla lpdla_warnings)
endfunction()
