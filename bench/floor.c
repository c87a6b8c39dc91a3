// The bandwidth floor (bench/floor.h): the scalar passes, the run-time choice
// of ISA, and the passes split over a pthreadpool.
#include "bench/floor.h"

#include <math.h>
#include <pthread.h>

static float read_scalar(size_t n, const float* x) {
  float m0 = -INFINITY, m1 = -INFINITY, m2 = -INFINITY, m3 = -INFINITY;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    m0 = x[i] > m0 ? x[i] : m0;
    m1 = x[i + 1] > m1 ? x[i + 1] : m1;
    m2 = x[i + 2] > m2 ? x[i + 2] : m2;
    m3 = x[i + 3] > m3 ? x[i + 3] : m3;
  }
  for (; i < n; i++) m0 = x[i] > m0 ? x[i] : m0;
  m0 = m1 > m0 ? m1 : m0;
  m2 = m3 > m2 ? m3 : m2;
  return m2 > m0 ? m2 : m0;
}

static void copy_scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = x[i];
}

typedef float (*read_fn)(size_t, const float*);
typedef void (*copy_fn)(size_t, const float*, float*);

static struct {
  const char* isa;
  read_fn read;
  copy_fn copy;
  copy_fn copy_nt;  // the scalar ISA has none: its ordinary copy
} floor_impl;
static pthread_once_t floor_once = PTHREAD_ONCE_INIT;

static void choose(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    floor_impl.isa = "avx512f";
    floor_impl.read = twopass_floor_read__avx512f;
    floor_impl.copy = twopass_floor_copy__avx512f;
    floor_impl.copy_nt = twopass_floor_copy_nt__avx512f;
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    floor_impl.isa = "avx2";
    floor_impl.read = twopass_floor_read__avx2;
    floor_impl.copy = twopass_floor_copy__avx2;
    floor_impl.copy_nt = twopass_floor_copy_nt__avx2;
  } else {
    floor_impl.isa = "scalar";
    floor_impl.read = read_scalar;
    floor_impl.copy = copy_scalar;
    floor_impl.copy_nt = copy_scalar;
  }
}

const char* twopass_floor_isa(void) {
  pthread_once(&floor_once, choose);
  return floor_impl.isa;
}

float twopass_floor_read(size_t n, const float* x) {
  pthread_once(&floor_once, choose);
  return floor_impl.read(n, x);
}

void twopass_floor_copy(size_t n, const float* x, float* y, int nt) {
  pthread_once(&floor_once, choose);
  (nt ? floor_impl.copy_nt : floor_impl.copy)(n, x, y);
}

// Where the read pass's results go, so that it cannot be left out.
static volatile float floor_sink;

enum { kChunk = 32768 };

struct task {
  const float* x;
  float* y;
  size_t n;
  int pass;  // 0: read, 1: copy, 2: non-temporal copy
};

static void run_task(void* context, size_t start, size_t count) {
  const struct task* t = (const struct task*) context;
  if (count > t->n - start) count = t->n - start;
  if (t->pass == 0) {
    floor_sink = floor_impl.read(count, t->x + start);
  } else {
    (t->pass == 2 ? floor_impl.copy_nt : floor_impl.copy)(count, t->x + start, t->y + start);
  }
}

void twopass_floor(size_t n, const float* x, float* y, int nt, pthreadpool_t pool) {
  pthread_once(&floor_once, choose);
  if (pool == NULL || pthreadpool_get_threads_count(pool) <= 1) {
    floor_sink = floor_impl.read(n, x);
    (nt ? floor_impl.copy_nt : floor_impl.copy)(n, x, y);
    return;
  }
  struct task read = {x, y, n, 0};
  pthreadpool_parallelize_1d_tile_1d(pool, run_task, &read, n, kChunk, 0);
  struct task copy = {x, y, n, nt ? 2 : 1};
  pthreadpool_parallelize_1d_tile_1d(pool, run_task, &copy, n, kChunk, 0);
}

int twopass_floor_threads(size_t n, const float* x, float* y, int nt, size_t threads) {
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static pthreadpool_t pools[65];
  if (threads <= 1) {
    twopass_floor(n, x, y, nt, NULL);
    return 0;
  }
  if (threads >= sizeof(pools) / sizeof(pools[0])) return -1;
  pthread_mutex_lock(&lock);
  if (pools[threads] == NULL) pools[threads] = pthreadpool_create(threads);
  pthreadpool_t pool = pools[threads];
  pthread_mutex_unlock(&lock);
  if (pool == NULL) return -1;
  twopass_floor(n, x, y, nt, pool);
  return 0;
}
