package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nmt.cli.CliRunner;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.model.ModelFactory;
import nmt.modeldir.ModelDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("trains")
class CheckpointAverageTest {
    @TempDir
    Path dir;

    @Test
    void theAverageOfTwoCheckpointsIsTheirMeanAndTranslates() throws IOException {
        ReverseDigits.writeSplits(dir, 400);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "src": "src", "trg": "trg"},
                 "model": {"type": "transformer", "hidden_size": 32, "heads": 2, "ff_size": 64, "layers": 1},
                 "training": {"batch_tokens": 400, "epochs": 4, "validation_freq": 5, "checkpoint_freq": 5,
                              "keep_checkpoints": 3, "log_freq": 1000},
                 "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        Path model = dir.resolve("model");
        CliRunner.Result train = CliRunner.run("train", config.toString(), "--output-dir", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        List<Path> last = CheckpointAverage.choose(model, CheckpointAverage.Selection.LAST, 2);
        assertEquals(2, last.size());
        assertTrue(last.get(0).getFileName().toString().compareTo(last.get(1).getFileName().toString()) < 0);

        Path averaged = dir.resolve("averaged");
        CliRunner.Result run = CliRunner.run("average", "--model", model.toString(), "--last", "2", "--output",
                averaged.toString());
        assertEquals(0, run.exitCode(), run.err());
        Map<String, float[]> a = parameters(model, last.get(0));
        Map<String, float[]> b = parameters(model, last.get(1));
        Map<String, float[]> mean = parameters(model, averaged);
        assertEquals(a.keySet(), mean.keySet());
        double largestChange = 0;
        for (String name : a.keySet()) {
            for (int i = 0; i < a.get(name).length; i++) {
                float expected = (a.get(name)[i] + b.get(name)[i]) / 2;
                assertEquals(expected, mean.get(name)[i], 1e-6, name + "[" + i + "]");
                largestChange = Math.max(largestChange, Math.abs(a.get(name)[i] - b.get(name)[i]));
            }
        }
        assertTrue(largestChange > 1e-4, "the two checkpoints differ, so the mean is not either of them");

        Path input = dir.resolve("in.txt");
        Files.write(input, List.of("1 2 3", "4 5 6 7"));
        CliRunner.Result translated = CliRunner.run("translate", "--model", averaged.toString(), "--input",
                input.toString());
        assertEquals(0, translated.exitCode(), translated.err());
        assertEquals(2, translated.out().split("\n", -1).length - 1);

        List<Path> best = CheckpointAverage.choose(model, CheckpointAverage.Selection.BEST, 2);
        assertEquals(2, best.size());
        CliRunner.Result tooMany = CliRunner.run("average", "--model", model.toString(), "--last", "4", "--output",
                dir.resolve("x").toString());
        assertEquals(1, tooMany.exitCode());
        assertEquals("error: " + model.resolve("checkpoints") + " holds 3 checkpoints, fewer than the 4 asked for; "
                + "training.keep_checkpoints sets how many are kept\n", tooMany.err());
        CliRunner.Result both = CliRunner.run("average", "--model", model.toString(), "--best", "1", "--last", "1",
                "--output", dir.resolve("y").toString());
        assertEquals(2, both.exitCode());
    }

    /** A model directory's or a checkpoint's parameters, by name. */
    private static Map<String, float[]> parameters(Path modelDir, Path saved) {
        ModelDirectory dir = ModelDirectory.openForResume(modelDir);
        Config config = dir.config();
        LanguagePair languages = dir.languages(config);
        try (Model model = Model.newInstance("test", Device.cpu(), "PyTorch")) {
            model.setBlock(ModelFactory.create(config, languages.sourcePipeline().vocabulary().size(),
                    languages.targetPipeline().vocabulary().size()));
            Checkpoints.loadParameters(saved, model);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return out;
        }
    }
}
