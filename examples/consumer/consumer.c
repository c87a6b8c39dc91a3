// A program built against an installed twopass, as a project that uses it
// would be: log-softmax of one row on a pthreadpool, checked against a
// double-precision reference, and the header's version, which must be the one
// the build system reported (TWOPASS_EXPECTED_VERSION, when defined). Built by
// each consumer of this folder: CMakeLists.txt (find_package), Makefile
// (pkg-config), a plain cc line (scripts/check-install.sh) and Bazel
// (WORKSPACE, BUILD.bazel).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthreadpool.h>
#include <twopass.h>

#define STRINGIFY(x) #x
#define VERSION_STRING(major, minor, patch) \
  STRINGIFY(major) "." STRINGIFY(minor) "." STRINGIFY(patch)
#define TWOPASS_VERSION_STRING \
  VERSION_STRING(TWOPASS_VERSION_MAJOR, TWOPASS_VERSION_MINOR, TWOPASS_VERSION_PATCH)

int main(void) {
  enum { CHANNELS = 5000 };
  static float x[CHANNELS], y[CHANNELS];
  double max = -INFINITY, sum = 0.0;
  for (size_t i = 0; i < CHANNELS; i++) {
    x[i] = (float) ((i * 37) % 101) / 8.0f - 6.0f;
    max = x[i] > max ? x[i] : max;
  }
  for (size_t i = 0; i < CHANNELS; i++) {
    sum += exp(x[i] - max);
  }
  const double log_sum = max + log(sum);

  pthreadpool_t threadpool = pthreadpool_create(2);
  twopass_operator_t op = NULL;
  enum xnn_status status = twopass_create_log_softmax_nc_f32(1.0f, 0, &op);
  if (status == xnn_status_success) {
    status = twopass_reshape_log_softmax_nc_f32(op, CHANNELS, CHANNELS, CHANNELS, 1, threadpool);
  }
  if (status == xnn_status_success) {
    status = twopass_setup_log_softmax_nc_f32(op, x, y);
  }
  if (status == xnn_status_success) {
    status = twopass_run_operator(op, threadpool);
  }
  twopass_delete_operator(op);
  pthreadpool_destroy(threadpool);
  if (status != xnn_status_success) {
    fprintf(stderr, "twopass failed with status %d\n", (int) status);
    return EXIT_FAILURE;
  }

  // The contract (README.md): |y - ref| <= 2e-6 max(1, |x|, |log(sum exp x)|).
  size_t wrong = 0;    // NaN included
  double worst = 0.0;  // the largest error, relative to its bound
  for (size_t i = 0; i < CHANNELS; i++) {
    const double bound = 2e-6 * fmax(1.0, fmax(fabs(x[i]), fabs(log_sum)));
    const double error = fabs(y[i] - (x[i] - log_sum)) / bound;
    wrong += !(error <= 1.0);
    worst = fmax(worst, error);
  }
  printf("twopass %s: log-softmax of %d floats, %zu beyond the bound, largest error %.3f of it\n",
         TWOPASS_VERSION_STRING, CHANNELS, wrong, worst);
#ifdef TWOPASS_EXPECTED_VERSION
  if (strcmp(TWOPASS_VERSION_STRING, TWOPASS_EXPECTED_VERSION) != 0) {
    fprintf(stderr, "the header says %s, the build system %s\n", TWOPASS_VERSION_STRING,
            TWOPASS_EXPECTED_VERSION);
    return EXIT_FAILURE;
  }
#endif
  return wrong == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
