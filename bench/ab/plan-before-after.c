// The operators of commit 1a6aa09 (symbols prefixed old_, shape at create)
// against the current ones (shape at reshape) in one process: the same
// buffers, runs alternated, fastest of R runs each (bench/ab/README.md).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <xnnpack.h>
#include <pthreadpool.h>
typedef struct twopass_operator* op_t;
enum xnn_status twopass_create_softmax_nc_f32(float, uint32_t, op_t*);
enum xnn_status twopass_create_log_softmax_nc_f32(float, uint32_t, op_t*);
enum xnn_status twopass_reshape_softmax_nc_f32(op_t, size_t, size_t, size_t, size_t, pthreadpool_t);
enum xnn_status twopass_reshape_log_softmax_nc_f32(op_t, size_t, size_t, size_t, size_t, pthreadpool_t);
enum xnn_status twopass_setup_softmax_nc_f32(op_t, const float*, float*);
enum xnn_status twopass_setup_log_softmax_nc_f32(op_t, const float*, float*);
enum xnn_status twopass_run_operator(op_t, pthreadpool_t);
enum xnn_status old_twopass_create_softmax_nc_f32(size_t, size_t, size_t, float, uint32_t, op_t*);
enum xnn_status old_twopass_create_log_softmax_nc_f32(size_t, size_t, size_t, float, uint32_t, op_t*);
enum xnn_status old_twopass_reshape_softmax_nc_f32(op_t, size_t, pthreadpool_t);
enum xnn_status old_twopass_reshape_log_softmax_nc_f32(op_t, size_t, pthreadpool_t);
enum xnn_status old_twopass_setup_softmax_nc_f32(op_t, const float*, float*);
enum xnn_status old_twopass_setup_log_softmax_nc_f32(op_t, const float*, float*);
enum xnn_status old_twopass_run_operator(op_t, pthreadpool_t);
static double now(void){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec*1e9+t.tv_nsec;}
#define CHECK(x) do { if ((x) != xnn_status_success) { fprintf(stderr, "%s failed\n", #x); exit(1);} } while (0)
int main(int argc, char** argv) {
  const size_t shapes[][2] = {{1,1000},{1,4096},{1,32000},{1,262144},{1,1048576},{1,4194304},{64,1000},{16,32000}};
  const char* names[] = {"softmax", "softmax_2p", "softmax_3p", "log", "log_2p", "log_3p", "softmax_b0.5"};
  const uint32_t flags[] = {0, 1, 2, 0, 1, 2, 0};
  double logsum = 0; int cases = 0;
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    const size_t b = shapes[s][0], c = shapes[s][1], n = b * c;
    float* x = aligned_alloc(4096, (n * 4 + 4095) / 4096 * 4096);
    float* y = aligned_alloc(4096, (n * 4 + 4095) / 4096 * 4096);
    srand(7); for (size_t i = 0; i < n; i++) x[i] = (rand() / (float) RAND_MAX) * 20 - 10;
    const int reps = n >= 1000000 ? 30 : n >= 100000 ? 200 : 2000;
    for (int v = 0; v < 7; v++) {
      const int is_log = v >= 3 && v <= 5; const float beta = v == 6 ? 0.5f : 1.0f;
      op_t a, bb;
      if (is_log) {
        CHECK(old_twopass_create_log_softmax_nc_f32(c, c, c, beta, flags[v], &a));
        CHECK(old_twopass_reshape_log_softmax_nc_f32(a, b, NULL)); CHECK(old_twopass_setup_log_softmax_nc_f32(a, x, y));
        CHECK(twopass_create_log_softmax_nc_f32(beta, flags[v], &bb));
        CHECK(twopass_reshape_log_softmax_nc_f32(bb, c, c, c, b, NULL)); CHECK(twopass_setup_log_softmax_nc_f32(bb, x, y));
      } else {
        CHECK(old_twopass_create_softmax_nc_f32(c, c, c, beta, flags[v], &a));
        CHECK(old_twopass_reshape_softmax_nc_f32(a, b, NULL)); CHECK(old_twopass_setup_softmax_nc_f32(a, x, y));
        CHECK(twopass_create_softmax_nc_f32(beta, flags[v], &bb));
        CHECK(twopass_reshape_softmax_nc_f32(bb, c, c, c, b, NULL)); CHECK(twopass_setup_softmax_nc_f32(bb, x, y));
      }
      double ta = 1e30, tb = 1e30;
      for (int r = 0; r < reps; r++) {
        double t0 = now(); CHECK(old_twopass_run_operator(a, NULL)); double t1 = now();
        CHECK(twopass_run_operator(bb, NULL)); double t2 = now();
        if (t1 - t0 < ta) ta = t1 - t0; if (t2 - t1 < tb) tb = t2 - t1;
      }
      printf("%-14s %zux%-8zu old %10.1f us  new %10.1f us  new/old %.3f\n", names[v], b, c, ta / 1e3, tb / 1e3, tb / ta);
      logsum += log(tb / ta); cases++;
    }
    free(x); free(y);
  }
  printf("geomean new/old %.3f over %d cases\n", exp(logsum / cases), cases);
}
