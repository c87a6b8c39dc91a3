# find_package(twopass): the imported target twopass::twopass, with its
# dependencies (pthreadpool, XNNPACK's header, and for the static library
# cpuinfo and libm), found as twopass's own build finds them.
include(${CMAKE_CURRENT_LIST_DIR}/twopass-dependencies.cmake)
if(TWOPASS_DEPENDENCIES_MISSING)
  set(twopass_FOUND FALSE)
  list(JOIN TWOPASS_DEPENDENCIES_MISSING ", " missing)
  set(twopass_NOT_FOUND_MESSAGE
    "twopass needs ${missing} (Debian: libpthreadpool-dev libxnnpack-dev libcpuinfo-dev)")
  return()
endif()
include(${CMAKE_CURRENT_LIST_DIR}/twopassTargets.cmake)
