package nmt.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.config.TestConfigs;
import nmt.engine.Engines;
import nmt.model.AbstractSeq2Seq;
import nmt.model.DecoderState;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;
import nmt.model.StepOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decoding holds one state and one step's arrays at a time: the arrays alive in the batch's
 * manager do not grow with the number of steps (only the Transformer's cache grows, in place or
 * by its own size), and nothing is left behind in the batch's or the model's manager afterwards.
 */
class DecodingMemoryTest {
    private static final int STEPS = 40;
    private static final int DIM = 16;
    private static final int LAYERS = 2;

    private NDManager modelManager;
    private NDManager batchManager;

    @BeforeEach
    void setUp() {
        Engines.pytorch().setRandomSeed(3);
        modelManager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        batchManager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void tearDown() {
        batchManager.close();
        modelManager.close();
    }

    @ParameterizedTest(name = "{0} {1} cache={2} beam={3}")
    @CsvSource({
        "bahdanau, gru, true, 1", "bahdanau, gru, true, 3",
        "luong, lstm, true, 1", "luong, lstm, true, 3",
        "transformer, gru, true, 1", "transformer, gru, true, 3",
        "transformer, gru, false, 1", "transformer, gru, false, 3"})
    void liveArraysDoNotGrowWithTheSteps(String type, String rnn, boolean cache, int beam) {
        ModelConfig config = TestConfigs.model("type", type, "embedding_size", DIM, "hidden_size", DIM,
                "layers", LAYERS, "dropout", 0.0, "rnn_type", rnn, "heads", 2, "ff_size", 32, "max_positions", 128);
        Seq2Seq model = ModelFactory.create(config, 13, 13, DecodingConfig.defaults().withKvCache(cache));
        model.initializeParameters(modelManager);
        int parameterArrays = modelManager.getManagedArrays().size();
        Watched watched = new Watched(model, batchManager);
        ParameterStore ps = new ParameterStore(modelManager, false);
        NDArray source = batchManager.create(new int[] {5, 6, 7, 8, 3, 9, 10, 3, 0, 0}, new Shape(2, 5));
        NDArray lengths = batchManager.create(new int[] {5, 3});
        int[] limits = {STEPS, STEPS};
        Constraints forced = new Constraints(true, STEPS, 0);
        if (beam == 1) {
            GreedySearch.search(watched, ps, source, lengths, limits, SearchOptions.greedy().withConstraints(forced))
                    .forEach(h -> assertEquals(STEPS, h.ids().length));
        } else {
            BeamSearch.search(watched, ps, source, lengths, limits, SearchOptions.beam(beam, 1.0, 1).withConstraints(forced))
                    .forEach(nbest -> assertEquals(STEPS, nbest.get(0).ids().length));
        }

        assertEquals(STEPS, watched.counts.size(), "one model step per output token");
        // From the second step on the cache exists; after that the number of live arrays is fixed.
        for (int t = 1; t < STEPS; t++) {
            assertEquals(watched.counts.get(1), watched.counts.get(t), "live arrays before step " + t);
        }
        long rows = 2L * beam;
        // The cache is made once and written in place, also when beam search reorders it; without
        // the cache the token history grows by one int per row and step.
        long stateGrowth = type.equals("transformer") && !cache ? rows * STEPS * Integer.BYTES : 0;
        long growth = watched.bytes.get(STEPS - 1) - watched.bytes.get(1);
        assertTrue(growth <= stateGrowth, "live bytes grew by " + growth + ", the state by at most " + stateGrowth);
        assertEquals(2, batchManager.getManagedArrays().size(), "only the caller's source and lengths are left");
        assertEquals(parameterArrays, modelManager.getManagedArrays().size(), "nothing is left with the parameters");
    }

    /** Passes everything to a model, noting the arrays alive in one manager before every step. */
    private static final class Watched extends AbstractSeq2Seq {
        private final Seq2Seq inner;
        private final NDManager watched;
        private final List<Integer> counts = new ArrayList<>();
        private final List<Long> bytes = new ArrayList<>();

        Watched(Seq2Seq inner, NDManager watched) {
            this.inner = addChildBlock("inner", inner);
            this.watched = watched;
        }

        @Override
        public NDArray forward(ParameterStore ps, NDArray source, NDArray lengths, NDArray target, boolean training) {
            return inner.forward(ps, source, lengths, target, training);
        }

        @Override
        public DecoderState encode(ParameterStore ps, NDArray source, NDArray lengths, int maxSteps) {
            return inner.encode(ps, source, lengths, maxSteps);
        }

        @Override
        public StepOutput step(ParameterStore ps, DecoderState state, NDArray previous) {
            List<NDArray> live = watched.getManagedArrays();
            counts.add(live.size());
            bytes.add(live.stream().mapToLong(a -> a.size() * a.getDataType().getNumOfBytes()).sum());
            return inner.step(ps, state, previous);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inner.getOutputShapes(inputShapes);
        }
    }
}
