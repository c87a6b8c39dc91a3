#include "testing/gtest-isa.h"  // IWYU pragma: export
