// ThreadSanitizer annotations for the system pthreadpool (TSan builds only).
//
// Debian's libpthreadpool is not instrumented and hands tasks to its worker
// threads through atomics and futex system calls, which ThreadSanitizer
// cannot see: every write a task makes would look like a race with the
// caller. This file interposes the pthreadpool_parallelize_* functions that
// twopass uses, calls the real ones (dlsym RTLD_NEXT) and adds exactly the
// ordering pthreadpool guarantees:
//   * everything the caller did before the call happens before every task
//     (the caller releases `start`, each task acquires it);
//   * every task happens before the call returns (each task releases `end`,
//     the caller acquires it after the real call).
// Tasks are NOT ordered with one another (no task acquires `end`), so two
// tasks of one call that touch the same memory are still reported.
// Linked into the TSan builds of the operator tests by test/reliability.cmake.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TWOPASS_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) && !defined(TWOPASS_TSAN)
#define TWOPASS_TSAN 1
#endif

#ifdef TWOPASS_TSAN

#include <dlfcn.h>
#include <pthreadpool.h>
#include <sanitizer/tsan_interface.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

struct Call {
  void* task;
  void* context;
  char start;  // addresses used as TSan synchronization objects
  char end;
};

template <typename Fn>
Fn Real(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (symbol == nullptr) {
    std::fprintf(stderr, "tsan-pthreadpool: %s not found\n", name);
    std::abort();
  }
  return reinterpret_cast<Fn>(symbol);
}

void Task1d(void* context, size_t i) {
  Call* call = static_cast<Call*>(context);
  __tsan_acquire(&call->start);
  reinterpret_cast<pthreadpool_task_1d_t>(call->task)(call->context, i);
  __tsan_release(&call->end);
}

void Task1dTile1d(void* context, size_t start, size_t tile) {
  Call* call = static_cast<Call*>(context);
  __tsan_acquire(&call->start);
  reinterpret_cast<pthreadpool_task_1d_tile_1d_t>(call->task)(call->context, start, tile);
  __tsan_release(&call->end);
}

void Task2d(void* context, size_t i, size_t j) {
  Call* call = static_cast<Call*>(context);
  __tsan_acquire(&call->start);
  reinterpret_cast<pthreadpool_task_2d_t>(call->task)(call->context, i, j);
  __tsan_release(&call->end);
}

// The C functions' types (pthreadpool.h also declares C++ overloads).
using Parallelize1d = void (*)(pthreadpool_t, pthreadpool_task_1d_t, void*, size_t, uint32_t);
using Parallelize1dTile1d = void (*)(pthreadpool_t, pthreadpool_task_1d_tile_1d_t, void*, size_t,
                                     size_t, uint32_t);
using Parallelize2d = void (*)(pthreadpool_t, pthreadpool_task_2d_t, void*, size_t, size_t,
                               uint32_t);

}  // namespace

extern "C" {

void pthreadpool_parallelize_1d(pthreadpool_t threadpool, pthreadpool_task_1d_t function,
                                void* context, size_t range, uint32_t flags) {
  static const auto real = Real<Parallelize1d>("pthreadpool_parallelize_1d");
  Call call = {reinterpret_cast<void*>(function), context, 0, 0};
  __tsan_release(&call.start);
  real(threadpool, Task1d, &call, range, flags);
  __tsan_acquire(&call.end);
}

void pthreadpool_parallelize_1d_tile_1d(pthreadpool_t threadpool,
                                        pthreadpool_task_1d_tile_1d_t function, void* context,
                                        size_t range, size_t tile, uint32_t flags) {
  static const auto real = Real<Parallelize1dTile1d>("pthreadpool_parallelize_1d_tile_1d");
  Call call = {reinterpret_cast<void*>(function), context, 0, 0};
  __tsan_release(&call.start);
  real(threadpool, Task1dTile1d, &call, range, tile, flags);
  __tsan_acquire(&call.end);
}

void pthreadpool_parallelize_2d(pthreadpool_t threadpool, pthreadpool_task_2d_t function,
                                void* context, size_t range_i, size_t range_j, uint32_t flags) {
  static const auto real = Real<Parallelize2d>("pthreadpool_parallelize_2d");
  Call call = {reinterpret_cast<void*>(function), context, 0, 0};
  __tsan_release(&call.start);
  real(threadpool, Task2d, &call, range_i, range_j, flags);
  __tsan_acquire(&call.end);
}

}  // extern "C"

#endif  // TWOPASS_TSAN
