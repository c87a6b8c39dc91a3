// Status assertions that print the statuses' names (googletest).
#pragma once

#include <gtest/gtest.h>

#include "testing/status.h"

#define TWOPASS_STATUS_CHECK(check, expected, call)                                 \
  do {                                                                              \
    const enum xnn_status twopass_status = (call);                                  \
    check(expected, twopass_status)                                                 \
        << #call << " returned " << ::twopass::testlib::StatusName(twopass_status)  \
        << ", expected " << ::twopass::testlib::StatusName(expected);               \
  } while (0)
#define EXPECT_STATUS(expected, call) TWOPASS_STATUS_CHECK(EXPECT_EQ, expected, call)
#define ASSERT_STATUS(expected, call) TWOPASS_STATUS_CHECK(ASSERT_EQ, expected, call)
