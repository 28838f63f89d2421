package nmt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import nmt.InputError;
import nmt.config.ConfigLoader;
import nmt.config.DataConfig;
import nmt.modeldir.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A prepared corpus against the in-memory pipeline it replaces, its recipe, its input formats and its damage checks. */
class PreparedCorpusTest {
    private static final Path TOY = Path.of("data", "toy");

    @TempDir
    Path dir;

    /** The first lines of the toy corpus, with an empty pair and an over-long one among them. */
    private Path toyTrain(int lines) throws IOException {
        for (String lang : List.of("en", "fr")) {
            List<String> text = new ArrayList<>(Files.readAllLines(TOY.resolve("train." + lang)).subList(0, lines));
            text.set(3, "");
            text.set(7, "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                    + "sixteen seventeen eighteen nineteen twenty twenty-one");
            Files.write(dir.resolve("train." + lang), text);
            Files.write(dir.resolve("dev." + lang), text.subList(0, 20));
        }
        return dir.resolve("train");
    }

    private DataConfig config(String train, String data) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"data": {"train": %s, "dev": "%s/dev", "src": "en", "trg": "fr", "max_length": 20 %s},
                 "model": {"type": "luong"}}
                """.formatted(train, dir.toString().replace("\\", "/"), data));
        return ConfigLoader.load(file).data();
    }

    private DataConfig config(String data) throws IOException {
        return config("\"" + dir.resolve("train").toString().replace("\\", "/") + "\"", data);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ", \"src_vocab\": {\"min_freq\": 3}, \"trg_vocab\": {\"min_freq\": 3}",
        ", \"tokenizer\": \"bpe\", \"bpe\": {\"merges\": 400}, \"joint_vocab\": true",
        ", \"src_tokenizer\": \"bpe\", \"trg_tokenizer\": \"char\", \"bpe\": {\"vocab_size\": 300, \"joint\": false}",
        ", \"tokenizer\": \"bpe\", \"bpe\": {\"merges\": 300, \"joint\": false, \"dropout\": 0.1}, \"lowercase\": true"})
    void sameVocabulariesPairsAndBatchesAsTheInMemoryPipeline(String settings) throws IOException {
        toyTrain(3000);
        DataConfig config = config(settings);
        InMemoryReference.Result expected = InMemoryReference.prepare(config);
        PreparedCorpus corpus = CorpusPreparation.prepare(config, dir.resolve("prepared"), null, 2);

        assertEquals(expected.languages().sourcePipeline().vocabulary().tokens(),
                corpus.languages().sourcePipeline().vocabulary().tokens());
        assertEquals(expected.languages().targetPipeline().vocabulary().tokens(),
                corpus.languages().targetPipeline().vocabulary().tokens());
        assertEquals(expected.languages().digest(), corpus.languages().digest(), "same merges too");
        assertEquals(expected.examples().size(), corpus.size());
        assertEquals(3000, corpus.stats().inputPairs());
        assertEquals(1, corpus.stats().skippedEmpty());
        assertTrue(corpus.stats().skippedLong() >= 1);
        assertEquals(3000, corpus.stats().inputPairs() - corpus.stats().skippedEmpty() - corpus.stats().skippedLong()
                - corpus.size() + 3000);
        for (int i = 0; i < corpus.size(); i++) {
            assertArrayEquals(expected.examples().get(i).source(), corpus.example(i).source(), "pair " + i);
            assertArrayEquals(expected.examples().get(i).target(), corpus.example(i).target(), "pair " + i);
        }
        Random before = new Random(42);
        Random now = new Random(42);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<int[]> a = InMemoryReference.batches(expected.examples(), 400, before);
            List<int[]> b = TokenBatcher.batches(corpus, 400, now);
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) {
                assertArrayEquals(a.get(k), b.get(k), "epoch " + epoch + " batch " + k);
            }
        }
    }

    @Test
    void gzipTsvAndSeveralFilesReadAsOneCorpus() throws IOException {
        toyTrain(600);
        List<String> en = Files.readAllLines(dir.resolve("train.en"));
        List<String> fr = Files.readAllLines(dir.resolve("train.fr"));
        Files.write(dir.resolve("a.en"), en.subList(0, 200));
        Files.write(dir.resolve("a.fr"), fr.subList(0, 200));
        gzip(dir.resolve("b.en.gz"), en.subList(200, 400));
        gzip(dir.resolve("b.fr.gz"), fr.subList(200, 400));
        List<String> tsv = new ArrayList<>();
        for (int i = 400; i < 600; i++) {
            tsv.add(en.get(i) + "\t" + fr.get(i) + "\tattribution");
        }
        gzip(dir.resolve("c.tsv.gz"), tsv);
        String d = dir.toString().replace("\\", "/");
        PreparedCorpus parts = CorpusPreparation.prepare(
                config("[\"%1$s/a\", \"%1$s/b\", \"%1$s/c.tsv.gz\"]".formatted(d), ""), dir.resolve("parts"), null, 2);
        PreparedCorpus whole = CorpusPreparation.prepare(config(""), dir.resolve("whole"), null, 2);
        assertEquals(600, parts.stats().inputPairs());
        assertEquals(whole.languages().digest(), parts.languages().digest());
        assertEquals(whole.size(), parts.size());
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.example(i).source(), parts.example(i).source());
            assertArrayEquals(whole.example(i).target(), parts.example(i).target());
        }
    }

    private static void gzip(Path file, List<String> lines) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void reusedWhileTheRecipeMatchesAndMadeAgainWhenItChanges() throws IOException {
        toyTrain(500);
        Path prepared = dir.resolve("prepared");
        PreparedCorpus first = CorpusPreparation.prepare(config(""), prepared, null, 2);
        FileTime made = Files.getLastModifiedTime(prepared.resolve(PreparedCorpus.TOKENS));
        Files.setLastModifiedTime(prepared.resolve(PreparedCorpus.TOKENS), FileTime.fromMillis(made.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(prepared.resolve(PreparedCorpus.TOKENS));

        PreparedCorpus again = CorpusPreparation.prepare(config(""), prepared, null, 2);
        assertEquals(marked, Files.getLastModifiedTime(prepared.resolve(PreparedCorpus.TOKENS)), "reused");
        assertEquals(first.size(), again.size());
        PreparedCorpus given = CorpusPreparation.prepare(config(""), prepared, first.languages(), 2);
        assertEquals(marked, Files.getLastModifiedTime(prepared.resolve(PreparedCorpus.TOKENS)),
                "given vocabularies equal to the learned ones: reused");

        PreparedCorpus fewerWords = CorpusPreparation.prepare(config(", \"src_vocab\": {\"max_size\": 50}"), prepared,
                null, 2);
        assertEquals(50, fewerWords.languages().sourcePipeline().vocabulary().size(), "a changed setting: made again");
        assertNotEquals(marked, Files.getLastModifiedTime(prepared.resolve(PreparedCorpus.TOKENS)));

        Files.writeString(dir.resolve("train.en"), "one more line\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("train.fr"), "une ligne de plus\n", java.nio.file.StandardOpenOption.APPEND);
        PreparedCorpus longer = CorpusPreparation.prepare(config(", \"src_vocab\": {\"max_size\": 50}"), prepared,
                null, 2);
        assertEquals(501, longer.stats().inputPairs(), "a changed text file: made again");
    }

    @Test
    void foldersAKilledPreparationLeftAreRemovedAndDoNotBlockANewModel() throws IOException {
        toyTrain(200);
        Path model = dir.resolve("model");
        Files.createDirectories(model.resolve("prepared.partial-123"));
        Files.writeString(model.resolve("prepared.partial-123").resolve(PreparedCorpus.TOKENS), "half");
        Files.createDirectories(model.resolve("prepared.old-456"));
        ModelDirectory.create(model, false);
        CorpusPreparation.prepare(config(""), model.resolve("prepared"), null, 2);
        try (Stream<Path> left = Files.list(model)) {
            assertEquals(List.of(model.resolve("prepared")), left.toList());
        }
    }

    @Test
    void goneTextStillTrainsFromItsPreparedCorpus() throws IOException {
        toyTrain(300);
        Path prepared = dir.resolve("prepared");
        PreparedCorpus made = CorpusPreparation.prepare(config(""), prepared, null, 2);
        Files.move(dir.resolve("train.en"), dir.resolve("elsewhere.en"));
        assertEquals(made.size(), CorpusPreparation.prepare(config(""), prepared, null, 2).size());
        InputError renamed = assertThrows(InputError.class, () -> CorpusPreparation.prepare(
                config("\"" + dir.resolve("other").toString().replace("\\", "/") + "\"", ""), prepared, null, 2));
        assertTrue(renamed.getMessage().contains("file not found, and the corpus prepared in"), renamed.getMessage());
        InputError dropout = assertThrows(InputError.class, () -> CorpusPreparation.prepare(
                config(", \"tokenizer\": \"bpe\", \"bpe\": {\"dropout\": 0.1}"), prepared, null, 2));
        assertTrue(dropout.getMessage().endsWith("data.bpe.dropout segments the training text anew every epoch, so it "
                + "needs the text, not only the prepared corpus"), dropout.getMessage());
        InputError e = assertThrows(InputError.class,
                () -> CorpusPreparation.prepare(config(""), dir.resolve("other"), null, 2));
        assertEquals(dir.resolve("train.en").toAbsolutePath().normalize() + ": file not found", e.getMessage());
    }

    @Test
    void damagedFilesAreOneLineNamingThem() throws IOException {
        toyTrain(300);
        Path prepared = dir.resolve("prepared");
        DataConfig config = config("");
        PreparedCorpus corpus = CorpusPreparation.prepare(config, prepared, null, 2);
        Path tokens = prepared.resolve(PreparedCorpus.TOKENS);
        long size = Files.size(tokens);

        try (RandomAccessFile file = new RandomAccessFile(tokens.toFile(), "rw")) {
            file.setLength(size - 6);
        }
        InputError truncated = assertThrows(InputError.class, () -> PreparedCorpus.open(prepared, config));
        assertEquals("prepared corpus damaged: " + tokens + " has " + (size - 6) + " bytes but its recipe says " + size
                + " (truncated); delete " + prepared + " and run again to prepare it anew", truncated.getMessage());
        assertThrows(InputError.class, () -> CorpusPreparation.prepare(config, prepared, null, 2),
                "train refuses it too, never reads it silently");

        try (RandomAccessFile file = new RandomAccessFile(tokens.toFile(), "rw")) {
            file.setLength(size);
            file.seek(0);
            file.write(new byte[] {(byte) 0xff, (byte) 0xff});
        }
        PreparedCorpus damaged = PreparedCorpus.open(prepared, config);
        InputError id = assertThrows(InputError.class, () -> damaged.example(0));
        assertTrue(id.getMessage().startsWith("prepared corpus damaged: " + tokens + ": pair 1 holds id 65535, "
                + "outside its vocabulary of " + corpus.languages().sourcePipeline().vocabulary().size()), id.getMessage());

        Path lengths = prepared.resolve(PreparedCorpus.LENGTHS);
        try (RandomAccessFile file = new RandomAccessFile(lengths.toFile(), "rw")) {
            file.seek(0);
            file.write(new byte[] {9, 0});
        }
        InputError sum = assertThrows(InputError.class, () -> PreparedCorpus.open(prepared, config));
        assertTrue(sum.getMessage().contains(lengths + ": the lengths add up to"), sum.getMessage());

        Files.writeString(prepared.resolve(PreparedCorpus.RECIPE), "{ not json");
        InputError recipe = assertThrows(InputError.class, () -> CorpusPreparation.prepare(config, prepared, null, 2));
        assertTrue(recipe.getMessage().startsWith(prepared.resolve(PreparedCorpus.RECIPE) + ": unreadable"),
                recipe.getMessage());

        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        InputError foreign = assertThrows(InputError.class, () -> CorpusPreparation.prepare(config, other, null, 2));
        assertEquals(other + " is not a prepared corpus (it has no recipe.json) and is not empty: set data.prepared "
                + "to another folder, or remove it", foreign.getMessage());
    }

    @Test
    void largeSplitsLearnFromAUniformSample() throws IOException {
        toyTrain(2000);
        PreparedCorpus all = CorpusPreparation.prepare(config(""), dir.resolve("all"), null, 2);
        PreparedCorpus sampled = CorpusPreparation.prepare(config(", \"sample_size\": 400"), dir.resolve("sampled"),
                null, 2);
        assertEquals(2000, all.stats().learnedFromPairs());
        assertEquals(400, sampled.stats().learnedFromPairs());
        assertEquals(all.size(), sampled.size(), "every pair is encoded, whatever the sample");
        int allWords = all.languages().sourcePipeline().vocabulary().size();
        int sampledWords = sampled.languages().sourcePipeline().vocabulary().size();
        assertTrue(sampledWords < allWords, sampledWords + " words from 400 pairs, " + allWords + " from 2000");
        int unknown = 0;
        for (int i = 0; i < sampled.size(); i++) {
            for (int id : sampled.example(i).source()) {
                unknown += id == Vocabulary.UNK_ID ? 1 : 0;
            }
        }
        assertTrue(unknown > 0, "words outside the sample are unknown");
    }

    @Test
    void vocabulariesPast65536UseThirtyTwoBitIds() throws IOException {
        List<String> en = new ArrayList<>();
        List<String> fr = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            en.add("w" + i + " x");
            fr.add("m" + i);
        }
        for (String lang : List.of("en", "fr")) {
            Files.write(dir.resolve("train." + lang), lang.equals("en") ? en : fr);
            Files.write(dir.resolve("dev." + lang), List.of("x"));
        }
        PreparedCorpus corpus = CorpusPreparation.prepare(config(", \"src_vocab\": {\"max_size\": 100000}"),
                dir.resolve("prepared"), null, 2);
        assertEquals(4, corpus.stats().tokenBytes());
        assertEquals(70_005, corpus.languages().sourcePipeline().vocabulary().size());
        Vocabulary source = corpus.languages().sourcePipeline().vocabulary();
        assertEquals(List.of("w69999", "x"), source.decode(corpus.example(69_999).source()));
        assertEquals(4L * 3 * 70_000, Files.size(dir.resolve("prepared").resolve(PreparedCorpus.TOKENS)));
    }
}
