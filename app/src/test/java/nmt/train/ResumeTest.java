package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import nmt.cli.CliRunner;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints, --resume and --init-from, on a tiny Luong model and the digit-reversal task. */
@Tag("trains")
class ResumeTest {
    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeData() throws IOException {
        ReverseDigits.writeSplits(dir, 600);
        config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "test": "%1$s/test", "src": "src", "trg": "trg"},
                 "model": {"type": "luong", "hidden_size": 32, "embedding_size": 16, "dropout": 0.2},
                 "training": {"learning_rate": 0.01, "batch_tokens": 300, "epochs": 2, "validation_freq": 10,
                              "checkpoint_freq": 7, "keep_checkpoints": 2, "log_freq": 100000, "seed": 5},
                 "decoding": {"max_output_length": 12},
                 "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
    }

    private CliRunner.Result train(String... args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(List.of(args));
        return CliRunner.run(all.toArray(new String[0]));
    }

    private static List<JsonNode> validations(Path model) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(model.resolve("metrics.jsonl"))) {
            records.add(json.readTree(line));
        }
        return records;
    }

    private static List<String> checkpoints(Path model) throws IOException {
        try (Stream<Path> entries = Files.list(model.resolve(Checkpoints.FOLDER))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * One run trains from a corpus prepared beforehand; the other from the text, stopped after an
     * epoch and resumed with the training text gone: both follow the same curve.
     */
    @Test
    void resumedRunFollowsTheSameCurve() throws IOException {
        Path whole = dir.resolve("whole");
        Path prepared = dir.resolve("prepared-corpus");
        CliRunner.Result prepare = CliRunner.run("prepare", config.toString(), "--output", prepared.toString());
        assertEquals(0, prepare.exitCode(), prepare.err());
        assertTrue(prepare.out().contains("600 pairs of 600"), prepare.out());
        assertEquals(0, train(config.toString(), "--output-dir", whole.toString(), "--set",
                "data.prepared=" + prepared).exitCode());
        assertFalse(Files.exists(whole.resolve("prepared")), "the named prepared corpus is used");
        List<JsonNode> expected = validations(whole);
        assertEquals(2, checkpoints(whole).size(), "only the newest two checkpoints are kept");

        Path split = dir.resolve("split");
        CliRunner.Result first = train(config.toString(), "--output-dir", split.toString(), "--set", "training.epochs=1");
        assertEquals(0, first.exitCode(), first.err());
        Checkpoints.State resumePoint = Checkpoints.readState(new Checkpoints(split, 2).latest().orElseThrow());
        int resumedAt = resumePoint.update();
        assertTrue(resumePoint.seconds() > 0, "training time is kept: " + resumePoint.seconds());
        Files.move(dir.resolve("train.src"), dir.resolve("moved.src"));
        Files.move(dir.resolve("train.trg"), dir.resolve("moved.trg"));
        CliRunner.Result second = train("--resume", split.toString(), "--set", "training.epochs=2");
        assertEquals(0, second.exitCode(), second.err());

        int compared = 0;
        for (JsonNode record : validations(split)) {
            int update = record.get("update").asInt();
            if (update <= resumedAt && update % 10 != 0) {
                // The validation that ended the first part; the whole run made none there.
                continue;
            }
            JsonNode same = expected.stream().filter(r -> r.get("update").asInt() == update).findFirst().orElseThrow();
            assertEquals(same.get("dev_loss").asDouble(), record.get("dev_loss").asDouble(), 1e-6, "update " + update);
            assertEquals(same.get("dev_bleu").asDouble(), record.get("dev_bleu").asDouble(), 1e-9, "update " + update);
            if (update > resumedAt) {
                assertTrue(record.get("elapsed_s").asDouble() > resumePoint.seconds(),
                        "the clock goes on from the checkpoint");
                compared++;
            }
        }
        assertTrue(compared >= 2, "validations after the resume point: " + compared);
        assertEquals(Files.readAllLines(whole.resolve(TrainingRun.TEST_HYPOTHESES)),
                Files.readAllLines(split.resolve(TrainingRun.TEST_HYPOTHESES)));
    }

    @Test
    void killedRunLeavesALoadableDirectoryAndResumes() throws Exception {
        Path model = dir.resolve("killed");
        Process process = CliRunner.inNewJvm(List.of(), "train", config.toString(), "--output-dir", model.toString(),
                "--set", "training.epochs=1000", "--set", "training.checkpoint_freq=3")
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && !(Files.isRegularFile(model.resolve("nmt-0000.params"))
                    && Files.isDirectory(model.resolve(Checkpoints.FOLDER)) && checkpoints(model).size() >= 2)) {
                Thread.sleep(50);
            }
            assertTrue(process.isAlive(), Files.readString(dir.resolve("killed.log")));
        } finally {
            // SIGKILL: no shutdown hook, no chance to tidy up.
            process.destroyForcibly().waitFor();
        }
        try (TranslationModel loaded = ModelDirectory.load(model)) {
            assertTrue(loaded.languages().sourcePipeline().vocabulary().size() > 4);
        }
        CliRunner.Result resumed = train("--resume", model.toString(), "--set", "training.epochs=1");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertFalse(checkpoints(model).stream().anyMatch(name -> name.startsWith(".")), "no half-written checkpoint left");
        assertTrue(Files.isRegularFile(model.resolve(TrainingRun.TEST_HYPOTHESES)));
    }

    @Test
    void fineTuningStartsFromTheTrainedWeights() throws IOException {
        Path base = dir.resolve("base");
        assertEquals(0, train(config.toString(), "--output-dir", base.toString()).exitCode());
        Path tuned = dir.resolve("tuned");
        CliRunner.Result run = train(config.toString(), "--output-dir", tuned.toString(), "--init-from", base.toString(),
                "--set", "training.epochs=1", "--set", "training.learning_rate=0.001");
        assertEquals(0, run.exitCode(), run.err());
        double scratch = validations(base).get(0).get("dev_loss").asDouble();
        double fromBase = validations(tuned).get(0).get("dev_loss").asDouble();
        double baseBest = validations(base).stream().mapToDouble(r -> r.get("dev_loss").asDouble()).min().orElseThrow();
        assertTrue(fromBase < scratch && fromBase <= baseBest * 1.5,
                "first dev loss " + fromBase + " from the base model, " + scratch + " from scratch, base best " + baseBest);
        assertEquals(Files.readAllLines(base.resolve("src_vocab.txt")), Files.readAllLines(tuned.resolve("src_vocab.txt")));

        CliRunner.Result mismatch = train(config.toString(), "--output-dir", dir.resolve("bad").toString(),
                "--init-from", base.toString(), "--set", "model.hidden_size=64");
        assertEquals(1, mismatch.exitCode());
        assertTrue(mismatch.err().contains("model section differs"), mismatch.err());
        assertFalse(mismatch.err().contains("Exception"), mismatch.err());
        assertFalse(new File(dir.resolve("bad").toString()).exists(), "nothing created for a refused run");
    }
}
