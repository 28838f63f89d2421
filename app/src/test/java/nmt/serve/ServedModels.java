package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import nmt.cli.CliRunner;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import nmt.train.ReverseDigits;

/**
 * Models for the server's tests, trained once per test run: a small Bahdanau model that reverses
 * digit sequences, served as if it translated "en" to "fr", and a copy of it labelled "fr" to "en".
 */
final class ServedModels {
    private static Path root;

    private ServedModels() {
    }

    /** The directory holding train/dev/test splits and the two model directories. */
    static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("nmt-serve");
                Path made = root;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(made)));
                ReverseDigits.writeSplits(root, 3000);
                for (String split : List.of("train", "dev", "test")) {
                    Files.move(root.resolve(split + ".src"), root.resolve(split + ".en"));
                    Files.move(root.resolve(split + ".trg"), root.resolve(split + ".fr"));
                }
                Path config = root.resolve("config.json");
                Files.writeString(config, """
                        {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "src": "en", "trg": "fr"},
                         "model": {"type": "bahdanau", "hidden_size": 64, "embedding_size": 32, "bidirectional": true,
                                   "dropout": 0.0},
                         "training": {"learning_rate": 0.01, "label_smoothing": 0.0, "batch_tokens": 1200,
                                      "epochs": 10, "validation_freq": 100000, "log_freq": 100000, "seed": 1},
                         "decoding": {"beam_size": 1},
                         "device": "cpu"}
                        """.formatted(root.toString().replace("\\", "/")));
                CliRunner.Result run = CliRunner.run("train", config.toString(), "--output-dir", enFr().toString());
                assertEquals(0, run.exitCode(), run.err());
                copyAs(enFr(), frEn());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static Path enFr() {
        return root().resolve("en-fr");
    }

    static Path frEn() {
        return root().resolve("fr-en");
    }

    /** Test sentences: digit sequences of 3 to 8 digits. */
    static List<String> testSentences() throws IOException {
        return Files.readAllLines(root().resolve("test.en"));
    }

    static TranslationModel load(Path dir) {
        return ModelDirectory.load(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    private static void copyAs(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        Path config = to.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"src\" : \"en\"", "\"src\" : \"xx\"")
                .replace("\"trg\" : \"fr\"", "\"trg\" : \"en\"").replace("\"src\" : \"xx\"", "\"src\" : \"fr\""));
    }
}
