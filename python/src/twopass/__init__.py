"""twopass: softmax and log-softmax of numpy float32 arrays on x86 CPUs.

The functions call the twopass library bundled in the package (AVX-512F,
AVX2+FMA or scalar kernels, chosen at run time; the Two-Pass Softmax Algorithm
for rows that do not fit in cache). See README.md, "Python".

    import numpy as np, twopass
    y = twopass.softmax(np.random.rand(8, 1000).astype(np.float32))
    with twopass.Softmax(beta=1.0, log=True) as op:
        z = op(x)            # reshapes the C operator only when the layout changes
    twopass.set_num_threads(4)   # the package's pthreadpool; default 1
"""

from ._errors import (
    InvalidParameterError,
    InvalidStateError,
    OutOfMemoryError,
    TwopassError,
    UninitializedError,
    UnsupportedHardwareError,
    UnsupportedParameterError,
)
from ._lib import get_num_threads, library_path, set_num_threads
from ._softmax import Softmax, log_softmax, softmax
from ._version import __version__

__all__ = [
    "softmax",
    "log_softmax",
    "Softmax",
    "set_num_threads",
    "get_num_threads",
    "library_path",
    "TwopassError",
    "UninitializedError",
    "InvalidParameterError",
    "InvalidStateError",
    "UnsupportedParameterError",
    "UnsupportedHardwareError",
    "OutOfMemoryError",
    "__version__",
]
