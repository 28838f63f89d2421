package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import nmt.cli.CliRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same config and seed give the same validation curve on CPU; another seed gives another. */
@Tag("trains")
class DeterminismTest {
    @TempDir
    Path dir;

    private List<String> curve(Path config, String name, long seed) throws IOException {
        Path out = dir.resolve(name);
        CliRunner.Result run = CliRunner.run("train", config.toString(), "--output-dir", out.toString(),
                "--set", "training.seed=" + seed);
        assertEquals(0, run.exitCode(), run.err());
        List<String> losses = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(MetricsLog.FILE))) {
            losses.add(line.replaceAll(".*\"dev_loss\":([0-9.eE-]+).*", "$1"));
            double trainLoss = Double.parseDouble(line.replaceAll(".*\"train_loss\":([0-9.eE-]+).*", "$1"));
            assertTrue(trainLoss > 0 && trainLoss < 10, line);
        }
        BufferedImage curves = ImageIO.read(out.resolve(TrainingCurves.FILE).toFile());
        assertEquals(900, curves.getWidth());
        assertEquals(500, curves.getHeight());
        return losses;
    }

    @Test
    void sameSeedSameCurve() throws IOException {
        Random random = new Random(3);
        List<String> src = new ArrayList<>();
        List<String> trg = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String a = "w" + random.nextInt(20) + " w" + random.nextInt(20) + " w" + random.nextInt(20);
            src.add(a);
            trg.add(a.toUpperCase());
        }
        Files.write(dir.resolve("c.src"), src);
        Files.write(dir.resolve("c.trg"), trg);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/c", "dev": "%1$s/c", "src": "src", "trg": "trg"},
                 "model": {"type": "bahdanau", "embedding_size": 16, "hidden_size": 16, "dropout": 0.3},
                 "training": {"batch_tokens": 200, "epochs": 2, "validation_freq": 5, "patience": 0,
                              "log_freq": 1000},
                 "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        List<String> first = curve(config, "a", 7);
        List<String> second = curve(config, "b", 7);
        List<String> other = curve(config, "c", 8);
        assertEquals(first, second);
        assertNotEquals(first, other);
        assertEquals(true, first.size() >= 3, "several validations: " + first);
    }
}
