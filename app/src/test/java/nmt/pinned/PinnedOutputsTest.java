package nmt.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nmt.cli.CliRunner;
import nmt.decode.TextTranslator;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * translate, evaluate-bleu and DJL's Predictor give what translate printed when the pinned models
 * were made, byte for byte.
 */
class PinnedOutputsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bahdanau", "luong", "transformer"})
    void translateGreedyAndBeamNbest(String type) {
        String model = PinnedModels.model(type).toString();
        String input = PinnedModels.input().toString();
        assertEquals(PinnedModels.expected(type + ".greedy"), translate("--model", model, "--beam", "1"));
        assertEquals(PinnedModels.expected(type + ".beam3-nbest2"),
                translate("--model", model, "--beam", "3", "--nbest", "2"));
    }

    @Test
    void aModelNamesNoDeviceAndTranslateTakesOne() {
        String model = PinnedModels.model("luong").toString();
        assertEquals(PinnedModels.expected("luong.greedy"), translate("--model", model, "--beam", "1", "--device", "cpu"));
        CliRunner.Result gpu = CliRunner.run("translate", "--model", model, "--input", PinnedModels.input().toString(),
                "--device", "gpu");
        if (gpu.exitCode() != 0) {
            // No GPU visible here: one line saying so, and how to get one.
            assertTrue(gpu.err().strip().startsWith("error: device \"gpu\" was asked for but the PyTorch engine"),
                    gpu.err());
            assertEquals(1, gpu.err().strip().lines().count(), gpu.err());
        }
    }

    @Test
    void translateWithAnEnsembleOfTwoArchitectures() {
        String luong = PinnedModels.model("luong").toString();
        String transformer = PinnedModels.model("transformer").toString();
        assertEquals(PinnedModels.expected("ensemble.greedy"),
                translate("--model", luong, "--model", transformer, "--beam", "1"));
        assertEquals(PinnedModels.expected("ensemble.beam3"),
                translate("--model", luong, "--model", transformer, "--beam", "3"));
    }

    @Test
    void evaluateBleuWritesTheSameTranslations() throws Exception {
        Path hypotheses = dir.resolve("hyp.txt");
        CliRunner.Result run = CliRunner.run("evaluate-bleu", "--model", PinnedModels.model("luong").toString(),
                "--model", PinnedModels.model("transformer").toString(), "--beam", "3",
                "--src", PinnedModels.input().toString(), "--ref", PinnedModels.input().toString(),
                "--output", hypotheses.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(PinnedModels.expectedLines("ensemble.beam3"), Files.readAllLines(hypotheses));
    }

    @Test
    void djlPredictorOverAModelAndAnEnsemble() throws TranslateException {
        try (TranslationModel model = ModelDirectory.load(List.of(PinnedModels.model("bahdanau")), List.of());
             Predictor<String, String> predictor = TextTranslator.newPredictor(model)) {
            assertEquals(PinnedModels.expectedLines("bahdanau.beam3-nbest2").get(0),
                    predictor.predict(PinnedModels.inputLines().get(0)));
        }
        try (TranslationModel model = ModelDirectory.load(List.of(PinnedModels.model("luong"),
                PinnedModels.model("transformer")), List.of("decoding.beam_size=1"));
             Predictor<String, String> predictor = TextTranslator.newPredictor(model)) {
            assertEquals(PinnedModels.expectedLines("ensemble.greedy"), predictor.batchPredict(PinnedModels.inputLines()));
        }
    }

    private static String translate(String... options) {
        List<String> args = new ArrayList<>(List.of("translate", "--input", PinnedModels.input().toString()));
        args.addAll(List.of(options));
        CliRunner.Result run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return run.out();
    }
}
