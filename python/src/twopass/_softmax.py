"""softmax, log_softmax and the Softmax operator object over numpy float32, float16 and
bfloat16 (ml_dtypes) arrays."""

import ctypes
import math
import numbers
import threading

import numpy as np

from . import _lib
from ._errors import error_for_status

__all__ = ["Softmax", "softmax", "log_softmax"]

try:
    from numpy.exceptions import AxisError
except ImportError:  # numpy < 1.25
    AxisError = np.AxisError

_FLOAT32 = np.dtype(np.float32)
# The C operators' datatypes by numpy dtype; bfloat16 is ml_dtypes' (found by
# name, so the package does not need ml_dtypes).
_SUPPORTED = "float32, float16 or bfloat16 (ml_dtypes)"


def _datatype(dtype):
    """"f32", "f16", "bf16" for a dtype the C API takes, else None."""
    if dtype == _FLOAT32:
        return "f32"
    if dtype == np.dtype(np.float16):
        return "f16"
    if dtype.name == "bfloat16" and dtype.itemsize == 2:
        return "bf16"
    return None
_ALGORITHMS = {None: 0, "two_pass": _lib.FLAG_TWO_PASS, "three_pass": _lib.FLAG_THREE_PASS}
_ISAS = {None: 0, "scalar": _lib.FLAG_ISA_SCALAR, "avx2": _lib.FLAG_ISA_AVX2,
         "avx512f": _lib.FLAG_ISA_AVX512F}
_ALGORITHM_NAMES = {1: "two_pass", 2: "three_pass"}


def _name(log):
    return "twopass.log_softmax" if log else "twopass.softmax"


def _check_array(a, what, log, dtype):
    """a is a numpy array of dtype (None: any dtype the C API takes)."""
    if not isinstance(a, np.ndarray):
        raise TypeError("%s: %s must be a numpy.ndarray of %s, got %s"
                        % (_name(log), what, dtype or _SUPPORTED, type(a).__name__))
    if dtype is None and _datatype(a.dtype) is None:
        raise TypeError("%s: %s must be %s, got %s (no conversion is made: pass "
                        "%s.astype(numpy.float32))" % (_name(log), what, _SUPPORTED, a.dtype,
                                                       what))
    if dtype is not None and a.dtype != dtype:
        raise TypeError("%s: %s must be %s, got %s (no conversion is made: pass "
                        "%s.astype(numpy.%s))" % (_name(log), what, dtype, a.dtype, what, dtype))
    if isinstance(a, np.ma.MaskedArray):
        raise TypeError("%s: %s is a masked array, whose mask twopass would ignore"
                        % (_name(log), what))


def _rows(a):
    """(batch, channels, row stride in elements) of a non-empty array whose rows
    along the last axis the C API can take as they are (aligned, element stride 1,
    the other axes one run of rows at a stride >= channels), else None."""
    if not a.flags.aligned:
        return None
    shape, strides, size = a.shape, a.strides, a.itemsize
    channels = shape[-1]
    if channels > 1 and strides[-1] != size:
        return None
    batch = 1
    row_stride = None  # bytes, of the innermost axis of the batch that has more than 1 row
    span = None        # bytes that the axes seen so far cover
    for i in range(len(shape) - 2, -1, -1):
        n, s = shape[i], strides[i]
        batch *= n
        if n == 1:
            continue
        if row_stride is None:
            row_stride = s
        elif s != span:
            return None
        span = s * n
    if row_stride is None:
        return batch, channels, channels
    if row_stride % size or row_stride < size * channels:
        return None
    return batch, channels, row_stride // size


def _check_axis(axis, ndim, log):
    if isinstance(axis, bool) or not hasattr(axis, "__index__"):
        raise TypeError("%s: axis must be an int (only the last axis is supported), got %r"
                        % (_name(log), axis))
    axis = axis.__index__()
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim, _name(log))
    if axis % ndim != ndim - 1:
        raise NotImplementedError(
            "%s: only the last axis (axis=-1 or %d) is supported, got axis=%d of a %d-d "
            "array; numpy.moveaxis(x, %d, -1) and a copy make it the last"
            % (_name(log), ndim - 1, axis, ndim, axis))


