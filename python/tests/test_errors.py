"""Bad arguments, the status exceptions, and the package's metadata."""

import os
import re

import numpy as np
import pytest

import twopass
from twopass._errors import STATUS_NAMES, error_for_status
from conftest import host_has_avx512f

FUNCTIONS = [twopass.softmax, twopass.log_softmax]
X = np.ones((3, 7), np.float32)


@pytest.mark.parametrize("f", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.int64, np.uint8, np.int16, bool,
                                   np.complex64, np.dtype(">f4"), np.dtype(">f2")])
def test_other_dtypes_are_not_converted(f, dtype):
    x = np.ones((3, 7), dtype)
    with pytest.raises(TypeError, match="float32, float16 or bfloat16"):
        f(x)
    with pytest.raises(TypeError, match="float32"):
        twopass.Softmax()(x)
    with pytest.raises(TypeError, match="out must be float32"):
        f(X, out=np.empty((3, 7), dtype))


@pytest.mark.parametrize("f", FUNCTIONS)
def test_out_has_the_dtype_of_x(f):
    with pytest.raises(TypeError, match="out must be float16"):
        f(X.astype(np.float16), out=np.empty((3, 7), np.float32))
    with pytest.raises(TypeError, match="x must be float32"):
        twopass.Softmax()(X.astype(np.float16))
    with pytest.raises(TypeError, match="dtype must be"):
        twopass.Softmax(dtype=np.float64)
    with pytest.raises(twopass.UnsupportedParameterError, match="two-pass only"):
        twopass.Softmax(dtype=np.float16, algorithm="three_pass")


@pytest.mark.parametrize("f", FUNCTIONS)
def test_not_arrays(f):
    for x in ([1.0, 2.0], 1.0, np.float32(1.0), None, "x"):
        with pytest.raises(TypeError, match="numpy.ndarray"):
            f(x)
    with pytest.raises(TypeError, match="numpy.ndarray"):
        f(X, out=[[0.0] * 7] * 3)
    with pytest.raises(TypeError, match="masked"):
        f(np.ma.masked_array(X, mask=X > 2))


@pytest.mark.parametrize("f", FUNCTIONS)
def test_axis(f):
    with pytest.raises(NotImplementedError, match="only the last axis"):
        f(X, axis=0)
    with pytest.raises(NotImplementedError, match="only the last axis"):
        f(X, axis=-2)
    for axis in (2, -3, 100):
        with pytest.raises(ValueError, match="out of bounds"):  # numpy's AxisError
            f(X, axis=axis)
    for axis in (None, 1.0, "1", True):
        with pytest.raises(TypeError, match="axis must be an int"):
            f(X, axis=axis)
    assert f(X, axis=np.int64(1)).shape == X.shape
    assert f(X[0], axis=0).shape == (7,)
    # 0-d: there is no last axis.
    for x in (np.array(1.0, np.float32), np.zeros((), np.float32)):
        with pytest.raises(ValueError, match="out of bounds"):
            f(x)
        with pytest.raises(ValueError, match="out of bounds"):
            twopass.Softmax()(x)


@pytest.mark.parametrize("f", FUNCTIONS)
def test_bad_out(f):
    with pytest.raises(ValueError, match=r"out has shape \(3, 8\), x has shape \(3, 7\)"):
        f(X, out=np.empty((3, 8), np.float32))
    with pytest.raises(ValueError, match="shape"):
        f(X, out=np.empty((21,), np.float32))
    with pytest.raises(ValueError, match="shape"):
        f(X, out=np.empty((1, 3, 7), np.float32))
    readonly = np.empty((3, 7), np.float32)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        f(X, out=readonly)
    with pytest.raises(ValueError, match="contiguous along the last axis"):
        f(X, out=np.empty((3, 14), np.float32)[:, ::2])
    with pytest.raises(ValueError, match="contiguous along the last axis"):
        f(X, out=np.empty((7, 3), np.float32).T)
    unaligned = np.zeros(4 * 21 + 1, np.uint8)[1:].view(np.float32).reshape(3, 7)
    assert not unaligned.flags.aligned
    with pytest.raises(ValueError, match="aligned"):
        f(X, out=unaligned)
    unaligned[...] = X  # as the input: computed from an aligned copy
    np.testing.assert_array_equal(f(unaligned), f(X))
    overlapping = np.lib.stride_tricks.as_strided(np.empty(20, np.float32), (3, 7), (4 * 6, 4))
    with pytest.raises(ValueError, match="contiguous along the last axis"):
        f(X, out=overlapping)


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("beta", [float("inf"), float("-inf"), float("nan"), 1e300, -1e39])
def test_non_finite_beta(log, beta):
    # twopass_create_* rejects a non-finite beta: xnn_status_invalid_parameter.
    f = twopass.log_softmax if log else twopass.softmax
    for call in (lambda: f(X, beta=beta), lambda: twopass.Softmax(beta=beta, log=log)):
        with pytest.raises(twopass.InvalidParameterError, match="beta") as caught:
            call()
        e = caught.value
        assert isinstance(e, twopass.TwopassError) and isinstance(e, ValueError)
        assert e.status == 2 and e.status_name == "xnn_status_invalid_parameter"
        assert "log_softmax" in str(e) if log else "create_softmax" in str(e)
        assert "not finite" in str(e)


