#include "testing/page-guard.h"  // IWYU pragma: export
