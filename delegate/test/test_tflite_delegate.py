"""libtwopass_tflite_delegate.so under a real TFLite interpreter (ai-edge-litert,
or tflite-runtime for the oldest layout): models built at test time
(models.py), each run three ways: TFLite's own kernels only (the reference),
the default (TFLite with its XNNPACK delegate) and through the twopass delegate.

  scripts/test-delegate.sh          # builds the library, runs this file
"""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

import models
from conftest import LIBRARY, ROOT, runtime

SOFTMAX_OPS = ("SOFTMAX", "LOG_SOFTMAX")

# Last-axis sizes from 1 to 1e6 over ranks 1 to 4 (32768: twopass's chunk).
SHAPES = [
    [1], [1000], [1000000],
    [3, 1], [8, 777], [4, 32769],
    [2, 3, 4096], [2, 1, 100000],
    [2, 2, 2, 33], [1, 2, 3, 65536],
]
OPERATIONS = [("SOFTMAX", 1.0), ("SOFTMAX", 0.5), ("SOFTMAX", 2.7), ("LOG_SOFTMAX",)]


def model_or_skip(shape, ops, dtype="float32"):
    data = models.model_bytes(shape, ops, dtype)
    if data is None:
        pytest.skip("no schema module and no cached model (TWOPASS_TFLITE_MODEL_DIR)")
    return data


def interpreter(tfl, model, how, library=None, options=None, num_threads=None):
    """how: "reference" (TFLite's kernels only), "default" (with XNNPACK),
    "twopass" (the delegate, then XNNPACK), "twopass-only" (the delegate, then
    TFLite's kernels)."""
    kwargs = {"model_content": model}
    if num_threads is not None:
        kwargs["num_threads"] = num_threads
    if how in ("reference", "twopass-only"):
        kwargs["experimental_op_resolver_type"] = \
            tfl.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    delegate = None
    if how.startswith("twopass"):
        delegate = tfl.load_delegate(library, options or {})
        kwargs["experimental_delegates"] = [delegate]
    it = tfl.Interpreter(**kwargs)
    it.allocate_tensors()
    it._twopass_delegate = delegate  # kept alive with the interpreter
    return it


def invoke(it, x):
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"]).copy()


def products(x, beta):
    with np.errstate(invalid="ignore"):
        return float(beta) * x.astype(np.float64)


def reference64(x, op):
    """softmax(beta x) or log_softmax(x) in float64, from the exact products."""
    beta = op[1] if op[0] == "SOFTMAX" else 1.0
    z = products(x, beta)
    m = z.max(axis=-1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=-1, keepdims=True)
    if op[0] == "SOFTMAX":
        return e / s
    return z - m - np.log(s)


def check_contract(y, ref, op):
    """README.md, "Numerics and threads"."""
    assert y.shape == ref.shape
    if op[0] == "SOFTMAX":
        err = np.abs(y - ref) - (1e-5 * ref + 1e-37)
        assert err.max() <= 0, "softmax: max excess error %g" % err.max()
        sums = y.astype(np.float64).sum(axis=-1)
        assert np.abs(sums - 1).max() <= 1e-5
    else:
        err = np.abs(y - ref) - 2e-6 * np.maximum(1, np.abs(ref))
        assert err.max() <= 0, "log-softmax: max excess error %g" % err.max()


def check_close_to_tflite(y, y_tflite, ref, op, rel=2e-4):
    """TFLite's own kernels are less accurate (up to ~5e-5 relative at 1e6;
    tflite-runtime 2.14's XNNPACK softmax up to ~5e-4, its float sum)."""
    if op[0] == "SOFTMAX":
        bound = rel * np.maximum(ref, y_tflite) + 1e-30
    else:
        bound = rel * np.maximum(1, np.abs(ref))
    assert (np.abs(y - y_tflite) <= bound).all(), "max difference %g" % np.abs(y - y_tflite).max()


def claims(counters, before):
    now = counters.read()
    assert now["layout_failures"] == before["layout_failures"], "the layout check failed"
    return {k: now[k] - before[k] for k in now}


