#!/usr/bin/env python3
"""Writes the seed corpus of the twopass fuzzers (fuzz/corpus/<target>/).

The byte layouts are those of fuzz/softmax-harness.h (softmax-fuzzer) and
fuzz/lifecycle-fuzzer.cc. The seeds are small, deterministic and checked in;
rerun this script after changing a layout:  python3 fuzz/make-seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

NAN = 0x7FC00000
INF = 0x7F800000
NINF = 0xFF800000
DENORMAL = 0x00000123
FLT_MAX = 0x7F7FFFFF
NFLT_MAX = 0xFF7FFFFF

KIND = {"softmax": 0, "log": 1}
ALGORITHM = {"auto": 0, "two": 1, "three": 2}
ISA = {"best": 0, "scalar": 1, "avx2": 2, "avx512f": 3}
BETA_COUNT = 24  # len(kBetas)
# Indices into kCenters and kSpreads of fuzz/softmax-harness.h.
CENTER = {-1.0: 4, 1e6: 11}
SPREAD = {0.0: 3, 1e-6: 4, 1e-3: 5}
# Indices into kBetas, kCenters, kSpreads of fuzz/softmax-harness.h.
BETA = {1.0: 0, -1.0: 4, 0.0: 5, 0.5: 7, 2.7: 8, -2.7: 9, 1e3: 11, 1e20: 14, "FLT_MIN": 16,
        "denormal": 17, "FLT_MAX": 19, "-FLT_MAX": 20}
MISUSES = ["none", "zero_channels", "small_input_stride", "small_output_stride", "nan_beta",
           "inf_beta", "minus_inf_beta", "unknown_flag", "two_algorithms", "two_isas",
           "null_out_pointer", "reshape_other_kind", "setup_other_kind", "null_input",
           "null_output", "setup_before_reshape", "run_before_setup", "run_after_reshape",
           "run_before_reshape", "null_operator"]


def size_bytes(channels):
    """(size class, u16 parameter) giving `channels`."""
    if channels <= 16:
        return 0, channels - 1
    if channels <= 64:
        return 6, channels - 1
    if channels <= 600:
        return 9, channels - 1
    if channels <= 5000:
        return 12, channels - 1
    chunk = 32768
    if chunk - 3 <= channels < chunk - 3 + 300:
        return 14, channels - (chunk - 3)
    assert 2 * chunk - 3 <= channels < 2 * chunk - 3 + 4000
    return 15, channels - (2 * chunk - 3)


def softmax_seed(kind="softmax", algorithm="auto", isa="best", in_place=False, pool=0,
                 misuse="none", channels=17, batch=2, in_pad=0, out_pad=0, beta=1.0,
                 raw_beta=None, seed=1, center=0, spread=0, density=0, overrides=()):
    mode = (KIND[kind] | ALGORITHM[algorithm] << 1 | ISA[isa] << 3 | int(in_place) << 5 |
            pool << 6)
    size_class, parameter = size_bytes(channels)
    out = struct.pack("<BBBHBBB", mode, MISUSES.index(misuse), size_class, parameter, batch,
                      in_pad, out_pad)
    if raw_beta is not None:
        out += struct.pack("<BI", 255, raw_beta)
    else:
        out += struct.pack("<B", BETA[beta])
    out += struct.pack("<IBBB", seed, center, spread, density)
    for index, bits in overrides:
        out += struct.pack("<II", index, bits)
    return out


def float_bits(value):
    return struct.unpack("<I", struct.pack("<f", value))[0]


def peaked_seed(kind, algorithm, channels, d, peak, noise, isa="best"):
    """A peaked row: beta*x = 0 at `peak` and -d * (1 +- noise) elsewhere.

    x = -1 * (1 +- noise) (center -1, spread `noise`), beta = d (raw bits), and
    one override x[peak] = 0."""
    return softmax_seed(kind, algorithm, isa, channels=channels, batch=1,
                        raw_beta=float_bits(d), center=CENTER[-1.0], spread=SPREAD[noise],
                        overrides=[(peak, 0)])


def peaked_seeds():
    """d in [12, 17], the peak first, in the middle and last, constant and noisy
    tails, one and two blocks past a chunk; kinds, algorithms and noises vary
    so that every peak position meets each algorithm and each noise."""
    seeds = {}
    for c, channels in enumerate((2048, 32769)):
        for j, d in enumerate((12.0, 13.6912, 15.0, 17.0)):
            for p, (where, peak) in enumerate(
                    (("first", 0), ("middle", channels // 2), ("last", channels - 1))):
                kind = ("softmax", "log")[(j + c) % 2]
                algorithm = ("auto", "two", "three")[(p + j) % 3]
                noise = (0.0, 1e-3, 1e-6)[(p + 2 * j + c) % 3]
                name = f"{kind}-{algorithm}-peaked-{channels}-d{d}-{where}-noise{noise}"
                seeds[name] = peaked_seed(kind, algorithm, channels, d, peak, noise)
    return seeds


def softmax_seeds():
    seeds = {}
    # Every kind x algorithm x ISA, two sizes (a remainder and a tile-and-a-bit).
    for kind in KIND:
        for algorithm in ALGORITHM:
            for isa in ISA:
                for channels, pool in ((13, 0), (157, 1)):
                    name = f"{kind}-{algorithm}-{isa}-{channels}"
                    seeds[name] = softmax_seed(kind, algorithm, isa, channels=channels,
                                               batch=3, out_pad=5, in_pad=3, pool=pool,
                                               seed=channels)
    # Special values: -inf (masked logits), NaN, +inf, all -inf, denormals.
    for kind in KIND:
        for algorithm in ("two", "three"):
            base = dict(kind=kind, algorithm=algorithm, channels=29, batch=2, out_pad=2)
            seeds[f"{kind}-{algorithm}-neginf"] = softmax_seed(
                **base, overrides=[(3, NINF), (30, NINF), (31, NINF)])
            seeds[f"{kind}-{algorithm}-nan"] = softmax_seed(**base, overrides=[(5, NAN)])
            seeds[f"{kind}-{algorithm}-inf"] = softmax_seed(**base, overrides=[(40, INF)])
            seeds[f"{kind}-{algorithm}-all-neginf"] = softmax_seed(
                **dict(base, channels=3), overrides=[(0, NINF), (1, NINF), (2, NINF)])
            seeds[f"{kind}-{algorithm}-specials"] = softmax_seed(**base, density=120, seed=7)
            seeds[f"{kind}-{algorithm}-denormals"] = softmax_seed(
                **base, overrides=[(i, DENORMAL + i) for i in range(0, 29, 3)])
            seeds[f"{kind}-{algorithm}-beta-denormal"] = softmax_seed(**base, beta="denormal")
            seeds[f"{kind}-{algorithm}-beta-negative"] = softmax_seed(
                **base, beta=-2.7, overrides=[(2, INF), (33, INF)])
            seeds[f"{kind}-{algorithm}-beta-zero"] = softmax_seed(**base, beta=0.0)
            seeds[f"{kind}-{algorithm}-huge"] = softmax_seed(**base, center=11, spread=9)
            seeds[f"{kind}-{algorithm}-extexp-edge"] = softmax_seed(**base, center=13, spread=2)
            seeds[f"{kind}-{algorithm}-minus-flt-max"] = softmax_seed(
                **base, center=22, spread=2, overrides=[(0, NFLT_MAX)])
            seeds[f"{kind}-{algorithm}-1e38"] = softmax_seed(**base, center=21, spread=13)
    # Masked rows and lse arrays: the seed's top byte (ParseOptions of
    # fuzz/softmax-case.h): 0x03 the masked rows' flag, 0x04 an lse array,
    # 0x18 every other row all -inf (0x20: all +inf products' sign flipped).
    for kind in KIND:
        for algorithm in ("two", "three"):
            for name, options in (("masked", 0x1B), ("masked-lse", 0x1F), ("lse", 0x04),
                                  ("lse-masked-nan-row", 0x1C), ("masked-beta-negative", 0x3B)):
                beta = -2.7 if "negative" in name else 1.0
                overrides = [(1, NAN)] if "nan-row" in name else []
                seeds[f"{kind}-{algorithm}-{name}"] = softmax_seed(
                    kind, algorithm, channels=29, batch=3, out_pad=2, beta=beta, pool=1,
                    seed=(options << 24) | 5, overrides=overrides)
    seeds["softmax-masked-lse-chunk-2"] = softmax_seed(channels=32800, batch=2, pool=2,
                                                       seed=(0x1F << 24) | 3)
    # bf16 and f16 rows: bit 7 of the top byte (bit 23 of the seed: f16).
    for datatype, f16 in (("bf16", 0), ("f16", 1 << 23)):
        for kind in KIND:
            for name, options, extra in (("", 0x80, {}), ("-lse-masked", 0x9F, {}),
                                         ("-huge", 0x84, dict(center=11, spread=9)),
                                         ("-specials", 0x84, dict(density=120)),
                                         ("-three", 0x80, dict(algorithm="three"))):
                base = dict(channels=157, batch=3, out_pad=3, in_pad=1, pool=1)
                base.update(extra)
                seeds[f"{kind}-{datatype}{name}"] = softmax_seed(
                    kind, seed=(options << 24) | f16 | 9, **base)
        seeds[f"softmax-{datatype}-chunk-2"] = softmax_seed(
            channels=32800, batch=2, pool=2, seed=(0x84 << 24) | f16 | 3)
        seeds[f"log-{datatype}-in-place"] = softmax_seed(
            "log", in_place=True, channels=45, batch=4, in_pad=6, seed=(0x80 << 24) | f16 | 3)
    # In place, threads, chunked rows (one, two and three chunks).
    seeds["softmax-in-place"] = softmax_seed(in_place=True, channels=45, batch=4, in_pad=6)
    seeds["log-in-place"] = softmax_seed("log", in_place=True, channels=45, batch=4, in_pad=6)
    seeds["softmax-long"] = softmax_seed(channels=4099, batch=2, out_pad=1, pool=1)
    seeds["softmax-chunk-1"] = softmax_seed(channels=32768, batch=1, pool=2)
    seeds["log-chunk-2"] = softmax_seed("log", "two", channels=32769, batch=2, pool=2)
    seeds["softmax-chunk-2-batch-2"] = softmax_seed(channels=32800, batch=2, pool=1, in_pad=1)
    seeds["softmax-chunk-3"] = softmax_seed("softmax", "two", channels=65540, batch=1, pool=2,
                                            center=13, spread=2)
    seeds["softmax-batch-0"] = softmax_seed(batch=0)
    # Every misuse.
    for misuse in MISUSES[1:]:
        seeds[f"misuse-{misuse}"] = softmax_seed(misuse=misuse, channels=9, batch=2)
    seeds["raw-beta-inf"] = softmax_seed(raw_beta=INF)
    seeds["raw-beta-nan"] = softmax_seed(kind="log", raw_beta=NAN)
    seeds.update(peaked_seeds())
    return seeds


def lifecycle_seeds():
    def create(slot, kind=0, algorithm=0, isa=0, big=0, size=20, pads=0x21, beta=0):
        mode = kind | algorithm << 1 | isa << 3 | big << 5
        return struct.pack("<BBBHBB", 0, slot, mode, size, pads, beta)

    def reshape(slot, batch, pool=0, other=False, shape=None):
        """shape: (big, size, pads, broken) of a new shape (broken: 0 valid, 1 no
        channels, 2 input stride < channels, 3 output stride < channels)."""
        flags = (0x80 if other else 0) | (0x40 if shape else 0)
        out = struct.pack("<BBBB", 1, slot, batch | flags, pool)
        if shape:
            big, size, pads, broken = shape
            out += struct.pack("<BHB", big << 5 | broken, size, pads)
        return out

    def setup(slot, variant=0, seed=1, density=0):
        return struct.pack("<BBBIB", 2, slot, variant, seed, density)

    def run(slot, pool=0):
        return struct.pack("<BBB", 3, slot, pool)

    def delete(slot):
        return struct.pack("<BB", 4, slot)

    def info(slot):
        return struct.pack("<BB", 5, slot)

    def mutate(slot, index, bits):
        return struct.pack("<BBII", 6, slot, index, bits)

    seeds = {}
    seeds["basic"] = create(0) + reshape(0, 3) + setup(0) + run(0) + run(0, 1) + delete(0)
    seeds["log-basic"] = create(0, kind=1) + reshape(0, 2) + setup(0) + run(0, 2) + info(0)
    seeds["changing-batch"] = (create(0, size=100) + reshape(0, 1) + setup(0) + run(0) +
                               reshape(0, 5) + run(0) + setup(0, seed=2) + run(0, 2) +
                               reshape(0, 0) + setup(0) + run(0) + reshape(0, 2) +
                               setup(0, seed=3) + run(0, 1))
    seeds["chunked-regrow"] = (create(1, algorithm=1, big=7, size=5) + reshape(1, 1, 2) +
                               setup(1) + run(1, 2) + reshape(1, 3, 2) + setup(1, seed=9) +
                               run(1, 2) + reshape(1, 2) + setup(1, 8) + run(1, 1))
    seeds["two-chunks"] = (create(2, kind=1, algorithm=2, big=6, size=3) + reshape(2, 1, 2) +
                           setup(2) + run(2, 2) + run(2, 0))
    seeds["errors"] = (run(0) + delete(0) + create(0) + run(0) + setup(0) + reshape(0, 2, 0, True) +
                       reshape(0, 2) + run(0) + setup(0, 1) + setup(0, 2) + setup(0, 4) +
                       setup(0) + reshape(0, 2) + run(0) + info(3))
    seeds["in-place"] = (create(0, pads=0x33) + reshape(0, 4) + setup(0, 8) + run(0) + run(0, 2) +
                         mutate(0, 7, NINF) + run(0))
    seeds["specials"] = (create(0, algorithm=1) + create(1, kind=1, algorithm=2) + reshape(0, 2) +
                         reshape(1, 3) + setup(0, 0, 5, 200) + setup(1, 0, 6, 200) + run(0, 1) +
                         run(1, 2) + mutate(0, 3, NAN) + run(0))
    seeds["many"] = b"".join(create(s, kind=s % 2, algorithm=s % 3, isa=s % 4, size=7 * s + 1) +
                             reshape(s, s + 1, s % 3) + setup(s) for s in range(4))
    seeds["many"] += b"".join(run(s, s % 3) for s in range(4)) + b"".join(delete(s) for s in range(4))
    # One operator through several row lengths and strides (short, one chunk,
    # two chunks), then back; each run checked against the oracle.
    seeds["reshape-shapes"] = (create(0, size=20) + reshape(0, 2) + setup(0) + run(0) +
                               reshape(0, 3, 1, shape=(0, 99, 0x35, 0)) + setup(0, seed=4) +
                               run(0, 1) + info(0) +
                               reshape(0, 1, 2, shape=(7, 5, 0x12, 0)) + setup(0, seed=5) +
                               run(0, 2) + info(0) +
                               reshape(0, 2, 0, shape=(6, 9, 0x00, 0)) + setup(0, seed=6) +
                               run(0) + reshape(0, 4, 1, shape=(0, 3, 0x33, 0)) +
                               setup(0, 8) + run(0, 2))
    seeds["log-reshape-shapes"] = (create(1, kind=1, algorithm=1, size=40) + reshape(1, 2) +
                                   setup(1) + run(1) +
                                   reshape(1, 3, 2, shape=(0, 250, 0x41, 0)) + setup(1, seed=3) +
                                   run(1, 2) + reshape(1, 1, 0, shape=(7, 60, 0, 0)) +
                                   setup(1, seed=4) + run(1, 1))
    # Invalid shapes at reshape: invalid_parameter, no plan (info, setup and run
    # refused) until a good reshape.
    seeds["reshape-invalid-shapes"] = (create(0, size=30) + reshape(0, 2) + setup(0) + run(0) +
                                       reshape(0, 2, 0, shape=(0, 10, 0, 1)) + info(0) +
                                       run(0) + setup(0) + reshape(0, 2) + info(0) + setup(0) +
                                       run(0) + reshape(0, 1, 1, shape=(0, 10, 0, 2)) + info(0) +
                                       reshape(0, 1, 2, shape=(0, 0, 0, 3)) + run(0) +
                                       reshape(0, 3, 0, shape=(0, 44, 0x22, 0)) + info(0) +
                                       setup(0) + run(0, 1))
    for isa in range(4):
        seeds[f"isa-{isa}"] = (create(0, isa=isa, size=200) + reshape(0, 2) + setup(0) + run(0) +
                               info(0))
    return seeds


def softmax_regressions():
    """Minimal inputs of the bugs the fuzzers found (docs/reliability.md)."""
    x_1e10 = 0x501502F9  # 1e10f
    x_2_66 = struct.unpack("<I", struct.pack("<f", 2.662463))[0]
    three, two = 0x40400000, 0x40000000
    return {
        # Harness bug: an empty input (batch 0) passed NULL to memcmp.
        "empty-input": b"",
        # fl(beta * max x) is off by more than 1 (|beta*x| >~ 2^25): exp(beta*x - max)
        # over/underflows for the whole row. Softmax(3 * {1e10, 1e10}) must be {0.5, 0.5}.
        "inexact-max-softmax-beta-3": softmax_seed(
            channels=2, batch=1, raw_beta=three, overrides=[(0, x_1e10), (1, x_1e10)]),
        "inexact-max-log-softmax-beta-3": softmax_seed(
            "log", channels=2, batch=1, raw_beta=three, overrides=[(0, x_1e10), (1, x_1e10)]),
        "inexact-max-one-element-beta-1e20": softmax_seed(
            channels=1, batch=1, beta=1e20, overrides=[(0, x_2_66)]),
        # UB in operators/softmax-rows.c combine_extexp: a NaN product last in a chunk
        # after the first gives the scalar raddextexp a NaN exponent, and (int) NaN
        # (UBSan float-cast-overflow). Found by softmax-fuzzer (crash-0796048a...).
        "nan-in-second-chunk-scalar": softmax_seed(
            algorithm="two", isa="scalar", channels=32769, batch=1, overrides=[(32768, NAN)]),
        "inf-beta-0-in-second-chunk-log-softmax-scalar": softmax_seed(
            "log", "two", "scalar", channels=32800, batch=1, beta=0.0,
            overrides=[(32799, INF)]),
        # Float accumulation of equal terms in the two-pass AVX2 raddextexp: a constant
        # row of 32768 (one chunk) has |sum(y) - 1| = 2.2e-5 (x = -104) and 1.7e-5
        # (x = 88), beyond 1e-5. Found by softmax-fuzzer (crash-f5187524...:
        # 65974 x 2^20, which the kernels of commit 0bb7213 happen to pass).
        "constant-row-avx2-two-pass-minus-104": softmax_seed(
            algorithm="two", isa="avx2", channels=32768, batch=1, center=10, spread=3),
        "constant-row-avx2-two-pass-88": softmax_seed(
            algorithm="two", isa="avx2", channels=32768, batch=1, center=7, spread=3),
        # The same bias in the three-pass raddstoreexpminusmax (AVX2 and AVX-512F), on the
        # default path: 32767 x -1000 and one -995 (every exp(z - max) = exp(-5)) give
        # |sum(y) - 1| = 1.5e-5 with the default AVX-512F three-pass kernels.
        "constant-row-default-minus-1000-one-minus-995": softmax_seed(
            channels=32768, batch=1, center=6, spread=3, overrides=[(16384, 0xC478C000)]),
        "constant-row-avx2-three-pass-minus-1-one-0": softmax_seed(
            algorithm="three", isa="avx2", channels=32768, batch=1, center=4, spread=3,
            overrides=[(16384, 0)]),
        # A finite exact product beyond FLT_MAX: softmax(2 * {FLT_MAX, 0, 1}) = {1, 0, 0}.
        "product-overflow-softmax": softmax_seed(
            channels=3, batch=1, raw_beta=two, overrides=[(0, FLT_MAX), (1, 0), (2, 0x3F800000)]),
        "product-overflow-log-softmax": softmax_seed(
            "log", channels=3, batch=1, raw_beta=two,
            overrides=[(0, FLT_MAX), (1, 0), (2, 0x3F800000)]),
        # A peaked row, [0, -13.6912 x 2047] (each exp(-13.6912) is 9.5 ulps of
        # the peak's 1.0, and a float lane sum rounds every addition up): AVX2 three-pass
        # softmax |sum(y) - 1| = 1.52e-5; log-softmax (both algorithms) 7.5e-6 at the peak.
        "peaked-row-avx2-three-pass-softmax": peaked_seed(
            "softmax", "three", 2048, 13.6912, 0, 0.0, isa="avx2"),
        "peaked-row-avx2-two-pass-log-softmax": peaked_seed(
            "log", "two", 2048, 13.6912, 0, 0.0, isa="avx2"),
        # log_softmax([1e6, 1e6]) was -0.6875 (the bias -(max + log S) rounded
        # to a float), -ln 2 = -0.6931472 exactly.
        "log-softmax-large-magnitude-1e6": softmax_seed(
            "log", channels=2, batch=1, center=CENTER[1e6], spread=SPREAD[0.0]),
    }


def lifecycle_regressions():
    return {"empty-input": b""}


def write(target, seeds, kind="corpus", keep=()):
    directory = os.path.join(HERE, kind, target)
    if os.path.isdir(directory):
        for name in os.listdir(directory):
            if name not in keep:
                os.remove(os.path.join(directory, name))
    os.makedirs(directory, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
    print(f"{directory}: {len(seeds)} seeds")


if __name__ == "__main__":
    write("softmax-fuzzer", softmax_seeds())
    write("lifecycle-fuzzer", lifecycle_seeds())
    # Crash inputs saved as found by libFuzzer (crash-*) are kept as they are.
    keep = [n for n in os.listdir(os.path.join(HERE, "regressions", "softmax-fuzzer"))
            if n.startswith("crash-")] if os.path.isdir(
                os.path.join(HERE, "regressions", "softmax-fuzzer")) else []
    write("softmax-fuzzer", softmax_regressions(), "regressions", keep)
    keep = [n for n in os.listdir(os.path.join(HERE, "regressions", "lifecycle-fuzzer"))
            if n.startswith("crash-")] if os.path.isdir(
                os.path.join(HERE, "regressions", "lifecycle-fuzzer")) else []
    write("lifecycle-fuzzer", lifecycle_regressions(), "regressions", keep)
