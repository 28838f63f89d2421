package nmt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import nmt.train.ReverseDigits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** translate and evaluate-bleu with several --model directories. */
@Tag("trains")
class EnsembleCommandTest {
    @TempDir
    Path dir;

    @Test
    void twoCopiesOfAModelTranslateLikeItAndDifferentVocabulariesAreRefused() throws IOException {
        ReverseDigits.writeSplits(dir, 600);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "src": "src", "trg": "trg"},
                 "model": {"type": "luong", "hidden_size": 32, "embedding_size": 16},
                 "training": {"batch_tokens": 600, "epochs": 2, "validation_freq": 100000, "log_freq": 100000},
                 "decoding": {"beam_size": 3},
                 "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        Path model = dir.resolve("model");
        assertEquals(0, CliRunner.run("train", config.toString(), "--output-dir", model.toString()).exitCode());
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        String input = dir.resolve("test.src").toString();
        CliRunner.Result single = CliRunner.run("translate", "--model", model.toString(), "--input", input);
        CliRunner.Result pair = CliRunner.run("translate", "--model", model.toString(), "--model", copy.toString(),
                "--input", input);
        assertEquals(0, pair.exitCode(), pair.err());
        assertEquals(single.out(), pair.out());
        assertEquals(200, pair.out().split("\n").length);

        CliRunner.Result scored = CliRunner.run("evaluate-bleu", "--model", model.toString(), "--model",
                copy.toString(), "--src", input, "--ref", dir.resolve("test.trg").toString(), "--json");
        assertEquals(0, scored.exitCode(), scored.err());
        assertTrue(scored.out().contains("\"bleu\""), scored.out());

        Files.writeString(copy.resolve("trg_vocab.txt"), "extra\n", StandardOpenOption.APPEND);
        CliRunner.Result refused = CliRunner.run("translate", "--model", model.toString(), "--model", copy.toString(),
                "--input", input);
        assertEquals(1, refused.exitCode());
        assertEquals("error: model directory " + copy + " cannot join an ensemble with " + model + ": its "
                + "trg_vocab.txt differs; ensembled models need the same vocabularies and tokenization\n", refused.err());
    }
}
