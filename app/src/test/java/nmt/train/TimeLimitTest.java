package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nmt.cli.CliRunner;
import nmt.modeldir.ModelDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("trains")
class TimeLimitTest {
    @TempDir
    Path dir;

    @Test
    void trainingStopsOnceItsTimeIsUpAndStillSavesAValidatedModel() throws IOException {
        ReverseDigits.writeSplits(dir, 2000);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "src": "src", "trg": "trg"},
                 "model": {"type": "transformer", "hidden_size": 32, "heads": 2, "ff_size": 64, "layers": 1},
                 "training": {"batch_tokens": 200, "epochs": 50, "validation_freq": 100000, "log_freq": 100000,
                              "max_minutes": 0.0001},
                 "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        Path model = dir.resolve("model");
        CliRunner.Result run = CliRunner.run("train", config.toString(), "--output-dir", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> validations = Files.readAllLines(model.resolve(MetricsLog.FILE));
        assertEquals(1, validations.size(), "one validation, at the stop");
        JsonNode last = new ObjectMapper().readTree(validations.get(0));
        // 6 ms is less than one update takes: the run stops after its first.
        assertEquals(1, last.get("epoch").asInt());
        assertTrue(last.get("update").asInt() <= 2, validations.get(0));
        assertTrue(Files.isRegularFile(model.resolve(ModelDirectory.PARAMETERS_FILE)));
    }
}
