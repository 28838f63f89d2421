package nmt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs on a tiny Transformer and reports every figure the README names. */
@Tag("trains")
class BenchmarkCommandTest {
    @Test
    void reportsTrainingDecodingMemoryAndFlops(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add("w" + (i % 7) + " w" + (i % 5) + " w" + (i % 3));
        }
        Files.write(dir.resolve("c.src"), lines);
        Files.write(dir.resolve("c.trg"), lines);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"data": {"train": "%1$s/c", "dev": "%1$s/c", "src": "src", "trg": "trg"},
                 "model": {"type": "transformer", "hidden_size": 16, "heads": 2, "ff_size": 32, "layers": 1},
                 "training": {"batch_tokens": 100}, "device": "cpu"}
                """.formatted(dir.toString().replace("\\", "/")));
        CliRunner.Result run = CliRunner.run("benchmark", "--config", config.toString(), "--warmup", "2",
                "--updates", "5", "--sentences", "10", "--lengths", "4,8", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        for (String path : List.of("/train/target_tokens_per_s", "/train/tokens_per_s", "/train/updates_per_s",
                "/decode/dev/greedy/sentences_per_s", "/decode/dev/greedy/peak_rss_mb", "/decode/dev/beam5/sentences_per_s",
                "/decode/dev/greedy_uncached/sentences_per_s", "/decode/forced_length/8/greedy/ms",
                "/decode/forced_length/8/greedy_uncached/ms", "/decode/forced_length/8/beam5/peak_rss_mb",
                "/decode/forced_length/8/beam5_uncached/ms", "/memory/rss_mb_start", "/memory/rss_mb_end",
                "/flops/achieved_gflops", "/flops/matmul_ceiling_gflops")) {
            assertTrue(json.at(path).asDouble() > 0, path + " in " + run.out());
        }
        assertEquals(5, json.at("/train/updates").asInt());
        for (String phase : List.of("forward", "backward", "optimizer")) {
            assertTrue(json.at("/train/" + phase + "_ms_per_update").asDouble() > 0, phase + " in " + run.out());
        }
    }
}
