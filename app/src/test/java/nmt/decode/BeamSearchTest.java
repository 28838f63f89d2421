package nmt.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.config.TestConfigs;
import nmt.data.Vocabulary;
import nmt.engine.Engines;
import nmt.model.AbstractSeq2Seq;
import nmt.model.DecoderState;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;
import nmt.model.StepOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BeamSearchTest {
    private static final int A = 4;
    private static final int B = 5;

    private NDManager manager;
    private ParameterStore ps;

    @BeforeEach
    void setUp() {
        Engines.pytorch().setRandomSeed(21);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bahdanau", "luong", "transformer"})
    void beamOfOneIsGreedy(String type) {
        ModelConfig config = TestConfigs.model("type", type, "embedding_size", 16, "hidden_size", 16, "layers", 1,
                "dropout", 0.0, "heads", 2, "ff_size", 32, "max_positions", 64);
        Seq2Seq model = ModelFactory.create(config, 13, 13, DecodingConfig.defaults());
        model.initializeParameters(manager);
        NDArray source = manager.create(new int[] {5, 6, 7, 8, 3, 9, 10, 3, 0, 0, 11, 3, 0, 0, 0}, new Shape(3, 5));
        NDArray lengths = manager.create(new int[] {5, 3, 2});
        int[] limits = {12, 7, 9};
        List<Hypothesis> greedy = GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy());
        List<List<Hypothesis>> beam = BeamSearch.search(model, ps, source, lengths, limits, SearchOptions.beam(1, 0.6, 1));
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(greedy.get(b).ids(), beam.get(b).get(0).ids(), type + " sentence " + b);
        }
    }

    @Test
    void nbestIsSortedByScore() {
        ModelConfig config = TestConfigs.model("type", "luong", "embedding_size", 16, "hidden_size", 16,
                "layers", 1, "dropout", 0.0);
        Seq2Seq model = ModelFactory.create(config, 13, 13, DecodingConfig.defaults());
        model.initializeParameters(manager);
        NDArray source = manager.create(new int[] {5, 6, 7, 3, 9, 3, 0, 0}, new Shape(2, 4));
        List<List<Hypothesis>> beams = BeamSearch.search(model, ps, source, manager.create(new int[] {4, 2}),
                new int[] {10, 10}, SearchOptions.beam(4, 1.0, 3));
        for (List<Hypothesis> nbest : beams) {
            assertEquals(3, nbest.size());
            for (int i = 1; i < nbest.size(); i++) {
                assertTrue(nbest.get(i - 1).score() >= nbest.get(i).score());
            }
        }
    }

    /**
     * A scoring model with known probabilities: first token A 0.6 or B 0.4; after A every token
     * (A, B, eos) has about 1/3; after B, eos has 0.9. Greedy takes A and ends no better than
     * 0.6 · 0.35; beam search finds "B" with 0.36.
     */
    @Test
    void beamFindsTheBestSequenceThatGreedyMisses() {
        Seq2Seq model = new ScriptedModel();
        NDArray source = manager.create(new int[] {A, 3}, new Shape(1, 2));
        NDArray lengths = manager.create(new int[] {2});
        List<Hypothesis> greedy = GreedySearch.search(model, ps, source, lengths, new int[] {3}, SearchOptions.greedy());
        assertEquals(A, greedy.get(0).ids()[0]);
        List<List<Hypothesis>> beam = BeamSearch.search(model, ps, source, lengths, new int[] {3}, SearchOptions.beam(2, 0.0, 2));
        assertArrayEquals(new int[] {B}, beam.get(0).get(0).ids());
        assertEquals(Math.log(0.4) + Math.log(0.9), beam.get(0).get(0).score(), 1e-5);
    }

    /** First-token distribution: unk 0.5, eos 0.3, A 0.15, B 0.05. */
    @Test
    void unknownTokensAndEarlyEndsCanBeForbidden() {
        Seq2Seq model = new ScriptedModel(true);
        NDArray source = manager.create(new int[] {A, 3}, new Shape(1, 2));
        NDArray lengths = manager.create(new int[] {2});
        int[] limits = {5};
        assertEquals(Vocabulary.UNK_ID, GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy()).get(0).ids()[0]);
        assertEquals(0, GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy().withConstraints(new Constraints(false, 0, 0)))
                .get(0).ids().length, "without <unk>, <eos> is the best first token");
        for (List<Hypothesis> found : List.of(
                List.of(GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy().withConstraints(new Constraints(false, 2, 0))).get(0)),
                BeamSearch.search(model, ps, source, lengths, limits, SearchOptions.beam(3, 1.0, 3).withConstraints(new Constraints(false, 2, 0))).get(0))) {
            for (Hypothesis h : found) {
                assertTrue(h.ids().length >= 2, Arrays.toString(h.ids()));
                assertTrue(Arrays.stream(h.ids()).noneMatch(id -> id == Vocabulary.UNK_ID), Arrays.toString(h.ids()));
            }
        }
    }

    @Test
    void blockedTokensCompleteAnEarlierNgram() {
        assertArrayEquals(new int[] {3}, new Constraints(true, 0, 3).repeatingTokens(new int[] {1, 2, 3, 1, 2}));
        assertArrayEquals(new int[] {7, 9}, new Constraints(true, 0, 2).repeatingTokens(new int[] {5, 7, 5, 9, 5}));
        assertArrayEquals(new int[] {5, 7}, new Constraints(true, 0, 1).repeatingTokens(new int[] {5, 7}));
        assertArrayEquals(new int[0], new Constraints(true, 0, 3).repeatingTokens(new int[] {4}));
    }

    /** After A, A is always the likeliest next token: greedy repeats it up to the limit unless blocked. */
    @Test
    void repeatedNgramsCanBeBlocked() {
        Seq2Seq model = new ScriptedModel();
        NDArray source = manager.create(new int[] {A, 3}, new Shape(1, 2));
        NDArray lengths = manager.create(new int[] {2});
        int[] limits = {5};
        assertArrayEquals(new int[] {A, A, A, A, A}, GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy()).get(0).ids());
        assertArrayEquals(new int[] {A, A, B}, GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy().withConstraints(new Constraints(true, 0, 2))).get(0).ids());
        assertArrayEquals(new int[] {A, B}, GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy().withConstraints(new Constraints(true, 0, 1))).get(0).ids());
        for (Hypothesis h : BeamSearch.search(model, ps, source, lengths, limits, SearchOptions.beam(3, 0.0, 3).withConstraints(new Constraints(true, 0, 2))).get(0)) {
            for (int i = 0; i + 1 < h.ids().length; i++) {
                for (int j = i + 1; j + 1 < h.ids().length; j++) {
                    assertTrue(h.ids()[i] != h.ids()[j] || h.ids()[i + 1] != h.ids()[j + 1], Arrays.toString(h.ids()));
                }
            }
        }
    }

    /** Next-token log-probabilities chosen by the prefix alone. */
    private static final class ScriptedModel extends AbstractSeq2Seq {
        private final boolean unknownFirst;

        ScriptedModel() {
            this(false);
        }

        ScriptedModel(boolean unknownFirst) {
            this.unknownFirst = unknownFirst;
        }

        private record Prefixes(List<int[]> rows) implements DecoderState {
            @Override
            public DecoderState select(NDArray selected) {
                List<int[]> next = new ArrayList<>();
                for (long r : selected.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()) {
                    next.add(rows.get((int) r));
                }
                return new Prefixes(next);
            }

            @Override
            public NDList arrays() {
                return new NDList();
            }
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray source, NDArray lengths, NDArray target, boolean training) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DecoderState encode(ParameterStore ps, NDArray source, NDArray lengths, int maxSteps) {
            List<int[]> rows = new ArrayList<>();
            for (int i = 0; i < source.getShape().get(0); i++) {
                rows.add(new int[0]);
            }
            return new Prefixes(rows);
        }

        @Override
        public StepOutput step(ParameterStore ps, DecoderState state, NDArray previous) {
            List<int[]> before = ((Prefixes) state).rows();
            int[] tokens = previous.toIntArray();
            int vocabulary = 6;
            float[] logProbs = new float[before.size() * vocabulary];
            List<int[]> after = new ArrayList<>();
            for (int r = 0; r < before.size(); r++) {
                int[] prefix = before.get(r);
                if (tokens[r] != Vocabulary.BOS_ID) {
                    prefix = Arrays.copyOf(prefix, prefix.length + 1);
                    prefix[prefix.length - 1] = tokens[r];
                }
                after.add(prefix);
                double[] p = new double[vocabulary];
                Arrays.fill(p, 1e-9);
                if (prefix.length == 0 && unknownFirst) {
                    p[Vocabulary.UNK_ID] = 0.5;
                    p[Vocabulary.EOS_ID] = 0.3;
                    p[A] = 0.15;
                    p[B] = 0.05;
                } else if (prefix.length == 0) {
                    p[A] = 0.6;
                    p[B] = 0.4;
                } else if (prefix[prefix.length - 1] == B) {
                    p[Vocabulary.EOS_ID] = 0.9;
                    p[A] = 0.1;
                } else {
                    p[A] = 0.35;
                    p[B] = 0.34;
                    p[Vocabulary.EOS_ID] = 0.31;
                }
                for (int v = 0; v < vocabulary; v++) {
                    logProbs[r * vocabulary + v] = (float) Math.log(p[v]);
                }
            }
            NDManager m = previous.getManager();
            return new StepOutput(m.create(logProbs, new Shape(before.size(), vocabulary)), new Prefixes(after),
                    m.ones(new Shape(before.size(), 1)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
