# The variant grid of every microkernel family: the one place that says which
# kernels exist. scripts/generate-microkernels.py expands it with
# scripts/xngen.py into microkernels/<folder>/gen/ and writes the lists derived
# from it. Plain Python literals (standard library only, no code).
#
# Per family:
#   folder     the template folder microkernels/<folder>/ (named for every
#              family it makes); the generated kernels and the family's list
#              <family>.h go to its gen/
#   defines    -D values for every template of the family (DATATYPE: bf16 or
#              f16 makes the 16-bit-row kernels of an f32 template; without
#              it, f32)
#   beta1      also generate every variant as its BETA1=1 twin (exp(x), for
#              beta = 1), with the same tiles
#   templates  template file -> variants, (elements per tile, accumulators)
#   nt         template file -> tiles of its NONTEMPORAL=1 variants
#   exps       template file -> the exp cores it is expanded with (EXP=<core>,
#              microkernels/exp/<isa>-<core>.h), each core's name its tokens;
#              templates not listed name their core in their file name
#
# Tiles and accumulator counts of the extended-exponent sums: the paper's
# sweep (Dukhan & Ablavatski, 2020), every accumulator count 1..6 that divides
# the vector count, plus small tiles.
RADDEXTEXP_AVX512F = [(16, 1), (32, 1), (32, 2), (64, 1), (64, 2), (64, 4), (128, 1),
                      (128, 2), (128, 4), (144, 1), (144, 3), (160, 1), (160, 2), (160, 5),
                      (192, 1), (192, 2), (192, 3), (192, 4), (192, 6)]
RADDEXTEXP_AVX2 = [(8, 1), (16, 1), (16, 2), (32, 1), (32, 2), (32, 4), (64, 1), (64, 2),
                   (64, 4), (72, 1), (72, 3), (80, 1), (80, 2), (80, 5), (96, 1), (96, 2),
                   (96, 3), (96, 4), (96, 6)]
SCALAR_SUMS = [(1, 1), (2, 1), (2, 2), (4, 1), (4, 2), (4, 4)]
# The three-pass sums: fewer accumulator counts (the exp dominates).
EXPMINUSMAX_AVX512F = [(16, 1), (32, 1), (32, 2), (64, 1), (64, 2), (64, 4), (128, 1),
                       (128, 2), (128, 4), (192, 1), (192, 3)]
EXPMINUSMAX_AVX2 = [(8, 1), (16, 1), (16, 2), (32, 1), (32, 2), (32, 4), (64, 1), (64, 2),
                    (64, 4), (96, 1), (96, 3)]
RMINMAX = {
    "avx512f.c.in": [(16, 1), (32, 2), (64, 4), (128, 4)],
    "avx2.c.in": [(8, 1), (16, 2), (32, 4), (64, 4)],
    "scalar.c.in": [(1, 1), (2, 2), (4, 2), (4, 4)],
}
ELEMENTWISE = {
    "avx512f.c.in": [(16, 1), (32, 1), (64, 1), (128, 1)],
    "avx2.c.in": [(8, 1), (16, 1), (32, 1), (64, 1)],
    "scalar.c.in": [(1, 1), (2, 1), (4, 1)],
}

# The 16-bit rows (bf16, f16): the same templates with DATATYPE, float32
# arithmetic, conversions on load and store (microkernels/convert/). Few tiles:
# each ISA's f32 table tile (operators/ukernel-table.c) and one other.
X16_TEMPLATES_RADDEXTEXP = {
    "avx512f-p5-scalef.c.in": [(32, 1), (64, 4)],
    "avx2.c.in": [(16, 1), (32, 1)],
    "scalar-p5.c.in": [(2, 1), (4, 1)],
}
X16_TEMPLATES_VSCALEEXTEXP = {
    "avx512f-p5-scalef.c.in": [(32, 1), (64, 1)],
    "avx2.c.in": [(16, 1), (32, 1)],
    "scalar-p5.c.in": [(2, 1), (4, 1)],
}
X16_TEMPLATES_VAFFINE = {
    "avx512f.c.in": [(16, 1), (64, 1)],
    "avx2.c.in": [(32, 1), (64, 1)],
    "scalar.c.in": [(1, 1), (4, 1)],
}
# The 16-bit rows' three-pass fallback (rows beyond the two-pass kernels'
# range: masked rows of finfo.min, |beta*x| > 2^20): the same few tiles.
X16_RMINMAX = {
    "avx512f.c.in": [(64, 4), (128, 4)],
    "avx2.c.in": [(32, 4), (64, 4)],
    "scalar.c.in": [(2, 2), (4, 2)],
}
X16_EXPMINUSMAX = {
    "avx512f-rr1-p5-scalef.c.in": [(32, 1), (64, 1)],
    "avx2.c.in": [(16, 2), (32, 2)],
    "scalar-p5.c.in": [(2, 1), (4, 2)],
}
X16_EXPMINUSMAX_AVX2_EXPS = ["rr1-lut8-p3"]
# vscaleexpminusmax (y = exp(beta*x - max) * scale, no sum): a few tiles per
# ISA for f32 too, one of them each ISA's f32 raddexpminusmax tile.
VSCALEEXPMINUSMAX = {
    "avx512f-rr1-p5-scalef.c.in": [(32, 1), (64, 1), (128, 1)],
    "avx2.c.in": [(16, 1), (32, 1), (64, 1)],
    "scalar-p5.c.in": [(2, 1), (4, 1)],
}
X16_NT = {
    "avx512f-p5-scalef.c.in": [64],
    "avx2.c.in": [32],
}

