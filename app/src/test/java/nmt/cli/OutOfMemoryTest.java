package nmt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exhausted heap is one line naming the heap's size and the remedies, with no stack trace. */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void exhaustedHeapIsOneLine() throws IOException, InterruptedException {
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            source.add("word" + i + " other" + i + " third" + i);
            target.add("mot" + i + " autre" + i);
        }
        Files.write(dir.resolve("train.en"), source);
        Files.write(dir.resolve("train.fr"), target);
        Files.write(dir.resolve("dev.en"), List.of("word1"));
        Files.write(dir.resolve("dev.fr"), List.of("mot1"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/train", "dev": "%1$s/dev", "src": "en", "trg": "fr"},
                 "model": {"type": "luong"}, "output_dir": "%1$s/model"}
                """.formatted(dir.toString().replace("\\", "/")));
        Process process = CliRunner.inNewJvm(List.of("-Xmx24m"), "prepare", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "prepare ended");
        String log = Files.readString(dir.resolve("run.log"));
        assertEquals(1, process.exitValue(), log);
        List<String> errors = log.lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), log);
        assertTrue(errors.get(0).startsWith("error: out of memory: the Java heap is limited to "), log);
        assertTrue(errors.get(0).contains("-Xmx"), log);
        assertFalse(log.contains("\tat ") || log.contains("Exception in thread"), log);
        // A staging folder may stay when even cleaning up runs out of heap; the next preparation removes it.
        assertFalse(Files.exists(dir.resolve("model").resolve("prepared")), "no half-written prepared corpus");
    }
}
