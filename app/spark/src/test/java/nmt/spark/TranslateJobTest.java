package nmt.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nmt.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job in local[2] mode against {@code nmt translate}, on the toy test set. */
@Tag("trains")
class TranslateJobTest {
    private static final Path TEST = Path.of("data/toy/test.en");

    @TempDir
    static Path dir;

    private static Path model;
    private static List<String> expected;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run nmt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run job(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--master", "local[2]"));
        all.addAll(List.of(args));
        int code = TranslateJob.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** A small Transformer trained briefly on the first 5,000 toy pairs: weak, but a real model. */
    @BeforeAll
    static void train() throws IOException {
        for (String side : List.of("en", "fr")) {
            List<String> lines = Files.readAllLines(Path.of("data/toy/train." + side));
            Files.write(dir.resolve("train." + side), lines.subList(0, 5000));
        }
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "data/toy/dev", "src": "en", "trg": "fr"},
                 "model": {"type": "transformer", "hidden_size": 32, "heads": 2, "ff_size": 64, "layers": 1},
                 "training": {"batch_tokens": 2000, "epochs": 1, "validation_freq": 100000, "log_freq": 100000,
                              "schedule": "noam", "learning_rate": 1.0, "warmup_steps": 50},
                 "decoding": {"max_output_length": 30},
                 "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        model = dir.resolve("model");
        Run train = nmt("train", config.toString(), "--output-dir", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        Run translate = nmt("translate", "--model", model.toString(), "--input", TEST.toString());
        assertEquals(0, translate.exitCode(), translate.err());
        expected = List.of(translate.out().split("\n", -1)).subList(0, 1000);
    }

    private static List<String> textOutput(Path output) throws IOException {
        try (Stream<Path> files = Files.list(output)) {
            List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
            assertEquals(1, parts.size(), "one file of translations");
            return Files.readAllLines(parts.get(0));
        }
    }

    @Test
    void theToyTestSetTranslatesAsTranslateDoesWithOneAndFourPartitions() throws IOException {
        for (String partitions : List.of("1", "4")) {
            Path output = dir.resolve("out-" + partitions);
            Run run = job("--model", model.toString(), "--input", TEST.toString(), "--output", output.toString(),
                    "--output-format", "text", "--partitions", partitions);
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().startsWith("translated 1000 lines in "), run.out());
            assertEquals(expected, textOutput(output), partitions + " partitions");
        }
    }

    /** The models committed with the core module's tests, and what nmt translate printed with them. */
    @Test
    void anEnsembleTranslatesAsTranslatePrintedWithThePinnedModels() throws IOException {
        Path pinned = Path.of("app/src/test/resources/pinned");
        Path output = dir.resolve("out-ensemble");
        Run run = job("--model", pinned.resolve("luong").toString(), "--model", pinned.resolve("transformer").toString(),
                "--beam", "3", "--input", pinned.resolve("input.txt").toString(), "--output", output.toString(),
                "--output-format", "text", "--partitions", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Files.readAllLines(pinned.resolve("expected/ensemble.beam3.txt")), textOutput(output));
    }

    /** Exported models (ONNX Runtime on the executors) decode as the trained ones did. */
    @Test
    void exportedModelsTranslateAsTheTrainedOnes() throws IOException {
        Path pinned = Path.of("app/src/test/resources/pinned");
        List<String> models = new ArrayList<>();
        for (String type : List.of("luong", "transformer")) {
            Path exported = dir.resolve("exported-" + type);
            int code = nmt.cli.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                    "export", "--model", pinned.resolve(type).toString(), "--output", exported.toString());
            assertEquals(0, code, "export " + type);
            models.addAll(List.of("--model", exported.toString()));
        }
        Path output = dir.resolve("out-exported");
        List<String> args = new ArrayList<>(models);
        args.addAll(List.of("--beam", "3", "--input", pinned.resolve("input.txt").toString(), "--output",
                output.toString(), "--output-format", "text", "--partitions", "2"));
        Run run = job(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(Files.readAllLines(pinned.resolve("expected/ensemble.beam3.txt")), textOutput(output));
    }

    @Test
    void tsvInputKeepsItsIdsAndReferencesAreScored() throws IOException {
        List<String> sources = Files.readAllLines(TEST).subList(0, 40);
        List<String> references = Files.readAllLines(Path.of("data/toy/test.fr")).subList(0, 40);
        List<String> table = new ArrayList<>(List.of("id\tsource\treference"));
        for (int i = 0; i < sources.size(); i++) {
            // An empty source gets an empty translation, as in nmt translate.
            table.add("s" + (1000 + i) + "\t" + (i == 3 ? "" : sources.get(i)) + "\t" + references.get(i));
        }
        Path input = dir.resolve("table.tsv");
        Files.write(input, table);
        Path output = dir.resolve("out-tsv");
        Run run = job("--model", model.toString(), "--input", input.toString(), "--format", "tsv", "--ref-column",
                "reference", "--output", output.toString(), "--partitions", "3");
        assertEquals(0, run.exitCode(), run.err());
        List<String> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path part : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                List<String> lines = Files.readAllLines(part);
                assertEquals("id\tsource\ttranslation\treference", lines.get(0));
                rows.addAll(lines.subList(1, lines.size()));
            }
        }
        assertEquals(40, rows.size());
        List<String> hypotheses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "s" + (1000 + i);
            String row = rows.stream().filter(r -> r.startsWith(id + "\t")).findFirst().orElseThrow();
            String translation = row.split("\t", -1)[2].replaceAll("^\"|\"$", "");
            assertEquals(i == 3 ? "" : expected.get(i), translation, id);
            hypotheses.add(translation);
        }
        Path hyp = dir.resolve("hyp.txt");
        Path ref = dir.resolve("ref.txt");
        Files.write(hyp, hypotheses);
        Files.write(ref, references);
        String bleu = nmt("evaluate-bleu", "--hyp", hyp.toString(), "--ref", ref.toString()).out().split("\n")[0];
        assertTrue(run.out().contains(bleu + "\n"), "the job's BLEU is evaluate-bleu's: " + bleu + "\n" + run.out());
        assertTrue(run.out().contains("chrF2 = "), run.out());
    }

    @Test
    void badInputIsOneLineBeforeAnyExecutorWork() throws IOException {
        Run noModel = job("--model", dir.resolve("none").toString(), "--input", TEST.toString(), "--output",
                dir.resolve("x").toString());
        assertEquals(1, noModel.exitCode());
        assertEquals("error: model directory " + dir.resolve("none") + " not found\n", noModel.err());
        Run noInput = job("--model", model.toString(), "--input", dir.resolve("missing.txt").toString(), "--output",
                dir.resolve("y").toString());
        assertEquals(1, noInput.exitCode());
        assertEquals("error: input " + dir.resolve("missing.txt") + " not found\n", noInput.err());
        Path existing = Files.createDirectories(dir.resolve("existing"));
        Run exists = job("--model", model.toString(), "--input", TEST.toString(), "--output", existing.toString());
        assertEquals(1, exists.exitCode());
        assertEquals("error: output " + existing + " already exists: choose another path (nothing is overwritten)\n",
                exists.err());
        // Plain text read as a table: its first line is taken for the header.
        Run noColumn = job("--model", model.toString(), "--input", TEST.toString(), "--format", "tsv", "--output",
                dir.resolve("z").toString());
        assertEquals(1, noColumn.exitCode());
        assertEquals("error: input " + TEST + " has no column id (it has We should go home.)\n", noColumn.err());
    }
}
