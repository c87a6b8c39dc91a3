"""float16 and bfloat16 (ml_dtypes) arrays: float32 arithmetic, each output rounded
once to the dtype (the float contract plus half an ulp of the dtype)."""

import numpy as np
import pytest

import twopass
from conftest import ref_log_softmax, ref_softmax

FUNCTIONS = {False: twopass.softmax, True: twopass.log_softmax}
KINDS = pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])


def dtypes():
    found = [np.dtype(np.float16)]
    try:
        import ml_dtypes
        found.append(np.dtype(ml_dtypes.bfloat16))
    except ImportError:
        pass
    return found


DTYPES = pytest.mark.parametrize("dtype", dtypes(), ids=lambda d: d.name)


def half_ulp(dtype, r):
    mantissa, min_exponent = (10, -14) if dtype == np.float16 else (7, -126)
    exponent = np.maximum(min_exponent, np.floor(np.log2(np.maximum(np.abs(r), 1e-300))))
    return np.ldexp(1.0, (exponent - mantissa - 1).astype(int))


def assert_x16_contract(y, x, beta, log, dtype):
    assert y.dtype == dtype and y.shape == x.shape
    x32 = x.astype(np.float32)
    ref = ref_log_softmax(x32, beta) if log else ref_softmax(x32, beta)
    f32 = 2e-6 * np.maximum(1.0, np.abs(ref)) if log else 1e-5 * ref + 1e-37
    bound = f32 + half_ulp(dtype, np.abs(ref) + f32)
    y64 = y.astype(np.float64)
    # Log-softmax outputs beyond the dtype's range round to -inf.
    limit = 65520.0 if dtype == np.float16 else float(np.finfo(np.float32).max)
    beyond = (y64 == -np.inf) & (ref - bound < -limit)
    err = np.where(beyond, 0.0, np.abs(y64 - ref))
    assert np.all(err <= bound), "max excess %g" % (err - bound).max()


def assert_same_bits16(a, b):
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.view(np.uint16), b.view(np.uint16))


@DTYPES
@KINDS
@pytest.mark.parametrize("beta", [1.0, 0.5, -2.0])
@pytest.mark.parametrize("channels", [1, 33, 1000, 70000])
def test_values(rng, dtype, log, beta, channels):
    x = (rng.standard_normal((3, channels)) * 4).astype(dtype)
    y = FUNCTIONS[log](x, beta=beta)
    assert_x16_contract(y, x, beta, log, dtype)
    # The same bits with threads, and from a Softmax object with out=.
    assert_same_bits16(FUNCTIONS[log](x, beta=beta, threads=2), y)
    out = np.empty_like(x)
    with twopass.Softmax(beta, log, dtype=dtype) as op:
        op(x, out)
        assert op.info["algorithm"] == "two_pass"
        assert op.info["ukernels"][0].startswith("twopass_%s_" % op.datatype)
    assert_same_bits16(out, y)


@DTYPES
@KINDS
def test_special_rows_masked_and_lse(rng, dtype, log):
    x = (rng.standard_normal((4, 100)) * 2).astype(dtype)
    x[1, 3] = np.nan
    x[2] = -np.inf
    x[3, 1:] = -np.inf
    y, lse = FUNCTIONS[log](x, masked_rows_zero=True, return_lse=True)
    assert np.all(np.isnan(y[1])) and np.isnan(lse[1])
    assert np.all(y[2].astype(np.float32) == (-np.inf if log else 0.0)) and lse[2] == -np.inf
    assert abs(float(y[3, 0].astype(np.float32)) - (0.0 if log else 1.0)) <= 2e-6
    assert_x16_contract(y[:1], x[:1], 1.0, log, dtype)
    ref = np.log(np.exp(x[0].astype(np.float64)).sum())
    assert abs(lse[0] - ref) <= 2e-6 * max(1.0, abs(ref))


@DTYPES
@KINDS
def test_wide_rows(rng, dtype, log):
    # Products beyond the two-pass kernels' range: the operator's double path.
    big = 60000.0 if dtype == np.float16 else 1e30
    x = (rng.uniform(-1, 1, (2, 500)) * big).astype(dtype)
    assert_x16_contract(FUNCTIONS[log](x), x, 1.0, log, dtype)
    assert_x16_contract(FUNCTIONS[log](x, beta=100.0), x, 100.0, log, dtype)
