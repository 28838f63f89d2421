package nmt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.config.TestConfigs;
import nmt.decode.BeamSearch;
import nmt.decode.GreedySearch;
import nmt.decode.Hypothesis;
import nmt.decode.SearchOptions;
import nmt.engine.Engines;
import nmt.model.attention.AttentionResult;
import nmt.model.attention.MultiHeadAttention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransformerTest {
    private static final int VOCAB = 17;

    private NDManager manager;
    private ParameterStore ps;

    @BeforeEach
    void setUp() {
        Engines.pytorch().setRandomSeed(9);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Seq2Seq model(boolean preNorm, String positional, int restricted, boolean kvCache) {
        ModelConfig config = TestConfigs.model("type", "transformer", "embedding_size", 16, "hidden_size", 16,
                "layers", 2, "dropout", 0.0, "heads", 4, "ff_size", 32, "positional", positional,
                "max_positions", 64, "pre_norm", preNorm, "restricted_window", restricted,
                "relative_max_distance", 3);
        Seq2Seq model = ModelFactory.create(config, VOCAB, VOCAB, DecodingConfig.defaults().withKvCache(kvCache));
        model.initializeParameters(manager);
        return model;
    }

    /** The same weights, decoding without the key/value cache. */
    private Seq2Seq withoutCache(Seq2Seq cached, String positional) {
        Seq2Seq uncached = model(true, positional, 0, false);
        ai.djl.util.PairList<String, ai.djl.nn.Parameter> from = cached.getParameters();
        ai.djl.util.PairList<String, ai.djl.nn.Parameter> to = uncached.getParameters();
        for (int i = 0; i < from.size(); i++) {
            to.get(i).getValue().getArray().set(from.get(i).getValue().getArray().toFloatArray());
        }
        return uncached;
    }

    private NDArray ids(int[] values, int rows) {
        return manager.create(values, new Shape(rows, values.length / rows));
    }

    @ParameterizedTest
    @CsvSource({"true, sinusoidal", "false, learned", "true, relative"})
    void laterTargetTokensNeverChangeEarlierOutputs(boolean preNorm, String positional) {
        Seq2Seq model = model(preNorm, positional, 0, true);
        NDArray source = ids(new int[] {5, 6, 7, 3}, 1);
        NDArray lengths = manager.create(new int[] {4});
        int[] target = {2, 8, 9, 10, 11};
        float[] before = model.forward(ps, source, lengths, ids(target, 1), false).toFloatArray();
        for (int j = 1; j < target.length; j++) {
            int[] changed = target.clone();
            changed[j] = 12 + j % 4;
            float[] after = model.forward(ps, source, lengths, ids(changed, 1), false).toFloatArray();
            for (int i = 0; i < j * VOCAB; i++) {
                assertEquals(before[i], after[i], 1e-5f, "position " + i / VOCAB + " changed with token " + j);
            }
            assertNotEquals(before[j * VOCAB], after[j * VOCAB], "position j itself must see its token");
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "1"})
    void sourcePaddingContentDoesNotMatter(int restricted) {
        Seq2Seq model = model(true, "sinusoidal", restricted, true);
        NDArray lengths = manager.create(new int[] {5, 2});
        NDArray target = ids(new int[] {2, 8, 9, 2, 10, 11}, 2);
        float[] a = model.forward(ps, ids(new int[] {5, 6, 7, 8, 3, 9, 3, 0, 0, 0}, 2), lengths, target, false)
                .toFloatArray();
        float[] b = model.forward(ps, ids(new int[] {5, 6, 7, 8, 3, 9, 3, 14, 15, 16}, 2), lengths, target, false)
                .toFloatArray();
        assertArrayEquals(a, b, 1e-5f);
    }

    /** With relative positions (k = 3) the 30 steps run well past the clipping distance. */
    @ParameterizedTest
    @CsvSource({"sinusoidal", "relative"})
    void cachedAndUncachedGreedyDecodingAgree(String positional) {
        Seq2Seq cached = model(true, positional, 0, true);
        Seq2Seq uncached = withoutCache(cached, positional);
        NDArray source = ids(new int[] {5, 6, 7, 8, 3, 9, 10, 3, 0, 0}, 2);
        NDArray lengths = manager.create(new int[] {5, 3});
        int[] limits = {30, 30};
        List<Hypothesis> a = GreedySearch.search(cached, ps, source, lengths, limits, SearchOptions.greedy());
        List<Hypothesis> b = GreedySearch.search(uncached, ps, source, lengths, limits, SearchOptions.greedy());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(b.get(k).ids(), a.get(k).ids());
            assertEquals(b.get(k).attention().length, a.get(k).attention().length);
            for (int t = 0; t < a.get(k).attention().length; t++) {
                assertArrayEquals(b.get(k).attention()[t], a.get(k).attention()[t], 1e-5f);
            }
        }
        assertEquals(true, a.get(0).ids().length > 3, "an untrained model should babble for a while");

        // Beam search reorders the cache every step (only its written part) and drops finished sentences.
        List<List<Hypothesis>> beamCached = BeamSearch.search(cached, ps, source, lengths, limits, SearchOptions.beam(4, 1.0, 4));
        List<List<Hypothesis>> beamUncached = BeamSearch.search(uncached, ps, source, lengths, limits, SearchOptions.beam(4, 1.0, 4));
        for (int k = 0; k < 2; k++) {
            assertEquals(4, beamCached.get(k).size());
            for (int n = 0; n < 4; n++) {
                assertArrayEquals(beamUncached.get(k).get(n).ids(), beamCached.get(k).get(n).ids());
                assertEquals(beamUncached.get(k).get(n).score(), beamCached.get(k).get(n).score(), 1e-4);
            }
        }
    }

    /** Without the cache, a batch of 150 × up to 40 positions is recomputed in groups of rows: same outputs. */
    @Test
    void recomputingInGroupsOfRowsAgreesWithTheCache() {
        Seq2Seq cached = model(true, "sinusoidal", 0, true);
        Seq2Seq uncached = withoutCache(cached, "sinusoidal");
        int rows = 150;
        int[] ids = new int[rows * 4];
        int[] limits = new int[rows];
        for (int b = 0; b < rows; b++) {
            ids[b * 4] = 4 + b % 13;
            ids[b * 4 + 1] = 4 + (b / 13) % 13;
            ids[b * 4 + 2] = 4 + (b * 7) % 13;
            ids[b * 4 + 3] = 3;
            limits[b] = 40;
        }
        NDArray source = ids(ids, rows);
        int[] lengths = new int[rows];
        java.util.Arrays.fill(lengths, 4);
        nmt.decode.Constraints forced = new nmt.decode.Constraints(true, 40, 0);
        List<Hypothesis> a = GreedySearch.search(cached, ps, source, manager.create(lengths), limits, SearchOptions.greedy().withConstraints(forced));
        List<Hypothesis> b = GreedySearch.search(uncached, ps, source, manager.create(lengths), limits, SearchOptions.greedy().withConstraints(forced));
        for (int k = 0; k < rows; k++) {
            assertArrayEquals(a.get(k).ids(), b.get(k).ids(), "sentence " + k);
            assertArrayEquals(a.get(k).attention()[39], b.get(k).attention()[39], 1e-5f);
            assertEquals(a.get(k).score(), b.get(k).score(), 1e-3);
        }
    }

    @ParameterizedTest
    @CsvSource({"sinusoidal", "relative"})
    void stepwiseDecodingMatchesTeacherForcing(String positional) {
        Seq2Seq model = model(false, positional, 0, true);
        NDArray source = ids(new int[] {5, 6, 7, 3}, 1);
        NDArray lengths = manager.create(new int[] {4});
        int[] target = {2, 8, 9, 10};
        float[] full = model.forward(ps, source, lengths, ids(target, 1), false).logSoftmax(-1).toFloatArray();
        // Room for one step only: the cache must grow (by doubling) for the later ones.
        DecoderState state = model.encode(ps, source, lengths, 1);
        for (int t = 0; t < target.length; t++) {
            StepOutput out = model.step(ps, state, manager.create(new int[] {target[t]}));
            float[] row = out.logProbs().toFloatArray();
            for (int v = 0; v < VOCAB; v++) {
                assertEquals(full[t * VOCAB + v], row[v], 1e-5f);
            }
            assertEquals(1f, out.attention().sum().getFloat(), 1e-5f);
            state = out.state();
        }
    }

    /** Multi-head attention against a direct computation in plain Java on a 2-token, d = 4, 2-head input. */
    @Test
    void multiHeadAttentionEqualsADirectComputation() {
        int d = 4;
        int heads = 2;
        int dk = d / heads;
        MultiHeadAttention mha = new MultiHeadAttention(d, heads, 0f);
        mha.initialize(manager, DataType.FLOAT32, new Shape(1, 2, d), new Shape(1, 3, d), new Shape(1, 1, 1, 3));
        float[] query = {0.5f, -1f, 2f, 0.1f, 1f, 0f, -0.5f, 0.3f};
        float[] encoded = {1f, 2f, 0f, -1f, 0.2f, 0.1f, 0.4f, -0.3f, -1f, 0.5f, 0.5f, 2f};
        float[] bias = {0, 0, -1e9f};
        AttentionResult r = mha.attend(ps, manager.create(query, new Shape(1, 2, d)),
                mha.keyValues(ps, manager.create(encoded, new Shape(1, 3, d)), false),
                manager.create(bias, new Shape(1, 1, 1, 3)), false);

        float[][] w = new float[4][];
        float[][] b = new float[4][];
        String[] names = {"query", "key", "value", "output"};
        for (int i = 0; i < 4; i++) {
            w[i] = parameter(mha, names[i] + "_weight");
            b[i] = parameter(mha, names[i] + "_bias");
        }
        double[][] q = linear(query, 2, w[0], b[0], d);
        double[][] k = linear(encoded, 3, w[1], b[1], d);
        double[][] v = linear(encoded, 3, w[2], b[2], d);
        double[][] context = new double[2][d];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < 2; i++) {
                double[] scores = new double[2];
                for (int j = 0; j < 2; j++) {
                    for (int c = 0; c < dk; c++) {
                        scores[j] += q[i][h * dk + c] * k[j][h * dk + c];
                    }
                    scores[j] /= Math.sqrt(dk);
                }
                double max = Math.max(scores[0], scores[1]);
                double z = Math.exp(scores[0] - max) + Math.exp(scores[1] - max);
                for (int j = 0; j < 2; j++) {
                    double weight = Math.exp(scores[j] - max) / z;
                    assertEquals(weight, r.weights().getFloat(0, h, i, j), 1e-5);
                    for (int c = 0; c < dk; c++) {
                        context[i][h * dk + c] += weight * v[j][h * dk + c];
                    }
                }
                assertEquals(0f, r.weights().getFloat(0, h, i, 2), "masked key");
            }
        }
        float[] flat = new float[2 * d];
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < d; c++) {
                flat[i * d + c] = (float) context[i][c];
            }
        }
        double[][] expected = linear(flat, 2, w[3], b[3], d);
        float[] actual = r.context().toFloatArray();
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < d; c++) {
                assertEquals(expected[i][c], actual[i * d + c], 1e-5);
            }
        }
    }

    /** DJL prefixes child parameter names with the child's position, e.g. "01query_weight". */
    private static float[] parameter(MultiHeadAttention block, String suffix) {
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + suffix);
    }

    /** y = x Wᵀ + b with W stored [out, in]. */
    private static double[][] linear(float[] x, int rows, float[] weight, float[] bias, int d) {
        double[][] y = new double[rows][d];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < d; o++) {
                double sum = bias[o];
                for (int i = 0; i < d; i++) {
                    sum += x[r * d + i] * weight[o * d + i];
                }
                y[r][o] = sum;
            }
        }
        return y;
    }
}
