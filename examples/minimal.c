// Softmax over 8 rows of 1000 floats with twopass, on a pthreadpool.
#include <stdio.h>
#include <stdlib.h>

#include <pthreadpool.h>
#include <twopass.h>

int main(void) {
  enum { BATCH = 8, CHANNELS = 1000 };
  static float input[BATCH * CHANNELS], output[BATCH * CHANNELS];
  for (size_t i = 0; i < BATCH * CHANNELS; i++) {
    input[i] = (float) (i % 97) / 10.0f;
  }

  // 0 threads: one per core. A NULL pool runs on the calling thread.
  pthreadpool_t threadpool = pthreadpool_create(0);

  twopass_operator_t softmax = NULL;
  enum xnn_status status = twopass_create_softmax_nc_f32(/*beta=*/1.0f, /*flags=*/0, &softmax);
  if (status == xnn_status_success) {
    status = twopass_reshape_softmax_nc_f32(softmax, CHANNELS, /*input_stride=*/CHANNELS,
                                            /*output_stride=*/CHANNELS, BATCH, threadpool);
  }
  if (status == xnn_status_success) {
    status = twopass_setup_softmax_nc_f32(softmax, input, output);
  }
  if (status == xnn_status_success) {
    status = twopass_run_operator(softmax, threadpool);  // repeatable
  }
  twopass_delete_operator(softmax);  // NULL is rejected harmlessly
  pthreadpool_destroy(threadpool);
  if (status != xnn_status_success) {
    fprintf(stderr, "twopass failed with status %d\n", (int) status);
    return EXIT_FAILURE;
  }

  double sum = 0.0;
  for (size_t i = 0; i < CHANNELS; i++) {
    sum += output[i];
  }
  printf("sum of row 0: %.6f\n", sum);
  return sum > 0.9999 && sum < 1.0001 ? EXIT_SUCCESS : EXIT_FAILURE;
}
