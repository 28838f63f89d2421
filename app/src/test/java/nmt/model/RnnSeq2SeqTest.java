package nmt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.config.TestConfigs;
import nmt.engine.Engines;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RnnSeq2SeqTest {
    private static final int SRC_VOCAB = 11;
    private static final int TRG_VOCAB = 13;

    private static ModelConfig config(String type, String rnn, boolean feeding, String window, boolean tied) {
        return TestConfigs.model("type", type, "embedding_size", 8, "hidden_size", 8, "layers", 2, "dropout", 0.0,
                "rnn_type", rnn, "attention_window", window, "local_window", 2, "input_feeding", feeding,
                "tied_embeddings", tied);
    }

    @ParameterizedTest
    @CsvSource({
        "bahdanau, gru, true, global, false",
        "bahdanau, lstm, true, global, true",
        "luong, lstm, true, local-p, true",
        "luong, gru, false, local-m, false"
    })
    void teacherForcingMatchesStepwiseDecodingAndSurvivesSaveAndLoad(String type, String rnn, boolean feeding,
            String window, boolean tied, @TempDir Path dir) throws IOException, MalformedModelException {
        Engines.pytorch().setRandomSeed(5);
        ModelConfig config = config(type, rnn, feeding, window, tied);
        try (Model model = Model.newInstance("a", Device.cpu(), "PyTorch");
             NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Seq2Seq block = ModelFactory.create(config, SRC_VOCAB, TRG_VOCAB, DecodingConfig.defaults());
            model.setBlock(block);
            block.initializeParameters(model.getNDManager());
            ParameterStore ps = new ParameterStore(m, false);
            NDArray source = m.create(new int[] {5, 6, 7, 3, 8, 3, 0, 0}, new Shape(2, 4));
            NDArray lengths = m.create(new int[] {4, 2});
            NDArray targetIn = m.create(new int[] {2, 9, 10, 2, 4, 0}, new Shape(2, 3));
            NDArray logits = block.forward(ps, source, lengths, targetIn, false);
            assertEquals(new Shape(2, 3, TRG_VOCAB), logits.getShape());

            // Step by step with the same inputs gives the same log-probabilities.
            DecoderState state = block.encode(ps, source, lengths, 3);
            float[] expected = logits.logSoftmax(-1).toFloatArray();
            for (int t = 0; t < 3; t++) {
                StepOutput out = block.step(ps, state, targetIn.get(":, {}", t));
                assertEquals(new Shape(2, TRG_VOCAB), out.logProbs().getShape());
                assertEquals(new Shape(2, 4), out.attention().getShape());
                float[] row = out.logProbs().toFloatArray();
                for (int b = 0; b < 2; b++) {
                    for (int v = 0; v < TRG_VOCAB; v++) {
                        assertEquals(expected[(b * 3 + t) * TRG_VOCAB + v], row[b * TRG_VOCAB + v], 1e-5f);
                    }
                }
                assertEquals(0f, out.attention().getFloat(1, 2), "attention on padding");
                state = out.state();
            }

            model.save(dir, "nmt");
            try (Model reloaded = Model.newInstance("b", Device.cpu(), "PyTorch")) {
                Seq2Seq copy = ModelFactory.create(config, SRC_VOCAB, TRG_VOCAB, DecodingConfig.defaults());
                reloaded.setBlock(copy);
                reloaded.load(dir, "nmt");
                assertArrayEquals(logits.toFloatArray(), copy.forward(ps, source, lengths, targetIn, false).toFloatArray(),
                        1e-6f);
            }
        }
    }
}