# ---- Single SOFTMAX / LOG_SOFTMAX models -------------------------------------------------
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: "-".join(str(p) for p in op))
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_softmax_models(tfl, library, counters, shape, op):
    model = model_or_skip(shape, [op])
    x = (np.random.default_rng(len(shape) * 7 + shape[-1]).standard_normal(shape) * 3)
    x = x.astype(np.float32)
    ref = reference64(x, op)
    y_tflite = invoke(interpreter(tfl, model, "reference"), x)
    y_default = invoke(interpreter(tfl, model, "default"), x)
    before = counters.read()
    it = interpreter(tfl, model, "twopass", library)
    y = invoke(it, x)
    delta = claims(counters, before)
    assert delta["claimed_nodes"] == 1 and delta["invocations"] == 1
    check_contract(y, ref, op)
    check_close_to_tflite(y, y_tflite, ref, op)
    check_close_to_tflite(y, y_default, ref, op, rel=2e-3)


@pytest.mark.parametrize("shape", [[5, 1000], [2, 200000]], ids=lambda s: "x".join(map(str, s)))
def test_negative_beta(tfl, library, counters, shape):
    op = ("SOFTMAX", -0.5)
    model = model_or_skip(shape, [op])
    x = (np.random.default_rng(3).standard_normal(shape) * 3).astype(np.float32)
    before = counters.read()
    y = invoke(interpreter(tfl, model, "twopass", library), x)
    assert claims(counters, before)["claimed_nodes"] == 1
    check_contract(y, reference64(x, op), op)


@pytest.mark.parametrize("threads", [2, 3])
@pytest.mark.parametrize("op", [("SOFTMAX", 1.0), ("SOFTMAX", 2.7), ("LOG_SOFTMAX",)],
                         ids=lambda op: "-".join(str(p) for p in op))
def test_threads_give_the_same_bits(tfl, library, op, threads):
    shape = [3, 100000]
    model = model_or_skip(shape, [op])
    x = (np.random.default_rng(5).standard_normal(shape) * 3).astype(np.float32)
    one = invoke(interpreter(tfl, model, "twopass", library, {"num_threads": "1"}), x)
    many = invoke(interpreter(tfl, model, "twopass", library, {"num_threads": str(threads)}), x)
    assert np.array_equal(one.view(np.uint32), many.view(np.uint32))


# ---- The mixed model: ADD -> SOFTMAX -> LOG_SOFTMAX -> MUL ----------------------------------
MIXED = [("ADD", 0.5), ("SOFTMAX", 1.0), ("LOG_SOFTMAX",), ("MUL", 2.0)]


def mixed_reference(x):
    x1 = x.astype(np.float64) + 0.5
    s = reference64(x1, ("SOFTMAX", 1.0))
    return 2.0 * reference64(s, ("LOG_SOFTMAX",))


