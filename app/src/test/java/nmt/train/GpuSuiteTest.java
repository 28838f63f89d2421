package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nmt.cli.CliRunner;
import nmt.engine.EngineReport;
import nmt.engine.Engines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GPU suite ({@code mvn -B test -Pgpu} with NMT_TORCH_HOME from app/scripts/local-torch.sh on a
 * CUDA PyTorch): each model type trains on the GPU and its loss falls, its greedy outputs on the GPU
 * and on the CPU agree, and its GPU checkpoint resumes on the CPU. Skipped with a message where no
 * GPU is visible; {@code -Dnmt.test.accelerator=cpu} runs it with the CPU standing in for the GPU,
 * which checks the suite itself on any machine.
 */
@Tag("gpu")
@Tag("trains")
class GpuSuiteTest {
    private static final String ACCELERATOR = System.getProperty("nmt.test.accelerator", "gpu");
    /**
     * Share of greedy outputs that may differ between GPU and CPU: their kernels add in other orders,
     * and a near-tie between two tokens can go either way.
     */
    private static final double DIFFERING_OUTPUTS = 0.02;

    @TempDir
    Path dir;

    @BeforeEach
    void needsAGpu() {
        Engine engine = Engines.pytorch();
        assumeTrue(!"gpu".equals(ACCELERATOR) || engine.getGpuCount() > 0, "no GPU visible to PyTorch "
                + engine.getVersion() + " (" + EngineReport.read().libtorch() + "): run with NMT_TORCH_HOME set to a "
                + "folder built by app/scripts/local-torch.sh against a CUDA PyTorch (README: \"Engines and GPUs\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bahdanau", "luong", "transformer"})
    void trainsOnTheGpuAgreesWithTheCpuAndResumesOnIt(String type) throws IOException {
        ReverseDigits.writeSplits(dir, 1000);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "test": "%1$s/test", "src": "src", "trg": "trg"},
                 "model": {"type": "%2$s", "hidden_size": 64, "embedding_size": 64, "heads": 4, "ff_size": 128,
                           "dropout": 0.0},
                 "training": {"learning_rate": 0.005, "batch_tokens": 400, "epochs": 3, "validation_freq": 10,
                              "checkpoint_freq": 10, "keep_checkpoints": 1, "log_freq": 100000, "seed": 3},
                 "decoding": {"max_output_length": 12},
                 "device": "%3$s"}
                """.formatted(dir.toString().replace("\\", "/"), type, ACCELERATOR));
        Path model = dir.resolve("model");
        CliRunner.Result trained = CliRunner.run("train", config.toString(), "--output-dir", model.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        List<Double> losses = ReverseDigits.trainLosses(model);
        assertTrue(losses.size() >= 4 && losses.get(losses.size() - 1) < 0.8 * losses.get(0), type + ": " + losses);

        String test = dir.resolve("test.src").toString();
        List<String> onAccelerator = translate(model, test, ACCELERATOR);
        List<String> onCpu = translate(model, test, "cpu");
        int differ = 0;
        for (int i = 0; i < onCpu.size(); i++) {
            differ += onCpu.get(i).equals(onAccelerator.get(i)) ? 0 : 1;
        }
        assertEquals(onCpu.size(), onAccelerator.size());
        assertTrue(differ <= DIFFERING_OUTPUTS * onCpu.size(), type + ": " + differ + " of " + onCpu.size()
                + " greedy outputs differ between " + ACCELERATOR + " and cpu");

        CliRunner.Result resumed = CliRunner.run("train", "--resume", model.toString(), "--set", "device=cpu",
                "--set", "training.epochs=4");
        assertEquals(0, resumed.exitCode(), resumed.err());
        List<Double> after = ReverseDigits.trainLosses(model);
        assertTrue(after.size() > losses.size(), "the resumed run validated again: " + after);
        assertTrue(after.get(after.size() - 1) < 0.8 * losses.get(0), type + " resumed on cpu: " + after);
    }

    private static List<String> translate(Path model, String input, String device) {
        CliRunner.Result run = CliRunner.run("translate", "--model", model.toString(), "--input", input, "--beam", "1",
                "--device", device);
        assertEquals(0, run.exitCode(), run.err());
        return run.out().lines().toList();
    }
}
