package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nmt.cli.CliRunner;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.LanguagePair;
import nmt.data.TextFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Multi30k configs train end to end on a slice of the corpus (a smoke run, not the benchmark:
 * see the README for the full runs). Skipped when ../shared/corpora/multi30k is absent.
 */
@Tag("trains")
class Multi30kSmokeTest {
    private static final Path CORPUS = Path.of("../shared/corpora/multi30k");

    @TempDir
    Path dir;

    private void slice(String split, String as, int lines) throws IOException {
        for (String lang : List.of("de", "en")) {
            List<String> text = TextFiles.readLines(CORPUS.resolve(split + "." + lang));
            Files.write(dir.resolve(as + "." + lang), text.subList(0, lines));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"configs/multi30k-transformer.json", "configs/multi30k-rnn.json"})
    void trainsOnASlice(String configFile) throws IOException {
        Config config = ConfigLoader.load(Path.of(configFile));
        assertEquals("bpe", config.data().srcTokenizer());
        assertTrue(config.data().train().toString().contains("../shared/corpora/multi30k/train"),
                config.data().train().toString());
        assumeTrue(Files.isDirectory(CORPUS), "skipped: " + CORPUS + " (Multi30k) is not present");
        slice("train", "train", 400);
        slice("val", "dev", 30);
        slice("test_2016_flickr", "test", 30);
        Path model = dir.resolve("model");
        CliRunner.Result run = CliRunner.run("train", configFile, "--output-dir", model.toString(),
                "--set", "data.train=" + dir.resolve("train"), "--set", "data.dev=" + dir.resolve("dev"),
                "--set", "data.test=" + dir.resolve("test"), "--set", "training.epochs=1",
                "--set", "decoding.max_output_length=15");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("chrF2 = "), run.out());
        assertEquals(Files.readString(model.resolve(LanguagePair.SOURCE_BPE)),
                Files.readString(model.resolve(LanguagePair.TARGET_BPE)), "joint merges on both sides");
        Path hypotheses = dir.resolve("hyp");
        CliRunner.Result scored = CliRunner.run("evaluate-bleu", "--model", model.toString(), "--src",
                dir.resolve("test.de").toString(), "--ref", dir.resolve("test.en").toString(), "--output",
                hypotheses.toString());
        assertEquals(0, scored.exitCode(), scored.err());
        assertEquals(30, Files.readAllLines(hypotheses).size());
    }
}