def test_beta_type():
    for beta in ("1", None, 1j, [1.0]):
        with pytest.raises(TypeError, match="beta must be a real number"):
            twopass.softmax(X, beta=beta)
        with pytest.raises(TypeError, match="beta must be a real number"):
            twopass.Softmax(beta=beta)
    assert twopass.Softmax(beta=np.float64(0.5)).beta == 0.5
    assert twopass.Softmax(beta=2).beta == 2.0
    assert twopass.Softmax(beta=0.1).beta == float(np.float32(0.1))


def test_flags():
    with pytest.raises(ValueError, match="algorithm must be one of"):
        twopass.Softmax(algorithm="one_pass")
    with pytest.raises(ValueError, match="isa must be one of"):
        twopass.Softmax(isa="sse2")
    if host_has_avx512f():
        assert twopass.Softmax(isa="avx512f")(X).shape == X.shape
    else:
        with pytest.raises(twopass.UnsupportedHardwareError, match="avx512f") as caught:
            twopass.Softmax(isa="avx512f")
        assert caught.value.status == 5
        assert caught.value.status_name == "xnn_status_unsupported_hardware"


def test_threads_arguments():
    for bad in (-1, twopass._lib.MAX_THREADS + 1):
        with pytest.raises(ValueError, match="threads must be"):
            twopass.softmax(X, threads=bad)
        with pytest.raises(ValueError, match="threads must be"):
            twopass.Softmax(threads=bad)
        with pytest.raises(ValueError, match="n must be"):
            twopass.set_num_threads(bad)
    for bad in (1.5, "2", True):
        with pytest.raises(TypeError, match="threads must be an int"):
            twopass.softmax(X, threads=bad)
        with pytest.raises(TypeError, match="must be an int"):
            twopass.set_num_threads(bad)
    assert twopass.get_num_threads() == 1


def test_info_before_a_call():
    op = twopass.Softmax()
    with pytest.raises(twopass.InvalidStateError, match="twopass_get_operator_info") as caught:
        op.info
    assert caught.value.status == 3 and isinstance(caught.value, RuntimeError)
    op(X)
    assert op.info["channels"] == 7
    with op:
        pass
    with pytest.raises(ValueError, match="closed"):
        op.info
    assert "closed" in repr(op)


def test_status_classes():
    expected = {
        1: (twopass.UninitializedError, RuntimeError),
        2: (twopass.InvalidParameterError, ValueError),
        3: (twopass.InvalidStateError, RuntimeError),
        4: (twopass.UnsupportedParameterError, ValueError),
        5: (twopass.UnsupportedHardwareError, RuntimeError),
        6: (twopass.OutOfMemoryError, MemoryError),
    }
    for status, (cls, base) in expected.items():
        e = error_for_status(status, "twopass_f", "because")
        assert type(e) is cls and isinstance(e, base) and isinstance(e, twopass.TwopassError)
        assert e.status == status and e.status_name == STATUS_NAMES[status]
        assert str(e) == "twopass_f: %s: because" % STATUS_NAMES[status]
        assert cls.status == status
    e = error_for_status(99, "twopass_f", "because")
    assert type(e) is twopass.TwopassError and e.status == 99


def test_c_statuses_reach_python():
    # The C library's own checks, through the bindings: reshape with channels 0,
    # a stride smaller than channels; run before setup; the other operator kind.
    from twopass import _lib
    op = twopass.Softmax()
    assert _lib.reshape[False, "f32"](op._op, 0, 0, 0, 1, None) == 2
    assert _lib.reshape[False, "f32"](op._op, 8, 7, 8, 2, None) == 2
    assert _lib.run_operator(op._op, None) == 3
    assert _lib.reshape[True, "f32"](op._op, 7, 7, 7, 3, None) == 2
    assert _lib.reshape[False, "f16"](op._op, 7, 7, 7, 3, None) == 2  # the other datatype
    op._key = None  # the operator lost its plan: the next call reshapes
    y = op(X)
    assert np.allclose(y, 1 / 7)


def test_version_and_library():
    assert re.fullmatch(r"\d+\.\d+\.\d+", twopass.__version__)
    header = os.path.join(os.path.dirname(__file__), "..", "..", "include", "twopass.h")
    if os.path.exists(header):
        text = open(header).read()
        parts = [re.search(r"#define TWOPASS_VERSION_%s (\d+)" % p, text).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        assert twopass.__version__ == ".".join(parts)
    path = twopass.library_path()
    assert os.path.isfile(path)
    assert os.path.dirname(path) == os.path.dirname(os.path.abspath(twopass.__file__))
    assert re.fullmatch(r"libtwopass\.so\.\d+\.\d+|libtwopass\.so\.\d+", os.path.basename(path))