def _float32_beta(beta, log):
    if not isinstance(beta, numbers.Real):
        raise TypeError("%s: beta must be a real number, got %r" % (_name(log), beta))
    with np.errstate(over="ignore"):
        return float(np.float32(beta))


class Softmax:
    """A twopass softmax (log=True: log-softmax) operator over the last axis.

    It keeps the C operator: a call reshapes it only when the layout of the rows
    (row length, input and output row strides, number of rows) or the
    threadpool changes, and otherwise costs what twopass_setup_* and
    twopass_run_operator cost. beta is rounded to float32 (the operator's beta
    is a float); the result is softmax(beta * x) with the exact product.

    threads: None uses twopass.get_num_threads() at each call; an int (0: one
    per processor) fixes the pool. algorithm ("two_pass", "three_pass") and isa
    ("scalar", "avx2", "avx512f") force the choice (TWOPASS_FLAG_*); None lets
    reshape choose. masked_rows_zero=True: a row whose every beta*x is -inf
    (fully masked) gives zeros (log-softmax: -inf) instead of NaN
    (TWOPASS_FLAG_MASKED_ROWS_ZERO). dtype: of the arrays it takes, float32,
    float16 or ml_dtypes.bfloat16 (the C operators of that datatype: float32
    arithmetic, each output rounded once to it; always two-pass for 16-bit).

    One call at a time runs on an operator (a lock serializes the calls of
    several Python threads). close() or a with block frees the C operator.
    """

    def __init__(self, beta=1.0, log=False, threads=None, *, algorithm=None, isa=None,
                 masked_rows_zero=False, dtype=np.float32):
        self._op = None
        self._lock = threading.Lock()
        self._key = None
        # (x, out, lse, x.shape, x.strides, out.strides, pool) of the last setup
        self._bound = None
        self.log = bool(log)
        self.dtype = np.dtype(dtype)
        self.datatype = _datatype(self.dtype)
        if self.datatype is None:
            raise TypeError("twopass.Softmax: dtype must be %s, got %s" % (_SUPPORTED, self.dtype))
        self.beta = _float32_beta(beta, self.log)
        self.threads = None if threads is None else _lib.check_threads(threads)
        if algorithm not in _ALGORITHMS:
            raise ValueError("twopass.Softmax: algorithm must be one of %s, got %r"
                             % (sorted(k for k in _ALGORITHMS if k), algorithm))
        if isa not in _ISAS:
            raise ValueError("twopass.Softmax: isa must be one of %s, got %r"
                             % (sorted(k for k in _ISAS if k), isa))
        self.algorithm, self.isa = algorithm, isa
        self.masked_rows_zero = bool(masked_rows_zero)
        self.flags = (_ALGORITHMS[algorithm] | _ISAS[isa]
                      | (_lib.FLAG_MASKED_ROWS_ZERO if self.masked_rows_zero else 0))
        kind = (self.log, self.datatype)
        self._reshape = _lib.reshape[kind]
        self._setup = _lib.setup[kind]
        self._setup_with_lse = _lib.setup_with_lse[kind]
        op = ctypes.c_void_p()
        status = _lib.create[kind](self.beta, self.flags, ctypes.byref(op))
        if status != 0:
            raise error_for_status(status, self._c_name("create"), self._create_reason(status, beta))
        self._op = op.value

    def _c_name(self, step):
        return "twopass_%s_%s_nc_%s" % (step, "log_softmax" if self.log else "softmax",
                                        self.datatype)

    def _create_reason(self, status, beta):
        if status == 2 and not math.isfinite(self.beta):
            return "beta=%r is not finite%s" % (
                beta, " as a float32" if math.isfinite(float(beta)) else "")
        if status == 2:
            return "flags 0x%x (algorithm=%r, isa=%r) are unknown or conflict" % (
                self.flags, self.algorithm, self.isa)
        if status == 4:
            return "algorithm=%r: %s rows run two-pass only" % (self.algorithm, self.dtype)
        if status == 5:
            return "isa=%r: this processor does not have it" % self.isa
        if status == 6:
            return "the operator could not be allocated"
        return "beta=%r, flags 0x%x" % (beta, self.flags)

    def __call__(self, x, out=None, *, lse=None):
        """softmax (or log-softmax) of x over its last axis, into out if given
        (x's dtype and shape, writable, rows along the last axis at one stride), else
        into a new C-contiguous array; out may be x (in place). x and out are of
        the operator's dtype. lse, if given (a
        writable C-contiguous float32 array of shape x.shape[:-1] that shares no
        memory with x or out), receives each row's log(sum(exp(beta*x)))."""
        if self._rerun(x, out, lse, self.threads):
            return out
        _check_array(x, "x", self.log, self.dtype)
        if x.ndim == 0:
            raise AxisError(-1, 0, _name(self.log))
        return self._compute(x, out, self.threads, lse)

    def _rerun(self, x, out, lse, threads):
        """The same x, out and lse as the last call, unchanged (shape, strides,
        dtype, writeable): run the operator as it was set up, True. Holding the
        arrays (self._bound) keeps their buffers where they are: numpy does not
        resize an array in place while another reference exists."""
        bound = self._bound
        if (bound is None or x is not bound[0] or out is not bound[1] or lse is not bound[2]
                or x.shape != bound[3] or out.shape != bound[3]
                or x.strides != bound[4] or out.strides != bound[5]
                or x.dtype != self.dtype or out.dtype != self.dtype or not out.flags.writeable
                or (lse is not None and not _lse_unchanged(lse, x))):
            return False
        pool = _lib.pool(threads)
        with self._lock:
            if self._bound is not bound or pool != bound[6]:
                return False
            status = _lib.run_operator(self._op, pool)
        if status != 0:
            self._bound = None
            return False  # the full path reports it
        return True

    def _compute(self, x, out, threads, lse=None):
        log = self.log
        if self._op is None:
            raise ValueError("twopass.Softmax: the operator is closed")
        if lse is not None:
            _check_lse(lse, x, log)
        caller_x, caller_out = x, out
        if out is None:
            out = np.empty(x.shape, self.dtype)
            y_rows = None
        else:
            _check_array(out, "out", log, self.dtype)
            if out.shape != x.shape:
                raise ValueError("%s: out has shape %s, x has shape %s"
                                 % (_name(log), out.shape, x.shape))
            if not out.flags.writeable:
                raise ValueError("%s: out is read-only" % _name(log))
            y_rows = _rows(out) if out.size else None
            if out.size and y_rows is None:
                raise ValueError(
                    "%s: out (strides %s) must be aligned, contiguous along the last axis, "
                    "with its other axes one run of rows at a stride of at least a row "
                    "(a C-contiguous array is)" % (_name(log), out.strides))
        if x.size == 0:
            # channels 0 or no rows: nothing to compute (the C API rejects channels
            # 0); the lse of an empty row is log(0).
            if lse is not None:
                lse.fill(-np.inf)
            return out
        x_rows = _rows(x)
        if x_rows is None:
            # Not a layout the C API takes (e.g. a step along the last axis, or a
            # transposed array): computed from a C-contiguous copy.
            x = x.copy(order="C")  # also aligned (ascontiguousarray may return x)
            x_rows = _rows(x)
        elif out is not x and np.may_share_memory(x, out):
            if x.ctypes.data != out.ctypes.data or x_rows[2] != y_rows[2]:
                # Overlapping, and not in place: from a copy (as numpy's ufuncs do).
                x = x.copy()
                x_rows = _rows(x)
        batch, channels, input_stride = x_rows
        output_stride = channels if y_rows is None else y_rows[2]  # None: the new array
        x_ptr = x.ctypes.data
        y_ptr = x_ptr if out is x else out.ctypes.data
        lse_ptr = None if lse is None else lse.ctypes.data
        pool = _lib.pool(threads)
        key = (channels, input_stride, output_stride, batch, pool)
        with self._lock:
            op = self._op
            self._bound = None
            if op is None:
                raise ValueError("twopass.Softmax: the operator is closed")
            if key != self._key:
                self._key = None
                status = self._reshape(op, channels, input_stride, output_stride, batch, pool)
                if status != 0:
                    raise error_for_status(status, self._c_name("reshape"), self._reshape_reason(
                        status, channels, input_stride, output_stride, batch))
                self._key = key
            if lse is None:
                status = self._setup(op, x_ptr, y_ptr)
            else:
                status = self._setup_with_lse(op, x_ptr, y_ptr, lse_ptr)
            if status != 0:
                self._key = None
                raise error_for_status(status, self._c_name("setup"), self._setup_reason(status))
            status = _lib.run_operator(op, pool)
            if status != 0:
                self._key = None
                raise error_for_status(status, "twopass_run_operator",
                                       "run before a successful setup")
            if x is caller_x and out is caller_out:  # no copy: the next call may rerun
                self._bound = (x, out, lse, x.shape, x.strides, out.strides, pool)
        return out

    def _reshape_reason(self, status, channels, input_stride, output_stride, batch):
        shape = "channels=%d, input_stride=%d, output_stride=%d, batch_size=%d" % (
            channels, input_stride, output_stride, batch)
        if status == 2:
            return shape + ": channels 0, a stride smaller than channels, or a batch " \
                "whose size in bytes does not fit in ptrdiff_t"
        if status == 6:
            return shape + ": the workspace (for rows longer than TWOPASS_CHUNK_ELEMENTS) " \
                "could not be allocated"
        return shape

    def _setup_reason(self, status):
        if status == 2:
            return ("input and output rows share elements other than in place, or the lse "
                    "array shares memory with either")
        if status == 3:
            return "setup before a successful reshape"
        return "setup"

    @property
    def info(self):
        """What the last reshape chose (twopass_get_operator_info), as a dict: algorithm
        ("two_pass" or "three_pass"), isa, ukernels (one name per pass, None for an
        unused pass), ukernel_tiles, l2_cache_bytes, llc_bytes, llc_share_bytes, and
        the shape it was reshaped for (channels, input_stride, output_stride,
        batch_size, threads). InvalidStateError before the first call with a
        non-empty array."""
        with self._lock:
            if self._op is None:
                raise ValueError("twopass.Softmax: the operator is closed")
            info = _lib.Info()
            status = _lib.get_operator_info(self._op, ctypes.byref(info))
            if status != 0:
                raise error_for_status(
                    status, "twopass_get_operator_info",
                    "no plan: the operator has not been called with a non-empty array yet, "
                    "or its last reshape failed")
            key = self._key
        result = {
            "algorithm": _ALGORITHM_NAMES.get(info.algorithm, info.algorithm),
            "isa": info.isa.decode(),
            "ukernels": tuple(None if k is None else k.decode() for k in info.ukernels),
            "ukernel_tiles": tuple(info.ukernel_tiles),
            "l2_cache_bytes": info.l2_cache_bytes,
            "llc_bytes": info.llc_bytes,
            "llc_share_bytes": info.llc_share_bytes,
        }
        if key is not None:
            result.update(channels=key[0], input_stride=key[1], output_stride=key[2],
                          batch_size=key[3], threads=_lib.threads_count(key[4]))
        return result

    def close(self):
        """Deletes the C operator (twopass_delete_operator); later calls raise ValueError."""
        with self._lock:
            op, self._op, self._key, self._bound = self._op, None, None, None
        if op is not None:
            _lib.delete_operator(op)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_op", None) is not None:
            try:
                self.close()
            except Exception:  # at interpreter exit the modules may be gone already
                pass

    def __repr__(self):
        return ("twopass.Softmax(beta=%r, log=%r, threads=%r, algorithm=%r, isa=%r, "
                "masked_rows_zero=%r)%s" % (
                    self.beta, self.log, self.threads, self.algorithm, self.isa,
                    self.masked_rows_zero, " (closed)" if self._op is None else ""))


