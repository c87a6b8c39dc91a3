# The system libraries twopass is built against, as imported targets. Used by
# twopass's own build and, installed beside twopassConfig.cmake, by projects
# that find_package(twopass), so that both find them the same way. Debian's
# libpthreadpool-dev and libxnnpack-dev ship no CMake package, and the one of
# libcpuinfo-dev points at a wrong path (/usr/lib/lib/...): found by hand.
#
#   twopass::pthreadpool      pthreadpool.h, libpthreadpool, threads (in the API)
#   twopass::xnnpack_headers  xnnpack.h only, for enum xnn_status: the library
#                             calls no XNNPACK function, so libXNNPACK is not linked
#   twopass::cpuinfo          cpuinfo.h, libcpuinfo (a private dependency, which
#                             consumers of the static library link too)
#
# Sets TWOPASS_DEPENDENCIES_MISSING to what was not found (empty when all were);
# the caller decides whether that is an error.
set(TWOPASS_DEPENDENCIES_MISSING)
find_package(Threads)
if(NOT Threads_FOUND)
  list(APPEND TWOPASS_DEPENDENCIES_MISSING "threads")
endif()

# twopass_find_dependency(<name> <header> <library or "">)
function(twopass_find_dependency name header library)
  string(TOUPPER ${name} var)
  find_path(TWOPASS_${var}_INCLUDE_DIR ${header})
  set(found TRUE)
  if(NOT TWOPASS_${var}_INCLUDE_DIR)
    set(found FALSE)
  endif()
  if(library)
    find_library(TWOPASS_${var}_LIBRARY ${library})
    if(NOT TWOPASS_${var}_LIBRARY)
      set(found FALSE)
    endif()
  endif()
  if(NOT found)
    set(TWOPASS_DEPENDENCIES_MISSING ${TWOPASS_DEPENDENCIES_MISSING} ${name} PARENT_SCOPE)
  elseif(NOT TARGET twopass::${name})
    add_library(twopass::${name} INTERFACE IMPORTED)
    set_target_properties(twopass::${name} PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${TWOPASS_${var}_INCLUDE_DIR}")
    if(library)
      set_target_properties(twopass::${name} PROPERTIES
        INTERFACE_LINK_LIBRARIES "${TWOPASS_${var}_LIBRARY}")
    endif()
  endif()
endfunction()

twopass_find_dependency(pthreadpool pthreadpool.h pthreadpool)
twopass_find_dependency(xnnpack_headers xnnpack.h "")
twopass_find_dependency(cpuinfo cpuinfo.h cpuinfo)
if(TARGET twopass::pthreadpool AND Threads_FOUND)
  set_property(TARGET twopass::pthreadpool APPEND PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
