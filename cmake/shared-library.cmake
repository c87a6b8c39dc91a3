# The shared build of twopass (-DBUILD_SHARED_LIBS=ON): libtwopass.so.<SOVERSION>
# exports the functions of include/twopass.h and nothing else. The kernels are
# named twopass_f32_* too, but they are no API: a consumer must not come to
# depend on them, so the export list is the header's declarations, not a
# twopass_* pattern.
get_target_property(TWOPASS_LIBRARY_TYPE twopass TYPE)
if(NOT TWOPASS_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
  return()
endif()

# Declarations start a line with their return type; comments and macros do not.
file(STRINGS ${PROJECT_SOURCE_DIR}/include/twopass.h declarations
  REGEX "^[a-z][^(]*[ *]twopass_[a-z0-9_]+\\(")
set(exports)
foreach(line IN LISTS declarations)
  string(REGEX MATCH "(twopass_[a-z0-9_]+)\\(" name "${line}")
  string(APPEND exports "    ${CMAKE_MATCH_1};\n")
endforeach()
if(NOT exports)
  message(FATAL_ERROR "include/twopass.h: no function declarations found to export")
endif()
# No version node: an anonymous script adds no symbol of its own to the library.
file(WRITE ${PROJECT_BINARY_DIR}/twopass.map "{\n  global:\n${exports}  local: *;\n};\n")
target_link_options(twopass PRIVATE "LINKER:--version-script=${PROJECT_BINARY_DIR}/twopass.map")
set_property(TARGET twopass APPEND PROPERTY LINK_DEPENDS ${PROJECT_BINARY_DIR}/twopass.map)

# Before 1.0 every minor version may change the ABI, so the SONAME carries it.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(soversion 0.${PROJECT_VERSION_MINOR})
else()
  set(soversion ${PROJECT_VERSION_MAJOR})
endif()
set_target_properties(twopass PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${soversion})
