package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nmt.cli.CliRunner;
import nmt.engine.Engines;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory names no engine build and no device: written on the local PyTorch (the suite
 * that runs with NMT_TORCH_HOME), it translates the same and resumes on the bundled 2.7.1. The other
 * way round is PinnedOutputsTest in that suite: models written on 2.7.1 read on the local PyTorch.
 */
@Tag("trains")
class CrossEngineTest {
    @TempDir
    Path dir;

    @Test
    void aModelWrittenOnTheLocalTorchTranslatesTheSameAndResumesOnTheBundledOne() throws Exception {
        assumeTrue(System.getenv("NMT_TORCH_HOME") != null, "runs in the local-PyTorch suite (NMT_TORCH_HOME set), "
                + "where the other engine is the bundled one");
        ReverseDigits.writeSplits(dir, 600);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "src": "src", "trg": "trg"},
                 "model": {"type": "transformer", "hidden_size": 32, "heads": 2, "ff_size": 64, "layers": 1,
                           "dropout": 0.0},
                 "training": {"learning_rate": 0.005, "batch_tokens": 300, "epochs": 2, "validation_freq": 20,
                              "log_freq": 100000, "seed": 9},
                 "decoding": {"max_output_length": 12}, "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        Path model = dir.resolve("model");
        CliRunner.Result trained = CliRunner.run("train", config.toString(), "--output-dir", model.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        String input = dir.resolve("test.src").toString();
        CliRunner.Result here = CliRunner.run("translate", "--model", model.toString(), "--input", input, "--beam", "3");
        assertEquals(0, here.exitCode(), here.err());

        Path output = dir.resolve("bundled.txt");
        String log = bundled(dir.resolve("translate.log"), "translate", "--model", model.toString(), "--input", input,
                "--beam", "3", "--output", output.toString());
        assertEquals(here.out().lines().toList(), Files.readAllLines(output), log);
        int validations = ReverseDigits.trainLosses(model).size();
        log = bundled(dir.resolve("resume.log"), "train", "--resume", model.toString(), "--set", "training.epochs=3");
        assertTrue(log.contains("engine PyTorch 2.7.1"), log);
        assertTrue(ReverseDigits.trainLosses(model).size() > validations, log);
    }

    /** Runs the CLI in a JVM that loads the bundled libtorch, and returns its log. */
    private static String bundled(Path log, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = CliRunner.inNewJvm(List.of(), args).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove(Engines.TORCH_HOME_ENV);
        List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION").forEach(environment::remove);
        Process process = builder.start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), args[0] + " ended");
        String text = Files.readString(log);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
