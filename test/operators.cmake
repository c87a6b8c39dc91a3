# Operator tests: one executable per test/*operator*.cc, each test case
# registered with ctest by gtest_discover_tests (through twopass_add_test of
# test/CMakeLists.txt, which includes this file).
#   softmax-operator-test          softmax and log-softmax: ISA x algorithm, sizes, strides,
#                                  guards, threads; softmax defaults, operator info, NT stores
#   log-softmax-operator-test      log-softmax defaults and operator info
#   softmax-operator-errors-test   every status of create/reshape/setup/run/delete
#   softmax-operator-xnnpack-test  the system XNNPACK softmax as a second oracle
#   ukernel-table-test             the operator's kernel table: every (ISA, role) once, rows
#                                  that agree with their names
#   softmax-operator-contract-test peaked rows, log-softmax at large
#                                  magnitude, hostile sizes and buffers, special rows
#   softmax-operator-masked-test   TWOPASS_FLAG_MASKED_ROWS_ZERO
#   softmax-operator-lse-test      the setup variants with an lse output
#   softmax-operator-x16-test      bf16 and f16 rows
#   softmax-operator-alignment-test  misaligned row and lse pointers; the non-temporal rule
#   plan-test                      the plan builder for recorded hosts (ISA, crossover,
#                                  non-temporal rule, schedule)
foreach(twopass_operator_test IN ITEMS
    softmax-operator log-softmax-operator softmax-operator-errors softmax-operator-xnnpack
    softmax-operator-contract softmax-operator-masked softmax-operator-lse softmax-operator-x16
    softmax-operator-alignment plan
    ukernel-table)
  twopass_add_test(${twopass_operator_test}-test
    ${CMAKE_CURRENT_LIST_DIR}/${twopass_operator_test}.cc
    LIBS twopass_static twopass_xnnpack twopass_pthreadpool)
endforeach()