# The exp cores of the AVX2 extended-exponent templates (microkernels/exp/avx2-<core>.h):
# p5. The templates also take rr2-lut8-p3 (2^(j/8) table, degree 3, two-constant
# reduction for |z| <= 2^20), which measured 1.0-1.5x slower than p5 on Zen 3 (the
# split of k into n and j costs more than the two polynomial steps it saves;
# docs/performance.md, "A table exp for the two-pass kernels"): add it here to
# generate and sweep its variants again, e.g. on another host.
EXTEXP_AVX2_EXPS = ["p5"]

FAMILIES = {
    "f32-raddextexp": {
        "folder": "f32-raddextexp",
        "defines": {},
        "beta1": True,
        "templates": {
            "avx512f-p5-scalef.c.in": RADDEXTEXP_AVX512F,
            "avx2.c.in": RADDEXTEXP_AVX2,
            "scalar-p5.c.in": SCALAR_SUMS,
        },
        "nt": {},
        "exps": {"avx2.c.in": EXTEXP_AVX2_EXPS},
    },
    "f32-vscaleextexp": {
        "folder": "f32-vscaleextexp",
        "defines": {},
        "beta1": True,
        "templates": {
            "avx512f-p5-scalef.c.in": [(16, 1), (32, 1), (64, 1), (128, 1), (144, 1), (160, 1),
                                       (192, 1)],
            "avx2.c.in": [(8, 1), (16, 1), (32, 1), (64, 1), (72, 1), (80, 1), (96, 1)],
            "scalar-p5.c.in": [(1, 1), (2, 1), (4, 1)],
        },
        # Non-temporal stores, for outputs beyond the last-level cache.
        "nt": {
            "avx512f-p5-scalef.c.in": [32, 64, 128],
            "avx2.c.in": [32, 64],
        },
        "exps": {"avx2.c.in": EXTEXP_AVX2_EXPS},
    },
    # rmin shares the rmax templates (OP=MIN): three-pass with beta < 0 needs min(x).
    "f32-rmax": {
        "folder": "f32-rmax-rmin",
        "defines": {"OP": "MAX"},
        "beta1": False,
        "templates": RMINMAX,
        "nt": {},
    },
    "f32-rmin": {
        "folder": "f32-rmax-rmin",
        "defines": {"OP": "MIN"},
        "beta1": False,
        "templates": RMINMAX,
        "nt": {},
    },
    # raddexpminusmax shares the raddstoreexpminusmax templates (STORE=0).
    "f32-raddstoreexpminusmax": {
        "folder": "f32-raddstoreexpminusmax-raddexpminusmax",
        "defines": {"STORE": 1},
        "beta1": False,
        "templates": {
            "avx512f-rr1-p5-scalef.c.in": EXPMINUSMAX_AVX512F,
            "avx2.c.in": EXPMINUSMAX_AVX2,
            "scalar-p5.c.in": SCALAR_SUMS,
        },
        "nt": {},
        "exps": {"avx2.c.in": ["p5", "rr1-lut8-p3"]},
    },
    "f32-raddexpminusmax": {
        "folder": "f32-raddstoreexpminusmax-raddexpminusmax",
        "defines": {"STORE": 0},
        "beta1": False,
        "templates": {
            "avx512f-rr1-p5-scalef.c.in": EXPMINUSMAX_AVX512F,
            "avx2.c.in": EXPMINUSMAX_AVX2,
            "scalar-p5.c.in": SCALAR_SUMS,
        },
        "nt": {},
        "exps": {"avx2.c.in": ["p5", "rr1-lut8-p3"]},
    },
    # vscaleexpminusmax shares them too (SCALE=1): y = exp(beta*x - max) * scale.
    "f32-vscaleexpminusmax": {
        "folder": "f32-raddstoreexpminusmax-raddexpminusmax",
        "defines": {"STORE": 0, "SCALE": 1},
        "beta1": False,
        "templates": VSCALEEXPMINUSMAX,
        "nt": {},
        "exps": {"avx2.c.in": ["rr1-lut8-p3"]},
    },
    # vaffine shares the vscale templates (BIAS=1).
    "f32-vscale": {
        "folder": "f32-vscale-vaffine",
        "defines": {"BIAS": 0},
        "beta1": False,
        "templates": ELEMENTWISE,
        "nt": {},
    },
    "f32-vaffine": {
        "folder": "f32-vscale-vaffine",
        "defines": {"BIAS": 1},
        "beta1": False,
        "templates": ELEMENTWISE,
        "nt": {},
    },
    "bf16-raddextexp": {
        "folder": "f32-raddextexp",
        "defines": {"DATATYPE": "bf16"},
        "beta1": True,
        "templates": X16_TEMPLATES_RADDEXTEXP,
        "nt": {},
        "exps": {"avx2.c.in": EXTEXP_AVX2_EXPS},
    },
    "bf16-vscaleextexp": {
        "folder": "f32-vscaleextexp",
        "defines": {"DATATYPE": "bf16"},
        "beta1": True,
        "templates": X16_TEMPLATES_VSCALEEXTEXP,
        "nt": X16_NT,
        "exps": {"avx2.c.in": EXTEXP_AVX2_EXPS},
    },
    "bf16-vaffine": {
        "folder": "f32-vscale-vaffine",
        "defines": {"DATATYPE": "bf16", "BIAS": 1},
        "beta1": False,
        "templates": X16_TEMPLATES_VAFFINE,
        "nt": {},
    },
    "bf16-rmax": {
        "folder": "f32-rmax-rmin",
        "defines": {"DATATYPE": "bf16", "OP": "MAX"},
        "beta1": False,
        "templates": X16_RMINMAX,
        "nt": {},
    },
    "bf16-rmin": {
        "folder": "f32-rmax-rmin",
        "defines": {"DATATYPE": "bf16", "OP": "MIN"},
        "beta1": False,
        "templates": X16_RMINMAX,
        "nt": {},
    },
    "bf16-raddexpminusmax": {
        "folder": "f32-raddstoreexpminusmax-raddexpminusmax",
        "defines": {"DATATYPE": "bf16", "STORE": 0},
        "beta1": False,
        "templates": X16_EXPMINUSMAX,
        "nt": {},
        "exps": {"avx2.c.in": X16_EXPMINUSMAX_AVX2_EXPS},
    },
    "bf16-vscaleexpminusmax": {
        "folder": "f32-raddstoreexpminusmax-raddexpminusmax",
        "defines": {"DATATYPE": "bf16", "STORE": 0, "SCALE": 1},
        "beta1": False,
        "templates": VSCALEEXPMINUSMAX,
        "nt": {},
        "exps": {"avx2.c.in": X16_EXPMINUSMAX_AVX2_EXPS},
    },
    "f16-raddextexp": {
        "folder": "f32-raddextexp",
        "defines": {"DATATYPE": "f16"},
        "beta1": True,
        "templates": X16_TEMPLATES_RADDEXTEXP,
        "nt": {},
        "exps": {"avx2.c.in": EXTEXP_AVX2_EXPS},
    },
    "f16-vscaleextexp": {
        "folder": "f32-vscaleextexp",
        "defines": {"DATATYPE": "f16"},
        "beta1": True,
        "templates": X16_TEMPLATES_VSCALEEXTEXP,
        "nt": X16_NT,
        "exps": {"avx2.c.in": EXTEXP_AVX2_EXPS},
    },
    "f16-vaffine": {
        "folder": "f32-vscale-vaffine",
        "defines": {"DATATYPE": "f16", "BIAS": 1},
        "beta1": False,
        "templates": X16_TEMPLATES_VAFFINE,
        "nt": {},
    },
    "f16-rmax": {
        "folder": "f32-rmax-rmin",
        "defines": {"DATATYPE": "f16", "OP": "MAX"},
        "beta1": False,
        "templates": X16_RMINMAX,
        "nt": {},
    },
    "f16-rmin": {
        "folder": "f32-rmax-rmin",
        "defines": {"DATATYPE": "f16", "OP": "MIN"},
        "beta1": False,
        "templates": X16_RMINMAX,
        "nt": {},
    },
    "f16-raddexpminusmax": {
        "folder": "f32-raddstoreexpminusmax-raddexpminusmax",
        "defines": {"DATATYPE": "f16", "STORE": 0},
        "beta1": False,
        "templates": X16_EXPMINUSMAX,
        "nt": {},
        "exps": {"avx2.c.in": X16_EXPMINUSMAX_AVX2_EXPS},
    },
    "f16-vscaleexpminusmax": {
        "folder": "f32-raddstoreexpminusmax-raddexpminusmax",
        "defines": {"DATATYPE": "f16", "STORE": 0, "SCALE": 1},
        "beta1": False,
        "templates": VSCALEEXPMINUSMAX,
        "nt": {},
        "exps": {"avx2.c.in": X16_EXPMINUSMAX_AVX2_EXPS},
    },
}
