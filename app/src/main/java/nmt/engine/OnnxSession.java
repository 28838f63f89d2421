package nmt.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nmt.InputError;

/**
 * One ONNX graph loaded into ONNX Runtime, run with NDArrays: inputs are handed over without a
 * copy where the array allows it, outputs come back as arrays of the caller's manager.
 *
 * <p>With more than one thread per operator the graph is loaded twice (its weights held twice, 8 MB
 * more for an int8 Multi30k Transformer), and a run over fewer than {@link #PARALLEL_ROWS} rows
 * takes the single-threaded session: a few rows make operators too small to split (on 2 cores,
 * one sentence's decoder step took 0.24 ms on one thread and 0.41 ms on two; 320 rows took 14.6
 * and 9.7 ms).
 */
public final class OnnxSession implements AutoCloseable {
    /** Rows (tokens a run's linear layers multiply) from which a run splits its operators across threads. */
    public static final long PARALLEL_ROWS = 32;

    private final Path file;
    private final OrtSession single;
    private final OrtSession parallel;

    /**
     * ONNX Runtime's thread pools for one session.
     *
     * @param intraOp threads that split one operator (a matrix product)
     * @param interOp threads that run independent operators at once; 1 runs them in order
     */
    public record Threads(int intraOp, int interOp) {
    }

    private final Map<String, Dimension[]> inputDimensions;
    private final Map<String, Dimension[]> outputDimensions;

    private OnnxSession(Path file, OrtSession single, OrtSession parallel) {
        this.file = file;
        this.single = single;
        this.parallel = parallel;
        this.inputDimensions = dimensions(true);
        Map<String, Dimension[]> floats = new LinkedHashMap<>(dimensions(false));
        floats.keySet().retainAll(floatOutputs(single));
        this.outputDimensions = floats;
    }

