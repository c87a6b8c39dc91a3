"""The repositories twopass builds against, for its WORKSPACE and its users'.

twopass_offline_stand_ins() defines the local stand-ins that Bazel 4.2.3
(Debian's bazel-bootstrap) needs without network; twopass_system_dependencies()
the system libraries. Call both from a WORKSPACE (twopass's own does).
Each repository points at what Debian installed in /usr/include and
/usr/lib/x86_64-linux-gnu; a repository that the calling WORKSPACE already
defined (same name) is left alone.

    @system_xnnpack//:xnnpack          libxnnpack-dev      libXNNPACK.so
    @system_pthreadpool//:pthreadpool  libpthreadpool-dev  libpthreadpool.so
    @system_cpuinfo//:cpuinfo          libcpuinfo-dev      libcpuinfo.so
    @system_googletest//:gtest, :gtest_main
                                       libgtest-dev        libgtest.a
    @system_benchmark//:benchmark, :benchmark_main
                                       libbenchmark-dev    libbenchmark.so
    @system_onednn//:dnnl              libdnnl-dev         libdnnl.so
                                       (benchmarks only)
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//third_party:system_library.bzl", "system_library")

def _system_library(name, include_dir, lib_dir, **kwargs):
    maybe(
        system_library,
        name = name,
        build_file = Label("//third_party:%s.BUILD" % name),
        include_dir = include_dir,
        lib_dir = lib_dir,
        **kwargs
    )

def twopass_offline_stand_ins(twopass_path = "."):
    """Defines @rules_cc, @rules_java and @remote_coverage_tools as the stand-ins of third_party/.

    @bazel_tools loads rules_cc and rules_java at analysis, and every test
    depends on remote_coverage_tools: Bazel would download all three. The
    stand-ins re-export the native rules (coverage is not supported). Leave
    this out where Bazel can download the real ones.

    Args:
      twopass_path: where twopass is checked out, relative to the calling
        WORKSPACE's folder (or absolute).
    """
    for name in ["rules_cc", "rules_java", "remote_coverage_tools"]:
        maybe(
            native.local_repository,
            name = name,
            path = twopass_path + "/third_party/" + name,
        )

def twopass_system_dependencies(include_dir = "/usr/include", lib_dir = "/usr/lib/x86_64-linux-gnu"):
    """Defines the @system_* repositories (twopass's deps and test/bench deps).

    Args:
      include_dir: where the headers are.
      lib_dir: where the libraries are.
    """
    dirs = {"include_dir": include_dir, "lib_dir": lib_dir}
    _system_library(
        "system_xnnpack",
        hdrs = ["xnnpack.h"],
        libs = ["libXNNPACK.so"],
        package = "libxnnpack-dev",
        **dirs
    )
    _system_library(
        "system_pthreadpool",
        hdrs = ["pthreadpool.h"],
        libs = ["libpthreadpool.so"],
        package = "libpthreadpool-dev",
        **dirs
    )
    _system_library(
        "system_cpuinfo",
        hdrs = ["cpuinfo.h"],
        libs = ["libcpuinfo.so"],
        package = "libcpuinfo-dev",
        **dirs
    )
    _system_library(
        "system_googletest",
        hdrs = ["gtest"],
        libs = ["libgtest.a", "libgtest_main.a"],
        package = "libgtest-dev",
        **dirs
    )
    _system_library(
        "system_benchmark",
        hdrs = ["benchmark"],
        libs = ["libbenchmark.so", "libbenchmark_main.a"],
        package = "libbenchmark-dev",
        **dirs
    )
    _system_library(
        "system_onednn",
        hdrs = [
            "dnnl.h",
            "dnnl.hpp",
            "dnnl_config.h",
            "dnnl_debug.h",
            "dnnl_threadpool.h",
            "dnnl_threadpool.hpp",
            "dnnl_threadpool_iface.hpp",
            "dnnl_types.h",
            "dnnl_version.h",
            "oneapi",
        ],
        libs = ["libdnnl.so"],
        package = "libdnnl-dev",
        **dirs
    )
