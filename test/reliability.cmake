# Reliability tests (docs/reliability.md). Included from
# test/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/reliability.cmake)
#
#   page-guard-microkernel-test   every kernel, every remainder, rows ending at /
#                                 starting after a PROT_NONE page
#   page-guard-operator-test      the operators' rows at guard pages, every ISA,
#                                 algorithm and kind
#   page-guard-planted-bug-test   broken kernel stand-ins must crash at the guards
#   operator-concurrency-test     many operators on many threads, shared and own
#                                 pools, reuse with changing batch sizes
#   fuzz/                         replay of the fuzz corpus and regressions, the
#                                 oracle self-test, and (TWOPASS_BUILD_FUZZERS=ON,
#                                 clang) the libFuzzer binaries
# In a ThreadSanitizer build (-fsanitize=thread in CMAKE_CXX_FLAGS) the
# operator tests are linked with test/concurrency/tsan-pthreadpool.cc, which
# makes the system pthreadpool's task hand-off visible to TSan.
find_package(GTest REQUIRED)
include(GoogleTest)
get_filename_component(TWOPASS_RELIABILITY_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)

function(twopass_reliability_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE
    ${TWOPASS_RELIABILITY_ROOT} ${TWOPASS_RELIABILITY_ROOT}/include)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} twopass_testing GTest::gtest_main
    cpuinfo::cpuinfo m)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES LABELS reliability)
endfunction()

set(TWOPASS_RELIABILITY_TEST_DIR ${TWOPASS_RELIABILITY_ROOT}/test)
twopass_reliability_test(page-guard-microkernel-test
  SOURCES ${TWOPASS_RELIABILITY_TEST_DIR}/page-guard-microkernel.cc
  LIBS twopass_microkernels)
twopass_reliability_test(page-guard-operator-test
  SOURCES ${TWOPASS_RELIABILITY_TEST_DIR}/page-guard-operator.cc
  LIBS twopass_static twopass_pthreadpool)
twopass_reliability_test(page-guard-planted-bug-test
  SOURCES ${TWOPASS_RELIABILITY_TEST_DIR}/page-guard-planted-bug.cc
  LIBS twopass_microkernels)
twopass_reliability_test(operator-concurrency-test
  SOURCES ${TWOPASS_RELIABILITY_TEST_DIR}/operator-concurrency.cc
  LIBS twopass_static twopass_pthreadpool)

add_subdirectory(${TWOPASS_RELIABILITY_ROOT}/fuzz ${CMAKE_BINARY_DIR}/fuzz)

# ThreadSanitizer: annotate the uninstrumented pthreadpool in every test that
# runs operators on a pool (at the end of this directory, once the operator
# tests of test/operators.cmake exist).
if(CMAKE_CXX_FLAGS MATCHES "sanitize=thread")
  function(twopass_reliability_tsan_annotate)
    foreach(target IN ITEMS operator-concurrency-test page-guard-operator-test
        softmax-operator-test log-softmax-operator-test softmax-operator-errors-test
        softmax-operator-xnnpack-test)
      if(TARGET ${target})
        target_sources(${target} PRIVATE
          ${TWOPASS_RELIABILITY_TEST_DIR}/concurrency/tsan-pthreadpool.cc)
        target_link_libraries(${target} PRIVATE ${CMAKE_DL_LIBS})
      endif()
    endforeach()
  endfunction()
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.19)
    cmake_language(DEFER CALL twopass_reliability_tsan_annotate)
  else()
    twopass_reliability_tsan_annotate()  # targets defined so far
  endif()
endif()
