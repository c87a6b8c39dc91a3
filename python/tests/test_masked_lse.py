"""masked_rows_zero and the rows' log-sum-exp (return_lse, Softmax(..., lse=))."""

import numpy as np
import pytest

import twopass
from conftest import assert_contract, assert_same_bits, products, reference

FUNCTIONS = {False: twopass.softmax, True: twopass.log_softmax}
KINDS = pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])


def ref_lse(x, beta=1.0):
    p = products(x, beta)
    m = p.max(axis=-1)
    return m + np.log(np.exp(p - m[..., None]).sum(axis=-1))


def assert_lse(lse, x, beta=1.0):
    assert lse.dtype == np.float32 and lse.shape == x.shape[:-1]
    ref = ref_lse(x, beta)
    err = np.abs(lse.astype(np.float64) - ref)
    assert np.all(err <= 2e-6 * np.maximum(1.0, np.abs(ref))), (lse, ref)


def masked_batch(rng, channels, sign=-1.0):
    x = (rng.standard_normal((4, channels)) * 3).astype(np.float32)
    x[1] = sign * np.inf
    x[3, :] = -np.inf
    x[3, channels // 2] = 0.5  # one finite product: an ordinary row
    return x


@KINDS
@pytest.mark.parametrize("channels", [1, 17, 1000, 70000])
def test_masked_rows_zero(rng, log, channels):
    x = masked_batch(rng, channels)
    y = FUNCTIONS[log](x, masked_rows_zero=True)
    assert np.all(y[1] == (-np.inf if log else 0.0))
    if not log:
        assert not np.any(np.signbit(y[1]))
    rows = [0, 2, 3]
    with np.errstate(invalid="ignore"):
        assert_contract(y[rows], reference(x[rows], 1.0, log), log)
    # Without the flag the masked row is NaN, the others the same bits.
    plain = FUNCTIONS[log](x)
    assert np.all(np.isnan(plain[1]))
    assert_same_bits(plain[rows], y[rows])


@KINDS
def test_masked_rows_keep_nan_and_negative_beta(rng, log):
    x = np.full((3, 50), -np.inf, np.float32)
    x[0, 7] = np.nan
    x[1, 3] = np.inf
    y = FUNCTIONS[log](x, masked_rows_zero=True)
    assert np.all(np.isnan(y[:2])) and np.all(y[2] == (-np.inf if log else 0.0))
    # beta < 0: x = +inf gives beta*x = -inf.
    y = FUNCTIONS[log](np.full((2, 9), np.inf, np.float32), beta=-0.5, masked_rows_zero=True)
    assert np.all(y == (-np.inf if log else 0.0))


@KINDS
@pytest.mark.parametrize("beta", [1.0, 0.5, -2.0])
@pytest.mark.parametrize("channels", [1, 100, 5000, 100000])
def test_return_lse(rng, log, beta, channels):
    x = (rng.standard_normal((3, channels)) * 5).astype(np.float32)
    y, lse = FUNCTIONS[log](x, beta=beta, return_lse=True)
    assert_contract(y, reference(x, beta, log), log)
    assert_lse(lse, x, beta)
    special = pytest.importorskip("scipy.special")
    assert np.allclose(lse, special.logsumexp(products(x, beta), axis=-1), rtol=2e-6, atol=2e-6)


@KINDS
def test_lse_special_rows_and_threads(rng, log):
    x = (rng.standard_normal((4, 40000)) * 2).astype(np.float32)
    x[1, 5] = np.nan
    x[2] = -np.inf
    _, lse = FUNCTIONS[log](x, return_lse=True)
    assert np.isnan(lse[1]) and lse[2] == -np.inf
    assert_lse(lse[[0, 3]], x[[0, 3]])
    _, lse_masked = FUNCTIONS[log](x, return_lse=True, masked_rows_zero=True)
    assert_same_bits(lse, lse_masked)
    _, lse4 = FUNCTIONS[log](x, return_lse=True, threads=4)
    assert_same_bits(lse, lse4)
    # Ranks: lse has the leading axes.
    x3 = x.reshape(2, 2, 40000)
    _, lse3 = FUNCTIONS[log](x3, return_lse=True)
    assert lse3.shape == (2, 2)
    assert_same_bits(lse3.reshape(-1), lse)


def test_softmax_object_lse(rng):
    x = (rng.standard_normal((5, 300)) * 4).astype(np.float32)
    out = np.empty_like(x)
    lse = np.empty(5, np.float32)
    with twopass.Softmax(log=True) as op:
        op(x, out, lse=lse)
        assert_lse(lse, x)
        first = lse.copy()
        lse.fill(0)
        op(x, out, lse=lse)  # the same arrays: the rerun path writes lse too
        assert_same_bits(first, lse)
        op(x, out)  # without lse the array is left alone
        assert_same_bits(first, lse)
        with pytest.raises(ValueError, match="lse has shape"):
            op(x, out, lse=np.empty(4, np.float32))
        with pytest.raises(TypeError):
            op(x, out, lse=np.empty(5, np.float64))
        with pytest.raises(twopass.InvalidParameterError, match="lse"):
            op(x, out, lse=x[0, :5])  # shares memory with x
    empty = np.empty((3, 0), np.float32)
    _, lse = twopass.softmax(empty, return_lse=True)
    assert lse.shape == (3,) and np.all(lse == -np.inf)
