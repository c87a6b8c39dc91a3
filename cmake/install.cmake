# cmake --install: include/twopass.h, the library (the kernels are in it), a
# CMake package (find_package(twopass) -> twopass::twopass) and twopass.pc.
# Both the package and the .pc file are relocatable: they find the prefix from
# where they are, so `cmake --install <build> --prefix <anywhere>` works.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

target_include_directories(twopass INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
install(TARGETS twopass EXPORT twopassTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/twopass.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(TWOPASS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/twopass)
install(EXPORT twopassTargets NAMESPACE twopass:: DESTINATION ${TWOPASS_CMAKE_DIR})
# Before 1.0 a minor version may break the API: only the same minor version matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/twopassConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_SOURCE_DIR}/cmake/twopassConfig.cmake
  ${PROJECT_SOURCE_DIR}/cmake/twopass-dependencies.cmake
  ${PROJECT_BINARY_DIR}/twopassConfigVersion.cmake
  DESTINATION ${TWOPASS_CMAKE_DIR})

# twopass.pc. A static library does not carry its dependencies, so its
# consumers link them too (plain Libs: `pkg-config --libs` without --static
# must work, as there is no shared library beside it).
set(TWOPASS_PC_LIBS "-ltwopass -lpthreadpool -pthread")
get_target_property(TWOPASS_LIBRARY_TYPE twopass TYPE)
if(TWOPASS_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  string(APPEND TWOPASS_PC_LIBS " -lcpuinfo -lm")
endif()
# ${pcfiledir} up to the prefix: "../.." for lib/pkgconfig, "../../.." for
# lib/x86_64-linux-gnu/pkgconfig.
set(TWOPASS_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH TWOPASS_PC_TO_PREFIX /prefix/${TWOPASS_PC_DIR} /prefix)
string(REGEX REPLACE "/$" "" TWOPASS_PC_TO_PREFIX "${TWOPASS_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/twopass.pc.in ${PROJECT_BINARY_DIR}/twopass.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/twopass.pc DESTINATION ${TWOPASS_PC_DIR})