@pytest.mark.parametrize("how", ["twopass", "twopass-only"])
def test_mixed_model(tfl, library, counters, how):
    shape = [4, 1000]
    model = model_or_skip(shape, MIXED)
    x = np.random.default_rng(9).standard_normal(shape).astype(np.float32)
    y_tflite = invoke(interpreter(tfl, model, "reference"), x)
    before = counters.read()
    it = interpreter(tfl, model, how, library, {"strict": "1"})
    y = invoke(it, x)
    y = invoke(it, x)
    delta = claims(counters, before)
    assert delta["claimed_nodes"] == 2 and delta["invocations"] == 4
    np.testing.assert_allclose(y, y_tflite, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(y, mixed_reference(x), rtol=1e-5, atol=1e-5)
    if how == "twopass-only":
        # Without TFLite's default delegate, every DELEGATE node is twopass's,
        # and they produce the outputs of the SOFTMAX and the LOG_SOFTMAX.
        ops = it._get_ops_details()
        names = [op["op_name"] for op in ops]
        assert names.count("DELEGATE") == 2, names
        produced = {op["op_name"]: list(op["outputs"]) for op in ops if op["op_name"] != "DELEGATE"}
        delegated = sorted(list(op["outputs"]) for op in ops if op["op_name"] == "DELEGATE")
        assert delegated == sorted([produced["SOFTMAX"], produced["LOG_SOFTMAX"]])


# ---- Special values of the contract (include/twopass.h) -----------------------------------
def special_rows(n=40):
    rng = np.random.default_rng(11)
    x = (rng.standard_normal((7, n)) * 3).astype(np.float32)
    x[1, 5] = np.nan                       # a NaN: the row is NaN
    x[2, 7] = np.inf                       # +inf: NaN (beta > 0)
    x[3, :] = -np.inf                      # all -inf: NaN
    x[4, ::2] = -np.inf                    # some -inf: exactly 0 (log: -inf)
    x[5, :] = 1e4 + x[5, :]                # far from 0: no overflow
    x[6, 3] = -np.inf                      # one -inf
    x[6, 9] = np.inf                       # and one +inf
    return x


def special_expected(x, op):
    beta = op[1] if op[0] == "SOFTMAX" else 1.0
    p = products(x, beta)
    expected = np.empty(x.shape, np.float64)
    for r in range(x.shape[0]):
        row = p[r]
        if np.isnan(row).any() or (row == np.inf).any() or (row == -np.inf).all():
            expected[r] = np.nan
            continue
        finite = np.isfinite(row)
        z = row[finite]
        m = z.max()
        s = np.exp(z - m).sum()
        if op[0] == "SOFTMAX":
            expected[r] = 0.0
            expected[r, finite] = np.exp(z - m) / s
        else:
            expected[r] = -np.inf
            expected[r, finite] = z - m - np.log(s)
    return expected


@pytest.mark.parametrize("op", [("SOFTMAX", 1.0), ("SOFTMAX", 0.5), ("SOFTMAX", -0.5),
                                ("LOG_SOFTMAX",)], ids=lambda op: "-".join(str(p) for p in op))
def test_special_values(tfl, library, counters, op):
    x = special_rows()
    model = model_or_skip(list(x.shape), [op])
    before = counters.read()
    y = invoke(interpreter(tfl, model, "twopass", library), x)
    assert claims(counters, before)["claimed_nodes"] == 1
    expected = special_expected(x, op)
    nan = np.isnan(expected)
    assert np.array_equal(np.isnan(y), nan), "NaN rows differ"
    inf = np.isinf(expected)
    assert np.array_equal(y[inf], expected[inf]), "-inf outputs differ"
    if op[0] == "SOFTMAX":
        zero = expected == 0
        assert (y[zero] == 0).all(), "masked elements are not exactly 0"
    ok = ~nan & ~inf
    np.testing.assert_allclose(y[ok], expected[ok], rtol=1e-5, atol=2e-6)


# ---- Resize -----------------------------------------------------------------------------------
@pytest.mark.parametrize("op", [("SOFTMAX", 0.5), ("LOG_SOFTMAX",)],
                         ids=lambda op: "-".join(str(p) for p in op))
def test_resize(tfl, library, counters, op):
    model = model_or_skip([8, 777], [op])
    before = counters.read()
    it = interpreter(tfl, model, "twopass", library, {"num_threads": "2"})
    rng = np.random.default_rng(13)
    for shape in ([8, 777], [3, 777], [16, 4096], [2, 4, 50], [1, 100000], [8, 777]):
        it.resize_tensor_input(it.get_input_details()[0]["index"], shape)
        it.allocate_tensors()
        x = (rng.standard_normal(shape) * 3).astype(np.float32)
        y = invoke(it, x)
        check_contract(y, reference64(x, op), op)
    delta = claims(counters, before)
    assert delta["claimed_nodes"] == 1 and delta["invocations"] == 6


# ---- Options ----------------------------------------------------------------------------------
@pytest.mark.parametrize("options, message", [
    ({"num_threads": "lots"}, "twopass: bad option num_threads=lots"),
    ({"num_threads": "-2"}, "twopass: bad option num_threads=-2"),
    ({"num_threads": "100000"}, "twopass: bad option num_threads=100000"),
    ({"strict": "maybe"}, "twopass: bad option strict=maybe"),
    ({"verbose": ""}, "twopass: bad option verbose="),
    ({"threads": "2"}, "twopass: unknown option threads"),
    ({"masked_rows_zero": "yes"}, "twopass: bad option masked_rows_zero=yes"),
])
def test_bad_options(tfl, library, options, message):
    with pytest.raises(ValueError) as error:
        tfl.load_delegate(library, options)
    assert message in str(error.value)


def test_threads_default_to_the_interpreter(tfl, library, capfd):
    model = model_or_skip([2, 1000], [("SOFTMAX", 1.0)])
    for threads, options in ((2, {}), (1, {}), (3, {"num_threads": "3"})):
        options = dict(options, verbose="1")
        it = interpreter(tfl, model, "twopass", library, options, num_threads=threads if not
                         options.get("num_threads") else 2)
        invoke(it, np.zeros((2, 1000), np.float32))
        err = capfd.readouterr().err
        assert "1 of 1 nodes taken, %d thread(s)" % threads in err, err


@pytest.mark.parametrize("op", [("SOFTMAX", 1.0), ("SOFTMAX", 0.5), ("LOG_SOFTMAX",)],
                         ids=lambda op: "-".join(str(p) for p in op))
def test_masked_rows_zero(tfl, library, counters, op):
    """masked_rows_zero=1: fully masked rows give zeros (-inf for LOG_SOFTMAX); TFLite's
    own kernels and the default option give NaN; the other rows are as without it."""
    model = model_or_skip([4, 1000], [op])
    x = (np.random.default_rng(5).standard_normal((4, 1000)) * 3).astype(np.float32)
    x[1] = -np.inf
    x[3, 1:] = -np.inf
    before = counters.read()
    with np.errstate(invalid="ignore"):
        y_tflite = invoke(interpreter(tfl, model, "reference"), x)
        y_plain = invoke(interpreter(tfl, model, "twopass", library), x)
        y = invoke(interpreter(tfl, model, "twopass", library, {"masked_rows_zero": "1"}), x)
    assert claims(counters, before)["claimed_nodes"] == 2
    assert np.all(np.isnan(y_tflite[1])) and np.all(np.isnan(y_plain[1]))
    assert np.all(y[1] == (-np.inf if op[0] == "LOG_SOFTMAX" else 0.0))
    rows = [0, 2, 3]
    assert np.array_equal(y[rows].view(np.uint32), y_plain[rows].view(np.uint32))
    check_contract(y[[0, 2]], reference64(x[[0, 2]], op), op)
    log = op[0] == "LOG_SOFTMAX"
    assert y[3, 0] == (0.0 if log else 1.0) and np.all(y[3, 1:] == (-np.inf if log else 0.0))


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: "-".join(str(p) for p in op))
@pytest.mark.parametrize("shape", [[1], [8, 777], [2, 3, 4096], [1, 70000]],
                         ids=lambda s: "x".join(map(str, s)))
