// [PROT_NONE page][data pages][PROT_NONE page]: floats whose first one can
// start right after, and whose last one can end right before, an unmapped
// page. Reading or writing one byte past either end is a SIGSEGV, which also
// catches masked SIMD loads and stores that AddressSanitizer cannot see.
// The one mapping behind every guarded buffer of the tests and benchmarks.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>

namespace twopass {
namespace testlib {

class GuardedPages {
 public:
  // Room for at least `min_floats` floats (at least one page), read-write.
  explicit GuardedPages(size_t min_floats) {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    data_bytes_ = (min_floats * sizeof(float) + page_ - 1) / page_ * page_;
    if (data_bytes_ == 0) data_bytes_ = page_;
    total_bytes_ = data_bytes_ + 2 * page_;
    void* mapping = mmap(nullptr, total_bytes_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) {
      std::perror("mmap");
      std::abort();
    }
    base_ = static_cast<char*>(mapping);
    ReadWrite();
  }
  GuardedPages(const GuardedPages&) = delete;
  GuardedPages& operator=(const GuardedPages&) = delete;
  ~GuardedPages() { munmap(base_, total_bytes_); }

  // The first float after the leading guard page (page-aligned), and one past
  // the last float before the trailing one.
  float* begin() const { return reinterpret_cast<float*>(base_ + page_); }
  float* end() const { return reinterpret_cast<float*>(base_ + page_ + data_bytes_); }
  size_t capacity() const { return data_bytes_ / sizeof(float); }

  // n floats whose last one ends exactly where the trailing guard page starts.
  float* AtEnd(size_t n) const { return end() - n; }
  // n floats whose first one starts exactly where the leading guard page ends.
  float* AtStart(size_t) const { return begin(); }

  void ReadOnly() { Protect(PROT_READ); }
  void ReadWrite() { Protect(PROT_READ | PROT_WRITE); }

 private:
  void Protect(int protection) {
    if (mprotect(base_ + page_, data_bytes_, protection) != 0) {
      std::perror("mprotect");
      std::abort();
    }
  }

  char* base_ = nullptr;
  size_t page_ = 0;
  size_t data_bytes_ = 0;
  size_t total_bytes_ = 0;
};

}  // namespace testlib

// The microkernel testers' name for it.
using testlib::GuardedPages;

}  // namespace twopass
