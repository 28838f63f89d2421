package nmt.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nmt.InputError;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.config.TestConfigs;
import nmt.decode.BeamSearch;
import nmt.decode.GreedySearch;
import nmt.decode.Hypothesis;
import nmt.decode.SearchOptions;
import nmt.engine.Engines;
import nmt.engine.JavaEngine;
import nmt.engine.OnnxSession;
import nmt.model.DecoderState;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;
import nmt.model.StepOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exported graphs compute what the PyTorch network computes: step by step, the same
 * log-probabilities (within float rounding) and attention, through beam reordering, for every
 * variant of each architecture; int8 graphs stay close and really hold int8 weights.
 */
class OnnxExportTest {
    private static final int VOCABULARY = 13;
    private static final OnnxSession.Threads ONE_THREAD = new OnnxSession.Threads(1, 1);

    @TempDir
    Path dir;

    private NDManager manager;
    private ParameterStore ps;
    private NDArray source;
    private NDArray lengths;

    @BeforeEach
    void setUp() {
        Engines.pytorch().setRandomSeed(11);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ps = new ParameterStore(manager, false);
        source = manager.create(new int[] {5, 6, 7, 8, 3, 9, 10, 3, 0, 0, 11, 3, 0, 0, 0}, new Shape(3, 5));
        lengths = manager.create(new int[] {5, 3, 2});
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** The variants: every positional scheme, norm placement, activation and embedding sharing. */
    private static ModelConfig variant(String name) {
        return switch (name) {
            case "transformer" -> tiny("type", "transformer", "positional", "sinusoidal", "pre_norm", true,
                    "tied_embeddings", true);
            case "transformer-relative" -> tiny("type", "transformer", "positional", "relative",
                    "relative_max_distance", 2, "restricted_window", 2, "pre_norm", false, "activation", "gelu",
                    "shared_embeddings", true, "tied_embeddings", true);
            case "transformer-learned" -> tiny("type", "transformer", "positional", "learned", "pre_norm", true,
                    "tied_embeddings", false);
            case "bahdanau" -> tiny("type", "bahdanau", "rnn_type", "gru", "bidirectional", true,
                    "attention", "additive", "init_state", "bridge");
            case "luong-local-p-hard" -> tiny("type", "luong", "rnn_type", "gru", "bidirectional", false,
                    "attention", "general", "attention_scale", true, "attention_window", "local-p", "local_window", 2,
                    "attention_mode", "hard", "input_feeding", true, "init_state", "last", "tied_embeddings", true);
            case "luong-concat-local-m" -> tiny("type", "luong", "rnn_type", "gru", "bidirectional", true,
                    "attention", "concat", "attention_window", "local-m", "local_window", 2, "input_feeding", false,
                    "init_state", "zero");
            case "luong-dot" -> tiny("type", "luong", "rnn_type", "gru", "bidirectional", false, "attention", "dot",
                    "init_state", "bridge");
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static ModelConfig tiny(Object... keysAndValues) {
        Object[] all = new Object[keysAndValues.length + 14];
        System.arraycopy(new Object[] {"embedding_size", 16, "hidden_size", 16, "layers", 2, "dropout", 0.0, "heads", 2,
                "ff_size", 32, "max_positions", 64}, 0, all, 0, 14);
        System.arraycopy(keysAndValues, 0, all, 14, keysAndValues.length);
        return TestConfigs.model(all);
    }

    private Seq2Seq pytorch(ModelConfig config, DecodingConfig decoding) {
        Seq2Seq model = ModelFactory.create(config, VOCABULARY, VOCABULARY, decoding);
        model.initializeParameters(manager);
        return model;
    }

    private OnnxSeq2Seq exported(Seq2Seq model, ModelConfig config, DecodingConfig decoding, boolean int8, String name)
            throws IOException {
        OnnxExport.Graphs graphs = OnnxExport.export(model, config, decoding, VOCABULARY, VOCABULARY, int8, "test");
        return OnnxExport.load(write(graphs, name), ONE_THREAD);
    }

    private Path write(OnnxExport.Graphs graphs, String name) throws IOException {
        Path to = Files.createDirectories(dir.resolve(name));
        for (Map.Entry<String, byte[]> file : graphs.files().entrySet()) {
            Files.write(to.resolve(file.getKey()), file.getValue());
        }
        return to;
    }

    /** Steps both networks through the same tokens, reordering beams on the way; returns the largest difference. */
    private double largestDifference(Seq2Seq a, Seq2Seq b) {
        return largestDifference(a, b, manager);
    }

    /** The same, with b's inputs (and so its arrays) made by {@code arraysOfB}. */
    private double largestDifference(Seq2Seq a, Seq2Seq b, NDManager arraysOfB) {
        DecoderState sa = a.encode(ps, source, lengths, 8);
        DecoderState sb = b.encode(ps, copy(source, arraysOfB), copy(lengths, arraysOfB), 8);
        double largest = 0;
        int[][] tokens = {{2, 2, 2}, {5, 7, 9}, {4, 4, 12}, {6, 3, 8}};
        for (int t = 0; t < tokens.length; t++) {
            StepOutput oa = a.step(ps, sa, manager.create(tokens[t]));
            StepOutput ob = b.step(ps, sb, arraysOfB.create(tokens[t]));
            assertEquals(oa.logProbs().getShape(), ob.logProbs().getShape());
            assertEquals(oa.attention().getShape(), ob.attention().getShape());
            largest = Math.max(largest, maxAbs(oa.logProbs(), ob.logProbs()));
            largest = Math.max(largest, maxAbs(oa.attention(), ob.attention()));
            // Beam search keeps and repeats rows: the exported state must follow.
            int[] rows = t % 2 == 0 ? new int[] {2, 0, 0} : new int[] {1, 2, 1};
            sa = oa.state().select(manager.create(rows));
            sb = ob.state().select(arraysOfB.create(rows));
        }
        return largest;
    }

    private static NDArray copy(NDArray x, NDManager to) {
        return to.create(x.toIntArray(), x.getShape());
    }

    private static double maxAbs(NDArray x, NDArray y) {
        float[] a = x.toFloatArray();
        float[] b = y.toFloatArray();
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    @ParameterizedTest
    @ValueSource(strings = {"transformer", "transformer-relative", "transformer-learned", "bahdanau",
            "luong-local-p-hard", "luong-concat-local-m", "luong-dot"})
    void fp32GraphsStepLikeThePyTorchNetwork(String name) throws IOException {
        ModelConfig config = variant(name);
        DecodingConfig decoding = DecodingConfig.defaults();
        Seq2Seq model = pytorch(config, decoding);
        try (OnnxSeq2Seq onnx = exported(model, config, decoding, false, name)) {
            double difference = largestDifference(model, onnx);
            assertTrue(difference < 1e-4, name + ": " + difference);
        }
    }

    @Test
    void theReportedAttentionIsTheConfiguredLayerAndHead() throws IOException {
        ModelConfig config = variant("transformer");
        DecodingConfig decoding = TestConfigs.decoding("attention_layer", 0, "attention_head", 1);
        Seq2Seq model = pytorch(config, decoding);
        try (OnnxSeq2Seq onnx = exported(model, config, decoding, false, "head")) {
            assertTrue(largestDifference(model, onnx) < 1e-4);
        }
    }

    /** On PyTorch's arrays (beside trained models) and on the Java engine's (exported models alone). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void searchesGiveTheSameHypotheses(boolean onJava) throws IOException {
        ModelConfig config = variant("transformer-relative");
        DecodingConfig decoding = DecodingConfig.defaults();
        Seq2Seq model = pytorch(config, decoding);
        int[] limits = {9, 6, 7};
        try (OnnxSeq2Seq onnx = exported(model, config, decoding, false, "search");
             NDManager arrays = onJava ? JavaEngine.INSTANCE.newBaseManager() : manager.newSubManager()) {
            NDArray src = copy(source, arrays);
            NDArray len = copy(lengths, arrays);
            List<Hypothesis> greedy = GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy());
            List<Hypothesis> greedyOnnx = GreedySearch.search(onnx, ps, src, len, limits, SearchOptions.greedy());
            List<List<Hypothesis>> beam = BeamSearch.search(model, ps, source, lengths, limits,
                    SearchOptions.beam(3, 1.0, 2));
            List<List<Hypothesis>> beamOnnx = BeamSearch.search(onnx, ps, src, len, limits,
                    SearchOptions.beam(3, 1.0, 2));
            for (int b = 0; b < 3; b++) {
                assertArrayEquals(greedy.get(b).ids(), greedyOnnx.get(b).ids());
                assertEquals(greedy.get(b).score(), greedyOnnx.get(b).score(), 1e-4);
                for (int n = 0; n < 2; n++) {
                    assertArrayEquals(beam.get(b).get(n).ids(), beamOnnx.get(b).get(n).ids());
                    assertEquals(beam.get(b).get(n).score(), beamOnnx.get(b).get(n).score(), 1e-4);
                }
            }
        }
    }

    /** Every architecture's state (caches, recurrent states, memory) follows beams on the Java engine too. */
    @ParameterizedTest
    @ValueSource(strings = {"transformer", "bahdanau", "luong-local-p-hard"})
    void graphsStepOnTheJavaEngineAsOnPyTorch(String name) throws IOException {
        ModelConfig config = variant(name);
        DecodingConfig decoding = DecodingConfig.defaults();
        Seq2Seq model = pytorch(config, decoding);
        try (OnnxSeq2Seq onnx = exported(model, config, decoding, false, name);
             NDManager arrays = JavaEngine.INSTANCE.newBaseManager()) {
            double difference = largestDifference(model, onnx, arrays);
            assertTrue(difference < 1e-4, name + ": " + difference);
        }
    }

    @Test
    void int8GraphsHoldInt8WeightsAndStayClose() throws IOException {
        ModelConfig config = variant("transformer");
        DecodingConfig decoding = DecodingConfig.defaults();
        Seq2Seq model = pytorch(config, decoding);
        OnnxExport.Graphs graphs = OnnxExport.export(model, config, decoding, VOCABULARY, VOCABULARY, true, "test");
        OnnxMl.ModelProto step = OnnxMl.ModelProto.parseFrom(graphs.step());
        long quantized = step.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("DynamicQuantizeMatMul")).count();
        // Per layer: 2 self-attention (query, key and value as one; output) + 2 cross-attention (query, output)
        // + 2 feed-forward; then the output layer.
        assertEquals(2 * 6 + 1, quantized);
        // Outputs are named where they are made: no Identity node copies a cache.
        assertEquals(0, step.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Identity")).count());
        // No float32 weight matrix or embedding table is left (the sinusoids are a constant table).
        assertTrue(step.getGraph().getInitializerList().stream()
                .noneMatch(t -> t.getName().startsWith("w_") || t.getName().startsWith("e_")));
        try (OnnxSeq2Seq onnx = exported(model, config, decoding, true, "int8")) {
            double difference = largestDifference(model, onnx);
            assertTrue(difference > 1e-6 && difference < 0.25, "int8 vs fp32: " + difference);
        }
    }

    @Test
    void manyRowsRunOnTwoThreadsAlike() throws IOException {
        ModelConfig config = variant("transformer");
        DecodingConfig decoding = DecodingConfig.defaults();
        Seq2Seq model = pytorch(config, decoding);
        OnnxExport.Graphs graphs = OnnxExport.export(model, config, decoding, VOCABULARY, VOCABULARY, false, "test");
        Path to = write(graphs, "parallel");
        int rows = (int) OnnxSession.PARALLEL_ROWS + 8;
        int[] ids = new int[rows * 4];
        int[] rowLengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            rowLengths[r] = 2 + r % 3;
            for (int i = 0; i < rowLengths[r]; i++) {
                ids[r * 4 + i] = 4 + (r + i) % 9;
            }
        }
        NDArray many = manager.create(ids, new Shape(rows, 4));
        NDArray manyLengths = manager.create(rowLengths);
        try (OnnxSeq2Seq onnx = OnnxExport.load(to, new OnnxSession.Threads(2, 1))) {
            DecoderState expected = model.encode(ps, many, manyLengths, 4);
            DecoderState actual = onnx.encode(ps, many, manyLengths, 4);
            for (int t = 0; t < 3; t++) {
                int[] tokens = new int[rows];
                Arrays.fill(tokens, t == 0 ? 2 : 4 + t);
                StepOutput a = model.step(ps, expected, manager.create(tokens));
                StepOutput b = onnx.step(ps, actual, manager.create(tokens));
                assertEquals(new Shape(rows, VOCABULARY), b.logProbs().getShape());
                assertTrue(maxAbs(a.logProbs(), b.logProbs()) < 1e-4, "step " + t);
                expected = a.state();
                actual = b.state();
            }
        }
    }

    @Test
    void identicalTensorsAreStoredOnceAndSmallOnesInline() {
        ExternalData data = new ExternalData();
        byte[] table = new byte[4000];
        byte[] other = new byte[2000];
        for (int i = 0; i < table.length; i++) {
            table[i] = (byte) i;
            other[i % other.length] = (byte) (3 * i);
        }
        OnnxMl.TensorProto a = data.place(OnnxMl.TensorProto.newBuilder().setName("a"), table).build();
        OnnxMl.TensorProto b = data.place(OnnxMl.TensorProto.newBuilder().setName("b"), table.clone()).build();
        OnnxMl.TensorProto c = data.place(OnnxMl.TensorProto.newBuilder().setName("c"), other).build();
        OnnxMl.TensorProto small = data.place(OnnxMl.TensorProto.newBuilder().setName("s"), new byte[16]).build();
        assertEquals(List.of("weights.bin", "0", "4000"), external(a));
        assertEquals(external(a), external(b));
        // The next tensor starts at the next multiple of 64.
        assertEquals(List.of("weights.bin", "4032", "2000"), external(c));
        assertEquals(4032 + 2000, data.toByteArray().length);
        assertEquals(OnnxMl.TensorProto.DataLocation.DEFAULT, small.getDataLocation());
        assertEquals(16, small.getRawData().size());
    }

    private static List<String> external(OnnxMl.TensorProto tensor) {
        assertEquals(OnnxMl.TensorProto.DataLocation.EXTERNAL, tensor.getDataLocation());
        return tensor.getExternalDataList().stream().map(OnnxMl.StringStringEntryProto::getValue).toList();
    }

    @Test
    void anLstmModelIsRefusedInOneLine() {
        ModelConfig config = tiny("type", "luong", "rnn_type", "lstm");
        Seq2Seq model = pytorch(config, DecodingConfig.defaults());
        InputError refused = assertThrows(InputError.class, () -> OnnxExport.export(model, config,
                DecodingConfig.defaults(), VOCABULARY, VOCABULARY, false, "test"));
        assertEquals("model.rnn_type \"lstm\" cannot be exported to ONNX yet (DJL's LSTM does not compute what the "
                + "standard LSTM equations give with its stored weights); \"gru\" models export", refused.getMessage());
    }

    @Test
    void rowsAreQuantizedSymmetricallyWithOneScaleEach() {
        Weights.Quantized q = Weights.Quantized.rows(new float[] {0.5f, -1f, 0.25f, 0f, 0f, 0f}, 2, 3);
        assertArrayEquals(new float[] {1f / 127, 1f}, q.scales(), 1e-9f);
        // 0.5·127 = 63.5 rounds up; the largest magnitude takes the whole range.
        assertArrayEquals(new byte[] {64, -127, 32, 0, 0, 0}, q.values());
        assertArrayEquals(new byte[] {64, 0, -127, 0, 32, 0}, q.transposed());
    }
}
