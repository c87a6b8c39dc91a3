// Tester of the f32-rmin kernels: the f32-rmax tester with the min reduction.
#pragma once

#include "test/rmax-microkernel-tester.h"
