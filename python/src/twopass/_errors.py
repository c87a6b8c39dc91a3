"""The exceptions for XNNPACK's enum xnn_status, which every twopass function returns."""

__all__ = [
    "STATUS_NAMES",
    "TwopassError",
    "UninitializedError",
    "InvalidParameterError",
    "InvalidStateError",
    "UnsupportedParameterError",
    "UnsupportedHardwareError",
    "OutOfMemoryError",
    "error_for_status",
]

# enum xnn_status of xnnpack.h.
STATUS_NAMES = {
    0: "xnn_status_success",
    1: "xnn_status_uninitialized",
    2: "xnn_status_invalid_parameter",
    3: "xnn_status_invalid_state",
    4: "xnn_status_unsupported_parameter",
    5: "xnn_status_unsupported_hardware",
    6: "xnn_status_out_of_memory",
}


class TwopassError(Exception):
    """A twopass function returned a status other than xnn_status_success.

    ``status`` is the number of the enum xnn_status, ``status_name`` its name,
    ``function`` the C function that returned it; the message says why.
    """

    status = None
    status_name = None

    def __init__(self, message, status=None, function=None):
        super().__init__(message)
        if status is not None:
            self.status = status
            self.status_name = STATUS_NAMES.get(status, "unknown status %d" % status)
        self.function = function


class UninitializedError(TwopassError, RuntimeError):
    status, status_name = 1, STATUS_NAMES[1]


class InvalidParameterError(TwopassError, ValueError):
    status, status_name = 2, STATUS_NAMES[2]


class InvalidStateError(TwopassError, RuntimeError):
    status, status_name = 3, STATUS_NAMES[3]


class UnsupportedParameterError(TwopassError, ValueError):
    status, status_name = 4, STATUS_NAMES[4]


class UnsupportedHardwareError(TwopassError, RuntimeError):
    status, status_name = 5, STATUS_NAMES[5]


class OutOfMemoryError(TwopassError, MemoryError):
    status, status_name = 6, STATUS_NAMES[6]


_CLASSES = {cls.status: cls for cls in (
    UninitializedError, InvalidParameterError, InvalidStateError,
    UnsupportedParameterError, UnsupportedHardwareError, OutOfMemoryError)}


def error_for_status(status, function, reason):
    """The exception for `status` returned by the C function `function`, saying `reason`."""
    cls = _CLASSES.get(status, TwopassError)
    name = STATUS_NAMES.get(status, "unknown status %d" % status)
    return cls("%s: %s: %s" % (function, name, reason), status=status, function=function)
