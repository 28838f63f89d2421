package nmt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnsembleTest {
    private NDManager manager;
    private ParameterStore ps;
    private NDArray source;
    private NDArray lengths;
    private final int[] limits = {12, 7, 9};

    @BeforeEach
    void setUp() {
        Engines.pytorch().setRandomSeed(5);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ps = new ParameterStore(manager, false);
        source = manager.create(new int[] {5, 6, 7, 8, 3, 9, 10, 3, 0, 0, 11, 3, 0, 0, 0}, new Shape(3, 5));
        lengths = manager.create(new int[] {5, 3, 2});
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Seq2Seq model(String type) {
        ModelConfig config = TestConfigs.model("type", type, "embedding_size", 16, "hidden_size", 16, "layers", 1,
                "dropout", 0.0, "heads", 2, "ff_size", 32, "max_positions", 64);
        Seq2Seq model = ModelFactory.create(config, 13, 13, DecodingConfig.defaults());
        model.initializeParameters(manager);
        return model;
    }

    @Test
    void anEnsembleOfOneModelOrOfItsCopiesDecodesLikeTheModel() {
        Seq2Seq model = model("transformer");
        List<Hypothesis> alone = GreedySearch.search(model, ps, source, lengths, limits, SearchOptions.greedy());
        List<List<Hypothesis>> beamAlone = BeamSearch.search(model, ps, source, lengths, limits, SearchOptions.beam(3, 1.0, 3));
        for (Ensemble ensemble : List.of(new Ensemble(List.of(model)), new Ensemble(List.of(model, model, model)))) {
            List<Hypothesis> greedy = GreedySearch.search(ensemble, ps, source, lengths, limits, SearchOptions.greedy());
            List<List<Hypothesis>> beam = BeamSearch.search(ensemble, ps, source, lengths, limits, SearchOptions.beam(3, 1.0, 3));
            for (int b = 0; b < 3; b++) {
                assertArrayEquals(alone.get(b).ids(), greedy.get(b).ids());
                assertEquals(alone.get(b).score(), greedy.get(b).score(), 1e-4);
                for (int n = 0; n < 3; n++) {
                    assertArrayEquals(beamAlone.get(b).get(n).ids(), beam.get(b).get(n).ids());
                    assertEquals(beamAlone.get(b).get(n).score(), beam.get(b).get(n).score(), 1e-4);
                }
            }
        }
    }

    @Test
    void aStepScoresWithTheMeanOfTheMembersLogProbabilities() {
        Seq2Seq rnn = model("luong");
        Seq2Seq transformer = model("transformer");
        Ensemble ensemble = new Ensemble(List.of(rnn, transformer));
        NDArray previous = manager.create(new int[] {2, 2, 2});
        float[] a = rnn.step(ps, rnn.encode(ps, source, lengths, 5), previous).logProbs().toFloatArray();
        float[] b = transformer.step(ps, transformer.encode(ps, source, lengths, 5), previous).logProbs()
                .toFloatArray();
        StepOutput both = ensemble.step(ps, ensemble.encode(ps, source, lengths, 5), previous);
        float[] mean = both.logProbs().toFloatArray();
        assertEquals(3 * 13, mean.length);
        for (int i = 0; i < mean.length; i++) {
            assertEquals((a[i] + b[i]) / 2, mean[i], 1e-5);
        }
        assertEquals(new Shape(3, 5), both.attention().getShape());
        // A mixed ensemble searches like any model: beam search reorders both members' states.
        List<List<Hypothesis>> beam = BeamSearch.search(ensemble, ps, source, lengths, limits, SearchOptions.beam(4, 1.0, 2));
        assertEquals(2, beam.get(0).size());
        assertEquals(true, beam.get(0).get(0).score() >= beam.get(0).get(1).score());
    }
}
