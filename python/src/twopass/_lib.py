"""The bundled libtwopass, loaded with ctypes, and the package's pthreadpools.

The wheel holds libtwopass.so.<SOVERSION> next to this file (python/CMakeLists.txt
installs it there). pthreadpool_create, pthreadpool_destroy and
pthreadpool_get_threads_count are looked up through the same library handle:
dlsym on a handle also searches the libraries it depends on, so the pools come
from the very libpthreadpool.so.0 that libtwopass was linked against (Debian's
libpthreadpool0), with no helper exported by libtwopass and no second search
for the library.

ctypes releases the GIL around every call into these functions.
"""

import ctypes
import glob
import os
import threading

__all__ = ["lib", "library_path", "pool", "set_num_threads", "get_num_threads", "Info"]

_HERE = os.path.dirname(os.path.abspath(__file__))


def _find_library():
    found = sorted(glob.glob(os.path.join(_HERE, "libtwopass.so.*")))
    if len(found) != 1:
        raise ImportError(
            "twopass: expected one libtwopass.so.* in %s, found %s: the package is not "
            "installed from a wheel built by its pyproject.toml (pip install ./python)"
            % (_HERE, found or "none"))
    return found[0]


_PATH = _find_library()
lib = ctypes.CDLL(_PATH)


def library_path():
    """The path of the bundled libtwopass.so that the package calls."""
    return _PATH


class Info(ctypes.Structure):
    """struct twopass_operator_info of include/twopass.h."""

    _fields_ = [
        ("algorithm", ctypes.c_int),
        ("isa", ctypes.c_char_p),
        ("ukernels", ctypes.c_char_p * 3),
        ("l2_cache_bytes", ctypes.c_size_t),
        ("llc_bytes", ctypes.c_size_t),
        ("llc_share_bytes", ctypes.c_size_t),
        ("ukernel_tiles", ctypes.c_size_t * 3),
    ]


def _declare(name, restype, *argtypes):
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = argtypes
    return function


_status = ctypes.c_int  # enum xnn_status
_op = ctypes.c_void_p
_size = ctypes.c_size_t
_ptr = ctypes.c_void_p

# The entry points per (log-softmax?, datatype): "f32", "bf16", "f16".
DATATYPES = ("f32", "bf16", "f16")


def _per_kind(name, *argtypes):
    """{(log, datatype): the function}, name a format of (kind, datatype)."""
    return {(log, dt): _declare(name % ("log_softmax" if log else "softmax", dt), _status,
                                *argtypes)
            for log in (False, True) for dt in DATATYPES}


create = _per_kind("twopass_create_%s_nc_%s", ctypes.c_float, ctypes.c_uint32,
                   ctypes.POINTER(_op))
reshape = _per_kind("twopass_reshape_%s_nc_%s", _op, _size, _size, _size, _size, _ptr)
setup = _per_kind("twopass_setup_%s_nc_%s", _op, _ptr, _ptr)
setup_with_lse = _per_kind("twopass_setup_%s_nc_%s_with_lse", _op, _ptr, _ptr, _ptr)
run_operator = _declare("twopass_run_operator", _status, _op, _ptr)
delete_operator = _declare("twopass_delete_operator", _status, _op)
get_operator_info = _declare("twopass_get_operator_info", _status, _op, ctypes.POINTER(Info))

_pthreadpool_create = _declare("pthreadpool_create", _ptr, _size)
_pthreadpool_get_threads_count = _declare("pthreadpool_get_threads_count", _size, _ptr)

# include/twopass.h
FLAG_TWO_PASS = 0x1
FLAG_THREE_PASS = 0x2
FLAG_ISA_SCALAR = 0x10
FLAG_ISA_AVX2 = 0x20
FLAG_ISA_AVX512F = 0x40
FLAG_MASKED_ROWS_ZERO = 0x100

# ---- Threads ---------------------------------------------------------------------
# One pool per thread count asked for, created on first use and kept for the
# life of the process (idle workers wait, costing nothing): operators reshape
# for a pool and may be called with it again. 1 thread is the NULL pool (the
# calling thread, bitwise the same results as any pool). 0 is one thread per
# processor (pthreadpool's own count). A pool runs one computation at a time
# (pthreadpool serializes them), so Python threads may share it.
MAX_THREADS = 1024  # a guard against typos: pthreadpool starts every thread at once

_lock = threading.Lock()
_pools = {1: None}  # threads asked for -> pthreadpool_t (an int), or None
_default = 1


def check_threads(threads, what="threads"):
    if isinstance(threads, bool) or not hasattr(threads, "__index__"):
        raise TypeError("twopass: %s must be an int (0: one per processor), got %r"
                        % (what, threads))
    threads = threads.__index__()
    if not 0 <= threads <= MAX_THREADS:
        raise ValueError("twopass: %s must be 0 (one per processor) to %d, got %d"
                         % (what, MAX_THREADS, threads))
    return threads


def pool(threads=None):
    """The package's pthreadpool_t (int or None) for `threads` (None: the default)."""
    if threads is None:
        threads = _default
    try:
        return _pools[threads]
    except KeyError:
        pass
    with _lock:
        if threads not in _pools:
            handle = _pthreadpool_create(threads)
            if not handle:
                raise MemoryError("twopass: pthreadpool_create(%d) failed" % threads)
            _pools[threads] = handle
        return _pools[threads]


def threads_count(handle):
    return 1 if handle is None else _pthreadpool_get_threads_count(handle)


def set_num_threads(n):
    """Sets the threads that calls with threads=None use: n >= 1, or 0 for one per
    processor. The default is 1 (the calling thread only)."""
    global _default
    n = check_threads(n, "n")
    pool(n)
    _default = n


def get_num_threads():
    """The threads that calls with threads=None use (the actual count when set to 0)."""
    return threads_count(pool())


def _forget_pools():
    # A forked child has none of the parent's worker threads: its pools would
    # wait forever. They are dropped (not destroyed, which would wait too) and
    # created again on first use.
    global _pools
    _pools = {1: None}


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)
