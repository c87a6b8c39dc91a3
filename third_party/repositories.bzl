"""The system libraries twopass builds against, as Bazel repositories.

Call twopass_system_dependencies() from a WORKSPACE (twopass's own does).
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