# twopass.softmax / log_softmax keep an operator per (log, beta) in each Python
# thread, so that repeated calls cost what an operator's call costs.
_CACHE_SIZE = 8
_cache = threading.local()


def _cached_operator(log, beta, masked_rows_zero, dtype):
    ops = getattr(_cache, "ops", None)
    if ops is None:
        ops = _cache.ops = {}
    if not isinstance(beta, numbers.Real):
        raise TypeError("%s: beta must be a real number, got %r" % (_name(log), beta))
    # Betas that round to one float32 may get two operators: harmless.
    key = (log, beta, bool(masked_rows_zero), dtype)
    op = ops.get(key)
    if op is None:
        op = Softmax(beta, log, masked_rows_zero=masked_rows_zero, dtype=dtype)
        if len(ops) >= _CACHE_SIZE:
            ops.pop(next(iter(ops))).close()
        ops[key] = op
    return op


def _function(x, axis, beta, out, threads, log, masked_rows_zero, return_lse):
    _check_array(x, "x", log, None)
    if x.ndim == 0:
        raise AxisError(axis if isinstance(axis, int) else -1, 0, _name(log))
    _check_axis(axis, x.ndim, log)
    if threads is not None:
        threads = _lib.check_threads(threads)
    op = _cached_operator(log, beta, masked_rows_zero, x.dtype)
    if not return_lse:
        return op._compute(x, out, threads)
    lse = np.empty(x.shape[:-1], _FLOAT32)
    return op._compute(x, out, threads, lse), lse


