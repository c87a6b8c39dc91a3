#include "testing/guarded-pages.h"  // IWYU pragma: export