def test_float16_models(tfl, library, counters, shape, op):
    """float16 SOFTMAX / LOG_SOFTMAX, which TFLite's kernels do not take: twopass's f16
    operators, against the float64 reference of the float16 inputs (the float contract
    plus half an ulp of float16)."""
    model = model_or_skip(shape, [op], "float16")
    x = (np.random.default_rng(shape[-1]).standard_normal(shape) * 3).astype(np.float16)
    before = counters.read()
    y = invoke(interpreter(tfl, model, "twopass-only", library), x)
    assert claims(counters, before)["claimed_nodes"] == 1
    assert y.dtype == np.float16 and y.shape == x.shape
    ref = reference64(x.astype(np.float32), op)
    tolerance = (1e-5 * ref + 1e-37) if op[0] == "SOFTMAX" else 2e-6 * np.maximum(1, np.abs(ref))
    half_ulp = np.ldexp(1.0, np.floor(np.log2(np.maximum(np.abs(ref) + tolerance, 2.0 ** -14)))
                        .astype(int) - 11)
    assert (np.abs(y.astype(np.float64) - ref) <= tolerance + half_ulp).all()
    # The same bits from twopass's Python package (where installed), which runs the
    # same operators.
    try:
        import twopass
    except ImportError:
        return
    kind = twopass.softmax if op[0] == "SOFTMAX" else twopass.log_softmax
    expected = kind(x, beta=op[1]) if op[0] == "SOFTMAX" else kind(x)
    assert np.array_equal(y.view(np.uint16), expected.view(np.uint16))


def test_strict_never_trips(tfl, library, counters):
    """strict=1 on this runtime: the layout check passes (a failure would raise)."""
    model = model_or_skip([4, 1000], MIXED)
    before = counters.read()
    for how in ("twopass", "twopass-only"):
        interpreter(tfl, model, how, library, {"strict": "1", "verbose": "0"})
    assert claims(counters, before)["claimed_nodes"] == 4


