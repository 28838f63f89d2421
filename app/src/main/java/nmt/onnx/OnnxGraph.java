package nmt.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds one ONNX graph (opset 17, plus ONNX Runtime's com.microsoft operators for int8) from
 * ONNX's own protobuf classes. Every method returns the name of the value it produced, so that a
 * graph reads like the NDArray code it mirrors.
 */
final class OnnxGraph {
    static final int OPSET = 17;
    static final String MICROSOFT = "com.microsoft";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Weights weights;
    private final Map<String, String[]> tables = new HashMap<>();
    /** Values made graph outputs, and the output names that values produced by nodes were given. */
    private final Set<String> outputs = new HashSet<>();
    private final Map<String, String> renamed = new HashMap<>();
    private int counter;

    OnnxGraph(String name, Weights weights) {
        graph.setName(name);
        this.weights = weights;
    }

    Weights weights() {
        return weights;
    }

    /** A graph input; a dimension is a fixed size (Long/Integer) or a symbolic name (String). */
    String input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return name;
    }

    /**
     * Names {@code value} as graph output {@code name}: the node that makes it writes it under that
     * name (an Identity node would copy it, a whole cache per step), unless it is a graph input, an
     * initializer or already an output.
     */
    void output(String name, String value, TensorProto.DataType type, Object... dims) {
        String current = renamed.getOrDefault(value, value);
        NodeProto.Builder producer = graph.getNodeBuilderList().stream()
                .filter(n -> n.getOutputList().contains(current)).findFirst().orElse(null);
        if (producer == null || outputs.contains(current)) {
            node("Identity", new String[] {current}, new String[] {name});
        } else {
            producer.setOutput(producer.getOutputList().indexOf(current), name);
            for (NodeProto.Builder n : graph.getNodeBuilderList()) {
                for (int i = 0; i < n.getInputCount(); i++) {
                    if (n.getInput(i).equals(current)) {
                        n.setInput(i, name);
                    }
                }
            }
            renamed.put(value, name);
        }
        outputs.add(name);
        graph.addOutput(valueInfo(name, type, dims));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** A float initializer. */
    String floats(String name, float[] values, long... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return tensor(name, TensorProto.DataType.FLOAT, bytes.array(), shape);
    }

    /** An int8 initializer. */
    String int8s(String name, byte[] values, long... shape) {
        return tensor(name, TensorProto.DataType.INT8, values, shape);
    }

    /** An int64 constant (shapes, axes, positions). */
    String longs(long... values) {
        return longsShaped(values, values.length);
    }

    /** An int64 scalar. */
    String scalar(long value) {
        return longsShaped(new long[] {value});
    }

    /** A float scalar. */
    String scalar(float value) {
        return floats(fresh("c"), new float[] {value});
    }

    private String longsShaped(long[] values, long... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return tensor(fresh("c"), TensorProto.DataType.INT64, bytes.array(), shape);
    }

    private String tensor(String name, TensorProto.DataType type, byte[] raw, long... shape) {
        TensorProto.Builder t = weights.data().place(TensorProto.newBuilder().setName(name)
                .setDataType(type.getNumber()), raw);
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Initializers made once per key, e.g. an embedding matrix read by the input and the output layer. */
    String[] table(String key, Supplier<String[]> make) {
        return tables.computeIfAbsent(key, k -> make.get());
    }

    String fresh(String prefix) {
        return prefix + "_" + (counter++);
    }

    /** One node with a single output; attributes as name, value pairs (Long, Float, String or long[]). */
    String op(String type, Object[] attributes, String... inputs) {
        String out = fresh(type.toLowerCase());
        node(type, inputs, new String[] {out}, attributes);
        return out;
    }

    String op(String type, String... inputs) {
        return op(type, new Object[0], inputs);
    }

    /** A com.microsoft operator of ONNX Runtime. */
    String microsoft(String type, String... inputs) {
        String out = fresh(type.toLowerCase());
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setDomain(MICROSOFT).setName(out);
        n.addAllInput(current(inputs)).addOutput(out);
        graph.addNode(n);
        return out;
    }

    private void node(String type, String[] inputs, String[] outputs, Object... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(outputs[0]);
        n.addAllInput(current(inputs)).addAllOutput(Arrays.asList(outputs));
        for (int i = 0; i < attributes.length; i += 2) {
            n.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
        }
        graph.addNode(n);
    }

    /** Values by the names they have now, some having become graph outputs. */
    private List<String> current(String[] values) {
        return Arrays.stream(values).map(v -> renamed.getOrDefault(v, v)).toList();
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (value instanceof Number n) {
            a.setType(AttributeProto.AttributeType.INT).setI(n.longValue());
        } else if (value instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (value instanceof long[] ints) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long v : ints) {
                a.addInts(v);
            }
        } else {
            throw new IllegalArgumentException("attribute " + name + ": " + value);
        }
        return a.build();
    }

    // The operators the exporters use, named as in ONNX.

    String add(String a, String b) {
        return op("Add", a, b);
    }

    String sub(String a, String b) {
        return op("Sub", a, b);
    }

    String mul(String a, String b) {
        return op("Mul", a, b);
    }

    String mul(String a, float b) {
        return mul(a, scalar(b));
    }

    String matMul(String a, String b) {
        return op("MatMul", a, b);
    }

    String reshape(String x, long... shape) {
        return op("Reshape", x, longs(shape));
    }

    String transpose(String x, long... perm) {
        return op("Transpose", new Object[] {"perm", perm}, x);
    }

    String unsqueeze(String x, long... axes) {
        return op("Unsqueeze", x, longs(axes));
    }

    String squeeze(String x, long... axes) {
        return op("Squeeze", x, longs(axes));
    }

    /** x cut along {@code axis} into parts of the given sizes. */
    String[] split(String x, long axis, long... sizes) {
        String[] outs = new String[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            outs[i] = fresh("split");
        }
        node("Split", new String[] {x, longs(sizes)}, outs, "axis", axis);
        return outs;
    }

    String concat(long axis, String... parts) {
        return op("Concat", new Object[] {"axis", axis}, parts);
    }

    String softmax(String x) {
        return op("Softmax", new Object[] {"axis", -1L}, x);
    }

    String logSoftmax(String x) {
        return op("LogSoftmax", new Object[] {"axis", -1L}, x);
    }

    String gather(String table, String ids, long axis) {
        return op("Gather", new Object[] {"axis", axis}, table, ids);
    }

    String cast(String x, TensorProto.DataType to) {
        return op("Cast", new Object[] {"to", (long) to.getNumber()}, x);
    }

    String tanh(String x) {
        return op("Tanh", x);
    }

    String sigmoid(String x) {
        return op("Sigmoid", x);
    }

    String relu(String x) {
        return op("Relu", x);
    }

    /** The exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)), as PyTorch's default. */
    String gelu(String x) {
        String erf = op("Erf", mul(x, (float) (1 / Math.sqrt(2))));
        return mul(mul(x, add(erf, scalar(1f))), scalar(0.5f));
    }

    /** Dimension {@code axis} of x's shape, as a 1-element int64 tensor. */
    String dim(String x, long axis) {
        return op("Shape", new Object[] {"start", axis, "end", axis + 1}, x);
    }

    /** x[..., start:end] along {@code axis}, bounds as 1-element int64 tensors. */
    String slice(String x, String start, String end, long axis) {
        return op("Slice", x, start, end, longs(axis));
    }

    String layerNorm(String x, String gamma, String beta, float epsilon) {
        return op("LayerNormalization", new Object[] {"axis", -1L, "epsilon", epsilon}, x, gamma, beta);
    }

    /**
     * {@code x · Wᵀ + b} for x [rows, in] and a weight [out, in], in fp32 or int8 as {@link Weights}
     * says: [rows, out]. Per-step graphs keep their values two-dimensional so that this is one node
     * (two in fp32).
     */
    String linear(String x, float[] weight, long out, long in, float[] bias) {
        return weights.linear(this, x, weight, out, in, bias);
    }

    /** As {@link #linear} for x of any rank [..., in]: [..., out]. */
    String linearAnyRank(String x, float[] weight, long out, long in, float[] bias) {
        if (!weights.int8()) {
            return weights.linear(this, x, weight, out, in, bias);
        }
        // ONNX Runtime runs an int8 product of a 3-D input as one small product per leading index.
        String y = weights.linear(this, reshape(x, -1, in), weight, out, in, bias);
        return op("Reshape", y, concat(0, op("Shape", new Object[] {"end", -1L}, x), longs(out)));
    }

    ModelProto model(String producer) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName(producer)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1))
                .setGraph(graph).build();
    }
}
