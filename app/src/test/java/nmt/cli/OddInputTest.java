package nmt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid but odd input is translated, not rejected; a diverging run stops with one clear line. */
@Tag("trains")
class OddInputTest {
    @TempDir
    static Path dir;

    private static Path config;
    private static Path model;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        List<String> src = new ArrayList<>();
        List<String> trg = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<String> words = new ArrayList<>(List.of("a" + i % 5, "b" + i % 3, "c" + i % 7));
            src.add(String.join(" ", words));
            Collections.reverse(words);
            trg.add(String.join(" ", words));
        }
        Files.write(dir.resolve("c.en"), src);
        Files.write(dir.resolve("c.fr"), trg);
        config = dir.resolve("run.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/c", "dev": "%1$s/c", "src": "en", "trg": "fr", "max_length": 20},
                 "model": {"type": "luong", "hidden_size": 16, "embedding_size": 8},
                 "training": {"epochs": 1, "batch_tokens": 400, "log_freq": 100000},
                 "decoding": {"max_output_length": 10}, "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        model = dir.resolve("model");
        CliRunner.Result run = CliRunner.run("train", config.toString(), "--output-dir", model.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void oddLinesAreTranslatedAndStayAligned() throws IOException {
        String longLine = String.join(" ", Collections.nCopies(5000, "a1"));
        byte[] input = ("\uFEFFa1 b2 c3\r\n\r\nnever seen words\r\n🙂👍🏽 émoji\r\n"
                + "مرحبا بالعالم\r\n你好，世界\r\n" + longLine + "\r\n").getBytes(StandardCharsets.UTF_8);
        Path in = dir.resolve("odd.txt");
        Files.write(in, input);
        Path out = dir.resolve("odd.out");
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CliRunner.Result run;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            run = CliRunner.run("translate", "--model", model.toString(), "--input", in.toString(), "--output",
                    out.toString());
        } finally {
            System.setErr(original);
        }
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(7, lines.size());
        assertEquals("", lines.get(1), "an empty line stays empty");
        String warnings = log.toString(StandardCharsets.UTF_8);
        assertTrue(warnings.contains("input line 7 has 5000 tokens; only the first 20 are translated"), warnings);
    }

    @Test
    void divergingRunStopsWithOneLine() {
        CliRunner.Result run = CliRunner.run("train", config.toString(), "--output-dir", dir.resolve("nan").toString(),
                "--set", "training.learning_rate=1e38", "--set", "training.max_nonfinite_updates=3",
                "--set", "training.clip_grad_norm=0", "--set", "training.epochs=50");
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("error: training diverged: 3 updates in a row had non-finite loss"), run.err());
        assertTrue(run.err().strip().endsWith("No model had been saved yet"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
