package nmt.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nmt.engine.OnnxSession;
import nmt.model.AbstractSeq2Seq;
import nmt.model.DecoderState;
import nmt.model.Rows;
import nmt.model.StepOutput;

/**
 * An exported model decoding on ONNX Runtime behind the same interface as a trained one, so that
 * greedy and beam search, constraints, n-best and ensembles work unchanged. Whatever the
 * architecture, its graphs follow {@link StepNames}; the state between steps is held as NDArrays,
 * which beam search reorders like any other model's.
 */
public final class OnnxSeq2Seq extends AbstractSeq2Seq implements AutoCloseable {
    /** Positions the caches start with; they double whenever a step needs more. */
    private static final long FIRST_CAPACITY = 16;

    private final OnnxSession encoder;
    private final OnnxSession step;

    public OnnxSeq2Seq(OnnxSession encoder, OnnxSession step) {
        this.encoder = encoder;
        this.step = step;
    }

    /**
     * The memory ("memory.*") of the sentences a batch's rows decode: what the encoder returned (a
     * row per sentence), for each row the encoded row it decodes ({@code origin}), and what the step
     * graph reads: the encoded rows {@code held}, one per row, or one per sentence where the graph
     * takes that ({@code perSentence}: its memory inputs' first dimension is "sentences", the rows
     * being blocks of equal size, one per sentence, as beam search keeps them). A selection that
     * keeps {@code held} (beam search reordering rows within their sentences) copies nothing.
     */
    private record Memory(Map<String, NDArray> encoded, int[] origin, int[] held, Map<String, NDArray> view,
                          boolean perSentence) {
        Memory select(int[] rows, NDManager manager) {
            int[] picked = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                picked[i] = origin[rows[i]];
            }
            int[] blocks = perSentence ? blocks(picked) : null;
            int[] needed = blocks != null ? blocks : picked;
            if (Arrays.equals(needed, held)) {
                return new Memory(encoded, picked, held, view, perSentence);
            }
            NDArray index = manager.create(needed);
            Map<String, NDArray> rowsOf = new LinkedHashMap<>();
            encoded.forEach((name, array) -> rowsOf.put(name, Rows.select(array, index)));
            return new Memory(encoded, picked, needed, rowsOf, perSentence);
        }

