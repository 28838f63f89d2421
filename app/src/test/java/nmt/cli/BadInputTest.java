package nmt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives exit code 1 and exactly one line on stderr that names the file, line or key. */
class BadInputTest {
    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeCorpusAndConfig() throws IOException {
        Files.writeString(dir.resolve("c.en"), "a b\nc d\n");
        Files.writeString(dir.resolve("c.fr"), "e f\ng h\n");
        config = dir.resolve("run.json");
        writeConfig("\"train\": \"%1$s/c\", \"dev\": \"%1$s/c\"");
    }

    private void writeConfig(String paths) throws IOException {
        Files.writeString(config, ("{\"data\": {" + paths + ", \"src\": \"en\", \"trg\": \"fr\"},"
                + " \"model\": {\"type\": \"bahdanau\"}}").formatted(dir.toString().replace("\\", "/")));
    }

    private String oneLineError(String... args) {
        CliRunner.Result run = CliRunner.run(args);
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), "exactly one line: " + run.err());
        assertTrue(run.err().startsWith("error: "), run.err());
        return run.err().strip().substring("error: ".length());
    }

    private String train(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "train";
        args[1] = config.toString();
        args[2] = "--output-dir=" + dir.resolve("out");
        System.arraycopy(extra, 0, args, 3, extra.length);
        return oneLineError(args);
    }

    @Test
    void resumeNeedsACheckpoint() throws IOException {
        assertEquals("model directory " + dir.resolve("none") + " not found",
                oneLineError("train", "--resume", dir.resolve("none").toString()));
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        for (String file : new String[] {"config.json", "src_vocab.txt", "trg_vocab.txt"}) {
            Files.copy(file.equals("config.json") ? config : dir.resolve("c.en"), model.resolve(file));
        }
        assertEquals("nothing to resume in " + model + ": no checkpoint in " + model.resolve("checkpoints")
                + " (one is written every training.checkpoint_freq updates)", oneLineError("train", "--resume", model.toString()));
        for (String[] args : new String[][] {{"train"}, {"train", config.toString(), "--resume", model.toString()}}) {
            CliRunner.Result run = CliRunner.run(args);
            assertEquals(2, run.exitCode(), String.join(" ", args));
            assertTrue(run.err().contains("give a CONFIG file, or --resume DIR"), run.err());
        }
    }

    @Test
    void missingConfig() {
        assertEquals("config file " + dir.resolve("nope.json") + " not found",
                oneLineError("train", dir.resolve("nope.json").toString()));
    }

    @Test
    void configErrorsNameTheFileAndKey() throws IOException {
        assertEquals(config + ": training.label_smoothing must be in [0, 1), got 1.5",
                train("--set", "training.label_smoothing=1.5"));
        assertEquals(config + ": unknown key model.hiden_size (did you mean hidden_size?)",
                train("--set", "model.hiden_size=3"));
        Files.writeString(config, "{\"data\": [1,}");
        assertTrue(train().startsWith(config + ": invalid JSON at line 1, column 13"));
    }

    @Test
    void missingCorpusFileIsNamed() throws IOException {
        writeConfig("\"train\": \"%1$s/missing\", \"dev\": \"%1$s/c\"");
        assertEquals(dir.resolve("missing.en") + ": file not found", train());
    }

    @Test
    void misalignedCorpusGivesBothCounts() throws IOException {
        Files.writeString(dir.resolve("c.fr"), "e f\n");
        assertEquals(dir.resolve("c.en") + " has 2 lines but " + dir.resolve("c.fr")
                + " has 1: the files must be line-aligned", train());
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        Files.write(dir.resolve("c.fr"), new byte[] {'o', 'k', '\n', (byte) 0xFF, '\n'});
        assertEquals(dir.resolve("c.fr") + ":2: invalid UTF-8", train());
    }

    @Test
    void emptyCorpusAfterFiltering() throws IOException {
        Files.writeString(dir.resolve("c.en"), "\n \n");
        assertEquals(dir.resolve("c.en") + " / " + dir.resolve("c.fr")
                + ": no training pairs left after filtering (2 with an empty side, 0 longer than data.max_length=50)",
                train());
    }

    @Test
    void existingOutputDirectoryIsNotOverwritten() throws IOException {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "precious");
        assertEquals("output directory " + out
                + " already exists and is not empty: pass --overwrite to replace it, or choose another", train());
        assertEquals("precious", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void translateNamesMissingOrIncompleteModelDirectories() throws IOException {
        assertEquals("model directory " + dir.resolve("none") + " not found",
                oneLineError("translate", "--model", dir.resolve("none").toString()));
        Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals("model directory " + dir + " is incomplete: src_vocab.txt is missing",
                oneLineError("translate", "--model", dir.toString()));
        Files.writeString(dir.resolve("format.txt"), "2\nnmt 9.9\n");
        assertEquals("model directory " + dir + " was written by nmt 9.9 in model format 2; this nmt reads format 1",
                oneLineError("translate", "--model", dir.toString()));
    }

    @Test
    void unknownCommandIsUsageErrorTwo() {
        CliRunner.Result run = CliRunner.run("trian");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Usage: nmt"), run.err());
    }
}
