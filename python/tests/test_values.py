"""twopass.softmax / log_softmax against a float64 reference, scipy, and themselves."""

import threading

import numpy as np
import pytest

import twopass
from conftest import (assert_contract, assert_same_bits, host_has_avx512f, reference,
                      ref_log_softmax, ref_softmax)

FUNCTIONS = {False: twopass.softmax, True: twopass.log_softmax}
ISAS = ["scalar", "avx2"] + (["avx512f"] if host_has_avx512f() else [])


def sample(rng, shape, scale=4.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("beta", [1.0, 0.5, -2.0, 0.0])
@pytest.mark.parametrize("channels", [1, 7, 1000, 100000])
def test_reference(rng, log, beta, channels):
    x = sample(rng, (2 if channels == 100000 else 5, channels))
    y = FUNCTIONS[log](x, beta=beta)
    assert y.shape == x.shape and y.dtype == np.float32 and y.flags.c_contiguous
    assert_contract(y, reference(x, beta, log), log)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("shape", [(7,), (3, 7), (2, 3, 1000), (2, 1, 3, 5)])
def test_ranks(rng, log, shape):
    x = sample(rng, shape)
    for axis in (-1, len(shape) - 1):
        y = FUNCTIONS[log](x, axis=axis)
        assert y.shape == shape
        assert_contract(y, reference(x, 1.0, log), log)
    # A row is the same bits wherever it sits, whatever the rank.
    assert_same_bits(FUNCTIONS[log](x).reshape(-1, shape[-1]),
                     FUNCTIONS[log](x.reshape(-1, shape[-1])))


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("channels", [1, 7, 1000, 100000])
def test_scipy(rng, log, channels):
    special = pytest.importorskip("scipy.special")
    x = sample(rng, (3, channels))
    ref = (special.log_softmax if log else special.softmax)(x.astype(np.float64), axis=-1)
    assert_contract(FUNCTIONS[log](x), ref, log)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_large_products(rng, log):
    # Finite products far from 0, including the rows that need the shift step
    # (|beta*max| beyond 2^23) and products near FLT_MAX.
    for scale, beta in [(1e6, 1.0), (1e30, 1.0), (1e30, 0.5), (3e38, -1.0), (1e37, 4.0)]:
        x = (rng.uniform(-1, 1, (4, 1000)) * scale).astype(np.float32)
        x[:, 0] = scale  # a peak
        with np.errstate(over="ignore"):
            assert np.all(np.isfinite(x.astype(np.float64) * np.float32(beta)))
        assert_contract(FUNCTIONS[log](x, beta=beta), reference(x, beta, log), log)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("algorithm", ["two_pass", "three_pass"])
@pytest.mark.parametrize("isa", ISAS)
def test_forced_kernels(rng, log, algorithm, isa):
    x = sample(rng, (3, 40000))
    with twopass.Softmax(beta=0.5, log=log, algorithm=algorithm, isa=isa) as op:
        y = op(x)
        assert op.info["isa"] == isa and op.info["algorithm"] == algorithm
    assert_contract(y, reference(x, 0.5, log), log)


# ---- Layouts, out=, in place -----------------------------------------------------------
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_strided_rows(rng, log):
    f = FUNCTIONS[log]
    big = sample(rng, (6, 4, 1009))
    views = [
        big[0, :, :1000],        # rows at a stride of 1009 elements
        big[::2, 1, :1000],      # rows 2 * 4 * 1009 apart
        big[:, 1:3, :1000],      # 3-d, not one run of rows: a copy
        big[0, :, :2000:2],      # a step along the last axis: a copy
        big[0, :, :4].T,         # transposed: a copy
        big[0, ::-1, :1000],     # negative row stride: a copy
    ]
    for x in views:
        contiguous = np.ascontiguousarray(x)
        expected = f(contiguous)
        y = f(x)
        assert y.flags.c_contiguous
        assert_same_bits(y, expected)
        assert_contract(y, reference(contiguous, 1.0, log), log)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_out(rng, log):
    f = FUNCTIONS[log]
    x = sample(rng, (5, 1000))
    expected = f(x)
    out = np.empty_like(x)
    assert f(x, out=out) is out
    assert_same_bits(out, expected)
    # Strided out rows: the padding between them is left alone.
    padded = np.full((5, 1010), 7.0, np.float32)
    assert f(x, out=padded[:, :1000]) is not None
    assert_same_bits(padded[:, :1000], expected)
    assert np.all(padded[:, 1000:] == 7.0)
    # Strided in and out together, 3-d.
    x3 = sample(rng, (2, 3, 1013))[:, :, :1000]
    out3 = np.zeros((2, 3, 1024), np.float32)[:, :, :1000]
    f(x3, out=out3)
    assert_same_bits(out3, f(np.ascontiguousarray(x3)))


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
@pytest.mark.parametrize("channels", [7, 1000, 100000])
def test_in_place(rng, log, channels):
    # The C API computes in place when input == output with equal strides.
    f = FUNCTIONS[log]
    x = sample(rng, (3, channels))
    expected = f(x)
    assert f(x, out=x) is x
    assert_same_bits(x, expected)
    # A strided view, in place: the padding stays.
    big = sample(rng, (3, channels + 5))
    view = big[:, :channels]
    expected = f(view)
    pad = big[:, channels:].copy()
    f(view, out=view)
    assert_same_bits(view, expected)
    assert_same_bits(big[:, channels:], pad)
    # out a different view of the same rows: in place too.
    x = sample(rng, (3, channels))
    expected = f(x)
    f(x, out=x.reshape(x.shape))
    assert_same_bits(x, expected)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_overlap_not_in_place(rng, log):
    # Overlapping input and output other than in place: computed from a copy.
    f = FUNCTIONS[log]
    buf = sample(rng, (4, 1001))
    x, out = buf[:, 1:], buf[:, :-1]
    expected = f(x.copy())
    f(x, out=out)
    assert_same_bits(out, expected)


def test_empty():
    for shape in [(0,), (0, 5), (5, 0), (2, 0, 3), (3, 4, 0)]:
        x = np.empty(shape, np.float32)
        for f in FUNCTIONS.values():
            y = f(x)
            assert y.shape == shape and y.dtype == np.float32
            out = np.empty(shape, np.float32)
            assert f(x, out=out) is out
    op = twopass.Softmax()
    op(np.empty((0, 5), np.float32))
    with pytest.raises(twopass.InvalidStateError):
        op.info  # no C call was made


# ---- Special values (include/twopass.h, README.md "Numerics and threads") ------------
@pytest.mark.parametrize("channels", [7, 1000, 100000])
@pytest.mark.parametrize("algorithm", [None, "two_pass", "three_pass"])
def test_special_values(rng, channels, algorithm):
    inf, nan = np.inf, np.nan

    def rows(beta, specials):
        """(x, which rows are all NaN): a finite row first, then one row per case."""
        x = sample(rng, (1 + len(specials), channels))
        nan_rows = [False]
        for r, (values, is_nan) in enumerate(specials, start=1):
            if values == "all":
                x[r] = -inf if beta > 0 else inf
            else:
                x[r, [1, channels // 2, channels - 1][:len(values)]] = values
            nan_rows.append(is_nan)
        return x, np.array(nan_rows)

    cases = {
        # beta > 0: the rules apply to x itself.
        1.0: [([nan], True), ([inf], True), ([-inf], False), ([-inf, -inf], False),
              ([inf, -inf], True), ("all", True)],
        # beta < 0: +inf gives a -inf product (0), -inf makes the row NaN.
        -2.0: [([inf], False), ([inf, inf], False), ([-inf], True), ([nan], True),
               ("all", True)],
        # beta = 0: 0 * inf is NaN.
        0.0: [([inf], True), ([-inf], True), ([nan], True)],
    }
    for beta, specials in cases.items():
        if channels < 3:
            continue
        x, nan_rows = rows(beta, specials)
        for log in (False, True):
            with twopass.Softmax(beta=beta, log=log, algorithm=algorithm) as op:
                y = op(x)
            assert np.all(np.isnan(y[nan_rows])), (beta, log)
            for r in np.flatnonzero(~nan_rows):
                products = x[r].astype(np.float64) * beta
                zero = products == -inf
                if log:
                    assert np.all(y[r][zero] == -inf)
                else:
                    assert np.all(y[r][zero] == 0.0)
                finite = x[r][~zero][None, :]
                ref = ref_log_softmax(finite, beta) if log else ref_softmax(finite, beta)
                assert_contract(y[r][~zero][None, :], ref, log)
            # The special rows leave the others alone: row 0 is the bits it has alone.
            with twopass.Softmax(beta=beta, log=log, algorithm=algorithm) as op:
                assert_same_bits(y[:1], op(x[:1].copy()))


def test_beta_zero_is_uniform():
    x = np.array([[1.0, -3.0, 1e30, 0.0]], np.float32)
    assert_contract(twopass.softmax(x, beta=0.0), np.full((1, 4), 0.25), False)
    assert_contract(twopass.log_softmax(x, beta=0.0), np.full((1, 4), -np.log(4.0)), True)


# ---- Operators and threads ------------------------------------------------------------
@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_operator_reuse(rng, log):
    shapes = [(3, 7), (5, 1000), (3, 7), (2, 100000), (1, 1), (2, 3, 1000), (5, 1000)]
    arrays = [sample(rng, shape) for shape in shapes]
    op = twopass.Softmax(beta=-2.0, log=log)
    reshapes = []
    reshape = op._reshape
    op._reshape = lambda *args: reshapes.append(args[1:5]) or reshape(*args)
    for x in arrays:
        y = op(x)
        assert_same_bits(y, FUNCTIONS[log](x, beta=-2.0))
        assert_same_bits(op(x), y)  # same layout again: no reshape
    assert reshapes == [(7, 7, 7, 3), (1000, 1000, 1000, 5), (7, 7, 7, 3),
                        (100000, 100000, 100000, 2), (1, 1, 1, 1), (1000, 1000, 1000, 6),
                        (1000, 1000, 1000, 5)]
    info = op.info
    assert info["channels"] == 1000 and info["batch_size"] == 5 and info["threads"] == 1
    assert info["algorithm"] in ("two_pass", "three_pass")
    assert info["isa"] in ("scalar", "avx2", "avx512f")
    assert all(isinstance(k, str) for k in info["ukernels"][:2])
    op.close()
    op.close()  # twice is harmless
    with pytest.raises(ValueError, match="closed"):
        op(arrays[0])


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_same_arrays_again(rng, log):
    """A call with the same x and out runs the operator as set up, but sees what changed."""
    x = sample(rng, (4, 1000))
    out = np.empty_like(x)
    op = twopass.Softmax(log=log)
    setups = []
    setup = op._setup
    op._setup = lambda *args: setups.append(args) or setup(*args)
    assert op(x, out=out) is out
    x[1, 3] += 5.0  # new values, same buffers: no setup, the new values
    assert op(x, out=out) is out and len(setups) == 1
    assert_same_bits(out, FUNCTIONS[log](x.copy()))
    x.shape = (8, 500)  # the same buffer seen as other rows: set up again
    out.shape = (8, 500)
    assert_same_bits(op(x, out=out), FUNCTIONS[log](x.copy()))
    assert len(setups) == 2
    out.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        op(x, out=out)
    out.flags.writeable = True
    assert_same_bits(op(x, out=out), FUNCTIONS[log](x.copy()))
    with pytest.raises(TypeError):
        op(x.view(np.int32), out=out)


@pytest.mark.parametrize("log", [False, True], ids=["softmax", "log_softmax"])
def test_threads_same_bits(rng, log):
    # The C library's contract: a row's result is the same bits with any threadpool.
    f = FUNCTIONS[log]
    for shape in [(1, 100000), (3, 100000), (64, 7), (5, 40000)]:
        x = sample(rng, shape)
        one = f(x, threads=1)
        assert_same_bits(f(x, threads=2), one)
        assert_same_bits(f(x, threads=3), one)
        twopass.set_num_threads(2)
        assert twopass.get_num_threads() == 2
        assert_same_bits(f(x), one)
        with twopass.Softmax(log=log) as op:
            assert_same_bits(op(x), one)
            assert op.info["threads"] == 2
        with twopass.Softmax(log=log, threads=1) as op:
            assert_same_bits(op(x), one)
        twopass.set_num_threads(1)
        assert twopass.get_num_threads() == 1
    twopass.set_num_threads(0)  # one per processor
    assert twopass.get_num_threads() >= 1


def test_python_threads_share_an_operator(rng):
    x = sample(rng, (8, 5000))
    expected = twopass.softmax(x)
    op = twopass.Softmax()
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(op(x))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors and len(results) == 80
    for y in results:
        assert_same_bits(y, expected)