def test_exports_only_the_header(library):
    out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("nm not available")
    names = sorted(line.split()[-1] for line in out.stdout.splitlines() if line.strip())
    assert names == sorted([
        "tflite_plugin_create_delegate", "tflite_plugin_destroy_delegate",
        "twopass_tflite_delegate_claimed_nodes", "twopass_tflite_delegate_invocations",
        "twopass_tflite_delegate_layout_failures"])
    out = subprocess.run(["nm", "-D", "--undefined-only", library], capture_output=True, text=True)
    assert "TfLite" not in out.stdout


# ---- The README's example ------------------------------------------------------------------------
def test_readme_example(tfl, library, counters, tmp_path, monkeypatch):
    text = open(os.path.join(ROOT, "README.md")).read()
    section = text.split("\n## TFLite delegate\n", 1)[1].split("\n## ", 1)[0]
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(snippet.strip().splitlines()) == 5, snippet
    assert '"build/libtwopass_tflite_delegate.so"' in snippet
    model = model_or_skip([8, 1000], [("SOFTMAX", 1.0)])
    (tmp_path / "model.tflite").write_bytes(model)
    monkeypatch.chdir(tmp_path)
    snippet = snippet.replace('"build/libtwopass_tflite_delegate.so"', repr(library))
    if runtime()[1].startswith("tflite-runtime"):
        snippet = snippet.replace("ai_edge_litert.interpreter", "tflite_runtime.interpreter")
    before = counters.read()
    namespace = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    assert claims(counters, before)["claimed_nodes"] == 1


# ---- A layout the delegate does not recognise ---------------------------------------------------
@pytest.fixture(scope="module")
def wrong_stride_library(library, tmp_path_factory):
    """The delegate built with a tensor stride of 104 bytes instead of 112, as
    if the runtime's tensor had changed size."""
    archive = os.path.join(os.path.dirname(library), "libtwopass.a")
    if not os.path.exists(archive):
        pytest.skip("no libtwopass.a beside the delegate")
    out = str(tmp_path_factory.mktemp("wrong-stride") / "libtwopass_tflite_delegate.so")
    command = [os.environ.get("CC", "cc"), "-O1", "-shared", "-fPIC", "-fvisibility=hidden",
               "-DTWOPASS_TFLITE_TEST_TENSOR_STRIDE=104", "-I", ROOT, "-I",
               os.path.join(ROOT, "include"), os.path.join(ROOT, "delegate", "tflite-delegate.c"),
               archive, "-lpthreadpool", "-lcpuinfo", "-lm", "-ldl", "-Wl,--no-undefined",
               "-o", out]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError:
        pytest.skip("no C compiler")
    if result.returncode != 0:
        pytest.fail("building the wrong-stride variant failed:\n" + result.stderr)
    return out


def test_layout_mismatch(tfl, wrong_stride_library, capfd):
    from conftest import Counters
    counters = Counters(wrong_stride_library)
    model = model_or_skip([4, 1000], MIXED)
    x = np.random.default_rng(9).standard_normal([4, 1000]).astype(np.float32)
    before = counters.read()
    # Not strict: a warning, nothing taken, the model still runs (on TFLite).
    it = interpreter(tfl, model, "twopass-only", wrong_stride_library)
    y = invoke(it, x)
    err = capfd.readouterr().err
    assert "twopass: TFLite context layout not recognised" in err, err
    assert len([line for line in err.splitlines() if line.startswith("twopass:")]) == 1, err
    now = counters.read()
    assert now["claimed_nodes"] == before["claimed_nodes"]
    assert now["layout_failures"] == before["layout_failures"] + 1
    assert "DELEGATE" not in [op["op_name"] for op in it._get_ops_details()]
    np.testing.assert_allclose(y, mixed_reference(x), rtol=1e-5, atol=1e-5)
    # strict=1: the interpreter's construction fails, saying why.
    with pytest.raises(RuntimeError, match="twopass: TFLite context layout not recognised"):
        interpreter(tfl, model, "twopass", wrong_stride_library, {"strict": "1"})
