// Names of XNNPACK's statuses, for failure messages.
#pragma once

#include <xnnpack.h>

namespace twopass {
namespace testlib {

inline const char* StatusName(int status) {
  switch (status) {
    case xnn_status_success: return "xnn_status_success";
    case xnn_status_uninitialized: return "xnn_status_uninitialized";
    case xnn_status_invalid_parameter: return "xnn_status_invalid_parameter";
    case xnn_status_invalid_state: return "xnn_status_invalid_state";
    case xnn_status_unsupported_parameter: return "xnn_status_unsupported_parameter";
    case xnn_status_unsupported_hardware: return "xnn_status_unsupported_hardware";
    case xnn_status_out_of_memory: return "xnn_status_out_of_memory";
    default: return "unknown xnn_status";
  }
}

}  // namespace testlib
}  // namespace twopass