        /** The row each block of equal, consecutive origins starts with, or null unless all blocks are as long. */
        private static int[] blocks(int[] origin) {
            List<Integer> starts = new ArrayList<>();
            for (int i = 0; i < origin.length; i++) {
                if (i == 0 || origin[i] != origin[i - 1]) {
                    starts.add(origin[i]);
                }
            }
            int size = origin.length / Math.max(1, starts.size());
            for (int i = 0; i < origin.length; i++) {
                if (size * starts.size() != origin.length || origin[i] != starts.get(i / size)) {
                    return null;
                }
            }
            return starts.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * The memory, the state of the step to run next ("state.*") and the caches ("cache.*") with, for
     * each row, the cache row it continues (beam search's reordering, which the step graph applies).
     */
    private record State(Memory memory, Map<String, NDArray> values, Map<String, NDArray> caches, int[] parents,
                         long step) implements DecoderState {
        @Override
        public DecoderState select(NDArray rows) {
            int[] index = rows.toType(DataType.INT32, false).toIntArray();
            int[] continued = new int[index.length];
            for (int i = 0; i < index.length; i++) {
                continued[i] = parents[index[i]];
            }
            Map<String, NDArray> picked = new LinkedHashMap<>();
            values.forEach((name, array) -> picked.put(name, Rows.select(array, rows)));
            return new State(memory.select(index, rows.getManager()), picked, caches, continued, step);
        }

        @Override
        public NDList arrays() {
            NDList all = new NDList();
            all.addAll(memory.encoded().values());
            if (memory.view() != memory.encoded()) {
                all.addAll(memory.view().values());
            }
            all.addAll(values.values());
            all.addAll(caches.values());
            return all;
        }
    }

    @Override
    public DecoderState encode(ParameterStore ps, NDArray source, NDArray sourceLengths, int maxSteps) {
        Map<String, NDArray> in = Map.of(StepNames.SOURCE, source.toType(DataType.INT64, false),
                StepNames.SOURCE_LENGTHS, sourceLengths.toType(DataType.INT64, false));
        Map<String, NDArray> memory = new LinkedHashMap<>();
        Map<String, NDArray> values = new LinkedHashMap<>();
        encoder.run(in, source.size(), source.getManager()).forEach((name, array) -> {
            if (name.startsWith(StepNames.MEMORY)) {
                memory.put(name, array);
            } else if (name.startsWith(StepNames.STATE)) {
                values.put(name, array);
            }
        });
        int[] origin = new int[(int) source.getShape().get(0)];
        Arrays.setAll(origin, i -> i);
        boolean perSentence = step.inputDimensions().entrySet().stream().anyMatch(e -> e.getKey().startsWith(
                StepNames.MEMORY) && StepNames.SENTENCES.equals(e.getValue()[0].name()));
        return new State(new Memory(memory, origin, origin.clone(), memory, perSentence), values,
                caches(source, Math.min(FIRST_CAPACITY, Math.max(1, maxSteps))), origin.clone(), 0);
    }

    /** Zeroed "cache.*" buffers for the step graph, room for {@code capacity} positions. */
    private Map<String, NDArray> caches(NDArray source, long capacity) {
        Map<String, NDArray> caches = new LinkedHashMap<>();
        step.inputDimensions().forEach((name, dims) -> {
            if (name.startsWith(StepNames.CACHE)) {
                long[] shape = new long[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    shape[i] = dims[i].size() >= 0 ? dims[i].size()
                            : StepNames.CAPACITY.equals(dims[i].name()) ? capacity : source.getShape().get(0);
                }
                // Zeros, not garbage: a masked position's weight is 0, and 0 times NaN is not.
                caches.put(name, source.getManager().zeros(new Shape(shape)));
            }
        });
        return caches;
    }

    @Override
    public StepOutput step(ParameterStore ps, DecoderState decoderState, NDArray previousTokens) {
        State state = (State) decoderState;
        NDManager manager = previousTokens.getManager();
        Map<String, NDArray> in = new HashMap<>(state.memory().view());
        in.putAll(state.values());
        in.putAll(room(state.caches(), state.step()));
        in.put(StepNames.TOKENS, previousTokens.toType(DataType.INT64, false));
        in.put(StepNames.STEP, manager.create(state.step()));
        if (!state.caches().isEmpty()) {
            in.put(StepNames.PARENTS, manager.create(Arrays.stream(state.parents()).asLongStream().toArray()));
        }
        Map<String, NDArray> out = step.run(in, previousTokens.size(), manager);
        Map<String, NDArray> next = new LinkedHashMap<>();
        Map<String, NDArray> caches = new LinkedHashMap<>();
        out.forEach((name, array) -> {
            if (name.startsWith(StepNames.NEXT_STATE)) {
                next.put(StepNames.STATE + name.substring(StepNames.NEXT_STATE.length()), array);
            } else if (name.startsWith(StepNames.NEXT_CACHE)) {
                caches.put(StepNames.CACHE + name.substring(StepNames.NEXT_CACHE.length()), array);
            }
        });
        out.forEach((name, array) -> {
            if (name.startsWith(StepNames.NEW_CACHE)) {
                writePositions(caches.get(StepNames.CACHE + name.substring(StepNames.NEW_CACHE.length())), array,
                        state.step());
            }
        });
        int[] rows = new int[(int) previousTokens.size()];
        Arrays.setAll(rows, i -> i);
        return new StepOutput(out.get(StepNames.LOG_PROBS), new State(state.memory(), next, caches, rows,
                state.step() + 1), out.get(StepNames.ATTENTION));
    }

    /**
     * Writes entries [B, H, n, d] into cache [B, H, capacity, d] at positions {@code position} to
     * {@code position + n}, through both arrays' memory: B·H copies, where an indexed assignment
     * costs a native call of its own (and the Java engine has none).
     */
    private static void writePositions(NDArray cache, NDArray entries, long position) {
        ByteBuffer to = cache.toByteBuffer(true);
        Shape shape = cache.getShape();
        long n = entries.getShape().get(2);
        if (!to.isDirect()) {
            // Not the array's own memory (the engine copied it): assign through the engine instead.
            cache.set(new NDIndex(":, :, {}:{}", position, position + n), entries);
            return;
        }
        ByteBuffer from = entries.toByteBuffer(true);
        int positionBytes = Math.toIntExact(shape.get(3) * Float.BYTES);
        int bytes = Math.toIntExact(n * positionBytes);
        long rows = shape.get(0) * shape.get(1);
        for (int r = 0; r < rows; r++) {
            to.put(Math.toIntExact((r * shape.get(2) + position) * positionBytes), from, r * bytes, bytes);
        }
    }

    /** The caches, with their positions doubled when this step's is past their end. */
    private static Map<String, NDArray> room(Map<String, NDArray> caches, long step) {
        Map<String, NDArray> roomy = new LinkedHashMap<>();
        caches.forEach((name, cache) -> {
            long capacity = cache.getShape().get(2);
            if (step < capacity) {
                roomy.put(name, cache);
            } else {
                Shape shape = cache.getShape();
                NDArray grown = cache.getManager().zeros(new Shape(shape.get(0), shape.get(1), 2 * capacity, shape.get(3)));
                writePositions(grown, cache, 0);
                roomy.put(name, grown);
            }
        });
        return roomy;
    }

    /** Teacher-forced scores, one step at a time: the log-probabilities serve as logits (their softmax is the same). */
    @Override
    public NDArray forward(ParameterStore ps, NDArray source, NDArray sourceLengths, NDArray targetInput,
                           boolean training) {
        long length = targetInput.getShape().get(1);
        DecoderState state = encode(ps, source, sourceLengths, (int) length);
        NDList scores = new NDList();
        for (long t = 0; t < length; t++) {
            StepOutput out = step(ps, state, targetInput.get(":, {}", t));
            scores.add(out.logProbs());
            state = out.state();
        }
        return NDArrays.stack(scores, 1);
    }

    /** The graphs hold the parameters; there is nothing to allocate. */
    @Override
    public void initializeParameters(NDManager manager) {
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[2].get(0), inputShapes[2].get(1), -1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    }

    @Override
    public void close() {
        try {
            encoder.close();
        } finally {
            step.close();
        }
    }
}
