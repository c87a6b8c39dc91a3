#include "testing/float-bits.h"  // IWYU pragma: export
