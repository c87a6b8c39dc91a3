"""Fixtures of the delegate's tests: the library, the runtime, the counters.

Environment:
  TWOPASS_TFLITE_DELEGATE   the library (default: build/libtwopass_tflite_delegate.so)
  TWOPASS_TFLITE_MODEL_DIR  where models are cached for runtimes without the
                            schema module (models.py)
"""

import ctypes
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

LIBRARY = os.path.abspath(os.environ.get(
    "TWOPASS_TFLITE_DELEGATE", os.path.join(ROOT, "build", "libtwopass_tflite_delegate.so")))


def runtime():
    """(interpreter module, distribution name and version)."""
    from importlib import metadata
    try:
        from ai_edge_litert import interpreter
        return interpreter, "ai-edge-litert " + metadata.version("ai-edge-litert")
    except ImportError:
        from tflite_runtime import interpreter
        return interpreter, "tflite-runtime " + metadata.version("tflite-runtime")


def pytest_report_header(config):
    return ["twopass delegate: %s" % LIBRARY, "runtime: %s" % runtime()[1]]


class Counters:
    """The library's process-wide counters (the same handle load_delegate gets)."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        for name in ("claimed_nodes", "invocations", "layout_failures"):
            getattr(self.lib, "twopass_tflite_delegate_" + name).restype = ctypes.c_uint64

    def read(self):
        return {name: getattr(self.lib, "twopass_tflite_delegate_" + name)()
                for name in ("claimed_nodes", "invocations", "layout_failures")}


@pytest.fixture(scope="session")
def library():
    if not os.path.exists(LIBRARY):
        pytest.fail("%s not built (cmake --build build --target twopass_tflite_delegate)" % LIBRARY)
    return LIBRARY


@pytest.fixture(scope="session")
def tfl():
    return runtime()[0]


@pytest.fixture(scope="session")
def counters(library):
    return Counters(library)
