// pthreadpool for tests and benchmarks: an owning handle, and pools shared
// by a whole process.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include <pthreadpool.h>

namespace twopass {
namespace testlib {

struct PoolDeleter {
  void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
};

// Owns a pool; 0 threads means no pool (NULL: the calling thread).
class ThreadPool {
 public:
  explicit ThreadPool(size_t threads) {
    if (threads == 0) return;
    pool_.reset(pthreadpool_create(threads));
    if (!pool_) {
      std::fprintf(stderr, "pthreadpool_create(%zu) failed\n", threads);
      std::abort();
    }
  }
  pthreadpool_t get() const { return pool_.get(); }

 private:
  std::unique_ptr<pthreadpool, PoolDeleter> pool_;
};

// A pool of `threads` threads shared by all callers of the process (created
// on first use, destroyed at exit); 0: NULL.
inline pthreadpool_t SharedPool(size_t threads) {
  static std::mutex mutex;
  static std::map<size_t, ThreadPool> pools;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = pools.find(threads);
  if (it == pools.end()) it = pools.emplace(threads, ThreadPool(threads)).first;
  return it->second.get();
}

// pthreadpool workers spin-wait (up to a million pause instructions) after
// every parallel call before they sleep: on a two-core CI machine, pools of
// 2 and 4 threads left spinning between runs would cost the tests more CPU
// time than the operators. Quiesce() wakes the workers for an empty call with
// PTHREADPOOL_FLAG_YIELD_WORKERS, after which they sleep at once.
inline void Quiesce(pthreadpool_t pool) {
  const size_t threads = pthreadpool_get_threads_count(pool);
  if (pool != nullptr && threads > 1) {
    pthreadpool_parallelize_1d(
        pool, [](void*, size_t) {}, nullptr, threads, PTHREADPOOL_FLAG_YIELD_WORKERS);
  }
}

}  // namespace testlib
}  // namespace twopass
