"""A repository made of libraries installed by the system (Debian packages).

Only the named headers and libraries are linked into the repository, so a
target sees exactly the system headers its BUILD file declares:

    system_library(
        name = "system_xnnpack",
        build_file = "@twopass//third_party:system_xnnpack.BUILD",
        hdrs = ["xnnpack.h"],            # under include_dir: files or folders
        libs = ["libXNNPACK.so"],         # under lib_dir
        package = "libxnnpack-dev",       # named in the error when missing
    )

gives external/system_xnnpack/include/xnnpack.h and
external/system_xnnpack/lib/libXNNPACK.so, pointing at /usr/include and
/usr/lib/x86_64-linux-gnu. Nothing is downloaded.
"""

def _system_library_impl(rctx):
    missing = []
    for kind, base, names in [
        ("include", rctx.attr.include_dir, rctx.attr.hdrs),
        ("lib", rctx.attr.lib_dir, rctx.attr.libs),
    ]:
        for name in names:
            source = rctx.path(base + "/" + name)
            if not source.exists:
                missing.append(str(source))
                continue
            rctx.symlink(source, kind + "/" + name)
    if missing:
        fail("%s: missing %s; install the Debian package %s" % (
            rctx.name,
            ", ".join(missing),
            rctx.attr.package or "that provides them",
        ))
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.symlink(rctx.attr.build_file, "BUILD.bazel")

system_library = repository_rule(
    implementation = _system_library_impl,
    local = True,
    attrs = {
        "build_file": attr.label(mandatory = True, allow_single_file = True),
        "hdrs": attr.string_list(doc = "Headers or header folders, relative to include_dir."),
        "libs": attr.string_list(doc = "Library files, relative to lib_dir."),
        "include_dir": attr.string(default = "/usr/include"),
        "lib_dir": attr.string(default = "/usr/lib/x86_64-linux-gnu"),
        "package": attr.string(doc = "Debian package that installs the files."),
    },
)
