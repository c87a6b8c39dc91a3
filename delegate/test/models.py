"""Small .tflite models for the delegate's tests and benchmark, built at run time.

A model is one float32 input flowing through a chain of ops, e.g.
``[("ADD", 0.5), ("SOFTMAX", 1.0), ("LOG_SOFTMAX",), ("MUL", 2.0)]``: ADD and MUL
take a one-element constant. The models are built with the flatbuffers object
API of the schema module that the ai-edge-litert wheel ships
(``ai_edge_litert.schema_py_generated``), so no TensorFlow is needed.

Runtimes without that module (tflite-runtime) read the models from
``$TWOPASS_TFLITE_MODEL_DIR``, where a run with ai-edge-litert left them: every
model built while that variable is set is also written there.
"""

import hashlib
import os
import struct

# BuiltinOperator codes and their options (the schema's numbers).
OPS = {
    "ADD": (0, "AddOptions"),
    "SOFTMAX": (25, "SoftmaxOptions"),
    "MUL": (18, "MulOptions"),
    "LOG_SOFTMAX": (50, "LogSoftmaxOptions"),
}

TENSOR_TYPES = {"float32": 0, "float16": 1}  # the schema's TensorType


def spec_key(shape, ops, dtype="float32"):
    key = (tuple(int(d) for d in shape), tuple(tuple(op) for op in ops))
    if dtype != "float32":  # float32 keys stay those of the cached models
        key += (dtype,)
    return hashlib.sha1(repr(key).encode()).hexdigest()[:16]


def _build(shape, ops, dtype):
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    model = schema.ModelT()
    model.version = 3
    model.description = "twopass delegate test"
    model.buffers = [schema.BufferT()]  # buffer 0: the empty sentinel
    codes = []
    tensors = []
    operators = []

    def tensor(name, tshape, data=None):
        t = schema.TensorT()
        t.name = name
        t.shape = list(tshape)
        t.type = TENSOR_TYPES[dtype]
        if data is None:
            t.buffer = 0
        else:
            b = schema.BufferT()
            b.data = list(struct.pack("<%df" % len(data), *data))
            model.buffers.append(b)
            t.buffer = len(model.buffers) - 1
        tensors.append(t)
        return len(tensors) - 1

    current = tensor("input", shape)
    for i, op in enumerate(ops):
        kind = op[0]
        code, options_name = OPS[kind]
        if code not in codes:
            codes.append(code)
        o = schema.OperatorT()
        o.opcodeIndex = codes.index(code)
        o.builtinOptionsType = getattr(schema.BuiltinOptions, options_name)
        options = getattr(schema, options_name + "T")()
        inputs = [current]
        if kind == "SOFTMAX":
            options.beta = float(op[1])
        elif kind in ("ADD", "MUL"):
            inputs.append(tensor("const%d" % i, [1], [float(op[1])]))
        o.builtinOptions = options
        out = tensor("%s_%d" % (kind.lower(), i), shape)
        o.inputs = inputs
        o.outputs = [out]
        operators.append(o)
        current = out

    subgraph = schema.SubGraphT()
    subgraph.tensors = tensors
    subgraph.inputs = [0]
    subgraph.outputs = [current]
    subgraph.operators = operators
    subgraph.name = "main"
    model.subgraphs = [subgraph]
    model.operatorCodes = []
    for code in codes:
        c = schema.OperatorCodeT()
        c.builtinCode = code
        c.deprecatedBuiltinCode = min(code, 127)
        c.version = 1
        model.operatorCodes.append(c)

    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def have_schema():
    try:
        from ai_edge_litert import schema_py_generated  # noqa: F401
    except ImportError:
        return False
    return True


def model_bytes(shape, ops, dtype="float32"):
    """The model's flatbuffer (every tensor of dtype, "float32" or "float16"); None
    when it can be neither built nor read."""
    directory = os.environ.get("TWOPASS_TFLITE_MODEL_DIR")
    path = (os.path.join(directory, spec_key(shape, ops, dtype) + ".tflite")
            if directory else None)
    if have_schema():
        data = _build(shape, ops, dtype)
        if path is not None:
            os.makedirs(directory, exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        return data
    if path is not None and os.path.exists(path):
        with open(path, "rb") as f:
            return f.read()
    return None
