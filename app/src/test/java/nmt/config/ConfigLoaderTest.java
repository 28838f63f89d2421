package nmt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nmt.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String MINIMAL = """
            {"data": {"train": "data/toy/train", "dev": "data/toy/dev", "src": "en", "trg": "fr"},
             "model": {"type": "bahdanau"}}
            """;

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path file = dir.resolve("run.json");
        Files.writeString(file, json);
        return file;
    }

    private String error(String json, String... overrides) throws IOException {
        Path file = write(json);
        InputError e = assertThrows(InputError.class, () -> ConfigLoader.load(file, List.of(overrides)));
        return e.getMessage().substring(file.toString().length() + 2);
    }

    @Test
    void fillsDocumentedDefaults() throws IOException {
        Config c = ConfigLoader.load(write(MINIMAL));
        assertEquals(List.of("data/toy/train"), c.data().train().parts());
        assertEquals(1_000_000, c.data().sampleSize());
        assertEquals(null, c.data().prepared());
        assertEquals(50, c.data().maxLength());
        assertEquals("word", c.data().tokenizer());
        assertEquals(1, c.data().srcVocab().minFreq());
        assertEquals(256, c.model().hiddenSize());
        assertEquals("adam", c.training().optimizer());
        assertEquals(0.1, c.training().labelSmoothing());
        assertEquals(42L, c.training().seed());
        assertEquals(1, c.decoding().beamSize());
        assertEquals("auto", c.device());
        assertEquals("models/run", c.outputDir());
    }

    @Test
    void resolvedConfigRoundTrips() throws IOException {
        Config c = ConfigLoader.load(write(MINIMAL), List.of("training.epochs=3"));
        Config again = ConfigLoader.load(write(ConfigLoader.toJson(c)));
        assertEquals(c, again);
        assertEquals(3, again.training().epochs());
    }

    @Test
    void overridesSetNestedKeysWithJsonOrStringValues() throws IOException {
        Config c = ConfigLoader.load(write(MINIMAL),
                List.of("training.epochs=3", "model.type=luong", "data.src_vocab.max_size=100", "data.lowercase=true"));
        assertEquals(3, c.training().epochs());
        assertEquals("luong", c.model().type());
        assertEquals(100, c.data().srcVocab().maxSize());
        assertEquals(true, c.data().lowercase());
    }

    @Test
    void outOfRangeValueNamesThePath() throws IOException {
        assertEquals("training.label_smoothing must be in [0, 1), got 1.5",
                error(MINIMAL, "training.label_smoothing=1.5"));
        assertEquals("model.dropout must be in [0, 1), got -0.1", error(MINIMAL, "model.dropout=-0.1"));
        assertEquals("training.epochs must be at least 1, got 0", error(MINIMAL, "training.epochs=0"));
        assertEquals("training.warmup_steps must be at least 1, got 0",
                error(MINIMAL, "training.schedule=noam", "training.warmup_steps=0"));
        assertEquals(0, ConfigLoader.load(write(MINIMAL), List.of("training.schedule=linear", "training.warmup_steps=0"))
                .training().warmupSteps());
    }

    @Test
    void unknownKeySuggestsTheClosest() throws IOException {
        assertEquals("unknown key training.label_smothing (did you mean label_smoothing?)",
                error(MINIMAL, "training.label_smothing=0.2"));
        assertEquals("unknown key data.src_vocab.zzz", error(MINIMAL, "data.src_vocab.zzz=1"));
        assertEquals("unknown key extra", error(MINIMAL, "extra=1"));
    }

    @Test
    void wrongTypeNamesThePathAndTheExpectedType() throws IOException {
        assertEquals("training.epochs has the wrong type: expected an integer", error(MINIMAL, "training.epochs=\"ten\""));
        assertEquals("training.epochs has the wrong type: expected an integer", error(MINIMAL, "training.epochs=2.5"));
        assertEquals("data.lowercase has the wrong type: expected true or false", error(MINIMAL, "data.lowercase=yes"));
        assertEquals("model has the wrong type: expected an object", error(MINIMAL, "model=3"));
    }

    @Test
    void missingRequiredKeyIsNamed() throws IOException {
        assertEquals("missing required key model", error("""
                {"data": {"train": "a", "dev": "b", "src": "en", "trg": "fr"}}"""));
        assertEquals("missing required key data.src", error("""
                {"data": {"train": "a", "dev": "b", "trg": "fr"}, "model": {"type": "luong"}}"""));
    }

    @Test
    void choiceOutsideTheListNamesTheChoices() throws IOException {
        assertEquals("model.type must be one of bahdanau, luong, transformer, got \"lstm\"",
                error(MINIMAL, "model.type=lstm"));
    }

    @Test
    void bpeSettingsArePerSideAndChecked() throws IOException {
        Config c = ConfigLoader.load(write(MINIMAL), List.of("data.tokenizer=bpe", "data.trg_tokenizer=char",
                "data.bpe.merges=500"));
        assertEquals("bpe", c.data().srcTokenizer());
        assertEquals("char", c.data().trgTokenizer());
        assertEquals(500, c.data().bpe().mergesFor(100));
        assertEquals(7900, ConfigLoader.load(write(MINIMAL)).data().bpe().mergesFor(100), "vocab_size 8000 by default");
        assertEquals("data.bpe: give merges or vocab_size, not both",
                error(MINIMAL, "data.bpe.merges=10", "data.bpe.vocab_size=100"));
        assertEquals("data.bpe.dropout must be in [0, 1), got 1.0", error(MINIMAL, "data.bpe.dropout=1.0"));
        assertEquals("data.src_tokenizer must be one of word, char, bpe, got \"sentencepiece\"",
                error(MINIMAL, "data.src_tokenizer=sentencepiece"));
    }

    @Test
    void invalidJsonGivesLineAndColumn() throws IOException {
        String message = error("{\n  \"data\": {\"train\": \"a\",,\n}");
        assertEquals("invalid JSON at line 2, column 25", message.substring(0, message.indexOf(": ")));
    }

    @Test
    void duplicateKeyIsInvalidJson() throws IOException {
        String message = error("{\"device\": \"cpu\", \"device\": \"gpu\"}");
        assertEquals(true, message.contains("Duplicate field 'device'"), message);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        InputError e = assertThrows(InputError.class, () -> ConfigLoader.load(missing));
        assertEquals("config file " + missing + " not found", e.getMessage());
    }

    @Test
    void overrideWithoutEqualsIsRejected() throws IOException {
        Path file = write(MINIMAL);
        InputError e = assertThrows(InputError.class, () -> ConfigLoader.load(file, List.of("training.epochs")));
        assertEquals("--set needs key.path=value, got \"training.epochs\"", e.getMessage());
    }

    @Test
    void shippedConfigsLoad() throws IOException {
        try (var files = Files.list(Path.of("configs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                ConfigLoader.load(file);
            }
        }
    }
}
