"""References and contract checks for the twopass package's tests.

The contract (include/twopass.h, README.md "Numerics and threads"), against the
exact products beta*x (float32 beta times float32 x is exact in float64), for
finite products:
  softmax:     |y - ref| <= 1e-5 ref + 1e-37 and |sum(y) - 1| <= 1e-5
  log-softmax: |y - ref| <= 2e-6 max(1, |ref|)
"""

import numpy as np
import pytest

import twopass


def products(x, beta):
    """beta*x in float64: exact for float32 x and float32 beta."""
    return x.astype(np.float64) * np.float64(np.float32(beta))


def ref_softmax(x, beta=1.0):
    p = products(x, beta)
    e = np.exp(p - p.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def ref_log_softmax(x, beta=1.0):
    p = products(x, beta)
    shifted = p - p.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def reference(x, beta, log):
    return ref_log_softmax(x, beta) if log else ref_softmax(x, beta)


def assert_softmax_contract(y, ref):
    assert y.dtype == np.float32
    y64 = y.astype(np.float64)
    err = np.abs(y64 - ref)
    bound = 1e-5 * ref + 1e-37
    worst = np.unravel_index(np.argmax(err - bound), err.shape)
    assert np.all(err <= bound), "y=%r ref=%r at %s" % (y64[worst], ref[worst], worst)
    sums = y64.sum(axis=-1)
    assert np.all(np.abs(sums - 1) <= 1e-5), "row sums %r" % sums


FLT_MAX = float(np.finfo(np.float32).max)


def assert_log_softmax_contract(y, ref):
    assert y.dtype == np.float32
    y64 = y.astype(np.float64)
    # Outputs beyond the float range overflow to -inf (README.md); those within
    # the bound of it may be either.
    beyond = ref < -FLT_MAX * (1 + 2e-6)
    assert np.all(y64[beyond] == -np.inf)
    near = (ref < -FLT_MAX * (1 - 2e-6)) & (y64 == -np.inf)
    y64, ref = y64[~(beyond | near)], ref[~(beyond | near)]
    if ref.size == 0:
        return
    err = np.abs(y64 - ref)
    bound = 2e-6 * np.maximum(1.0, np.abs(ref))
    worst = np.unravel_index(np.argmax(err - bound), err.shape)
    assert np.all(err <= bound), "y=%r ref=%r at %s" % (y64[worst], ref[worst], worst)


def assert_contract(y, ref, log):
    (assert_log_softmax_contract if log else assert_softmax_contract)(y, ref)


def assert_same_bits(a, b):
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.view(np.uint32), b.view(np.uint32))


def host_has_avx512f():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx512f" in line for line in f)
    except OSError:
        return False


@pytest.fixture
def rng():
    return np.random.default_rng(20200115)


@pytest.fixture(autouse=True)
def default_threads():
    """Every test starts and ends with the package's default of 1 thread."""
    twopass.set_num_threads(1)
    yield
    twopass.set_num_threads(1)