def _check_lse(lse, x, log):
    _check_array(lse, "lse", log, _FLOAT32)
    if lse.shape != x.shape[:-1]:
        raise ValueError("%s: lse has shape %s, it must be x.shape[:-1] = %s"
                         % (_name(log), lse.shape, x.shape[:-1]))
    if not lse.flags.writeable or not lse.flags.c_contiguous or not lse.flags.aligned:
        raise ValueError("%s: lse must be a writable, aligned, C-contiguous array"
                         % _name(log))


def _lse_unchanged(lse, x):
    return (lse.dtype == _FLOAT32 and lse.shape == x.shape[:-1] and lse.flags.writeable
            and lse.flags.c_contiguous)


def softmax(x, axis=-1, beta=1.0, out=None, threads=None, *, masked_rows_zero=False,
            return_lse=False):
    """softmax(beta * x) over the last axis of an array of any rank >= 1.

    exp(beta*x_i) / sum_j exp(beta*x_j) per row, with the exact product beta*x
    (beta rounded to float32). x must be a float32, float16 or bfloat16
    (ml_dtypes) numpy array (TypeError otherwise: no conversion); the 16-bit
    ones compute in float32 and round each output once to x's dtype. A layout
    the C API cannot take as it is (a step
    along the last axis, a transposed array) is computed from a contiguous copy.
    out, if given: x's dtype and shape, writable, contiguous along the last axis
    with the rows at one stride (ValueError otherwise); out=x computes in place.
    threads: None uses twopass.get_num_threads() (default 1); the results are the
    same bits for any thread count. Only axis=-1 (or ndim-1) is supported
    (NotImplementedError for another axis). An empty x gives an empty result.
    masked_rows_zero=True: a row whose every beta*x is -inf gives zeros instead
    of NaN. return_lse=True returns (y, lse), lse (shape x.shape[:-1], float32)
    each row's log(sum_j exp(beta*x_j)), from the same pass (-inf for a fully
    masked row, NaN for a NaN row).
    """
    return _function(x, axis, beta, out, threads, False, masked_rows_zero, return_lse)


def log_softmax(x, axis=-1, beta=1.0, out=None, threads=None, *, masked_rows_zero=False,
                return_lse=False):
    """log-softmax: beta*x_i - log(sum_j exp(beta*x_j)) over the last axis; the
    arguments as for twopass.softmax (masked_rows_zero=True: -inf for a fully masked
    row instead of NaN)."""
    return _function(x, axis, beta, out, threads, True, masked_rows_zero, return_lse)