    /** The outputs of type float, the only ones written into arrays made beforehand. */
    private static Set<String> floatOutputs(OrtSession session) {
        try {
            Set<String> names = new HashSet<>();
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                if (((TensorInfo) e.getValue().getInfo()).type == OnnxJavaType.FLOAT) {
                    names.add(e.getKey());
                }
            }
            return names;
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ONNX Runtime logs nothing of its own below fatal: its errors reach the user as one line of ours. */
    private static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "nmt");
    }

    /** Loads a graph; a missing, unreadable or malformed file is one line naming it. */
    public static OnnxSession open(Path file, Threads threads) {
        if (!Files.isRegularFile(file)) {
            throw new InputError(file + ": not found");
        }
        OrtSession single = session(file, new Threads(1, threads.interOp()));
        OrtSession parallel = null;
        try {
            parallel = threads.intraOp() > 1 ? session(file, threads) : null;
            return new OnnxSession(file, single, parallel);
        } catch (RuntimeException e) {
            close(single);
            if (parallel != null) {
                close(parallel);
            }
            throw e;
        }
    }

    private static OrtSession session(Path file, Threads threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads.intraOp());
            options.setInterOpNumThreads(threads.interOp());
            options.setExecutionMode(threads.interOp() > 1 ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
                    : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            return environment().createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new InputError(file + ": ONNX Runtime cannot load it (" + firstLine(e) + ")");
        }
    }

    /** The declared dimensions of each input: a size, or a symbolic name (null where the graph gives neither). */
    public Map<String, Dimension[]> inputDimensions() {
        return inputDimensions;
    }

    /** A graph input's or output's declared dimension: a fixed size, or a name shared by values of that size. */
    public record Dimension(long size, String name) {
    }

    private Map<String, Dimension[]> dimensions(boolean inputs) {
        try {
            Map<String, Dimension[]> all = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : (inputs ? single.getInputInfo() : single.getOutputInfo()).entrySet()) {
                TensorInfo info = (TensorInfo) e.getValue().getInfo();
                long[] shape = info.getShape();
                String[] names = info.getDimensionNames();
                Dimension[] dims = new Dimension[shape.length];
                for (int i = 0; i < shape.length; i++) {
                    dims[i] = new Dimension(shape[i], names[i] == null || names[i].isEmpty() ? null : names[i]);
                }
                all.put(e.getKey(), dims);
            }
            return all;
        } catch (OrtException e) {
            throw new InputError(file + ": ONNX Runtime cannot read its inputs and outputs (" + firstLine(e) + ")");
        }
    }

    /**
     * Runs the graph. The inputs must stay open until it returns. Outputs whose sizes follow from
     * the inputs' (by the dimension names they share) are written straight into arrays of
     * {@code manager}; any other is copied there.
     *
     * @param rows the rows the graph's linear layers multiply (tokens), which choose the threads
     * @return every output by name
     */
    public Map<String, NDArray> run(Map<String, NDArray> inputs, long rows, NDManager manager) {
        OrtSession session = parallel != null && rows >= PARALLEL_ROWS ? parallel : single;
        OrtEnvironment env = environment();
        Map<String, OnnxTensor> tensors = new HashMap<>();
        Map<String, OnnxTensor> pinned = new HashMap<>();
        Map<String, NDArray> outputs = new LinkedHashMap<>();
        try {
            Map<String, Long> sizes = new HashMap<>();
            for (Map.Entry<String, NDArray> in : inputs.entrySet()) {
                tensors.put(in.getKey(), tensor(env, in.getValue()));
                Dimension[] dims = inputDimensions.get(in.getKey());
                long[] shape = in.getValue().getShape().getShape();
                for (int i = 0; dims != null && i < dims.length && i < shape.length; i++) {
                    if (dims[i].name() != null) {
                        sizes.put(dims[i].name(), shape[i]);
                    }
                }
            }
            for (Map.Entry<String, Dimension[]> out : outputDimensions.entrySet()) {
                Shape shape = resolve(out.getValue(), sizes);
                if (shape != null) {
                    NDArray array = manager.create(shape, DataType.FLOAT32);
                    outputs.put(out.getKey(), array);
                    pinned.put(out.getKey(), tensor(env, array));
                }
            }
            try (OrtSession.Result result = session.run(tensors, pinned)) {
                for (Map.Entry<String, OnnxValue> out : result) {
                    if (!pinned.containsKey(out.getKey())) {
                        outputs.put(out.getKey(), array((OnnxTensor) out.getValue(), manager));
                    }
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw new InputError(file + ": ONNX Runtime failed (" + firstLine(e) + ")");
        } finally {
            tensors.values().forEach(OnnxTensor::close);
            pinned.values().forEach(OnnxTensor::close);
        }
    }

    /** A float output's shape from its declared dimensions, or null where one is not known from the inputs. */
    private static Shape resolve(Dimension[] dims, Map<String, Long> sizes) {
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i].size() >= 0) {
                shape[i] = dims[i].size();
            } else if (dims[i].name() != null && sizes.containsKey(dims[i].name())) {
                shape[i] = sizes.get(dims[i].name());
            } else {
                return null;
            }
        }
        return new Shape(shape);
    }

    private static OnnxTensor tensor(OrtEnvironment env, NDArray array) throws OrtException {
        OnnxJavaType type = switch (array.getDataType()) {
            case FLOAT32 -> OnnxJavaType.FLOAT;
            case INT64 -> OnnxJavaType.INT64;
            default -> throw new IllegalArgumentException("ONNX input of type " + array.getDataType());
        };
        // A direct buffer over the array's own memory where the engine allows it: no copy.
        ByteBuffer data = array.size() == 0 ? ByteBuffer.allocateDirect(0)
                : array.toByteBuffer(true).order(ByteOrder.nativeOrder());
        return OnnxTensor.createTensor(env, data, array.getShape().getShape(), type);
    }

    private static NDArray array(OnnxTensor tensor, NDManager manager) {
        TensorInfo info = tensor.getInfo();
        DataType type = switch (info.type) {
            case FLOAT -> DataType.FLOAT32;
            case INT64 -> DataType.INT64;
            default -> throw new IllegalStateException("ONNX output of type " + info.type);
        };
        Shape shape = new Shape(info.getShape());
        if (shape.size() == 0) {
            return manager.create(shape, type);
        }
        return manager.create(tensor.getByteBuffer().order(ByteOrder.nativeOrder()), shape, type);
    }

    private static String firstLine(OrtException e) {
        String message = String.valueOf(e.getMessage()).strip();
        List<String> lines = message.lines().toList();
        return lines.isEmpty() ? e.getClass().getSimpleName() : lines.get(0);
    }

    @Override
    public void close() {
        try {
            close(single);
        } finally {
            if (parallel != null) {
                close(parallel);
            }
        }
    }

    private static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
